r"""Dynamical maps of a time-independent generator: the propagator and its Kraus decomposition.

Superoperators use column stacking (as QuTiP); the Choi matrix and the Kraus decomposition of a
superoperator live in :mod:`qbath.generators` (Andersson, Cresser & Hall 2007, the method seed 004
cites for its 64 x 64 case).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.linalg as sla

from .._checks import as_real_array, check_real_scalar
from .._errors import InputError
from ..generators import as_lindblad, kraus_from_superop, liouvillian

__all__ = ["propagator", "kraus"]

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
        raise InputError(
            "t: expected a time >= 0 or a non-empty 1-D array of them, got an empty array"
        )
    if ts.ndim > 1 or not np.all(np.isfinite(ts)) or np.any(ts < 0):
        raise InputError(f"t: expected a time >= 0 or a 1-D array of them, got {t!r}"[:200])
    if ts.ndim == 0:
        return sla.expm(L * float(ts))
    return np.stack([sla.expm(L * float(x)) for x in ts])


def kraus(system: Any, t: float, *, tol: float = 1e-12) -> list[np.ndarray]:
    r"""Kraus operators of :math:`\Lambda(t) = e^{\mathcal L t}` (seed Eq. 35).

    .. math:: \rho(t) = \sum_k K_k\rho(0)K_k^\dagger,\qquad \sum_k K_k^\dagger K_k = I,

    from the eigen-decomposition of the Choi matrix of :func:`propagator`
    (:func:`qbath.generators.kraus_from_superop`, which drops eigenvalues below
    ``tol * max(lambda)`` and warns when the map is not completely positive).

    Parameters
    ----------
    system : GKSL or (H, c_ops)
    t : float
        Time >= 0.
    tol : float
        Choi eigenvalues below ``tol`` times the largest one are dropped.

    Returns
    -------
    list of (d, d) ndarray
        The Kraus operators (at most d^2), the largest weight first.
    """
    t = check_real_scalar("t", t, minimum=0.0)
    tol = check_real_scalar("tol", tol, minimum=0.0)
    S = propagator(system, t)
    return kraus_from_superop(S, tol=tol)
