r"""Floquet theory of periodically driven systems and the Floquet--Born--Markov master equation.

For a Hamiltonian of period :math:`T` (:math:`\Omega = 2\pi/T`) the one-period propagator
:math:`U(T, 0)` has eigenvalues :math:`e^{-i\varepsilon_a T}`; the quasienergies
:math:`\varepsilon_a` are taken in the first Brillouin zone :math:`[-\pi/T, \pi/T)` and the Floquet
modes :math:`|\phi_a(t)\rangle = e^{i\varepsilon_a t}U(t, 0)|\phi_a(0)\rangle` are T-periodic.

Floquet--Born--Markov (Floquet--Davies) generator (Kohler, Dittrich & Hänggi, Phys. Rev. E 55, 300
(1997); Grifoni & Hänggi, "Driven quantum tunneling", Phys. Rep. 304, 229 (1998); Breuer &
Petruccione, "The Theory of Open Quantum Systems" (2002), Sec. 3.3 and 6.2; Szczygielski, Gelbwaser,
Alicki, Phys. Rev. E 87, 012120 (2013)). With the Fourier components of the coupling in the
Floquet basis,

.. math::

    A^{(k)}_{ab} = \frac1T\int_0^T dt\,e^{-ik\Omega t}\langle\phi_a(t)|A|\phi_b(t)\rangle,

the interaction-picture coupling is :math:`\sum_{abk}A^{(k)}_{ab}e^{-i\omega_{abk}t}|a\rangle\langle
b|` with :math:`\omega_{abk} = \varepsilon_b - \varepsilon_a - k\Omega`. Grouping the terms of
equal :math:`\omega` into :math:`A(\omega)` and making the secular approximation gives, in the
Floquet picture (states written in the basis :math:`|\phi_a(0)\rangle`),

.. math::

    \dot\rho_F = -i[H_F + H_{LS}, \rho_F] + \sum_{l,\omega}\gamma_l(\omega)\,
        \mathcal D[A_l(\omega)]\rho_F,\qquad H_F = \sum_a\varepsilon_a|\phi_a(0)\rangle\langle
        \phi_a(0)|,

with the same rates :math:`\gamma(\omega)` (> 0: emission) and Lamb shifts :math:`S(\omega)` as
:func:`qbath.davies`, here evaluated at the sideband frequencies :math:`\omega_{abk}`. Several baths
are several couplings. The lab-frame state is :math:`\rho(t) = P(t)\rho_F(t)P(t)^\dagger` with the
micromotion :math:`P(t) = \sum_a|\phi_a(t)\rangle\langle\phi_a(0)|`; at stroboscopic times
:math:`t = nT`, :math:`P = 1`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

from .._checks import as_hermitian, check_int, check_real_scalar
from .._errors import InputError, QbathWarning
from .._meta import make_meta
from ..generators import (
    JumpSet,
    KetRHS,
    LindbladForm,
    TimeDependentTerms,
    check_args,
    split_list_form,
)
from ._baths import Bath
from ._davies import _parse_couplings

__all__ = ["FloquetGKSL", "floquet_modes", "floquet_davies", "periodic_propagators"]

#: relative size below which a Fourier component counts as zero
_ZERO_TOL = 1e-10


def _ket_rhs(H: Any, args: Mapping[str, Any] | None) -> tuple[KetRHS, int]:
    from ..generators import as_sparse_operator as _as_sparse_operator

    args = check_args(args)
    constants, terms = split_list_form("H", H, args=args)
    if not constants and not terms:
        raise InputError("H: expected a Hamiltonian or QuTiP's list form, got an empty list")
    ops = [_as_sparse_operator("H", c) for c in constants]
    d = (ops[0] if ops else _as_sparse_operator("H[0][0]", terms[0][0])).shape[0]
    h0 = sp.csr_matrix((d, d), dtype=complex)
    for m in ops:
        if m.shape != (d, d):
            raise InputError(f"H: expected operators of shape ({d}, {d}), got shape {m.shape}")
        h0 = h0 + m
    h_terms = [(_as_sparse_operator(f"H[{k}][0]", op, d), c) for k, (op, c) in enumerate(terms)]
    td = TimeDependentTerms.build(h_terms, [], None)
    return KetRHS(h0.tocsr(), td), d


def periodic_propagators(
    H: Any,
    times: np.ndarray,
    *,
    args: Mapping[str, Any] | None = None,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> np.ndarray:
    r"""Propagators :math:`U(t_j, t_0)` of :math:`i\dot U = H(t)U` at ``times``, shape (T, d, d).

    ``H`` is a (d, d) operator or QuTiP's list form ``[H0, [H1, f1], ...]``.
    """
    rhs, d = _ket_rhs(H, args)
    from ..ode import Dopri5

    out = np.empty((len(times), d, d), dtype=complex)

    def save(i: int, y: np.ndarray) -> None:
        out[i] = y

    Dopri5(rtol=rtol, atol=atol, max_steps=10_000_000).integrate(
        rhs, np.eye(d, dtype=complex), np.asarray(times, dtype=float), save
    )
    return out


def _check_period(T: Any) -> float:
    return check_real_scalar("T", T, minimum=0.0, strict=True)


def _brillouin(eps: np.ndarray, T: float) -> np.ndarray:
    w = 2 * np.pi / T
    return np.mod(eps + np.pi / T, w) - np.pi / T


def _modes_from_period(U_T: np.ndarray, T: float) -> tuple[np.ndarray, np.ndarray]:
    # complex Schur form of a normal matrix is diagonal with a unitary Z: orthonormal modes even
    # for degenerate quasienergies (np.linalg.eig gives no such guarantee)
    Tm, Z = sla.schur(U_T, output="complex")
    lam = np.diag(Tm)
    eps = _brillouin(-np.angle(lam) / T, T)
    order = np.argsort(eps, kind="stable")
    return eps[order], Z[:, order]


def floquet_modes(
    H: Any,
    T: float,
    *,
    args: Mapping[str, Any] | None = None,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Quasienergies and Floquet modes of a T-periodic Hamiltonian.

    :math:`U(T, 0)|\phi_a(0)\rangle = e^{-i\varepsilon_a T}|\phi_a(0)\rangle`.

    Parameters
    ----------
    H : (d, d) operator or QuTiP's list form ``[H0, [H1, f1], ...]``
        Must be T-periodic (not checked beyond what the user's coefficients do).
    T : float
        Period, > 0.
    args : dict, optional
        Arguments of two-argument coefficient functions ``f(t, args)``.
    rtol, atol : float
        Tolerances of the one-period integration.

    Returns
    -------
    quasienergies : (d,) ndarray
        In :math:`[-\pi/T, \pi/T)`, ascending.
    modes : (d, d) ndarray
        Column a is :math:`|\phi_a(0)\rangle` (orthonormal).
    """
    T = _check_period(T)
    U = periodic_propagators(H, np.array([0.0, T]), args=args, rtol=rtol, atol=atol)[-1]
    return _modes_from_period(U, T)


