"""Time stepping shared by the three spin solvers.

The solvers step a :mod:`scipy.integrate` Runge--Kutta (or implicit) stepper and evaluate its dense
output at the requested times, handing each state to an *observer* that keeps only what the result
needs (Bloch vectors, correlations, collective moments, physicality data). Nothing of size
``len(times) x state`` is ever stored, so a 9 N^2 cumulant state or a 4^N density matrix costs
memory once, not once per output time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.integrate import BDF, DOP853, LSODA, RK23, RK45, Radau

from .._checks import as_real_shaped, check_real_scalar
from .._errors import InputError
from .._meta import make_meta

_METHODS = {
    "RK45": RK45,
    "RK23": RK23,
    "DOP853": DOP853,
    "LSODA": LSODA,
    "BDF": BDF,
    "Radau": Radau,
}

#: tolerance on |s_i| <= 1 for initial Bloch vectors
BLOCH_TOL = 1e-9


def check_method(method: Any) -> type:
    if method not in _METHODS:
        raise InputError(f"method: expected one of {sorted(_METHODS)}, got {method!r}")
    return _METHODS[method]


def as_bloch0(bloch0: Any, n: int) -> np.ndarray:
    """Initial Bloch vectors: (N, 3), or (3,) for the same vector on every spin; |s_i| <= 1."""
    arr = np.asarray(bloch0)
    if arr.shape == (3,):
        arr = np.broadcast_to(arr, (n, 3))
    s = as_real_shaped("bloch0", arr, (n, 3), what="Bloch vectors of shape (N, 3) or (3,)")
    norm = np.linalg.norm(s, axis=1)
    if np.any(norm > 1 + BLOCH_TOL):
        i = int(np.argmax(norm))
        raise InputError(
            f"bloch0: expected |s_i| <= 1 for every spin, got |s_{i}| = {norm[i]:.12g}"
        )
    return s


def integrate(
    fun: Callable[[float, np.ndarray], np.ndarray],
    y0: np.ndarray,
    times: np.ndarray,
    observe: Callable[[np.ndarray], Any],
    *,
    method: str = "DOP853",
    rtol: float = 1e-8,
    atol: float = 1e-10,
    jac: Any = None,
    allow_failure: bool = False,
) -> tuple[list[Any], dict[str, Any]]:
    """Integrate ``dy/dt = fun(t, y)`` and return ``[observe(y(t)) for t in times]`` and counters.

    ``times[0]`` is the initial time. Dense output of the stepper gives the intermediate times, so
    the step size is chosen by the error control alone. If the stepper fails (e.g. a solution that
    blows up), a ``RuntimeError`` is raised, or with ``allow_failure`` the observations made so
    far are returned and ``stats["failed_at"]`` holds the time reached.
    """
    cls = check_method(method)
    rtol = check_real_scalar("rtol", rtol, minimum=0.0, strict=True)
    atol = check_real_scalar("atol", atol, minimum=0.0, strict=True)
    out = [observe(np.array(y0, copy=True))]
    stats: dict[str, Any] = {"nfev": 0, "nsteps": 0}
    if times.size == 1:
        return out, stats
    kwargs: dict[str, Any] = {"rtol": rtol, "atol": atol}
    if jac is not None and cls in (BDF, Radau, LSODA):
        kwargs["jac"] = jac
    solver = cls(fun, float(times[0]), np.asarray(y0, dtype=float), float(times[-1]), **kwargs)
    k = 1
    while k < times.size:
        message = solver.step()
        stats["nsteps"] += 1
        if solver.status == "failed" or not np.all(np.isfinite(solver.y)):
            if allow_failure:
                stats["failed_at"] = float(solver.t)
                stats["nfev"] = int(solver.nfev)
                return out, stats
            raise RuntimeError(f"ODE integration failed at t = {solver.t:.6g}: {message}")
        if times[k] <= solver.t:
            interp = solver.dense_output()
            while k < times.size and times[k] <= solver.t:
                y = solver.y if times[k] == solver.t else interp(times[k])
                out.append(observe(np.asarray(y, dtype=float)))
                k += 1
        elif (
            solver.status == "finished"
        ):  # pragma: no cover - t_bound == times[-1] is reached exactly
            raise RuntimeError("ODE integration stopped before the last output time")
    stats["nfev"] = int(solver.nfev)
    return out, stats


def cross3(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Cross product over the leading axis of component-major arrays of shape (3, ...).

    ``out`` (optional) must not overlap ``a`` or ``b``.
    """
    if out is None:
        out = np.empty(np.broadcast_shapes(a.shape, b.shape), dtype=np.result_type(a, b))
    for k, (p, q) in enumerate(((1, 2), (2, 0), (0, 1))):
        np.multiply(a[p], b[q], out=out[k])
        out[k] -= a[q] * b[p]
    return out


def solver_meta(
    kind: str, model: Any, method: str, rtol: float, atol: float, stats: dict, **extra: Any
) -> dict:
    """Provenance of a solver run: the model's size, source and storage, integrator and counters."""
    return make_meta(
        kind,
        n_spins=model.n_spins,
        method=method,
        rtol=rtol,
        atol=atol,
        model=model.meta.get("source"),
        coupling_storage=model.coupling.kind,
        **extra,
        **stats,
    )
