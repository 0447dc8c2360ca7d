r"""Time-dependent Hamiltonians and collapse operators in QuTiP 5's list form.

A time-dependent Hamiltonian is given as a list ``[H0, [H1, f1], [H2, f2], ...]`` meaning

.. math:: H(t) = H_0 + \sum_k f_k(t)\,H_k,

and a time-dependent collapse operator as ``[L, g]`` meaning :math:`L(t) = g(t) L`, so that its
rate is :math:`|g(t)|^2` (QuTiP 5's rule). A coefficient is

* a number (int, float or complex);
* a Python callable ``f(t)`` or ``f(t, args)`` (``args`` is the dict given to the solver);
* a numpy array sampled on a grid ``tlist`` (the solver's output times, or ``coeff_tlist``),
  interpolated by a cubic spline (QuTiP's array coefficients) or, with
  ``interpolation="step"``, piecewise constant (the value at the last grid point at or before t).

String coefficients are refused: qbath never evaluates strings.

The constant parts are prepared once (sparse matrices in the working basis of the generator); a
right-hand side evaluation costs the coefficient calls plus one sparse product per term.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._errors import InputError

__all__ = [
    "Coefficient",
    "as_coefficient",
    "is_list_form",
    "split_list_form",
]

_INTERPOLATIONS = ("cubic", "step")


def _describe(x: Any) -> str:
    text = repr(x)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{type(x).__name__} {text}"


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, complex, np.number)) and not isinstance(x, (bool, np.bool_))


@dataclass(frozen=True, eq=False)
class Coefficient:
    r"""A scalar function of time :math:`c(t)`, evaluated as ``coeff(t)``.

    Attributes
    ----------
    kind : {"constant", "function", "cubic", "step"}
    real : bool
        True when every value is real (constant real, real samples); for callables it is unknown
        and False.
    """

    kind: str
    func: Callable[[float], complex]
    real: bool = False

    def __call__(self, t: float) -> complex:
        return self.func(t)


def _function_coefficient(name: str, f: Callable, args: Mapping[str, Any]) -> Coefficient:
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):  # builtins without a signature: try f(t)
        return Coefficient("function", lambda t: f(t))
    params = [
        p
        for p in sig.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    var_pos = any(p.kind == p.VAR_POSITIONAL for p in sig.parameters.values())
    if len(params) >= 2 or (len(params) == 1 and var_pos):
        return Coefficient("function", lambda t: f(t, args))
    if len(params) == 1 or var_pos:
        return Coefficient("function", lambda t: f(t))
    raise InputError(
        f"{name}: expected a coefficient function f(t) or f(t, args), got a callable with "
        f"signature {sig}"
    )


def _array_coefficient(
    name: str, values: np.ndarray, tlist: Any, interpolation: str
) -> Coefficient:
    if tlist is None:
        raise InputError(
            f"{name}: an array coefficient needs the times it is sampled at (the solver's tlist "
            "or coeff_tlist), got none"
        )
    tl = np.asarray(tlist)
    if tl.dtype.kind not in "iuf" or tl.ndim != 1:
        raise InputError(
            f"tlist (sample times of {name}): expected real 1-D sample times, got "
            f"{_describe(tlist)}"
        )
    tl = tl.astype(float)
    if tl.size < 2 or np.any(np.diff(tl) <= 0) or not np.all(np.isfinite(tl)):
        raise InputError(
            f"tlist (sample times of {name}): expected at least two finite, strictly increasing "
            f"sample times, got {tl[:6]}"
        )
    if values.ndim != 1 or values.shape[0] != tl.shape[0]:
        raise InputError(
            f"{name}: expected an array of shape ({tl.shape[0]},) sampled on tlist, got shape "
            f"{values.shape}"
        )
    if not np.all(np.isfinite(values)):
        raise InputError(f"{name}: expected finite samples, got NaN or inf")
    real = values.dtype.kind != "c" or bool(np.all(values.imag == 0))
    vals = values.real.astype(float) if real else values.astype(complex)
    t0, t1 = float(tl[0]), float(tl[-1])
    if interpolation == "step":

        def step(t: float) -> complex:
            i = int(np.searchsorted(tl, t, side="right")) - 1
            return vals[min(max(i, 0), tl.size - 1)]

        return Coefficient("step", step, real)
    from scipy.interpolate import CubicSpline

    spline = CubicSpline(tl, vals, bc_type="not-a-knot")

    def cubic(t: float) -> complex:
        # outside the sampled range the boundary value is held (no extrapolation)
        return spline(min(max(t, t0), t1))[()]

    return Coefficient("cubic", cubic, real)


def as_coefficient(
    name: str,
    c: Any,
    *,
    args: Mapping[str, Any] | None = None,
    tlist: Any = None,
    interpolation: str = "cubic",
) -> Coefficient:
    """Validate a coefficient of the list form and return it as a :class:`Coefficient`.

    Parameters
    ----------
    name : str
        Argument name used in error messages (e.g. ``"H[1][1]"``).
    c : number, callable f(t) or f(t, args), or (T,) array sampled on ``tlist``
    args : dict, optional
        Passed as the second argument of two-argument callables.
    tlist : (T,) array_like, optional
        Sample times of an array coefficient.
    interpolation : {"cubic", "step"}
    """
    if interpolation not in _INTERPOLATIONS:
        raise InputError(
            f"interpolation: expected one of {_INTERPOLATIONS}, got {_describe(interpolation)}"
        )
    if isinstance(c, (str, bytes)):
        raise InputError(
            f"{name}: string coefficients are not supported (qbath never evaluates strings); "
            f"give a Python callable f(t) or f(t, args), an array sampled on tlist, or a number, "
            f"got {_describe(c)}"
        )
    if isinstance(c, (bool, np.bool_)):
        raise InputError(f"{name}: expected a number, callable or array coefficient, got bool {c}")
    if _is_number(c):
        z = complex(c)
        if not np.isfinite(z):
            raise InputError(f"{name}: expected a finite coefficient, got {c!r}")
        value: complex | float = z.real if z.imag == 0 else z
        return Coefficient("constant", lambda t: value, isinstance(value, float))
    if callable(c):
        return _function_coefficient(name, c, {} if args is None else args)
    arr = np.asarray(c)
    if arr.dtype.kind in "iufc":
        return _array_coefficient(name, arr, tlist, interpolation)
    raise InputError(
        f"{name}: expected a number, a callable f(t) or f(t, args), or an array sampled on "
        f"tlist, got {_describe(c)}"
    )


def _looks_like_operator(x: Any) -> bool:
    if sp.issparse(x) or hasattr(x, "_lindblad_form"):
        return True
    if hasattr(x, "full") and callable(x.full):  # qutip.Qobj
        return True
    if isinstance(x, np.ndarray):
        return x.ndim == 2
    if isinstance(x, (list, tuple)) and x and all(isinstance(r, (list, tuple)) for r in x):
        try:
            return np.asarray(x).ndim == 2 and np.asarray(x).dtype.kind in "biufc"
        except (ValueError, TypeError):
            return False
    return False


def _is_pair(x: Any) -> bool:
    return isinstance(x, (list, tuple)) and len(x) == 2 and _looks_like_operator(x[0])


def is_list_form(x: Any) -> bool:
    """True when ``x`` is QuTiP's list form: a list whose entries are operators or [op, coeff]."""
    # the outer container is a list, as in QuTiP: a tuple (H, c_ops) is the pair of the old
    # call signature, which the solvers refuse with a pointer to c_ops
    if not isinstance(x, list) or not x or _looks_like_operator(x):
        return False
    return any(_is_pair(e) for e in x) and all(_is_pair(e) or _looks_like_operator(e) for e in x)


