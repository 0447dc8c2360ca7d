"""The ``spins`` kind: N interacting spins, mean field, cumulants or exact (:mod:`qbath.spins`).

``solver.method`` names the ODE layer's integration method (``"dopri5"``, ``"rk4"``, ``"dop853"``,
``"bdf"``; omitted: the solver's default), as in every kind; ``solver.level`` chooses the level of
the hierarchy (``"meanfield"``, ``"cumulant"``, ``"exact"``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import numpy as np

from .._problems import Problem, ode_check, ode_fields, ode_options
from .._schema import Bool, Choice, ConfigError, Int, Real, RealArray, Str, Table
from .._sections import QUBIT_INITIAL, initial_bloch

__all__ = ["SpinsProblem"]

_COMPONENTS = ("x", "y", "z")
_LEVELS = ("meanfield", "cumulant", "exact")
_TOPOLOGIES = ("all", "chain", "ring", "lattice")  # qbath.spins.TOPOLOGIES and lattice


def _coupling_check(key: str, table: dict[str, Any]) -> None:
    if table.get("coupling") is not None and table.get("couplings") is not None:
        raise ConfigError(
            f"{key}.couplings", "either [model.coupling] or model.couplings, not both", "both"
        )


def _lattice_check(key: str, table: dict[str, Any]) -> None:
    k = f"{key}." if key else ""
    given = [name for name in ("rows", "cols") if table.get(name) is not None]
    if table["topology"] == "lattice" and len(given) != 2:
        missing = "rows" if table.get("rows") is None else "cols"
        raise ConfigError(
            f"{k}{missing}", "rows and cols (the lattice size) with topology = 'lattice'", "nothing"
        )
    extra = given + (["periodic"] if table.get("periodic") else [])
    if table["topology"] != "lattice" and extra:
        raise ConfigError(
            f"{k}{extra[0]}", f"no {extra[0]} unless topology = 'lattice'", repr(table[extra[0]])
        )


_COUPLING = Table(
    fields={
        "strength": Real(default=1.0),
        "matrix": RealArray(shapes=((3,), (3, 3)), what="[Jx, Jy, Jz] or a 3x3 matrix J^{ab}"),
        "topology": Choice(_TOPOLOGIES, default="all"),
        "rows": Int(minimum=1, default=None, doc="lattice rows (topology = 'lattice')"),
        "cols": Int(minimum=1, default=None, doc="lattice columns (topology = 'lattice')"),
        "periodic": Bool(default=False, doc="periodic lattice (topology = 'lattice')"),
    },
    default=None,
    check=_lattice_check,
)
_RANDOM_FIELDS = Table(
    fields={
        "scale": Real(minimum=0.0, doc="disorder strength W: fields uniform in [-W, W]"),
        "seed": Int(minimum=0, doc="seed of qbath.spins.random_fields"),
        "axes": Str(
            pattern=r"(?!.*(.).*\1)[xyz]+", default="z", what="distinct letters from 'xyz'"
        ),
    },
    default=None,
)
_LEVEL_HINTS = {
    name: f"did you mean solver.level = {name!r}? (solver.method names the ODE integration method)"
    for name in _LEVELS
}


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
            "random_fields": _RANDOM_FIELDS,
            "coupling": _COUPLING,
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
            "level": Choice(_LEVELS, default="cumulant", doc="level of the hierarchy"),
            "order": Int(
                minimum=2,
                maximum=2,
                default=2,
                doc="cumulant order (2: the second-order expansion; order 3 is not implemented)",
            ),
            "t_max": Real(minimum=0.0, strict_min=True),
            "n_times": Int(minimum=2, default=201),
            **ode_fields(hints=_LEVEL_HINTS),
        },
        check=ode_check(),
        renamed={
            "integrator": "did you mean 'method'? (the ODE integration method is solver.method "
            "in every kind; the level of the hierarchy is solver.level)"
        },
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
        c = m["coupling"]
        if c is not None and c["topology"] == "lattice" and c["rows"] * c["cols"] != n:
            raise ConfigError(
                "model.coupling.rows",
                f"rows * cols = n = {n} (one spin per lattice site)",
                f"rows = {c['rows']}, cols = {c['cols']}",
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
        r"""The :class:`qbath.spins.SpinModel`, built as from Python.

        Fields: ``field`` plus, with ``[model.random_fields]``,
        ``qbath.spins.random_fields(n, scale, seed, axes=axes)``. A ``[model.coupling]`` table is
        ``SpinModel.from_graph(fields, strength * A, M)`` with ``A`` the graph's adjacency
        (``qbath.spins.all_to_all``, ``chain``, ``ring`` or ``lattice``), so
        :math:`H_{\rm int} = \sum_{i\neq j}\mathrm{strength}\,A_{ij}M^{ab}\sigma_i^a\sigma_j^b`."""
        from ... import spins

        m = self.data["model"]
        n = m["n"]
        fields = np.broadcast_to(np.asarray(m["field"], dtype=float), (n, 3)).copy()
        r = m["random_fields"]
        if r is not None:
            fields += spins.random_fields(n, r["scale"], r["seed"], axes=r["axes"])
        rates = {k: m[k] for k in ("gamma_minus", "gamma_plus", "gamma_z")}
        c = m["coupling"]
        if m["couplings"] is not None or c is None:
            return spins.SpinModel(fields, m["couplings"], **rates)
        mat = np.asarray(c["matrix"], dtype=float)
        mat = np.diag(mat) if mat.ndim == 1 else mat
        return spins.SpinModel.from_graph(fields, c["strength"] * _adjacency(c, n), mat, **rates)

    def solve(self) -> Any:
        from ... import spins

        s = self.data["solver"]
        times = np.linspace(0.0, s["t_max"], s["n_times"])
        bloch0 = initial_bloch(self.data["initial"], self.data["model"]["n"])
        tol = ode_options(s, default="dop853")
        if s["level"] == "meanfield":
            return spins.meanfield(self.model, bloch0, times, **tol)
        if s["level"] == "cumulant":
            return spins.cumulant(self.model, bloch0, times, order=s["order"], **tol)
        return spins.exact(self.model, bloch0, times, **tol)

    def scalar(self, name: str) -> float:
        bloch = np.asarray(self.result.bloch, dtype=float)[-1]
        m = re.fullmatch(r"final_(?:mean_([xyz])|([xyz])(\d+))", name)
        assert m is not None
        if m.group(1):
            return float(bloch[:, _COMPONENTS.index(m.group(1))].mean())
        return float(bloch[int(m.group(3)), _COMPONENTS.index(m.group(2))])


def _adjacency(coupling: Mapping[str, Any], n: int) -> Any:
    """The adjacency matrix of the ``[model.coupling]`` table's graph (``qbath.spins`` helpers)."""
    from ... import spins

    topology = coupling["topology"]
    if topology == "lattice":
        return spins.lattice(coupling["rows"], coupling["cols"], periodic=coupling["periodic"])
    return {"all": spins.all_to_all, "chain": spins.chain, "ring": spins.ring}[topology](n)
