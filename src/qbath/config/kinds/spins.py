"""The ``spins`` kind: N interacting spins, mean field, cumulants or exact (:mod:`qbath.spins`).

``solver.method`` chooses the level of the hierarchy (``"meanfield"``, ``"cumulant"``, ``"exact"``);
``solver.integrator`` names the ODE layer's integration method (``"dopri5"``, ``"rk4"``,
``"dop853"``, ``"bdf"``; omitted: the solver's default).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import numpy as np

from .._problems import Problem, ode_check, ode_fields, ode_options
from .._schema import Choice, ConfigError, Int, Real, RealArray, Table
from .._sections import QUBIT_INITIAL, initial_bloch

__all__ = ["SpinsProblem"]

_COMPONENTS = ("x", "y", "z")


def _coupling_check(key: str, table: dict[str, Any]) -> None:
    if table.get("coupling") is not None and table.get("couplings") is not None:
        raise ConfigError(
            f"{key}.couplings", "either [model.coupling] or model.couplings, not both", "both"
        )


class SpinsProblem(Problem):
    r"""N spins with fields, pairwise couplings and local dissipation (:mod:`qbath.spins`).

    Outputs: ``final_mean_x``, ``final_mean_y``, ``final_mean_z`` (Bloch components averaged over
    the spins at the last time) and ``final_x<i>``, ``final_y<i>``, ``final_z<i>`` for spin ``i``.
    """

    kind = "spins"
    description = "N interacting spins: mean field, cumulants or exact (qbath.spins, seed 003)"
    model_spec = Table(
        fields={
            "n": Int(minimum=1, doc="number of spins"),
            "field": RealArray(
                shapes=((3,), (None, 3)),
                what="a field [hx, hy, hz] for every spin, or one per spin",
            ),
            "coupling": Table(
                fields={
                    "strength": Real(default=1.0),
                    "matrix": RealArray(
                        shapes=((3,), (3, 3)), what="[Jx, Jy, Jz] or a 3x3 matrix J^{ab}"
                    ),
                    "topology": Choice(("all", "chain", "ring"), default="all"),
                },
                default=None,
            ),
            "couplings": RealArray(
                shapes=((None, None, 3, 3),), default=None, what="an (n, n, 3, 3) array J_jk^{ab}"
            ),
            "gamma_minus": Real(minimum=0.0, default=0.0),
            "gamma_plus": Real(minimum=0.0, default=0.0),
            "gamma_z": Real(minimum=0.0, default=0.0),
        },
        check=_coupling_check,
    )
    initial_spec = QUBIT_INITIAL
    solver_spec = Table(
        fields={
            "method": Choice(("meanfield", "cumulant", "exact"), default="cumulant"),
            "order": Int(
                minimum=2,
                maximum=2,
                default=2,
                doc="cumulant order (2: the second-order expansion; order 3 is not implemented)",
            ),
            "t_max": Real(minimum=0.0, strict_min=True),
            "n_times": Int(minimum=2, default=201),
            **ode_fields("integrator"),
        },
        check=ode_check("integrator"),
    )
    default_expect = ()
    default_outputs = ("final_mean_x", "final_mean_y", "final_mean_z")

    @classmethod
    def check(cls, data: Mapping[str, Any]) -> None:
        m = data["model"]
        n = m["n"]
        f = np.asarray(m["field"])
        if f.ndim == 2 and f.shape[0] != n:
            raise ConfigError(
                "model.field", f"one field or {n} of them (one per spin)", f"{f.shape[0]} fields"
            )
        if m["couplings"] is not None and np.asarray(m["couplings"]).shape[:2] != (n, n):
            raise ConfigError(
                "model.couplings",
                f"an array of shape ({n}, {n}, 3, 3)",
                f"shape {np.asarray(m['couplings']).shape}",
            )
        initial_bloch(data["initial"], n)
        super().check(data)

    @classmethod
    def check_observable(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        raise ConfigError(
            key,
            "nothing: spin runs always record every Bloch vector (leave output.expect out)",
            repr(name),
        )

    @classmethod
    def output_help(cls, data: Mapping[str, Any]) -> str:
        n = data["model"]["n"]
        return f"final_mean_x, final_mean_y, final_mean_z, or final_x<i>, final_y<i>, final_z<i> with i in 0..{n - 1}"

    @classmethod
    def check_output(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        m = re.fullmatch(r"final_(?:mean_([xyz])|([xyz])(\d+))", name)
        if m is None or (m.group(3) is not None and int(m.group(3)) >= data["model"]["n"]):
            raise ConfigError(key, cls.output_help(data), repr(name))

    @cached_property
    def model(self) -> Any:
        r"""The :class:`qbath.spins.SpinModel`. A ``[model.coupling]`` table puts
        :math:`\mathrm{strength}\sum_{ab} M^{ab}\sigma_i^a\sigma_j^b` on every neighbouring pair
        :math:`i < j` once (``J[i, j] = strength M`` for ``i < j``, zero below the diagonal)."""
        from ... import spins

        m = self.data["model"]
        n = m["n"]
        fields = np.broadcast_to(np.asarray(m["field"], dtype=float), (n, 3)).copy()
        rates = {k: m[k] for k in ("gamma_minus", "gamma_plus", "gamma_z")}
        c = m["coupling"]
        if m["couplings"] is not None or c is None:
            return spins.SpinModel(fields, m["couplings"], **rates)
        mat = np.asarray(c["matrix"], dtype=float)
        mat = np.diag(mat) if mat.ndim == 1 else mat
        adj = c["strength"] * np.triu(_adjacency(n, c["topology"]))
        if hasattr(spins.SpinModel, "from_graph"):  # N^2 storage for J = A (x) M
            return spins.SpinModel.from_graph(fields, adj, mat, **rates)
        return spins.SpinModel(fields, adj[:, :, None, None] * mat, **rates)

    def solve(self) -> Any:
        from ... import spins

        s = self.data["solver"]
        times = np.linspace(0.0, s["t_max"], s["n_times"])
        bloch0 = initial_bloch(self.data["initial"], self.data["model"]["n"])
        tol = ode_options(s, "integrator", default="dop853")
        if s["method"] == "meanfield":
            return spins.meanfield(self.model, bloch0, times, **tol)
        if s["method"] == "cumulant":
            return spins.cumulant(self.model, bloch0, times, order=s["order"], **tol)
        return spins.exact(self.model, bloch0, times, **tol)

    def scalar(self, name: str) -> float:
        bloch = np.asarray(self.result.bloch, dtype=float)[-1]
        m = re.fullmatch(r"final_(?:mean_([xyz])|([xyz])(\d+))", name)
        assert m is not None
        if m.group(1):
            return float(bloch[:, _COMPONENTS.index(m.group(1))].mean())
        return float(bloch[int(m.group(3)), _COMPONENTS.index(m.group(2))])


def _adjacency(n: int, topology: str) -> np.ndarray:
    """Symmetric 0/1 adjacency matrix (zero diagonal) of ``n`` spins."""
    if topology == "all":
        return np.ones((n, n)) - np.eye(n)
    a = np.zeros((n, n))
    i = np.arange(n - 1)
    a[i, i + 1] = a[i + 1, i] = 1.0
    if topology == "ring" and n > 2:
        a[0, n - 1] = a[n - 1, 0] = 1.0
    return a
