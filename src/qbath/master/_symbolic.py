r"""Exact (SymPy) Davies structure for small models: seed 004's Tables 1--2 and Eqs. 22, 31.

Needs the optional extra ``symbolic`` (``pip install "qbath[symbolic]"``); SymPy is imported only
when these functions run.

Frequencies are compared symbolically: two Bohr frequencies are one when their difference
simplifies to zero *for generic parameter values* (e.g. :math:`\beta \ne 2\omega_0`); special
parameter values with accidental degeneracies need the numerical :func:`qbath.davies`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._errors import InputError
from .._optional import require

__all__ = ["SymbolicDavies", "symbolic_davies", "symbolic_three_qubits"]


def _sympy() -> Any:
    return require("sympy", purpose="the symbolic Davies derivation")


@dataclass(frozen=True, eq=False)
class SymbolicDavies:
    """Exact eigen-structure, Bohr frequencies, jump operators and Lamb shift of a small model.

    Attributes
    ----------
    energies : list of sympy.Expr
        Eigenvalues :math:`\\varepsilon_a` (ordered as the eigenvectors).
    eigenvectors : list of sympy.Matrix
        Column vectors, computational basis.
    bohr : dict
        ``{omega: [(a, b), ...]}`` with :math:`\\omega = \\varepsilon_b - \\varepsilon_a`.
    jump_operators : dict
        ``{omega: A(omega)}`` for the non-zero :math:`A(\\omega)` (Eq. 17), computational basis.
    lamb_shift : sympy.Matrix
        :math:`H_{LS} = \\sum_\\omega S(\\omega) A^\\dagger(\\omega) A(\\omega)` with ``S`` an
        undefined SymPy function (Eq. 21), computational basis.
    S : sympy.Function
        The undefined function used in ``lamb_shift``.
    """

    energies: list[Any]
    eigenvectors: list[Any]
    bohr: dict[Any, list[tuple[int, int]]]
    jump_operators: dict[Any, Any]
    lamb_shift: Any
    S: Any

    def table1(self) -> list[tuple[int, Any, Any]]:
        """Rows (a, energy, eigenvector) as in seed Table 1."""
        return [
            (a, e, v) for a, (e, v) in enumerate(zip(self.energies, self.eigenvectors, strict=True))
        ]

    def table2(self) -> list[tuple[int, int, Any]]:
        """Rows (a, b, e_b - e_a) for all ordered pairs a != b (seed Table 2 lists e_j - e_i)."""
        sp = _sympy()
        n = len(self.energies)
        return [
            (a, b, sp.simplify(self.energies[b] - self.energies[a]))
            for a in range(n)
            for b in range(n)
            if a != b
        ]


def _canonical(expr: Any) -> Any:
    sp = _sympy()
    return sp.simplify(sp.expand(expr))


def symbolic_davies(H: Any, A: Any, *, S: Any = None) -> SymbolicDavies:
    r"""Exact Davies structure of :math:`H_A` with one coupling operator :math:`A`.

    Parameters
    ----------
    H : sympy.Matrix (d, d)
        Hermitian Hamiltonian with symbolic parameters; diagonal matrices are used as they are,
        others are diagonalised with ``Matrix.diagonalize(normalize=True)``.
    A : sympy.Matrix (d, d)
        Hermitian coupling operator.
    S : sympy.Function, optional
        Name of the Lamb-shift function (default ``Function("S")``).

    Returns
    -------
    SymbolicDavies
    """
    sp = _sympy()
    H = sp.Matrix(H)
    A = sp.Matrix(A)
    if H.shape[0] != H.shape[1] or A.shape != H.shape:
        raise InputError(f"A: expected the shape of H {H.shape}, got {A.shape}")
    if sp.simplify(H - H.H) != sp.zeros(*H.shape):
        raise InputError("H: expected a Hermitian matrix, got H != H^dag")
    if sp.simplify(A - A.H) != sp.zeros(*A.shape):
        raise InputError("A: expected a Hermitian matrix, got A != A^dag")
    d = H.shape[0]
    if H.is_diagonal():
        energies = [sp.simplify(H[a, a]) for a in range(d)]
        P = sp.eye(d)
    else:
        P, D = H.diagonalize(normalize=True)
        energies = [sp.simplify(D[a, a]) for a in range(d)]
    vecs = [P[:, a] for a in range(d)]
    At = sp.simplify(P.H * A * P)
    groups: list[tuple[Any, list[tuple[int, int]]]] = []
    for a in range(d):
        for b in range(d):
            w = _canonical(energies[b] - energies[a])
            for key, members in groups:
                if sp.simplify(key - w) == 0:
                    members.append((a, b))
                    break
            else:
                groups.append((w, [(a, b)]))
    bohr = dict(groups)
    S = S or sp.Function("S")
    jumps = {}
    hls = sp.zeros(d, d)
    for w, pairs in groups:
        M = sp.zeros(d, d)
        for a, b in pairs:
            M[a, b] = At[a, b]
        M = sp.simplify(P * M * P.H)
        if M != sp.zeros(d, d):
            jumps[w] = M
            hls += S(w) * (M.H * M)
    return SymbolicDavies(energies, vecs, bohr, jumps, sp.simplify(hls), S)


def symbolic_three_qubits() -> tuple[Any, Any, tuple[Any, Any]]:
    r"""Seed 004's model with symbols :math:`\omega_0, \beta` (``coupling_zz``).

    Returns
    -------
    H, A : sympy.Matrix (8, 8)
        :math:`H_A = \omega_0\sum_i S_{iz} + \beta S_{1z}S_{2z}`, :math:`A = \sum_i S_{ix}`, with
        :math:`S = \sigma/2` and qbath's basis order (index 0 = up, qubit 1 leftmost).
    (omega0, beta) : sympy.Symbol
    """
    sp = _sympy()
    from sympy.physics.quantum import TensorProduct

    w0, beta = sp.symbols("omega_0 beta", real=True)
    half = sp.Rational(1, 2)
    sz = sp.Matrix([[1, 0], [0, -1]]) * half
    sx = sp.Matrix([[0, 1], [1, 0]]) * half
    I2 = sp.eye(2)

    def site(op: Any, k: int) -> Any:
        mats = [op if j == k else I2 for j in range(3)]
        return TensorProduct(*mats)

    Sz = [site(sz, k) for k in range(3)]
    Sx = [site(sx, k) for k in range(3)]
    H = w0 * (Sz[0] + Sz[1] + Sz[2]) + beta * Sz[0] * Sz[1]
    A = Sx[0] + Sx[1] + Sx[2]
    return sp.Matrix(H), sp.Matrix(A), (w0, beta)
