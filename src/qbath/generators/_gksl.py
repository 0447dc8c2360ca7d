r"""The GKSL generator object returned by :func:`qbath.davies`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._checks import check_int
from .._errors import InputError
from ._lindblad import JumpSet, LindbladForm, liouvillian
from ._parts import Dissipator, _WorkingBasisOperators

__all__ = ["GKSL", "BohrClusters"]


@dataclass(frozen=True, eq=False)
class BohrClusters:
    """Bohr frequencies :math:`\\varepsilon_b - \\varepsilon_a` grouped within a tolerance.

    Attributes
    ----------
    labels : (d, d) int array
        ``labels[a, b]`` is the cluster of :math:`\\varepsilon_b - \\varepsilon_a`.
    frequencies : (n,) float array
        Representative (mean) frequency of each cluster, exactly antisymmetric.
    spread : (n,) float array
        Largest minus smallest member of each cluster.
    counts : (n,) int array
        Number of pairs (a, b) in each cluster.
    """

    labels: np.ndarray
    frequencies: np.ndarray
    spread: np.ndarray
    counts: np.ndarray


def _fmt(x: float) -> str:
    return f"{x: .6g}"


@dataclass(frozen=True, eq=False)
class GKSL(_WorkingBasisOperators):
    r"""A Markovian generator in GKSL form, derived microscopically (Davies).

    .. math::

        \dot\rho = -i[H_A + H_{LS}, \rho] + \sum_{\omega} \gamma(\omega)\left(A(\omega)\rho
        A^\dagger(\omega) - \tfrac12\{A^\dagger(\omega)A(\omega), \rho\}\right)

    (Schrödinger picture; the seed's Eq. 33 is the same equation in the interaction picture with
    respect to :math:`H_A`). Several couplings give one channel per (coupling, frequency).

    Everything is stored in the energy eigenbasis (jump operators there are sparse); the public
    attributes below are in the original basis.

    Attributes
    ----------
    system_hamiltonian : (d, d) ndarray
        :math:`H_A`.
    energies : (d,) ndarray
        Eigenvalues of :math:`H_A`, ascending.
    eigenvectors : (d, d) ndarray
        Columns are the eigenvectors (``numpy.linalg.eigh``).
    frequencies : (K,) ndarray
        Bohr frequency :math:`\omega` of each channel (> 0: emission into the bath).
    rates : (K,) ndarray
        :math:`\gamma(\omega)` of each channel.
    shifts : (K,) ndarray
        :math:`S(\omega)` of each channel (zero when ``lamb_shift=False``).
    channel_coupling : (K,) int array
        Index of the (effective) coupling of each channel.
    includes_lamb_shift : bool
    couplings : tuple of (A, bath)
    freq_tol : float
    strict_secular : bool
        False when ``freq_tol`` merged distinct Bohr frequencies (a partial secular approximation).
    meta : dict
    channel_bath : (K,) int array or None
        Independent bath of each channel (couplings correlated through ``cross_correlations``
        share one); None: every coupling is its own bath. See :meth:`dissipator`.
    bath_couplings : tuple of tuples of int, or None
        The couplings of each independent bath.
    lamb_shift : (d, d) ndarray
        :math:`H_{LS} = \sum_\omega S(\omega) A^\dagger(\omega) A(\omega)` (Eq. 21).
    jump_operators : (K, d, d) ndarray
        The :math:`A(\omega)` of every channel (Eq. 17), rates not folded in; memory K d^2: for
        large generators use :meth:`jump_operator` one at a time.
    """

    system_hamiltonian: np.ndarray
    energies: np.ndarray
    eigenvectors: np.ndarray
    clusters: BohrClusters
    frequencies: np.ndarray
    rates: np.ndarray
    shifts: np.ndarray
    channel_coupling: np.ndarray
    channel_origin: np.ndarray
    jumps_eigen: JumpSet
    lamb_shift_eigen: np.ndarray
    includes_lamb_shift: bool
    couplings: tuple[tuple[np.ndarray, Any], ...]
    effective_weights: np.ndarray
    freq_tol: float
    strict_secular: bool = True
    meta: dict[str, Any] = field(default_factory=dict)
    channel_bath: np.ndarray | None = None
    bath_couplings: tuple[tuple[int, ...], ...] | None = None

    _working_fields = ("eigenvectors", "lamb_shift_eigen", "jumps_eigen")

    # -- operators in the original basis ----------------------------------------------------------
    @cached_property
    def hamiltonian(self) -> np.ndarray:
        r""":math:`H_A + H_{LS}`, (d, d)."""
        H = self.system_hamiltonian + self.lamb_shift
        return 0.5 * (H + H.conj().T)

    def jump_operator(self, k: int) -> np.ndarray:
        r""":math:`A(\omega_k)` of channel ``k`` in the original basis, (d, d)."""
        return self._to_o(self.jumps_eigen.operator(int(k)).toarray())

    def c_ops(self) -> list[np.ndarray]:
        r"""QuTiP-style collapse operators :math:`\sqrt{\gamma(\omega)}A(\omega)` (non-zero rates)."""
        return [
            np.sqrt(self.rates[k]) * self.jump_operator(k) for k in np.flatnonzero(self.rates > 0)
        ]

    def liouvillian(self, *, sparse: bool = False) -> np.ndarray | sp.csr_matrix:
        """Superoperator (d^2, d^2), column stacking (as QuTiP), in the original basis."""
        return liouvillian(self, sparse=sparse)

    def _lindblad_form(self) -> LindbladForm:
        """Working form in the energy eigenbasis: sparse H and jumps with sqrt(rate) folded in."""
        jumps = self.jumps_eigen.with_rates(self.rates)
        H = sp.diags(self.energies.astype(complex)) + sp.csr_matrix(self.lamb_shift_eigen)
        H = sp.csr_matrix(H)
        H.eliminate_zeros()
        zero = self.clusters.labels[0, 0]  # the cluster of omega = 0
        mask = self.clusters.labels == zero if self.strict_secular else None
        return LindbladForm(H, jumps, self.eigenvectors, mask)

    # -- bath by bath ----------------------------------------------------------------------------
    @property
    def _bath_of_channel(self) -> np.ndarray:
        cb = self.channel_bath
        return np.asarray(self.channel_coupling if cb is None else cb, dtype=np.int64)

    @property
    def n_baths(self) -> int:
        """Number of independent baths: the couplings, unless ``cross_correlations`` joined some."""
        return len(self.couplings) if self.bath_couplings is None else len(self.bath_couplings)

    @property
    def baths(self) -> tuple[Any, ...]:
        """The bath object of each independent bath (coupling order)."""
        if self.bath_couplings is None:
            return tuple(b for _, b in self.couplings)
        return tuple(self.couplings[ls[0]][1] for ls in self.bath_couplings)

    @property
    def bath_temperatures(self) -> np.ndarray:
        """(K,) temperature of each independent bath."""
        return np.array([float(b.temperature) for b in self.baths], dtype=float)

    def dissipator(self, k: int) -> Dissipator:
        r"""The part :math:`\mathcal L_k` of independent bath ``k``: its channels, with their rates
        and their share :math:`H_{LS,k} = \sum_{\omega\in k} S(\omega)A^\dagger(\omega)A(\omega)`
        of the Lamb shift, and the bath's temperature.

        The parts add up to the generator:
        :math:`\mathcal L = -i[H_A,\cdot] + \sum_k\mathcal L_k` (Breuer and Petruccione, *The
        Theory of Open Quantum Systems*, 2002, Sec. 3.3).

        Parameters
        ----------
        k : int
            0 <= k < :attr:`n_baths`, in coupling order.
        """
        k = check_int("k", k)
        if k >= self.n_baths:
            raise InputError(f"k: expected a bath index < {self.n_baths}, got {k}")
        sel = (self._bath_of_channel == k) & (self.rates > 0)
        J = self.jumps_eigen.select(sel)
        scale = np.repeat(np.sqrt(self.rates[sel]), J.sizes)
        jumps = JumpSet(J.dim, J.ptr, J.rows, J.cols, J.vals * scale)
        selS = self._bath_of_channel == k
        if self.includes_lamb_shift and np.any(self.shifts[selS] != 0):
            hls = self.jumps_eigen.select(selS).sum_dag_product(self.shifts[selS]).toarray()
            hls = 0.5 * (hls + hls.conj().T)
        else:
            hls = np.zeros((self.dim, self.dim), dtype=complex)
        bath = self.baths[k]
        return Dissipator(
            name=str(k),
            temperature=None if bath is None else float(bath.temperature),
            chemical_potential=0.0,
            jumps=jumps,
            lamb_shift_working=hls,
            basis=self.eigenvectors,
            bath=bath,
        )

    # -- tables ----------------------------------------------------------------------------------
    def eigenvalue_table(self) -> list[tuple[int, float, str]]:
        """Rows (index, energy, eigenvector as a sum over computational-basis states).

        Qubit registers (d = 2^n) are labelled with ``u``/``d`` for up/down (index 0 = up).
        """
        d = self.dim
        n = int(round(np.log2(d))) if d > 1 and 2 ** int(round(np.log2(d))) == d else 0
        rows = []
        for a in range(d):
            vec = self.eigenvectors[:, a]
            big = np.flatnonzero(np.abs(vec) > 1e-8)
            terms = []
            for i in big:
                lab = format(i, f"0{n}b").replace("0", "u").replace("1", "d") if n else str(i)
                c = vec[i]
                terms.append(f"|{lab}>" if abs(abs(c) - 1) < 1e-10 else f"({c:.4g})|{lab}>")
            rows.append((a, float(self.energies[a]), " + ".join(terms)))
        return rows

    def bohr_table(self) -> list[tuple[float, list[tuple[int, int]]]]:
        r"""Distinct Bohr frequencies :math:`\omega = \varepsilon_b - \varepsilon_a` with their pairs
        (a, b), ascending (seed Table 2 grouped by value)."""
        lab = self.clusters.labels
        out = []
        for c in np.argsort(self.clusters.frequencies):
            a, b = np.nonzero(lab == c)
            out.append(
                (
                    float(self.clusters.frequencies[c]),
                    list(zip(a.tolist(), b.tolist(), strict=False)),
                )
            )
        return out

    def summary(self, max_rows: int = 64) -> str:
        """Readable tables: eigenvalues, Bohr frequencies and the non-zero jump operators."""
        lines = [
            f"GKSL generator (Davies), d = {self.dim}, {len(self.frequencies)} channels, "
            f"Lamb shift {'included' if self.includes_lamb_shift else 'omitted'}",
            "",
            "Eigenvalues of H_A (cf. seed Table 1):",
            "  a   energy        eigenvector",
        ]
        for a, e, v in self.eigenvalue_table()[:max_rows]:
            lines.append(f"  {a:<3d}{_fmt(e):<14s}{v}")
        lines += [
            "",
            "Bohr frequencies e_b - e_a (cf. seed Table 2):",
            "  omega         pairs (a, b)",
        ]
        for w, pairs in self.bohr_table()[:max_rows]:
            ps = " ".join(f"({a},{b})" for a, b in pairs[:12]) + (" ..." if len(pairs) > 12 else "")
            lines.append(f"  {_fmt(w):<14s}{ps}")
        lines += [
            "",
            "Non-zero jump operators A(omega) (cf. seed Eq. 22):",
            "  k   coupling  omega         gamma(omega)   S(omega)       transitions b->a: <a|A|b>",
        ]
        J = self.jumps_eigen
        order = np.lexsort((self.frequencies, self.channel_coupling))
        for k in order[:max_rows]:
            s = slice(J.ptr[k], J.ptr[k + 1])
            tr = " ".join(
                f"{b}->{a}:{v.real:.4g}" + (f"{v.imag:+.4g}j" if abs(v.imag) > 1e-12 else "")
                for a, b, v in list(zip(J.rows[s], J.cols[s], J.vals[s], strict=False))[:8]
            )
            lines.append(
                f"  {k:<4d}{int(self.channel_coupling[k]):<10d}{_fmt(self.frequencies[k]):<14s}"
                f"{_fmt(self.rates[k]):<15s}{_fmt(self.shifts[k]):<15s}{tr}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (
            f"GKSL(dim={self.dim}, channels={len(self.frequencies)}, "
            f"lamb_shift={self.includes_lamb_shift}, couplings={len(self.couplings)})"
        )
