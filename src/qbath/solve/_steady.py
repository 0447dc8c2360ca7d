r"""Steady states of a GKSL generator, with detection of non-unique ones.

The stationary states span the null space of :math:`\mathcal L`. Its dimension is found first:

* small problems (``n <= DENSE_MAX``, n the number of coupled matrix entries): a dense SVD of
  :math:`\mathcal L`, counting singular values below ``tol`` times the largest;
* larger ones: sparse shift-invert Arnoldi (ARPACK) for the eigenvalues nearest 0, counting those
  below ``tol`` times a norm estimate.

For a Davies generator (:func:`qbath.davies`) the search is restricted to the matrix entries
:math:`\rho_{ab}` with :math:`\varepsilon_a = \varepsilon_b`: the secular generator maps each Bohr
sector :math:`\varepsilon_a - \varepsilon_b = \omega` to itself and the Hamiltonian part makes
the :math:`\omega \neq 0` sectors rotate, so stationary states live in the :math:`\omega = 0`
sector (for a non-degenerate :math:`H_A` this is the Pauli rate matrix of the populations).

If the null space is one-dimensional the state is its normalised vector (for the sparse path, the
direct sparse solve of :math:`\mathcal L\rho = 0` with one row replaced by the trace condition).
Otherwise the generator conserves quantities (left null vectors :math:`\ell_i`,
:math:`\mathcal L^\dagger\ell_i = 0`): without ``rho0`` a :class:`NonUniqueSteadyStateError` names
the dimension; with ``rho0`` the result is the spectral projection
:math:`P\rho_0 = \sum_{ij} r_i (M^{-1})_{ij}\langle\ell_j, \rho_0\rangle`,
:math:`M_{ij} = \langle \ell_i, r_j\rangle`, which is :math:`\lim_{t\to\infty}e^{\mathcal L t}\rho_0`
(or its time average if undamped oscillations survive).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from .._checks import as_state, check_real_scalar
from .._errors import NonUniqueSteadyStateError
from ..generators import LindbladForm, as_lindblad, liouvillian

__all__ = ["steady_state", "steady_state_space"]

#: largest sector size handled by a dense SVD
DENSE_MAX = 1600


def _working_liouvillian(form: LindbladForm) -> sp.csr_matrix:
    plain = LindbladForm(form.hamiltonian, form.jumps, None, extra_rowmajor=form.extra_rowmajor)
    return liouvillian(plain, sparse=True)


def _sector(form: LindbladForm) -> np.ndarray:
    """Column-stacking indices of the entries that can carry a stationary state."""
    d = form.dim
    mask = form.stationary_mask
    if mask is None:
        return np.arange(d * d)
    return np.flatnonzero(mask.T.ravel())  # column-major order of (a, b)


def _null_spaces(L: sp.csr_matrix, tol: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Right and left null-space bases (columns) of a square sparse matrix, and the gap."""
    n = L.shape[0]
    if n <= DENSE_MAX:
        U, s, Vh = np.linalg.svd(L.toarray())
        thr = tol * max(float(s[0]), 1e-300)
        m = int(np.sum(s <= thr))
        gap = float(s[n - m - 1]) if m < n else 0.0
        return Vh[n - m :].conj().T, U[:, n - m :], gap
    scale = float(abs(L).sum(axis=0).max())
    sigma = -1e-7 * scale
    k = min(6, n - 2)
    while True:
        vals, vecs = spla.eigs(L.tocsc(), k=k, sigma=sigma, which="LM")
        small = np.abs(vals) <= tol * scale
        m = int(small.sum())
        if m < k or k >= min(n - 2, 96):
            break
        k = min(2 * k, n - 2)
    R = vecs[:, small]
    gap = float(np.min(np.abs(vals[~small]))) if np.any(~small) else 0.0
    if m == 0:
        return R, R, gap
    lvals, lvecs = spla.eigs(
        L.conj().T.tocsc(), k=min(max(m + 2, 6), n - 2), sigma=sigma, which="LM"
    )
    order = np.argsort(np.abs(lvals))[:m]
    return R, lvecs[:, order], gap