@dataclass(frozen=True, eq=False)
class FloquetGKSL:
    r"""A Floquet--Born--Markov generator, in the Floquet picture (see the module docstring).

    Every qbath solver accepts it (``steady_state``, ``mesolve``, ``propagator``, ...); states are
    written in the computational basis at :math:`t = 0` (mod T), i.e. they are the lab-frame states
    at stroboscopic times. :meth:`lab_state` adds the micromotion for other times.

    Attributes
    ----------
    period : float
    quasienergies : (d,) ndarray
    modes : (d, d) ndarray
        :math:`|\phi_a(0)\rangle` as columns.
    frequencies : (K,) ndarray
        :math:`\omega` of each channel (sideband frequency :math:`\varepsilon_b - \varepsilon_a -
        k\Omega`, > 0 emission).
    harmonics : (K,) int ndarray
        k of the largest contribution to each channel (channels merge terms of equal
        :math:`\omega`).
    rates, shifts : (K,) ndarray
        :math:`\gamma(\omega)`, :math:`S(\omega)`.
    channel_coupling : (K,) int ndarray
        The coupling (bath) of each channel, an index into ``baths``.
    baths : tuple of Bath
        The bath of each coupling, in the order given.
    jumps_floquet : JumpSet
        :math:`A(\omega)` in the Floquet basis.
    lamb_shift_floquet : (d, d) ndarray
    meta : dict
    """

    period: float
    quasienergies: np.ndarray
    modes: np.ndarray
    frequencies: np.ndarray
    harmonics: np.ndarray
    rates: np.ndarray
    shifts: np.ndarray
    channel_coupling: np.ndarray
    jumps_floquet: JumpSet
    lamb_shift_floquet: np.ndarray
    includes_lamb_shift: bool
    _hamiltonian: Any = field(repr=False)
    _args: dict = field(repr=False, default_factory=dict)
    meta: dict = field(default_factory=dict)
    baths: tuple = ()

    @property
    def dim(self) -> int:
        return self.modes.shape[0]

    @property
    def floquet_hamiltonian(self) -> np.ndarray:
        r""":math:`H_F = \sum_a\varepsilon_a|\phi_a(0)\rangle\langle\phi_a(0)|`, (d, d)."""
        V = self.modes
        return (V * self.quasienergies) @ V.conj().T

    def _lindblad_form(self) -> LindbladForm:
        jumps = self.jumps_floquet.with_rates(self.rates)
        H = sp.csr_matrix(np.diag(self.quasienergies).astype(complex) + self.lamb_shift_floquet)
        H.eliminate_zeros()
        return LindbladForm(H, jumps, self.modes, None)

    def micromotion(self, t: Any) -> np.ndarray:
        r""":math:`P(t) = \sum_a|\phi_a(t)\rangle\langle\phi_a(0)|` at time(s) t: (d, d) or (T, d, d)."""
        ts = np.atleast_1d(np.asarray(t, dtype=float))
        if ts.ndim != 1 or not np.all(np.isfinite(ts)):
            raise InputError(f"t: expected a finite time or 1-D array of times, got {t!r}"[:200])
        frac = np.mod(ts, self.period)
        order = np.argsort(frac)
        grid = np.concatenate([[0.0], frac[order]])
        U = periodic_propagators(self._hamiltonian, grid, args=self._args)[1:]
        V = self.modes
        phase = np.exp(1j * np.outer(frac[order], self.quasienergies))
        P = np.empty((len(ts), self.dim, self.dim), dtype=complex)
        P[order] = (U @ V) * phase[:, None, :] @ V.conj().T
        return P[0] if np.ndim(t) == 0 else P

    def lab_state(self, rho: Any, t: Any) -> np.ndarray:
        r"""The lab-frame state :math:`P(t)\rho_F P(t)^\dagger` of a Floquet-picture state ``rho``
        (for a stationary :math:`\rho_F`, the time-periodic asymptotic state), (d, d) or (T, d, d)."""
        from .._checks import as_state

        r = as_state("rho", rho, self.dim)
        P = self.micromotion(t)
        return P @ r @ np.swapaxes(P.conj(), -1, -2)

    def __repr__(self) -> str:
        return (
            f"FloquetGKSL(dim={self.dim}, period={self.period:.6g}, channels="
            f"{len(self.frequencies)}, lamb_shift={self.includes_lamb_shift})"
        )


