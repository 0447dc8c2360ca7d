r"""The adiabatic master equation: a Davies generator in the instantaneous eigenbasis of H(t).

For a slowly varying Hamiltonian the Born--Markov--secular derivation can be made at each time in
the instantaneous eigenbasis :math:`H(t)|\varepsilon_a(t)\rangle = \varepsilon_a(t)
|\varepsilon_a(t)\rangle` (Albash, Boixo, Lidar & Zanardi, "Quantum adiabatic Markovian master
equations", New J. Phys. 14, 123016 (2012)):

.. math::

    \dot\rho = -i[H(t) + H_{LS}(t), \rho] + \sum_{l,\omega(t)}\gamma_l(\omega)\,
        \mathcal D[A_l(\omega, t)]\rho,

i.e. :func:`qbath.davies` of :math:`H(t)` at every time. Its assumptions are that the driving is
slow on the scale of the gaps, :math:`\max_t |\langle a|\dot H|b\rangle| /
(\varepsilon_a - \varepsilon_b)^2 \ll 1`, and that the Bohr frequencies do not cross (the
secular grouping would change discontinuously). :func:`adiabatic_davies` samples :math:`H(t)` on the
solver interval and warns when either fails.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._checks import as_hermitian, check_int, check_real_scalar
from .._errors import InputError, QbathWarning
from ..generators import GKSL
from ._baths import Bath
from ._davies import _coupling_meta, _parse_couplings, davies

__all__ = ["AdiabaticDavies", "adiabatic_davies"]

#: adiabaticity parameter above which a warning is given
ADIABATIC_LIMIT = 0.1


@dataclass(frozen=True, eq=False)
class AdiabaticDavies:
    r"""A time-dependent Davies generator :math:`\mathcal L(t)` = ``davies(H(t), couplings)``.

    Every qbath density-matrix solver accepts it (``mesolve``); :meth:`at` gives the generator at
    one time. Built by :func:`adiabatic_davies`.

    Attributes
    ----------
    hamiltonian : callable t -> (d, d)
    couplings : tuple of (A, bath)
    lamb_shift : bool
    adiabaticity : float
        :math:`\max_t \max_{a\ne b} |\langle a|\dot H|b\rangle| / (\varepsilon_a -
        \varepsilon_b)^2` on the sampled interval (NaN when no interval was given).
    min_gap : float
        Smallest gap between non-degenerate levels on the sampled interval.
    """

    hamiltonian: Callable[[float], np.ndarray]
    couplings: tuple[tuple[np.ndarray, Bath], ...]
    lamb_shift: bool
    dim: int
    adiabaticity: float = float("nan")
    min_gap: float = float("nan")
    _args: dict = field(default_factory=dict, repr=False)
    meta: dict = field(default_factory=dict)

    def hamiltonian_at(self, t: float) -> np.ndarray:
        return as_hermitian("H(t)", self.hamiltonian(float(t)), self.dim)

    def at(self, t: float) -> GKSL:
        """The Davies generator of :math:`H(t)` (a ``GKSL``)."""
        return davies(self.hamiltonian_at(t), list(self.couplings), lamb_shift=self.lamb_shift)

    def liouvillian_at(self, t: float) -> np.ndarray:
        """:math:`\\mathcal L(t)` as a dense (d^2, d^2) superoperator (column stacking)."""
        return self.at(t).liouvillian()

    def __repr__(self) -> str:
        return (
            f"AdiabaticDavies(dim={self.dim}, couplings={len(self.couplings)}, "
            f"lamb_shift={self.lamb_shift}, adiabaticity={self.adiabaticity:.3g})"
        )


def _wrap(H_of_t: Any, args: Mapping[str, Any]) -> Callable[[float], np.ndarray]:
    if not callable(H_of_t):
        raise InputError(
            f"H_of_t: expected a callable t -> (d, d) Hamiltonian, got {type(H_of_t).__name__}"
        )
    import inspect

    try:
        n = len(
            [
                p
                for p in inspect.signature(H_of_t).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
        )
    except (TypeError, ValueError):
        n = 1
    return (lambda t: np.asarray(H_of_t(t, args))) if n >= 2 else (lambda t: np.asarray(H_of_t(t)))


def _diagnose(
    H: Callable[[float], np.ndarray], d: int, t0: float, t1: float, n: int
) -> tuple[float, float]:
    """Adiabaticity parameter and smallest gap of level pairs that are not degenerate throughout.

    A gap between adjacent levels that closes at some sample while it is open elsewhere is an
    eigenvalue crossing; a degeneracy present at every sample is a symmetry and is allowed.
    """
    ts = np.linspace(t0, t1, n)
    h = 1e-3 * (t1 - t0) / (n - 1)
    energies = np.empty((n, d))
    worst = 0.0
    for i, t in enumerate(ts):
        E, V = np.linalg.eigh(as_hermitian("H(t)", H(t), d))
        energies[i] = E
        dH = (as_hermitian("H(t)", H(t + h), d) - as_hermitian("H(t)", H(t - h), d)) / (2 * h)
        M = np.abs(V.conj().T @ dH @ V)
        gap = E[None, :] - E[:, None]
        scale = max(1.0, float(np.abs(E).max()))
        open_ = np.abs(gap) > 1e-6 * scale
        if np.any(open_):
            worst = max(worst, float(np.max(M[open_] / gap[open_] ** 2)))
    scale = max(1.0, float(np.abs(energies).max()))
    gaps = np.diff(energies, axis=1)  # (n, d-1) adjacent gaps, sorted levels
    varying = gaps.max(axis=0) > 1e-3 * scale
    gap_min = float(gaps[:, varying].min()) if np.any(varying) else float("inf")
    return worst, gap_min


def adiabatic_davies(
    H_of_t: Callable[..., Any],
    couplings: Sequence[tuple[Any, Bath]] | tuple[Any, Bath],
    *,
    args: Mapping[str, Any] | None = None,
    lamb_shift: bool = False,
    interval: tuple[float, float] | None = None,
    n_check: int = 101,
) -> AdiabaticDavies:
    r"""The adiabatic master equation of Albash, Boixo, Lidar & Zanardi (2012) for a slowly varying
    :math:`H(t)`.

    Parameters
    ----------
    H_of_t : callable
        ``H_of_t(t)`` or ``H_of_t(t, args)`` returning the Hermitian (d, d) Hamiltonian at time t.
    couplings : list of (A, bath)
        As :func:`qbath.davies` (time-independent coupling operators and baths).
    args : dict, optional
        Passed to two-argument ``H_of_t``.
    lamb_shift : bool
        Include the instantaneous Lamb shift (a principal-value integral per Bohr frequency and
        time: slow; off by default).
    interval : (t0, t1), optional
        Interval on which the assumptions are checked (:math:`n_\mathrm{check}` samples): a
        :class:`QbathWarning` when the adiabaticity parameter exceeds 0.1 or a gap between
        non-degenerate levels closes (an eigenvalue crossing).
    n_check : int
        Number of sample times of the check.

    Returns
    -------
    AdiabaticDavies
    """

    if not isinstance(lamb_shift, (bool, np.bool_)):
        raise InputError(f"lamb_shift: expected True or False, got {lamb_shift!r}")
    args = {} if args is None else dict(args)
    H = _wrap(H_of_t, args)
    t_ref = 0.0 if interval is None else float(interval[0])
    H0 = as_hermitian("H_of_t(t)", H(t_ref))
    d = H0.shape[0]
    pairs = tuple(_parse_couplings(couplings, d))
    adiab, gap = float("nan"), float("nan")
    if interval is not None:
        if not isinstance(interval, (tuple, list)) or len(interval) != 2:
            raise InputError(f"interval: expected a pair (t0, t1), got {interval!r}"[:200])
        t0 = check_real_scalar("interval[0]", interval[0])
        t1 = check_real_scalar("interval[1]", interval[1])
        if not t1 > t0:
            raise InputError(f"interval: expected t1 > t0, got ({t0}, {t1})")
        n = check_int("n_check", n_check, minimum=2)
        adiab, gap = _diagnose(H, d, t0, t1, n)
        scale = max(1.0, float(np.abs(np.linalg.eigvalsh(H0)).max()))
        if gap < 1e-6 * scale:
            warnings.warn(
                f"adiabatic_davies: a gap between non-degenerate levels closes to {gap:.3g} on "
                f"[{t0:g}, {t1:g}] (an eigenvalue crossing); the adiabatic master equation "
                "assumes none",
                QbathWarning,
                stacklevel=2,
            )
        elif adiab > ADIABATIC_LIMIT:
            warnings.warn(
                f"adiabatic_davies: the driving is not slow: max |<a|dH/dt|b>| / gap^2 = "
                f"{adiab:.3g} > {ADIABATIC_LIMIT} on [{t0:g}, {t1:g}]; the adiabatic master "
                "equation does not apply",
                QbathWarning,
                stacklevel=2,
            )
    return AdiabaticDavies(
        hamiltonian=H,
        couplings=pairs,
        lamb_shift=bool(lamb_shift),
        dim=d,
        adiabaticity=adiab,
        min_gap=gap,
        _args=args,
        meta=_coupling_meta(
            "adiabatic_davies",
            d,
            pairs,
            lamb_shift,
            interval=None if interval is None else [float(interval[0]), float(interval[1])],
            adiabaticity=adiab,
            min_gap=gap,
        ),
    )