def steady_state_space(system: Any, *, tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """Basis of the stationary states and of the conserved quantities.

    Returns
    -------
    states : (m, d, d) ndarray
        Basis of the null space of the generator (not necessarily positive matrices).
    conserved : (m, d, d) ndarray
        Operators :math:`Q_i` with :math:`\\mathcal L^\\dagger Q_i = 0` (conserved expectation
        values), the left null space written as matrices.
    """
    form = as_lindblad(system)
    d = form.dim
    idx = _sector(form)
    L = _working_liouvillian(form)
    Ls = L[idx][:, idx]
    tol = check_real_scalar("tol", tol, minimum=0.0, strict=True)
    R, Lft, _ = _null_spaces(Ls.tocsr(), tol)

    def unvec(cols: np.ndarray) -> np.ndarray:
        out = np.zeros((cols.shape[1], d * d), dtype=complex)
        out[:, idx] = cols.T
        mats = out.reshape(-1, d, d).transpose(0, 2, 1)  # column stacking
        return form.to_original(mats)

    return unvec(R), unvec(Lft.conj())


def steady_state(system: Any, rho0: Any = None, *, tol: float = 1e-9) -> np.ndarray:
    r"""Stationary state :math:`\mathcal L\rho_\infty = 0` of a GKSL generator.

    Parameters
    ----------
    system : GKSL or (H, c_ops)
    rho0 : (d, d) or (d,) array_like, optional
        Initial state. Required when the steady state is not unique: the result is then the state
        reached from ``rho0`` (spectral projection onto the null space).
    tol : float
        Relative threshold below which a singular value / eigenvalue of :math:`\mathcal L`
        counts as zero.

    Returns
    -------
    (d, d) ndarray
        Hermitian, unit trace.

    Raises
    ------
    NonUniqueSteadyStateError
        Without ``rho0`` when the null space has dimension > 1 (``err.dimension``).
    """
    tol = check_real_scalar("tol", tol, minimum=0.0, strict=True)
    form = as_lindblad(system)
    d = form.dim
    r0 = None if rho0 is None else as_state("rho0", rho0, d)
    idx = _sector(form)
    L = _working_liouvillian(form)
    Ls = L[idx][:, idx].tocsr()
    R, Lft, gap = _null_spaces(Ls, tol)
    m = R.shape[1]
    if m == 0:
        raise RuntimeError(  # pragma: no cover - a GKSL generator always has a steady state
            "steady_state: no null space found; lower tol"
        )
    if m > 1 and r0 is None:
        raise NonUniqueSteadyStateError(
            f"steady_state: the generator has a {m}-dimensional space of steady states (it "
            f"conserves {m - 1} independent quantities besides the trace; smallest non-zero "
            f"|eigenvalue| ~ {gap:.3g}); pass rho0 to get the steady state reached from it",
            m,
        )
    if m == 1 and rho0 is None and Ls.shape[0] > 1:
        x = _direct_solve(Ls, idx, d)
        if x is None:
            x = R[:, 0]
    elif m == 1:
        x = R[:, 0]
    else:
        w = form.to_working(r0).ravel(order="F")[idx]
        M = Lft.conj().T @ R
        x = R @ np.linalg.solve(M, Lft.conj().T @ w)
    full = np.zeros(d * d, dtype=complex)
    full[idx] = x
    rho = full.reshape(d, d, order="F")
    tr = np.trace(rho)
    if abs(tr) < 1e-300:
        raise RuntimeError("steady_state: the null vector has zero trace")  # pragma: no cover
    rho = rho / tr
    rho = 0.5 * (rho + rho.conj().T)
    return form.to_original(rho)


def _direct_solve(Ls: sp.csr_matrix, idx: np.ndarray, d: int) -> np.ndarray | None:
    """Solve L x = 0 with the first diagonal entry's row replaced by the trace condition."""
    n = Ls.shape[0]
    diag_pos = np.flatnonzero(idx % (d + 1) == 0)  # column-major index a*d + a
    A = Ls.tolil()
    r = int(diag_pos[0])
    row = np.zeros(n, dtype=complex)
    row[diag_pos] = 1.0
    A[r, :] = row
    b = np.zeros(n, dtype=complex)
    b[r] = 1.0
    try:
        x = spla.spsolve(A.tocsc(), b)
    except RuntimeError:  # pragma: no cover - singular after all
        return None
    if not np.all(np.isfinite(x)):
        return None
    return x
