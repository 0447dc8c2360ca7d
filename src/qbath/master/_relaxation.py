r"""A qubit relaxing in a thermal bath, in closed form.

The quantum optical master equation of a two-level atom in a thermal field (Breuer & Petruccione,
"The Theory of Open Quantum Systems", 2002): :math:`H = (\omega/2)\sigma_z`, jump operators
:math:`\sigma_-` at rate :math:`\gamma(\bar n+1)` and :math:`\sigma_+` at rate :math:`\gamma\bar n`,
:math:`\bar n = 1/(e^{\beta\omega}-1)`. Its Bloch vector relaxes exponentially, with
:math:`\Gamma = \gamma(2\bar n+1) = \gamma\coth(\beta\omega/2)`:

.. math::
    z(t) = z_\infty + (z_0 - z_\infty)e^{-\Gamma t},\quad z_\infty = -\tanh(\beta\omega/2),\qquad
    (x - iy)(t) = (x_0 - iy_0)\,e^{-(i\omega + \Gamma/2)t}.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import as_real_shaped, check_real_scalar, check_times
from .._errors import InputError

__all__ = ["qubit_relaxation"]


def qubit_relaxation(
    omega: float, gamma: float, beta: float, bloch0: Any, times: Any
) -> np.ndarray:
    r"""Bloch vectors of a qubit relaxing in a thermal bath (module docstring), in closed form.

    Parameters
    ----------
    omega : float
        Level splitting, > 0.
    gamma : float
        Spontaneous emission rate, >= 0.
    beta : float
        Inverse temperature of the bath, > 0 (``inf`` for zero temperature).
    bloch0 : (3,) array_like
        Initial Bloch vector (x, y, z), length <= 1.
    times : (T,) array_like
        Increasing times.

    Returns
    -------
    (T, 3) ndarray
        The Bloch vector at each time.
    """
    omega = check_real_scalar("omega", omega, minimum=0.0, strict=True)
    gamma = check_real_scalar("gamma", gamma, minimum=0.0)
    beta = check_real_scalar("beta", beta, minimum=0.0, strict=True, allow_inf=True)
    x0, y0, z0 = as_real_shaped("bloch0", bloch0, (3,), what="a Bloch vector")
    if x0 * x0 + y0 * y0 + z0 * z0 > 1 + 1e-12:
        raise InputError(f"bloch0: expected a Bloch vector of length <= 1, got {[x0, y0, z0]}")
    t = check_times("times", times, min_length=1)
    rate = gamma / np.tanh(beta * omega / 2)  # gamma (2 n + 1)
    z_inf = -np.tanh(beta * omega / 2)
    z = z_inf + (z0 - z_inf) * np.exp(-rate * t)
    c = (x0 - 1j * y0) * np.exp(-(1j * omega + rate / 2) * t)
    return np.stack([c.real, -c.imag, z], axis=-1)
