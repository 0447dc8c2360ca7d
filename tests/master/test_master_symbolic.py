"""Symbolic Davies structure (SymPy): seed Tables 1-2 and Eq. 22 exactly, and the corrected Eq. 31."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb

sp = pytest.importorskip("sympy")


@pytest.fixture(scope="module")
def sym():
    H, A, (w0, beta) = qb.master.symbolic_three_qubits()
    return qb.master.symbolic_davies(H, A), w0, beta


def test_table1_exact(sym):
    r, w0, beta = sym
    # qbath index 7 - (k - 1) is the seed's state k (|ggg>, |gge>, ... with g = down)
    seed = {
        1: beta / 4 - 3 * w0 / 2,
        2: beta / 4 - w0 / 2,
        3: -beta / 4 - w0 / 2,
        4: -beta / 4 + w0 / 2,  # printed beta/4 + w0/2: erratum
        5: -beta / 4 - w0 / 2,
        6: -beta / 4 + w0 / 2,
        7: beta / 4 + w0 / 2,
        8: beta / 4 + 3 * w0 / 2,
    }
    for k, e in seed.items():
        assert sp.simplify(r.energies[7 - (k - 1)] - e) == 0
    assert sp.simplify(r.energies[7 - 3] - (beta / 4 + w0 / 2)) != 0  # the printed eps_4 is wrong


def test_table2_distinct_values_and_eq22_exact(sym):
    r, w0, beta = sym
    expected = {
        0,
        w0,
        2 * w0,
        3 * w0,
        beta / 2,
        (beta - 2 * w0) / 2,
        (beta + 2 * w0) / 2,
        (beta - 4 * w0) / 2,
        (beta + 4 * w0) / 2,
    }
    expected |= {-x for x in expected}
    got = set(r.bohr)
    assert len(got) == len(expected) == 17
    for x in expected:
        assert any(sp.simplify(x - g) == 0 for g in got)
    assert sum(len(v) for v in r.bohr.values()) == 64
    # Eq. 22 with S_z of App. 1 (= minus the standard S_z), S_+- the usual ladder operators
    from sympy.physics.quantum import TensorProduct as TP

    half = sp.Rational(1, 2)
    I2 = sp.eye(2)
    Sp, Sm = sp.Matrix([[0, 1], [0, 0]]), sp.Matrix([[0, 0], [1, 0]])
    Sz_seed = -half * sp.Matrix([[1, 0], [0, -1]])

    def site(o, k):
        return sp.Matrix(TP(*[o if j == k else I2 for j in range(3)]))

    E = sp.eye(8)
    eq22 = {}
    for s, up, dn in ((1, Sp, Sm), (-1, Sm, Sp)):
        eq22[s * w0] = half * site(dn, 2)
        eq22[s * (beta - 2 * w0) / 2] = half * site(up, 0) * half * (
            E + 2 * site(Sz_seed, 1)
        ) + half * (E + 2 * site(Sz_seed, 0)) * half * site(up, 1)
        eq22[s * (beta + 2 * w0) / 2] = half * site(dn, 0) * half * (
            E - 2 * site(Sz_seed, 1)
        ) + half * (E - 2 * site(Sz_seed, 0)) * half * site(dn, 1)
    assert len(r.jump_operators) == 6
    for w, M in r.jump_operators.items():
        key = next(k for k in eq22 if sp.simplify(k - w) == 0)
        assert sp.simplify(M - eq22[key]) == sp.zeros(8, 8)


def test_symbolic_lamb_shift_matches_numeric_and_corrected_eq31(sym):
    r, w0, beta = sym
    bath = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)
    vals = {w0: 1.0, beta: 0.4}
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, bath)])
    repl = {}
    for w in r.jump_operators:
        wn = float(w.subs(vals))
        repl[r.S(w)] = float(bath.lamb_shift(wn))
    num = np.array(r.lamb_shift.subs(repl).subs(vals).evalf(), dtype=complex)
    assert np.allclose(num, gen.lamb_shift, atol=1e-13)
    # the corrected Eq. 31 coefficient of G6 = sqrt2 S1x S2x: sqrt2/4 (S(-(w0+b/2)) + S(w0-b/2))
    G6 = sp.sqrt(2) * sp.Matrix(np.kron(np.kron(qb.sigmax(), qb.sigmax()), np.eye(2)).real) / 4
    c6 = sp.simplify((G6 * r.lamb_shift).trace() / (G6 * G6).trace())
    want = sp.sqrt(2) / 4 * (r.S(-beta / 2 - w0) + r.S(w0 - beta / 2))
    assert sp.simplify(c6 - want) == 0


def test_symbolic_input_checks():
    with pytest.raises(qb.InputError, match="H: expected a Hermitian"):
        qb.master.symbolic_davies(sp.Matrix([[0, 1], [0, 0]]), sp.eye(2))
    with pytest.raises(qb.InputError, match="A: expected the shape"):
        qb.master.symbolic_davies(sp.eye(2), sp.eye(3))
