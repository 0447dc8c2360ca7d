r"""The D-S-T chain of seed 000 in qbath's basis, and protocols theta(t), phi(t).

Basis mapping (``docs/drive.md``). The seed writes
:math:`|\psi(\theta,\phi)\rangle = \cos(\theta/2)|0\rangle + e^{i\phi}\sin(\theta/2)|1\rangle` with
:math:`\sigma_+ = |1\rangle\langle 0|`. Since its :math:`\sigma_+` raises :math:`|0\rangle` to
:math:`|1\rangle`, the seed's :math:`|0\rangle` is qbath's :math:`|\downarrow\rangle` (index 1) and its
:math:`|1\rangle` is qbath's :math:`|\uparrow\rangle` (index 0). The operators :math:`\sigma_\pm` are
the same abstract operators in both papers, so :math:`H_I = \sigma_+\otimes\sigma_- + \sigma_-\otimes
\sigma_+ = (\sigma_x\otimes\sigma_x + \sigma_y\otimes\sigma_y)/2` needs no translation; only kets and
matrices written in the seed's :math:`(|0\rangle, |1\rangle)` ordering are permuted.

In qbath's basis

.. math::

    |\psi(\theta,\phi)\rangle = \begin{pmatrix} e^{i\phi}\sin(\theta/2) \\ \cos(\theta/2)\end{pmatrix},
    \qquad \vec n = (\sin\theta\cos\phi,\; -\sin\theta\sin\phi,\; -\cos\theta),
    \qquad \langle\sigma_-\rangle = \tfrac12\sin\theta\, e^{i\phi} =: \tau(\theta,\phi).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import as_real_array, check_times
from .._errors import InputError

__all__ = ["dst_ket", "dst_mean_field_hamiltonian"]

AngleFn = Callable[[np.ndarray], np.ndarray]
ANGLE_NAMES = ("theta_d", "phi_d", "theta_t", "phi_t")


def dst_ket(theta: Any, phi: Any) -> np.ndarray:
    r"""The seed's :math:`|\psi(\theta,\phi)\rangle` in qbath's basis (index 0 = up).

    .. math:: |\psi\rangle = \cos(\theta/2)|0\rangle_\mathrm{seed} + e^{i\phi}\sin(\theta/2)
        |1\rangle_\mathrm{seed} = e^{i\phi}\sin(\theta/2)|\uparrow\rangle + \cos(\theta/2)
        |\downarrow\rangle

    Parameters
    ----------
    theta, phi : float or array_like
        Angles (broadcast together), shape (...).

    Returns
    -------
    numpy.ndarray
        Kets of shape (..., 2).
    """
    th = as_real_array("theta", theta)
    ph = as_real_array("phi", phi)
    th, ph = np.broadcast_arrays(th, ph)
    return np.stack([np.exp(1j * ph) * np.sin(th / 2), np.cos(th / 2) + 0j], axis=-1)


def tau(theta: np.ndarray, phi: np.ndarray) -> np.ndarray:
    r""":math:`\tau = \langle\psi|\sigma_-|\psi\rangle = \sin\theta\,e^{i\phi}/2` (no validation)."""
    return 0.5 * np.sin(theta) * np.exp(1j * phi)


def tau_rate(
    theta: np.ndarray, phi: np.ndarray, dtheta: np.ndarray, dphi: np.ndarray
) -> np.ndarray:
    r""":math:`\dot\tau = \tfrac12 e^{i\phi}(\cos\theta\,\dot\theta + i\sin\theta\,\dot\phi)`."""
    return 0.5 * np.exp(1j * phi) * (np.cos(theta) * dtheta + 1j * np.sin(theta) * dphi)


def bloch_direction(theta: np.ndarray, phi: np.ndarray) -> np.ndarray:
    r"""Bloch vector :math:`\vec n(\theta,\phi)` of :func:`dst_ket`, shape (..., 3)."""
    st = np.sin(theta)
    return np.stack([st * np.cos(phi), -st * np.sin(phi), -np.cos(theta)], axis=-1)


def bloch_direction_rate(
    theta: np.ndarray, phi: np.ndarray, dtheta: np.ndarray, dphi: np.ndarray
) -> np.ndarray:
    r""":math:`\dot{\vec n}` for :math:`\vec n(\theta(t), \phi(t))`, shape (..., 3)."""
    st, ct, sp, cp = np.sin(theta), np.cos(theta), np.sin(phi), np.cos(phi)
    return np.stack(
        [ct * cp * dtheta - st * sp * dphi, -ct * sp * dtheta - st * cp * dphi, st * dtheta],
        axis=-1,
    )


def hamiltonian_from_alpha(alpha: np.ndarray) -> np.ndarray:
    r""":math:`\alpha\sigma_+ + \alpha^*\sigma_-` in qbath's basis: ``[[0, alpha], [alpha*, 0]]``."""
    alpha = np.asarray(alpha, dtype=complex)
    H = np.zeros(alpha.shape + (2, 2), dtype=complex)
    H[..., 0, 1] = alpha
    H[..., 1, 0] = np.conj(alpha)
    return H


