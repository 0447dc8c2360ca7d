"""Counting statistics: single level between two leads (closed forms of Bagrets & Nazarov, a
symbolic 2x2 tilted generator), finite differences of the SCGF, Gallavotti--Cohen, the TUR, the
rate function, energy counting of a Davies generator against its heat currents."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb

D = qb.sigmam()  # lowers |up> (index 0, occupied) to |down> (empty)
H0 = np.zeros((2, 2))
GL, GR = 0.1, 0.5


def unidirectional():
    return (H0, [np.sqrt(GL) * D.conj().T, np.sqrt(GR) * D])  # in from L, out to R


@pytest.mark.parametrize("counted", [{1: 1.0}, {0: 1.0}])
def test_single_level_closed_forms(counted):
    """Bagrets and Nazarov, PRB 67, 085316 (2003): c1 = GL GR/(GL+GR), Fano factor
    (GL^2+GR^2)/(GL+GR)^2, c3/c1 = 1 - 6 GL GR (GL^2+GR^2)/(GL+GR)^4."""
    c = qb.thermo.cumulants(unidirectional(), counted, order=3)
    s = GL + GR
    c1 = GL * GR / s
    assert c[0] == pytest.approx(c1, rel=1e-12)
    assert c1 == pytest.approx(0.1 * 0.5 / 0.6)
    assert c[1] == pytest.approx(c1 * (GL**2 + GR**2) / s**2, rel=1e-11)
    assert c[2] == pytest.approx(c1 * (1 - 6 * GL * GR * (GL**2 + GR**2) / s**4), rel=1e-10)


def test_finite_differences_of_the_leading_eigenvalue():
    model = unidirectional()
    c = qb.thermo.cumulants(model, {1: 1.0}, order=3)
    h = 2e-3
    s = np.array([-2 * h, -h, 0.0, h, 2 * h])
    th = qb.thermo.scgf(model, {1: 1.0}, s)
    assert th[2] == pytest.approx(0.0, abs=1e-14)
    assert (th[3] - th[1]) / (2 * h) == pytest.approx(c[0], rel=1e-5)
    assert (th[3] - 2 * th[2] + th[1]) / h**2 == pytest.approx(c[1], rel=1e-5)
    d3 = (th[4] - 2 * th[3] + 2 * th[1] - th[0]) / (2 * h**3)
    assert d3 == pytest.approx(c[2], rel=1e-4)


def bidirectional(fL=0.8, fR=0.2):
    c_ops = [
        np.sqrt(GL * fL) * D.conj().T,
        np.sqrt(GL * (1 - fL)) * D,
        np.sqrt(GR * fR) * D.conj().T,
        np.sqrt(GR * (1 - fR)) * D,
    ]
    return (H0, c_ops), {3: 1.0, 2: -1.0}


def test_bidirectional_against_symbolic_eigenvalue():
    sp = pytest.importorskip("sympy")
    fL, fR = 0.8, 0.2
    s = sp.symbols("s")
    # populations (occupied, empty); net count of electrons passed into the right lead
    gin = GL * fL + GR * fR * sp.exp(-s)
    gout = GL * (1 - fL) + GR * (1 - fR) * sp.exp(s)
    M = sp.Matrix(
        [
            [-(GL * (1 - fL) + GR * (1 - fR)), GL * fL + GR * fR * sp.exp(-s)],
            [gout, -(GL * fL + GR * fR)],
        ]
    )
    del gin
    tr, det = M.trace(), M.det()
    theta = (tr + sp.sqrt(tr**2 - 4 * det)) / 2
    want = [float(sp.diff(theta, s, n).subs(s, 0)) for n in (1, 2, 3)]
    model, counted = bidirectional(fL, fR)
    c = qb.thermo.cumulants(model, counted, order=3)
    assert c == pytest.approx(want, rel=1e-10)
    th = qb.thermo.scgf(model, counted, [0.3, -0.7])
    assert th == pytest.approx([float(theta.subs(s, x)) for x in (0.3, -0.7)], rel=1e-10)


def test_gallavotti_cohen_tur_and_rate_function():
    fL, fR = 0.8, 0.2
    model, counted = bidirectional(fL, fR)
    A = np.log(fL * (1 - fR) / (fR * (1 - fL)))
    gc = qb.thermo.gallavotti_cohen(model, counted, affinity=A)
    assert gc.holds and gc.residual < 1e-12
    found = qb.thermo.gallavotti_cohen(model, counted)
    assert found.affinity == pytest.approx(A, rel=1e-6)
    assert not qb.thermo.gallavotti_cohen(model, counted, affinity=0.5 * A).holds
    c = qb.thermo.cumulants(model, counted, order=2)
    sigma = c[0] * A  # one affinity: entropy production = current x affinity
    t = qb.thermo.tur(model, counted, sigma)
    assert t.holds and t.ratio > 2
    j = np.array([0.02, c[0], 0.05])
    I = qb.thermo.rate_function(model, counted, j)
    assert I[1] == pytest.approx(0.0, abs=1e-9)
    assert np.all(I >= 0)
    # fluctuation theorem for the rate function: I(-j) - I(j) = A j
    Ineg = qb.thermo.rate_function(model, counted, -j)
    assert Ineg - I == pytest.approx(A * j, rel=1e-6)


def test_energy_counting_matches_heat_current():
    sx, sz, I2 = qb.sigmax(), qb.sigmaz(), np.eye(2)
    H = 0.5 * np.kron(sz, I2) + 0.7 * np.kron(I2, sz) + 0.2 * np.kron(sx, sx)
    hot = qb.OhmicBath(alpha=0.03, cutoff=8.0, temperature=2.0)
    cold = qb.OhmicBath(alpha=0.05, cutoff=8.0, temperature=0.3)
    gen = qb.davies(H, [(np.kron(sx, I2), hot), (np.kron(I2, sx), cold)])
    J = qb.thermo.heat_currents(gen, qb.steady_state(gen))
    for k in range(2):
        c = qb.thermo.cumulants(gen, qb.thermo.energy_counting(gen, k), order=2)
        assert c[0] == pytest.approx(-J[k], rel=1e-9)
        assert c[1] > 0
    # heat exchange fluctuation theorem (Jarzynski & Wojcik 2004): affinity beta_c - beta_h
    gc = qb.thermo.gallavotti_cohen(
        gen, qb.thermo.energy_counting(gen, 1), affinity=1 / 0.3 - 1 / 2.0
    )
    assert gc.residual < 1e-3 * abs(J[1])


def test_bad_input():
    model = unidirectional()
    with pytest.raises(qb.InputError, match="counted"):
        qb.thermo.cumulants(model, {5: 1.0})
    with pytest.raises(qb.InputError, match="counted"):
        qb.thermo.cumulants(model, {})
    with pytest.raises(qb.InputError, match="order"):
        qb.thermo.cumulants(model, {0: 1.0}, order=0)
    with pytest.raises(qb.InputError, match="counted"):
        qb.thermo.cumulants(model, {True: 1.0})
