r"""Model kinds of ``qbath run`` / ``qbath sweep``: configuration schema -> model -> solver -> data.

Each kind is a :class:`Problem` subclass: class attributes give the schema of ``[model]``,
``[initial]`` and ``[solver]``; an instance builds the model from a validated configuration and
computes, lazily and at most once, the trajectory and (where defined) the steady state. From these
:mod:`qbath.config._run` makes an ``xarray.Dataset`` (``qbath run``) or a few named scalars per
point (``qbath sweep``).

The physics modules are imported inside the methods, so validating a configuration never imports
them (and ``qbath --help`` stays fast).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from .._meta import make_meta
from .._operators import sigmaz
from .._states import (
    bloch_state,
    bloch_vector,
    l1_coherence,
    purity,
    thermal_state,
    von_neumann_entropy,
)
from ..collision import LEDGER
from ._pauli import check_pauli_lengths, observable, observable_string, pauli_operator
from ._schema import (
    Bool,
    Choice,
    ConfigError,
    Int,
    PauliSum,
    Real,
    RealArray,
    Spec,
    Table,
    TableList,
    Variant,
)
from ._sections import QUBIT_INITIAL, check_initial, initial_bloch, initial_state

__all__ = ["Problem", "DensityProblem", "QubitProblem", "CollisionProblem", "GKSLProblem", "SpinsProblem"]

_FUNCTIONALS = {
    "l1_coherence": ("l1 norm of coherence in the computational basis", l1_coherence),
    "purity": ("purity Tr rho^2", purity),
    "entropy": ("von Neumann entropy (nats)", von_neumann_entropy),
}


class Problem:
    """Base class of a model kind.

    A subclass sets ``kind``, ``description``, the table specs ``model_spec``, ``initial_spec``,
    ``solver_spec`` (see :mod:`qbath.config._schema`) and the defaults of ``[output] expect`` and
    ``[sweep] outputs``; implements :meth:`solve` (build the model from the validated ``self.data``
    and return the solver's result, which :func:`qbath.io.to_dataset` understands), :meth:`scalar`
    and the class methods :meth:`check_observable`, :meth:`check_output`, :meth:`output_help`.
    :class:`DensityProblem` implements the scalar outputs for density-matrix results.
    Register it with :func:`qbath.config.register_kind`. Instances are cheap: nothing is computed
    before :attr:`result` (or :meth:`scalar`) is asked for, and at most once.
    """

    #: registry name (``kind = "..."`` in the configuration)
    kind: ClassVar[str] = ""
    description: ClassVar[str] = ""
    model_spec: ClassVar[Spec] = Table()
    initial_spec: ClassVar[Spec] = QUBIT_INITIAL
    solver_spec: ClassVar[Spec] = Table()
    default_expect: ClassVar[tuple[str, ...]] = ()
    default_outputs: ClassVar[tuple[str, ...]] = ()
    #: kind-specific scalar outputs: name -> description
    extra_outputs: ClassVar[dict[str, str]] = {}

    def __init__(self, data: Mapping[str, Any]):
        self.data = data

    # ---- validation across tables (no physics imported) ------------------------------------------
    @classmethod
    def check(cls, data: Mapping[str, Any]) -> None:
        """Cross-table checks; raise :class:`ConfigError` naming the key."""
        for i, name in enumerate(data["output"]["expect"]):
            cls.check_observable(f"output.expect[{i}]", name, data)
        for i, name in enumerate(data["sweep"]["outputs"]):
            cls.check_output(f"sweep.outputs[{i}]", name, data)

    @classmethod
    def check_observable(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        raise NotImplementedError

    @classmethod
    def output_help(cls, data: Mapping[str, Any]) -> str:
        raise NotImplementedError

    @classmethod
    def check_output(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        raise NotImplementedError

    # ---- computation ---------------------------------------------------------------------------
    @cached_property
    def result(self) -> Any:
        """The solver's result (computed on first use)."""
        return self.solve()

    def solve(self) -> Any:
        """Build the model and run the solver; returns its result object."""
        raise NotImplementedError

    def scalar(self, name: str) -> float:
        """The value of one (validated) scalar output."""
        raise NotImplementedError


# =================================================================================================
# kinds whose state is a density matrix of qubits
# =================================================================================================
class DensityProblem(Problem):
    """A kind whose trajectory is a stack of density matrices of ``n`` qubits.

    Scalar outputs: ``final_<f>`` (last state of the trajectory) and ``steady_<f>`` (steady state),
    with ``<f>`` an observable name (``Z``, ``Z0``, ``XZ``) or ``l1_coherence``, ``purity``,
    ``entropy``; plus the kind's :attr:`extra_outputs`.
    """

    has_steady_state: ClassVar[bool] = True
    #: short description of :attr:`extra_outputs` for error messages (default: their list)
    extra_help: ClassVar[str] = ""

    @classmethod
    def n_qubits(cls, data: Mapping[str, Any]) -> int:
        raise NotImplementedError

    @classmethod
    def check(cls, data: Mapping[str, Any]) -> None:
        check_initial(data["initial"], cls.n_qubits(data))
        super().check(data)

    @classmethod
    def check_observable(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        observable_string(key, name, cls.n_qubits(data))

    @classmethod
    def output_help(cls, data: Mapping[str, Any]) -> str:
        n = cls.n_qubits(data)
        prefixes = "final_ or steady_" if cls.has_steady_state else "final_"
        extra = cls.extra_help or ", ".join(cls.extra_outputs)
        return (
            f"{prefixes} followed by l1_coherence, purity, entropy or an observable on {n} qubit(s) "
            f"(e.g. {'Z' if n == 1 else 'Z0'})" + (f"; or {extra}" if extra else "")
        )

    @classmethod
    def check_output(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        if name in cls.extra_outputs:
            return
        m = re.fullmatch(r"(final|steady)_(.+)", name)
        ok = m is not None and (m.group(1) == "final" or cls.has_steady_state)
        if ok and m is not None and m.group(2) not in _FUNCTIONALS:
            try:
                observable_string(key, m.group(2), cls.n_qubits(data))
            except ConfigError:
                ok = False
        if not ok:
            raise ConfigError(key, cls.output_help(data), repr(name))

    @property
    def n(self) -> int:
        return self.n_qubits(self.data)

    @cached_property
    def rho0(self) -> np.ndarray:
        return initial_state(self.data["initial"], self.n, hamiltonian=self.system_hamiltonian)

    def system_hamiltonian(self) -> np.ndarray:
        """The system Hamiltonian (for ``initial.thermal_beta``)."""
        raise NotImplementedError

    @cached_property
    def steady(self) -> np.ndarray:
        return self.compute_steady_state()

    def compute_steady_state(self) -> np.ndarray:
        raise NotImplementedError

    def extra(self, name: str) -> float:
        raise NotImplementedError

    def scalar(self, name: str) -> float:
        if name in self.extra_outputs:
            return float(self.extra(name))
        prefix, what = name.split("_", 1)
        rho = np.asarray(self.result.states[-1]) if prefix == "final" else self.steady
        if what in _FUNCTIONALS:
            return float(_FUNCTIONALS[what][1](rho))
        return float(np.real(np.trace(observable(what, self.n) @ rho)))


# ---- qubit: closed form, cheap -------------------------------------------------------------------
class QubitProblem(DensityProblem):
    r"""A qubit relaxing in a thermal bath, in closed form (no ODE solver).

    :math:`H = (\omega/2)\sigma_z`, jump operators :math:`\sigma_-` at rate :math:`\gamma(\bar n+1)`
    and :math:`\sigma_+` at rate :math:`\gamma\bar n`, :math:`\bar n = 1/(e^{\beta\omega}-1)`. With
    :math:`\Gamma = \gamma(2\bar n+1)`:
    :math:`z(t) = z_\infty + (z_0 - z_\infty)e^{-\Gamma t}`, :math:`z_\infty = -\tanh(\beta\omega/2)`,
    :math:`(x - iy)(t) = (x_0 - iy_0)\,e^{-(i\omega + \Gamma/2)t}`.
    Cheap enough to test the command-line plumbing and to demonstrate sweeps.
    """

    kind = "qubit"
    description = "a qubit relaxing in a thermal bath, closed form (cheap; for trying the CLI and sweeps)"
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
            "delay": Real(minimum=0.0, default=0.0, doc="seconds to wait per solve (stands in for an expensive model)"),
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
        from ..master import QubitResult

        self._delay()
        m, s = self.data["model"], self.data["solver"]
        omega, gamma, beta = m["omega"], m["gamma"], m["beta"]
        t = np.linspace(0.0, s["t_max"], s["n_times"])
        x0, y0, z0 = bloch_vector(self.rho0)
        rate = gamma / np.tanh(beta * omega / 2) if beta > 0 else np.inf  # gamma (2 n + 1)
        if not np.isfinite(rate):
            raise ConfigError("model.beta", "a value > 0 (the rate diverges at infinite temperature)", "0.0")
        z_inf = -np.tanh(beta * omega / 2)
        z = z_inf + (z0 - z_inf) * np.exp(-rate * t)
        c = (x0 - 1j * y0) * np.exp(-(1j * omega + rate / 2) * t)
        states = bloch_state(np.stack([c.real, -c.imag, z], axis=-1))
        meta = make_meta("qubit", omega=omega, gamma=gamma, beta=beta, method="closed form")
        return QubitResult(t, states, meta)

    def compute_steady_state(self) -> np.ndarray:
        return thermal_state(self.system_hamiltonian(), self.data["model"]["beta"])


# ---- collision models (qbath.collision) ----------------------------------------------------------
_REAL = Real()
_BETA = Real(minimum=0.0, allow_inf=True, doc="inverse temperature of the ancillae")
_DT = Real(minimum=0.0, strict_min=True, doc="collision time")

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
                    "omega_s": _REAL, "omega_1": _REAL, "omega_2": _REAL, "kappa": _REAL,
                    "alpha_1": _REAL, "alpha_2": _REAL, "beta": _BETA, "dt": _DT,
                }
            ),
            "structured_example2": Table(
                fields={
                    "omega_s": _REAL, "omega_1": _REAL, "omega_2": _REAL, "kappa": _REAL,
                    "alpha": _REAL, "beta": _BETA, "dt": _DT,
                    "variant": Choice(("paper", "resonant"), default="paper"),
                }
            ),
            "pauli": Table(
                fields={
                    "system_qubits": Int(minimum=1, maximum=8),
                    "ancilla_qubits": Int(minimum=1, maximum=8),
                    "h_s": PauliSum(), "h_e": PauliSum(), "h_se": PauliSum(),
                    "beta": _BETA, "dt": _DT,
                }
            ),
        },
    )
    solver_spec = Table(
        fields={
            "method": Choice(("exact", "second_order"), default="exact"),
            "n_collisions": Int(minimum=1, default=200),
        }
    )
    default_expect = ("X", "Y", "Z")
    default_outputs = ("steady_Z", "steady_l1_coherence", "steady_heat", "steady_switching_work")
    extra_help = "steady_<q> (one collision from the steady state) or total_<q> (summed over the run), <q> one of " + ", ".join(LEDGER)
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
        super().check(data)

    @cached_property
    def model(self) -> Any:
        from .. import collision

        m = dict(self.data["model"])
        preset = m.pop("preset")
        if preset == "pauli":
            ns, na = m["system_qubits"], m["ancilla_qubits"]
            return collision.CollisionModel(
                pauli_operator(m["h_s"]), pauli_operator(m["h_e"]), pauli_operator(m["h_se"]), m["dt"],
                beta=m["beta"], system_dims=(2,) * ns, ancilla_dims=(2,) * na,
            )
        return getattr(collision, preset)(**m)

    @property
    def method(self) -> str:
        return self.data["solver"]["method"]

    def system_hamiltonian(self) -> np.ndarray:
        return np.asarray(self.model.h_s)

    def solve(self) -> Any:
        from .. import collision

        n = self.data["solver"]["n_collisions"]
        return collision.evolve(self.model, self.rho0, n, method=self.method)

    def compute_steady_state(self) -> np.ndarray:
        from .. import collision

        return np.asarray(collision.steady_state(self.model, method=self.method))

    @cached_property
    def _steady_collision(self) -> Any:
        from .. import collision

        return collision.evolve(self.model, self.steady, 1, method=self.method)

    def extra(self, name: str) -> float:
        prefix, what = name.split("_", 1)
        if prefix == "steady":
            return float(np.asarray(getattr(self._steady_collision, what))[0])
        return float(np.sum(np.asarray(getattr(self.result, what), dtype=float)))


