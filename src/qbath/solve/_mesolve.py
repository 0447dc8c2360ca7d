r"""Master-equation solver: :func:`mesolve`."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from .._checks import as_state, check_bool, check_dt, check_int, check_real_scalar, is_hermitian
from .._errors import InputError
from .._meta import make_meta
from ..generators import LindbladForm, as_lindblad, as_sparse_operator
from ._blas import blas_threads
from ._integrate import check_times, dopri5, rk4
from ._results import Result
from ._rhs import MatrixFormRHS

__all__ = ["mesolve"]


class ExpectOps:
    """Observables prepared for fast evaluation on states of the working basis.

    ``values(rho)`` returns one number per observable, :math:`\\mathrm{Tr}[O\\rho]` computed as a
    single matrix-vector product with the stacked, transposed observables.
    """

    def __init__(self, e_ops: Sequence[Any] | None, form: LindbladForm):
        d = form.dim
        if e_ops is None:
            e_ops = []
        if (
            sp.issparse(e_ops)
            or (isinstance(e_ops, np.ndarray) and e_ops.ndim == 2)
            or (hasattr(e_ops, "full") and callable(e_ops.full))
        ):
            e_ops = [e_ops]
        mats = []
        herm = []
        for k, O in enumerate(e_ops):
            if callable(O) and not hasattr(O, "full"):
                raise InputError(f"e_ops[{k}]: expected a (d, d) operator, got a callable")
            m = as_sparse_operator(f"e_ops[{k}]", O, d).toarray()
            herm.append(is_hermitian(m))
            mats.append(form.to_working(m))
        self.count = len(mats)
        self.hermitian = herm
        self._flat = (
            np.stack([m.T.ravel() for m in mats]) if mats else np.zeros((0, d * d), dtype=complex)
        )
        self._mats = mats

    def values(self, rho: np.ndarray) -> np.ndarray:
        """Tr[O rho] for every observable, shape (E,)."""
        return self._flat @ rho.reshape(-1)

    def ket_values(self, psi: np.ndarray) -> np.ndarray:
        """<psi|O|psi> for kets given as columns of ``psi`` (d, n); returns (E, n)."""
        if not self._mats:
            return np.zeros((0, psi.shape[1]), dtype=complex)
        return np.stack([np.einsum("in,in->n", psi.conj(), m @ psi) for m in self._mats])

    def finish(self, data: np.ndarray) -> list[np.ndarray]:
        """Rows of ``data`` as a list, real for Hermitian observables."""
        return [
            data[k].real.copy() if self.hermitian[k] else data[k].copy() for k in range(self.count)
        ]


def mesolve(
    system: Any,
    rho0: Any,
    times: Sequence[float] | np.ndarray,
    e_ops: Sequence[Any] | None = None,
    *,
    method: Literal["adaptive", "rk4"] = "adaptive",
    rtol: float = 1e-6,
    atol: float = 1e-8,
    dt: float | None = None,
    store_states: bool = True,
    max_steps: int = 100_000,
) -> Result:
    r"""Solve the GKSL master equation :math:`\dot\rho = \mathcal L\rho`.

    .. math::

        \dot\rho = -i[H,\rho] + \sum_k \left(L_k\rho L_k^\dagger - \tfrac12\{L_k^\dagger L_k,\rho\}
        \right)

    The right-hand side is applied in matrix form (see :mod:`qbath.solve._rhs`); no
    :math:`d^2\times d^2` matrix of the Hamiltonian part is built.

    Parameters
    ----------
    system : GKSL or (H, c_ops)
        A generator from :func:`qbath.davies`, or a Hamiltonian (d, d) with QuTiP-style collapse
        operators (each (d, d), rate folded in as :math:`\sqrt{\gamma}`).
    rho0 : (d, d) or (d,) array_like
        Initial density matrix, or a ket (turned into :math:`|\psi\rangle\langle\psi|`).
    times : (T,) array_like
        Non-decreasing output times; ``times[0]`` is the time of ``rho0``.
    e_ops : sequence of (d, d) operators, optional
        Observables; ``result.expect[k][i]`` is :math:`\mathrm{Tr}[O_k\rho(t_i)]`.
    method : {"adaptive", "rk4"}
        ``"adaptive"``: Dormand--Prince 5(4) with error control (``rtol``, ``atol``, defaults as
        QuTiP: 1e-6, 1e-8). ``"rk4"``: classical fixed-step RK4 with step ``dt`` (required).
    rtol, atol : float
        Relative and absolute tolerances of the adaptive method (per entry of :math:`\rho`).
    dt : float, optional
        Step of ``method="rk4"``.
    store_states : bool
        Keep the density matrix at every output time (``result.states``, memory T d^2).
    max_steps : int
        Step budget of the adaptive method.

    Returns
    -------
    Result
        ``.times``, ``.states`` (T, d, d), ``.expect`` (list of (T,)), ``.final_state``,
        ``.stats``, ``.meta``.
    """
    form = as_lindblad(system)
    d = form.dim
    t = check_times(times)
    rho = as_state("rho0", rho0, d)
    rho = form.to_working(0.5 * (rho + rho.conj().T))
    rho = np.ascontiguousarray(0.5 * (rho + rho.conj().T))
    eops = ExpectOps(e_ops, form)
    store_states = check_bool("store_states", store_states)
    rtol = check_real_scalar("rtol", rtol, minimum=0.0, strict=True)
    atol = check_real_scalar("atol", atol, minimum=0.0, strict=True)
    max_steps = check_int("max_steps", max_steps, minimum=1)
    if method not in ("adaptive", "rk4"):
        raise InputError(f"method: expected 'adaptive' or 'rk4', got {method!r}")
    if method == "rk4":
        if dt is None:
            raise InputError("dt: expected a positive step for method='rk4', got None")
        dt = check_dt("dt", dt)

    T = len(t)
    ex = np.zeros((eops.count, T), dtype=complex)
    states = np.empty((T, d, d), dtype=complex) if store_states else None
    final = np.empty((d, d), dtype=complex)

    def output(i: int, y: np.ndarray) -> None:
        if eops.count:
            ex[:, i] = eops.values(y)
        if states is not None:
            states[i] = y
        if i == T - 1:
            final[...] = y

    rhs = MatrixFormRHS(form)
    start = time.perf_counter()
    with blas_threads(1):
        if method == "adaptive":
            stats = dopri5(rhs, rho, t, output, rtol=rtol, atol=atol, max_steps=max_steps)
        else:
            stats = rk4(rhs, rho, t, output, dt=dt)
    wall = time.perf_counter() - start
    if states is not None and form.basis is not None:
        states = form.to_original(states)
    final = form.to_original(final)
    return Result(
        times=t,
        states=states,
        expect=eops.finish(ex),
        final_state=final,
        stats={
            "nfev": stats.nfev,
            "nsteps": stats.nsteps,
            "nrejected": stats.nrejected,
            "method": stats.method,
            "wall_time": wall,
        },
        meta=make_meta(
            "mesolve",
            method=method,
            rtol=rtol,
            atol=atol,
            dt=dt,
            dim=d,
            n_jumps=form.jumps.count,
            t0=float(t[0]),
            t1=float(t[-1]),
            n_times=T,
        ),
    )
