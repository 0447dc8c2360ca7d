r"""Time-dependent generators for the solvers.

The Hamiltonian and the collapse operators may be given in QuTiP 5's list form (see
:mod:`qbath.generators._timedep`): ``H = [H0, [H1, f1], ...]``, ``c_ops = [L0, [L1, g1], ...]``.
A constant part may itself be a GKSL generator (e.g. from :func:`qbath.davies`), so a drive can be
put on top of a bath: ``H = [gen, [H1, f1]]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._errors import InputError
from ..generators import (
    JumpSet,
    LindbladForm,
    TimeDependentRHS,
    TimeDependentTerms,
    as_lindblad,
    check_args,
    flatten_c_ops,
    is_list_form,
    split_list_form,
)
from ..generators import as_sparse_operator as _as_sparse_operator
from ..generators import check_sparse_hermitian as _check_sparse_hermitian
from ._rhs import MatrixFormRHS, _accumulate, _prepared

__all__ = ["td_generator", "is_time_dependent", "density_problem", "td_liouvillian_parts"]


def is_time_dependent(H: Any, c_ops: Any = None) -> bool:
    """True when ``H`` or an entry of ``c_ops`` uses the list form with coefficients."""
    if is_list_form(H):
        return True
    if isinstance(c_ops, (list, tuple)):
        return any(is_list_form([e]) for e in c_ops if isinstance(e, (list, tuple)))
    return False


def _dimension(constants: Sequence[Any], terms: Sequence[tuple[Any, Any]]) -> int:
    for c in constants:
        if hasattr(c, "_lindblad_form"):
            return as_lindblad(c).dim
        return _as_sparse_operator("H", c).shape[0]
    if terms:
        return _as_sparse_operator("H[0][0]", terms[0][0]).shape[0]
    raise InputError("H: expected a Hamiltonian, a GKSL generator or QuTiP's list form, got []")


def td_generator(
    H: Any,
    c_ops: Sequence[Any] | None = None,
    *,
    args: Mapping[str, Any] | None = None,
    tlist: Any = None,
    interpolation: str = "cubic",
) -> tuple[LindbladForm, TimeDependentTerms]:
    r"""Split a (possibly time-dependent) problem into its constant Lindblad form and the
    time-dependent terms, both in the working basis of the constant part.

    Returns
    -------
    form : LindbladForm
        :math:`\mathcal L_0`: the sum of the constant Hamiltonians, constant collapse operators and
        at most one GKSL generator.
    terms : TimeDependentTerms
        :math:`f_k(t)H_k` and :math:`g_j(t)L_j`.
    """
    args = check_args(args)
    constants, h_terms = split_list_form(
        "H", H, args=args, tlist=tlist, interpolation=interpolation
    )
    c_const, c_terms = flatten_c_ops(c_ops, args=args, tlist=tlist, interpolation=interpolation)
    d = _dimension(constants, h_terms)
    gens = [c for c in constants if hasattr(c, "_lindblad_form")]
    ops = [c for c in constants if not hasattr(c, "_lindblad_form")]
    if len(gens) > 1:
        raise InputError("H: expected at most one GKSL generator in the list form, got several")
    h0 = sp.csr_matrix((d, d), dtype=complex)
    for k, op in enumerate(ops):
        h0 = h0 + _as_sparse_operator(f"H[{k}]", op, d)
    h0 = _check_sparse_hermitian("H", h0.tocsr()) if ops else h0.tocsr()
    cs = [_as_sparse_operator(f"c_ops[{k}]", L, d) for k, L in enumerate(c_const)]
    if gens:
        g = as_lindblad(gens[0])
        if g.dim != d:
            raise InputError(f"H: the GKSL generator has dimension {g.dim}, the operators {d}")
        basis = g.basis
        extra_h = h0 if basis is None else sp.csr_matrix(basis.conj().T @ h0.toarray() @ basis)
        extra_j = [
            c if basis is None else sp.csr_matrix(basis.conj().T @ c.toarray() @ basis) for c in cs
        ]
        jumps = g.jumps
        if extra_j:
            both = [jumps.operator(k) for k in range(jumps.count)] + extra_j
            jumps = JumpSet.from_operators(both, d)
        form = LindbladForm(
            (g.hamiltonian + extra_h).tocsr(),
            jumps,
            basis,
            g.stationary_mask if not ops and not extra_j and not h_terms and not c_terms else None,
            g.extra_rowmajor,
        )
    else:
        basis = None
        form = (
            as_lindblad((h0, cs))
            if (ops or cs or not h_terms)
            else LindbladForm(h0, JumpSet.from_operators([], d), None)
        )
    ht = [(_as_sparse_operator(f"H[{k}][0]", op, d), c) for k, (op, c) in enumerate(h_terms)]
    ct = [(_as_sparse_operator(f"c_ops[{k}][0]", op, d), c) for k, (op, c) in enumerate(c_terms)]
    return form, TimeDependentTerms.build(ht, ct, basis)


def density_rhs(form: LindbladForm, terms: TimeDependentTerms, base: Any) -> Any:
    """``rhs(t, rho, out)`` of the full generator, given the constant part's ``base(t, rho, out)``."""
    if terms.empty:
        return base
    return TimeDependentRHS(base, terms, form.dim)


