r"""The normal form every solver works with: a Hamiltonian and a set of jump operators.

A GKSL generator

.. math::

    \mathcal L\rho = -i[H, \rho] + \sum_k \left(L_k\rho L_k^\dagger
        - \tfrac12\{L_k^\dagger L_k, \rho\}\right)

is stored as :class:`LindbladForm`: ``H`` as a sparse matrix, the jump operators :math:`L_k` (rates
folded in, as QuTiP's collapse operators: :math:`L_k = \sqrt{\gamma_k} A_k`) as one
:class:`JumpSet` (all non-zero entries of all :math:`L_k` in flat arrays, so a generator with tens
of thousands of tiny jump operators, like a Davies generator in its energy eigenbasis, costs no
Python objects per operator), and optionally a unitary ``basis``: when present the form is written in
that basis (``H_orig = basis @ H @ basis^dag``) and the solvers transform states and observables.

Two kinds of "system" are accepted by every solver (:func:`as_lindblad`):

* an object with a ``_lindblad_form()`` method (``qbath.GKSL`` from :func:`qbath.davies`);
* a pair ``(H, c_ops)`` with QuTiP-style collapse operators (numpy arrays, scipy sparse matrices
  or ``qutip.Qobj``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._checks import HERMITIAN_TOL, as_operator, check_bool, describe
from .._errors import InputError

__all__ = ["JumpSet", "LindbladForm", "as_lindblad", "liouvillian"]


@dataclass(frozen=True, eq=False)
class JumpSet:
    r"""Jump operators :math:`L_k` stored as flat arrays of their non-zero entries.

    Operator ``k`` has entries ``vals[ptr[k]:ptr[k+1]]`` at ``(rows[...], cols[...])``.

    Attributes
    ----------
    dim : int
        Hilbert-space dimension d.
    ptr : (K + 1,) int array
    rows, cols : (nnz,) int arrays
    vals : (nnz,) complex array
    """

    dim: int
    ptr: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray

    @property
    def count(self) -> int:
        """Number K of jump operators."""
        return len(self.ptr) - 1

    @property
    def sizes(self) -> np.ndarray:
        """Number of stored entries of each operator, shape (K,)."""
        return np.diff(self.ptr)

    @classmethod
    def from_operators(cls, ops: Sequence[Any], dim: int) -> JumpSet:
        """Collect the non-zero entries of (d, d) dense or sparse matrices."""
        rows, cols, vals, ptr = [], [], [], [0]
        for op in ops:
            m = sp.coo_matrix(op)
            m.sum_duplicates()
            keep = m.data != 0
            rows.append(m.row[keep])
            cols.append(m.col[keep])
            vals.append(m.data[keep].astype(complex))
            ptr.append(ptr[-1] + int(keep.sum()))

        def cat(xs: list[np.ndarray], dt: type) -> np.ndarray:
            return np.concatenate(xs).astype(dt) if xs else np.zeros(0, dt)

        return cls(
            dim,
            np.asarray(ptr, dtype=np.int64),
            cat(rows, np.int64),
            cat(cols, np.int64),
            cat(vals, complex),
        )

    def select(self, mask: np.ndarray) -> JumpSet:
        """The sub-set of operators where ``mask`` (shape (K,)) is true."""
        sizes = self.sizes
        entry_mask = np.repeat(mask, sizes)
        ptr = np.concatenate([[0], np.cumsum(sizes[mask])]).astype(np.int64)
        return JumpSet(
            self.dim, ptr, self.rows[entry_mask], self.cols[entry_mask], self.vals[entry_mask]
        )

    def with_rates(self, rates: np.ndarray) -> JumpSet:
        r"""The operators :math:`\sqrt{\gamma_k}\,L_k` of the rates :math:`\gamma_k > 0`.

        ``rates`` has shape (K,); operators whose rate is not positive are dropped (the rates of a
        GKSL generator are >= 0).
        """
        rates = np.asarray(rates, dtype=float)
        keep = rates > 0
        kept = self.select(keep)
        scale = np.repeat(np.sqrt(rates[keep]), kept.sizes)
        return JumpSet(self.dim, kept.ptr, kept.rows, kept.cols, kept.vals * scale)

    def operator(self, k: int) -> sp.csr_matrix:
        """Operator ``k`` as a (d, d) CSR matrix."""
        s = slice(self.ptr[k], self.ptr[k + 1])
        return sp.csr_matrix(
            (self.vals[s], (self.rows[s], self.cols[s])), shape=(self.dim, self.dim)
        )

    def stacked(self) -> sp.csr_matrix:
        """All operators stacked vertically: a (K d, d) CSR matrix whose block k is :math:`L_k`."""
        k_of_entry = np.repeat(np.arange(self.count), self.sizes)
        return sp.csr_matrix(
            (self.vals, (k_of_entry * self.dim + self.rows, self.cols)),
            shape=(self.count * self.dim, self.dim),
        )

    def dense(self) -> np.ndarray:
        """All operators as one dense complex array, shape (K, d, d); memory K d^2."""
        d = self.dim
        out = np.zeros((self.count, d, d), dtype=complex)
        k_of_entry = np.repeat(np.arange(self.count), self.sizes)
        out[k_of_entry, self.rows, self.cols] = self.vals
        return out

    def sum_dag_product(self, weights: np.ndarray | None = None) -> sp.csr_matrix:
        r""":math:`\sum_k w_k L_k^\dagger L_k` (weights default to 1), a (d, d) CSR matrix."""
        S = self.stacked()
        if weights is None:
            return (S.conj().T @ S).tocsr()
        w = np.repeat(np.asarray(weights, dtype=float), self.dim)
        return (S.conj().T @ sp.diags(w) @ S).tocsr()

    def superoperator_rowmajor(self, *, column_stacking: bool = False) -> sp.csr_matrix:
        r"""The map :math:`\rho \mapsto \sum_k L_k \rho L_k^\dagger` on the *row-major* flattening.

        ``(result @ rho.ravel()).reshape(d, d)`` equals :math:`\sum_k L_k\rho L_k^\dagger`; with
        ``column_stacking=True`` the same map on ``rho.ravel(order="F")`` (QuTiP's convention).

        Its entries are :math:`S_{(a a'),(b b')} = \sum_k (L_k)_{ab}\overline{(L_k)_{a'b'}}`.
        With :math:`M` the (U, K) sparse matrix of the U distinct positions (a, b) that any
        :math:`L_k` occupies, :math:`M_{(ab),k} = (L_k)_{ab}`, this is the sparse product
        :math:`M M^\dagger` (one compiled SpGEMM that also sums the terms of different k at the
        same entry) followed by a relabelling of its entries, (e, f) -> ((a_e a_f), (b_e b_f)),
        which is one-to-one, so no dense or d^4 intermediate is formed and no duplicates remain.
        The cost is :math:`\sum_k \mathrm{nnz}(L_k)^2` multiply-adds.
        """
        d = self.dim
        if self.vals.size == 0:
            return sp.csr_matrix((d * d, d * d), dtype=complex)
        key = self.rows * d + self.cols
        uniq, inv = np.unique(key, return_inverse=True)
        k_of_entry = np.repeat(np.arange(self.count), self.sizes)
        M = sp.csr_matrix((self.vals, (inv, k_of_entry)), shape=(uniq.size, self.count))
        P = (M @ M.conj().T).tocoo()
        idx = np.int32 if d * d < 2**31 else np.int64  # the index type scipy keeps
        ua, ub = (uniq // d).astype(idx), (uniq % d).astype(idx)
        e, f = P.row, P.col
        if column_stacking:
            e, f = f, e
        row = ua[e] * d + ua[f]
        col = ub[e] * d + ub[f]
        return sp.csr_matrix((P.data, (row, col)), shape=(d * d, d * d))


@dataclass(frozen=True, eq=False)
class LindbladForm:
    r"""A generator as (Hamiltonian, jump operators), optionally written in a rotated basis.

    Attributes
    ----------
    hamiltonian : (d, d) scipy.sparse.csr_matrix
        Hermitian Hamiltonian in the working basis.
    jumps : JumpSet
        Jump operators (square roots of the rates folded in) in the working basis.
    basis : (d, d) ndarray or None
        Unitary U with ``operator_original = U @ operator_working @ U^dag``; None means the working
        basis is the original one.
    stationary_mask : (d, d) bool ndarray or None
        Entries (a, b) of the working basis that form an invariant sector containing every
        stationary state (a Davies generator: equal energies), or None (no such knowledge).
    extra_rowmajor : (d^2, d^2) scipy.sparse.csr_matrix or None
        A Hermiticity-preserving superoperator :math:`\mathcal R` added to the GKSL part, acting on
        the row-major flattening of :math:`\rho` in the working basis, for generators that are not
        of GKSL form (the Bloch--Redfield tensor). None for a GKSL generator. Solvers that need
        jump operators (quantum trajectories) refuse a form that carries one.
    """

    hamiltonian: sp.csr_matrix
    jumps: JumpSet
    basis: np.ndarray | None = None
    stationary_mask: np.ndarray | None = None
    extra_rowmajor: sp.csr_matrix | None = None

    @property
    def dim(self) -> int:
        return self.jumps.dim

    def to_working(self, op: np.ndarray) -> np.ndarray:
        """An operator (or a stack (..., d, d)) from the original to the working basis."""
        if self.basis is None:
            return op
        U = self.basis
        return U.conj().T @ op @ U

    def to_original(self, op: np.ndarray) -> np.ndarray:
        """An operator (or a stack (..., d, d)) from the working to the original basis."""
        if self.basis is None:
            return op
        U = self.basis
        return U @ op @ U.conj().T

    def ket_to_working(self, psi: np.ndarray) -> np.ndarray:
        """Kets (..., d) from the original to the working basis."""
        return psi if self.basis is None else psi @ self.basis.conj()


def as_sparse_operator(name: str, op: Any, dim: int | None = None) -> sp.csr_matrix:
    """Validate a square operator given dense, sparse or as a Qobj; return CSR complex."""
    if sp.issparse(op):
        m = sp.csr_matrix(op, dtype=complex)
        if m.shape[0] != m.shape[1]:
            raise InputError(
                f"{name}: expected a square matrix of shape (d, d), got shape {m.shape}"
            )
        if dim is not None and m.shape[0] != dim:
            raise InputError(
                f"{name}: expected dimension {dim} (shape ({dim}, {dim})), got shape {m.shape}"
            )
        if not np.all(np.isfinite(m.data)):
            raise InputError(f"{name}: expected finite values, got NaN or inf entries")
        return m
    data = getattr(op, "data", None)
    if hasattr(op, "full") and hasattr(data, "as_scipy"):  # qutip 5 Qobj with sparse storage
        return as_sparse_operator(name, data.as_scipy(), dim)
    return sp.csr_matrix(as_operator(name, op, dim))


def check_sparse_hermitian(name: str, m: sp.csr_matrix) -> sp.csr_matrix:
    diff = m - m.conj().T
    err = float(np.max(np.abs(diff.data), initial=0.0))
    scale = max(1.0, float(np.max(np.abs(m.data), initial=0.0)))
    if err > HERMITIAN_TOL * scale:
        raise InputError(
            f"{name}: expected a Hermitian operator, got max|A - A^dag| = {err:.3e} "
            f"(tolerance {HERMITIAN_TOL * scale:.1e})"
        )
    return ((m + m.conj().T) * 0.5).tocsr()


def as_lindblad(system: Any) -> LindbladForm:
    """Turn a ``GKSL`` object or an ``(H, c_ops)`` pair into a :class:`LindbladForm`.

    Parameters
    ----------
    system : GKSL or tuple
        ``(H, c_ops)`` with ``H`` Hermitian of shape (d, d) and ``c_ops`` a sequence of (d, d)
        collapse operators :math:`L_k = \\sqrt{\\gamma_k} A_k` (dense, sparse or ``qutip.Qobj``).
    """
    if isinstance(system, LindbladForm):
        return system
    if hasattr(system, "_lindblad_form"):
        return system._lindblad_form()
    if not isinstance(system, (tuple, list)) or len(system) != 2:
        raise InputError(
            "system: expected a GKSL generator (from qbath.davies) or a pair (H, c_ops), "
            f"got {describe(system)}"
        )
    H, c_ops = system
    Hs = check_sparse_hermitian("H", as_sparse_operator("H", H))
    d = Hs.shape[0]
    if c_ops is None:
        c_ops = []
    if sp.issparse(c_ops) or isinstance(c_ops, np.ndarray) and c_ops.ndim == 2:
        raise InputError(
            "c_ops: expected a sequence of (d, d) collapse operators, got a single matrix "
            "(wrap it in a list)"
        )
    ops = [as_sparse_operator(f"c_ops[{k}]", L, d) for k, L in enumerate(c_ops)]
    return LindbladForm(Hs, JumpSet.from_operators(ops, d), None)


def _dense(m: Any) -> np.ndarray:
    return m.toarray() if sp.issparse(m) else np.asarray(m)


#: up to this dimension the Liouvillian is assembled with dense numpy products (sparse bookkeeping
#: would cost more than the arithmetic), then stored sparse
DENSE_LIOUVILLIAN_DIM = 8


def _small_liouvillian(form: LindbladForm) -> sp.csr_matrix:
    r"""The column-stacking superoperator of a small generator from dense (K, d, d) jumps:
    :math:`\sum_k \bar L_k\otimes L_k` as one ``einsum``, in the working basis."""
    d, J = form.dim, form.jumps
    ops = np.zeros((J.count, d, d), dtype=complex)
    ops[np.repeat(np.arange(J.count), J.sizes), J.rows, J.cols] = J.vals
    K = np.einsum("kba,kbc->ac", ops.conj(), ops)
    S = np.einsum("nik,njl->ijkl", ops.conj(), ops).reshape(d * d, d * d)
    if form.extra_rowmajor is not None:
        perm = (np.arange(d * d).reshape(d, d).T).ravel()
        S = S + form.extra_rowmajor.toarray()[np.ix_(perm, perm)]
    Heff = form.hamiltonian.toarray() - 0.5j * K
    eye = np.eye(d)
    return sp.csr_matrix(-1j * np.kron(eye, Heff) + 1j * np.kron(Heff.conj(), eye) + S)


def liouvillian(system: Any, *, sparse: bool = False) -> np.ndarray | sp.csr_matrix:
    r"""The superoperator of a generator in the column-stacking convention (as QuTiP).

    .. math::

        \mathcal L = -i(I\otimes H - H^T\otimes I)
            + \sum_k \left(\bar L_k\otimes L_k - \tfrac12 I\otimes L_k^\dagger L_k
            - \tfrac12 (L_k^\dagger L_k)^T\otimes I\right),

    so that :math:`\mathrm{vec}(\mathcal L\rho) = \mathcal L\,\mathrm{vec}(\rho)` with
    :math:`\mathrm{vec}` stacking columns (``rho.ravel(order="F")``).

    Parameters
    ----------
    system : GKSL or (H, c_ops)
    sparse : bool
        Return a scipy CSR matrix instead of a dense (d^2, d^2) array.

    Returns
    -------
    (d^2, d^2) ndarray or scipy.sparse.csr_matrix
        In the original basis of ``system``.
    """
    sparse = check_bool("sparse", sparse)
    form = as_lindblad(system)
    d = form.dim
    eye = sp.identity(d, dtype=complex, format="csr")
    # row-major index a*d+b  <->  column-major index b*d+a: permute rows and columns
    perm = (np.arange(d * d).reshape(d, d).T).ravel()
    if d <= DENSE_LIOUVILLIAN_DIM:
        L = _small_liouvillian(form)
    else:
        H = form.hamiltonian
        K = form.jumps.sum_dag_product()
        S_col = form.jumps.superoperator_rowmajor(column_stacking=True)
        if form.extra_rowmajor is not None:
            S_col = S_col + form.extra_rowmajor[perm][:, perm]
        Heff = H - 0.5j * K
        L = -1j * sp.kron(eye, Heff) + 1j * sp.kron(Heff.conj(), eye) + S_col
        L = L.tocsr()
    if form.basis is not None:
        U = form.basis
        W = np.kron(U.conj(), U)  # vec(U X U^dag) = (conj(U) kron U) vec(X)
        Ld = W @ _dense(L) @ W.conj().T
        return sp.csr_matrix(Ld) if sparse else Ld
    return L if sparse else L.toarray()
