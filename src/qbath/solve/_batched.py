r"""Batched master equations: many small GKSL problems in one vectorised integration.

:func:`mesolve_batch` solves B problems

.. math:: \dot\rho_b = -i[H_b, \rho_b] + \sum_k \Big(L_{k,b}\rho_b L_{k,b}^\dagger
          - \tfrac12\{L_{k,b}^\dagger L_{k,b}, \rho_b\}\Big),\qquad b = 1, \dots, B,

that share a Hilbert-space dimension and a time grid: Hamiltonians of shape (B, d, d), collapse
operators of shape (B, d, d) (or shared (d, d), optionally scaled by ``rates`` of shape (B, K)),
initial states of shape (B, d, d). Results carry the batch axis first.

How: every generator maps Hermitian matrices to Hermitian matrices, so on the real coordinates
:math:`X = \mathrm{Re}\,\rho - \mathrm{Im}\,\rho` it is a real :math:`d^2\times d^2` matrix
:math:`M_b`. For :math:`d \le 8` the B matrices are built once and the right-hand side is one
batched real matrix product; for larger d it is applied in matrix form with batched complex
products (:math:`X + X^\dagger`, :math:`X = -iH_\mathrm{eff}\rho + \frac12\sum_k L_k\rho L_k^\dagger`).

Integrator: Dormand--Prince 5(4) (Dormand & Prince, "A family of embedded Runge-Kutta formulae",
1980) with Shampine's dense output, one step size shared by the batch. The error of a step is the
*largest* over the members of each member's RMS norm
``err / (atol + rtol * max(|y_old|, |y_new|))``, so every member meets the tolerance it would meet
alone (the shared step is the smallest any member needs; members are not slowed by each other's
output times).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import (
    as_density_stack,
    as_numeric_array,
    as_operator,
    check_int,
    check_real_scalar,
)
from .._errors import InputError, NonUniqueSteadyStateError
from .._meta import make_meta
from .._result import dataset_from_parts, expect_items
from ..ode import check_times
from ._blas import blas_threads
from ._results import Result

__all__ = ["BatchResult", "mesolve_batch", "steady_state_batch", "propagator_batch"]

#: below or at this dimension the batched real superoperators are built
SUPEROP_MAX_DIM = 8

_C = np.array([0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0])
_A = (
    (),
    (1 / 5,),
    (3 / 40, 9 / 40),
    (44 / 45, -56 / 15, 32 / 9),
    (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
    (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
)
_A_ROWS = [np.array(r + (0.0,) * (6 - len(r))) for r in _A]
_B = np.array([35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84])
_E = np.array([71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40])
_P = np.array(
    [
        [1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
        [0, 0, 0, 0],
        [0, 131558114200 / 32700410799, -68118460800 / 10900136933, 87487479700 / 32700410799],
        [0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
        [0, 127303824393 / 49829197408, -318862633887 / 49829197408, 701980252875 / 199316789632],
        [0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
        [0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
    ]
)


@dataclass(frozen=True, eq=False, repr=False)
class BatchResult(Result):
    """Output of :func:`mesolve_batch`: a :class:`Result` whose arrays carry the batch axis first,
    ``states`` (B, T, d, d), ``expect`` (B, T) each, ``final_state`` (B, d, d)."""

    def to_dataset(self, *, expect: Any = None, states: bool = False, attrs: Any = None) -> Any:
        """An ``xarray.Dataset`` with dimensions ``batch`` and ``time``: ``expect_<name>``
        (batch, time) and, with ``states=True``, ``states`` (batch, time, row, col)."""
        if expect is not None:
            raise InputError("expect: extra observables are not supported for batched results")
        B = self.final_state.shape[0]
        variables = {
            f"expect_{k}": (("batch", "time"), v, {}) for k, v in expect_items(self.expect)
        }
        if states:
            if self.states is None:
                raise InputError("states: expected a result with stored states (store_states=True)")
            variables["states"] = (("batch", "time", "row", "col"), self.states, {})
        coords = {"batch": (np.arange(B), {}), "time": (self.times, {"units": "1/energy"})}
        return dataset_from_parts(coords, variables, {**self.meta, **(attrs or {})})


def _operators(name: str, x: Any, d: int | None, B: int | None) -> np.ndarray:
    """(d, d) or (B, d, d) -> (B or 1, d, d) complex."""
    a = as_operator(name, x, d, allow_batch=True)
    if a.ndim == 2:
        a = a[None]
    if a.ndim != 3:
        raise InputError(f"{name}: expected shape (d, d) or (B, d, d), got shape {a.shape}")
    if B is not None and a.shape[0] not in (1, B):
        raise InputError(
            f"{name}: expected a batch of {B} (or a shared operator), got shape {a.shape}"
        )
    return a


def _dag(a: np.ndarray) -> np.ndarray:
    return np.conj(np.swapaxes(a, -1, -2))


def _real_superops(H: np.ndarray, Ls: list[np.ndarray], d: int) -> np.ndarray:
    r"""(B, d^2, d^2) real matrices of the generators on the coordinates Re rho - Im rho (row-major).

    Row-major vec: :math:`\mathrm{vec}(A\rho B) = (A\otimes B^T)\mathrm{vec}\rho`.
    """
    eye = np.eye(d)
    B = max([H.shape[0]] + [L.shape[0] for L in Ls])
    K = sum(_dag(L) @ L for L in Ls) if Ls else np.zeros((1, d, d))
    heff = H - 0.5j * K

    def kron(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.einsum("bij,bkl->bikjl", a, b).reshape(B, d * d, d * d)

    Lc = -1j * kron(np.broadcast_to(heff, (B, d, d)), np.broadcast_to(eye, (B, d, d)))
    Lc = Lc + 1j * kron(np.broadcast_to(eye, (B, d, d)), np.broadcast_to(np.conj(heff), (B, d, d)))
    for L in Ls:
        Lb = np.broadcast_to(L, (B, d, d))
        Lc = Lc + kron(Lb, np.conj(Lb))
    # coordinate basis: column k is vec(rho_k) of the unit coordinate matrix e_k
    R = np.empty((d * d, d * d), dtype=complex)
    for k in range(d * d):
        e = np.zeros((d, d))
        e.flat[k] = 1.0
        R[:, k] = (0.5 * ((1 - 1j) * e + (1 + 1j) * e.T)).ravel()
    Y = Lc @ R
    return np.ascontiguousarray(Y.real - Y.imag)


def _generators(H: Any, c_ops: Sequence[Any] | None) -> tuple[np.ndarray, list[np.ndarray], int]:
    """Validated stacks: H (B or 1, d, d) Hermitian, collapse operators (B or 1, d, d)."""
    Hs = _operators("H", H, None, None)
    d = Hs.shape[-1]
    if np.abs(Hs - _dag(Hs)).max() > 1e-10 * max(1.0, np.abs(Hs).max()):
        raise InputError("H: expected Hermitian operators")
    Hs = 0.5 * (Hs + _dag(Hs))
    c_list = [] if c_ops is None else list(c_ops)
    Ls = [_operators(f"c_ops[{k}]", L, d, None) for k, L in enumerate(c_list)]
    return Hs, Ls, d


def _apply_rates(
    Hs: np.ndarray, Ls: list[np.ndarray], rates: Any, extra: int = 1
) -> tuple[list[np.ndarray], int]:
    """Common batch size B; collapse operators scaled by sqrt(rates) (B, K) or (B,)."""
    sizes = {Hs.shape[0], extra, *(L.shape[0] for L in Ls)}
    g = None
    if rates is not None:
        g = np.asarray(rates)
        if g.dtype.kind not in "iuf" or g.dtype == bool:
            raise InputError(f"rates: expected real values, got dtype {g.dtype}")
        g = g.astype(float)
        if g.ndim == 1:
            g = np.repeat(g[:, None], len(Ls), axis=1)
        if g.ndim != 2 or g.shape[1] != len(Ls):
            raise InputError(f"rates: expected shape (B,) or (B, {len(Ls)}), got {np.shape(rates)}")
        if not np.all(np.isfinite(g)) or np.any(g < 0):
            raise InputError("rates: expected finite values >= 0")
        sizes.add(g.shape[0])
    sizes.discard(1)
    if len(sizes) > 1:
        raise InputError(
            f"batch: expected one batch size B across H, c_ops, rates, rho0, got sizes {sorted(sizes)}"
        )
    B = sizes.pop() if sizes else 1
    if g is not None:
        Ls = [np.sqrt(g[:, k])[:, None, None] * Ls[k] for k in range(len(Ls))]
    return Ls, B


def _to_rho(x: np.ndarray, d: int) -> np.ndarray:
    X = x.reshape(*x.shape[:-1], d, d)
    return 0.5 * ((1 - 1j) * X + (1 + 1j) * np.swapaxes(X, -1, -2))


def steady_state_batch(
    H: Any, c_ops: Sequence[Any] | None = None, *, rates: Any | None = None, tol: float = 1e-9
) -> np.ndarray:
    r"""Steady states of B GKSL generators (stacked as in :func:`mesolve_batch`), d <= 8.

    Each member is solved as :func:`qbath.steady_state` with ``method="dense"`` does: an SVD of its
    generator (here the real :math:`d^2\times d^2` matrix on Hermitian coordinates, all members in
    one batched call), singular values below ``tol`` times the largest counted as zero, the state
    the last right singular vector normalised to unit trace.

    Returns
    -------
    (B, d, d) ndarray

    Raises
    ------
    NonUniqueSteadyStateError
        If a member has more than one steady state (the message names the first; solve it alone
        with ``qbath.steady_state(system, rho0)``).
    """
    tol = check_real_scalar("tol", tol, minimum=0.0, strict=True)
    Hs, Ls, d = _generators(H, c_ops)
    if d > SUPEROP_MAX_DIM:
        raise InputError(
            f"H: expected d <= {SUPEROP_MAX_DIM} for the batched steady state, got d = {d}"
        )
    Ls, B = _apply_rates(Hs, Ls, rates)
    M = np.broadcast_to(_real_superops(Hs, Ls, d), (B, d * d, d * d))
    with blas_threads(1):
        _, sv, vh = np.linalg.svd(M)
    null = np.sum(sv <= tol * np.maximum(sv[:, :1], 1e-300), axis=1)
    if np.any(null > 1):
        b = int(np.flatnonzero(null > 1)[0])
        raise NonUniqueSteadyStateError(
            f"batch member {b}: the generator has a {int(null[b])}-dimensional space of steady "
            "states; solve it alone with qbath.steady_state(system, rho0)",
            int(null[b]),
        )
    rho = _to_rho(vh[:, -1], d)
    rho = rho / np.trace(rho, axis1=1, axis2=2)[:, None, None]
    return 0.5 * (rho + _dag(rho))


def propagator_batch(
    H: Any, t: float, c_ops: Sequence[Any] | None = None, *, rates: Any | None = None
) -> np.ndarray:
    r"""Propagators :math:`e^{\mathcal L_b t}` of B generators (stacked as in :func:`mesolve_batch`),
    d <= 8, as (B, d^2, d^2) column-stacking superoperators (the convention of
    :func:`qbath.propagator`).

    The batched real generators on Hermitian coordinates are exponentiated at once
    (``scipy.linalg.expm`` on the stack); the complex superoperator follows by linearity from the
    images of the Hermitian parts of the matrix units, :math:`E = H_1 + iH_2`.
    """
    import scipy.linalg as sla

    t = check_real_scalar("t", t)
    Hs, Ls, d = _generators(H, c_ops)
    if d > SUPEROP_MAX_DIM:
        raise InputError(
            f"H: expected d <= {SUPEROP_MAX_DIM} for the batched propagator, got d = {d}"
        )
    Ls, B = _apply_rates(Hs, Ls, rates)
    M = np.broadcast_to(_real_superops(Hs, Ls, d), (B, d * d, d * d))
    with blas_threads(1):
        P = sla.expm(M * t)
    n = d * d
    # coordinates of the Hermitian parts of every matrix unit E_jk (column-stacking index j + d k)
    cols = np.empty((2, n, n))
    for j in range(d):
        for k in range(d):
            E = np.zeros((d, d), dtype=complex)
            E[j, k] = 1.0
            h1 = 0.5 * (E + E.conj().T)
            h2 = -0.5j * (E - E.conj().T)
            cols[0, :, j + d * k] = (h1.real - h1.imag).ravel()
            cols[1, :, j + d * k] = (h2.real - h2.imag).ravel()
    img = _to_rho(np.swapaxes(P @ cols[0], -1, -2), d) + 1j * _to_rho(
        np.swapaxes(P @ cols[1], -1, -2), d
    )
    # img[b, m] is Phi(E_m) (d, d); column m of the superoperator is vec_F(Phi(E_m))
    return np.swapaxes(np.swapaxes(img, -1, -2).reshape(B, n, n), -1, -2)


def _batch_states_and_rates(
    rho0: Any, Hs: np.ndarray, Ls: list[np.ndarray], d: int, rates: Any
) -> tuple[np.ndarray, list[np.ndarray], int]:
    """Initial states (B, d, d), collapse operators with the rates folded in, and the batch size."""
    r0 = as_numeric_array(
        "rho0", rho0.full() if hasattr(rho0, "full") else rho0, "states", allow_complex=True
    ).astype(complex)
    if r0.ndim in (1, 2) and r0.shape[-1] == d and (r0.ndim == 1 or r0.shape[0] != d):
        r0 = np.einsum("...i,...j->...ij", r0, r0.conj())  # kets
    if r0.ndim == 2:
        r0 = r0[None]
    if r0.ndim != 3 or r0.shape[-2:] != (d, d):
        raise InputError(
            f"rho0: expected shape (d, d) or (B, d, d) with d = {d}, got {np.shape(rho0)}"
        )
    r0 = np.asarray(as_density_stack("rho0", r0, d), dtype=complex)
    sizes = {Hs.shape[0], r0.shape[0], *(L.shape[0] for L in Ls)}
    if rates is not None:
        g = np.asarray(rates)
        if g.dtype.kind not in "iuf" or g.dtype == bool:
            raise InputError(f"rates: expected real values, got dtype {g.dtype}")
        g = g.astype(float)
        if g.ndim == 1:
            g = np.repeat(g[:, None], len(Ls), axis=1)
        if g.ndim != 2 or g.shape[1] != len(Ls):
            raise InputError(f"rates: expected shape (B,) or (B, {len(Ls)}), got {np.shape(rates)}")
        if not np.all(np.isfinite(g)) or np.any(g < 0):
            raise InputError("rates: expected finite values >= 0")
        sizes.add(g.shape[0])
    sizes.discard(1)
    if len(sizes) > 1:
        raise InputError(
            f"batch: expected one batch size B across H, c_ops, rates, rho0, got sizes {sorted(sizes)}"
        )
    B = sizes.pop() if sizes else 1
    if rates is not None:
        Ls = [np.sqrt(g[:, k])[:, None, None] * Ls[k] for k in range(len(Ls))]
    r0 = np.broadcast_to(r0, (B, d, d))
    return r0, Ls, B


def _batch_rhs(Hs: np.ndarray, Ls: list[np.ndarray], d: int, B: int) -> Any:
    """Right-hand side on the real coordinates X = Re rho - Im rho of the whole batch, (B, d^2)."""
    n = d * d
    if d <= SUPEROP_MAX_DIM:
        M = _real_superops(Hs, Ls, d)
        if M.shape[0] == 1 and B > 1:
            M = np.broadcast_to(M, (B, n, n))
        Mt = np.ascontiguousarray(np.swapaxes(M, -1, -2))

        def rhs(x: np.ndarray) -> np.ndarray:
            return np.matmul(x[:, None, :], Mt)[:, 0, :]

        return rhs

    K = sum(_dag(L) @ L for L in Ls) if Ls else np.zeros((1, d, d))
    mih = -1j * (Hs - 0.5j * K)
    half = [np.sqrt(0.5) * L for L in Ls]

    def rhs_matrix_form(x: np.ndarray) -> np.ndarray:
        X = x.reshape(B, d, d)
        rho = 0.5 * ((1 - 1j) * X + (1 + 1j) * np.swapaxes(X, -1, -2))
        G = mih @ rho
        for L in half:
            G = G + L @ rho @ _dag(L)
        out = G + _dag(G)
        return (out.real - out.imag).reshape(B, n)

    return rhs_matrix_form


def _batch_options(
    rtol: Any, atol: Any, max_steps: Any, store_states: Any
) -> tuple[float, float, int, bool]:
    """Validated integration options of :func:`mesolve_batch`."""
    rtol = check_real_scalar("rtol", rtol, minimum=0.0, strict=True)
    atol = check_real_scalar("atol", atol, minimum=0.0, strict=True)
    if rtol >= 1:
        raise InputError(f"rtol: expected a value < 1, got {rtol}")
    max_steps = check_int("max_steps", max_steps, minimum=1)
    if not isinstance(store_states, bool):
        raise InputError(
            f"store_states: expected a bool, got {type(store_states).__name__} {store_states!r}"
        )
    return rtol, atol, max_steps, store_states


def mesolve_batch(
    H: Any,
    rho0: Any,
    tlist: Sequence[float] | np.ndarray,
    c_ops: Sequence[Any] | None = None,
    *,
    rates: Any | None = None,
    e_ops: Sequence[Any] | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    max_steps: int = 100_000,
    store_states: bool = True,
) -> Result:
    r"""Integrate B GKSL master equations in one vectorised call (module docstring).

    Parameters
    ----------
    H : (d, d) or (B, d, d) array_like
        Hamiltonians (one shared, or one per member).
    rho0 : (d, d), (B, d, d), (d,) or (B, d) array_like
        Initial density matrices or kets.
    tlist : (T,) array_like
        Output times (shared).
    c_ops : sequence of (d, d) or (B, d, d) array_like, optional
        Collapse operators :math:`L_k` (square roots of the rates folded in, as QuTiP).
    rates : (B, K) array_like, optional
        Non-negative rates :math:`\gamma_{k,b}`: collapse operator k of member b is
        :math:`\sqrt{\gamma_{k,b}}\,L_k`. A (B,) array scales every collapse operator alike.
    e_ops : sequence of (d, d) array_like, or dict name -> operator, optional
        Observables (shared).
    rtol, atol : float
        Tolerances of each member's RMS error norm (the step is accepted when the worst member's
        norm is at most 1).
    max_steps : int
    store_states : bool
        Keep the states at every output time.

    Returns
    -------
    BatchResult
        ``states`` (B, T, d, d) or None, ``expect`` list of (B, T) arrays (real for Hermitian
        observables), ``final_state`` (B, d, d); ``stats`` with ``nfev``, ``nsteps``,
        ``nrejected``, ``batch``.
    """
    t = check_times(tlist, "tlist")
    rtol, atol, max_steps, store_states = _batch_options(rtol, atol, max_steps, store_states)
    Hs, Ls, d = _generators(H, c_ops)
    r0, Ls, B = _batch_states_and_rates(rho0, Hs, Ls, d, rates)
    names = None
    if isinstance(e_ops, Mapping):
        names = [str(k) for k in e_ops]
        eops = [as_operator(f"e_ops[{k!r}]", O, d) for k, O in e_ops.items()]
    else:
        eops = [as_operator(f"e_ops[{k}]", O, d) for k, O in enumerate(e_ops or [])]
    herm = [bool(np.allclose(O, O.conj().T, atol=1e-12 * max(1.0, np.abs(O).max()))) for O in eops]
    # Tr[O rho] = sum_ij W_ij X_ij on the coordinates X = Re rho - Im rho
    W = np.array([0.5 * ((1 - 1j) * O.T + (1 + 1j) * O) for O in eops]).reshape(len(eops), d * d)

    n = d * d
    y = np.ascontiguousarray((r0.real - r0.imag).reshape(B, n))
    rhs = _batch_rhs(Hs, Ls, d, B)
    T = len(t)
    states = np.empty((B, T, n)) if store_states else None
    ex = np.zeros((len(eops), B, T), dtype=complex)
    final = np.empty((B, n))

    def output(i: int, x: np.ndarray) -> None:
        if states is not None:
            states[:, i] = x
        if eops:
            ex[:, :, i] = W @ x.T
        if i == T - 1:
            final[...] = x

    start = time.perf_counter()
    with blas_threads(1):
        nfev, nsteps, nrej = _dopri5_batch(rhs, y, t, output, rtol, atol, max_steps)
    wall = time.perf_counter() - start

    def to_rho(x: np.ndarray) -> np.ndarray:
        X = x.reshape(*x.shape[:-1], d, d)
        return 0.5 * ((1 - 1j) * X + (1 + 1j) * np.swapaxes(X, -1, -2))

    expect = [ex[k].real.copy() if herm[k] else ex[k].copy() for k in range(len(eops))]
    if names is not None:
        expect = dict(zip(names, expect, strict=True))
    return BatchResult(
        times=t,
        states=None if states is None else to_rho(states),
        expect=expect,
        final_state=to_rho(final),
        stats={
            "nfev": nfev,
            "nsteps": nsteps,
            "nrejected": nrej,
            "method": "dopri5 (shared step, worst-member error)",
            "batch": B,
            "wall_time": wall,
        },
        meta=make_meta(
            "mesolve_batch",
            rtol=rtol,
            atol=atol,
            dim=d,
            batch=B,
            n_jumps=len(Ls),
            t0=float(t[0]),
            t1=float(t[-1]),
            n_times=T,
        ),
    )


def _dopri5_batch(rhs, y, t, output, rtol, atol, max_steps) -> tuple[int, int, int]:
    """Dormand-Prince 5(4) on y (B, n), one shared step, error = max over members of RMS norms."""
    T = len(t)
    output(0, y)
    if T == 1 or t[-1] == t[0]:
        for i in range(1, T):
            output(i, y)
        return 0, 0, 0
    kk = np.empty((7, *y.shape))  # stages, combined by one BLAS product each
    k = kk
    k[0] = rhs(y)
    nfev = 1
    span = t[-1] - t[0]
    # initial step (Hairer, Norsett & Wanner II.4)
    sc = atol + rtol * np.abs(y)
    d0 = np.sqrt(np.mean((y / sc) ** 2))
    d1 = np.sqrt(np.mean((k[0] / sc) ** 2))
    h = 0.01 * d0 / d1 if d0 > 1e-5 and d1 > 1e-5 else 1e-6
    h = min(h, span)
    tc = t[0]
    i_out = 1
    nsteps = nrej = 0
    while i_out < T:
        if nsteps + nrej >= max_steps:
            raise RuntimeError(
                f"mesolve_batch: more than max_steps = {max_steps} steps (t = {tc:.6g})"
            )
        h = min(h, t[-1] - tc)
        for s in range(1, 6):
            k[s] = rhs(y + h * np.tensordot(_A_ROWS[s][:s], kk[:s], axes=1))
        y_new = y + h * np.tensordot(_B, kk[:6], axes=1)
        k[6] = rhs(y_new)
        nfev += 6
        err = h * np.tensordot(_E, kk, axes=1)
        scale = atol + rtol * np.maximum(np.abs(y), np.abs(y_new))
        if not np.all(np.isfinite(y_new)):
            raise RuntimeError(f"mesolve_batch: non-finite state at t = {tc:.6g} (step {h:.3g})")
        en = float(np.sqrt(np.mean((err / scale) ** 2, axis=1)).max())
        if en <= 1.0:
            t_new = tc + h
            while i_out < T and t[i_out] <= t_new + 1e-12 * abs(t_new):
                theta = (t[i_out] - tc) / h
                if theta >= 1.0 - 1e-14:
                    output(i_out, y_new)
                else:
                    powers = np.array([theta, theta**2, theta**3, theta**4])
                    coef = _P @ powers
                    output(i_out, y + h * np.tensordot(coef, kk, axes=1))
                i_out += 1
            y, tc = y_new, t_new
            k[0] = k[6]
            nsteps += 1
            fac = 0.9 * en**-0.2 if en > 0 else 10.0
            h *= min(10.0, max(0.2, fac))
        else:
            nrej += 1
            h *= max(0.2, 0.9 * en**-0.2)
    return nfev, nsteps, nrej
