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
from ..generators import JumpSet, LindbladForm, as_lindblad
from ..generators._lindblad import _as_sparse_operator, _check_sparse_hermitian
from ..generators._timedep import (
    TimeDependentRHS,
    TimeDependentTerms,
    check_args,
    flatten_c_ops,
    is_list_form,
    split_list_form,
)

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
    work = LindbladForm(form.hamiltonian, form.jumps, None, None)
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
    return form, TimeDependentRHS(base, terms, form.dim), None, True
