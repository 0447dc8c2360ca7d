r"""Collision maps (exact and second order), evolution with the thermodynamic ledger, steady states.

Exact collision (seed 001, Eqs. 13-16)
    :math:`\rho_S(i+1) = \mathrm{Tr}_E[U(\rho_S\otimes\eta)U^\dagger]`,
    :math:`U = e^{-i\delta t (H_S + H_E + H_{SE})}`. With :math:`\eta=\sum_k p_k|\phi_k\rangle\langle\phi_k|`
    the map has Kraus operators :math:`K_{ek} = \sqrt{p_k}\,\langle e|U|\phi_k\rangle` (d_S x d_S),
    built once per system Hamiltonian.

Second-order discrete master equation (Eqs. 21-27)
    :math:`\rho_S(i+1) = (\mathcal L_0+\mathcal L_1+\mathcal L_2)\rho_S(i)`, the trace over E of the
    expansion of :math:`U R U^\dagger` to :math:`\delta t^2`, written with the correlation
    coefficients :math:`g_\alpha=\mathrm{Tr}[B_\alpha\eta]` (25),
    :math:`g_{\alpha\beta}=\mathrm{Tr}[B_\beta^\dagger B_\alpha\eta]` (26) and
    :math:`g_{\alpha H_E}=\mathrm{Tr}[H_E B_\alpha\eta]` (27):

    .. math::
        \mathcal L_1\rho &= -i\delta t[H_S + H_{\rm eff}, \rho],\qquad H_{\rm eff}=\sum_\alpha g_\alpha A_\alpha,\\
        \mathcal L_2\rho &= \tfrac{\delta t^2}{2}\Big(2H_1\rho H_1 - \{H_1^2,\rho\}
            - 2H_{\rm eff}\rho H_{\rm eff} + \{H_{\rm eff}^2,\rho\}
            + \sum_{\alpha\beta} g_{\alpha\beta}\big(2A_\alpha\rho A_\beta^\dagger - \{A_\beta^\dagger A_\alpha,\rho\}\big)
            + \sum_\alpha[g_{\alpha H_E}A_\alpha - g^*_{\alpha H_E}A_\alpha^\dagger,\rho]\Big)

    with :math:`H_1 = H_S + H_{\rm eff}` (the first two groups expand to Eq. 24's
    :math:`H_S`-:math:`H_S` and :math:`H_S`-:math:`A` terms). This uses only that
    :math:`H_{SE}` is Hermitian, not that each pair is.

Both maps are stored as :math:`\Phi(\rho) = P\rho + \rho Q + \sum_k L_k\rho R_k` and, for small
:math:`d_S`, as a column-stacking superoperator (``vec`` stacks columns, as QuTiP).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .._checks import (
    as_numeric_array,
    as_operator,
    as_state,
    check_bool,
    check_hermitian,
    check_int,
    check_real_scalar,
)
from .._errors import InputError, NonUniqueSteadyStateError, PositivityWarning, QbathWarning
from .._meta import make_meta
from .._result import compute_expect
from .._states import expect_values, thermal_log, xlogx
from ..generators import (
    Degenerate,
    HermitianCoordinates,
    choi_matrix,
    coordinates_to_matrix,
    direct_fixed_point,
    krylov_fixed_point,
    matrix_to_coordinates,
    sandwich_superoperator,
)
from ._model import CollisionModel
from ._result import CollisionResult

__all__ = [
    "Coefficients",
    "coefficients",
    "kraus",
    "superoperator",
    "choi",
    "evolve",
    "steady_state",
    "steady_state_batch",
    "evolve_batch",
    "second_order_ledger",
]

#: build the dense superoperator only up to this system dimension (d_S^4 complex entries)
_SUPEROP_MAX_DIM = 16
_METHODS = ("exact", "second_order")


def _check_model(model: Any) -> CollisionModel:
    if not isinstance(model, CollisionModel):
        raise InputError(
            "model: expected a qbath.collision.CollisionModel (e.g. from structured_example1), got "
            f"{type(model).__name__} {model!r}"[:200]
        )
    return model


def _check_method(method: str) -> str:
    if method not in _METHODS:
        raise InputError(f"method: expected one of {_METHODS}, got {method!r}")
    return method


# ----------------------------------------------------------------------------------------------
# correlation coefficients (Eqs. 25-27)
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Coefficients:
    r"""Correlation coefficients of the ancilla (seed 001, Eqs. 25-27), for the pairs
    :math:`(A_\alpha, B_\alpha)` of ``model.terms``.

    Attributes
    ----------
    g : (n,) complex ndarray
        :math:`g_\alpha = \mathrm{Tr}[B_\alpha\eta]` (Eq. 25).
    g_pair : (n, n) complex ndarray
        :math:`g_{\alpha\beta} = \mathrm{Tr}[B_\beta^\dagger B_\alpha\eta]` (Eq. 26); a positive
        semidefinite Gram matrix.
    g_he : (n,) complex ndarray
        :math:`g_{\alpha H_E} = \mathrm{Tr}[H_E B_\alpha\eta]` (Eq. 27).
    h_eff : (d_S, d_S) complex ndarray
        Driving Hamiltonian of :math:`\mathcal L_1`: :math:`H_{\rm eff} = \sum_\alpha g_\alpha A_\alpha`
        (Eq. 23; Eq. 54 for Example 2). Non-zero only when :math:`\eta` has coherence in the
        eigenbasis of the :math:`B_\alpha`, i.e. for structured ancillae.
    a_ops : (n, d_S, d_S) ndarray
        The system operators :math:`A_\alpha`.
    b_ops : (n, d_E, d_E) ndarray
        The ancilla operators :math:`B_\alpha`.
    """

    g: np.ndarray
    g_pair: np.ndarray
    g_he: np.ndarray
    h_eff: np.ndarray
    a_ops: np.ndarray
    b_ops: np.ndarray


def coefficients(model: CollisionModel) -> Coefficients:
    """Correlation coefficients g (Eq. 25), g_pair (Eq. 26), g_he (Eq. 27) and H_eff of a model."""
    _check_model(model)
    A = np.array([a for a, _ in model.terms]).reshape(-1, model.d_s, model.d_s)
    B = np.array([b for _, b in model.terms]).reshape(-1, model.d_e, model.d_e)
    eta = model.eta
    g = np.einsum("kij,ji->k", B, eta)
    Bd = np.conj(np.swapaxes(B, -1, -2))
    g_pair = np.einsum("bij,ajk,ki->ab", Bd, B, eta)
    g_he = np.einsum("ij,kjl,li->k", model.h_e, B, eta)
    h_eff = np.einsum("k,kij->ij", g, A)
    h_eff = 0.5 * (h_eff + h_eff.conj().T)  # Hermitian by construction; remove round-off
    return Coefficients(g, g_pair, g_he, h_eff, A, B)


# ----------------------------------------------------------------------------------------------
# channels
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _Channel:
    r""":math:`\Phi(\rho)=P\rho+\rho Q+\sum_k L_k\rho R_k` plus what the ledger needs.

    ``eta_out[a, b]`` is the ancilla state after the collision from :math:`|a\rangle\langle b|`, so
    :math:`\eta_{out} = \sum_{ab}\rho_{ab}\,\mathrm{eta\_out}[a,b]`. ``heat`` and ``switching`` are
    coefficient matrices :math:`c_{ab}` of the linear functionals :math:`\sum_{ab}\rho_{ab}c_{ab}`
    giving :math:`\delta Q` and :math:`W_{sw}` of one collision started from :math:`\rho`.
    """

    h_s: np.ndarray
    P: np.ndarray | None
    Q: np.ndarray | None
    L: np.ndarray
    R: np.ndarray
    eta_out: np.ndarray | None
    heat: np.ndarray | None
    switching: np.ndarray | None
    superop: np.ndarray | None

    def apply(self, rho: np.ndarray) -> np.ndarray:
        out = (
            np.einsum("kij,jl,klm->im", self.L, rho, self.R, optimize=True)
            if len(self.L)
            else np.zeros_like(rho)
        )
        if self.P is not None:
            out = out + self.P @ rho + rho @ self.Q
        return out


def _pre_functional(O: np.ndarray, eta: np.ndarray, d_s: int, d_e: int) -> np.ndarray:
    r"""c_{ab} with :math:`\mathrm{Tr}[O(\rho\otimes\eta)] = \sum_{ab}\rho_{ab}c_{ab}`."""
    T = O.reshape(d_s, d_e, d_s, d_e)
    # Tr[O (|a><b| (x) eta)] = sum_{e,f} O[b e, a f] eta[f e]
    return np.einsum("bear,re->ab", T, eta)


def _exact_channel(
    model: CollisionModel, h_s: np.ndarray, superop: bool, ledger: bool = True
) -> _Channel:
    d_s, d_e = model.d_s, model.d_e
    H = model.total_hamiltonian(h_s)
    w, v = np.linalg.eigh(H)
    U = (v * np.exp(-1j * model.dt * w)) @ v.conj().T
    p, phi = np.linalg.eigh(model.eta)
    keep = p > 1e-14
    p, phi = p[keep], phi[:, keep]
    r = p.size
    # V[s, e, a, k] = <s e| U |a phi_k>
    V = np.einsum("seaf,fk->seak", U.reshape(d_s, d_e, d_s, d_e), phi)
    sq = np.sqrt(p)
    kr = np.transpose(V * sq, (1, 3, 0, 2)).reshape(d_e * r, d_s, d_s)  # K_{ek}[s, a]
    kr_d = np.conj(np.swapaxes(kr, -1, -2))
    S = sandwich_superoperator(kr, kr_d) if superop else None
    if not ledger:  # the map alone (kraus, superoperator, steady_state)
        return _Channel(h_s, None, None, kr, kr_d, None, None, None, S)
    eta_out = np.einsum("seak,sfbk,k->abef", V, V.conj(), p, optimize=True)
    # post-collision functionals: Tr[O U(|a><b| (x) eta)U^dag] = sum_k p_k <b,k|U^dag O U|a,k>
    W = V.reshape(d_s * d_e, d_s * r)

    def post(O: np.ndarray) -> np.ndarray:
        M = (W.conj().T @ O @ W).reshape(d_s, r, d_s, r)
        return np.einsum("bkak,k->ab", M, p)

    e_in = np.trace(model.h_e @ model.eta).real
    h_e_full = np.kron(np.eye(d_s), model.h_e)
    heat = -post(h_e_full) + e_in * np.eye(d_s)
    switching = _pre_functional(model.h_se, model.eta, d_s, d_e) - post(model.h_se)
    return _Channel(h_s, None, None, kr, kr_d, eta_out, heat, switching, S)


def _second_order_pieces(model: CollisionModel, h_s: np.ndarray):
    """P, Q and the sandwich terms of the second-order map (module docstring)."""
    c = coefficients(model)
    dt, d = model.dt, model.d_s
    A, h_eff = c.a_ops, c.h_eff
    Ad = np.conj(np.swapaxes(A, -1, -2))
    h1 = h_s + h_eff
    # one-sided part: -i dt H1 - dt^2/2 (H1^2 - Heff^2 + sum g_ab A_b^dag A_a) + dt^2/2 sum (g_he A - g_he^* A^dag)
    gamma_sum = np.einsum("ab,bij,ajk->ik", c.g_pair, Ad, A)
    drive_he = np.einsum("k,kij->ij", c.g_he, A) - np.einsum("k,kij->ij", c.g_he.conj(), Ad)
    one = h1 @ h1 - h_eff @ h_eff + gamma_sum
    P = 0.5 * np.eye(d) - 1j * dt * h1 - 0.5 * dt**2 * one + 0.5 * dt**2 * drive_he
    Q = 0.5 * np.eye(d) + 1j * dt * h1 - 0.5 * dt**2 * one - 0.5 * dt**2 * drive_he
    # sandwiches: dt^2 (H1 rho H1 - Heff rho Heff + sum_ab g_ab A_a rho A_b^dag); diagonalise g_pair
    lam, u = np.linalg.eigh(0.5 * (c.g_pair + c.g_pair.conj().T))
    C = np.einsum("ak,aij->kij", u, A)
    L = [dt**2 * h1, -(dt**2) * h_eff] + [
        dt**2 * lam[k] * C[k] for k in range(lam.size) if abs(lam[k]) > 1e-15
    ]
    R = [h1, h_eff] + [C[k].conj().T for k in range(lam.size) if abs(lam[k]) > 1e-15]
    return P, Q, np.array(L), np.array(R)


def _expansion_functional(model: CollisionModel, h_s: np.ndarray, O: np.ndarray) -> np.ndarray:
    r"""c_{ab} of :math:`\mathrm{Tr}[O(\mathcal U_1+\mathcal U_2)(\rho\otimes\eta)]`
    :math:`= \mathrm{Tr}[(-i\delta t[O,H] + \tfrac{\delta t^2}{2}[H,[O,H]])\,(\rho\otimes\eta)]`."""
    H = model.total_hamiltonian(h_s)
    dt = model.dt
    OH = O @ H - H @ O
    X = -1j * dt * OH + 0.5 * dt**2 * (H @ OH - OH @ H)
    return _pre_functional(X, model.eta, model.d_s, model.d_e)


def _second_order_eta_out(model: CollisionModel, h_s: np.ndarray) -> np.ndarray:
    r"""``T[a, b] = Tr_S[(U_0+U_1+U_2)(|a><b| (x) eta)]``, shape (d_S, d_S, d_E, d_E)."""
    d_s, d_e, dt, eta = model.d_s, model.d_e, model.dt, model.eta
    H = model.total_hamiltonian(h_s)
    Ht = H.reshape(d_s, d_e, d_s, d_e)
    H2t = (H @ H).reshape(d_s, d_e, d_s, d_e)
    eye = np.eye(d_s)
    # Tr_S[Y X] with X = |a><b| (x) eta:  sum_s Y[s e, a f] eta[f g] delta_{s b} -> Y[b e a f] eta[f g]
    left = lambda Yt: np.einsum("beaf,fg->abeg", Yt, eta)  # noqa: E731
    right = lambda Yt: np.einsum("ef,bfag->abeg", eta, Yt)  # noqa: E731  Tr_S[X Y]
    HXH = np.einsum("seaf,fg,bgsh->abeh", Ht, eta, Ht, optimize=True)
    T = np.einsum("ab,eg->abeg", eye, eta).astype(complex)
    T = T - 1j * dt * (left(Ht) - right(Ht))
    T = T + 0.5 * dt**2 * (2 * HXH - left(H2t) - right(H2t))
    return T


def _second_order_channel(
    model: CollisionModel, h_s: np.ndarray, superop: bool, ledger: bool = True
) -> _Channel:
    P, Q, L, R = _second_order_pieces(model, h_s)
    d_s = model.d_s
    if not ledger:
        return _Channel(
            h_s,
            P,
            Q,
            L,
            R,
            None,
            None,
            None,
            sandwich_superoperator(L, R, P, Q) if superop else None,
        )
    h_e_full = np.kron(np.eye(d_s), model.h_e)
    heat = -_expansion_functional(model, h_s, h_e_full)
    switching = -_expansion_functional(model, h_s, model.h_se)
    S = sandwich_superoperator(L, R, P, Q) if superop else None
    return _Channel(h_s, P, Q, L, R, _second_order_eta_out(model, h_s), heat, switching, S)


def _check_second_order_dt(model: CollisionModel, h_s: np.ndarray) -> None:
    w = np.linalg.eigvalsh(model.total_hamiltonian(h_s))
    x = model.dt * (w[-1] - w[0]) / 2
    if x >= 1.0:
        raise InputError(
            f"dt: expected dt * (E_max - E_min)/2 < 1 for the second-order expansion (Eq. 15), got "
            f"{x:.3g} (dt = {model.dt}, spectral width of H = {w[-1] - w[0]:.4g}); use method='exact' "
            "or a smaller dt"
        )
    if x > 0.5:
        warnings.warn(
            f"dt * (E_max - E_min)/2 = {x:.3g}: the second-order map is a poor approximation here",
            QbathWarning,
            stacklevel=4,
        )


def _channel(
    model: CollisionModel,
    method: str,
    h_s: np.ndarray | None = None,
    superop: bool | None = None,
    ledger: bool = True,
) -> _Channel:
    h_s = model.h_s if h_s is None else h_s
    superop = model.d_s <= _SUPEROP_MAX_DIM if superop is None else superop
    if method == "exact":
        return _exact_channel(model, h_s, superop, ledger)
    _check_second_order_dt(model, h_s)
    return _second_order_channel(model, h_s, superop, ledger)


def kraus(model: CollisionModel) -> list[np.ndarray]:
    r"""Kraus operators :math:`K_{ek}=\sqrt{p_k}\langle e|U|\phi_k\rangle` of the exact collision map.

    Returns a list of :math:`d_E\,\mathrm{rank}(\eta)` arrays of shape (d_S, d_S) with
    :math:`\sum K^\dagger K = 1`.
    """
    _check_model(model)
    return list(_exact_channel(model, model.h_s, superop=False, ledger=False).L)


def superoperator(model: CollisionModel, method: str = "exact") -> np.ndarray:
    r"""The collision map as a (d_S^2, d_S^2) column-stacking superoperator:
    :math:`\mathrm{vec}(\rho_S(i+1)) = S\,\mathrm{vec}(\rho_S(i))`."""
    _check_model(model)
    return _channel(model, _check_method(method), superop=True, ledger=False).superop


def choi(model: CollisionModel, method: str = "exact") -> np.ndarray:
    r"""Choi matrix :math:`\sum_{ab}|a\rangle\langle b|\otimes\Phi(|a\rangle\langle b|)`, shape (d_S^2, d_S^2).

    The map is completely positive iff this is positive semidefinite. (The second-order map is
    not exactly CP: its Choi matrix has negative eigenvalues of order :math:`\delta t^4`.)
    """
    _check_model(model)
    return choi_matrix(superoperator(model, method))


# ----------------------------------------------------------------------------------------------
# evolution
# ----------------------------------------------------------------------------------------------
def _propagate(ch: _Channel, rho0: np.ndarray, n: int) -> np.ndarray:
    d = rho0.shape[0]
    out = np.empty((n + 1, d, d), dtype=complex)
    out[0] = rho0
    if n == 0:
        return out
    if ch.superop is not None:
        # powers S, S^2, ..., S^m by doubling (log2 m batched products), then blocks of m steps
        m = max(1, min(n, (1 << 22) // max(1, d**4)))
        S = ch.superop
        powers = S[None]
        while powers.shape[0] < m:
            top = powers[-1]  # S^len
            powers = np.concatenate([powers, powers[: m - powers.shape[0]] @ top], axis=0)
        v = rho0.reshape(-1, order="F")
        k = 0
        while k < n:
            steps = min(m, n - k)
            block = powers[:steps] @ v  # (steps, d^2)
            out[k + 1 : k + 1 + steps] = block.reshape(steps, d, d).transpose(0, 2, 1)
            v = block[-1]
            k += steps
    else:
        rho = rho0
        for k in range(n):
            rho = ch.apply(rho)
            out[k + 1] = rho
    # keep Hermitian to round-off
    return 0.5 * (out + np.conj(np.swapaxes(out, -1, -2)))


def _linear(states: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """sum_ab states[n, a, b] coef[a, b] for a stack, as one matrix-vector product."""
    n = states.shape[0]
    return (states.reshape(n, -1) @ coef.reshape(-1)).real


def driven_sequence(h_of_t: Any, n: int, dt: float) -> np.ndarray:
    r"""System Hamiltonians :math:`H_S((k + \tfrac12)\delta t)`, k = 0..n-1, of a driven collision
    model, shape (n, d_S, d_S): the drive sampled at the midpoint of each collision."""
    if not callable(h_of_t):
        raise InputError(
            f"h_of_t: expected a callable t -> (d_S, d_S), got {type(h_of_t).__name__}"
        )
    n = check_int("n", n)
    return np.stack([np.asarray(h_of_t((k + 0.5) * dt), dtype=complex) for k in range(n)])


def evolve(
    model: CollisionModel,
    rho0: Any,
    n_collisions: int,
    method: str = "exact",
    *,
    e_ops: Any | None = None,
    h_s_sequence: Any | None = None,
    store_ancilla: bool = False,
) -> CollisionResult:
    r"""Run ``n_collisions`` collisions and the thermodynamic ledger of each (seed 001, Sec. IV).

    Parameters
    ----------
    model : CollisionModel
    rho0 : (d_S, d_S) array_like or (d_S,) ket
        Initial system state.
    n_collisions : int
        Number of collisions n.
    method : {"exact", "second_order"}
        ``"exact"``: Eqs. 13-16 to machine precision. ``"second_order"``: the discrete master
        equation :math:`\mathcal L_0+\mathcal L_1+\mathcal L_2` (Eqs. 21-27); differs from the exact
        map by :math:`O(\delta t^3)` per collision.
    h_s_sequence : (n, d_S, d_S) array_like or callable, optional
        System Hamiltonian during each collision (entry k for collision k+1); the Hamiltonian
        before the first collision is ``model.h_s``. A callable ``h(t)`` is a driven system:
        collision k+1 uses :math:`H_S(t_k)` at the midpoint :math:`t_k = (k + \tfrac12)\delta t`
        of its time window (a piecewise-constant drive, exact as :math:`\delta t \to 0`). Changing it does external work
        :math:`\delta W = \mathrm{Tr}[(H_S(k{+}1) - H_S(k))\rho_S(k)]` (Eq. 64), a quench at the
        start of the collision.
    e_ops : sequence of (d_S, d_S) operators, or dict name -> operator, optional
        Observables recorded on every state: ``result.expect`` holds :math:`\mathrm{Tr}[O\rho_S(k)]`
        for k = 0..n, a list of (n+1,) arrays (a dict when ``e_ops`` is one), real for Hermitian
        observables. Others later: :func:`qbath.expect` ``(op, result.states)``.
    store_ancilla : bool
        Keep the outgoing ancilla states :math:`\eta^{out}` (n, d_E, d_E).

    Returns
    -------
    CollisionResult
        ``states`` (n+1, d_S, d_S) and, per collision k+1 (entry k), ``delta_u`` (Eq. 60),
        ``heat`` :math:`\delta Q = -\mathrm{Tr}[H_E(\eta^{out}-\eta)]` (Eq. 62), ``work`` (Eq. 64),
        ``switching_work`` :math:`W_{sw} = \mathrm{Tr}[H_{SE}(R - URU^\dagger)]` (Eq. 65),
        ``delta_entropy`` (Eq. 69), ``mutual_information`` :math:`I(S':E')`, ``relative_entropy``
        :math:`S(\eta^{out}\|\eta)`, ``entropy_production`` :math:`\Sigma = I + S(\eta^{out}\|\eta)`
        (Eq. 70), ``entropy_production_clausius`` :math:`\Delta S_S - \beta\,\delta Q` (Eq. 72; NaN
        without ``beta``) and ``first_law_residual`` :math:`\Delta U - \delta Q - \delta W - W_{sw}`.
        With ``"second_order"``, heat and switching work are the paper's second-order expressions
        (Eqs. 61, 63, 66), for which the first law also holds exactly.
    """
    start = time.perf_counter()
    _check_model(model)
    method = _check_method(method)
    rho0 = as_state("rho0", rho0, model.d_s)
    n = check_int("n_collisions", n_collisions)
    store_ancilla = check_bool("store_ancilla", store_ancilla)
    compute_expect(e_ops, rho0[None])  # validate the observables before the run
    d = model.d_s
    if h_s_sequence is None:
        ch = _channel(model, method)
        channels, idx = [ch], np.zeros(n, dtype=int)
        states = _propagate(ch, rho0, n)
        h_before = np.broadcast_to(model.h_s, (n, d, d))
        h_during = h_before
    else:
        if callable(h_s_sequence):
            h_s_sequence = driven_sequence(h_s_sequence, n, model.dt)
        seq = as_operator("h_s_sequence", h_s_sequence, d, allow_batch=True)
        if seq.shape != (n, d, d):
            raise InputError(
                f"h_s_sequence: expected shape ({n}, {d}, {d}) (one per collision), got {seq.shape}"
            )
        seq = check_hermitian("h_s_sequence", seq)
        uniq, idx = np.unique(seq.reshape(n, -1), axis=0, return_inverse=True)
        idx = np.asarray(idx).reshape(-1)
        channels = [_channel(model, method, u.reshape(d, d), superop=False) for u in uniq]
        states = np.empty((n + 1, d, d), dtype=complex)
        states[0] = rho0
        for k in range(n):
            states[k + 1] = channels[idx[k]].apply(states[k])
        states = 0.5 * (states + np.conj(np.swapaxes(states, -1, -2)))
        h_during = seq
        h_before = np.concatenate([model.h_s[None], seq[:-1]], axis=0)
    res = _ledger(model, method, states, channels, idx, h_before, h_during, store_ancilla)
    return replace(
        res, expect=compute_expect(e_ops, states), stats={"wall_time": time.perf_counter() - start}
    )


def _eigvalsh_stack(r: np.ndarray) -> np.ndarray:
    """Ascending eigenvalues of a stack of Hermitian matrices (closed form for 2 x 2)."""
    if r.shape[-1] == 2:
        a, d = r[..., 0, 0].real, r[..., 1, 1].real
        rad = np.sqrt((0.5 * (a - d)) ** 2 + np.abs(r[..., 0, 1]) ** 2)
        mid = 0.5 * (a + d)
        return np.stack([mid - rad, mid + rad], axis=-1)
    return np.linalg.eigvalsh(r)


def _relative_entropy_given(
    s_out: np.ndarray, eta_out: np.ndarray, eta: np.ndarray, log_eta: np.ndarray | None = None
) -> np.ndarray:
    r""":math:`S(\eta_{out}\|\eta) = -S(\eta_{out}) - \mathrm{Tr}[\eta_{out}\ln\eta]` for a stack
    ``eta_out`` (n, d, d).

    With ``log_eta`` (the exact :math:`\ln\eta = -\beta H_E - \ln Z` of a thermal ancilla) no
    eigenvalue of :math:`\eta` is cut. Otherwise :math:`\eta = \sum_j q_j|v_j\rangle\langle v_j|`
    and its support is decided by :math:`\eta` itself: :math:`q_j \le 10\,d\,\epsilon\max q`
    (round-off of its eigendecomposition) is outside, and weight
    :math:`\langle v_j|\eta_{out}|v_j\rangle` above the same level there gives ``inf``.
    """
    n, d = eta_out.shape[0], eta.shape[0]
    if log_eta is not None:
        cross = np.einsum("nij,ji->n", eta_out, log_eta).real
        return np.maximum(-s_out - cross, 0.0)
    q, V = np.linalg.eigh(eta)
    X = (eta_out.reshape(n * d, d) @ V).reshape(n, d, d)  # eta_out V
    w = (X * V.conj()[None]).sum(axis=1).real  # <v_j| eta_out |v_j>
    cut = 10 * d * np.finfo(float).eps * max(1.0, float(np.max(np.abs(q))))
    zero = q <= cut
    logq = np.log(np.where(zero, 1.0, q))
    val = np.maximum(-s_out - w @ np.where(zero, 0.0, logq), 0.0)
    return np.where(np.any(zero & (w > cut), axis=-1), np.inf, val)


def _ledger(
    model, method, states, channels, idx, h_before, h_during, store_ancilla
) -> CollisionResult:
    n = states.shape[0] - 1
    pre, post = states[:-1], states[1:]
    heat = np.empty(n)
    sw = np.empty(n)
    eta_out = np.empty((n, model.d_e, model.d_e), dtype=complex)
    single = len(channels) == 1
    for c, ch in enumerate(channels):
        m = slice(None) if single else idx == c
        sub = pre[m]
        k = sub.shape[0]
        if k == 0:
            continue
        heat[m] = _linear(sub, ch.heat)
        sw[m] = _linear(sub, ch.switching)
        eta_out[m] = (sub.reshape(k, -1) @ ch.eta_out.reshape(model.d_s**2, -1)).reshape(
            k, model.d_e, model.d_e
        )
    if store_ancilla:
        eta_out = 0.5 * (eta_out + np.conj(np.swapaxes(eta_out, -1, -2)))
    if single:
        e_all = _linear(states, (h_during[0] if n else model.h_s).T)
        e_post, e_pre = e_all[1:], e_all[:-1]
        work = np.zeros(n)
    else:
        e_post = expect_values(h_during, post)
        e_pre = expect_values(h_before, pre)
        work = expect_values(h_during - h_before, pre)
    delta_u = e_post - e_pre
    s_sys = -xlogx(_eigvalsh_stack(states)).sum(axis=-1)
    ds = np.diff(s_sys)
    s_eta = float(-xlogx(np.linalg.eigvalsh(model.eta)).sum())
    p_out = _eigvalsh_stack(eta_out)
    s_out = -xlogx(p_out).sum(axis=-1)
    mi = s_sys[1:] + s_out - s_sys[:-1] - s_eta
    log_eta = None
    if model.beta is not None and np.isfinite(model.beta) and model.is_thermal:
        log_eta = thermal_log(model.h_e, model.beta)
    rel = _relative_entropy_given(s_out, eta_out, model.eta, log_eta)
    if method == "second_order":
        lam_s = _eigvalsh_stack(states)[:, 0]
        lam_e = p_out[:, 0]
        bad_s = np.flatnonzero(lam_s < -1e-10)
        bad_e = lam_e < -1e-10
        if bad_s.size:
            warnings.warn(
                f"second-order map lost positivity: rho_S has eigenvalue {lam_s[bad_s[0]]:.3g} after "
                f"collision {bad_s[0]}; reduce dt or use method='exact'",
                PositivityWarning,
                stacklevel=3,
            )
        # the truncated outgoing ancilla state need not be positive: no entropies there
        mi = np.where(bad_e, np.nan, mi)
        rel = np.where(bad_e, np.nan, rel)
    sigma = mi + rel
    clausius = ds - model.beta * heat if model.beta is not None else np.full(n, np.nan)
    residual = delta_u - heat - work - sw
    meta = make_meta("collision.evolve", method=method, n_collisions=n, **model.describe())
    return CollisionResult(
        states=states,
        delta_u=delta_u,
        heat=heat,
        work=work,
        switching_work=sw,
        delta_entropy=ds,
        mutual_information=mi,
        relative_entropy=rel,
        entropy_production=sigma,
        entropy_production_clausius=clausius,
        first_law_residual=residual,
        method=method,
        dt=model.dt,
        h_s=np.asarray(h_during if n else model.h_s[None]),
        ancilla_states=eta_out if store_ancilla else None,
        expect=[],
        meta=meta,
    )


def second_order_ledger(model: CollisionModel, states: Any) -> dict[str, np.ndarray]:
    r"""The paper's second-order ledger (Eqs. 61, 63, 66) evaluated on a given trajectory.

    For each collision k+1 started from ``states[k]``:
    :math:`\Delta U^{(2)} = \mathrm{Tr}[H_S(\mathcal U_1+\mathcal U_2)(R)]`,
    :math:`\delta Q^{(2)} = -\mathrm{Tr}[H_E(\mathcal U_1+\mathcal U_2)(R)]`,
    :math:`W_{sw}^{(2)} = -\mathrm{Tr}[H_{SE}(\mathcal U_1+\mathcal U_2)(R)]` with
    :math:`R=\rho_S(k)\otimes\eta`. Evaluating it on an ``"exact"`` trajectory shows how far the
    second-order expressions sit from the exact ledger (:math:`O(\delta t^3)`).

    Returns a dict of (n,) arrays ``delta_u``, ``heat``, ``switching_work``.
    """
    _check_model(model)
    st = as_operator("states", states, model.d_s, allow_batch=True).reshape(
        -1, model.d_s, model.d_s
    )
    pre = st[:-1]
    d_s = model.d_s
    return {
        "delta_u": _linear(
            pre, _expansion_functional(model, model.h_s, np.kron(model.h_s, np.eye(model.d_e)))
        ),
        "heat": -_linear(
            pre, _expansion_functional(model, model.h_s, np.kron(np.eye(d_s), model.h_e))
        ),
        "switching_work": -_linear(pre, _expansion_functional(model, model.h_s, model.h_se)),
    }


#: ``steady_state(solver="auto")``: dense SVD up to this d_S, one dense LU up to _STEADY_LU_MAX_DIM,
#: matrix-free GMRES beyond
_STEADY_SVD_MAX_DIM = 8
_STEADY_LU_MAX_DIM = 32
#: largest d_S for which the superoperator is built (dense and direct solvers)
_STEADY_SUPEROP_MAX_DIM = 64
_STEADY_SOLVERS = ("auto", "dense", "direct", "iterative")


def steady_state(
    model: CollisionModel,
    method: str = "exact",
    tol: float = 1e-12,
    *,
    solver: str = "auto",
    rtol: float = 1e-12,
    maxiter: int = 400,
) -> np.ndarray:
    r"""Fixed point :math:`\Phi(\rho^*) = \rho^*` of the collision map, from the null space of
    :math:`\Phi - 1` (not from a long run).

    Parameters
    ----------
    model : CollisionModel
    method : {"exact", "second_order"}
        Which map (see :func:`evolve`).
    tol : float
        Relative threshold below which a singular value of :math:`S - 1` counts as zero.
    solver : {"auto", "dense", "direct", "iterative"}
        ``"dense"``: SVD of the (d_S^2, d_S^2) superoperator minus one; counts the fixed points.
        ``"direct"``: one LU factorisation of the real superoperator on Hermitian coordinates
        (:mod:`qbath.generators._nullspace`) with the trace condition, and a 1-norm condition
        estimate that detects a degenerate fixed-point space (memory :math:`8 d_S^4` bytes:
        d_S = 64 takes 134 MB). ``"iterative"``: matrix-free restarted GMRES on
        :math:`\Phi - 1 + w\,e\,\mathrm{Tr}` applying the Kraus form
        :math:`\sum_k K_k\rho K_k^\dagger` (memory a few :math:`d_S^2` arrays and the Krylov
        basis; used for d_S up to 256), with a second solve to test uniqueness. ``"auto"``: dense
        for d_S <= 8, direct for d_S <= 32, iterative beyond (measured on random maps at
        d_S = 64: 13 s direct, 0.5 s iterative; d_S = 256: 14 s iterative). Dense and direct
        are limited to d_S <= 64.
    rtol, maxiter : float, int
        Relative residual and restart cycles of GMRES.

    Raises :class:`~qbath.NonUniqueSteadyStateError` when the fixed points form a space of dimension
    > 1 (its dimension is counted by the dense solver, used for d_S <= 64 once a degenerate space is
    detected; beyond, "at least 2"). When the slowest relaxation rate per collision (the
    second-smallest singular value, or the LU condition estimate) is below ``1e-8`` the fixed point
    is ill-conditioned (accurate to about ``1e-16 / rate``) and a :class:`~qbath.QbathWarning` says
    so. Returns a (d_S, d_S) density matrix.
    """
    _check_model(model)
    method = _check_method(method)
    tol = check_real_scalar("tol", tol, minimum=0.0, strict=True)
    rtol = check_real_scalar("rtol", rtol, minimum=0.0, strict=True)
    maxiter = check_int("maxiter", maxiter, minimum=1)
    if solver not in _STEADY_SOLVERS:
        raise InputError(f"solver: expected one of {_STEADY_SOLVERS}, got {solver!r}")
    d = model.d_s
    if d > 256:
        raise InputError(
            f"model: expected d_S <= 256 for the fixed-point solve, got d_S = {d}; evolve the model instead"
        )
    if solver == "auto":
        solver = (
            "dense"
            if d <= _STEADY_SVD_MAX_DIM
            else "direct"
            if d <= _STEADY_LU_MAX_DIM
            else "iterative"
        )
    if solver in ("dense", "direct") and d > _STEADY_SUPEROP_MAX_DIM:
        raise InputError(
            f"solver: {solver!r} builds the (d_S^2, d_S^2) superoperator, limited to d_S <= "
            f"{_STEADY_SUPEROP_MAX_DIM}; got d_S = {d}: use solver='iterative'"
        )
    if solver == "iterative":
        return _steady_iterative(model, method, tol, rtol, maxiter)
    S = _channel(model, method, superop=True, ledger=False).superop
    if solver == "direct":
        return _steady_direct(model, method, tol, S)
    return _steady_dense(S, d, tol)


def _steady_iterative(
    model: CollisionModel, method: str, tol: float, rtol: float, maxiter: int
) -> np.ndarray:
    """Matrix-free GMRES on the Kraus form, with a second solve to test uniqueness."""
    d = model.d_s
    ch = _channel(model, method, superop=False, ledger=False)

    def apply(x: np.ndarray) -> np.ndarray:
        r = coordinates_to_matrix(x.reshape(d, d))
        y = ch.apply(r) - r
        return matrix_to_coordinates(0.5 * (y + y.conj().T)).reshape(-1)

    e1 = (np.eye(d) / d).reshape(-1)
    p = np.random.default_rng(12345).random(d) + 0.5
    e2 = np.diag(p / p.sum()).reshape(-1)
    try:
        x, _ = krylov_fixed_point(
            apply,
            d * d,
            lambda v: float(np.trace(v.reshape(d, d))),
            (e1, e2),
            weight=1.0,
            rtol=rtol,
            restart=int(np.clip(1e9 / (8 * d * d), 10, 50)),
            maxiter=maxiter,
        )
    except Degenerate:
        if d <= _STEADY_SUPEROP_MAX_DIM:
            return steady_state(model, method, tol, solver="dense")
        raise NonUniqueSteadyStateError(
            "the collision map has an at least 2-dimensional space of fixed points (two GMRES "
            "solves with different trace vectors differ); the steady state depends on the "
            "initial state: use evolve(...) from a chosen rho0",
            2,
        ) from None
    return _normalised(coordinates_to_matrix(x.reshape(d, d)))


def _steady_direct(model: CollisionModel, method: str, tol: float, S: np.ndarray) -> np.ndarray:
    """One LU factorisation on Hermitian coordinates with the trace condition."""
    d = model.d_s
    coords = HermitianCoordinates.build(d)
    M = coords.S @ (S - np.eye(d * d)) @ coords.T
    if np.abs(M.imag).max() > 1e-10 * max(1.0, np.abs(M).max()):  # pragma: no cover
        raise InputError("model: expected a Hermiticity-preserving collision map")
    try:
        x, est = direct_fixed_point(np.ascontiguousarray(M.real), coords.diag, tol)
    except Degenerate:
        return steady_state(model, method, tol, solver="dense")
    if est < 1e-8:
        warnings.warn(
            f"the collision map minus one has condition estimate {1 / est:.1e}: the steady "
            f"state is ill-conditioned (relative accuracy ~ {1e-16 / est:.0e})",
            QbathWarning,
            stacklevel=3,
        )
    return _normalised((coords.T @ x).reshape(d, d, order="F"))


def _steady_dense(S: np.ndarray, d: int, tol: float) -> np.ndarray:
    """SVD of the superoperator minus one: counts the fixed points."""
    M = S - np.eye(d * d)
    _, sv, vh = np.linalg.svd(M)
    scale = max(1.0, float(np.linalg.norm(S, 2)))
    null = int(np.sum(sv < tol * scale))
    if null > 1:
        raise NonUniqueSteadyStateError(
            f"the collision map has a {null}-dimensional space of fixed points (singular values of "
            f"S - 1 below {tol * scale:.1e}: {sv[-null:]}); the steady state depends on the initial "
            "state: use evolve(...) from a chosen rho0",
            null,
        )
    if null == 1 and sv.size > 1 and sv[-2] < 1e-8 * scale:
        warnings.warn(
            f"the slowest relaxation rate of the collision map is {sv[-2]:.2e} per collision: the "
            f"steady state is ill-conditioned (relative accuracy ~ {1e-16 / sv[-2]:.0e})",
            QbathWarning,
            stacklevel=3,
        )
    if null == 0 and sv[-1] > 1e-6 * scale:
        raise InputError(
            f"model: expected a trace-preserving map with a fixed point, got smallest singular value {sv[-1]:.3e}"
        )
    x = vh[-1].conj()
    rho = x.reshape(d, d, order="F")
    return _normalised(rho)


def _normalised(rho: np.ndarray) -> np.ndarray:
    rho = rho / np.trace(rho)
    return 0.5 * (rho + rho.conj().T)


def _batched_exact_superops(h_tot: np.ndarray, eta: np.ndarray, dt: float, d_s: int) -> np.ndarray:
    r"""Column-stacking superoperators (B, d_S^2, d_S^2) of the exact maps, all members at once.

    Same construction as :func:`kraus` (Eqs. 13-16): :math:`U = e^{-i\delta t H}` by a batched
    eigendecomposition, :math:`K_{ek} = \sqrt{p_k}\langle e|U|\phi_k\rangle` with
    :math:`\eta = \sum_k p_k|\phi_k\rangle\langle\phi_k|`, and
    :math:`S = \sum_{ek}\bar K_{ek}\otimes K_{ek}`.
    """
    B, D, _ = h_tot.shape
    d_e = D // d_s
    w, v = np.linalg.eigh(h_tot)
    U = (v * np.exp(-1j * dt * w)[:, None, :]) @ np.conj(np.swapaxes(v, -1, -2))
    p, phi = np.linalg.eigh(eta)
    sq = np.sqrt(np.clip(p, 0.0, None))
    # V[b, s, e, a, k] = <s e| U |a phi_k> sqrt(p_k)
    V = np.einsum("bseaf,bfk,bk->bseak", U.reshape(B, d_s, d_e, d_s, d_e), phi, sq, optimize=True)
    # S[b, (i + d a), (j + d c)] = sum_{ek} K[i, j] conj(K[a, c]),  K[i, j] = V[b, i, e, j, k]
    S = np.einsum("biejk,baeck->baicj", V, V.conj(), optimize=True)
    return S.reshape(B, d_s * d_s, d_s * d_s)


def _stack(name: str, x: Any, shape: tuple[int, ...]) -> np.ndarray:
    a = as_operator(name, x, shape[-1], allow_batch=True)
    if a.ndim != 3:
        raise InputError(
            f"{name}: expected a stack of shape (B, {shape[-1]}, {shape[-1]}), got shape {a.shape}"
        )
    return check_hermitian(name, a)


def steady_state_batch(
    model: CollisionModel,
    method: str = "exact",
    tol: float = 1e-12,
    *,
    h_s: Any | None = None,
    h_e: Any | None = None,
    beta: Any | None = None,
    eta: Any | None = None,
) -> np.ndarray:
    r"""Fixed points of a batch of collision models that differ in :math:`H_S`, :math:`H_E`,
    :math:`\beta` or :math:`\eta`, in one vectorised call.

    Member ``b`` is ``model`` with ``h_s[b]`` (B, d_S, d_S), ``h_e[b]`` (B, d_E, d_E) and the ancilla
    state ``eta[b]`` (B, d_E, d_E), or the Gibbs state of its :math:`H_E` at ``beta[b]`` (B,) (the
    model's ``beta`` when only ``h_e`` is given). Every member is solved as
    :func:`steady_state` with ``solver="dense"`` does (SVD of :math:`S - 1`, the fixed point its
    last right singular vector), so the batch equals the loop member by member; the exact maps are
    built with batched eigendecompositions and products (``"second_order"`` maps member by member).
    Limited to d_S <= 8 (batched SVDs of (d_S^2, d_S^2)).

    Returns
    -------
    (B, d_S, d_S) ndarray
        Density matrices, batch axis first.

    Raises
    ------
    NonUniqueSteadyStateError
        When any member has more than one fixed point (the message names the first one).
    """
    _check_model(model)
    method = _check_method(method)
    tol = check_real_scalar("tol", tol, minimum=0.0, strict=True)
    d_s = model.d_s
    if d_s > _STEADY_SVD_MAX_DIM:
        raise InputError(
            f"model: expected d_S <= {_STEADY_SVD_MAX_DIM} for the batched solve, got d_S = {d_s}"
        )
    S, B = _batch_superops(model, method, h_s, h_e, beta, eta)
    n = d_s * d_s
    _, sv, vh = np.linalg.svd(S - np.eye(n))
    scale = np.maximum(1.0, np.linalg.norm(S, ord=2, axis=(1, 2)))
    null = np.sum(sv < tol * scale[:, None], axis=1)
    if np.any(null > 1):
        b = int(np.flatnonzero(null > 1)[0])
        raise NonUniqueSteadyStateError(
            f"batch member {b}: the collision map has a {int(null[b])}-dimensional space of fixed "
            "points; the steady state depends on the initial state: use evolve(...)",
            int(null[b]),
        )
    slow = (null == 1) & (sv[:, -2] < 1e-8 * scale) if n > 1 else np.zeros(B, bool)
    if np.any(slow):
        warnings.warn(
            f"{int(slow.sum())} batch members relax slower than 1e-8 per collision: their steady "
            "states are ill-conditioned",
            QbathWarning,
            stacklevel=2,
        )
    if np.any((null == 0) & (sv[:, -1] > 1e-6 * scale)):
        raise InputError("model: expected trace-preserving maps with a fixed point")
    x = vh[:, -1].conj()
    rho = np.swapaxes(x.reshape(B, d_s, d_s), -1, -2)  # column stacking
    rho = rho / np.trace(rho, axis1=1, axis2=2)[:, None, None]
    return 0.5 * (rho + np.conj(np.swapaxes(rho, -1, -2)))


def _batch_superops(model, method, h_s, h_e, beta, eta) -> tuple[np.ndarray, int]:
    """Superoperators (B, d_S^2, d_S^2) of ``model`` with stacked overrides (see steady_state_batch)."""
    d_s, d_e = model.d_s, model.d_e
    stacks: dict[str, np.ndarray] = {}
    if h_s is not None:
        stacks["h_s"] = _stack("h_s", h_s, (d_s, d_s))
    if h_e is not None:
        stacks["h_e"] = _stack("h_e", h_e, (d_e, d_e))
    if eta is not None:
        e = as_operator("eta", eta, d_e, allow_batch=True)
        if e.ndim != 3:
            raise InputError(
                f"eta: expected a stack of shape (B, {d_e}, {d_e}), got shape {e.shape}"
            )
        stacks["eta"] = e
    if beta is not None:
        if eta is not None:
            raise InputError("beta: expected either beta or eta, got both")
        b_arr = np.asarray(beta)
        if b_arr.ndim != 1 or b_arr.dtype.kind not in "iuf" or b_arr.dtype == bool:
            raise InputError(
                f"beta: expected a real (B,) array, got {np.asarray(beta).dtype} of shape {b_arr.shape}"
            )
        b_arr = b_arr.astype(float)
        if not np.all(np.isfinite(b_arr)) or np.any(b_arr <= 0):
            raise InputError("beta: expected finite values > 0")
        stacks["beta"] = b_arr
    if not stacks:
        raise InputError(
            "steady_state_batch: expected at least one of h_s, h_e, beta, eta as a stack"
        )
    sizes = {k: v.shape[0] for k, v in stacks.items()}
    if len(set(sizes.values())) != 1:
        raise InputError(f"batch: expected stacks of one common length B, got lengths {sizes}")
    B = next(iter(sizes.values()))
    hs = stacks.get("h_s", np.broadcast_to(model.h_s, (B, d_s, d_s)))
    he = stacks.get("h_e", np.broadcast_to(model.h_e, (B, d_e, d_e)))
    if "eta" in stacks:
        et = stacks["eta"]
    elif "beta" in stacks or ("h_e" in stacks and model.beta is not None):
        bt = stacks["beta"] if "beta" in stacks else np.full(B, float(model.beta))
        w, v = np.linalg.eigh(he)
        x = -bt[:, None] * (w - w[:, :1])  # shifted by the ground energy (no overflow)
        p = np.exp(x)
        p /= p.sum(axis=1, keepdims=True)
        et = (v * p[:, None, :]) @ np.conj(np.swapaxes(v, -1, -2))
    elif "h_e" in stacks:
        raise InputError("eta: expected eta or beta with a stack of h_e (the model has no beta)")
    else:
        et = np.broadcast_to(model.eta, (B, d_e, d_e))
    eye_e, eye_s = np.eye(d_e), np.eye(d_s)
    h_tot = (
        np.einsum("bij,kl->bikjl", hs, eye_e).reshape(B, d_s * d_e, d_s * d_e)
        + np.einsum("ij,bkl->bikjl", eye_s, he).reshape(B, d_s * d_e, d_s * d_e)
        + model.h_se
    )
    if method == "exact":
        S = _batched_exact_superops(h_tot, et, model.dt, d_s)
    else:
        S = np.empty((B, d_s * d_s, d_s * d_s), dtype=complex)
        for b in range(B):
            mb = CollisionModel(h_s=hs[b], h_e=he[b], h_se=model.h_se, dt=model.dt, eta=et[b])
            S[b] = _channel(mb, method, superop=True, ledger=False).superop
    return S, B


def evolve_batch(
    model: CollisionModel,
    rho0: Any,
    n_collisions: int,
    method: str = "exact",
    *,
    h_s: Any | None = None,
    h_e: Any | None = None,
    beta: Any | None = None,
    eta: Any | None = None,
) -> np.ndarray:
    r"""States of a batch of collision models (stacks as in :func:`steady_state_batch`) after
    0, 1, ..., n collisions, in one vectorised call: :math:`\mathrm{vec}\rho_b(i+1) = S_b\,
    \mathrm{vec}\rho_b(i)` with the batched superoperators, d_S <= 8.

    ``rho0`` is one (d_S, d_S) state or a stack (B, d_S, d_S). Returns (B, n+1, d_S, d_S) (batch
    axis first); equal member by member to ``evolve(...).states``. The thermodynamic ledger is not
    computed: use :func:`evolve` on the members of interest.
    """
    _check_model(model)
    method = _check_method(method)
    d = model.d_s
    if d > _STEADY_SVD_MAX_DIM:
        raise InputError(
            f"model: expected d_S <= {_STEADY_SVD_MAX_DIM} for the batched evolution, got d_S = {d}"
        )
    n = check_int("n_collisions", n_collisions)
    S, B = _batch_superops(model, method, h_s, h_e, beta, eta)
    r = as_numeric_array(
        "rho0", rho0.full() if hasattr(rho0, "full") else rho0, "states", allow_complex=True
    )
    if r.ndim == 3:
        if r.shape[0] != B:
            raise InputError(
                f"rho0: expected {B} states (one per member) or one, got shape {r.shape}"
            )
        r = np.array([as_state(f"rho0[{b}]", x, d) for b, x in enumerate(r)])
    else:
        r = np.broadcast_to(as_state("rho0", r, d), (B, d, d))
    v = np.swapaxes(r, -1, -2).reshape(B, d * d)  # column stacking
    out = np.empty((B, n + 1, d * d), dtype=complex)
    out[:, 0] = v
    St = np.swapaxes(S, -1, -2)
    for k in range(n):
        v = np.matmul(v[:, None, :], St)[:, 0, :]
        out[:, k + 1] = v
    states = np.swapaxes(out.reshape(B, n + 1, d, d), -1, -2)
    return 0.5 * (states + np.conj(np.swapaxes(states, -1, -2)))