def split_list_form(
    name: str,
    x: Any,
    *,
    args: Mapping[str, Any] | None = None,
    tlist: Any = None,
    interpolation: str = "cubic",
) -> tuple[list[Any], list[tuple[Any, Coefficient]]]:
    """Split a list-form entry into constant operators and (operator, coefficient) terms.

    ``x`` may be a single operator (no time dependence) or QuTiP's list
    ``[O0, [O1, c1], ...]``. A pair whose coefficient is a number is treated as the constant
    operator ``c * O`` times nothing: it stays a term with a constant coefficient.
    """
    if not isinstance(x, (list, tuple)) or _looks_like_operator(x):
        return [x], []
    if _is_pair(x) and not is_list_form(x):
        # a single [op, coeff] pair written without the enclosing list
        x = [x]
    constants: list[Any] = []
    terms: list[tuple[Any, Coefficient]] = []
    for k, entry in enumerate(x):
        if _is_pair(entry):
            op, c = entry
            terms.append(
                (
                    op,
                    as_coefficient(
                        f"{name}[{k}][1]", c, args=args, tlist=tlist, interpolation=interpolation
                    ),
                )
            )
        elif _looks_like_operator(entry):
            constants.append(entry)
        else:
            raise InputError(
                f"{name}[{k}]: expected an operator or a pair [operator, coefficient], got "
                f"{_describe(entry)}"
            )
    return constants, terms