def dst_mean_field_hamiltonian(theta_d: Any, phi_d: Any, theta_t: Any, phi_t: Any) -> np.ndarray:
    r"""The seed's mean-field Hamiltonian of S in qbath's basis.

    .. math::

        H_S = \langle\psi_D|\langle\psi_T| H_{DST} |\psi_D\rangle|\psi_T\rangle
            = \alpha\sigma_+ + \alpha^*\sigma_-, \qquad
        \alpha = \tfrac12\left(\sin\theta_D e^{i\phi_D} + \sin\theta_T e^{i\phi_T}\right),

    i.e. the matrix ``[[0, alpha], [conj(alpha), 0]]`` (the seed prints ``[[0, alpha*], [alpha, 0]]``
    in its (|0>, |1>) ordering; the two are the same operator).

    Parameters
    ----------
    theta_d, phi_d, theta_t, phi_t : float or array_like
        Angles of D and T, broadcast together to shape (...).

    Returns
    -------
    numpy.ndarray
        Shape (..., 2, 2).
    """
    a = [
        as_real_array(n, v)
        for n, v in zip(ANGLE_NAMES, (theta_d, phi_d, theta_t, phi_t), strict=True)
    ]
    a = np.broadcast_arrays(*a)
    return hamiltonian_from_alpha(tau(a[0], a[1]) + tau(a[2], a[3]))


# --- discrete protocols (stepwise) -----------------------------------------------------------------


def angle_arrays(**angles: Any) -> tuple[np.ndarray, ...]:
    """Validate angle samples of a stepwise protocol and broadcast scalars.

    Each angle is a real scalar (held fixed) or a 1-D array of length n+1 >= 2; all arrays must have
    the same length. Returns float arrays of shape (n+1,) in the order given.
    """
    arrs = {k: as_real_array(k, v, max_ndim=1) for k, v in angles.items()}
    lengths = {k: a.size for k, a in arrs.items() if a.ndim == 1}
    if not lengths:
        raise InputError(
            f"{', '.join(arrs)}: expected at least one angle array of length n+1 >= 2 "
            "(the number of steps is taken from it), got only scalars"
        )
    first, n1 = next(iter(lengths.items()))
    for k, m in lengths.items():
        if m != n1:
            raise InputError(
                f"{k}: expected an array of the same length as {first} ({n1}), got length {m}"
            )
    if n1 < 2:
        raise InputError(f"{first}: expected an array of length n+1 >= 2, got length {n1}")
    return tuple(np.broadcast_to(a, (n1,)).astype(float) for a in arrs.values())


# --- smooth protocols (continuous time) ----------------------------------------------------------


