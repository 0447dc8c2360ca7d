r"""Dynamical maps of a time-independent generator: propagator, Kraus decomposition and back.

Superoperators use column stacking (as QuTiP): :math:`\mathrm{vec}(A X B) = (B^T\otimes A)
\mathrm{vec}(X)`, ``vec(X) = X.ravel(order="F")``. The Choi matrix is
:math:`C = \sum_{ij} |i\rangle\langle j|\otimes\Lambda(|i\rangle\langle j|)`; a completely positive map
has :math:`C \ge 0`, and its eigenvectors give the Kraus operators (Andersson, Cresser & Hall 2007,
the method seed 004 cites for its 64 x 64 case).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.linalg as sla

from .._checks import as_operator, as_real_array, check_real_scalar
from .._errors import InputError, PositivityWarning
from ..generators._lindblad import as_lindblad, liouvillian

__all__ = ["propagator", "kraus", "from_kraus", "choi_matrix"]

#: largest Hilbert-space dimension for which dense (d^2, d^2) maps are built
MAX_DENSE_DIM = 64


def _dense_liouvillian(system: Any) -> np.ndarray:
    form = as_lindblad(system)
    if form.dim > MAX_DENSE_DIM:
        raise InputError(
            f"system: expected dimension <= {MAX_DENSE_DIM} for a dense (d^2, d^2) map, got "
            f"{form.dim}; use qbath.mesolve for the action on states"
        )
    return liouvillian(form)


def propagator(system: Any, t: float | Sequence[float] | np.ndarray) -> np.ndarray:
    r"""The dynamical map :math:`\Lambda(t) = e^{\mathcal L t}` (seed Eq. 9) as a superoperator.

    Parameters
    ----------
    system : GKSL or (H, c_ops)
    t : float or (T,) array_like
        Time(s) >= 0.

    Returns
    -------
    (d^2, d^2) ndarray, or (T, d^2, d^2) for an array of times
        Column stacking: ``(P @ rho0.ravel(order="F")).reshape(d, d, order="F")`` is
        :math:`\rho(t)`.
    """
    L = _dense_liouvillian(system)
    ts = as_real_array("t", t)
    if ts.ndim == 1 and ts.size == 0:
        raise InputError("t: expected a time >= 0 or a non-empty 1-D array of them, got an empty array")
    if ts.ndim > 1 or not np.all(np.isfinite(ts)) or np.any(ts < 0):
        raise InputError(f"t: expected a time >= 0 or a 1-D array of them, got {t!r}"[:200])
    if ts.ndim == 0:
        return sla.expm(L * float(ts))
    return np.stack([sla.expm(L * float(x)) for x in ts])


def choi_matrix(superop: np.ndarray) -> np.ndarray:
    r"""Choi matrix :math:`C[(i,a),(j,b)] = \Lambda(|i\rangle\langle j|)_{ab}` of a column-stacking
    superoperator (d^2, d^2)."""
    S = as_operator("superop", superop)
    d = int(round(np.sqrt(S.shape[0])))
    if d * d != S.shape[0]:
        raise InputError(f"superop: expected shape (d^2, d^2), got {S.shape}")
    # S[b*d + a, j*d + i] = Lambda(E_ij)[a, b]
    return S.reshape(d, d, d, d).transpose(3, 1, 2, 0).reshape(d * d, d * d)


def kraus(system: Any, t: float, *, tol: float = 1e-12) -> list[np.ndarray]:
    r"""Kraus operators of :math:`\Lambda(t) = e^{\mathcal L t}` (seed Eq. 35).

    .. math:: \rho(t) = \sum_k K_k\rho(0)K_k^\dagger,\qquad \sum_k K_k^\dagger K_k = I,

    from the eigen-decomposition :math:`C = \sum_k \lambda_k |v_k\rangle\langle v_k|` of the Choi
    matrix: :math:`(K_k)_{ai} = \sqrt{\lambda_k}\,(v_k)_{(i,a)}`. Eigenvalues below
    ``tol * max(lambda)`` are dropped; clearly negative ones (the map would not be completely
    positive) give a :class:`PositivityWarning`.

    Parameters
    ----------
    system : GKSL or (H, c_ops)
    t : float
        Time >= 0.
    tol : float
        Relative threshold for dropping Choi eigenvalues.

    Returns
    -------
    list of (d, d) ndarray
        At most d^2 operators, largest weight first.
    """
    t = check_real_scalar("t", t, minimum=0.0)
    tol = check_real_scalar("tol", tol, minimum=0.0)
    S = propagator(system, t)
    return kraus_from_superop(S, tol=tol)


def kraus_from_superop(superop: np.ndarray, *, tol: float = 1e-12) -> list[np.ndarray]:
    """Kraus operators of a column-stacking superoperator (see :func:`kraus`)."""
    C = choi_matrix(superop)
    C = 0.5 * (C + C.conj().T)
    lam, vec = np.linalg.eigh(C)
    top = float(lam[-1]) if lam.size else 0.0
    if lam[0] < -max(1e-9, 1e3 * tol) * max(top, 1.0):
        warnings.warn(
            f"kraus: the Choi matrix has a negative eigenvalue {lam[0]:.3e}; the map is not "
            "completely positive",
            PositivityWarning,
            stacklevel=3,
        )
    d = int(round(np.sqrt(C.shape[0])))
    keep = np.flatnonzero(lam > tol * max(top, 0.0))[::-1]
    return [np.sqrt(lam[k]) * vec[:, k].reshape(d, d).T for k in keep]


def from_kraus(kraus_ops: Sequence[Any]) -> np.ndarray:
    r"""Superoperator :math:`\sum_k \bar K_k\otimes K_k` (column stacking) of a Kraus map.

    Parameters
    ----------
    kraus_ops : sequence of (d, d) array_like

    Returns
    -------
    (d^2, d^2) ndarray
    """
    if len(kraus_ops) == 0:
        raise InputError("kraus_ops: expected at least one Kraus operator, got none")
    Ks = [as_operator(f"kraus_ops[{k}]", K) for k, K in enumerate(kraus_ops)]
    d = Ks[0].shape[0]
    for k, K in enumerate(Ks):
        if K.shape[0] != d:
            raise InputError(f"kraus_ops[{k}]: expected dimension {d}, got {K.shape[0]}")
    stack = np.stack(Ks)
    return np.einsum("kab,kij->aibj", stack.conj(), stack).reshape(d * d, d * d)
