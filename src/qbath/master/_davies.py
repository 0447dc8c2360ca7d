r"""Born--Markov--secular (Davies) generator from a microscopic model: :func:`davies`.

For :math:`H_{AB} = \sum_l A_l\otimes B_l` (seed 004, Eqs. 2, 15--21):

1. diagonalise :math:`H_A = \sum_a \varepsilon_a |a\rangle\langle a|`;
2. group the Bohr frequencies :math:`\omega = \varepsilon_b - \varepsilon_a` within ``freq_tol``
   (degenerate spectra are the rule, not the exception: seed Table 2);
3. :math:`A_l(\omega) = \sum_{\varepsilon_b - \varepsilon_a = \omega}
   |a\rangle\langle a|A_l|b\rangle\langle b|` (Eq. 17 in the form the seed uses below Table 1:
   :math:`A(\omega)` takes energy :math:`\omega` away from the system, so
   :math:`\omega > 0` is emission);
4. rates :math:`\gamma_{kl}(\omega)` and shifts :math:`S_{kl}(\omega)` from the baths (Eqs. 19--20,
   28--29 with the :math:`1/2\pi` correction); couplings to independent baths have
   :math:`\gamma_{kl} = \delta_{kl}\gamma_k`; correlated couplings to one bath
   (``cross_correlations``) have :math:`\gamma_{kl}(\omega) = c_{kl}\,\gamma(\omega)`;
5. :math:`H_{LS} = \sum_\omega\sum_{kl} S_{kl}(\omega) A_k^\dagger(\omega) A_l(\omega)` (Eq. 21)
   and the dissipator of Eq. 15.

A positive semidefinite :math:`c = U\Lambda U^T` is diagonalised once (it does not depend on
:math:`\omega`), so Eq. 15 becomes a sum of independent channels with operators
:math:`\sum_l U_{li} A_l(\omega)` and rates :math:`\lambda_i\gamma(\omega)`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._checks import as_hermitian, as_real_array, check_bool, check_real_scalar
from .._errors import InputError, QbathWarning
from .._meta import make_meta
from ..generators import GKSL, BohrClusters, JumpSet
from ._baths import Bath

__all__ = ["davies"]

#: relative size below which a matrix element of A in the eigenbasis counts as zero
ZERO_TOL = 1e-12
#: relative spread of a frequency cluster that counts as numerical noise (no warning)
NOISE_TOL = 1e-10


def _coupling_tuples(couplings: Any, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """``couplings`` as a list of tuples with one entry per name (the second one a bath).

    One tuple alone counts as a list of one. Only the shape is checked here: a non-empty
    sequence of tuples or lists of ``len(names)`` entries.
    """
    n = len(names)
    form, word = "(" + ", ".join(names) + ")", {2: "pair", 3: "triple"}[n]
    if isinstance(couplings, tuple) and len(couplings) == n and isinstance(couplings[1], Bath):
        couplings = [couplings]
    if not isinstance(couplings, Sequence) or isinstance(couplings, (str, bytes)) or not couplings:
        raise InputError(
            f"couplings: expected a non-empty list of {form} {word}s, got "
            f"{type(couplings).__name__}"
        )
    for l, item in enumerate(couplings):
        if not isinstance(item, (tuple, list)) or len(item) != n:
            raise InputError(f"couplings[{l}]: expected a {word} {form}, got {item!r}"[:200])
    return [tuple(item) for item in couplings]


def _coupling_meta(
    kind: str, dim: int, pairs: Sequence[tuple[Any, ...]], lamb_shift: bool, **extra: Any
) -> dict[str, Any]:
    """Provenance of a generator built from bath couplings ``(A, bath, ...)``.

    :func:`qbath._meta.make_meta` with ``dim``, ``n_couplings``, ``lamb_shift``, then ``extra``
    in order, and last the ``repr`` of every coupling's bath.
    """
    baths = [repr(c[1]) for c in pairs]
    n = len(pairs)
    return make_meta(
        kind, dim=dim, n_couplings=n, lamb_shift=bool(lamb_shift), **extra, baths=baths
    )


def _parse_couplings(couplings: Any, d: int) -> list[tuple[np.ndarray, Bath]]:
    out = []
    for l, (A, bath) in enumerate(_coupling_tuples(couplings, ("A", "bath"))):
        if not isinstance(bath, Bath):
            raise InputError(
                f"couplings[{l}][1]: expected a bath (e.g. qbath.OhmicBath), got "
                f"{type(bath).__name__}"
            )
        A = as_hermitian(f"couplings[{l}][0]", A)
        if A.shape[0] != d:
            raise InputError(
                f"couplings[{l}][0]: expected dimension {d} to match H, got dimension {A.shape[0]}"
            )
        out.append((A, bath))
    return out


def _effective_couplings(
    pairs: list[tuple[np.ndarray, Bath]], cross: Any
) -> tuple[list[np.ndarray], list[Bath], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Diagonalise the cross-correlation matrix per bath: effective operators, weights, the
    coupling each came from (-1 for a mixture) and its independent bath (connected component of
    the correlation graph, numbered in coupling order), and that bath of every coupling."""
    M = len(pairs)
    if cross is None:
        c = np.eye(M)
    elif isinstance(cross, str):
        if cross != "shared":
            raise InputError(
                f"cross_correlations: expected None, 'shared' or an (M, M) matrix, got {cross!r}"
            )
        c = np.array(
            [[1.0 if pairs[k][1] == pairs[l][1] else 0.0 for l in range(M)] for k in range(M)]
        )
    else:
        c = as_real_array("cross_correlations", cross)
        if c.shape != (M, M):
            raise InputError(
                f"cross_correlations: expected a ({M}, {M}) matrix (one row per coupling), got "
                f"shape {c.shape}"
            )
        if not np.all(np.isfinite(c)) or not np.allclose(c, c.T, atol=1e-12):
            raise InputError(
                f"cross_correlations: expected a finite real symmetric matrix, got {c!r}"
            )
        if not np.allclose(np.diag(c), 1.0, atol=1e-12):
            raise InputError(f"cross_correlations: expected ones on the diagonal, got {np.diag(c)}")
        lam_min = float(np.linalg.eigvalsh(c)[0]) if M else 0.0
        if lam_min < -1e-10:
            raise InputError(
                "cross_correlations: expected a positive semidefinite matrix, got smallest "
                f"eigenvalue {lam_min:.3e}"
            )
    for k in range(M):
        for l in range(M):
            if c[k, l] != 0 and pairs[k][1] != pairs[l][1]:
                raise InputError(
                    f"cross_correlations: expected zero between couplings to different baths, got "
                    f"c[{k}, {l}] = {c[k, l]} for {pairs[k][1]} and {pairs[l][1]}"
                )
    # connected components of the correlation graph
    comp = -np.ones(M, dtype=int)
    ncomp = 0
    for k in range(M):
        if comp[k] >= 0:
            continue
        stack = [k]
        comp[k] = ncomp
        while stack:
            i = stack.pop()
            for j in np.flatnonzero(c[i] != 0):
                if comp[j] < 0:
                    comp[j] = ncomp
                    stack.append(j)
        ncomp += 1
    ops, baths, weights, origin, group = [], [], [], [], []
    for g in range(ncomp):
        idx = np.flatnonzero(comp == g)
        lam, U = np.linalg.eigh(c[np.ix_(idx, idx)])
        for i in range(len(idx)):
            if lam[i] <= 1e-12:
                continue
            ops.append(sum(U[j, i] * pairs[idx[j]][0] for j in range(len(idx))))
            baths.append(pairs[idx[0]][1])
            weights.append(float(lam[i]))
            origin.append(int(idx[0]) if len(idx) == 1 else -1)
            group.append(g)
    return (
        ops,
        baths,
        np.asarray(weights),
        np.asarray(origin),
        np.asarray(group, dtype=np.int64),
        comp,
    )


