"""Result of :func:`qbath.collision.evolve`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._checks import as_operator
from .._states import bloch_vector, expect_values, l1_coherence


@dataclass(frozen=True, eq=False)
class CollisionResult:
    r"""States and thermodynamic ledger of a collision-model run (seed 001, Sec. IV).

    ``states`` has shape (n+1, d_S, d_S) with ``states[0] = rho0``; every ledger array has shape
    (n,), entry k belonging to collision k+1. Signs: heat > 0 when absorbed by the system, work > 0
    when done on it. Entropies in nats.

    Attributes
    ----------
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
    h_s : (n, d_S, d_S) system Hamiltonian during each collision
    ancilla_states : (n, d_E, d_E) outgoing ancilla states, if requested
    meta : provenance (parameters, method, qbath version, conventions)
    """

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
    h_s: np.ndarray = field(repr=False)
    ancilla_states: np.ndarray | None = field(default=None, repr=False)
    meta: dict = field(default_factory=dict)

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

    def expect(self, op: Any) -> np.ndarray:
        r""":math:`\mathrm{Tr}[O\rho_S(k)]` for k = 0..n, shape (n+1,); real for Hermitian ``op``."""
        O = as_operator("op", op, self.states.shape[-1])
        return expect_values(O, self.states)

    def bloch(self) -> np.ndarray:
        """Bloch vectors (n+1, 3) of a qubit system."""
        return bloch_vector(self.states)

    def coherence(self, basis: Any | None = None) -> np.ndarray:
        r""":math:`C_{\ell_1}` of every state (Eq. 57), shape (n+1,)."""
        return l1_coherence(self.states, basis)

    def to_qutip(self, dims: Any = None) -> Any:
        """The states as a list of ``qutip.Qobj`` with the model's ``system_dims``
        (see :func:`qbath.interop.to_qutip`)."""
        from ..interop import to_qutip

        return to_qutip(self, dims)

    def internal_energy(self) -> np.ndarray:
        r""":math:`U(k) = \mathrm{Tr}[H_S\rho_S(k)]` with the Hamiltonian in force after collision k, shape (n+1,)."""
        hs = np.concatenate([self.h_s[:1], self.h_s], axis=0)
        return expect_values(hs, self.states)
