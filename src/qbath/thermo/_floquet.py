r"""Heat currents and entropy production of a periodically driven system under the
Floquet--Born--Markov master equation (:func:`qbath.master.floquet_davies`).

Each channel :math:`c` of the generator is a jump :math:`A_c = A_k(\omega_c)` between Floquet
states into (or out of) bath :math:`k`, at the sideband frequency
:math:`\omega_c = \varepsilon_b - \varepsilon_a - q\Omega` (> 0: emission), with the rate
:math:`\gamma_k(\omega_c)`. A jump of channel :math:`c` hands the quantum :math:`\omega_c` to its
bath, so the heat current into the system from bath :math:`k` is

.. math::

    J_k = -\sum_{c\in k}\omega_c\,\gamma_k(\omega_c)\,
          \mathrm{Tr}[A_c^\dagger A_c\,\rho_F],

with :math:`\rho_F` the state in the Floquet basis (R. Alicki, D. Gelbwaser-Klimovsky and
G. Kurizki, "Periodically driven quantum open systems: Tutorial", arXiv:1205.4552 (2012);
K. Szczygielski, D. Gelbwaser-Klimovsky and R. Alicki, "Markovian master equation and
thermodynamics of a two-level system in a strong laser field", Phys. Rev. E 87, 012120 (2013)).
The drive supplies the rest: over a cycle of the periodic steady state the mean power is
:math:`\bar P = -\sum_k J_k` (first law), and :math:`-\sum_k\beta_k J_k\ge 0` (second law).

The entropy production rate :math:`\sigma = dS/dt - \sum_k\beta_k J_k` is evaluated on the
stroboscopic (Floquet-picture) states the solvers return, with
:math:`dS/dt = -\mathrm{Tr}[\mathcal L(\rho)\ln\rho]`; it is non-negative at the periodic steady
state. Away from it the sidebands of one bath have no common Gibbs state, so :math:`\sigma(t)`
of a transient carries no sign guarantee.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import as_density_stack, as_state, check_bool, describe
from .._errors import InputError
from ..master import FloquetGKSL

__all__ = ["floquet_heat_currents", "floquet_entropy_production_rate"]


def _floquet_states(gen: FloquetGKSL, rho: Any) -> tuple[np.ndarray, bool]:
    """States (T, d, d) in the Floquet basis, and whether one state was given."""
    if not isinstance(gen, FloquetGKSL):
        raise InputError(
            "gen: expected a FloquetGKSL (from qbath.master.floquet_davies), got " + describe(gen)
        )
    if hasattr(rho, "states") and hasattr(rho, "times"):
        if rho.states is None:
            raise InputError("rho: expected a result with stored states (store_states=True)")
        rho = np.asarray(rho.states)
    d = gen.dim
    if getattr(rho, "isket", False) or (isinstance(rho, np.ndarray) and rho.ndim == 1):
        st, single = as_state("rho", rho, d)[None], True
    else:
        arr = as_density_stack("rho", rho, d)
        single = arr.ndim == 2
        st = arr[None] if single else arr
    V = gen.modes
    return V.conj().T @ st @ V, single


def _channels(gen: FloquetGKSL) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A_c (C, d, d), gamma_c A_c^dag A_c (C, d, d), omega_c (C,), coupling index (C,)."""
    A = gen.jumps_floquet.dense()
    AdA = np.einsum("cba,cbd->cad", A.conj(), A) * gen.rates[:, None, None]
    return A, AdA, np.asarray(gen.frequencies, float), np.asarray(gen.channel_coupling)


def floquet_heat_currents(gen: FloquetGKSL, rho: Any) -> np.ndarray:
    r"""Heat current into the system from each bath of a Floquet--Born--Markov generator.

    :math:`J_k = -\sum_{c\in k}\omega_c\gamma_k(\omega_c)\mathrm{Tr}[A_c^\dagger A_c\rho_F]`
    (module text; Szczygielski, Gelbwaser-Klimovsky and Alicki, PRE 87, 012120 (2013)).

    Parameters
    ----------
    gen : FloquetGKSL
    rho : (d, d), (T, d, d) array_like or a solver result with stored states
        Stroboscopic states in the computational basis, as the solvers return them.

    Returns
    -------
    (K,) or (T, K) ndarray
        One column per coupling of ``floquet_davies``, in the order given.
    """
    st, single = _floquet_states(gen, rho)
    J = _currents(gen, st)
    return J[0] if single else J


def _currents(gen: FloquetGKSL, st: np.ndarray) -> np.ndarray:
    """J (T, K) of states (T, d, d) in the Floquet basis."""
    _, AdA, w, k = _channels(gen)
    rates = np.einsum("cab,tba->tc", AdA, st).real  # jump rate of each channel
    K = len(gen.baths) if gen.baths else int(k.max()) + 1
    J = np.zeros((st.shape[0], K))
    np.add.at(J.T, k, -(w[:, None] * rates.T))
    return J


def _temperatures(gen: FloquetGKSL) -> np.ndarray:
    if not gen.baths:
        raise InputError(
            "model: expected a FloquetGKSL that knows its baths (from qbath.master.floquet_davies)"
        )
    return np.array([float(b.temperature) for b in gen.baths])


def floquet_entropy_production_rate(
    gen: FloquetGKSL, rho: Any, *, per_bath: bool = False
) -> np.ndarray | float:
    r"""Entropy production rate :math:`\sigma = dS/dt - \sum_k\beta_k J_k` of the stroboscopic
    states of a Floquet--Born--Markov generator (``per_bath``: :math:`\sigma_k =
    -\mathrm{Tr}[\mathcal D_k(\rho)\ln\rho] - \beta_k J_k`, (T, K)).

    Non-negative at the periodic steady state (second law, Szczygielski, Gelbwaser-Klimovsky and
    Alicki, PRE 87, 012120 (2013)); see the module text for transients.
    """
    per_bath = check_bool("per_bath", per_bath)
    st, single = _floquet_states(gen, rho)
    T = _temperatures(gen)
    J = _currents(gen, st)
    A, AdA, _, k = _channels(gen)
    logs = []
    for r in st:
        p, V = np.linalg.eigh(0.5 * (r + r.conj().T))
        logs.append((V * np.log(np.clip(p, 1e-300, None))) @ V.conj().T)
    L = np.array(logs)
    # Tr[D_c(rho) ln rho] = gamma_c (Tr[A rho A^dag ln rho] - Re Tr[A^dag A rho ln rho])
    ArA = np.einsum("cab,tbd,ced,tea->tc", A, st, A.conj(), L) * gen.rates
    anti = np.einsum("cab,tbd,tda->tc", AdA, st, L)
    dS = -(ArA - anti).real  # (T, C): each channel's part of dS/dt
    dS_k = np.zeros_like(J)
    np.add.at(dS_k.T, k, dS.T)
    with np.errstate(divide="ignore"):
        beta = np.where(T > 0, 1.0 / T, np.inf)
    sigma = dS_k - beta * J
    out = sigma if per_bath else sigma.sum(axis=1)
    return out[0] if single else out
