"""Time stepping shared by the three spin solvers, on the ODE layer :mod:`qbath.ode`.

The solvers hand a method object (``DOP853(...)`` by default) their right-hand side and an
*observer* called at the requested times, which keeps only what the result needs (Bloch vectors,
correlations, collective moments, physicality data). Nothing of size ``len(times) x state`` is ever
stored, so a 9 N^2 cumulant state or a 4^N density matrix costs memory once, not once per output
time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._checks import as_real_shaped
from .._errors import InputError
from .._meta import make_meta
from ..ode import DOP853, IntegrationError, Method, StepSizeError, check_method

#: default method of meanfield and cumulant (tight: their results are compared with closed forms
#: and published curves at ~1e-8)
DEFAULT_METHOD = DOP853(rtol=1e-8, atol=1e-10)
#: default method of the exact solver (tighter still: it is the reference of the other two)
EXACT_METHOD = DOP853(rtol=1e-9, atol=1e-11)

#: tolerance on |s_i| <= 1 for initial Bloch vectors
BLOCH_TOL = 1e-9


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
    method: Method,
    fun: Callable[[float, np.ndarray], np.ndarray],
    y0: np.ndarray,
    times: np.ndarray,
    observe: Callable[[np.ndarray], Any],
    *,
    jac: Any = None,
    allow_failure: bool = False,
) -> tuple[list[Any], dict[str, Any]]:
    """Integrate ``dy/dt = fun(t, y)`` with ``method``; ``[observe(y(t)) for t in times]`` and counters.

    ``times[0]`` is the initial time. If the integration fails (e.g. a solution that blows up), a
    :class:`~qbath.ode.IntegrationError` is raised, or with ``allow_failure`` the observations made
    so far are returned and ``stats["failed_at"]`` holds the time reached (a step beyond a fixed-step
    method's stability limit is always an error).
    """
    method = check_method(method)
    out: list[Any] = []

    def f(t: float, y: np.ndarray, dy: np.ndarray) -> None:
        dy[...] = fun(t, y)

    def record(i: int, y: np.ndarray) -> None:  # the observers keep nothing of y itself
        out.append(observe(np.ascontiguousarray(y, dtype=float)))

    try:
        stats: dict[str, Any] = method.integrate(
            f, np.asarray(y0, dtype=float), times, record, jac=jac
        ).as_dict()
    except IntegrationError as err:
        if not allow_failure or isinstance(err, StepSizeError):
            raise
        return out, {"failed_at": err.t}
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


def solver_meta(kind: str, model: Any, method: Method, stats: dict, **extra: Any) -> dict:
    """Provenance of a solver run: the model's size, source and storage, integrator and counters."""
    options = method.options()
    stats = {k: v for k, v in stats.items() if k != "method"}
    return make_meta(
        kind,
        n_spins=model.n_spins,
        method=options.pop("name"),
        **options,
        model=model.meta.get("source"),
        coupling_storage=model.coupling.kind,
        **extra,
        **stats,
    )
