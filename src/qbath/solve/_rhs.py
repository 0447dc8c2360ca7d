r"""The master-equation right-hand side in matrix form.

For a Hermitian :math:`\rho` the GKSL equation can be written with the non-Hermitian
:math:`H_\mathrm{eff} = H - \tfrac i2\sum_k L_k^\dagger L_k` as

.. math::

    \dot\rho = X + X^\dagger,\qquad X = -i H_\mathrm{eff}\rho + \tfrac12\sum_k L_k\rho L_k^\dagger,

so one product with :math:`H_\mathrm{eff}` (instead of two with :math:`H`) and one Hermitian
symmetrisation do all of the Hamiltonian and anticommutator work. Choices, each measured on the
dissipative Ising chain of ``benchmarks/bench_mesolve_ising.py``:

* :math:`H_\mathrm{eff}` is applied as a sparse matrix unless it is small or dense, in which case
  a BLAS product is faster. Its diagonal is applied as a vector; its off-diagonal part is split into
  real and imaginary sparse matrices that act on the ``float`` view of :math:`\rho` (a real sparse
  product runs about twice as fast as a complex one in SciPy).
* The jump term :math:`\sum_k L_k\rho L_k^\dagger` touches, for operator :math:`L_k` with
  :math:`n_k` non-zero entries, exactly :math:`n_k^2` products of entries. For every operator with
  :math:`n_k^2` no larger than the cost of two sparse products and a transpose, those products are
  gathered into one sparse map acting on the flattened :math:`\rho` (the local :math:`\sigma_-` of a
  spin chain, or the tiny jump operators of a Davies generator in its eigenbasis). Dense jump
  operators use two sparse products each, :math:`L(L\rho)^\dagger = L\rho L^\dagger`.
* No :math:`d^2\times d^2` superoperator of the Hamiltonian part is ever formed.
* :math:`X + X^\dagger` is computed in row blocks for large d, which halves the cost of the
  transpose (cache blocking).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..generators import LindbladForm

#: below this dimension H_eff is applied as a dense matrix (BLAS), whatever its sparsity
DENSE_DIM = 48
#: H_eff is applied densely when more than this fraction of its entries is non-zero
DENSE_FILL = 0.15
#: row block for the blocked Hermitian symmetrisation (used for d >= BLOCKED_DIM)
BLOCK = 16
BLOCKED_DIM = 512


def hermitian_part_into(X: np.ndarray, out: np.ndarray) -> None:
    """``out = X + X^dag`` (cache-blocked for large matrices)."""
    d = X.shape[0]
    if d < BLOCKED_DIM:
        np.add(X, X.conj().T, out=out)
        return
    for j in range(0, d, BLOCK):
        np.add(X[j : j + BLOCK], X[:, j : j + BLOCK].T.conj(), out=out[j : j + BLOCK])


def _accumulate(A: sp.csr_matrix, x: np.ndarray, y: np.ndarray) -> None:
    """``y += A @ x`` for a CSR matrix and C-contiguous x, y of matching dtype (in place)."""
    if x.ndim == 1:
        _csr_matvec(A.shape[0], A.shape[1], A.indptr, A.indices, A.data, x, y)
    else:
        _csr_matvecs(
            A.shape[0],
            A.shape[1],
            x.shape[1],
            A.indptr,
            A.indices,
            A.data,
            x.reshape(-1),
            y.reshape(-1),
        )


def _accumulate_fallback(A: sp.csr_matrix, x: np.ndarray, y: np.ndarray) -> None:
    y += A @ x


try:  # SciPy's compiled kernels, without the Python-level dispatch of ``A @ x`` (2-3 us a call)
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # pragma: no cover - depends on the SciPy version
    _accumulate = _accumulate_fallback  # noqa: F811


def _prepared(A: sp.csr_matrix, dtype: type) -> sp.csr_matrix:
    """Canonical CSR with the index type the compiled kernels expect and data of ``dtype``."""
    A = sp.csr_matrix(A, dtype=dtype)
    A.sum_duplicates()
    A.sort_indices()
    return A


class MatrixFormRHS:
    r"""Right-hand side ``rhs(t, rho, out)`` writing :math:`\mathcal L\rho` into ``out``.

    Exact for Hermitian :math:`\rho` (it applies :math:`X + X^\dagger`), which the explicit methods
    preserve; the implicit methods use :class:`LiouvillianRHS`, which is linear over the complex
    numbers as their Newton iterations assume.

    Parameters
    ----------
    form : LindbladForm
        Generator in its working basis.
    """

    def __init__(self, form: LindbladForm):
        d = form.dim
        self.dim = d
        jumps = form.jumps
        heff = (form.hamiltonian - 0.5j * jumps.sum_dag_product()).tocsr()
        heff.sum_duplicates()
        self._dense_h: np.ndarray | None = None
        self._re = self._im = None
        if d <= DENSE_DIM or heff.nnz > DENSE_FILL * d * d:
            self._dense_h = np.ascontiguousarray(-1j * heff.toarray())
        else:
            diag = heff.diagonal()
            off = (heff - sp.diags(diag)).tocsr()
            off.eliminate_zeros()
            self._diag = np.ascontiguousarray(diag[:, None])
            re = _prepared(off.real, float)
            im = _prepared(off.imag, float)
            re.eliminate_zeros()
            im.eliminate_zeros()
            self._re = re if re.nnz else None
            self._im = im if im.nnz else None
        sizes = jumps.sizes
        small = sizes.astype(float) ** 2 <= 2.0 * sizes * d + 3.0 * d * d
        self._jsuper: sp.csr_matrix | None = None
        if np.any(small):
            self._jsuper = _prepared(0.5 * jumps.select(small).superoperator_rowmajor(), complex)
        self._jbig = [jumps.operator(int(k)) for k in np.flatnonzero(~small)]
        if (
            form.extra_rowmajor is not None
        ):  # a non-GKSL part (Bloch--Redfield), Hermiticity preserving
            extra = 0.5 * form.extra_rowmajor
            self._jsuper = _prepared(
                extra if self._jsuper is None else self._jsuper + extra, complex
            )
        self._G = np.empty((d, d), dtype=complex)
        self._Gflat = self._G.reshape(-1)
        self._GT = np.empty((d, d), dtype=complex)

    def __call__(self, t: float, rho: np.ndarray, out: np.ndarray) -> None:
        G = self._G
        if self._dense_h is not None:
            np.matmul(self._dense_h, rho, out=G)  # G = -i H_eff rho
        else:
            np.multiply(self._diag, rho, out=G)  # G = H_eff rho, assembled on float views
            if self._re is not None:
                _accumulate(self._re, rho.view(float), G.view(float))
            if self._im is not None:
                G += 1j * (self._im @ rho.view(float)).view(complex)
            G *= -1j
        if self._jsuper is not None:
            _accumulate(self._jsuper, rho.reshape(-1), self._Gflat)
        for L in self._jbig:
            M = L @ rho
            G += 0.5 * (L @ np.ascontiguousarray(M.conj().T))
        if self.dim < BLOCKED_DIM:
            np.conjugate(G.T, out=self._GT)
            np.add(G, self._GT, out=out)
        else:
            hermitian_part_into(G, out)


def rowmajor_liouvillian(form: LindbladForm) -> sp.csr_matrix:
    r"""The sparse superoperator acting on the row-major flattening ``rho.ravel()``.

    With :math:`\mathrm{vec}_r(AXB) = (A\otimes B^T)\,\mathrm{vec}_r(X)` and
    :math:`H_\mathrm{eff} = H - \tfrac i2\sum_k L_k^\dagger L_k`,

    .. math::

        \mathcal L_r = -i\,H_\mathrm{eff}\otimes I + i\,I\otimes\bar H_\mathrm{eff}
            + \sum_k L_k\otimes\bar L_k,

    shape (d^2, d^2), in the working basis of ``form``.
    """
    d = form.dim
    eye = sp.identity(d, dtype=complex, format="csr")
    heff = (form.hamiltonian - 0.5j * form.jumps.sum_dag_product()).tocsr()
    L = -1j * sp.kron(heff, eye) + 1j * sp.kron(eye, heff.conj())
    if form.jumps.count:
        L = L + form.jumps.superoperator_rowmajor()
    if form.extra_rowmajor is not None:  # a non-GKSL part (Bloch--Redfield)
        L = L + form.extra_rowmajor
    return _prepared(L, complex)


class LiouvillianRHS:
    r"""Right-hand side ``rhs(t, rho, out)``: one sparse product with :func:`rowmajor_liouvillian`.

    ``matrix`` is the constant Jacobian handed to the implicit methods.
    """

    def __init__(self, form: LindbladForm):
        self.matrix = rowmajor_liouvillian(form)

    def __call__(self, t: float, rho: np.ndarray, out: np.ndarray) -> None:
        flat = out.reshape(-1)
        flat[:] = 0.0
        _accumulate(self.matrix, np.ascontiguousarray(rho).reshape(-1), flat)
