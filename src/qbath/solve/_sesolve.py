r"""Schrödinger-equation solver :func:`sesolve` (constant or time-dependent Hamiltonians)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from .._checks import as_ket
from .._errors import InputError
from .._meta import make_meta
from ..generators import KetRHS, split_list_form
from ..ode import Dopri5, Method, check_times
from ._blas import blas_threads
from ._mesolve import ExpectOps
from ._options import observing, solve_options
from ._results import Result
from ._tdsolve import td_generator

__all__ = ["sesolve"]


def sesolve(
    H: Any,
    psi0: Any,
    tlist: Any,
    *,
    e_ops: Any = None,
    args: Mapping[str, Any] | None = None,
    method: Method | None = None,
    store_states: bool = True,
    interpolation: str = "cubic",
    progress: bool = False,
) -> Result:
    r"""Solve the Schrödinger equation :math:`i\,\partial_t|\psi\rangle = H(t)|\psi\rangle`.

    Parameters
    ----------
    H : (d, d) operator or QuTiP's list form ``[H0, [H1, f1], ...]``
        Hermitian (at every time).
    psi0 : (d,) array_like or ket Qobj
        Initial ket, normalised.
    tlist : (T,) array_like
        Output times, strictly increasing; ``tlist[0]`` is the time of ``psi0``. Also the sample
        times of array coefficients.
    e_ops : list or dict of (d, d) operators, optional
        ``result.expect[k][i]`` is :math:`\langle\psi(t_i)|O_k|\psi(t_i)\rangle`.
    args : dict, optional
        Arguments of two-argument coefficient functions.
    method : qbath.ode method, optional
        Default :class:`qbath.Dopri5` with the default tolerances.
    store_states : bool
        Keep the ket at every output time (``result.states``, shape (T, d)).
    interpolation : {"cubic", "step"}
        Interpolation of array coefficients.
    progress : bool
        Show how much of ``tlist`` is covered (a tqdm bar, else ``INFO`` log lines; see
        :func:`qbath.mesolve`). Changes no number.

    Returns
    -------
    Result
        ``.states`` (T, d) kets, ``.final_state`` (d,), ``.expect``, ``.stats``, ``.meta``.
    """
    opts = solve_options(
        args=args, method=method, store_states=store_states, interpolation=interpolation,
        progress=progress, default_method=Dopri5(),
    )  # fmt: skip
    method, args, interpolation = opts.method, opts.args, opts.interpolation
    assert method is not None
    t = check_times(tlist, "tlist")
    constants, _ = split_list_form("H", H, args=args, tlist=t, interpolation=interpolation)
    if any(hasattr(c, "_lindblad_form") for c in constants):
        raise InputError("H: sesolve takes a Hamiltonian, got a GKSL generator (use mesolve)")
    form, terms = td_generator(H, None, args=args, tlist=t, interpolation=interpolation)
    d = form.dim
    psi = np.ascontiguousarray(as_ket("psi0", psi0, d).astype(complex))
    rhs = KetRHS(form.hamiltonian, terms)
    eops = ExpectOps(e_ops, form)
    T = len(t)
    ex = np.zeros((eops.count, T), dtype=complex)
    states = np.empty((T, d), dtype=complex) if opts.store_states else None
    final = np.empty(d, dtype=complex)

    def observe(i: int, y: np.ndarray) -> None:
        if eops.count:
            ex[:, i] = eops.ket_values(y[:, None])[:, 0]
        if states is not None:
            states[i] = y
        if i == T - 1:
            final[...] = y

    start = time.perf_counter()
    with blas_threads(1), observing("sesolve", t, opts.progress, observe) as obs:
        stats = method.integrate(rhs, psi, t, obs)
    wall = time.perf_counter() - start
    return Result(
        times=t,
        states=states,
        expect=eops.finish(ex),
        final_state=final,
        stats={**stats.as_dict(), "wall_time": wall},
        meta=make_meta(
            "sesolve",
            method=repr(method),
            dim=d,
            time_dependent=not terms.empty,
            t0=float(t[0]),
            t1=float(t[-1]),
            n_times=T,
        ),
    )
