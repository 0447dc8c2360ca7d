r"""Collective observables of a spin trajectory: total spin, its covariance, spin squeezing.

With :math:`S^a = \tfrac12\sum_i\sigma_i^a` and :math:`\sigma^a\sigma^b = \delta_{ab} +
i\epsilon_{abc}\sigma^c` on one spin,

.. math::

    \langle S^a\rangle = \tfrac12\sum_i s_i^a,\qquad
    \tfrac12\langle\{S^a, S^b\}\rangle = \tfrac14\Big(N\delta_{ab}
        + \sum_{i\neq j}\langle\sigma_i^a\sigma_j^b\rangle\Big),

so only :math:`\sum_{i\neq j}\langle\sigma_i^a\sigma_j^b\rangle` (``SpinResult.pair_sum``) is
needed, never the full correlation array. The Wineland (Ramsey) squeezing parameter is

.. math:: \xi_R^2 = \frac{N\,\min_{\vec n\perp\langle\vec S\rangle}\mathrm{Var}(\vec n\cdot\vec S)}
          {|\langle\vec S\rangle|^2},

equal to 1 for a coherent spin state; :math:`\xi_R^2 < 1` witnesses entanglement.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import as_real_array, check_int, check_real_scalar
from .._errors import InputError
from ._model import SpinModel
from ._results import SpinResult

__all__ = ["total_spin", "spin_covariance", "squeezing_parameter", "oat_model", "kitagawa_ueda"]


def _check_result(result: Any) -> SpinResult:
    if not isinstance(result, SpinResult):
        raise InputError(f"result: expected a qbath.spins.SpinResult, got {type(result).__name__}")
    return result


def total_spin(result: SpinResult) -> np.ndarray:
    r""":math:`\langle S^a\rangle(t) = \tfrac12\sum_i\langle\sigma_i^a\rangle`, shape (T, 3)."""
    return 0.5 * _check_result(result).bloch.sum(axis=1)


def spin_covariance(result: SpinResult) -> np.ndarray:
    r"""Symmetrised covariance :math:`\tfrac12\langle\{S^a,S^b\}\rangle - \langle S^a\rangle
    \langle S^b\rangle`, shape (T, 3, 3)."""
    r = _check_result(result)
    S = total_spin(r)
    second = 0.25 * (r.pair_sum + r.n_spins * np.eye(3))
    return second - S[:, :, None] * S[:, None, :]


def squeezing_parameter(result: SpinResult) -> np.ndarray:
    r"""Wineland squeezing parameter :math:`\xi_R^2(t)`, shape (T,) (``inf`` where
    :math:`\langle\vec S\rangle = 0`)."""
    r = _check_result(result)
    S = total_spin(r)
    cov = spin_covariance(r)
    norm = np.linalg.norm(S, axis=1)
    out = np.full(S.shape[0], np.inf)
    ok = norm > 1e-12 * max(1, r.n_spins)
    if not np.any(ok):
        return out
    n0 = S[ok] / norm[ok, None]
    # orthonormal basis (e1, e2) of the plane perpendicular to n0
    trial = np.where(np.abs(n0[:, :1]) < 0.9, np.array([[1.0, 0, 0]]), np.array([[0, 1.0, 0]]))
    e1 = trial - np.sum(trial * n0, axis=1, keepdims=True) * n0
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True)
    e2 = np.cross(n0, e1)
    E = np.stack([e1, e2], axis=2)  # (T', 3, 2)
    cov_perp = np.einsum("tai,tab,tbj->tij", E, cov[ok], E)
    vmin = np.linalg.eigvalsh(cov_perp)[:, 0]
    out[ok] = r.n_spins * vmin / norm[ok] ** 2
    return out


def oat_model(n: int, chi: float = 1.0) -> SpinModel:
    r"""One-axis twisting :math:`H = \chi S_z^2` for ``n`` spins as a :class:`SpinModel`.

    .. math:: \chi S_z^2 = \frac{\chi}{4}\sum_{i\neq j}\sigma_i^z\sigma_j^z + \frac{\chi N}{4},

    i.e. all-to-all couplings :math:`J_{ij}^{zz} = \chi/4` (the constant is dropped), no fields, no
    dissipation (M. Kitagawa and M. Ueda, "Squeezed spin states", Phys. Rev. A 47, 5138, 1993).

    Parameters
    ----------
    n : int
        Number of spins, >= 2.
    chi : float
        Twisting strength :math:`\chi`.
    """
    n = check_int("n", n, minimum=2)
    chi = check_real_scalar("chi", chi)
    return SpinModel.from_graph(
        np.zeros((n, 3)), np.full((n, n), chi / 4), np.diag([0.0, 0.0, 1.0])
    )


def kitagawa_ueda(n: int, chi: float, t: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact one-axis twisting from the coherent state along x: :math:`\langle S_x\rangle(t)` and
    the Wineland parameter :math:`\xi_R^2(t)` (M. Kitagawa and M. Ueda, "Squeezed spin states",
    Phys. Rev. A 47, 5138, 1993).

    With :math:`\mu = 2\chi t`, :math:`A = 1 - \cos^{N-2}\mu`, :math:`B = 4\sin(\mu/2)
    \cos^{N-2}(\mu/2)`:

    .. math:: \langle S_x\rangle = \frac N2\cos^{N-1}\frac\mu2,\qquad
              V_- = \frac N4\Big[1 + \frac{N-1}4\big(A - \sqrt{A^2+B^2}\big)\Big],\qquad
              \xi_R^2 = \frac{N V_-}{\langle S_x\rangle^2}.

    Parameters
    ----------
    n : int
        Number of spins, >= 2.
    chi : float
        Twisting strength of :math:`H = \chi S_z^2` (see :func:`oat_model`).
    t : float or (T,) array_like
        Times.

    Returns
    -------
    sx, xi2 : ndarray, shape of ``t``
    """
    n = check_int("n", n, minimum=2)
    chi = check_real_scalar("chi", chi)
    t = as_real_array("t", t, max_ndim=1)
    mu = 2 * chi * t
    sx = n / 2 * np.cos(mu / 2) ** (n - 1)
    a = 1 - np.cos(mu) ** (n - 2)
    b = 4 * np.sin(mu / 2) * np.cos(mu / 2) ** (n - 2)
    vm = n / 4 * (1 + (n - 1) / 4 * (a - np.sqrt(a**2 + b**2)))
    return sx, n * vm / sx**2
