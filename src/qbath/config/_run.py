"""Run a validated configuration: a trajectory Dataset (``qbath run``) or named scalars (``sweep``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from .._result import POSITIVITY_TOL, UNPHYSICAL_KEY, min_eigenvalues
from ._config import Config
from ._kinds import kind_problem
from ._pauli import observable
from ._problems import DensityProblem, Problem

__all__ = [
    "run_config",
    "evaluate_outputs",
    "evaluate_data",
    "make_problem",
    "Total",
    "Totals",
    "ledger_totals",
]

_UNITS = (
    "energies in the units of the Hamiltonian's coefficients (hbar = k_B = 1), entropies in nats"
)

log = logging.getLogger("qbath.config")


def make_problem(cfg: Config) -> Problem:
    """The model kind's :class:`Problem` for a validated configuration (nothing computed yet)."""
    return kind_problem(cfg.kind)(cfg.data)


def run_config(cfg: Config) -> Any:
    """Solve the configuration's model and return an ``xarray.Dataset``.

    Variables: ``expect_<obs>`` for each ``output.expect`` observable; for density-matrix kinds
    ``l1_coherence``, ``purity`` and ``entropy`` along the trajectory; the kind's own variables (the
    collision ledger, spin Bloch vectors, ...); with ``output.states = true`` the complex ``states``.
    Attributes: the result's provenance (``qbath_version``, ``conventions``, parameters, method),
    ``config`` (the validated configuration as JSON), ``config_kind`` and ``title``.
    """
    from ..io import to_dataset

    log.info("running %s (kind %s)", cfg.name, cfg.kind)
    problem = make_problem(cfg)
    expect = None
    if isinstance(problem, DensityProblem):
        expect = {name: observable(name, problem.n) for name in cfg.data["output"]["expect"]}
    attrs = {"config": cfg.to_json(), "config_kind": cfg.kind, "title": cfg.name}
    ds = to_dataset(problem.result, expect=expect, states=cfg.data["output"]["states"], attrs=attrs)
    states = getattr(problem.result, "states", None)
    if isinstance(problem, DensityProblem) and states is not None:
        _add_energy_and_positivity(ds, problem, np.asarray(states))
        _add_bath_ledger(ds, problem)
    _add_unphysical_range(ds, problem.result)
    return ds


def _add_unphysical_range(ds: Any, result: Any) -> None:
    """The solver's flag (``meta["unphysical"]``, or the spin solvers' ``physical.first_violation``)
    as the Dataset attribute ``unphysical`` (flat array of start/stop pairs)."""
    ranges = list(getattr(result, "meta", {}).get(UNPHYSICAL_KEY, []) or [])
    phys = getattr(result, "physical", None)
    first = getattr(phys, "first_violation", None)
    if first is not None and not ranges:
        ranges = [(float(first), float(np.asarray(result.times)[-1]))]
    if ranges:
        ds.attrs[UNPHYSICAL_KEY] = np.asarray(ranges, dtype=float).ravel()


def _add_energy_and_positivity(ds: Any, problem: DensityProblem, states: np.ndarray) -> None:
    r"""``internal_energy`` :math:`U = \mathrm{Tr}[H_S\rho]` and ``min_eigenvalue`` of every state."""
    dim = next(iter(ds.sizes))
    lam = min_eigenvalues(states)
    ds["min_eigenvalue"] = (
        (dim,),
        lam,
        {
            "long_name": "smallest eigenvalue of rho",
            "note": f"below -{POSITIVITY_TOL:g}: rho is not a density matrix (unphysical)",
        },
    )
    u = getattr(problem.result, "internal_energy", None)  # a collision run: H_S(k) of a drive
    if u is None:
        try:
            h = np.asarray(problem.system_hamiltonian())
        except NotImplementedError:
            return
        u = np.einsum("ab,tba->t", h, states).real
    if "internal_energy" not in ds and np.shape(u) == (states.shape[0],):
        ds["internal_energy"] = (
            (dim,),
            np.asarray(u, dtype=float),
            {"long_name": "system energy Tr[H_S rho]", "symbol": "U"},
        )


def _bath_labels(problem: DensityProblem, n: int, names: Sequence[str]) -> list[str]:
    m = problem.data["model"]
    if "bath" in m and n == 1:
        return ["model.bath"]
    if len(m.get("baths", ())) == n:
        return [f"model.baths[{i}]" for i in range(n)]
    return [str(x) for x in names]


