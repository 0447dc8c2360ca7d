"""Typed, immutable results of the solvers (names follow QuTiP's ``Result``; the shared protocol is
:mod:`qbath._result`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._result import DensityResult, Observables, Variables, expect_items, expect_label


@dataclass(frozen=True, eq=False, repr=False)
class Result(DensityResult):
    """Output of :func:`qbath.mesolve`.

    Attributes
    ----------
    times : (T,) ndarray
    states : (T, d, d) ndarray or None
        Density matrices at ``times`` (None with ``store_states=False``).
    expect : list of (T,) ndarray, or dict name -> (T,) ndarray
        One array per observable in ``e_ops`` (by name when ``e_ops`` was a dict); real for
        Hermitian observables, as QuTiP.
    final_state : (d, d) ndarray
        State at ``times[-1]`` (always kept).
    stats : dict
        Solver work: ``nfev``, ``nsteps``, ``nrejected``, ``method``, ``wall_time``.
    meta : dict
        Provenance (:func:`qbath._meta.make_meta`).

    Also ``bloch`` (T, 3) for a qubit and ``coherence`` (T,) from the stored states, and the
    protocol methods ``to_dataset()`` and ``to_qutip()`` (:mod:`qbath._result`).
    """

    times: np.ndarray
    states: np.ndarray | None
    expect: list[np.ndarray] | dict[str, np.ndarray]
    final_state: np.ndarray
    stats: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_qutip(self, dims: Any = None) -> Any:
        """The stored states as a list of ``qutip.Qobj`` (see :func:`qbath.interop.to_qutip`)."""
        from ..interop import to_qutip

        return to_qutip(self, dims)

    def _summary(self) -> list[str]:
        keys = ("nsteps", "nfev", "wall_time")
        got = [
            f"{k}={self.stats[k]:.3g}" if k == "wall_time" else f"{k}={self.stats[k]}"
            for k in keys
            if k in self.stats
        ]
        return ["stats: " + ", ".join(got)] if got else []


@dataclass(frozen=True, eq=False, repr=False)
class MCResult(DensityResult):
    """Output of :func:`qbath.mcsolve`: trajectory averages with their standard errors.

    Attributes
    ----------
    times : (T,) ndarray
    expect : list of (T,) ndarray, or dict name -> (T,) ndarray
        Trajectory mean of each observable.
    expect_std_err : list of (T,) ndarray, or dict name -> (T,) ndarray
        Standard error of each mean, ``std(ddof=1) / sqrt(ntraj)``.
    states : (T, d, d) ndarray or None
        Trajectory-averaged density matrices (None with ``store_states=False``).
    final_state : (d, d) ndarray
        Averaged density matrix at ``times[-1]``.
    ntraj : int
    seed : int or None
        Seed of ``numpy.random.default_rng`` that reproduces the run.
    jump_times, jump_which : tuple of ndarray
        For every trajectory, the times of its jumps and the index of the jump operator used.
    stats : dict
    meta : dict
    """

    times: np.ndarray
    expect: list[np.ndarray] | dict[str, np.ndarray]
    expect_std_err: list[np.ndarray] | dict[str, np.ndarray]
    states: np.ndarray | None
    final_state: np.ndarray
    ntraj: int
    seed: int | None
    jump_times: tuple[np.ndarray, ...]
    jump_which: tuple[np.ndarray, ...]
    stats: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def _variables(self, expect: Observables | None, states: bool) -> Variables:
        out: Variables = {}
        for name, err in expect_items(self.expect_std_err):
            label = f"standard error of {expect_label(name)}"
            out[f"expect_std_err_{name}"] = (("time",), err, {"long_name": label})
        out.update(super()._variables(expect, states))
        return out

    def _summary(self) -> list[str]:
        return [
            f"trajectories: {self.ntraj} (seed {self.seed}), {self.stats.get('n_jumps', '?')} jumps"
        ]