def td_liouvillian_parts(
    form: LindbladForm, terms: TimeDependentTerms
) -> tuple[sp.csr_matrix, list[sp.csr_matrix], list[sp.csr_matrix]]:
    r"""Column-stacking superoperators of :math:`\mathcal L_0`, of :math:`-i[H_k, \cdot]` and of
    :math:`\mathcal D[L_j]`, all in the working basis (for propagators)."""
    from ..generators import liouvillian

    d = form.dim
    work = LindbladForm(form.hamiltonian, form.jumps, None, None, form.extra_rowmajor)
    L0 = sp.csr_matrix(liouvillian(work, sparse=True))
    eye = sp.identity(d, dtype=complex, format="csr")

    def sparse(m: Any) -> sp.csr_matrix:
        return sp.csr_matrix(m)

    Lh = [
        (-1j * (sp.kron(eye, sparse(Hk)) - sp.kron(sparse(Hk).T, eye))).tocsr()
        for Hk in terms.hamiltonians
    ]
    Ld = []
    for L, P in zip(terms.jumps, terms.jump_products, strict=True):
        Ls, Ps = sparse(L), sparse(P)
        Ld.append(
            (sp.kron(Ls.conj(), Ls) - 0.5 * sp.kron(eye, Ps) - 0.5 * sp.kron(Ps.T, eye)).tocsr()
        )
    return L0, Lh, Ld


def _rowmajor_parts(
    terms: TimeDependentTerms, d: int
) -> tuple[list[sp.csr_matrix], list[sp.csr_matrix]]:
    r"""Row-major superoperators of :math:`-i[H_k,\cdot]` and :math:`\mathcal D[L_j]`
    (:math:`\mathrm{vec}_r(AXB) = (A\otimes B^T)\mathrm{vec}_r(X)`)."""
    eye = sp.identity(d, dtype=complex, format="csr")
    Lh = [
        (-1j * (sp.kron(sp.csr_matrix(Hk), eye) - sp.kron(eye, sp.csr_matrix(Hk).T))).tocsr()
        for Hk in terms.hamiltonians
    ]
    Ld = []
    for L, P in zip(terms.jumps, terms.jump_products, strict=True):
        Ls, Ps = sp.csr_matrix(L), sp.csr_matrix(P)
        Ld.append(
            (sp.kron(Ls, Ls.conj()) - 0.5 * sp.kron(Ps, eye) - 0.5 * sp.kron(eye, Ps.T)).tocsr()
        )
    return Lh, Ld


