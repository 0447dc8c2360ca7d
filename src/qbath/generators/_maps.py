r"""Superoperator maps: Choi matrix, Kraus decomposition and the superoperator of a Kraus map.

One implementation used by the collision engine and by the solvers alike. Superoperators use
column stacking (as QuTiP): :math:`\mathrm{vec}(A X B) = (B^T\otimes A)\,\mathrm{vec}(X)`,
``vec(X) = X.ravel(order="F")``. The Choi matrix is
:math:`C = \sum_{ij} |i\rangle\langle j|\otimes\Lambda(|i\rangle\langle j|)`; a map is completely
positive iff :math:`C \ge 0` (Choi, "Completely positive linear maps on complex matrices", 1975),
and the eigenvectors of :math:`C` give its Kraus operators (Andersson, Cresser & Hall, "Finding the
Kraus decomposition from a master equation and vice versa", 2007).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._checks import as_operator, check_real_scalar
from .._errors import InputError, PositivityWarning

__all__ = ["choi_matrix", "kraus_from_superop", "from_kraus", "sandwich_superoperator"]


def sandwich_superoperator(
    left: np.ndarray,
    right: np.ndarray,
    pre: np.ndarray | None = None,
    post: np.ndarray | None = None,
) -> np.ndarray:
    r"""Column-stacking superoperator of :math:`\rho\mapsto P\rho + \rho Q + \sum_k L_k\rho R_k`.

    .. math:: S = \sum_k R_k^T\otimes L_k + 1\otimes P + Q^T\otimes 1 .

    Parameters
    ----------
    left, right : (K, d, d) ndarray
        The operators :math:`L_k` and :math:`R_k` (K may be 0, then ``pre`` fixes d).
    pre, post : (d, d) ndarray, optional
        :math:`P` and :math:`Q`, given together or not at all.

    Returns
    -------
    (d^2, d^2) complex ndarray
        A Kraus map :math:`\sum_k K_k\rho K_k^\dagger` is ``left = K``, ``right = K^dagger``.
    """
    d = left.shape[-1] if len(left) else pre.shape[0]
    if len(left):
        S = np.einsum("kji,kab->iajb", right, left).reshape(d * d, d * d)
    else:
        S = np.zeros((d * d, d * d), complex)
    if pre is not None:
        eye = np.eye(d)
        S = S + np.kron(eye, pre) + np.kron(post.T, eye)
    return S


def choi_matrix(superop: Any) -> np.ndarray:
    r"""Choi matrix :math:`C[(i,a),(j,b)] = \Lambda(|i\rangle\langle j|)_{ab}` of a column-stacking
    superoperator.

    Parameters
    ----------
    superop : (d^2, d^2) array_like

    Returns
    -------
    (d^2, d^2) complex ndarray
        :math:`\sum_{ij}|i\rangle\langle j|\otimes\Lambda(|i\rangle\langle j|)`.
    """
    S = as_operator("superop", superop)
    d = int(round(np.sqrt(S.shape[0])))
    if d * d != S.shape[0]:
        raise InputError(f"superop: expected shape (d^2, d^2), got {S.shape}")
    # S[b*d + a, j*d + i] = Lambda(E_ij)[a, b]
    return S.reshape(d, d, d, d).transpose(3, 1, 2, 0).reshape(d * d, d * d)


def kraus_from_superop(superop: Any, *, tol: float = 1e-12) -> list[np.ndarray]:
    r"""Kraus operators of a column-stacking superoperator, from its Choi matrix.

    With :math:`C = \sum_k \lambda_k |v_k\rangle\langle v_k|`,
    :math:`(K_k)_{ai} = \sqrt{\lambda_k}\,(v_k)_{(i,a)}` (Andersson, Cresser & Hall 2007).
    Eigenvalues below ``tol * max(lambda)`` are dropped; clearly negative ones (the map would not
    be completely positive) give a :class:`~qbath.PositivityWarning`.

    Parameters
    ----------
    superop : (d^2, d^2) array_like
    tol : float
        Relative threshold for dropping Choi eigenvalues.

    Returns
    -------
    list of (d, d) ndarray
        At most d^2 operators, largest weight first.
    """
    tol = check_real_scalar("tol", tol, minimum=0.0)
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
    return sandwich_superoperator(stack, np.conj(np.swapaxes(stack, -1, -2)))
