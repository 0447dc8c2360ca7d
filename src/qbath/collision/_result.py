"""Result of :func:`qbath.collision.evolve`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from .._result import Coords, DensityResult, Observables, Variables

__all__ = ["CollisionResult", "LEDGER"]

#: ledger arrays of a collision result (entry k = collision k + 1) and their descriptions
LEDGER = {
    "delta_u": "change of the system energy",
    "heat": "heat into the system",
    "work": "external work done on the system",
    "switching_work": "switching work",
    "delta_entropy": "change of the system entropy",
    "mutual_information": "system-ancilla mutual information after the collision",
    "relative_entropy": "relative entropy of the outgoing ancilla to the incoming one",
    "entropy_production": "entropy production",
    "entropy_production_clausius": "entropy production Delta S - beta Q",
    "first_law_residual": "Delta U - Q - W - W_sw",
}

_TOTALS = (
    ("delta_u", "ΔU"),
    ("heat", "Q"),
    ("work", "W"),
    ("switching_work", "W_sw"),
    ("entropy_production", "Σ"),
)


@dataclass(frozen=True, eq=False, repr=False)
class CollisionResult(DensityResult):
    r"""States and thermodynamic ledger of a collision-model run.

    The ledger is that of S. Cusumano and G. De Chiara, "Structured quantum collision models:
    generating coherence with thermal resources" (Sec. IV; equation numbers below are theirs).
    ``states`` has shape (n+1, d_S, d_S) with ``states[0] = rho0``; every ledger array has shape
    (n,), entry k belonging to collision k+1. Signs: heat > 0 when absorbed by the system, work > 0
    when done on it. Entropies in nats.

    Attributes
    ----------
    states : (n+1, d_S, d_S) system states
    expect : list of (n+1,) arrays, or dict name -> (n+1,) (``e_ops`` of :func:`evolve`)
    delta_u : :math:`\Delta U` (Eq. 60)
    heat : :math:`\delta Q = -\mathrm{Tr}[H_E(\eta^{out}-\eta^{in})]` (Eq. 62)
    work : external work :math:`\delta W` from a change of :math:`H_S` (Eq. 64)
    switching_work : :math:`W_{sw}` (Eq. 65)
    delta_entropy : :math:`\Delta S_S` (Eq. 69)
    mutual_information : :math:`I(S':E')` after the collision
    relative_entropy : :math:`S(\eta^{out}\|\eta^{in})` (Eq. 71)
    entropy_production : :math:`\Sigma = I + S(\eta^{out}\|\eta^{in})` (Eq. 70)
    entropy_production_clausius : :math:`\Delta S_S - \beta\,\delta Q` (Eq. 72; NaN without beta)
    first_law_residual : :math:`\Delta U - \delta Q - \delta W - W_{sw}` (Eq. 67)
    method : "exact" or "second_order"
    dt : collision time
    h_s : (n, d_S, d_S) system Hamiltonian during each collision
    ancilla_states : (n, d_E, d_E) outgoing ancilla states, if requested
    stats : solver work (``wall_time``)
    meta : provenance (parameters, method, qbath version, conventions)

    Properties: ``times`` (k dt, (n+1,)), ``final_state``, ``n_collisions``, ``collisions``,
    ``bloch`` ((n+1, 3) for a qubit), ``coherence`` ((n+1,)), ``internal_energy`` ((n+1,)).
    """

    _dim: ClassVar[str] = "collision"

    states: np.ndarray
    delta_u: np.ndarray
    heat: np.ndarray
    work: np.ndarray
    switching_work: np.ndarray
    delta_entropy: np.ndarray
    mutual_information: np.ndarray
    relative_entropy: np.ndarray
    entropy_production: np.ndarray
    entropy_production_clausius: np.ndarray
    first_law_residual: np.ndarray
    method: str
    dt: float
    h_s: np.ndarray
    ancilla_states: np.ndarray | None = None
    expect: list[np.ndarray] | dict[str, np.ndarray] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def n_collisions(self) -> int:
        return self.states.shape[0] - 1

    @property
    def collisions(self) -> np.ndarray:
        """Collision index 0..n, shape (n+1,)."""
        return np.arange(self.n_collisions + 1)

    @property
    def times(self) -> np.ndarray:
        """Elapsed interaction time k dt, shape (n+1,)."""
        return self.collisions * self.dt

    @property
    def final_state(self) -> np.ndarray:
        return self.states[-1]

    @property
    def internal_energy(self) -> np.ndarray:
        r""":math:`U(k) = \mathrm{Tr}[H_S\rho_S(k)]` with the Hamiltonian in force after collision k, shape (n+1,)."""
        hs = np.concatenate([self.h_s[:1], self.h_s], axis=0)
        return np.einsum("nij,nji->n", hs, self.states).real

    def to_qutip(self, dims: Any = None) -> Any:
        """The states as a list of ``qutip.Qobj`` with the model's ``system_dims``
        (see :func:`qbath.interop.to_qutip`)."""
        from ..interop import to_qutip

        return to_qutip(self, dims)

    # ---- protocol hooks -------------------------------------------------------------------------
    def _coords(self) -> Coords:
        coords: Coords = {
            "collision": (self.collisions, {"long_name": "collision index", "symbol": "k"}),
            "time": (
                ("collision",),
                np.asarray(self.times, dtype=float),
                {"long_name": "elapsed interaction time k dt"},
            ),
        }
        return coords

    def _variables(self, expect: Observables | None, states: bool) -> Variables:
        out = super()._variables(expect, states)
        for name, desc in LEDGER.items():
            col = np.concatenate([[np.nan], np.asarray(getattr(self, name), dtype=float)])
            out[name] = (
                ("collision",),
                col,
                {
                    "long_name": desc,
                    "note": "value of the collision ending at this index; NaN at index 0",
                },
            )
        return out

    def _summary(self) -> list[str]:
        totals = ", ".join(f"{sym} = {float(np.sum(getattr(self, k))):.6g}" for k, sym in _TOTALS)
        return [f"collisions: {self.n_collisions}, dt = {self.dt:g}", f"ledger totals: {totals}"]
