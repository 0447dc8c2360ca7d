"""The ``qubit`` kind: a qubit relaxing in a thermal bath, in closed form."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..._meta import make_meta
from ..._operators import sigmaz
from ..._states import bloch_state, bloch_vector, thermal_state
from .._problems import ODE_METHODS, DensityProblem, ode_check, ode_fields, ode_options
from .._schema import Choice, ConfigError, Int, Real, Table

__all__ = ["QubitProblem"]


def _closed_form_check(key: str, solver: dict[str, Any]) -> None:
    if solver["method"] != "closed_form":
        ode_check()(key, solver)
        return
    for name in ("rtol", "atol", "dt"):
        if solver.get(name) is not None:
            raise ConfigError(
                f"{key}.{name}" if key else name,
                f"no {name} with method = 'closed_form' (no ODE is integrated; name an ODE method, "
                f"e.g. method = 'dopri5', to integrate one)",
                repr(solver[name]),
            )


class QubitProblem(DensityProblem):
    r"""A qubit relaxing in a thermal bath, in closed form (:func:`qbath.master.qubit_relaxation`).

    :math:`H = (\omega/2)\sigma_z`, jump operators :math:`\sigma_-` at rate :math:`\gamma(\bar n+1)`
    and :math:`\sigma_+` at rate :math:`\gamma\bar n`, :math:`\bar n = 1/(e^{\beta\omega}-1)`.
    ``solver.method = "closed_form"`` (the default) integrates no ODE: cheap enough to test the
    command-line plumbing and to demonstrate sweeps. An ODE method name (``"dopri5"``, ``"rk4"``,
    ``"dop853"``, ``"bdf"``, with ``rtol``, ``atol`` or ``dt`` as in every kind) integrates the
    same master equation with :func:`qbath.mesolve` instead.
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
            "t_max": Real(minimum=0.0, strict_min=True),
            "n_times": Int(minimum=2, default=101),
            "delay": Real(
                minimum=0.0,
                default=0.0,
                doc="seconds to wait per solve (stands in for an expensive model)",
            ),
            **ode_fields(),
            "method": Choice(
                ("closed_form", *ODE_METHODS),
                default="closed_form",
                doc="closed_form, or the ODE layer's integration method (through mesolve)",
            ),
        },
        check=_closed_form_check,
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
        if s["method"] != "closed_form":
            return self._integrate(t)
        states = bloch_state(qubit_relaxation(omega, gamma, beta, bloch_vector(self.rho0), t))
        meta = make_meta("qubit", omega=omega, gamma=gamma, beta=beta, method="closed form")
        return QubitResult(t, states, meta)

    def _integrate(self, t: np.ndarray) -> Any:
        r"""The same master equation through :func:`qbath.mesolve`: :math:`\sigma_-` at rate
        :math:`\gamma(\bar n+1)`, :math:`\sigma_+` at :math:`\gamma\bar n`."""
        from ..._operators import sigmam, sigmap
        from ...solve import mesolve

        m = self.data["model"]
        nbar = 1.0 / np.expm1(m["beta"] * m["omega"])  # 0 at beta = inf
        c_ops = [
            np.sqrt(m["gamma"] * (nbar + 1.0)) * sigmam(),
            np.sqrt(m["gamma"] * nbar) * sigmap(),
        ]
        return mesolve(
            self.system_hamiltonian(), self.rho0, t, c_ops, **ode_options(self.data["solver"])
        )

    def compute_steady_state(self) -> np.ndarray:
        return thermal_state(self.system_hamiltonian(), self.data["model"]["beta"])
