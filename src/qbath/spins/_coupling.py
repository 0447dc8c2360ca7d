r"""The symmetric two-spin coupling operator :math:`K` in one of three storage forms.

The Hamiltonian's coupling is :math:`\sum_{i\neq j}\sum_{ab} J_{ij}^{ab}\sigma_i^a\sigma_j^b`. Since
both orderings of a pair appear, only the symmetric combination

.. math:: K_{ij}^{ab} = J_{ij}^{ab} + J_{ji}^{ba}, \qquad K_{ii} = 0,

enters the dynamics: :math:`H_{\rm int} = \tfrac12\sum_{i\neq j} K_{ij}^{ab}\sigma_i^a\sigma_j^b
= \sum_{i<j} K_{ij}^{ab}\sigma_i^a\sigma_j^b`. :math:`H` is Hermitian exactly when :math:`K` is
real. :math:`K` is symmetric as a :math:`3N\times 3N` matrix.

Internally every array uses the *component-major* layout: row/column ``a * N + i`` holds spin ``i``,
component ``a`` (0, 1, 2 = x, y, z), so the block ``K[a*N:(a+1)*N, b*N:(b+1)*N]`` is the
:math:`N\times N` matrix :math:`K^{ab}_{ij}`. Blocks are contiguous, which keeps the per-component
element-wise work of the cumulant equations on contiguous memory. User-facing arrays are spin-major
((N, 3) Bloch vectors, (N, N, 3, 3) couplings).

Storage forms (chosen by the model constructor):

``"dense"``   a (3N, 3N) ndarray;
``"sparse"``  a scipy.sparse CSR (3N, 3N) matrix (lattices of 10^5-10^6 spins);
``"product"`` :math:`K_{ij}^{ab} = A_{ij} M^{ab}` with a dense (N, N) ``A`` and a (3, 3) ``M``
              (all-to-all models with one coupling tensor: N^2 numbers instead of 9 N^2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from .._checks import HERMITIAN_TOL, as_real_shaped, check_finite
from .._errors import InputError

CouplingKind = Literal["none", "dense", "sparse", "product"]

_COMP = {"x": 0, "y": 1, "z": 2, 0: 0, 1: 1, 2: 2}


def _check_real_K(name: str, imag_max: float, scale: float) -> None:
    if imag_max > HERMITIAN_TOL * max(1.0, scale):
        raise InputError(
            f"{name}: expected couplings that make H Hermitian (J_ij^ab + J_ji^ba real), got "
            f"imaginary parts up to {imag_max:.3e}"
        )


@dataclass(frozen=True, eq=False)
class SymmetricCoupling:
    """Symmetric coupling :math:`K` (component-major, see the module docstring). Private."""

    kind: CouplingKind
    n: int
    matrix: Any = None  # dense ndarray (3N,3N) or CSR (3N,3N)
    adjacency: np.ndarray | None = None  # "product": (N, N), symmetric, zero diagonal
    tensor: np.ndarray | None = None  # "product": (3, 3)

    def __post_init__(self) -> None:
        for a in (self.matrix, self.adjacency, self.tensor):
            if isinstance(a, np.ndarray):
                a.setflags(write=False)

    # ---------------------------------------------------------------- actions
    def matvec(self, s3: np.ndarray) -> np.ndarray:
        r"""Local fields :math:`B_i^a = \sum_{jb} K_{ij}^{ab} s_j^b` for ``s3`` of shape (3, N)."""
        if self.kind == "none":
            return np.zeros_like(s3)
        if self.kind == "product":
            # adjacency is symmetric; three BLAS matrix-vector products read it at memory speed,
            # measured 3x faster than one (N, N) x (N, 3) gemm at N = 10^4 (OpenBLAS, 2 threads)
            t = np.empty(s3.shape)
            for k in range(3):  # components, not spins
                np.dot(self.adjacency, s3[k], out=t[k])
            return self.tensor @ t
        return (self.matrix @ s3.reshape(-1)).reshape(3, self.n)

    def dense(self) -> np.ndarray:
        """(3N, 3N) float ndarray (component-major). The stored (read-only) array for the dense
        kind, a new array for the others."""
        n3 = 3 * self.n
        if self.kind == "none":
            return np.zeros((n3, n3))
        if self.kind == "dense":
            return self.matrix
        if self.kind == "sparse":
            return self.matrix.toarray()
        return np.kron(self.tensor, self.adjacency)

    def spin_major(self) -> np.ndarray:
        """The symmetric couplings as a dense (N, N, 3, 3) array ``K[i, j, a, b]``."""
        n = self.n
        return self.dense().reshape(3, n, 3, n).transpose(1, 3, 0, 2).copy()

    @property
    def is_zero(self) -> bool:
        if self.kind == "none":
            return True
        if self.kind == "sparse":
            return self.matrix.nnz == 0 or not np.any(self.matrix.data)
        if self.kind == "product":
            return not (np.any(self.adjacency) and np.any(self.tensor))
        return not np.any(self.matrix)


# -------------------------------------------------------------------------------- construction


def _cm_index(n: int, i: np.ndarray, a: np.ndarray) -> np.ndarray:
    return np.asarray(a) * n + np.asarray(i)


def _from_coo(
    n: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, name: str
) -> SymmetricCoupling:
    """K = J + J^T from component-major COO triplets of J; diagonal blocks dropped."""
    keep = (rows % n) != (cols % n)
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    J = sp.coo_matrix((vals, (rows, cols)), shape=(3 * n, 3 * n)).tocsr()
    K = (J + J.T).tocsr()
    K.sum_duplicates()
    if K.dtype.kind == "c":
        _check_real_K(
            name,
            float(np.max(np.abs(K.data.imag), initial=0.0)),
            float(np.max(np.abs(K.data), initial=0.0)),
        )
        K = K.real.tocsr()
    K = K.astype(float)
    K.eliminate_zeros()
    return SymmetricCoupling("sparse", n, matrix=K)


def _from_dense_spin_major(n: int, J: np.ndarray, name: str) -> SymmetricCoupling:
    """K from a dense (N, N, 3, 3) J."""
    K4 = J + J.transpose(1, 0, 3, 2)
    ar = np.arange(n)
    K4[ar, ar] = 0.0
    if K4.dtype.kind == "c":
        _check_real_K(
            name,
            float(np.max(np.abs(K4.imag), initial=0.0)),
            float(np.max(np.abs(K4), initial=0.0)),
        )
        K4 = K4.real
    Kcm = np.ascontiguousarray(K4.transpose(2, 0, 3, 1).reshape(3 * n, 3 * n), dtype=float)
    if not np.any(Kcm):
        return SymmetricCoupling("none", n)
    return SymmetricCoupling("dense", n, matrix=Kcm)


def _from_spin_major_sparse(n: int, J: Any, name: str) -> SymmetricCoupling:
    """K from a scipy.sparse (3N, 3N) J in the documented spin-major layout (row 3i+a, col 3j+b)."""
    if J.shape != (3 * n, 3 * n):
        raise InputError(
            f"{name}: expected a sparse matrix of shape ({3 * n}, {3 * n}) (row 3i+a, column 3j+b), "
            f"got shape {J.shape}"
        )
    c = sp.coo_matrix(J)
    check_finite(name, c.data)
    rows = _cm_index(n, c.row // 3, c.row % 3)
    cols = _cm_index(n, c.col // 3, c.col % 3)
    return _from_coo(n, rows, cols, c.data, name)


def _from_component_dict(n: int, d: dict, name: str) -> SymmetricCoupling:
    """K from ``{(a, b): (N, N) matrix}`` with a, b in 'x','y','z' or 0, 1, 2 (or keys 'xy')."""
    items = []
    any_sparse = False
    for key, mat in d.items():
        if isinstance(key, str) and len(key) == 2:
            key = (key[0], key[1])
        try:
            a, b = (_COMP[key[0]], _COMP[key[1]])
        except (KeyError, TypeError, IndexError):
            raise InputError(
                f"{name}: expected keys naming a component pair such as 'xz' or ('x', 'z') or (0, 2), "
                f"got {key!r}"
            ) from None
        if sp.issparse(mat):
            any_sparse = True
            if mat.shape != (n, n):
                raise InputError(f"{name}[{key!r}]: expected shape ({n}, {n}), got {mat.shape}")
        else:
            mat = np.asarray(mat)
            if mat.shape != (n, n) or mat.dtype.kind not in "biufc":
                raise InputError(
                    f"{name}[{key!r}]: expected an ({n}, {n}) numeric matrix, got {mat.shape}"
                )
        items.append((a, b, mat))
    if any_sparse:
        rows, cols, vals = [], [], []
        for a, b, mat in items:
            c = sp.coo_matrix(mat)
            check_finite(f"{name}", c.data)
            rows.append(_cm_index(n, c.row, a))
            cols.append(_cm_index(n, c.col, b))
            vals.append(c.data)
        return _from_coo(n, np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), name)
    dtype = complex if any(np.asarray(m).dtype.kind == "c" for _, _, m in items) else float
    J = np.zeros((n, n, 3, 3), dtype=dtype)
    for a, b, mat in items:
        check_finite(f"{name}", mat)
        J[:, :, a, b] += mat
    return _from_dense_spin_major(n, J, name)


def _from_edges(n: int, edges: Any, values: Any, name: str) -> SymmetricCoupling:
    """K from an edge list: ``edges`` (E, 2) spin pairs (i, j), ``values`` (E, 3, 3) J_ij^{ab}."""
    e = np.asarray(edges)
    if e.ndim != 2 or e.shape[1] != 2 or e.dtype.kind not in "iu":
        raise InputError(
            f"{name}: expected edges as an integer array of shape (E, 2), got {e.shape} {e.dtype}"
        )
    if e.size and (e.min() < 0 or e.max() >= n):
        raise InputError(
            f"{name}: expected spin indices in 0..{n - 1}, got range {e.min()}..{e.max()}"
        )
    v = np.asarray(values)
    if v.shape != (e.shape[0], 3, 3) or v.dtype.kind not in "biufc":
        raise InputError(f"{name}: expected values of shape ({e.shape[0]}, 3, 3), got {v.shape}")
    check_finite(name, v)
    a = np.arange(3)
    rows = _cm_index(n, e[:, 0, None, None], a[None, :, None]) + 0 * a[None, None, :]
    cols = _cm_index(n, e[:, 1, None, None], a[None, None, :]) + 0 * a[None, :, None]
    return _from_coo(n, rows.ravel(), cols.ravel(), v.ravel(), name)


def product_coupling(
    n: int, adjacency: Any, tensor: Any, name: str = "adjacency"
) -> SymmetricCoupling:
    r"""K for :math:`J_{ij}^{ab} = A_{ij} M^{ab}` (dense or sparse A, real (3, 3) M).

    The symmetrised form :math:`K = A\otimes M + A^T\otimes M^T` keeps the product structure when A or
    M is symmetric; otherwise it is stored densely.
    """
    M = as_real_shaped("tensor", tensor, (3, 3), what="a real 3x3 coupling tensor")
    if sp.issparse(adjacency):
        if adjacency.shape != (n, n):
            raise InputError(f"{name}: expected shape ({n}, {n}), got {adjacency.shape}")
        A = sp.coo_matrix(adjacency)
        check_finite(name, A.data)
        if A.dtype.kind == "c":
            _check_real_K(
                name,
                float(np.max(np.abs(A.data.imag), initial=0.0)),
                float(np.max(np.abs(A.data), initial=0.0)),
            )
        a_idx = np.arange(3)
        rows = _cm_index(n, A.row[:, None, None], a_idx[None, :, None]) + 0 * a_idx[None, None, :]
        cols = _cm_index(n, A.col[:, None, None], a_idx[None, None, :]) + 0 * a_idx[None, :, None]
        vals = A.data.real[:, None, None] * M[None, :, :]
        return _from_coo(n, rows.ravel(), cols.ravel(), vals.ravel(), name)
    A = as_real_shaped(name, adjacency, (n, n), what="a real adjacency matrix")
    A = A.copy()
    np.fill_diagonal(A, 0.0)
    a_sym = np.array_equal(A, A.T)
    m_sym = np.array_equal(M, M.T)
    if a_sym:
        Ks, Ms = A, M + M.T
    elif m_sym:
        Ks, Ms = A + A.T, M
    else:
        Kd = np.kron(M, A)
        return SymmetricCoupling("dense", n, matrix=Kd + Kd.T)
    if not (np.any(Ks) and np.any(Ms)):
        return SymmetricCoupling("none", n)
    return SymmetricCoupling("product", n, adjacency=np.ascontiguousarray(Ks), tensor=np.array(Ms))


def make_coupling(n: int, couplings: Any, name: str = "couplings") -> SymmetricCoupling:
    """Normalise every accepted coupling format into a :class:`SymmetricCoupling`."""
    if couplings is None:
        return SymmetricCoupling("none", n)
    if isinstance(couplings, SymmetricCoupling):
        if couplings.n != n:
            raise InputError(f"{name}: expected couplings for {n} spins, got {couplings.n}")
        return couplings
    if sp.issparse(couplings):
        return _from_spin_major_sparse(n, couplings, name)
    if isinstance(couplings, dict):
        return _from_component_dict(n, couplings, name)
    if isinstance(couplings, tuple) and len(couplings) == 2:
        return _from_edges(n, couplings[0], couplings[1], name)
    arr = np.asarray(couplings)
    if arr.ndim == 0 and arr.dtype.kind in "biufc" and arr == 0:
        return SymmetricCoupling("none", n)
    if arr.shape != (n, n, 3, 3) or arr.dtype.kind not in "biufc":
        raise InputError(
            f"{name}: expected a (N, N, 3, 3) = ({n}, {n}, 3, 3) array, a scipy.sparse ({3 * n}, {3 * n}) "
            f"matrix, a dict {{'xy': (N, N) matrix}}, or an edge list (edges, values), got "
            f"{'shape ' + str(arr.shape) if arr.dtype.kind in 'biufc' else type(couplings).__name__}"
        )
    check_finite(name, arr)
    return _from_dense_spin_major(
        n, np.array(arr, dtype=complex if arr.dtype.kind == "c" else float), name
    )
