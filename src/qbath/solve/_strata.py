r"""Stratified unravelling of a mixed initial state, shared by both trajectory engines.

A density matrix :math:`\rho_0 = \sum_i p_i|v_i\rangle\langle v_i|` is unravelled by
stratification, as QuTiP 5 does: :math:`n_i \approx p_i\,n_\mathrm{traj}` trajectories (largest
remainders, so :math:`\sum_i n_i = n_\mathrm{traj}`) start in :math:`|v_i\rangle` and carry weight
:math:`p_i/n_i`, so the average starts exactly at :math:`\rho_0` (up to the rounding of
:math:`n_i`). The estimator of :math:`\langle O\rangle` is the stratified mean
:math:`\sum_i p_i\bar x_i` and its standard error :math:`\sqrt{\sum_i p_i^2 s_i^2/n_i}`
(:math:`s_i^2` the sample variance within stratum i; a stratum of one trajectory takes the pooled
variance), Cochran, *Sampling Techniques* (3rd ed., 1977), ch. 5. A ket is one stratum of
weight 1: the plain mean and standard error.

Which trajectory starts where depends only on ``ntraj`` and :math:`\rho_0` (trajectories are
ordered by stratum, the largest weight first), never on random numbers or on how the trajectories
are split into blocks.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._checks import as_density_matrix, as_ket, as_numeric_array
from .._errors import QbathWarning

__all__ = ["Strata", "initial_strata", "StratifiedAverage"]


@dataclass(frozen=True)
class Strata:
    """The initial kets of ``ntraj`` trajectories and their strata.

    Attributes
    ----------
    p : (S,) ndarray
        Weight of each stratum (eigenvalues of :math:`\\rho_0` kept, summing to 1).
    counts : (S,) int ndarray
        Trajectories per stratum, summing to ``ntraj``.
    stratum : (ntraj,) int ndarray
        Stratum of each trajectory.
    kets : (d, ntraj) complex ndarray
        Initial ket of each trajectory, in the working basis of the generator.
    """

    p: np.ndarray
    counts: np.ndarray
    stratum: np.ndarray
    kets: np.ndarray

    @property
    def weight(self) -> np.ndarray:
        """Weight :math:`p_i/n_i` of each trajectory in the averaged state, (ntraj,)."""
        return (self.p / self.counts)[self.stratum]


def spread(p: np.ndarray, ntraj: int) -> np.ndarray:
    """Integer counts n_i ~ p_i ntraj summing to ntraj (largest remainders; p sorted descending)."""
    raw = p * ntraj
    counts = np.floor(raw).astype(int)
    rest = ntraj - int(counts.sum())
    if rest > 0:
        frac = raw - counts
        counts[np.argsort(-frac, kind="stable")[:rest]] += 1
    return counts


def initial_strata(psi0: Any, form: Any, ntraj: int, stacklevel: int = 3) -> Strata:
    """The strata of ``psi0`` (a ket, or a density matrix spread over its eigenvectors in
    proportion to their weights) for ``ntraj`` trajectories, in the working basis of ``form``.

    Warns (:class:`~qbath.QbathWarning`) when ``ntraj`` is too small to give every eigenvector of
    non-negligible weight a trajectory; that weight is then left out and the rest renormalised.
    """
    d = form.dim
    arr = as_numeric_array(
        "psi0", psi0.full() if hasattr(psi0, "full") else psi0, "a ket or a density matrix",
        allow_complex=True,
    ).astype(complex)  # fmt: skip
    if arr.ndim == 2 and arr.shape[1] != 1:
        rho0 = form.to_working(as_density_matrix("psi0", arr, d))
        p, vecs = np.linalg.eigh(0.5 * (rho0 + rho0.conj().T))
        p = np.clip(p, 0, None)
        p /= p.sum()
        order = np.argsort(-p, kind="stable")
        p, vecs = p[order], vecs[:, order]
        counts = spread(p, ntraj)
        lost = float(p[counts == 0].sum())
        if lost > 1e-12:
            warnings.warn(
                f"mcsolve: {ntraj} trajectories cannot cover the {int(np.sum(p > 0))} eigenvectors "
                f"of the initial state; eigenvalue weight {lost:.3g} is left out (raise ntraj)",
                QbathWarning,
                stacklevel=stacklevel,
            )
        keep = counts > 0
        p, vecs, counts = p[keep] / p[keep].sum(), vecs[:, keep], counts[keep]
        stratum = np.repeat(np.arange(p.size), counts)
        return Strata(p, counts, stratum, vecs[:, stratum])
    v = form.ket_to_working(as_ket("psi0", arr, d))
    return Strata(
        np.ones(1),
        np.array([ntraj]),
        np.zeros(ntraj, dtype=int),
        np.repeat(v[:, None], ntraj, axis=1),
    )


class StratifiedAverage:
    """Per-stratum sums of the observables at the output times, and the averaged states.

    Values are summed shifted by the first trajectory's value of each stratum (sums of
    :math:`x - x_\\mathrm{ref}` and :math:`|x - x_\\mathrm{ref}|^2`), so the variance suffers no
    cancellation. :meth:`block` gives the recorder of a block of trajectories.
    """

    def __init__(self, strata: Strata, eops: Any, T: int, d: int, store_states: bool):
        S, E = strata.p.size, eops.count
        self.strata, self.eops, self.T = strata, eops, T
        self.ref = np.full((S, E, T), np.nan, dtype=complex)
        self.s1 = np.zeros((S, E, T), dtype=complex)
        self.s2 = np.zeros((S, E, T))
        self.states = np.zeros((T, d, d), dtype=complex) if store_states else None
        self.final = np.zeros((d, d), dtype=complex)
        mats = getattr(eops, "_mats", None)
        if mats is not None:  # observables applied as sparse matrices where that is cheaper
            mats = [sp.csr_matrix(m) if np.count_nonzero(m) < 0.2 * m.size else m for m in mats]
        self.mats = mats

    def block(
        self, ids: np.ndarray, to_ket: Callable[[np.ndarray], np.ndarray] | None = None
    ) -> Callable[[int, np.ndarray], None]:
        """``record(i, y)``: adds the trajectories ``ids`` at output time ``i``; the columns of
        ``y`` are their (unnormalised) kets, or coefficients turned into kets by ``to_ket``."""
        strat = self.strata.stratum[ids]
        onehot = np.zeros((self.strata.p.size, ids.size))
        onehot[strat, np.arange(ids.size)] = 1.0
        w = self.strata.weight[ids]

        def record(i: int, y: np.ndarray) -> None:
            kets = y if to_ket is None else to_ket(y)
            kets = kets / np.linalg.norm(kets, axis=0)
            if self.eops.count:
                self._add_values(i, kets, strat, onehot)
            if self.states is not None or i == self.T - 1:
                rho = (kets * w) @ kets.conj().T
                if self.states is not None:
                    self.states[i] += rho
                if i == self.T - 1:
                    self.final[...] += rho

        return record

    def _add_values(self, i: int, kets: np.ndarray, strat: np.ndarray, onehot: np.ndarray) -> None:
        ref = self.ref
        if self.mats is None:
            vals = self.eops.ket_values(kets)  # (E, n)
        else:
            vals = np.stack([np.einsum("in,in->n", kets.conj(), m @ kets) for m in self.mats])
        new = np.isnan(ref[:, 0, i])
        if np.any(new):  # first trajectory of a stratum: its value is the shift
            first = np.unique(strat, return_index=True)
            for sk, j in zip(*first, strict=True):
                if new[sk]:
                    ref[sk, :, i] = vals[:, j]
        dev = vals - ref[strat, :, i].T
        self.s1[:, :, i] += onehot @ dev.T
        self.s2[:, :, i] += onehot @ (np.abs(dev) ** 2).T

    def statistics(self) -> tuple[np.ndarray, np.ndarray]:
        """Means (E, T) and standard errors (E, T) of the stratified estimator."""
        p, counts, ntraj = self.strata.p, self.strata.counts, int(self.strata.counts.sum())
        s1, s2 = self.s1, self.s2
        S, E, T = s1.shape
        n_s = counts.astype(float)
        ref = np.nan_to_num(self.ref)
        shift_s = s1 / n_s[:, None, None]  # mean_s - ref_s
        mean_s = ref + shift_s
        mean = np.einsum("s,set->et", p, mean_s)
        if ntraj <= 1:
            return mean, np.full((E, T), np.nan)
        # pooled variance about the overall mean, from the shifted sums of every stratum
        dev = mean_s - mean[None]
        ss_tot = (s2 - n_s[:, None, None] * np.abs(shift_s) ** 2).sum(axis=0)
        ss_tot = ss_tot + (n_s[:, None, None] * np.abs(dev) ** 2).sum(axis=0)
        pooled = np.maximum(ss_tot, 0.0) / (ntraj - 1)
        var_s = np.empty_like(s2)
        for k in range(S):
            if counts[k] > 1:
                var_s[k] = np.maximum(s2[k] - n_s[k] * np.abs(shift_s[k]) ** 2, 0.0) / (n_s[k] - 1)
            else:  # a stratum of one trajectory: the pooled variance (conservative)
                var_s[k] = pooled
        return mean, np.sqrt(np.einsum("s,set->et", p**2 / n_s, var_s))