def _fourier_components(
    H: Any,
    T: float,
    modes: np.ndarray,
    eps: np.ndarray,
    ops: Sequence[np.ndarray],
    n_harm: int,
    n_samples: int,
    args: Mapping[str, Any],
) -> np.ndarray:
    """A^(k)_ab for every coupling, shape (L, 2K+1, d, d), k = -K..K along axis 1."""
    ts = np.arange(n_samples) * (T / n_samples)
    U = periodic_propagators(H, np.concatenate([ts, [T]]), args=args)[:-1]
    Phi = (U @ modes) * np.exp(1j * np.outer(ts, eps))[:, None, :]  # (N, d, d) columns phi_a(t)
    out = []
    for A in ops:
        At = np.swapaxes(Phi.conj(), 1, 2) @ A @ Phi  # (N, d, d)
        F = np.fft.fft(At, axis=0) / n_samples  # F[k] = (1/N) sum_j A(t_j) e^{-2 pi i k j / N}
        ks = np.arange(-n_harm, n_harm + 1)
        out.append(F[np.mod(ks, n_samples)])
    return np.stack(out)


def floquet_davies(
    H: Any,
    T: float,
    couplings: Sequence[tuple[Any, Bath]] | tuple[Any, Bath],
    *,
    args: Mapping[str, Any] | None = None,
    n_harmonics: int = 5,
    n_samples: int | None = None,
    lamb_shift: bool = False,
    freq_tol: float | None = None,
) -> FloquetGKSL:
    r"""The Floquet--Born--Markov (Floquet--Davies) generator of a periodically driven system.

    Parameters
    ----------
    H : (d, d) operator or QuTiP's list form, T-periodic
    T : float
        Period of the drive, > 0.
    couplings : list of (A, bath)
        Hermitian coupling operators with their baths (as :func:`qbath.davies`); any number of
        baths.
    args : dict, optional
        Arguments of the coefficient functions.
    n_harmonics : int
        Sidebands :math:`k = -K, \dots, K` kept. Components beyond are dropped; a warning is given
        when the outermost kept ones are not small.
    n_samples : int, optional
        Points per period of the Fourier transform (default :math:`8(K + 1)`, at least 32).
    lamb_shift : bool
        Include :math:`H_{LS} = \sum_\omega S(\omega)A^\dagger(\omega)A(\omega)`.
    freq_tol : float, optional
        Sideband frequencies closer than this are one channel (default :math:`10^{-9}
        \max(1, \Omega)`).

    Returns
    -------
    FloquetGKSL
    """
    T = _check_period(T)
    K = check_int("n_harmonics", n_harmonics, minimum=0)
    N = max(32, 8 * (K + 1)) if n_samples is None else check_int("n_samples", n_samples, minimum=1)
    if N < 2 * K + 1:
        raise InputError(f"n_samples: expected at least 2 n_harmonics + 1 = {2 * K + 1}, got {N}")
    args = check_args(args)
    if not isinstance(lamb_shift, (bool, np.bool_)):
        raise InputError(f"lamb_shift: expected True or False, got {lamb_shift!r}")
    Omega = 2 * np.pi / T
    tol = (
        1e-9 * max(1.0, Omega)
        if freq_tol is None
        else check_real_scalar("freq_tol", freq_tol, minimum=0.0)
    )
    eps, modes = floquet_modes(H, T, args=args)
    d = len(eps)
    pairs = _parse_couplings(couplings, d)
    ops = [as_hermitian(f"couplings[{i}][0]", A, d) for i, (A, _) in enumerate(pairs)]
    F = _fourier_components(H, T, modes, eps, ops, K, N, args)  # (L, 2K+1, d, d)
    edge = np.abs(F[:, [0, -1]]).max() if K > 0 else 0.0
    if K > 0 and edge > 1e-3 * max(np.abs(F).max(), 1e-300):
        warnings.warn(
            f"n_harmonics={K}: the outermost Fourier components of the coupling are "
            f"{edge:.2g} (relative {edge / np.abs(F).max():.2g}); raise n_harmonics",
            QbathWarning,
            stacklevel=2,
        )
    ks = np.arange(-K, K + 1)
    omega = eps[None, None, :] - eps[None, :, None] - Omega * ks[:, None, None]  # (2K+1, d, d)
    jumps, freqs, harm, coup, rates, shifts = _channels(F, omega, ks, pairs, tol, lamb_shift, d)
    hls = jumps.sum_dag_product(shifts).toarray() if lamb_shift and np.any(shifts) else None
    hls = np.zeros((d, d), complex) if hls is None else 0.5 * (hls + hls.conj().T)
    return FloquetGKSL(
        period=T,
        quasienergies=eps,
        modes=modes,
        frequencies=freqs,
        harmonics=harm,
        rates=rates,
        shifts=shifts,
        channel_coupling=coup,
        jumps_floquet=jumps,
        lamb_shift_floquet=hls,
        includes_lamb_shift=bool(lamb_shift),
        _hamiltonian=H,
        _args=args,
        meta=make_meta(
            "floquet_davies",
            dim=d,
            period=T,
            n_harmonics=K,
            n_samples=N,
            n_channels=len(freqs),
            lamb_shift=bool(lamb_shift),
            freq_tol=tol,
            baths=[repr(b) for _, b in pairs],
        ),
        baths=tuple(b for _, b in pairs),
    )


