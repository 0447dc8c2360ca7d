r"""States and information measures.

Entropies are in nats. Functions taking density matrices accept stacks of shape (..., d, d) where
noted, so a whole trajectory is processed in one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._checks import (
    as_density_matrix,
    as_density_stack,
    as_hermitian,
    as_ket,
    as_operator,
    as_real_array,
    check_beta,
    check_bool,
    check_dims,
    check_int,
    check_log_base,
    check_real_scalar,
    is_hermitian,
    resolve_temperature,
)
from ._errors import InputError
from ._operators import dag, ptrace, sigmax, sigmay, sigmaz

__all__ = [
    "basis",
    "ket2dm",
    "thermal_state",
    "bloch_state",
    "bloch_vector",
    "l1_coherence",
    "von_neumann_entropy",
    "relative_entropy",
    "mutual_information",
    "purity",
    "expect",
    "thermal_log",
]

#: a fixed eigenvalue cut kept for callers that ask for one explicitly (``relative_entropy(tol=...)``)
EIG_TOL = 1e-12


def basis(d: int, i: int) -> np.ndarray:
    """Computational basis ket ``|i>`` of dimension ``d`` (shape (d,)). ``basis(2, 0)`` is spin up."""
    d = check_int("d", d, minimum=1)
    i = check_int("i", i)
    if i >= d:
        raise InputError(f"i: expected an index in 0..{d - 1}, got {i}")
    v = np.zeros(d, dtype=complex)
    v[i] = 1.0
    return v


def ket2dm(psi: Any) -> np.ndarray:
    """``|psi><psi|`` for a normalised ket."""
    v = as_ket("psi", psi)
    return np.outer(v, v.conj())


def thermal_state(
    H: Any, beta: float | None = None, *, temperature: float | None = None
) -> np.ndarray:
    r"""Gibbs state :math:`e^{-\beta H}/Z` of a Hermitian ``H`` (shape (d, d)).

    Give the inverse temperature ``beta`` or the ``temperature`` :math:`T = 1/\beta` (one of
    them; ``temperature=0`` is ``beta=inf``), as for the baths.

    Computed from the eigendecomposition with the ground energy subtracted, so it is stable for any
    ``beta``: ``beta = 0`` gives the maximally mixed state and ``beta = inf`` the uniform mixture over
    the ground space (degeneracy detected to ``1e-12`` relative).
    """
    H = as_hermitian("H", H)
    beta = resolve_temperature("thermal_state", beta=beta, temperature=temperature)
    w, v = np.linalg.eigh(H)
    shifted = w - w[0]
    if np.isinf(beta):
        scale = max(1.0, float(np.max(np.abs(w))))
        p = (shifted <= 1e-12 * scale).astype(float)
    else:
        p = np.exp(-beta * shifted)
    p /= p.sum()
    rho = (v * p) @ v.conj().T
    return 0.5 * (rho + rho.conj().T)


def bloch_state(s: Sequence[float] | np.ndarray) -> np.ndarray:
    r"""Qubit state :math:`\rho = (1 + \vec s\cdot\vec\sigma)/2` from a Bloch vector with
    :math:`|\vec s| \le 1`. ``s`` of shape (3,) or (..., 3); returns (..., 2, 2)."""
    s = as_real_array("s", s)
    if s.shape[-1:] != (3,):
        raise InputError(
            f"s: expected a Bloch vector of shape (3,) or (..., 3), got shape {s.shape}"
        )
    if not np.all(np.isfinite(s)):
        raise InputError("s: expected finite Bloch-vector components, got NaN or inf")
    norm = np.linalg.norm(s, axis=-1)
    if np.any(norm > 1 + 1e-12):
        raise InputError(f"s: expected |s| <= 1, got |s| = {float(np.max(norm)):.12g}")
    paulis = np.stack([sigmax(), sigmay(), sigmaz()])
    return 0.5 * (np.eye(2) + np.einsum("...a,aij->...ij", s, paulis))


def bloch_vector(rho: Any) -> np.ndarray:
    r"""Bloch vector :math:`(\langle\sigma_x\rangle, \langle\sigma_y\rangle, \langle\sigma_z\rangle)`
    of a qubit state or a stack (..., 2, 2); returns (..., 3)."""
    r = as_operator("rho", rho, 2, allow_batch=True)
    return np.stack(
        [2 * r[..., 0, 1].real, -2 * r[..., 0, 1].imag, (r[..., 0, 0] - r[..., 1, 1]).real], axis=-1
    )


def expect(op: Any, rho: Any) -> np.ndarray | float:
    r""":math:`\mathrm{Tr}[O\rho]`, real part for Hermitian ``op``; ``rho`` of shape (..., d, d)."""
    O = as_operator("op", op)
    r = as_operator("rho", rho, allow_batch=True)
    if r.shape[-1] != O.shape[0]:
        raise InputError(f"rho: expected dimension {O.shape[0]} to match op, got shape {r.shape}")
    val = expect_values(O, r)
    return val if np.ndim(val) else val.item()


def expect_values(op: np.ndarray, states: np.ndarray) -> np.ndarray:
    r""":math:`\mathrm{Tr}[O\rho]` over stacks, without validation; real when ``op`` is Hermitian.

    Parameters
    ----------
    op : (..., d, d) ndarray
        One operator, or one per state (broadcast against ``states``).
    states : (..., d, d) ndarray

    Returns
    -------
    (...) ndarray
        Real (the imaginary round-off dropped) when every ``op`` is Hermitian to
        :data:`qbath._checks.HERMITIAN_TOL`, complex otherwise.
    """
    val = np.einsum("...ij,...ji->...", op, states)
    return val.real if is_hermitian(op) else val


def _stack(name: str, rho: Any, check: bool, dim: int | None = None) -> np.ndarray:
    """A validated density matrix or stack (``check``), or just a finite square operator stack."""
    check = check_bool("check", check)
    if check:
        return as_density_stack(name, rho, dim)
    return as_operator(name, rho, dim, allow_batch=True)


def l1_coherence(rho: Any, basis: Any | None = None, *, check: bool = True) -> np.ndarray | float:
    r""":math:`\ell_1` norm of coherence :math:`C_{\ell_1}(\rho) = \sum_{i\neq j} |\rho_{ij}|`
    (T. Baumgratz, M. Cramer, M. B. Plenio, "Quantifying coherence", 2014).

    Parameters
    ----------
    rho : (..., d, d) array_like
        State or stack of states.
    basis : (d, d) array_like, optional
        Unitary whose *columns* are the reference basis vectors (e.g. the eigenvectors of a
        Hamiltonian, as returned by ``numpy.linalg.eigh``). Default: computational basis.
    check : bool
        Validate that every ``rho`` is a density matrix (Hermitian, unit trace, positive to
        ``1e-8``). ``check=False`` skips this (any finite square matrices), e.g. for speed or for
        the output of a map that is not completely positive.
    """
    r = _stack("rho", rho, check)
    if basis is not None:
        B = as_operator("basis", basis, r.shape[-1])
        if not np.allclose(B.conj().T @ B, np.eye(B.shape[0]), atol=1e-10):
            err = float(np.max(np.abs(B.conj().T @ B - np.eye(B.shape[0]))))
            raise InputError(
                "basis: expected a unitary matrix whose columns are the basis vectors, got "
                f"max|B^dag B - 1| = {err:.3e}"
            )
        r = dag(B) @ r @ B
    a = np.abs(r)
    val = a.sum(axis=(-1, -2)) - np.abs(np.diagonal(r, axis1=-2, axis2=-1)).sum(axis=-1)
    return val if np.ndim(val) else float(val)


def xlogx(p: np.ndarray) -> np.ndarray:
    r""":math:`p\ln p` with :math:`0\ln 0 = 0`; negative round-off eigenvalues count as zero."""
    p = np.clip(p, 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0.0, p * np.log(np.where(p > 0.0, p, 1.0)), 0.0)


def _entropy_stack(r: np.ndarray) -> np.ndarray:
    """Von Neumann entropy of a stack (..., d, d) of Hermitian matrices, no validation (internal)."""
    return -xlogx(np.linalg.eigvalsh(r)).sum(axis=-1)


def von_neumann_entropy(
    rho: Any, base: float | None = None, *, check: bool = True
) -> np.ndarray | float:
    r"""Von Neumann entropy :math:`S(\rho) = -\mathrm{Tr}\,\rho\ln\rho` (nats; ``base=2`` for bits).

    ``rho`` of shape (d, d) or a stack (..., d, d), validated as density matrices unless
    ``check=False``; negative round-off eigenvalues count as zero (:math:`0\ln 0 = 0`).
    ``base`` is a real number > 0 other than 1.
    """
    b = check_log_base("base", base)
    if check_bool("check", check):
        _, w = as_density_stack("rho", rho, eigvals=True)
    else:
        w = np.linalg.eigvalsh(as_operator("rho", rho, allow_batch=True))
    s = -xlogx(w).sum(axis=-1)
    if b is not None:
        s = s / np.log(b)
    return s if np.ndim(s) else float(s)


def thermal_log(H: Any, beta: float) -> np.ndarray:
    r"""Matrix logarithm of the Gibbs state, :math:`\ln\eta = -\beta H - \ln Z` (shape (d, d)).

    Exact for any finite ``beta`` (no eigenvalue of :math:`\eta` is ever cut at round-off, unlike
    the logarithm of the numerically built :math:`\eta`); :math:`\ln Z` is computed with the
    ground energy :math:`E_0` subtracted,
    :math:`\ln Z = -\beta E_0 + \ln\sum_k e^{-\beta(E_k - E_0)}`.
    """
    H = as_hermitian("H", H)
    beta = check_beta("beta", beta)
    if np.isinf(beta):
        raise InputError(
            "beta: expected a finite inverse temperature for ln(eta), got inf (the ground state has no finite logarithm)"
        )
    w, v = np.linalg.eigh(H)
    shifted = w - w[0]
    log_p = -beta * shifted - np.log(np.sum(np.exp(-beta * shifted)))
    out = (v * log_p) @ v.conj().T
    return 0.5 * (out + out.conj().T)


def relative_entropy(
    rho: Any, sigma: Any, tol: float | None = None, *, log_sigma: Any | None = None
) -> float:
    r"""Quantum relative entropy :math:`S(\rho\|\sigma) = \mathrm{Tr}\,\rho(\ln\rho - \ln\sigma)` in nats
    (H. Umegaki, "Conditional expectation in an operator algebra. IV", 1962).

    Parameters
    ----------
    rho, sigma : (d, d) array_like
        Density matrices.
    tol : float, optional
        Eigenvalues of ``sigma`` (and weights of ``rho`` on its eigenvectors) at or below ``tol``
        count as zero. Default: decided by each state itself, ``10 d eps max(eigenvalues)`` (the
        round-off of its eigendecomposition), so a Gibbs state at large ``beta`` with
        eigenvalues of 1e-15 keeps them.
    log_sigma : (d, d) array_like, optional
        A known :math:`\ln\sigma`, e.g. :func:`thermal_log` of a Gibbs state
        (:math:`-\beta H - \ln Z`). Then no eigenvalue of ``sigma`` is cut at all.

    Returns ``inf`` when ``rho`` has weight (above its own round-off) on the kernel of ``sigma``.
    """
    r = as_density_matrix("rho", rho)
    s = as_density_matrix("sigma", sigma, r.shape[0])
    if tol is not None:
        tol = check_real_scalar("tol", tol, minimum=0.0)
    if log_sigma is not None:
        ls = as_hermitian("log_sigma", log_sigma, r.shape[0])
        w, v = np.linalg.eigh(ls)
        rebuilt = (v * np.exp(w)) @ v.conj().T
        if not np.allclose(rebuilt, s, atol=1e-8):
            err = float(np.max(np.abs(rebuilt - s)))
            raise InputError(
                f"log_sigma: expected the logarithm of sigma, got max|exp(log_sigma) - sigma| = {err:.3e}"
            )
        cross = np.einsum("ij,ji->", r, ls).real
        return float(max(xlogx(np.linalg.eigvalsh(r)).sum() - cross, 0.0))
    return float(_relative_entropy_stack(r, s, tol))


def _relative_entropy_stack(r: np.ndarray, s: np.ndarray, tol: float | None = None) -> np.ndarray:
    """Relative entropy for stacks (..., d, d) without validation (internal, vectorised).

    Support: ``q_j <= cut_q`` is outside the support of ``s``; ``rho`` counts as having weight
    there when ``w_j > cut_w``. Default cuts are the round-off of each state's eigenvalues.
    """
    p = np.linalg.eigvalsh(r)
    q, V = np.linalg.eigh(s)
    # diagonal of rho in sigma's eigenbasis: <v_j| rho |v_j>
    w = np.einsum("...ij,...ik,...kj->...j", V.conj(), r, V).real
    if tol is None:
        d = q.shape[-1]
        eps = np.finfo(float).eps
        cut_q = 10 * d * eps * np.max(np.abs(q), axis=-1, keepdims=True)
        cut_w = 10 * d * eps * np.max(np.abs(p), axis=-1, keepdims=True)
    else:
        cut_q = cut_w = tol
    zero = q <= cut_q
    inf_mask = np.any(zero & (w > cut_w), axis=-1)
    logq = np.log(np.where(zero, 1.0, q))
    cross = np.sum(np.where(zero, 0.0, w * logq), axis=-1)
    val = xlogx(p).sum(axis=-1) - cross
    val = np.maximum(val, 0.0)  # Klein's inequality; removes -1e-16 round-off
    return np.where(inf_mask, np.inf, val)


def mutual_information(
    rho_ab: Any, dims: Sequence[int] = (2, 2), base: float | None = None, *, check: bool = True
) -> np.ndarray | float:
    r"""Mutual information :math:`I(A{:}B) = S(\rho_A) + S(\rho_B) - S(\rho_{AB})` in nats.

    ``dims = (d_a, d_b)``; ``rho_ab`` of shape (d_a d_b, d_a d_b) or a stack of them, validated as
    density matrices unless ``check=False``.
    """
    dims = check_dims("dims", dims)
    if len(dims) != 2:
        raise InputError(f"dims: expected two dimensions (d_a, d_b), got {dims}")
    r = _stack("rho_ab", rho_ab, check, int(np.prod(dims)))
    sa = von_neumann_entropy(ptrace(r, [0], dims), base, check=False)
    sb = von_neumann_entropy(ptrace(r, [1], dims), base, check=False)
    sab = von_neumann_entropy(r, base, check=False)
    return sa + sb - sab


def purity(rho: Any, *, check: bool = True) -> np.ndarray | float:
    r""":math:`\mathrm{Tr}\,\rho^2` for a state or a stack (validated unless ``check=False``)."""
    r = _stack("rho", rho, check)
    val = np.einsum("...ij,...ji->...", r, r).real
    return val if np.ndim(val) else float(val)