def check_args(args: Any) -> dict[str, Any]:
    """The ``args`` of time-dependent solvers: None or a mapping with string keys."""
    if args is None:
        return {}
    if not isinstance(args, Mapping):
        raise InputError(f"args: expected a dict of coefficient arguments, got {_describe(args)}")
    bad = [k for k in args if not isinstance(k, str)]
    if bad:
        raise InputError(f"args: expected string keys, got {bad[0]!r}")
    return dict(args)


def flatten_c_ops(
    c_ops: Sequence[Any] | None,
    *,
    args: Mapping[str, Any] | None = None,
    tlist: Any = None,
    interpolation: str = "cubic",
) -> tuple[list[Any], list[tuple[Any, Coefficient]]]:
    """Collapse operators: constant ones, and time-dependent ``[L, g]`` pairs (rate |g(t)|²)."""
    if c_ops is None:
        return [], []
    if _looks_like_operator(c_ops) and not (
        isinstance(c_ops, (list, tuple)) and all(_looks_like_operator(e) for e in c_ops)
    ):
        raise InputError(
            "c_ops: expected a list of (d, d) collapse operators, got a single matrix (wrap it in "
            "a list)"
        )
    constants: list[Any] = []
    terms: list[tuple[Any, Coefficient]] = []
    for k, entry in enumerate(c_ops):
        if _is_pair(entry):
            constants_k, terms_k = split_list_form(
                f"c_ops[{k}]", [entry], args=args, tlist=tlist, interpolation=interpolation
            )
            terms.extend(terms_k)
        elif isinstance(entry, (list, tuple)) and not _looks_like_operator(entry):
            raise InputError(
                f"c_ops[{k}]: expected an operator or a pair [operator, coefficient], got "
                f"{_describe(entry)}"
            )
        else:
            constants.append(entry)
    return constants, terms


#: operators of at most this dimension are applied as dense matrices (BLAS)
_DENSE_DIM = 48


def _working_operator(op: sp.csr_matrix, basis: np.ndarray | None) -> np.ndarray | sp.csr_matrix:
    """``op`` in the working basis: dense for small d or a rotated basis, CSR otherwise."""
    if basis is not None:
        return np.ascontiguousarray(basis.conj().T @ op.toarray() @ basis)
    if op.shape[0] <= _DENSE_DIM:
        return np.ascontiguousarray(op.toarray())
    out = sp.csr_matrix(op)
    out.sum_duplicates()
    out.sort_indices()
    return out