#: ODE tolerances of the integrating kinds (omitted: the solver's own defaults)
_TOLERANCES = {
    "rtol": Real(minimum=0.0, strict_min=True, default=None, doc="relative tolerance of the ODE solver"),
    "atol": Real(minimum=0.0, strict_min=True, default=None, doc="absolute tolerance of the ODE solver"),
}


def _tolerances(solver: Mapping[str, Any]) -> dict[str, float]:
    return {k: solver[k] for k in _TOLERANCES if solver.get(k) is not None}


# ---- GKSL master equations (qbath.master + qbath.solve) ------------------------------------------
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
    description = "a GKSL master equation, microscopic (Davies, with Lamb shift) or phenomenological"
    model_spec = Variant(
        selector="preset",
        options={
            "three_qubits": Table(
                fields={
                    "omega0": Real(doc="qubit frequency"),
                    "coupling_zz": Real(doc="ZZ coupling between the qubits (the seed's beta)"),
                    "lamb_shift": Bool(default=True),
                    "bath": Table(fields=dict(_OHMIC)),
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
                },
                check=_one_generator,
            ),
        },
    )
    solver_spec = Table(
        fields={
            "t_max": Real(minimum=0.0, strict_min=True),
            "n_times": Int(minimum=2, default=201),
            **_TOLERANCES,
        }
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
        super().check(data)

    @cached_property
    def generator(self) -> Any:
        import qbath as qb

        m = self.data["model"]
        if m["preset"] == "three_qubits":
            H, A = qb.master.three_qubits(m["omega0"], m["coupling_zz"])
            b = m["bath"]
            return qb.davies(H, [(A, qb.OhmicBath(b["alpha"], b["cutoff"], b["temperature"]))], lamb_shift=m["lamb_shift"])
        H = pauli_operator(m["h"])
        if m["baths"]:
            pairs = [(pauli_operator(b["op"]), qb.OhmicBath(b["alpha"], b["cutoff"], b["temperature"])) for b in m["baths"]]
            return qb.davies(H, pairs, lamb_shift=m["lamb_shift"])
        return (H, [np.sqrt(t["rate"]) * pauli_operator(t["op"]) for t in m["lindblad"]])

    def system_hamiltonian(self) -> np.ndarray:
        import qbath as qb

        m = self.data["model"]
        if m["preset"] == "three_qubits":
            return np.asarray(qb.master.three_qubits(m["omega0"], m["coupling_zz"])[0])
        return pauli_operator(m["h"])

    def solve(self) -> Any:
        import qbath as qb

        s = self.data["solver"]
        times = np.linspace(0.0, s["t_max"], s["n_times"])
        return qb.mesolve(self.generator, self.rho0, times, **_tolerances(s))

    def compute_steady_state(self) -> np.ndarray:
        import qbath as qb

        return np.asarray(qb.steady_state(self.generator, rho0=self.rho0))


# ---- spin ensembles (qbath.spins) ----------------------------------------------------------------
_COMPONENTS = ("x", "y", "z")


def _coupling_check(key: str, table: dict[str, Any]) -> None:
    if table.get("coupling") is not None and table.get("couplings") is not None:
        raise ConfigError(f"{key}.couplings", "either [model.coupling] or model.couplings, not both", "both")


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
            "field": RealArray(shapes=((3,), (None, 3)), what="a field [hx, hy, hz] for every spin, or one per spin"),
            "coupling": Table(
                fields={
                    "strength": Real(default=1.0),
                    "matrix": RealArray(shapes=((3,), (3, 3)), what="[Jx, Jy, Jz] or a 3x3 matrix J^{ab}"),
                    "topology": Choice(("all", "chain", "ring"), default="all"),
                },
                default=None,
            ),
            "couplings": RealArray(shapes=((None, None, 3, 3),), default=None, what="an (n, n, 3, 3) array J_jk^{ab}"),
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
            "order": Int(minimum=2, maximum=2, default=2, doc="cumulant order (2: the second-order expansion; order 3 is not implemented)"),
            "t_max": Real(minimum=0.0, strict_min=True),
            "n_times": Int(minimum=2, default=201),
            **_TOLERANCES,
        }
    )
    default_expect = ()
    default_outputs = ("final_mean_x", "final_mean_y", "final_mean_z")

    @classmethod
    def check(cls, data: Mapping[str, Any]) -> None:
        m = data["model"]
        n = m["n"]
        f = np.asarray(m["field"])
        if f.ndim == 2 and f.shape[0] != n:
            raise ConfigError("model.field", f"one field or {n} of them (one per spin)", f"{f.shape[0]} fields")
        if m["couplings"] is not None and np.asarray(m["couplings"]).shape[:2] != (n, n):
            raise ConfigError("model.couplings", f"an array of shape ({n}, {n}, 3, 3)", f"shape {np.asarray(m['couplings']).shape}")
        initial_bloch(data["initial"], n)
        super().check(data)

    @classmethod
    def check_observable(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        raise ConfigError(key, "nothing: spin runs always record every Bloch vector (leave output.expect out)", repr(name))

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
        from .. import spins

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
        from .. import spins

        s = self.data["solver"]
        times = np.linspace(0.0, s["t_max"], s["n_times"])
        bloch0 = initial_bloch(self.data["initial"], self.data["model"]["n"])
        tol = _tolerances(s)
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


#: built-in kinds, in the order ``qbath kinds`` lists them
BUILTIN = (CollisionProblem, GKSLProblem, SpinsProblem, QubitProblem)
