r"""Matrix-free steady state preconditioned by the exact inverse of the no-jump (Sylvester) part.

Split the generator as :math:`\mathcal L\rho = \mathcal S\rho + \mathcal J\rho` with

.. math::

    \mathcal S\rho = A\rho + \rho A^\dagger,\quad A = -iH - \tfrac12\sum_k L_k^\dagger L_k,
    \qquad \mathcal J\rho = \sum_k L_k\rho L_k^\dagger .

:math:`\mathcal S` is a Sylvester operator. With :math:`A = V\Lambda V^{-1}` its shifted inverse is
exact and costs four dense products,

.. math::

    (\mathcal S - \sigma)^{-1}X = V\left[\frac{(V^{-1}XV^{-\dagger})_{ij}}
        {\lambda_i + \bar\lambda_j - \sigma}\right]V^\dagger,

and :math:`-(\mathcal S-\sigma)^{-1}(\mathcal J+\sigma) = \int_0^\infty e^{(\mathcal S-\sigma)t}
(\mathcal J+\sigma)\,dt` is the completely positive, trace-preserving jump-to-jump map of the
quantum-jump unravelling (uniformised by the rate :math:`\sigma`), whose fixed point is the steady
state (Dalibard, Castin & Mølmer, "Wave-function approach to dissipative processes in quantum
optics", 1992). Flexible GMRES (:func:`fgmres`) on
:math:`(\mathcal L + w e\tau^T)(\mathcal S-\sigma)^{-1}` (right preconditioning, so the stopping
test is on the true residual) therefore needs few iterations: the preconditioned operator has the
spectrum of :math:`1 - T_\sigma` up to a rank-one term, with :math:`T_\sigma` the (contractive)
jump-to-jump map. The dense products run in single precision; the flexible variant keeps the
preconditioned vectors, so their rounding changes the iteration count, not the result. The shift :math:`\sigma \ge 0` is zero unless :math:`A` has an
eigenvalue with (nearly) zero decay, e.g. a dark state, where :math:`\mathcal S` is singular.

Structure used, generically:

* :math:`A` is split into the connected components of its sparsity graph (symmetry sectors such as
  the parity of a spin chain), each diagonalised separately (``d_b^3`` instead of ``d^3``).
* Only the block pairs :math:`(b, c)` reachable from the diagonal blocks by the jump operators are
  ever non-zero in the Krylov vectors (GMRES starts from a block-diagonal state and every operator
  maps that set into itself); only those are transformed.
* Hermiticity: block :math:`(c, b)` of the result is the adjoint of block :math:`(b, c)`.

The eigenvector matrix of a non-normal :math:`A` can be ill conditioned; when
:math:`\|V\|_1\|V^{-1}\|_1` exceeds ``COND_MAX`` the block falls back to the complex Schur form
:math:`A = QTQ^\dagger` and LAPACK's triangular Sylvester solver ``trsyl`` (Bartels & Stewart,
"Solution of the matrix equation AX + XB = C", 1972), exact but BLAS-2 bound (16 s at
:math:`d_b = 1024` on one core, against 0.1 s for the four products). Since the preconditioner
only has to be a fixed linear map, its accuracy affects the iteration count, not the result.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ..generators import (
    Degenerate,
    JumpSet,
    LindbladForm,
    coordinates_to_matrix,
    matrix_to_coordinates,
)
from ._rhs import MatrixFormRHS

__all__ = ["SylvesterPreconditioner", "fgmres", "permuted_form", "sylvester_steady_state"]

#: eigenvector condition number (1-norm) above which a block uses the Schur form instead
COND_MAX = 1e8
#: at most this many diagonal blocks (smaller components are merged)
MAX_BLOCKS = 32
#: dtype of the dense products of the preconditioner (FGMRES tolerates its rounding)
PRECISION = np.complex64
#: memory budget of the default FGMRES basis (double V, single Z)
BASIS_BYTES = 3e9
#: shift: the smallest no-jump decay rate is raised to this fraction of the mean one
SHIFT_FRACTION = 1e-2


def _blocks(A: sp.csr_matrix) -> list[np.ndarray]:
    """Index sets of the diagonal blocks of A (connected components, merged to <= MAX_BLOCKS)."""
    d = A.shape[0]
    pattern = (abs(A) + abs(A).T).tocsr()
    count, label = connected_components(pattern, directed=False)
    comps = [np.flatnonzero(label == c) for c in range(count)]
    if count <= MAX_BLOCKS:
        return sorted(comps, key=lambda c: int(c[0]))
    bins: list[list[np.ndarray]] = [[] for _ in range(MAX_BLOCKS)]
    load = np.zeros(MAX_BLOCKS)
    for c in sorted(comps, key=len, reverse=True):  # longest-processing-time greedy
        k = int(np.argmin(load))
        bins[k].append(c)
        load[k] += c.size**3
    out = [np.sort(np.concatenate(b)) for b in bins if b]
    assert sum(b.size for b in out) == d
    return sorted(out, key=lambda c: int(c[0]))


def permuted_form(form: LindbladForm, perm: np.ndarray) -> LindbladForm:
    """The generator in the reordered basis ``new index p <-> old index perm[p]``."""
    d = form.dim
    pos = np.empty(d, dtype=np.int64)
    pos[perm] = np.arange(d)
    H = form.hamiltonian.tocsr()[perm][:, perm].tocsr()
    j = form.jumps
    jumps = JumpSet(d, j.ptr, pos[j.rows], pos[j.cols], j.vals)
    extra = None
    if form.extra_rowmajor is not None:
        q = (perm[:, None] * d + perm[None, :]).ravel()
        extra = form.extra_rowmajor.tocsr()[q][:, q].tocsr()
    return LindbladForm(H, jumps, None, extra_rowmajor=extra)


def _active_pairs(form: LindbladForm, label: np.ndarray, nb: int) -> np.ndarray:
    """(nb, nb) bool: block pairs reachable from the diagonal ones under rho -> L_k rho L_k^dag."""
    if form.extra_rowmajor is not None:
        return np.ones((nb, nb), dtype=bool)
    j = form.jumps
    k_of = np.repeat(np.arange(j.count), j.sizes)
    E = np.zeros((max(j.count, 1), nb, nb), dtype=bool)
    E[k_of, label[j.rows], label[j.cols]] = True
    Ef = E.astype(float)
    P = np.eye(nb, dtype=bool)
    while True:
        new = P | (np.einsum("kab,bc,kdc->ad", Ef, P.astype(float), Ef) > 0)
        if np.array_equal(new, P):
            return P
        P = new


class _Block:
    """Eigen (or Schur) factors of one diagonal block A_b: A_b = V M V^-1, ``left`` = V^-1."""

    def __init__(self, A: np.ndarray):
        self.schur = False
        lam, V = np.linalg.eig(A)
        try:
            Vi = np.linalg.inv(V)
            cond = float(np.abs(V).sum(0).max() * np.abs(Vi).sum(0).max())
        except np.linalg.LinAlgError:
            cond = np.inf
        if not np.isfinite(cond) or cond > COND_MAX:
            T, Q = sla.schur(A, output="complex")
            self.schur, self.T, lam, V, Vi = True, T, np.diag(T).copy(), Q, Q.conj().T
        self.cond = cond
        self.lam = lam
        self.V, self.left = V.astype(PRECISION), Vi.astype(PRECISION)

    def triangular(self) -> np.ndarray:
        """M: the Schur factor T, or diag(lambda)."""
        return self.T if self.schur else np.diag(self.lam)


class SylvesterPreconditioner:
    r"""Apply :math:`(\mathcal S - \sigma)^{-1}` to Hermitian (d, d) matrices (module docstring).

    Parameters
    ----------
    form : LindbladForm
        Generator in a basis where the blocks of :math:`A` are contiguous; :meth:`build` finds
        the blocks of any generator and returns it in that basis with the permutation.
    blocks : list of (d_b,) int arrays
        Indices (in the original basis) of each block, in order.
    """

    def __init__(self, form: LindbladForm, blocks: list[np.ndarray]):
        d = form.dim
        A = (-1j * (form.hamiltonian - 0.5j * form.jumps.sum_dag_product())).tocsr()
        self.dim = d
        self.slices = []
        label = np.empty(d, dtype=np.int64)
        start = 0
        for b, idx in enumerate(blocks):
            self.slices.append(slice(start, start + idx.size))
            label[start : start + idx.size] = b
            start += idx.size
        self.blocks = [_Block(A[s][:, s].toarray()) for s in self.slices]
        lam = np.concatenate([b.lam for b in self.blocks])
        rates = -2.0 * lam.real
        scale = float(rates.mean()) if rates.size else 0.0
        if scale <= 0.0:  # no dissipation in A: any positive rate will do
            scale = max(float(np.abs(lam).max(initial=0.0)), 1.0)
        self.shift = max(0.0, SHIFT_FRACTION * scale - float(rates.min()))
        self.pairs = [
            (b, c)
            for b, c in zip(*np.nonzero(_active_pairs(form, label, len(blocks))), strict=True)
            if b <= c
        ]
        self._inv = {
            (b, c): (
                1.0
                / (self.blocks[b].lam[:, None] + self.blocks[c].lam.conj()[None, :] - self.shift)
            ).astype(PRECISION)
            for b, c in self.pairs
        }

    def support(self) -> np.ndarray:
        """(d, d) bool: the entries of the active block pairs (both orders)."""
        out = np.zeros((self.dim, self.dim), dtype=bool)
        for b, c in self.pairs:
            out[self.slices[b], self.slices[c]] = True
            out[self.slices[c], self.slices[b]] = True
        return out

    @classmethod
    def build(cls, form: LindbladForm) -> tuple[SylvesterPreconditioner, LindbladForm, np.ndarray]:
        """Preconditioner, the generator in the block-ordered basis, and ``perm`` (new -> old)."""
        A = (form.hamiltonian - 0.5j * form.jumps.sum_dag_product()).tocsr()
        blocks = _blocks(A)
        perm = np.concatenate(blocks)
        pform = permuted_form(form, perm)
        return cls(pform, blocks), pform, perm

    @property
    def condition(self) -> float:
        """Largest eigenvector condition number (1-norm) over the blocks."""
        return max(b.cond for b in self.blocks)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """:math:`(\\mathcal S-\\sigma)^{-1}X` for Hermitian X (d, d); inactive blocks give 0."""
        out = np.zeros_like(X, dtype=complex)
        for b, c in self.pairs:
            sb, sc = self.slices[b], self.slices[c]
            Bb, Bc = self.blocks[b], self.blocks[c]
            W = Bb.left @ X[sb, sc].astype(PRECISION) @ Bc.left.conj().T
            if Bb.schur or Bc.schur:
                W = self._trsyl(Bb, Bc, W)
            else:
                W *= self._inv[b, c]
            out[sb, sc] = Bb.V @ W @ Bc.V.conj().T
            if b != c:
                out[sc, sb] = out[sb, sc].conj().T
        return out

    def _trsyl(self, Bb: _Block, Bc: _Block, C: np.ndarray) -> np.ndarray:
        """Solve (M_b - s/2) W + W (M_c - s/2)^dag = C, M = T (Schur) or diag(lambda)."""
        h = 0.5 * self.shift
        Mb = Bb.triangular() - h * np.eye(Bb.lam.size)
        Mc = Bc.triangular() - h * np.eye(Bc.lam.size)
        C = C.astype(complex)
        (trsyl,) = sla.get_lapack_funcs(("trsyl",), (Mb, Mc, C))
        W, scale, info = trsyl(Mb, Mc, C, trana="N", tranb="C")
        if info < 0:  # pragma: no cover - argument error
            raise RuntimeError(f"trsyl failed with info = {info}")
        return (W / scale).astype(PRECISION)


def fgmres(
    matvec: Callable[[np.ndarray], np.ndarray],
    psolve: Callable[[np.ndarray], np.ndarray],
    b: np.ndarray,
    *,
    rtol: float,
    restart: int,
    maxiter: int,
) -> tuple[np.ndarray, int, float]:
    r"""Flexible GMRES (Saad, "A flexible inner-outer preconditioned GMRES algorithm", 1993).

    Right preconditioned with the preconditioned vectors :math:`z_j = P^{-1}v_j` kept (in single
    precision: :math:`Az_j` is computed from the stored, rounded :math:`z_j`, so the Arnoldi relation
    :math:`AZ_m = V_{m+1}\bar H_m` holds exactly), so :math:`P^{-1}` may vary between applications
    without spoiling the minimal-residual property; the residual :math:`b - Ax` is recomputed in double
    precision at every restart. Gram--Schmidt is applied twice ("twice is enough", Giraud, Langou &
    Rozloznik 2005); the small least-squares problem is solved afresh at each step (m <= 100).
    Returns ``(x, iterations, relative residual)``.
    """
    n = b.size
    bnorm = float(np.linalg.norm(b)) or 1.0
    x = np.zeros(n)
    Vb = np.empty((restart + 1, n))
    Zb = np.empty((restart, n), dtype=np.float32)  # rounded; matvec uses the stored z_j
    its, res = 0, np.inf
    for _ in range(maxiter):
        r = b - matvec(x)
        beta = float(np.linalg.norm(r))
        res = beta / bnorm
        if res <= rtol:
            break
        Vb[0] = r / beta
        Hm = np.zeros((restart + 1, restart))
        y = np.zeros(0)
        for j in range(restart):
            Zb[j] = psolve(Vb[j])
            w = matvec(Zb[j].astype(float))
            its += 1
            for _pass in range(2):
                c = Vb[: j + 1] @ w
                w -= c @ Vb[: j + 1]
                Hm[: j + 1, j] += c
            Hm[j + 1, j] = float(np.linalg.norm(w))
            rhs = np.zeros(j + 2)
            rhs[0] = beta
            y = np.linalg.lstsq(Hm[: j + 2, : j + 1], rhs, rcond=None)[0]
            est = float(np.linalg.norm(rhs - Hm[: j + 2, : j + 1] @ y))
            if Hm[j + 1, j] == 0.0 or est <= rtol * bnorm:
                break
            Vb[j + 1] = w / Hm[j + 1, j]
        x += (y @ Zb[: y.size]).astype(float) if y.size else 0.0
    else:
        res = float(np.linalg.norm(b - matvec(x))) / bnorm
    return x, its, res


def sylvester_steady_state(
    form: LindbladForm, *, rtol: float, restart: int | None, maxiter: int, check: bool
) -> tuple[np.ndarray, dict]:
    r"""Unnormalised steady state (d, d) of ``form`` (working basis) by preconditioned FGMRES.

    Solves :math:`(\mathcal L + w e\tau^T)x = w e` (:math:`\tau^T x = \mathrm{Tr}\,x`,
    :math:`e` a unit-trace state, :math:`w` the mean modulus of the entries of
    :math:`H_\mathrm{eff}`) on the real coordinates of the Hermitian matrices supported on the
    active block pairs, with :func:`fgmres` right preconditioned by
    :class:`SylvesterPreconditioner`. With ``check``, a second, looser solve with another trace
    vector :math:`e'` tests uniqueness (the two agree only for a one-dimensional null space) and
    ``Degenerate`` is raised otherwise. ``restart`` defaults to 50, fewer (at least 20) when the
    basis (12 bytes per unknown and vector) would exceed ``BASIS_BYTES``. Returns the matrix and a
    dict of diagnostics.
    """
    d = form.dim
    pre, pform, perm = SylvesterPreconditioner.build(form)
    rhs = MatrixFormRHS(pform)
    mask = pre.support()
    n = int(mask.sum())
    restart = restart or int(np.clip(BASIS_BYTES / (12 * n), 20, 50))
    buf = np.empty((d, d), dtype=complex)
    full = np.zeros((d, d))

    def expand(x: np.ndarray) -> np.ndarray:
        full[mask] = x
        return coordinates_to_matrix(full)

    def apply(x: np.ndarray) -> np.ndarray:
        rhs(0.0, expand(x), buf)
        return matrix_to_coordinates(buf)[mask]

    def psolve(x: np.ndarray) -> np.ndarray:
        return matrix_to_coordinates(pre(expand(x)))[mask]

    heff = pform.hamiltonian - 0.5j * pform.jumps.sum_dag_product()
    weight = float(np.abs(heff.data).mean()) if heff.nnz else 1.0
    on_diag = np.flatnonzero(np.eye(d, dtype=bool)[mask])

    def solve(p: np.ndarray, tol: float) -> tuple[np.ndarray, int, float]:
        e = np.zeros(n)
        e[on_diag] = p / p.sum()

        def mv(x: np.ndarray) -> np.ndarray:
            return apply(x) + (weight * float(x[on_diag].sum())) * e

        return fgmres(mv, psolve, weight * e, rtol=tol, restart=restart, maxiter=maxiter)

    x, its, res = solve(np.ones(d), rtol)
    if res > max(100 * rtol, 1e-6):
        raise RuntimeError(
            f"FGMRES did not converge: relative residual {res:.2e} after {its} iterations "
            f"(rtol {rtol:.1e}); raise maxiter or restart, or use method='direct'"
        )
    stats = {"iterations": its, "check_iterations": 0, "residual": res}
    if check:
        loose = max(rtol, 1e-7)
        y, its2, _ = solve(np.random.default_rng(12345).random(d) + 0.5, loose)
        stats["check_iterations"] = its2
        diff = float(np.linalg.norm(y - x) / max(np.linalg.norm(x), 1e-300))
        if diff > 1e3 * loose:
            raise Degenerate(diff)
    rho_p = expand(x)
    pos = np.empty(d, dtype=np.int64)
    pos[perm] = np.arange(d)
    stats.update(
        eigenvector_condition=pre.condition,
        shift=pre.shift,
        blocks=[s.stop - s.start for s in pre.slices],
        block_pairs=len(pre.pairs),
        unknowns=n,
    )
    return rho_p[np.ix_(pos, pos)], stats