@dataclass(frozen=True, eq=False)
class TimeDependentTerms:
    r"""The time-dependent part of a generator, in the working basis of its constant part.

    .. math::

        \mathcal L(t)\rho = \mathcal L_0\rho - i\Big[\sum_k f_k(t) H_k, \rho\Big]
            + \sum_j |g_j(t)|^2\Big(L_j\rho L_j^\dagger - \tfrac12\{L_j^\dagger L_j, \rho\}\Big)

    Attributes
    ----------
    hamiltonians : list of (d, d) ndarray or CSR
        :math:`H_k`.
    h_coeffs : list of Coefficient
        :math:`f_k`.
    jumps : list of (d, d) ndarray or CSR
        :math:`L_j`.
    jump_products : list of (d, d) ndarray or CSR
        :math:`L_j^\dagger L_j`.
    c_coeffs : list of Coefficient
        :math:`g_j` (the rate is :math:`|g_j|^2`).
    """

    hamiltonians: list[Any]
    h_coeffs: list[Coefficient]
    jumps: list[Any]
    jump_products: list[Any]
    c_coeffs: list[Coefficient]

    @property
    def empty(self) -> bool:
        return not self.hamiltonians and not self.jumps

    @classmethod
    def build(
        cls,
        h_terms: Sequence[tuple[sp.csr_matrix, Coefficient]],
        c_terms: Sequence[tuple[sp.csr_matrix, Coefficient]],
        basis: np.ndarray | None,
    ) -> TimeDependentTerms:
        hs = [_working_operator(H, basis) for H, _ in h_terms]
        ls = [_working_operator(L, basis) for L, _ in c_terms]
        prods = []
        for L, _ in c_terms:
            P = (L.conj().T @ L).tocsr()
            prods.append(_working_operator(P, basis))
        return cls(hs, [c for _, c in h_terms], ls, prods, [c for _, c in c_terms])

    def hamiltonian_at(self, t: float, base: np.ndarray | sp.spmatrix) -> np.ndarray:
        """:math:`H(t) = H_0 + \\sum_k f_k(t) H_k` as a dense matrix (working basis)."""
        H = base.toarray() if sp.issparse(base) else np.array(base, dtype=complex)
        for Hk, f in zip(self.hamiltonians, self.h_coeffs, strict=True):
            H = H + f(t) * (Hk.toarray() if sp.issparse(Hk) else Hk)
        return H

    def add_density(self, t: float, rho: np.ndarray, G: np.ndarray) -> None:
        r"""``G += -i \sum_k f_k H_k\rho + \sum_j |g_j|^2 (L_j (L_j\rho)^\dagger - L_j^\dagger L_j\rho)/2``.

        With ``G`` so accumulated, :math:`G + G^\dagger` is the time-dependent part of
        :math:`\mathcal L(t)\rho` for Hermitian :math:`\rho` and Hermitian :math:`H(t)`.
        """
        for Hk, f in zip(self.hamiltonians, self.h_coeffs, strict=True):
            c = f(t)
            if c != 0:
                G += (-1j * c) * (Hk @ rho)
        for L, P, g in zip(self.jumps, self.jump_products, self.c_coeffs, strict=True):
            w = abs(g(t)) ** 2
            if w != 0:
                M = L @ rho
                G += (0.5 * w) * (L @ np.ascontiguousarray(M.conj().T))
                G -= (0.5 * w) * (P @ rho)

    def add_ket(self, t: float, psi: np.ndarray, out: np.ndarray) -> None:
        """``out += -i sum_k f_k(t) H_k psi`` for kets or blocks of kets (d,) / (d, n)."""
        for Hk, f in zip(self.hamiltonians, self.h_coeffs, strict=True):
            c = f(t)
            if c != 0:
                out += (-1j * c) * (Hk @ psi)


class TimeDependentRHS:
    r"""Right-hand side ``rhs(t, rho, out)`` of :math:`\dot\rho = \mathcal L(t)\rho`.

    ``base(t, rho, out)`` writes the constant part :math:`\mathcal L_0\rho`; the time-dependent terms
    are added with one product per term (see :class:`TimeDependentTerms`). Nothing of size
    :math:`d^2\times d^2` is formed.
    """

    def __init__(
        self,
        base: Callable[[float, np.ndarray, np.ndarray], None],
        terms: TimeDependentTerms,
        d: int,
    ):
        self.base = base
        self.terms = terms
        self._G = np.empty((d, d), dtype=complex)

    def __call__(self, t: float, rho: np.ndarray, out: np.ndarray) -> None:
        self.base(t, rho, out)
        if self.terms.empty:
            return
        G = self._G
        G[...] = 0.0
        self.terms.add_density(t, rho, G)
        out += G
        out += G.conj().T


class KetRHS:
    r"""Right-hand side ``rhs(t, psi, out)`` of :math:`\dot\psi = -iH(t)\psi` for kets (d,) or
    blocks of kets (d, n) (the Schrödinger equation, or the propagator with psi = identity)."""

    def __init__(self, h0: sp.csr_matrix | np.ndarray, terms: TimeDependentTerms):
        d = h0.shape[0]
        if sp.issparse(h0) and d > _DENSE_DIM:
            self._mh0 = (-1j * h0).tocsr()
        else:
            self._mh0 = np.ascontiguousarray(-1j * (h0.toarray() if sp.issparse(h0) else h0))
        self.terms = terms

    def __call__(self, t: float, psi: np.ndarray, out: np.ndarray) -> None:
        out[...] = self._mh0 @ psi
        if not self.terms.empty:
            self.terms.add_ket(t, psi, out)