class _ImplicitTimeDependentRHS:
    r"""Complex-linear ``rhs(t, rho, out)`` and Jacobian ``jac(t, y)`` of
    :math:`\mathcal L(t) = \mathcal L_0 + \sum_k f_k(t)\mathcal H_k + \sum_j|g_j(t)|^2\mathcal D_j`
    on the row-major flattening (for the implicit methods)."""

    def __init__(self, L0: sp.csr_matrix, terms: TimeDependentTerms, d: int):
        self.L0 = L0
        self.terms = terms
        self.Lh, self.Ld = _rowmajor_parts(terms, d)

    def jac(self, t: float, y: Any = None) -> sp.csr_matrix:
        J = self.L0
        for f, M in zip(self.terms.h_coeffs, self.Lh, strict=True):
            J = J + f(t) * M
        for g, M in zip(self.terms.c_coeffs, self.Ld, strict=True):
            J = J + abs(g(t)) ** 2 * M
        return J.tocsr()

    def __call__(self, t: float, rho: np.ndarray, out: np.ndarray) -> None:
        out.reshape(-1)[:] = self.jac(t) @ np.ascontiguousarray(rho).reshape(-1)


class _AdiabaticRHS:
    """``rhs(t, rho, out)`` of a generator known only at each time (``liouvillian_at(t)``, column
    stacking); the last generator is cached, since the methods evaluate several stages per time."""

    def __init__(self, gen: Any):
        self.gen = gen
        self._t: float | None = None
        self._L: np.ndarray | None = None

    def matrix(self, t: float) -> np.ndarray:
        if self._t != t:
            self._L = np.asarray(self.gen.liouvillian_at(t))
            self._t = t
        assert self._L is not None
        return self._L

    def __call__(self, t: float, rho: np.ndarray, out: np.ndarray) -> None:
        v = self.matrix(t) @ rho.reshape(-1, order="F")
        out[...] = v.reshape(rho.shape, order="F")

    def jac(self, t: float, y: Any = None) -> np.ndarray:
        d = self.gen.dim
        perm = np.arange(d * d).reshape(d, d).T.ravel()  # column-major -> row-major index map
        return self.matrix(t)[np.ix_(perm, perm)]


def density_problem(
    H: Any,
    c_ops: Any,
    *,
    args: Any,
    tlist: np.ndarray,
    implicit: bool,
    constant_rhs: Any,
    interpolation: str = "cubic",
) -> tuple[LindbladForm, Any, Any, bool]:
    """The working form, right-hand side, Jacobian and time dependence of a density-matrix problem.

    ``constant_rhs(form)`` returns ``(rhs, jac)`` of a constant problem (the solver's own choice:
    matrix form for explicit methods, the sparse Liouvillian for implicit ones).
    """
    if hasattr(H, "liouvillian_at"):  # an adiabatic (time-dependent Davies) generator
        if c_ops:
            raise InputError("c_ops: expected none with a time-dependent generator, got some")
        d = H.dim
        form = LindbladForm(sp.csr_matrix((d, d), dtype=complex), JumpSet.from_operators([], d))
        rhs = _AdiabaticRHS(H)
        return form, rhs, (rhs.jac if implicit else None), True
    if not is_time_dependent(H, c_ops):
        return None, None, None, False  # type: ignore[return-value]
    form, terms = td_generator(H, c_ops, args=args, tlist=tlist, interpolation=interpolation)
    base, jac = constant_rhs(form)
    if terms.empty:
        return form, base, jac, False
    if implicit:
        rhs = _ImplicitTimeDependentRHS(sp.csr_matrix(jac), terms, form.dim)
        return form, rhs, rhs.jac, True
    if isinstance(base, MatrixFormRHS):
        return form, DrivenMatrixFormRHS(form, terms), None, True
    return form, TimeDependentRHS(base, terms, form.dim), None, True


