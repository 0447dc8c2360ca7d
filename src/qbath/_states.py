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
    as_hermitian,
    as_ket,
    as_operator,
    check_beta,
    check_dims,
    check_int,
    is_hermitian,
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
]

#: eigenvalues below this are treated as zero in entropies and supports
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


def thermal_state(H: Any, beta: float) -> np.ndarray:
    r"""Gibbs state :math:`e^{-\beta H}/Z` of a Hermitian ``H`` (shape (d, d)).

    Computed from the eigendecomposition with the ground energy subtracted, so it is stable for any
    ``beta``: ``beta = 0`` gives the maximally mixed state and ``beta = inf`` the uniform mixture over
    the ground space (degeneracy detected to ``1e-12`` relative).
    """
    H = as_hermitian("H", H)
    beta = check_beta("beta", beta)
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
    s = np.asarray(s, dtype=float)
    if s.shape[-1:] != (3,):
        raise InputError(f"s: expected a Bloch vector of shape (3,) or (..., 3), got shape {s.shape}")
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
    r = np.asarray(rho.full() if hasattr(rho, "full") else rho, dtype=complex)
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


def l1_coherence(rho: Any, basis: Any | None = None) -> np.ndarray | float:
    r""":math:`\ell_1` norm of coherence :math:`C_{\ell_1}(\rho) = \sum_{i\neq j} |\rho_{ij}|`.

    Parameters
    ----------
    rho : (..., d, d) array_like
        State or stack of states.
    basis : (d, d) array_like, optional
        Unitary whose *columns* are the reference basis vectors (e.g. the eigenvectors of a
        Hamiltonian, as returned by ``numpy.linalg.eigh``). Default: computational basis.
    """
    r = as_operator("rho", rho, allow_batch=True)
    if basis is not None:
        B = as_operator("basis", basis, r.shape[-1])
        if not np.allclose(B.conj().T @ B, np.eye(B.shape[0]), atol=1e-10):
            raise InputError("basis: expected a unitary matrix whose columns are the basis vectors, got a non-unitary matrix")
        r = dag(B) @ r @ B
    a = np.abs(r)
    val = a.sum(axis=(-1, -2)) - np.abs(np.diagonal(r, axis1=-2, axis2=-1)).sum(axis=-1)
    return val if np.ndim(val) else float(val)


def xlogx(p: np.ndarray) -> np.ndarray:
    r"""Elementwise :math:`p\ln p` of eigenvalues, 0 for ``p <= EIG_TOL`` (negative round-off clipped)."""
    p = np.clip(p, 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > EIG_TOL, p * np.log(np.where(p > EIG_TOL, p, 1.0)), 0.0)


def _entropy_stack(r: np.ndarray) -> np.ndarray:
    """Von Neumann entropy of a stack (..., d, d) of Hermitian matrices, no validation (internal)."""
    return -xlogx(np.linalg.eigvalsh(r)).sum(axis=-1)


def von_neumann_entropy(rho: Any, base: float | None = None) -> np.ndarray | float:
    r"""Von Neumann entropy :math:`S(\rho) = -\mathrm{Tr}\,\rho\ln\rho` (nats; ``base=2`` for bits).

    ``rho`` of shape (d, d) or a stack (..., d, d). Eigenvalues below ``1e-12`` count as zero.
    """
    s = _entropy_stack(as_operator("rho", rho, allow_batch=True))
    if base is not None:
        s = s / np.log(base)
    return s if np.ndim(s) else float(s)


def relative_entropy(rho: Any, sigma: Any, tol: float = EIG_TOL) -> float:
    r"""Quantum relative entropy :math:`S(\rho\|\sigma) = \mathrm{Tr}\,\rho(\ln\rho - \ln\sigma)` in nats.

    Returns ``inf`` when the support of ``rho`` is not contained in that of ``sigma`` (weight of
    ``rho`` above ``tol`` on an eigenvector of ``sigma`` with eigenvalue below ``tol``).
    """
    r = as_density_matrix("rho", rho)
    s = as_density_matrix("sigma", sigma, r.shape[0])
    return float(_relative_entropy_stack(r, s, tol))


def _relative_entropy_stack(r: np.ndarray, s: np.ndarray, tol: float = EIG_TOL) -> np.ndarray:
    """Relative entropy for stacks (..., d, d) without validation (internal, vectorised)."""
    p = np.linalg.eigvalsh(r)
    q, V = np.linalg.eigh(s)
    # diagonal of rho in sigma's eigenbasis: <v_j| rho |v_j>
    w = np.einsum("...ij,...ik,...kj->...j", V.conj(), r, V).real
    zero = q <= tol
    inf_mask = np.any(zero & (w > tol), axis=-1)
    logq = np.log(np.where(zero, 1.0, q))
    cross = np.sum(np.where(zero, 0.0, w * logq), axis=-1)
    val = xlogx(p).sum(axis=-1) - cross
    val = np.maximum(val, 0.0)  # Klein's inequality; removes -1e-16 round-off
    return np.where(inf_mask, np.inf, val)


def mutual_information(rho_ab: Any, dims: Sequence[int] = (2, 2)) -> np.ndarray | float:
    r"""Mutual information :math:`I(A{:}B) = S(\rho_A) + S(\rho_B) - S(\rho_{AB})` in nats.

    ``dims = (d_a, d_b)``; ``rho_ab`` of shape (d_a d_b, d_a d_b) or a stack of them.
    """
    dims = check_dims("dims", dims)
    if len(dims) != 2:
        raise InputError(f"dims: expected two dimensions (d_a, d_b), got {dims}")
    r = as_operator("rho_ab", rho_ab, int(np.prod(dims)), allow_batch=True)
    sa = von_neumann_entropy(ptrace(r, [0], dims))
    sb = von_neumann_entropy(ptrace(r, [1], dims))
    sab = von_neumann_entropy(r)
    return sa + sb - sab


def purity(rho: Any) -> np.ndarray | float:
    r""":math:`\mathrm{Tr}\,\rho^2` for a state or a stack."""
    r = as_operator("rho", rho, allow_batch=True)
    val = np.einsum("...ij,...ji->...", r, r).real
    return val if np.ndim(val) else float(val)
