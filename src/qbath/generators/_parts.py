r"""Generators kept bath by bath: :class:`Dissipator` (one bath's part) and :class:`BathGenerator`.

A system coupled weakly to K independent baths has a generator that is a sum of one part per bath,

.. math::

    \mathcal L\rho = -i[H_S, \rho] + \sum_{k=1}^K \mathcal L_k\rho,\qquad
    \mathcal L_k\rho = -i[H_{LS,k}, \rho] + \sum_j \Big(L_{kj}\rho L_{kj}^\dagger
        - \tfrac12\{L_{kj}^\dagger L_{kj}, \rho\}\Big) + \mathcal R_k\rho,

where :math:`H_{LS,k}` is the bath's Lamb shift, :math:`L_{kj}` its jump operators (rates folded in)
and :math:`\mathcal R_k` an optional part that is not of GKSL form (the Bloch--Redfield tensor). The
heat current from bath k is :math:`J_k = \mathrm{Tr}[(H_S - \mu_k N)\mathcal L_k\rho]`
(Alicki, *The quantum open system as a model of the heat engine*, 1979; Spohn and Lebowitz,
*Irreversible thermodynamics for quantum systems weakly coupled to thermal reservoirs*, 1978).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from ._lindblad import JumpSet, LindbladForm

__all__ = ["Dissipator", "BathGenerator", "concat_jumps"]


def concat_jumps(sets: Sequence[JumpSet], dim: int) -> JumpSet:
    """One :class:`JumpSet` holding the operators of several, in order."""
    if not sets:
        return JumpSet(
            dim,
            np.zeros(1, np.int64),
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            np.zeros(0, complex),
        )
    ptr = [np.zeros(1, np.int64)]
    off = 0
    for s in sets:
        ptr.append(s.ptr[1:] + off)
        off += int(s.ptr[-1])
    return JumpSet(
        dim,
        np.concatenate(ptr).astype(np.int64),
        np.concatenate([s.rows for s in sets]).astype(np.int64),
        np.concatenate([s.cols for s in sets]).astype(np.int64),
        np.concatenate([s.vals for s in sets]).astype(complex),
    )


def _col_to_row(S: sp.spmatrix, d: int) -> sp.csr_matrix:
    """A column-stacking superoperator rewritten for the row-major flattening (and back)."""
    perm = (np.arange(d * d).reshape(d, d).T).ravel()
    return sp.csr_matrix(S)[perm][:, perm].tocsr()


class _WorkingBasisOperators:
    r"""Operators stored in a working basis :math:`U`: ``op_original = U @ op_working @ U^dag``.

    A subclass (a frozen dataclass) names in ``_working_fields`` its fields holding :math:`U`
    (None: the working basis is the original one), the Lamb-shift Hamiltonian and the
    :class:`JumpSet` of jump operators in the working basis.
    """

    _working_fields: ClassVar[tuple[str, str, str]]

    @property
    def dim(self) -> int:
        """Hilbert-space dimension d."""
        return getattr(self, self._working_fields[2]).dim

    def _to_w(self, op: np.ndarray) -> np.ndarray:
        U = getattr(self, self._working_fields[0])
        return op if U is None else U.conj().T @ op @ U

    def _to_o(self, op: np.ndarray) -> np.ndarray:
        U = getattr(self, self._working_fields[0])
        return op if U is None else U @ op @ U.conj().T

    @cached_property
    def lamb_shift(self) -> np.ndarray:
        r"""The Lamb-shift Hamiltonian :math:`H_{LS}` in the original basis, (d, d)."""
        return self._to_o(getattr(self, self._working_fields[1]))

    @cached_property
    def jump_operators(self) -> np.ndarray:
        r"""The stored jump operators in the original basis, shape (K, d, d).

        Memory K d^2: for large generators take them one at a time.
        """
        return self._to_o(getattr(self, self._working_fields[2]).dense())


@dataclass(frozen=True, eq=False)
class Dissipator(_WorkingBasisOperators):
    r"""One bath's part :math:`\mathcal L_k` of a generator, with the bath's thermodynamic data.

    .. math::

        \mathcal L_k\rho = -i[H_{LS,k}, \rho] + \sum_j \Big(L_j\rho L_j^\dagger
            - \tfrac12\{L_j^\dagger L_j, \rho\}\Big) + \mathcal R_k\rho

    Attributes
    ----------
    name : str
        Label of the bath (``"0"``, ``"1"``, ... when the couplings were not named).
    temperature : float or None
        :math:`T_k \ge 0` (None: unknown, e.g. a bath given only through collapse operators).
    chemical_potential : float
        :math:`\mu_k` (0 for the bosonic baths of :mod:`qbath.master`).
    jumps : JumpSet
        Jump operators :math:`L_j` in the working basis (square roots of the rates folded in).
    lamb_shift_working : (d, d) ndarray
        :math:`H_{LS,k}` in the working basis (zeros when omitted).
    superoperator_working : (d^2, d^2) scipy.sparse.csr_matrix or None
        :math:`\mathcal R_k`, column stacking, working basis (None for a GKSL part).
    basis : (d, d) ndarray or None
        Unitary U of the working basis (``op_original = U op_working U^dag``); None: original.
    bath : object or None
        The bath object (e.g. :class:`qbath.OhmicBath`) when there is one.
    number_operator : (d, d) ndarray or None
        Particle number :math:`N` counted by :math:`\mu_k` (original basis).
    lamb_shift : (d, d) ndarray
        :math:`H_{LS,k}` in the original basis.
    jump_operators : (n, d, d) ndarray
        The :math:`L_j` (rates folded in) in the original basis.
    """

    name: str
    temperature: float | None
    chemical_potential: float
    jumps: JumpSet
    lamb_shift_working: np.ndarray
    superoperator_working: sp.csr_matrix | None = None
    basis: np.ndarray | None = None
    bath: Any = None
    number_operator: np.ndarray | None = None

    _working_fields = ("basis", "lamb_shift_working", "jumps")

    @property
    def beta(self) -> float | None:
        """Inverse temperature :math:`1/T_k` (``inf`` at T = 0, None when T is unknown)."""
        if self.temperature is None:
            return None
        return np.inf if self.temperature == 0 else 1.0 / self.temperature

    @property
    def is_gksl(self) -> bool:
        """True when the part has no non-GKSL superoperator."""
        return self.superoperator_working is None

    @cached_property
    def _kdag(self) -> sp.csr_matrix:
        """sum_j L_j^dag L_j in the working basis."""
        return self.jumps.sum_dag_product()

    @cached_property
    def _split(self) -> tuple[sp.csr_matrix | None, list[sp.csr_matrix]]:
        """(row-major map of the small jumps, the large jumps) in the working basis; the split is
        the one of the solvers' right-hand side."""
        J = self.jumps
        d = self.dim
        sizes = J.sizes
        small = sizes.astype(float) ** 2 <= 2.0 * sizes * d + 3.0 * d * d
        M = J.select(small).superoperator_rowmajor() if np.any(small) else None
        big = [J.operator(int(k)) for k in np.flatnonzero(~small)]
        return M, big

    def _apply_working(self, rho: np.ndarray) -> np.ndarray:
        d = self.dim
        K, H = self._kdag, self.lamb_shift_working
        out = -1j * (H @ rho - rho @ H) - 0.5 * (K @ rho + (K.T @ rho.T).T)
        if self.jumps.count:
            M, big = self._split
            if M is not None:
                out += (M @ rho.reshape(-1)).reshape(d, d)
            for L in big:
                out += (L.conj() @ (L @ rho).T).T
        if self.superoperator_working is not None:
            out += (self.superoperator_working @ rho.ravel(order="F")).reshape(d, d, order="F")
        return out

    def __call__(self, rho: np.ndarray) -> np.ndarray:
        r""":math:`\mathcal L_k\rho` for a (d, d) matrix in the original basis."""
        return self._to_o(self._apply_working(self._to_w(np.asarray(rho, dtype=complex))))

    def adjoint(self, op: np.ndarray) -> np.ndarray:
        r"""Heisenberg-picture part :math:`\mathcal L_k^\dagger(X)`, with
        :math:`\mathrm{Tr}[X\mathcal L_k\rho] = \mathrm{Tr}[\mathcal L_k^\dagger(X)\rho]`.

        .. math::

            \mathcal L_k^\dagger X = i[H_{LS,k}, X] + \sum_j \Big(L_j^\dagger X L_j
                - \tfrac12\{L_j^\dagger L_j, X\}\Big) + \mathcal R_k^\dagger X

        An operator diagonal in the working basis (the energy, for a Davies generator) costs two
        sparse products: :math:`\sum_j L_j^\dagger X L_j = S^\dagger (I\otimes X) S` with
        :math:`S` the stacked jumps.
        """
        X = self._to_w(np.asarray(op, dtype=complex))
        d = self.dim
        K, H = self._kdag, self.lamb_shift_working
        out = 1j * (H @ X - X @ H) - 0.5 * (K @ X + (K.T @ X.T).T)
        n = self.jumps.count
        if n:
            x = np.diag(X)
            scale = max(1.0, float(np.abs(x).max(initial=0.0)))
            if np.abs(X - np.diag(x)).max(initial=0.0) <= 1e-14 * scale:
                S = self.jumps.stacked()
                out += (S.conj().T @ (sp.diags(np.tile(x, n)) @ S)).toarray()
            else:
                M, big = self._split
                if M is not None:
                    out += (M.conj().T @ X.reshape(-1)).reshape(d, d)
                for L in big:
                    out += L.conj().T @ (L.T @ X.T).T
        if self.superoperator_working is not None:
            R = self.superoperator_working
            out += (R.conj().T @ X.ravel(order="F")).reshape(d, d, order="F")
        return self._to_o(out)

    def c_ops(self) -> list[np.ndarray]:
        """The jump operators as a list of (d, d) collapse operators (original basis)."""
        return list(self.jump_operators.copy())  # not views of the cached stack

    def liouvillian(self) -> np.ndarray:
        r""":math:`\mathcal L_k` as a dense (d^2, d^2) superoperator, column stacking, original basis."""
        d = self.dim
        eye = sp.identity(d, dtype=complex, format="csr")
        H = sp.csr_matrix(self.lamb_shift_working)
        K = self.jumps.sum_dag_product()
        S = _col_to_row(self.jumps.superoperator_rowmajor(), d)
        L = -1j * (sp.kron(eye, H) - sp.kron(H.T, eye)) + S
        L = L - 0.5 * (sp.kron(eye, K) + sp.kron(K.T, eye))
        if self.superoperator_working is not None:
            L = L + self.superoperator_working
        Ld = L.toarray()
        if self.basis is not None:
            W = np.kron(self.basis.conj(), self.basis)
            Ld = W @ Ld @ W.conj().T
        return Ld

    def __repr__(self) -> str:
        return (
            f"Dissipator(name={self.name!r}, temperature={self.temperature}, "
            f"chemical_potential={self.chemical_potential}, jumps={self.jumps.count}, "
            f"gksl={self.is_gksl})"
        )