def _on_pattern(m: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The entries of ``m`` at the positions (rows, cols) of a larger pattern, (nnz,) complex."""
    if rows.size == 0:
        return np.zeros(0, dtype=complex)
    return np.asarray(m.tocsr()[rows, cols], dtype=complex).ravel()


class DrivenMatrixFormRHS(MatrixFormRHS):
    r"""Matrix-form right-hand side of a time-dependent GKSL generator.

    .. math::

        H_\mathrm{eff}(t) = H_\mathrm{eff,0} + \sum_k f_k(t)H_k
            - \tfrac i2\sum_j|g_j(t)|^2 L_j^\dagger L_j,

    is updated in place at each call on a sparsity pattern fixed once (the union of all terms), so a
    call costs the coefficient evaluations, one pass over the pattern's entries and the
    time-independent work of :class:`MatrixFormRHS`; the jump terms
    :math:`|g_j|^2L_j\rho L_j^\dagger` are applied as sparse maps whose entries are rescaled.
    """

    def __init__(self, form: LindbladForm, terms: TimeDependentTerms):
        super().__init__(form)
        self._h_coeffs = list(terms.h_coeffs)
        self._c_coeffs = list(terms.c_coeffs)
        pieces = [sp.csr_matrix(H, dtype=complex) for H in terms.hamiltonians]
        pieces += [-0.5j * sp.csr_matrix(P, dtype=complex) for P in terms.jump_products]
        if self._dense_h is not None:
            self._base = self._dense_h.copy()
            self._pieces = [np.ascontiguousarray(-1j * p.toarray()) for p in pieces]
        else:
            heff = (form.hamiltonian - 0.5j * form.jumps.sum_dag_product()).tocsr()
            offs = [(m - sp.diags(m.diagonal())).tocsr() for m in [heff, *pieces]]
            pattern = sum((abs(m) > 0).astype(float) for m in offs).tocsr()
            pattern.sum_duplicates()
            pattern.sort_indices()
            rows = np.repeat(np.arange(pattern.shape[0]), np.diff(pattern.indptr))
            cols = pattern.indices
            self._off0 = _on_pattern(offs[0], rows, cols)
            self._offs = [_on_pattern(m, rows, cols) for m in offs[1:]]
            self._diag0 = heff.diagonal().copy()
            self._diags = [m.diagonal() for m in pieces]
            shape = pattern.shape
            self._re = _prepared(
                sp.csr_matrix((self._off0.real.copy(), cols.copy(), pattern.indptr.copy()), shape),
                float,
            )
            self._im = _prepared(
                sp.csr_matrix((self._off0.imag.copy(), cols.copy(), pattern.indptr.copy()), shape),
                float,
            )
            self._data = np.empty(self._off0.shape, dtype=complex)
            self._dvec = np.empty(self._diag0.shape, dtype=complex)
        self._jmaps = []
        for L in terms.jumps:
            form_j = LindbladForm(
                sp.csr_matrix(form.hamiltonian.shape, dtype=complex),
                JumpSet.from_operators([sp.csr_matrix(L)], form.dim),
            )
            S = _prepared(0.5 * form_j.jumps.superoperator_rowmajor(), complex)
            self._jmaps.append((S, S.data.copy()))

    def _update(self, t: float) -> list[complex]:
        weights = [complex(f(t)) for f in self._h_coeffs]
        weights += [abs(g(t)) ** 2 for g in self._c_coeffs]
        if self._dense_h is not None:
            np.copyto(self._dense_h, self._base)
            for w, M in zip(weights, self._pieces, strict=True):
                if w != 0:
                    self._dense_h += w * M
        else:
            np.copyto(self._data, self._off0)
            np.copyto(self._dvec, self._diag0)
            for w, off, dg in zip(weights, self._offs, self._diags, strict=True):
                if w != 0:
                    self._data += w * off
                    self._dvec += w * dg
            self._re.data[:] = self._data.real
            self._im.data[:] = self._data.imag
            self._diag = self._dvec[:, None]
        return weights[len(self._h_coeffs) :]

    def __call__(self, t: float, rho: np.ndarray, out: np.ndarray) -> None:
        rates = self._update(t)
        if self._jmaps:  # fold the rescaled time-dependent jump maps into the jump step
            G = self._G
            super().__call__(t, rho, out)
            G[...] = 0.0
            flat = G.reshape(-1)
            for w, (S, data0) in zip(rates, self._jmaps, strict=True):
                if w != 0:
                    np.multiply(data0, w, out=S.data)
                    _accumulate(S, rho.reshape(-1), flat)
            out += G
            out += G.conj().T
            return
        super().__call__(t, rho, out)