def _channels(
    F: np.ndarray,
    omega: np.ndarray,
    ks: np.ndarray,
    pairs: Sequence[tuple[np.ndarray, Bath]],
    tol: float,
    lamb_shift: bool,
    d: int,
) -> tuple[JumpSet, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Group the non-zero A^(k)_ab of every coupling by sideband frequency into channels."""
    rows, cols, vals, keys, harm_of = [], [], [], [], []
    thr = _ZERO_TOL * max(1.0, float(np.abs(F).max(initial=0.0)))
    w_all = omega.ravel()
    order = np.argsort(w_all, kind="stable")
    # cluster sorted frequencies: a new cluster where the gap exceeds tol
    ws = w_all[order]
    labels_sorted = np.concatenate([[0], np.cumsum(np.diff(ws) > tol)])
    labels = np.empty_like(labels_sorted)
    labels[order] = labels_sorted
    n_cl = int(labels_sorted[-1]) + 1 if ws.size else 0
    centers = np.bincount(labels_sorted, weights=ws, minlength=n_cl) / np.maximum(
        np.bincount(labels_sorted, minlength=n_cl), 1
    )
    labels = labels.reshape(omega.shape)
    for l in range(len(pairs)):
        k_i, a, b = np.nonzero(np.abs(F[l]) > thr)
        rows.append(a)
        cols.append(b)
        vals.append(F[l][k_i, a, b])
        keys.append(l * n_cl + labels[k_i, a, b])
        harm_of.append(ks[k_i])
    key = np.concatenate(keys) if keys else np.zeros(0, int)
    srt = np.argsort(key, kind="stable")
    key = key[srt]
    r = np.concatenate(rows)[srt].astype(np.int64)
    c = np.concatenate(cols)[srt].astype(np.int64)
    v = np.concatenate(vals)[srt].astype(complex)
    h = np.concatenate(harm_of)[srt]
    uniq, start = np.unique(key, return_index=True)
    ptr = np.r_[start, key.size].astype(np.int64)
    coup = (uniq // max(n_cl, 1)).astype(np.int64)
    freqs = centers[uniq % max(n_cl, 1)]
    harm = np.array(
        [h[s:e][np.argmax(np.abs(v[s:e]))] for s, e in zip(ptr[:-1], ptr[1:], strict=True)],
        dtype=np.int64,
    )
    rates = np.zeros(len(uniq))
    shifts = np.zeros(len(uniq))
    for l, (_, bath) in enumerate(pairs):
        sel = coup == l
        if np.any(sel):
            rates[sel] = np.asarray(bath.rate(freqs[sel]), dtype=float)
            if lamb_shift:
                shifts[sel] = np.asarray(bath.lamb_shift(freqs[sel]), dtype=float)
    if not np.all(np.isfinite(rates)):
        raise InputError(
            "couplings: the bath rate is infinite at a sideband frequency where A(omega) is "
            "non-zero; the Floquet--Davies generator does not exist"
        )
    return JumpSet(d, ptr, r, c, v), freqs, harm, coup, rates, shifts