def _five_point_derivative(f: AngleFn, h: float) -> AngleFn:
    """Fourth-order central difference; error ~ h^4 f^(5)/30 + eps/h (about 1e-12 for h = 1e-3)."""

    def df(t: np.ndarray) -> np.ndarray:
        return (f(t - 2 * h) - 8 * f(t - h) + 8 * f(t + h) - f(t + 2 * h)) / (12 * h)

    return df


def _vectorized(name: str, f: Callable[..., Any]) -> AngleFn:
    """Wrap a user callable so it maps a float array to a float array of the same shape."""

    def g(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        try:
            v = np.asarray(f(t), dtype=float)
            if v.shape != t.shape:
                v = np.broadcast_to(v, t.shape).astype(float)
        except (TypeError, ValueError):
            v = np.array([float(f(float(x))) for x in t.ravel()]).reshape(t.shape)
        return v

    g.__name__ = name
    return g


@dataclass(frozen=True)
class SmoothAngle:
    """An angle as a function of time and its derivative (both vectorized)."""

    value: AngleFn
    rate: AngleFn


def smooth_angle(name: str, x: Any, times: np.ndarray, h: float = 1e-3) -> SmoothAngle:
    """Turn a scalar, a callable, a ``(f, df)`` pair or samples on ``times`` into a :class:`SmoothAngle`.

    Samples (an array of the same length as ``times``) are interpolated by a not-a-knot cubic spline,
    whose derivative is the rate.
    """
    if isinstance(x, tuple) and len(x) == 2 and all(callable(c) for c in x):
        return SmoothAngle(_vectorized(name, x[0]), _vectorized(f"d{name}", x[1]))
    if callable(x):
        as_real_array(name, x(float(times[0])))  # a callable giving NaN/complex fails here, named
        f = _vectorized(name, x)
        return SmoothAngle(f, _five_point_derivative(f, h))
    arr = as_real_array(name, x, max_ndim=1)
    if arr.ndim == 0:
        c = float(arr)
        return SmoothAngle(lambda t: np.full(np.shape(t), c), lambda t: np.zeros(np.shape(t)))
    if arr.size != times.size:
        raise InputError(
            f"{name}: expected a scalar, a callable or samples of the same length as times "
            f"({times.size}), got length {arr.size}"
        )
    from scipy.interpolate import CubicSpline

    spline = CubicSpline(times, arr)
    deriv = spline.derivative()
    return SmoothAngle(lambda t: spline(t), lambda t: deriv(t))


@dataclass(frozen=True)
class SmoothProtocol:
    """theta_D(t), phi_D(t), theta_T(t), phi_T(t) with their rates (internal)."""

    theta_d: SmoothAngle
    phi_d: SmoothAngle
    theta_t: SmoothAngle
    phi_t: SmoothAngle

    def angles(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (
            self.theta_d.value(t),
            self.phi_d.value(t),
            self.theta_t.value(t),
            self.phi_t.value(t),
        )

    def rates(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (self.theta_d.rate(t), self.phi_d.rate(t), self.theta_t.rate(t), self.phi_t.rate(t))

    def tau_d(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """tau_D and its rate at ``t``."""
        th, ph = self.theta_d.value(t), self.phi_d.value(t)
        return tau(th, ph), tau_rate(th, ph, self.theta_d.rate(t), self.phi_d.rate(t))

    def tau_t(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """tau_T and its rate at ``t``."""
        th, ph = self.theta_t.value(t), self.phi_t.value(t)
        return tau(th, ph), tau_rate(th, ph, self.theta_t.rate(t), self.phi_t.rate(t))


def smooth_protocol(
    theta_d: Any, phi_d: Any, theta_t: Any, phi_t: Any, times: Any
) -> tuple[SmoothProtocol, np.ndarray]:
    """Validate ``times`` and the four angle specifications."""
    t = check_times("times", times)
    vals = (theta_d, phi_d, theta_t, phi_t)
    parts = [smooth_angle(n, v, t) for n, v in zip(ANGLE_NAMES, vals, strict=True)]
    return SmoothProtocol(*parts), t
