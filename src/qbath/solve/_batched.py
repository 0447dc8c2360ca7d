r"""Batched master equations: many small GKSL problems in one vectorised integration.

:func:`mesolve_batch` solves B problems

.. math:: \dot\rho_b = -i[H_b, \rho_b] + \sum_k \Big(L_{k,b}\rho_b L_{k,b}^\dagger
          - \tfrac12\{L_{k,b}^\dagger L_{k,b}, \rho_b\}\Big),\qquad b = 1, \dots, B,

that share a Hilbert-space dimension and a time grid: Hamiltonians of shape (B, d, d), collapse
operators of shape (B, d, d) (or shared (d, d), optionally scaled by ``rates`` of shape (B, K)),
initial states of shape (B, d, d). Results carry the batch axis first.

How: every generator maps Hermitian matrices to Hermitian matrices, so on the real coordinates
:math:`X = \mathrm{Re}\,\rho - \mathrm{Im}\,\rho` (:func:`qbath.generators.matrix_to_coordinates`)
it is a real :math:`d^2\times d^2` matrix :math:`M_b`. For :math:`d \le 8` (and for the implicit
methods at any d) the B matrices are built once and the right-hand side is one batched real matrix
product; for larger d it is applied in matrix form with batched complex products
(:math:`X + X^\dagger`, :math:`X = -iH_\mathrm{eff}\rho + \frac12\sum_k L_k\rho L_k^\dagger`).

Integrator: the ODE layer (:mod:`qbath.ode`), on the whole batch stacked into one (B, d^2) state
with one step size shared by the batch. With :class:`~qbath.ode.Dopri5` (the default;
Dormand & Prince, "A family of embedded Runge-Kutta formulae", 1980) a step is accepted when the
*largest* over the members of each member's RMS norm
``err / (atol + rtol * max(|y_old|, |y_new|))`` is at most 1 (the layer's ``norm`` hook), so every
member meets the tolerance it would meet alone (the shared step is the smallest any member needs).
SciPy's steppers (:class:`~qbath.ode.DOP853`, :class:`~qbath.ode.BDF`) take the RMS over the whole
stacked state; they run at ``rtol / sqrt(B)``, ``atol / sqrt(B)``, which gives the same guarantee
(the batch RMS at these tolerances is the root of the sum of the members' squared norms), at the
price of smaller steps. :class:`~qbath.ode.RK4` takes the same fixed steps as for one member.
BDF gets the block-diagonal sparse Jacobian of the :math:`M_b`.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._checks import (
    as_density_stack,
    as_numeric_array,
    as_operator,
    check_bool,
    check_real_scalar,
)
from .._errors import InputError, NonUniqueSteadyStateError
from .._meta import make_meta
from .._result import dataset_from_parts, expect_items
from ..generators import coordinates_to_matrix, matrix_to_coordinates
from ..ode import Dopri5, Method, check_method, check_times
from ._blas import blas_threads
from ._results import Result

__all__ = ["BatchResult", "mesolve_batch", "steady_state_batch", "propagator_batch"]

#: below or at this dimension the batched real superoperators are built
SUPEROP_MAX_DIM = 8
#: tolerances of SciPy's steppers are divided by sqrt(B), but not below this relative tolerance
#: (SciPy raises smaller ones to 100 machine epsilons with a warning)
RTOL_FLOOR = 100 * np.finfo(float).eps


@dataclass(frozen=True, eq=False, repr=False)
class BatchResult(Result):
    """Output of :func:`mesolve_batch`: a :class:`Result` whose arrays carry the batch axis first,
    ``states`` (B, T, d, d), ``expect`` (B, T) each, ``final_state`` (B, d, d)."""

    def member(self, b: int) -> Result:
        """Member ``b`` as an unbatched :class:`Result` (its arrays; the batch's stats and meta)."""
        B = self.final_state.shape[0]
        if (
            isinstance(b, (bool, np.bool_))
            or not isinstance(b, (int, np.integer))
            or not (-B <= b < B)
        ):
            raise InputError(f"b: expected a member index in [0, {B}), got {b!r}")
        expect: Any = [e[b] for e in self.expect] if isinstance(self.expect, list) else None
        if expect is None:
            expect = {k: v[b] for k, v in self.expect.items()}
        return Result(
            times=self.times,
            states=None if self.states is None else self.states[b],
            expect=expect,
            final_state=self.final_state[b],
            stats=dict(self.stats),
            meta={**self.meta, "member": int(b)},
        )

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

    Row-major vec: :math:`\mathrm{vec}(A\rho B) = (A\otimes B^T)\mathrm{vec}\rho`, so the complex
    superoperator is :math:`-i H_\mathrm{eff}\otimes 1 + i\,1\otimes\bar H_\mathrm{eff}
    + \sum_k L_k\otimes\bar L_k`; the jump part is one batched product of the stacked
    :math:`\mathrm{vec}\,L_k`, the Hamiltonian part is written into its d diagonal blocks.
    """
    B = max([H.shape[0]] + [L.shape[0] for L in Ls])
    n = d * d
    if Ls:
        Lk = np.stack([np.broadcast_to(L, (B, d, d)) for L in Ls], axis=1)  # (B, K, d, d)
    else:
        Lk = np.zeros((B, 0, d, d), dtype=complex)
    vecs = Lk.reshape(B, -1, n)
    # sum_k vec(L_k) vec(conj L_k)^T has entries [(i, j), (m, l)]; L (x) conj L has [(i, m), (j, l)]
    Lc = (np.swapaxes(vecs, 1, 2) @ vecs.conj()).reshape(B, d, d, d, d).transpose(0, 1, 3, 2, 4)
    Lc = np.ascontiguousarray(Lc)
    heff = np.broadcast_to(H - 0.5j * (_dag(Lk) @ Lk).sum(axis=1), (B, d, d))
    for k in range(d):
        Lc[:, :, k, :, k] -= 1j * heff
        Lc[:, k, :, k, :] += 1j * np.conj(heff)
    # coordinate basis: column k is vec(rho_k) of the unit coordinate matrix e_k
    R = coordinates_to_matrix(np.eye(n).reshape(n, d, d)).reshape(n, n).T
    Y = Lc.reshape(B * n, n) @ R
    return np.ascontiguousarray(matrix_to_coordinates(Y).reshape(B, n, n))


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
    """Common batch size B (of H, c_ops, rates and ``extra``, the number of initial states);
    collapse operators scaled by sqrt(rates) (B, K) or (B,)."""
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


def _small_generators(
    H: Any, c_ops: Sequence[Any] | None, rates: Any, what: str
) -> tuple[np.ndarray, int, int]:
    """The real generators (B, d^2, d^2) of a batch with d <= SUPEROP_MAX_DIM, d and B."""
    Hs, Ls, d = _generators(H, c_ops)
    if d > SUPEROP_MAX_DIM:
        raise InputError(f"H: expected d <= {SUPEROP_MAX_DIM} for the batched {what}, got d = {d}")
    Ls, B = _apply_rates(Hs, Ls, rates)
    return np.broadcast_to(_real_superops(Hs, Ls, d), (B, d * d, d * d)), d, B


def _refuse_degenerate(null: np.ndarray) -> None:
    """NonUniqueSteadyStateError naming the first member whose null space has dimension > 1."""
    bad = np.flatnonzero(null > 1)
    if bad.size == 0:
        return
    b, m = int(bad[0]), int(null[bad[0]])
    message = f"the generator has a {m}-dimensional space of steady states"
    raise NonUniqueSteadyStateError(
        f"batch member {b}: {message}; solve it alone with qbath.steady_state(system, rho0=rho0)", m
    )


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
        with ``qbath.steady_state(system, rho0=rho0)``).
    """
    tol = check_real_scalar("tol", tol, minimum=0.0, strict=True)
    M, d, _ = _small_generators(H, c_ops, rates, "steady state")
    with blas_threads(1):
        _, sv, vh = np.linalg.svd(M)
    _refuse_degenerate(np.sum(sv <= tol * np.maximum(sv[:, :1], 1e-300), axis=1))
    rho = coordinates_to_matrix(vh[:, -1].reshape(-1, d, d))
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
    M, d, B = _small_generators(H, c_ops, rates, "propagator")
    with blas_threads(1):
        P = sla.expm(M * t)
    n = d * d
    # the matrix units E_jk, in column-stacking order (index j + d k)
    E = np.eye(n).reshape(n, d, d).transpose(0, 2, 1).astype(complex)
    h1 = matrix_to_coordinates(0.5 * (E + _dag(E))).reshape(n, n).T
    h2 = matrix_to_coordinates(-0.5j * (E - _dag(E))).reshape(n, n).T
    img = coordinates_to_matrix(np.swapaxes(P @ h1, -1, -2).reshape(B, n, d, d))
    img = img + 1j * coordinates_to_matrix(np.swapaxes(P @ h2, -1, -2).reshape(B, n, d, d))
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
    Ls, B = _apply_rates(Hs, Ls, rates, extra=r0.shape[0])
    return np.broadcast_to(r0, (B, d, d)), Ls, B


class BatchRHS:
    """The right-hand side ``f(t, y, out)`` of the ODE layer on the real coordinates
    X = Re rho - Im rho of the whole batch, ``y`` of shape (B, d^2).

    With ``superops`` the (B, d^2, d^2) real generators are built once and applied as one batched
    product (``matrix`` is then their block-diagonal sparse matrix, the Jacobian of the implicit
    methods); otherwise the batched matrix form (module docstring).
    """

    def __init__(self, Hs: np.ndarray, Ls: list[np.ndarray], d: int, B: int, superops: bool):
        self.d, self.B = d, B
        self.superops = superops
        n = d * d
        if superops:
            M = np.broadcast_to(_real_superops(Hs, Ls, d), (B, n, n))
            self._Mt = np.ascontiguousarray(np.swapaxes(M, -1, -2))
            return
        K = sum(_dag(L) @ L for L in Ls) if Ls else np.zeros((1, d, d))
        self._mih = -1j * (Hs - 0.5j * K)
        self._half = [np.sqrt(0.5) * L for L in Ls]

    @property
    def matrix(self) -> sp.csr_matrix:
        """Block-diagonal (B d^2, B d^2) sparse matrix of the real generators (``superops`` only)."""
        B, n = self.B, self.d * self.d
        rows = np.broadcast_to(
            np.arange(B)[:, None, None] * n + np.arange(n)[None, :, None], (B, n, n)
        )
        cols = np.swapaxes(rows, 1, 2)
        M = np.swapaxes(self._Mt, -1, -2)
        return sp.csr_matrix((M.ravel(), (rows.ravel(), cols.ravel())), shape=(B * n, B * n))

    def __call__(self, t: float, y: np.ndarray, out: np.ndarray) -> None:
        if self.superops:
            np.matmul(y[:, None, :], self._Mt, out=out[:, None, :])
            return
        rho = coordinates_to_matrix(y.reshape(self.B, self.d, self.d))
        G = self._mih @ rho
        for L in self._half:
            G += L @ rho @ _dag(L)
        G += _dag(G)
        out[...] = matrix_to_coordinates(G).reshape(out.shape)


def _worst_member_norm(B: int) -> Any:
    """Error norm of the stacked batch: the largest of the members' RMS norms."""

    def norm(e: np.ndarray) -> float:
        e = e.reshape(B, -1)
        return math.sqrt(float(np.einsum("bi,bi->b", e, e).max()) / e.shape[1])

    return norm


def _batch_method(method: Method, B: int) -> tuple[Method, Any, str]:
    """The method the stacked state is integrated with, its error norm and a description."""
    if method.accepts_norm:
        return method, _worst_member_norm(B), "largest member RMS"
    names = {f.name for f in dataclasses.fields(method)}  # type: ignore[arg-type]
    if B == 1 or not {"rtol", "atol"} <= names:
        return method, None, "per member as unbatched"
    s = 1.0 / math.sqrt(B)
    scaled = dataclasses.replace(
        method,  # type: ignore[type-var]
        rtol=max(method.rtol * s, min(RTOL_FLOOR, method.rtol)),  # type: ignore[attr-defined]
        atol=method.atol * s,  # type: ignore[attr-defined]
    )
    return scaled, None, "batch RMS at rtol/sqrt(B), atol/sqrt(B)"


def _method_option(method: Method | None, rtol: Any, atol: Any, max_steps: Any) -> Method:
    """``method``, or Dopri5 with the shorthand options ``rtol``, ``atol``, ``max_steps``."""
    given = {
        k: v for k, v in (("rtol", rtol), ("atol", atol), ("max_steps", max_steps)) if v is not None
    }
    if method is None:
        return Dopri5(**given)
    if given:
        raise InputError(
            f"{next(iter(given))}: expected no {', '.join(given)} with method= (they are the "
            f"method's options: pass method={type(method).__name__}(...)), got {given}"
        )
    return check_method(method)


def _expect_weights(e_ops: Any, d: int) -> tuple[np.ndarray, list[bool], list[str] | None]:
    """Observables as rows W (E, d^2) with Tr[O rho] = W @ X on the coordinates X; Hermitian?"""
    names = None
    if isinstance(e_ops, Mapping):
        names = [str(k) for k in e_ops]
        eops = [as_operator(f"e_ops[{k!r}]", O, d) for k, O in e_ops.items()]
    else:
        eops = [as_operator(f"e_ops[{k}]", O, d) for k, O in enumerate(e_ops or [])]
    herm = [bool(np.allclose(O, O.conj().T, atol=1e-12 * max(1.0, np.abs(O).max()))) for O in eops]
    # Tr[O rho] = sum_ij W_ij X_ij on the coordinates X = Re rho - Im rho
    W = np.array([0.5 * ((1 - 1j) * O.T + (1 + 1j) * O) for O in eops]).reshape(len(eops), d * d)
    return W, herm, names


def mesolve_batch(
    H: Any,
    rho0: Any,
    tlist: Sequence[float] | np.ndarray,
    c_ops: Sequence[Any] | None = None,
    *,
    rates: Any | None = None,
    e_ops: Sequence[Any] | None = None,
    method: Method | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    max_steps: int | None = None,
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
    method : qbath.ode.Method, optional
        Integration method, as for :func:`qbath.mesolve`: ``Dopri5(...)`` (default), ``DOP853(...)``,
        ``RK4(dt=...)`` or ``BDF(...)``; one step size is shared by the batch (module docstring
        for how the error is taken over the members).
    rtol, atol, max_steps : float, float, int, optional
        Shorthand for ``method=Dopri5(rtol=..., atol=..., max_steps=...)`` (defaults 1e-6, 1e-8,
        100000): tolerances of each member's RMS error norm (a step is accepted when the worst
        member's norm is at most 1). Not together with ``method``.
    store_states : bool
        Keep the states at every output time.

    Returns
    -------
    BatchResult
        ``states`` (B, T, d, d) or None, ``expect`` list of (B, T) arrays (real for Hermitian
        observables), ``final_state`` (B, d, d); ``stats`` with ``nfev``, ``nsteps``,
        ``nrejected``, ``method``, ``error_norm``, ``batch``. ``member(b)`` gives member b alone.
    """
    t = check_times(tlist, "tlist")
    method = _method_option(method, rtol, atol, max_steps)
    store_states = check_bool("store_states", store_states)
    Hs, Ls, d = _generators(H, c_ops)
    r0, Ls, B = _batch_states_and_rates(rho0, Hs, Ls, d, rates)
    W, herm, names = _expect_weights(e_ops, d)
    rhs = BatchRHS(Hs, Ls, d, B, superops=d <= SUPEROP_MAX_DIM or method.implicit)
    run, norm, how = _batch_method(method, B)

    n, T = d * d, len(t)
    states = np.empty((B, T, n)) if store_states else None
    ex = np.zeros((len(W), B, T), dtype=complex)
    final = np.empty((B, n))

    def observe(i: int, x: np.ndarray) -> None:
        if states is not None:
            states[:, i] = x
        if len(W):
            ex[:, :, i] = W @ x.T
        if i == T - 1:
            final[...] = x

    y0 = np.ascontiguousarray(matrix_to_coordinates(r0).reshape(B, n))
    start = time.perf_counter()
    with blas_threads(1):
        stats = run.integrate(
            rhs, y0, t, observe, jac=rhs.matrix if run.implicit else None, norm=norm
        )
    wall = time.perf_counter() - start
    expect: Any = [ex[k].real.copy() if herm[k] else ex[k].copy() for k in range(len(W))]
    if names is not None:
        expect = dict(zip(names, expect, strict=True))
    options = method.options()
    return BatchResult(
        times=t,
        states=None if states is None else coordinates_to_matrix(states.reshape(B, T, d, d)),
        expect=expect,
        final_state=coordinates_to_matrix(final.reshape(B, d, d)),
        stats={**stats.as_dict(), "error_norm": how, "batch": B, "wall_time": wall},
        meta=make_meta(
            "mesolve_batch",
            method=options.pop("name"),
            **options,
            dim=d,
            batch=B,
            n_jumps=len(Ls),
            t0=float(t[0]),
            t1=float(t[-1]),
            n_times=T,
        ),
    )
