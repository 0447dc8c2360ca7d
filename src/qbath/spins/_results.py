r"""Result types of the spin solvers and the physicality check of two-spin data.

A second-order cumulant (or any approximate) trajectory need not correspond to a quantum state. The
necessary conditions checked here are that every single-spin state is positive,
:math:`|\vec s_i| \le 1`, and that every *two-spin* marginal built from the computed moments,

.. math:: \rho_{ij} = \tfrac14\Big(1\otimes 1 + \vec s_i\cdot\vec\sigma\otimes 1
          + 1\otimes\vec s_j\cdot\vec\sigma + \sum_{ab} C_{ij}^{ab}\,\sigma^a\otimes\sigma^b\Big),

is positive semidefinite (which also bounds :math:`|C_{ij}^{ab}| \le 1`). The exact solver passes
these checks up to integration error; the mean-field solver only reports :math:`|\vec s_i|`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._errors import PositivityWarning
from .._operators import qeye, sigmax, sigmay, sigmaz
from .._result import COMPONENTS, BaseResult, Coords, Variables

__all__ = ["SpinResult", "Physicality", "MeanFieldSteadyState"]

#: eigenvalues / Bloch norms may exceed the physical bounds by this much before a result is flagged
PHYSICAL_TOL = 1e-6

#: at most this many pair-marginal eigen-decompositions per stored time (all pairs below it)
_PAIR_CHUNK = 65536


@dataclass(frozen=True)
class Physicality:
    """Physicality flags of a trajectory.

    Attributes
    ----------
    ok : bool
        No violation beyond ``tol`` at the checked times.
    max_bloch_norm : float
        :math:`\\max_{t,i} |\\vec s_i(t)|` (must be <= 1).
    min_pair_eigenvalue : float or None
        Smallest eigenvalue of any two-spin marginal at any checked time (must be >= 0); ``None``
        when no two-spin data exist (mean field, N = 1).
    pair_checks : int
        Number of stored times at which the two-spin marginals were checked.
    first_violation : float or None
        Earliest stored time with a violation.
    tol : float
        Tolerance used.
    diverged_at : float or None
        Time at which the equations blew up and integration stopped (later times are NaN).
    """

    ok: bool
    max_bloch_norm: float
    min_pair_eigenvalue: float | None
    pair_checks: int
    first_violation: float | None
    tol: float = PHYSICAL_TOL
    diverged_at: float | None = None


@dataclass(frozen=True, eq=False, repr=False)
class SpinResult(BaseResult):
    r"""A trajectory of N spins.

    Attributes
    ----------
    times : (T,) ndarray
    bloch : (T, N, 3) ndarray
        :math:`\langle\sigma_i^a\rangle(t)`.
    correlations : (T, N, N, 3, 3) ndarray or None
        :math:`\langle\sigma_i^a\sigma_j^b\rangle(t)` for :math:`i\neq j` (zero on ``i == j``);
        ``None`` for mean field, or when the solver was asked not to store them.
    pair_sum : (T, 3, 3) ndarray
        :math:`\sum_{i\neq j}\langle\sigma_i^a\sigma_j^b\rangle` (for mean field, of the product
        state), kept even when ``correlations`` is not: the collective observables need only this.
    physical : Physicality
    meta : dict
        Provenance: method, model, tolerances, function evaluations.
    final_state : (2^N, 2^N) ndarray or None
        The density matrix at ``times[-1]`` (:func:`~qbath.spins.exact` only; the mean-field and
        cumulant solvers track moments, not a density matrix).
    stats : dict
        Integrator work (function evaluations, steps).

    The protocol's ``states`` is None (the spin solvers store moments: ``bloch``,
    ``correlations``) and ``expect`` is empty (every Bloch vector is recorded).
    """

    times: np.ndarray
    bloch: np.ndarray
    correlations: np.ndarray | None
    pair_sum: np.ndarray
    physical: Physicality
    meta: dict
    final_state: np.ndarray | None = None
    stats: dict = field(default_factory=dict)

    @property
    def states(self) -> None:
        """None: the spin solvers store moments (``bloch``, ``correlations``), not states."""
        return None

    @property
    def expect(self) -> list[np.ndarray]:
        """Empty: every Bloch vector is in ``bloch``."""
        return []

    @property
    def n_spins(self) -> int:
        return int(self.bloch.shape[1])

    @property
    def final_bloch(self) -> np.ndarray:
        """(N, 3) Bloch vectors at the last time."""
        return self.bloch[-1]

    def _coords(self) -> Coords:
        n = self.n_spins
        coords = super()._coords()
        coords["spin"] = (np.arange(n), {"long_name": "spin index", "symbol": "i"})
        coords["component"] = (COMPONENTS, {"long_name": "Bloch component"})
        if self.correlations is not None:
            coords["spin_b"] = (np.arange(n), {"long_name": "second spin index"})
            coords["component_b"] = (COMPONENTS, {"long_name": "second Bloch component"})
        return coords

    def _variables(self, expect: Any, states: bool) -> Variables:
        out = super()._variables(expect, states)
        bloch = np.asarray(self.bloch, dtype=float)
        out["bloch"] = (
            ("time", "spin", "component"),
            bloch,
            {"long_name": "Bloch vector of each spin"},
        )
        out["mean_bloch"] = (
            ("time", "component"),
            bloch.mean(axis=1),
            {"long_name": "Bloch vector averaged over the spins"},
        )
        if self.correlations is not None:
            out["correlations"] = (
                ("time", "spin", "spin_b", "component", "component_b"),
                np.asarray(self.correlations, dtype=float),
                {"long_name": "two-spin correlations", "note": "as defined by qbath.spins"},
            )
        return out

    def _summary(self) -> list[str]:
        corr = "stored" if self.correlations is not None else "not stored"
        return [f"spins: N = {self.n_spins}, correlations {corr}, physical = {self.physical.ok}"]


@dataclass(frozen=True, eq=False, repr=False)
class MeanFieldSteadyState:
    r"""A fixed point :math:`\dot{\vec s}_i = 0` of the mean-field equations.

    Attributes
    ----------
    bloch : (N, 3) ndarray
    residual : float
        :math:`\max_{i,a}|\dot s_i^a|` at ``bloch``.
    converged : bool
        The root finder converged and ``residual <= tol``.
    max_growth_rate : float or None
        Largest real part of the Jacobian's eigenvalues (< 0: linearly stable; computed for
        N <= ``jacobian_max_n``, else ``None``).
    stable : bool or None
        ``max_growth_rate < 0`` (None when not computed). Eigenvalues that are zero because of a
        conserved quantity make this ``False``: read ``max_growth_rate`` then.
    meta : dict
    """

    bloch: np.ndarray
    residual: float
    converged: bool
    max_growth_rate: float | None
    stable: bool | None
    meta: dict = field(repr=False)

    def __repr__(self) -> str:
        rate = "not computed" if self.max_growth_rate is None else f"{self.max_growth_rate:.3g}"
        return (
            f"<MeanFieldSteadyState: N = {self.bloch.shape[0]}, converged = {self.converged}, "
            f"residual = {self.residual:.3g}, max growth rate = {rate}, stable = {self.stable}>"
        )


# ------------------------------------------------------------------------ physicality helpers

_PAULI4 = np.stack([qeye(2), sigmax(), sigmay(), sigmaz()])
#: (4, 4, 4, 4) basis sigma^mu (x) sigma^nu / 4 of two-spin operators
_PAIR_BASIS = np.einsum("mab,ncd->mnacbd", _PAULI4, _PAULI4).reshape(4, 4, 4, 4) / 4.0


def pair_min_eigenvalue(s_i: np.ndarray, s_j: np.ndarray, c: np.ndarray) -> float:
    """Smallest eigenvalue over a batch of two-spin marginals.

    ``s_i``, ``s_j``: (P, 3); ``c``: (P, 3, 3) with ``c[p, a, b] = <sigma_i^a sigma_j^b>``.
    """
    p = s_i.shape[0]
    if p == 0:
        return np.inf
    lo = np.inf
    for start in range(0, p, _PAIR_CHUNK):  # chunks bound the (P, 4, 4) temporary, not a spin loop
        sl = slice(start, start + _PAIR_CHUNK)
        m = s_i[sl].shape[0]
        T = np.empty((m, 4, 4))
        T[:, 0, 0] = 1.0
        T[:, 1:, 0] = s_i[sl]
        T[:, 0, 1:] = s_j[sl]
        T[:, 1:, 1:] = c[sl]
        rho = np.einsum("pmn,mnxy->pxy", T, _PAIR_BASIS)
        lo = min(lo, float(np.linalg.eigvalsh(rho)[:, 0].min()))
    return lo


class PhysicalityTracker:
    """Accumulates physicality data time by time (used inside the solvers' observers)."""

    def __init__(self, tol: float = PHYSICAL_TOL):
        self.tol = tol
        self.max_norm = 0.0
        self.min_eig: float | None = None
        self.checks = 0
        self.bad_index: int | None = None
        self.index = 0

    def add(
        self, bloch: np.ndarray, pair_data: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    ) -> None:
        norm = float(np.max(np.linalg.norm(bloch, axis=-1), initial=0.0))
        self.max_norm = max(self.max_norm, norm)
        bad = norm > 1 + self.tol
        if pair_data is not None:
            e = pair_min_eigenvalue(*pair_data)
            if np.isfinite(e):
                self.min_eig = e if self.min_eig is None else min(self.min_eig, e)
                self.checks += 1
                bad = bad or e < -self.tol
        if bad and self.bad_index is None:
            self.bad_index = self.index
        self.index += 1

    def finish(self, times: np.ndarray, what: str, failed_at: float | None = None) -> Physicality:
        """Flags for the observed times; ``failed_at``: the integration stopped (blow-up) there."""
        if failed_at is not None and self.bad_index is None:
            self.bad_index = self.index  # first time that could not be reached
        ok = self.bad_index is None
        first = None if ok else float(times[min(self.bad_index, times.size - 1)])
        if failed_at is not None:
            warnings.warn(
                f"{what}: the equations diverge at t = {failed_at:.6g} (integration stopped; later "
                f"times are NaN; max |s_i| before = {self.max_norm:.6g}): the approximation is not "
                f"valid for this model and time range",
                PositivityWarning,
                stacklevel=3,
            )
        elif not ok:
            warnings.warn(
                f"{what}: the trajectory leaves the set of physical states from t = {first:.6g} "
                f"(max |s_i| = {self.max_norm:.6g}, min two-spin eigenvalue = {self.min_eig}); see "
                f"result.physical",
                PositivityWarning,
                stacklevel=3,
            )
        return Physicality(ok, self.max_norm, self.min_eig, self.checks, first, self.tol, failed_at)
