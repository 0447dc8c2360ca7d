"""The ``qubit`` kind: a qubit relaxing in a thermal bath, in closed form."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..._meta import make_meta
from ..._operators import sigmaz
from ..._states import bloch_state, bloch_vector, thermal_state
from .._problems import DensityProblem
from .._schema import Choice, ConfigError, Int, Real, Table

__all__ = ["QubitProblem"]


class QubitProblem(DensityProblem):
    r"""A qubit relaxing in a thermal bath, in closed form (:func:`qbath.master.qubit_relaxation`).

    :math:`H = (\omega/2)\sigma_z`, jump operators :math:`\sigma_-` at rate :math:`\gamma(\bar n+1)`
    and :math:`\sigma_+` at rate :math:`\gamma\bar n`, :math:`\bar n = 1/(e^{\beta\omega}-1)`.
    No ODE is integrated (``solver.method`` is ``"closed_form"``, the only choice): cheap enough to
    test the command-line plumbing and to demonstrate sweeps.
    """

    kind = "qubit"
    description = (
        "a qubit relaxing in a thermal bath, closed form (cheap; for trying the CLI and sweeps)"
    )
    model_spec = Table(
        fields={
            "omega": Real(minimum=0.0, strict_min=True, doc="level splitting"),
            "gamma": Real(minimum=0.0, doc="spontaneous emission rate"),
            "beta": Real(minimum=0.0, allow_inf=True, doc="inverse temperature of the bath"),
        }
    )
    solver_spec = Table(
        fields={
            "method": Choice(("closed_form",), default="closed_form", doc="how the kind is solved"),
            "t_max": Real(minimum=0.0, strict_min=True),
            "n_times": Int(minimum=2, default=101),
            "delay": Real(
                minimum=0.0,
                default=0.0,
                doc="seconds to wait per solve (stands in for an expensive model)",
            ),
        }
    )
    default_expect = ("X", "Y", "Z")
    default_outputs = ("final_Z", "final_l1_coherence", "steady_Z")

    @classmethod
    def n_qubits(cls, data: Mapping[str, Any]) -> int:
        return 1

    def system_hamiltonian(self) -> np.ndarray:
        return 0.5 * self.data["model"]["omega"] * sigmaz()

    def _delay(self) -> None:
        if self.data["solver"]["delay"] > 0:
            time.sleep(self.data["solver"]["delay"])

    def solve(self) -> Any:
        from ...master import QubitResult, qubit_relaxation

        self._delay()
        m, s = self.data["model"], self.data["solver"]
        omega, gamma, beta = m["omega"], m["gamma"], m["beta"]
        t = np.linspace(0.0, s["t_max"], s["n_times"])
        if not beta > 0:
            raise ConfigError(
                "model.beta", "a value > 0 (the rate diverges at infinite temperature)", "0.0"
            )
        states = bloch_state(qubit_relaxation(omega, gamma, beta, bloch_vector(self.rho0), t))
        meta = make_meta("qubit", omega=omega, gamma=gamma, beta=beta, method="closed form")
        return QubitResult(t, states, meta)

    def compute_steady_state(self) -> np.ndarray:
        return thermal_state(self.system_hamiltonian(), self.data["model"]["beta"])
