r"""Bloch--Redfield tensor (with its principal-value parts), the partial-secular generator and the
local master equation, for the same microscopic model as :func:`qbath.davies`.

Redfield (Schrödinger picture; Breuer and Petruccione, *The Theory of Open Quantum Systems*, 2002,
Eq. 3.118; Redfield, *On the theory of relaxation processes*, 1957): for couplings
:math:`\sum_k A_k\otimes B_k` to independent baths,

.. math::

    \dot\rho = -i[H_S,\rho] + \sum_k\Big([\Lambda_k\rho, A_k] + [A_k, \rho\Lambda_k^\dagger]\Big),
    \qquad (\Lambda_k)_{ab} = \Gamma_k(\varepsilon_b - \varepsilon_a)\,(A_k)_{ab},

in the eigenbasis of :math:`H_S`, with the one-sided bath correlation transform
:math:`\Gamma(\omega) = \int_0^\infty ds\,e^{i\omega s}\langle B(s)B(0)\rangle = \tfrac12\gamma(\omega)
+ iS(\omega)` (:math:`\gamma` the rate and :math:`S` the Lamb-shift function of
:mod:`qbath.master._baths`; ``lamb_shift=False`` drops :math:`S`, as QuTiP's ``brmesolve`` does).
Keeping only the terms that take :math:`\rho_{cd}` to :math:`\rho_{ab}` with
:math:`|(\varepsilon_a-\varepsilon_b) - (\varepsilon_c-\varepsilon_d)| \le` ``cutoff`` gives the
partial-secular generator (QuTiP's ``sec_cutoff``); a cutoff below the smallest Bohr-frequency gap
gives back the Davies generator, Lamb shift included.

The local master equation (Levy and Kosloff, *The local approach to quantum transport may violate
the second law of thermodynamics*, 2014; Hofer et al., *Markovian master equations for quantum
thermal machines: local versus global approach*, 2017) takes each bath's Davies dissipator with
respect to the local Hamiltonian :math:`H_k` the bath sees, and the full :math:`H_S` for the
unitary part.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._checks import as_hermitian, check_bool, check_real_scalar
from .._errors import InputError
from ..generators import BathGenerator, Dissipator, JumpSet
from ._baths import Bath
from ._davies import _cluster_bohr, _coupling_meta, _coupling_tuples, _parse_couplings, davies

__all__ = ["redfield", "partial_secular", "local_davies"]


def _redfield_part(
    At: np.ndarray, E: np.ndarray, bath: Bath, lamb_shift: bool, tol: float
) -> sp.csr_matrix:
    """R_k in the eigenbasis, column stacking, (d^2, d^2)."""
    d = len(E)
    W = E[None, :] - E[:, None]  # W[a, b] = e_b - e_a
    nz = np.abs(At) > 1e-14 * max(1.0, float(np.abs(At).max(initial=0.0)))
    G = np.zeros((d, d), dtype=complex)
    gam = np.asarray(bath.rate(W[nz]), dtype=float)
    if not np.all(np.isfinite(gam)):
        raise InputError(
            "couplings: the bath rate is infinite at a Bohr frequency where A is non-zero (a "
            "sub-ohmic bath at T > 0 has gamma(0) = inf); the Redfield tensor does not exist"
        )
    G[nz] = 0.5 * gam
    if lamb_shift and np.any(nz):
        cl = _cluster_bohr(E, tol)
        labs = np.unique(cl.labels[nz])
        S = np.asarray(bath.lamb_shift(cl.frequencies[labs]), dtype=float)
        smap = np.zeros(len(cl.frequencies))
        smap[labs] = S
        G[nz] += 1j * smap[cl.labels[nz]]
    Lam = G * At
    eye = sp.identity(d, dtype=complex, format="csr")
    A = sp.csr_matrix(At)
    Ls = sp.csr_matrix(Lam)
    R = (
        sp.kron(A.T, Ls)
        - sp.kron(eye, A @ Ls)
        + sp.kron(Ls.conj(), A)
        - sp.kron((Ls.conj().T @ A).T, eye)
    )
    return R.tocsr()


def _secular_mask(E: np.ndarray, cutoff: float) -> np.ndarray:
    """(d^2, d^2) bool, column stacking: keep R[(a,b),(c,d)] if |nu_ab - nu_cd| <= cutoff."""
    nu = (E[:, None] - E[None, :]).ravel(order="F")  # nu[b*d + a] = e_a - e_b
    return np.abs(nu[:, None] - nu[None, :]) <= cutoff


def redfield(
    H: Any,
    couplings: Sequence[tuple[Any, Bath]] | tuple[Any, Bath],
    *,
    lamb_shift: bool = True,
    secular_cutoff: float | None = None,
) -> BathGenerator:
    r"""The Bloch--Redfield generator of a system coupled to independent bosonic baths.

    .. math::

        \dot\rho = -i[H_S,\rho] + \sum_k\Big([\Lambda_k\rho, A_k] + [A_k, \rho\Lambda_k^\dagger]
        \Big),\qquad \Lambda_k = \sum_\omega \Big(\tfrac12\gamma_k(\omega) + iS_k(\omega)\Big)
        A_k(\omega)

    (Breuer and Petruccione 2002, Eq. 3.118). Not of GKSL form: it need not be completely
    positive (``qbath.thermo.audit`` checks). Every solver except ``mcsolve`` accepts it.

    Parameters
    ----------
    H : (d, d) array_like
        System Hamiltonian :math:`H_S`.
    couplings : list of (A, bath)
        Hermitian coupling operators, each to its own bath.
    lamb_shift : bool
        Keep the principal-value parts :math:`S(\omega)` (QuTiP's ``brmesolve`` drops them).
    secular_cutoff : float, optional
        Keep only terms whose Bohr frequencies differ by at most this (see
        :func:`partial_secular`); None keeps all (the full Redfield tensor).

    Returns
    -------
    BathGenerator
        ``kind="redfield"`` (or ``"partial-secular"``); ``.dissipator(k)`` is bath k's part
        :math:`\mathcal R_k` (as a superoperator), ``.liouvillian()`` the (d^2, d^2) generator.
    """
    Hm = as_hermitian("H", H)
    d = Hm.shape[0]
    lamb_shift = check_bool("lamb_shift", lamb_shift)
    pairs = _parse_couplings(couplings, d)
    if secular_cutoff is not None:
        secular_cutoff = check_real_scalar(
            "secular_cutoff", secular_cutoff, minimum=0.0, allow_inf=True
        )
    E, V = np.linalg.eigh(Hm)
    tol = 1e-9 * max(1.0, float(E[-1] - E[0]))
    full = secular_cutoff is None or np.isinf(secular_cutoff)
    mask = None if full else _secular_mask(E, secular_cutoff + tol)
    parts = []
    for k, (A, bath) in enumerate(pairs):
        At = V.conj().T @ A @ V
        R = _redfield_part(At, E, bath, lamb_shift, tol)
        if mask is not None:
            R = R.multiply(mask).tocsr()
        R.eliminate_zeros()
        parts.append(
            Dissipator(
                name=str(k),
                temperature=float(bath.temperature),
                chemical_potential=0.0,
                jumps=JumpSet.from_operators([], d),
                lamb_shift_working=np.zeros((d, d), dtype=complex),
                superoperator_working=R,
                basis=V,
                bath=bath,
            )
        )
    kind = "redfield" if secular_cutoff is None else "partial-secular"
    return BathGenerator(
        system_hamiltonian=Hm,
        parts=tuple(parts),
        kind=kind,
        basis=V,
        meta=_coupling_meta(kind, d, pairs, lamb_shift, secular_cutoff=secular_cutoff),
    )


def partial_secular(
    H: Any,
    couplings: Sequence[tuple[Any, Bath]] | tuple[Any, Bath],
    cutoff: float,
    *,
    lamb_shift: bool = True,
) -> BathGenerator:
    r"""The partial-secular generator: the Redfield tensor without the terms whose Bohr
    frequencies differ by more than ``cutoff``.

    Keeps :math:`\rho_{cd}\to\rho_{ab}` only if :math:`|(\varepsilon_a-\varepsilon_b) -
    (\varepsilon_c-\varepsilon_d)| \le` ``cutoff`` (the terms
    :math:`A(\omega)\rho A^\dagger(\omega')` with :math:`|\omega-\omega'|\le` ``cutoff``);
    ``cutoff = 0`` is the Davies generator, ``cutoff = inf`` the full Redfield tensor (Cresser and
    Facer, *Coarse-graining in the derivation of Markovian master equations and its significance
    in quantum thermodynamics*, 2017).

    Parameters
    ----------
    H, couplings, lamb_shift
        As :func:`redfield`.
    cutoff : float
        >= 0 (``inf`` allowed).
    """
    c = check_real_scalar("cutoff", cutoff, minimum=0.0, allow_inf=True)
    return redfield(H, couplings, lamb_shift=lamb_shift, secular_cutoff=c)


def _part_to_original(D: Dissipator, name: str) -> Dissipator:
    d = D.dim
    ops = list(D.jump_operators)
    return Dissipator(
        name=name,
        temperature=D.temperature,
        chemical_potential=D.chemical_potential,
        jumps=JumpSet.from_operators([np.where(np.abs(L) > 1e-15, L, 0) for L in ops], d),
        lamb_shift_working=D.lamb_shift,
        basis=None,
        bath=D.bath,
    )


def local_davies(
    H: Any,
    couplings: Sequence[tuple[Any, Bath, Any]],
    *,
    lamb_shift: bool = True,
    freq_tol: float | None = None,
) -> BathGenerator:
    r"""The local master equation: each bath's Davies dissipator built from its local Hamiltonian.

    .. math::

        \dot\rho = -i\Big[H_S + \sum_k H_{LS,k}, \rho\Big] + \sum_k\sum_{\omega\in\mathrm{Bohr}(H_k)}
        \gamma_k(\omega)\Big(A_k(\omega)\rho A_k^\dagger(\omega)
        - \tfrac12\{A_k^\dagger(\omega)A_k(\omega),\rho\}\Big),

    with :math:`A_k(\omega)` and :math:`H_{LS,k}` from the eigen-decomposition of :math:`H_k` (Hofer
    et al., *Markovian master equations for quantum thermal machines: local versus global
    approach*, New J. Phys. 19, 123037, 2017). GKSL form, but its fixed point at equal
    temperatures is not the Gibbs state of :math:`H_S`, and between baths at different temperatures
    it can violate the second law when the subsystems interact (Levy and Kosloff 2014).

    Parameters
    ----------
    H : (d, d) array_like
        Full system Hamiltonian :math:`H_S` (interactions included).
    couplings : list of (A, bath, H_local)
        Coupling operator, bath and the local Hamiltonian :math:`H_k` (d, d, on the full space:
        e.g. the bare Hamiltonian of the subsystem the bath touches, tensored with identities).
    lamb_shift : bool
        Include each bath's Lamb shift :math:`H_{LS,k}` (with respect to :math:`H_k`).
    freq_tol : float, optional
        Passed to :func:`qbath.davies` for each local Hamiltonian.
    """
    Hm = as_hermitian("H", H)
    d = Hm.shape[0]
    lamb_shift = check_bool("lamb_shift", lamb_shift)
    couplings = _coupling_tuples(couplings, ("A", "bath", "H_local"))
    parts = []
    for k, (A, bath, Hk) in enumerate(couplings):
        Hk = as_hermitian(f"couplings[{k}][2]", Hk)
        if Hk.shape[0] != d:
            raise InputError(
                f"couplings[{k}][2]: expected dimension {d} to match H, got {Hk.shape[0]}"
            )
        try:
            g = davies(Hk, [(A, bath)], lamb_shift=lamb_shift, freq_tol=freq_tol)
        except InputError as exc:
            raise InputError(f"couplings[{k}]: {exc}") from exc
        parts.append(_part_to_original(g.dissipator(0), str(k)))
    return BathGenerator(
        system_hamiltonian=Hm,
        parts=tuple(parts),
        kind="local",
        basis=None,
        meta=_coupling_meta("local_davies", d, couplings, lamb_shift),
    )
