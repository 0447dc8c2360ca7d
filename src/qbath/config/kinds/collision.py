"""The ``collision`` kind: system qubits colliding with structured ancillae (:mod:`qbath.collision`).

``solver.map`` chooses the collision map (``"exact"`` or ``"second_order"``). No ODE is
integrated, so ``solver.method`` (the ODE integration method in the kinds that integrate one) is
refused here with an error naming ``solver.map``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import numpy as np

from ...collision import LEDGER
from .._drive import DRIVES, check_drives, drive_terms
from .._pauli import check_pauli_lengths, pauli_operator
from .._problems import DensityProblem
from .._schema import Any_, Choice, ConfigError, Int, PauliSum, Real, Table, Variant

__all__ = ["CollisionProblem"]

_REAL = Real()
_BETA = Real(minimum=0.0, allow_inf=True, doc="inverse temperature of the ancillae")
_DT = Real(minimum=0.0, strict_min=True, doc="collision time")


_MAPS = ("exact", "second_order")


def _no_ode_method(key: str, value: Any) -> None:
    """``solver.method`` of a kind that integrates no ODE: refused, pointing to ``solver.map``."""
    if isinstance(value, str) and value in _MAPS:
        hint = f"did you mean solver.map = {value!r}? (the collision map is solver.map)"
    else:
        hint = (
            "the collision kind iterates a collision map and integrates no ODE; choose the map "
            "with solver.map = 'exact' or 'second_order'"
        )
    raise ConfigError(
        key, "no solver.method in the collision kind (it integrates no ODE)", f"{value!r}; {hint}"
    )


def _check_pauli_model(data: Mapping[str, Any]) -> None:
    m = data["model"]
    ns, na = m["system_qubits"], m["ancilla_qubits"]
    check_pauli_lengths("model.h_s", m["h_s"], ns)
    check_pauli_lengths("model.h_e", m["h_e"], na)
    check_pauli_lengths("model.h_se", m["h_se"], ns + na)


class CollisionProblem(DensityProblem):
    """Collision model with structured ancillae (seed 001), through :mod:`qbath.collision`."""

    kind = "collision"
    description = "system qubits colliding with structured ancillae (qbath.collision, seed 001)"
    model_spec = Variant(
        selector="preset",
        options={
            "structured_example1": Table(
                fields={
                    "omega_s": _REAL,
                    "omega_1": _REAL,
                    "omega_2": _REAL,
                    "kappa": _REAL,
                    "alpha_1": _REAL,
                    "alpha_2": _REAL,
                    "beta": _BETA,
                    "dt": _DT,
                }
            ),
            "structured_example2": Table(
                fields={
                    "omega_s": _REAL,
                    "omega_1": _REAL,
                    "omega_2": _REAL,
                    "kappa": _REAL,
                    "alpha": _REAL,
                    "beta": _BETA,
                    "dt": _DT,
                    "variant": Choice(("paper", "resonant"), default="paper"),
                }
            ),
            "pauli": Table(
                fields={
                    "system_qubits": Int(minimum=1, maximum=8),
                    "ancilla_qubits": Int(minimum=1, maximum=8),
                    "h_s": PauliSum(),
                    "h_e": PauliSum(),
                    "h_se": PauliSum(),
                    "beta": _BETA,
                    "dt": _DT,
                    "drive": DRIVES,
                }
            ),
        },
    )
    solver_spec = Table(
        fields={
            "map": Choice(_MAPS, default="exact", doc="the collision map"),
            "method": Any_(
                check=_no_ode_method,
                what="nothing (the collision kind integrates no ODE; see solver.map)",
                default=None,
            ),
            "n_collisions": Int(minimum=1, default=200),
        }
    )
    default_expect = ("X", "Y", "Z")
    default_outputs = ("steady_Z", "steady_l1_coherence", "steady_heat", "steady_switching_work")
    extra_help = (
        "steady_<q> (one collision from the steady state) or total_<q> (summed over the run), <q> one of "
        + ", ".join(LEDGER)
    )
    extra_outputs = {
        **{f"steady_{k}": f"{v}, one collision from the steady state" for k, v in LEDGER.items()},
        **{f"total_{k}": f"{v}, summed over the trajectory" for k, v in LEDGER.items()},
    }

    @classmethod
    def n_qubits(cls, data: Mapping[str, Any]) -> int:
        m = data["model"]
        return m["system_qubits"] if m["preset"] == "pauli" else 1

    @classmethod
    def check(cls, data: Mapping[str, Any]) -> None:
        if data["model"]["preset"] == "pauli":
            _check_pauli_model(data)
            check_drives("model.drive", data["model"]["drive"], data["model"]["system_qubits"])
        super().check(data)

    @cached_property
    def model(self) -> Any:
        from ... import collision

        m = dict(self.data["model"])
        preset = m.pop("preset")
        m.pop("drive", None)
        if preset == "pauli":
            ns, na = m["system_qubits"], m["ancilla_qubits"]
            return collision.CollisionModel(
                pauli_operator(m["h_s"]),
                pauli_operator(m["h_e"]),
                pauli_operator(m["h_se"]),
                m["dt"],
                beta=m["beta"],
                system_dims=(2,) * ns,
                ancilla_dims=(2,) * na,
            )
        return getattr(collision, preset)(**m)

    @property
    def method(self) -> str:
        """The collision map (``solver.map``), the ``method`` of :func:`qbath.collision.evolve`."""
        return self.data["solver"]["map"]

    def system_hamiltonian(self) -> np.ndarray:
        return np.asarray(self.model.h_s)

    def solve(self) -> Any:
        from ... import collision

        n = self.data["solver"]["n_collisions"]
        return collision.evolve(
            self.model, self.rho0, n, method=self.method, h_s_sequence=self._driven_h_s()
        )

    def _driven_h_s(self) -> Any:
        """H_S(t) of a driven system (``[[model.drive]]``), or None."""
        terms = drive_terms("model.drive", self.data["model"].get("drive", []))
        if not terms:
            return None
        h0 = np.asarray(self.model.h_s)
        return lambda t: h0 + sum(f(t) * O for O, f in terms)

    def compute_steady_state(self) -> np.ndarray:
        from ... import collision

        if self.data["model"].get("drive"):
            raise ConfigError(
                "output",
                "no steady_... quantity for a driven collision model (it has no steady state); "
                "list total_... or final_... outputs in [output] values",
                "a steady-state output with [[model.drive]] tables",
            )
        return np.asarray(collision.steady_state(self.model, method=self.method))

    @cached_property
    def _steady_collision(self) -> Any:
        from ... import collision

        return collision.evolve(self.model, self.steady, 1, method=self.method)

    def extra(self, name: str) -> float:
        prefix, what = name.split("_", 1)
        if prefix == "steady":
            return float(np.asarray(getattr(self._steady_collision, what))[0])
        return float(np.sum(np.asarray(getattr(self.result, what), dtype=float)))
