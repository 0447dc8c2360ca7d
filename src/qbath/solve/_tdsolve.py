r"""Time-dependent generators for the solvers, and the Schrödinger-equation solver :func:`sesolve`.

The Hamiltonian and the collapse operators may be given in QuTiP 5's list form (see
:mod:`qbath.generators._timedep`): ``H = [H0, [H1, f1], ...]``, ``c_ops = [L0, [L1, g1], ...]``.
A constant part may itself be a GKSL generator (e.g. from :func:`qbath.davies`), so a drive can be
put on top of a bath: ``H = [gen, [H1, f1]]``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._errors import InputError
from .._meta import make_meta
from ..generators import JumpSet, LindbladForm, as_lindblad
from ..generators._lindblad import _as_sparse_operator, _check_sparse_hermitian
from ..generators._timedep import (
    KetRHS,
    TimeDependentRHS,
    TimeDependentTerms,
    check_args,
    flatten_c_ops,
    is_list_form,
    split_list_form,
)

__all__ = ["td_generator", "is_time_dependent", "sesolve", "td_liouvillian_parts"]


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
        form = as_lindblad((h0, cs)) if (ops or cs or not h_terms) else LindbladForm(
            h0, JumpSet.from_operators([], d), None
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


def sesolve(
    H: Any,
    psi0: Any,
    tlist: Any,
    *,
    e_ops: Any = None,
    args: Mapping[str, Any] | None = None,
    method: Any = None,
    store_states: bool = True,
) -> Any:
    r"""Solve the Schrödinger equation :math:`i\,\partial_t|\psi\rangle = H(t)|\psi\rangle`.

    Parameters
    ----------
    H : (d, d) operator or QuTiP's list form ``[H0, [H1, f1], ...]``
        Hermitian (at every time).
    psi0 : (d,) array_like or ket Qobj
        Initial ket, normalised.
    tlist : (T,) array_like
        Output times, strictly increasing; ``tlist[0]`` is the time of ``psi0``. Also the sample
        times of array coefficients.
    e_ops : list or dict of (d, d) operators, optional
        ``result.expect[k][i]`` is :math:`\langle\psi(t_i)|O_k|\psi(t_i)\rangle`.
    args : dict, optional
        Arguments of two-argument coefficient functions.
    method : qbath.ode method, optional
        Default :class:`qbath.Dopri5` with the default tolerances.
    store_states : bool
        Keep the ket at every output time (``result.states``, shape (T, d)).

    Returns
    -------
    Result
        ``.states`` (T, d) kets, ``.final_state`` (d,), ``.expect``, ``.stats``, ``.meta``.
    """
    from .._checks import as_ket
    from ..ode import Dopri5, check_method, check_times
    from ._mesolve import ExpectOps
    from ._results import Result

    if not isinstance(store_states, (bool, np.bool_)):
        raise InputError(f"store_states: expected True or False, got {store_states!r}")
    args = check_args(args)
    t = check_times(tlist, "tlist")
    constants, h_terms = split_list_form("H", H, args=args, tlist=t)
    if any(hasattr(c, "_lindblad_form") for c in constants):
        raise InputError("H: sesolve takes a Hamiltonian, got a GKSL generator (use mesolve)")
    form, terms = td_generator(H, None, args=args, tlist=t)
    d = form.dim
    psi = np.ascontiguousarray(as_ket("psi0", psi0, d).astype(complex))
    rhs = KetRHS(form.hamiltonian, terms)
    method = Dopri5() if method is None else check_method(method)
    eops = ExpectOps(e_ops, form)
    T = len(t)
    ex = np.zeros((eops.count, T), dtype=complex)
    states = np.empty((T, d), dtype=complex) if store_states else None
    final = np.empty(d, dtype=complex)

    def observe(i: int, y: np.ndarray) -> None:
        if eops.count:
            ex[:, i] = eops.ket_values(y[:, None])[:, 0]
        if states is not None:
            states[i] = y
        if i == T - 1:
            final[...] = y

    start = time.perf_counter()
    stats = method.integrate(rhs, psi, t, observe)
    wall = time.perf_counter() - start
    return Result(
        times=t,
        states=states,
        expect=eops.finish(ex),
        final_state=final,
        stats={**stats.as_dict(), "wall_time": wall},
        meta=make_meta(
            "sesolve",
            method=repr(method),
            dim=d,
            time_dependent=not terms.empty,
            t0=float(t[0]),
            t1=float(t[-1]),
            n_times=T,
        ),
    )