def _cluster_bohr(E: np.ndarray, tol: float) -> BohrClusters:
    """Group the d^2 Bohr frequencies E_b - E_a (single linkage within ``tol``)."""
    d = len(E)
    omega = (E[None, :] - E[:, None]).ravel()  # omega[a*d + b] = E_b - E_a
    order = np.argsort(omega, kind="stable")
    v = omega[order]
    new = np.empty(v.size, dtype=bool)
    new[0] = True
    new[1:] = np.diff(v) > tol
    lab_sorted = np.cumsum(new) - 1
    labels = np.empty(v.size, dtype=np.int64)
    labels[order] = lab_sorted
    n = int(lab_sorted[-1]) + 1
    counts = np.bincount(lab_sorted, minlength=n)
    rep = np.bincount(lab_sorted, weights=v, minlength=n) / counts
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, v.size - 1]
    spread = v[last] - v[first]
    lab2 = labels.reshape(d, d)
    mirror = np.empty(n, dtype=np.int64)
    mirror[lab2.ravel()] = lab2.T.ravel()
    rep = 0.5 * (rep - rep[mirror])  # exact antisymmetry; the cluster of a = b is exactly 0
    return BohrClusters(labels=lab2, frequencies=rep, spread=spread, counts=counts)


def _jump_channels(
    ops: list[np.ndarray], V: np.ndarray, clusters: BohrClusters
) -> tuple[JumpSet, np.ndarray, np.ndarray]:
    r"""The jump operators :math:`A_k(\omega)` of every effective coupling, one channel per
    (coupling, Bohr frequency) pair: the non-zero eigenbasis entries grouped by frequency.

    Returns the :class:`JumpSet`, the coupling of each channel and its frequency.
    """
    d = V.shape[0]
    n_cl = len(clusters.frequencies)
    keys, rows, cols, vals = [], [], [], []
    for i, B in enumerate(ops):
        At = V.conj().T @ B @ V
        thr = ZERO_TOL * max(1.0, float(np.abs(At).max(initial=0.0)))
        a, b = np.nonzero(np.abs(At) > thr)
        keys.append(i * n_cl + clusters.labels[a, b])
        rows.append(a)
        cols.append(b)
        vals.append(At[a, b])
    key = np.concatenate(keys)
    order = np.argsort(key, kind="stable")
    key = key[order]
    rows_a = np.concatenate(rows)[order]
    cols_a = np.concatenate(cols)[order]
    vals_a = np.concatenate(vals)[order]
    uniq, start = np.unique(key, return_index=True)
    ptr = np.r_[start, key.size].astype(np.int64)
    chan_coupling = (uniq // n_cl).astype(np.int64)
    chan_cluster = (uniq % n_cl).astype(np.int64)
    freqs = clusters.frequencies[chan_cluster]
    jumps = JumpSet(d, ptr, rows_a.astype(np.int64), cols_a.astype(np.int64), vals_a)
    return jumps, chan_coupling, freqs


def _channel_rates(
    baths: list[Bath],
    weights: np.ndarray,
    chan_coupling: np.ndarray,
    freqs: np.ndarray,
    lamb_shift: bool,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Rates :math:`\gamma(\omega)` and Lamb-shift coefficients :math:`S(\omega)` of every channel;
    a negative or infinite rate where a jump operator is non-zero is refused."""
    rates = np.zeros(len(freqs))
    shifts = np.zeros(len(freqs))
    for i, bath in enumerate(baths):
        sel = chan_coupling == i
        if not np.any(sel):
            continue
        rates[sel] = weights[i] * np.asarray(bath.rate(freqs[sel]), dtype=float)
        if lamb_shift:
            shifts[sel] = weights[i] * np.asarray(bath.lamb_shift(freqs[sel]), dtype=float)
    neg = np.flatnonzero(rates < 0)
    if neg.size:
        k = int(neg[0])
        i = int(chan_coupling[k])
        raise InputError(
            f"couplings: expected a bath rate gamma(omega) >= 0 at every Bohr frequency where A(omega) "
            f"is non-zero, got gamma({freqs[k]:.6g}) = {rates[k]:.6g} for {baths[i]!r} (a spectral "
            "density J < 0 is unphysical; the solvers would drop the channel)"[:400]
        )
    if not np.all(np.isfinite(rates)):
        bad = freqs[~np.isfinite(rates)]
        raise InputError(
            f"couplings: the bath rate is infinite at Bohr frequency {bad[0]:.6g} where A(omega) is "
            "non-zero (a sub-ohmic bath at T > 0 has gamma(0) = inf); the Davies generator does "
            "not exist"
        )
    return rates, shifts


def _lamb_shift_eigen(jumps: JumpSet, shifts: np.ndarray, d: int) -> np.ndarray:
    r""":math:`H_{LS} = \sum_\omega S(\omega) A^\dagger(\omega)A(\omega)` (Eq. 21), eigenbasis."""
    if np.any(shifts != 0):
        hls = jumps.sum_dag_product(shifts).toarray()
        return 0.5 * (hls + hls.conj().T)
    return np.zeros((d, d), dtype=complex)


def davies(
    H: Any,
    couplings: Sequence[tuple[Any, Bath]] | tuple[Any, Bath],
    *,
    lamb_shift: bool = True,
    freq_tol: float | None = None,
    cross_correlations: Any = None,
) -> GKSL:
    r"""Derive the Davies (Born--Markov--secular) GKSL generator of a system coupled to baths.

    Parameters
    ----------
    H : (d, d) array_like
        Hermitian system Hamiltonian :math:`H_A`, any dimension (degenerate spectra allowed).
    couplings : list of (A, bath)
        Hermitian coupling operators :math:`A_l` (d, d) with the bath each couples to
        (:class:`OhmicBath`, :class:`PowerLawBath`, :class:`DrudeLorentzBath`,
        :class:`CustomBath`). A single pair may be given without the list.
    lamb_shift : bool
        Include :math:`H_{LS}` (Eq. 21) in the Hamiltonian.
    freq_tol : float, optional
        Bohr frequencies closer than this are one frequency. Default: the numerical-noise level
        :math:`10^{-10}\max(1, \varepsilon_{max} - \varepsilon_{min})`, the same level above which
        a merge counts as physical. A tolerance that merges frequencies differing by more than
        that noise gives a :class:`QbathWarning`: the result is then not the strict secular
        generator.
    cross_correlations : None, "shared" or (M, M) array_like
        None: every coupling has its own independent bath (even if the same bath object is
        reused). ``"shared"``: couplings whose baths are equal share one bath operator
        (:math:`\gamma_{kl} = \gamma`, collective coupling). A matrix :math:`c` (real, symmetric,
        positive semidefinite, unit diagonal, zero between different baths) gives
        :math:`\gamma_{kl}(\omega) = c_{kl}\gamma(\omega)` and :math:`S_{kl} = c_{kl}S` (Eq. 15).

    Returns
    -------
    GKSL
        The generator: ``.hamiltonian`` (:math:`H_A + H_{LS}`), ``.lamb_shift``,
        ``.frequencies``, ``.rates``, ``.jump_operators``, ``.liouvillian()``, ``.summary()``.
    """
    H = as_hermitian("H", H)
    d = H.shape[0]
    pairs = _parse_couplings(couplings, d)
    E, V = np.linalg.eigh(H)
    width = float(E[-1] - E[0])
    scale = max(1.0, width)
    lamb_shift = check_bool("lamb_shift", lamb_shift)
    noise = NOISE_TOL * scale
    tol = noise if freq_tol is None else check_real_scalar("freq_tol", freq_tol, minimum=0.0)
    clusters = _cluster_bohr(E, tol)
    merged = clusters.spread > noise
    if np.any(merged):
        warnings.warn(
            f"freq_tol={tol:.3g} merged Bohr frequencies that differ by up to "
            f"{float(clusters.spread.max()):.3g} (more than numerical noise {noise:.1g}); the "
            "generator is then not the strict secular (Davies) one",
            QbathWarning,
            stacklevel=2,
        )
    ops, baths, weights, origin, group, comp = _effective_couplings(pairs, cross_correlations)

    jumps, chan_coupling, freqs = _jump_channels(ops, V, clusters)

    rates, shifts = _channel_rates(baths, weights, chan_coupling, freqs, lamb_shift)
    hls_eig = _lamb_shift_eigen(jumps, shifts, d) if lamb_shift else np.zeros((d, d), dtype=complex)
    return GKSL(
        system_hamiltonian=H,
        energies=E,
        eigenvectors=V,
        clusters=clusters,
        frequencies=freqs,
        rates=rates,
        shifts=shifts,
        channel_coupling=chan_coupling,
        channel_origin=origin[chan_coupling] if len(origin) else chan_coupling,
        channel_bath=group[chan_coupling] if len(group) else chan_coupling,
        bath_couplings=tuple(
            tuple(int(l) for l in np.flatnonzero(comp == g)) for g in range(int(comp.max()) + 1)
        ),
        jumps_eigen=jumps,
        lamb_shift_eigen=hls_eig,
        includes_lamb_shift=bool(lamb_shift),
        couplings=tuple(pairs),
        effective_weights=weights,
        freq_tol=tol,
        strict_secular=not bool(np.any(merged)),
        meta=make_meta(
            "davies",
            dim=d,
            n_couplings=len(pairs),
            n_channels=len(freqs),
            lamb_shift=bool(lamb_shift),
            freq_tol=tol,
            baths=[repr(b) for _, b in pairs],
            cross_correlations=(
                cross_correlations
                if cross_correlations is None or isinstance(cross_correlations, str)
                else np.asarray(cross_correlations).tolist()
            ),
        ),
    )