def _add_bath_ledger(ds: Any, problem: DensityProblem) -> None:
    r"""Heat currents :math:`J_k(t)` (``heat_current``, dims (time, bath)) and the bath
    temperatures of a master equation whose baths have temperatures (:func:`qbath.thermo.ledger`).

    With ``[[model.drive]]`` tables the ledger uses :math:`H_S(t)`: ``power``
    :math:`P = \mathrm{Tr}[\rho\,\partial_t H_S]` is added and ``internal_energy`` becomes
    :math:`\mathrm{Tr}[\rho H_S(t)]`, so that :math:`dU/dt = \sum_k J_k + P`.
    """
    from ..generators import GKSL, BathGenerator

    gen = getattr(problem, "generator", None)
    if not isinstance(gen, (GKSL, BathGenerator)):
        return
    from ..thermo import ledger

    drives = getattr(problem, "drives", [])
    led = ledger([gen, *drives] if drives else gen, problem.result)
    temps = np.asarray(led.temperatures, dtype=float)
    if temps.size == 0 or not np.all(np.isfinite(temps)):
        return
    if drives:
        dim = next(iter(ds.sizes))
        ds["power"] = (
            (dim,),
            np.asarray(led.work, dtype=float),
            {"long_name": "power of the drive Tr[rho dH_S/dt]", "symbol": "P"},
        )
        ds["internal_energy"] = (
            (dim,),
            np.asarray(led.energy, dtype=float),
            {"long_name": "system energy Tr[H_S(t) rho]", "symbol": "U"},
        )
    labels = _bath_labels(problem, temps.size, led.bath_names)
    ds.coords["bath"] = ("bath", labels, {"long_name": "bath (configuration key)"})
    ds["heat_current"] = (
        ("time", "bath"),
        np.asarray(led.heat, dtype=float),
        {"long_name": "heat current into the system from each bath", "symbol": "J_k"},
    )
    ds["bath_temperature"] = (("bath",), temps, {"long_name": "bath temperature", "symbol": "T_k"})


def evaluate_outputs(cfg: Config, outputs: Sequence[str] | None = None) -> dict[str, float]:
    """Named scalar outputs of one configuration (default: its ``sweep.outputs``).

    Names are validated (a ``ConfigError`` names ``sweep.outputs[i]`` for an unknown one); the model
    is solved at most once for all of them.
    """
    names = list(cfg.data["sweep"]["outputs"] if outputs is None else outputs)
    problem_cls = kind_problem(cfg.kind)
    for i, name in enumerate(names):
        problem_cls.check_output(f"sweep.outputs[{i}]", name, cfg.data)
    return evaluate_data(problem_cls, cfg.data, names)


def evaluate_data(
    problem_cls: type[Problem], data: Mapping[str, Any], names: Sequence[str]
) -> dict[str, float]:
    """Scalars of already validated ``data`` (what a sweep worker runs)."""
    problem = problem_cls(data)
    return {name: problem.scalar(name) for name in names}


# =================================================================================================
# ledger totals of a run (what ``qbath run`` prints)
# =================================================================================================
class Total(NamedTuple):
    """One total of a run's ledger: a symbol (``Q``, ``Q_0``, ``Σ``), its value and its meaning."""

    symbol: str
    value: float
    description: str


class Totals(NamedTuple):
    """The totals of a run: ``header`` says over what they are summed or integrated, and units."""

    header: str
    rows: list[Total]


def _delta(ds: Any, name: str) -> float:
    v = np.asarray(ds[name].values, dtype=float)
    return float(v[-1] - v[0])


def _collision_totals(ds: Any) -> Totals:
    n = ds.sizes["collision"] - 1

    def total(name: str) -> float:
        return float(np.sum(np.asarray(ds[name].values, dtype=float)[1:]))

    rows = [
        Total("ΔU", total("delta_u"), "change of the system energy"),
        Total("Q", total("heat"), "heat into the system, -Σ_k Tr[H_E(η'_k - η)]"),
        Total("W", total("work"), "external work on the system (from a change of H_S)"),
        Total("W_sw", total("switching_work"), "switching work of the collisions"),
        Total("Σ", total("entropy_production"), "entropy production, Σ_k [I(S':E') + D(η'_k‖η)]"),
        Total("ΔU-Q-W-W_sw", total("first_law_residual"), "first-law residual"),
    ]
    return Totals(f"ledger totals over collisions 1-{n} ({_UNITS})", rows)