@dataclass(frozen=True, eq=False)
class BathGenerator:
    r"""A generator :math:`-i[H_S,\cdot] + \sum_k\mathcal L_k` kept as one :class:`Dissipator` per bath.

    Built by :func:`qbath.master.local_davies`, :func:`qbath.master.redfield`,
    :func:`qbath.master.partial_secular` and :meth:`from_c_ops`; every solver accepts it (through
    ``_lindblad_form``) and so does :mod:`qbath.thermo`.

    Attributes
    ----------
    system_hamiltonian : (d, d) ndarray
        :math:`H_S` (without Lamb shifts): the energy of the heat currents.
    parts : tuple of Dissipator
    kind : str
        ``"lindblad"``, ``"local"``, ``"redfield"`` or ``"partial-secular"``.
    basis : (d, d) ndarray or None
        Common working basis of the parts.
    meta : dict
    """

    system_hamiltonian: np.ndarray
    parts: tuple[Dissipator, ...]
    kind: str = "lindblad"
    basis: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def dim(self) -> int:
        return self.system_hamiltonian.shape[0]

    @property
    def n_baths(self) -> int:
        return len(self.parts)

    def dissipator(self, k: int) -> Dissipator:
        """The part of bath ``k`` (coupling order)."""
        return self.parts[int(k)]

    @property
    def bath_temperatures(self) -> np.ndarray:
        """(K,) temperatures (NaN where unknown)."""
        return np.array(
            [np.nan if p.temperature is None else p.temperature for p in self.parts], dtype=float
        )

    @property
    def is_gksl(self) -> bool:
        return all(p.is_gksl for p in self.parts)

    @cached_property
    def _h_working(self) -> np.ndarray:
        U = self.basis
        H = self.system_hamiltonian
        return H if U is None else U.conj().T @ H @ U

    @cached_property
    def hamiltonian(self) -> np.ndarray:
        r""":math:`H_S + \sum_k H_{LS,k}`, (d, d), original basis."""
        H = self.system_hamiltonian + sum(p.lamb_shift for p in self.parts)
        return 0.5 * (H + H.conj().T)

    def _lindblad_form(self) -> LindbladForm:
        d = self.dim
        H = self._h_working + sum(p.lamb_shift_working for p in self.parts)
        H = sp.csr_matrix(0.5 * (H + H.conj().T))
        H.eliminate_zeros()
        jumps = concat_jumps([p.jumps for p in self.parts], d)
        extra = None
        sups = [p.superoperator_working for p in self.parts if p.superoperator_working is not None]
        if sups:
            extra = _col_to_row(sum(sups[1:], sups[0]), d)
        return LindbladForm(H, jumps, self.basis, None, extra)

    def liouvillian(self, *, sparse: bool = False) -> np.ndarray | sp.csr_matrix:
        """Superoperator (d^2, d^2), column stacking, original basis."""
        from ._lindblad import liouvillian

        return liouvillian(self, sparse=sparse)

    def c_ops(self) -> list[np.ndarray]:
        """All jump operators of all GKSL parts (original basis)."""
        out: list[np.ndarray] = []
        for p in self.parts:
            out += p.c_ops()
        return out

    @classmethod
    def from_c_ops(
        cls,
        H: np.ndarray,
        baths: Sequence[tuple[str, Sequence[np.ndarray], float | None, float]],
        *,
        number_operator: np.ndarray | None = None,
        kind: str = "lindblad",
        meta: dict[str, Any] | None = None,
    ) -> BathGenerator:
        """From validated pieces: ``baths`` is a list of (name, c_ops, temperature, mu)."""
        d = H.shape[0]
        parts = []
        for name, ops, T, mu in baths:
            parts.append(
                Dissipator(
                    name=str(name),
                    temperature=T,
                    chemical_potential=float(mu),
                    jumps=JumpSet.from_operators(list(ops), d),
                    lamb_shift_working=np.zeros((d, d), dtype=complex),
                    number_operator=number_operator,
                )
            )
        return cls(H, tuple(parts), kind, None, dict(meta or {}))

    def __repr__(self) -> str:
        return (
            f"BathGenerator(kind={self.kind!r}, dim={self.dim}, baths="
            f"{[p.name for p in self.parts]}, temperatures={self.bath_temperatures.tolist()})"
        )
