"""The ``gksl`` kind: a GKSL master equation, microscopic (Davies) or phenomenological.

``solver.method`` names the ODE layer's integration method (``"dopri5"``, ``"rk4"``, ``"dop853"``,
``"bdf"``; omitted: :func:`qbath.mesolve`'s default). ``[[model.drive]]`` tables add driven terms
:math:`f(t)O` to the Hamiltonian (:mod:`qbath.config._drive`); a driven problem has no steady state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np

from .._drive import DRIVES, check_drives, drive_terms
from .._pauli import check_pauli_lengths, pauli_operator
from .._problems import DensityProblem, ode_check, ode_fields, ode_options
from .._schema import Bool, ConfigError, Int, PauliSum, Real, Table, TableList, Variant

__all__ = ["GKSLProblem"]

_OHMIC = {
    "alpha": Real(minimum=0.0, doc="Ohmic coupling strength"),
    "cutoff": Real(minimum=0.0, strict_min=True, doc="cutoff frequency"),
    "temperature": Real(minimum=0.0, doc="bath temperature"),
}


def _one_generator(key: str, table: dict[str, Any]) -> None:
    if bool(table.get("lindblad")) == bool(table.get("baths")):
        given = "both" if table.get("lindblad") else "neither"
        raise ConfigError(
            f"{key}.lindblad" if key else "lindblad",
            "exactly one of [[model.lindblad]] (phenomenological rates) or [[model.baths]] (microscopic Davies)",
            given,
        )


class GKSLProblem(DensityProblem):
    """A GKSL master equation: microscopic (Davies) from baths, or phenomenological rates."""

    kind = "gksl"
    description = (
        "a GKSL master equation, microscopic (Davies, with Lamb shift) or phenomenological"
    )
    model_spec = Variant(
        selector="preset",
        options={
            "three_qubits": Table(
                fields={
                    "omega0": Real(doc="qubit frequency"),
                    "coupling_zz": Real(doc="ZZ coupling between the qubits (the seed's beta)"),
                    "lamb_shift": Bool(default=True),
                    "bath": Table(fields=dict(_OHMIC)),
                    "drive": DRIVES,
                }
            ),
            "pauli": Table(
                fields={
                    "qubits": Int(minimum=1, maximum=10),
                    "h": PauliSum(),
                    "lamb_shift": Bool(default=True),
                    "lindblad": TableList(
                        item=Table(fields={"rate": Real(minimum=0.0), "op": PauliSum()}), default=[]
                    ),
                    "baths": TableList(item=Table(fields={"op": PauliSum(), **_OHMIC}), default=[]),
                    "drive": DRIVES,
                },
                check=_one_generator,
            ),
        },
    )
    solver_spec = Table(
        fields={
            "t_max": Real(minimum=0.0, strict_min=True),
            "n_times": Int(minimum=2, default=201),
            **ode_fields(),
        },
        check=ode_check(),
    )
    default_expect = ()
    default_outputs = ("final_l1_coherence", "final_purity")

    @classmethod
    def n_qubits(cls, data: Mapping[str, Any]) -> int:
        m = data["model"]
        return 3 if m["preset"] == "three_qubits" else m["qubits"]

    @classmethod
    def check(cls, data: Mapping[str, Any]) -> None:
        m = data["model"]
        if m["preset"] == "pauli":
            n = m["qubits"]
            check_pauli_lengths("model.h", m["h"], n)
            for group in ("lindblad", "baths"):
                for i, t in enumerate(m[group]):
                    check_pauli_lengths(f"model.{group}[{i}].op", t["op"], n)
        check_drives("model.drive", m["drive"], cls.n_qubits(data))
        super().check(data)

    @cached_property
    def generator(self) -> Any:
        from ...master import OhmicBath, davies, three_qubits

        m = self.data["model"]
        if m["preset"] == "three_qubits":
            H, A = three_qubits(m["omega0"], m["coupling_zz"])
            b = m["bath"]
            return davies(
                H,
                [(A, OhmicBath(b["alpha"], b["cutoff"], b["temperature"]))],
                lamb_shift=m["lamb_shift"],
            )
        H = pauli_operator(m["h"])
        if m["baths"]:
            pairs = [
                (pauli_operator(b["op"]), OhmicBath(b["alpha"], b["cutoff"], b["temperature"]))
                for b in m["baths"]
            ]
            return davies(H, pairs, lamb_shift=m["lamb_shift"])
        return (H, [np.sqrt(t["rate"]) * pauli_operator(t["op"]) for t in m["lindblad"]])

    @cached_property
    def drives(self) -> list[list[Any]]:
        """The ``[[model.drive]]`` terms in QuTiP's list form, ``[[O_k, f_k], ...]``."""
        return drive_terms("model.drive", self.data["model"]["drive"])

    def system_hamiltonian(self) -> np.ndarray:
        from ...master import three_qubits

        m = self.data["model"]
        if m["preset"] == "three_qubits":
            return np.asarray(three_qubits(m["omega0"], m["coupling_zz"])[0])
        return pauli_operator(m["h"])

    def solve(self) -> Any:
        from ...solve import mesolve

        s = self.data["solver"]
        times = np.linspace(0.0, s["t_max"], s["n_times"])
        gen = self.generator  # a GKSL, or a pair (H, c_ops)
        H, c_ops = gen if isinstance(gen, tuple) else (gen, None)
        if self.drives:
            H = [H, *self.drives]  # QuTiP's list form; a GKSL keeps its dissipators
        return mesolve(H, self.rho0, times, c_ops, **ode_options(s))

    @classmethod
    def evaluate_batch(
        cls, datas: Sequence[Mapping[str, Any]], names: Sequence[str]
    ) -> list[dict[str, float] | None]:
        """Sweep points in batched calls: points with the same qubits (at most 3), time grid and
        method, without drives, share one ``mesolve_batch`` / ``steady_state_batch``
        (:mod:`qbath.config._batch`); None for the others."""
        from .._batch import evaluate_grouped, gksl_key, solve_gksl_group

        return evaluate_grouped(cls, datas, names, gksl_key, solve_gksl_group)

    def compute_steady_state(self) -> np.ndarray:
        from ...solve import steady_state

        if self.data["model"]["drive"]:
            raise ConfigError(
                "output",
                "no steady_... quantity for a driven problem (it has no steady state); list "
                "final_... outputs in [output] values",
                "a steady-state output with [[model.drive]] tables",
            )
        return np.asarray(steady_state(self.generator, rho0=self.rho0))