def _bath_totals(ds: Any) -> Totals:
    from scipy.integrate import simpson

    t = np.asarray(ds["time"].values, dtype=float)
    J = np.asarray(ds["heat_current"].values, dtype=float)
    temps = np.asarray(ds["bath_temperature"].values, dtype=float)
    Q = simpson(J, x=t, axis=0)
    rows = []
    if Q.size > 1:
        for k, label in enumerate(ds["bath"].values):
            rows.append(
                Total(
                    f"Q_{k}", float(Q[k]), f"heat into the system from {label} (T = {temps[k]:g})"
                )
            )
    q = float(np.sum(Q))
    one = f" from {ds['bath'].values[0]} (T = {temps[0]:g})"
    rows.append(Total("Q", q, "heat into the system" + (", Σ_k Q_k" if Q.size > 1 else one)))
    if "power" in ds:
        w = float(simpson(np.asarray(ds["power"].values, dtype=float), x=t))
        rows.append(Total("W", w, "work on the system by the drive, ∫P dt"))
    else:
        w = 0.0
        rows.append(Total("W", w, "work on the system (no drive)"))
    beta_q = float(np.sum(Q / temps)) if np.all(temps > 0) else np.nan
    if "internal_energy" in ds:
        du = _delta(ds, "internal_energy")
        u = "Tr[H_S(t) ρ]" if "power" in ds else "Tr[H_S ρ]"
        rows.append(Total("ΔU", du, f"change of the system energy {u}"))
        rows.append(Total("ΔU-Q-W", du - q - w, "first-law residual (quadrature error)"))
    ds_ = _delta(ds, "entropy")
    rows.append(Total("ΔS", ds_, "change of the system's von Neumann entropy"))
    rows.append(Total("Σ", ds_ - beta_q, "entropy production ∫σ dt = ΔS - Σ_k Q_k/T_k"))
    header = f"ledger totals over t in [{t[0]:g}, {t[-1]:g}] (Simpson's rule on {t.size} times; {_UNITS})"
    return Totals(header, rows)


def _state_totals(ds: Any) -> Totals:
    dim = next(iter(ds.sizes))
    x = np.asarray(ds[dim].values, dtype=float)
    rows = []
    du = _delta(ds, "internal_energy") if "internal_energy" in ds else None
    ds_ = _delta(ds, "entropy")
    if du is not None:
        rows.append(Total("ΔU", du, "change of the system energy Tr[H_S ρ]"))
    rows.append(Total("ΔS", ds_, "change of the system's von Neumann entropy"))
    beta = ds.attrs.get("beta")
    if ds.attrs.get("config_kind") == "qubit" and du is not None and beta is not None:
        rows.append(Total("Q", du, "heat from the bath (= ΔU: one bath, no drive)"))
        rows.append(Total("Σ", ds_ - float(beta) * du, "entropy production ΔS - βQ"))
    note = ""
    if ds.attrs.get("config_kind") == "gksl":
        note = "; no heat per bath: it needs [[model.baths]] with temperatures"
    return Totals(f"ledger totals over {dim} in [{x[0]:g}, {x[-1]:g}] ({_UNITS}{note})", rows)


def ledger_totals(ds: Any) -> Totals | None:
    r"""Totals of the thermodynamic ledger of a ``qbath run`` Dataset (:func:`run_config`).

    * a collision run: the ledger arrays summed over the collisions (heat
      :math:`Q = -\sum_k\mathrm{Tr}[H_E(\eta'_k - \eta)]`, work, switching work, entropy production
      :math:`\Sigma = \sum_k [I(S':E')_k + D(\eta'_k\|\eta)]`, the first-law residual);
      S. Cusumano and G. De Chiara, "Structured quantum collision models: generating coherence
      with thermal resources" (2022), Sec. IV.
    * a master equation with baths at given temperatures (variable ``heat_current``):
      :math:`Q_k = \int J_k\,dt` by Simpson's rule on the stored times, :math:`\Delta U`,
      :math:`\Delta S` and :math:`\Sigma = \Delta S - \sum_k Q_k/T_k`, which is
      :math:`\int\sigma\,dt` of H. Spohn, "Entropy production for quantum dynamical semigroups"
      (1978) written without the logarithm's singularity at a pure initial state.
    * other density-matrix runs: :math:`\Delta U` and :math:`\Delta S` (for the relaxing qubit
      also :math:`Q = \Delta U` and :math:`\Sigma = \Delta S - \beta Q`).

    Returns None for runs without density matrices (spins). Energies are in the units of the
    Hamiltonian's coefficients (:math:`\hbar = k_B = 1`), entropies in nats.
    """
    if "collision" in ds.sizes and "heat" in ds:
        return _collision_totals(ds)
    if "heat_current" in ds:
        return _bath_totals(ds)
    if "entropy" in ds:
        return _state_totals(ds)
    return None
