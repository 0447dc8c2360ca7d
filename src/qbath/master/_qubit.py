r"""Result of the closed-form thermal relaxation of one qubit (the ``qubit`` configuration kind).

:math:`H = (\omega/2)\sigma_z` with jump operators :math:`\sigma_-` at rate :math:`\gamma(\bar n+1)`
and :math:`\sigma_+` at rate :math:`\gamma\bar n` relaxes as :math:`z(t) = z_\infty + (z_0 -
z_\infty)e^{-\Gamma t}`, :math:`(x - iy)(t) = (x_0 - iy_0)e^{-(i\omega + \Gamma/2)t}` with
:math:`\Gamma = \gamma(2\bar n+1)` (H.-P. Breuer and F. Petruccione, "The Theory of Open Quantum
Systems", 2002).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._result import DensityResult

__all__ = ["QubitResult"]


@dataclass(frozen=True, eq=False, repr=False)
class QubitResult(DensityResult):
    """A qubit trajectory given in closed form (no ODE solver).

    Attributes
    ----------
    times : (T,) ndarray
    states : (T, 2, 2) ndarray
    meta : dict
    expect : list of (T,) ndarray, or dict name -> (T,)
        Observables asked for (none by default; ``bloch`` holds the Bloch vectors).
    stats : dict

    Also ``final_state``, ``bloch`` (T, 3), ``coherence`` (T,).
    """

    times: np.ndarray
    states: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)
    expect: list[np.ndarray] | dict[str, np.ndarray] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def final_state(self) -> np.ndarray:
        """The state at ``times[-1]``, shape (2, 2)."""
        return self.states[-1]
