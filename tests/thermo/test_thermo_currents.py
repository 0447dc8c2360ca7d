"""Heat currents, the first law and entropy production: closed forms, the Pauli energy balance
written from the rates, Spohn's inequality on random models, Gibbs stationarity."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
from conftest import rand_dm, rand_herm

SX, SZ, I2 = qb.sigmax(), qb.sigmaz(), np.eye(2)


def two_qubits(g: float = 0.2, w1: float = 1.0, w2: float = 1.4):
    H = 0.5 * w1 * np.kron(SZ, I2) + 0.5 * w2 * np.kron(I2, SZ) + g * np.kron(SX, SX)
    return H, np.kron(SX, I2), np.kron(I2, SX)


def random_two_bath(rng: np.random.Generator, d: int = 4, lamb_shift: bool = True):
    H = rand_herm(d, rng)
    A1, A2 = rand_herm(d, rng), rand_herm(d, rng)
    T1, T2 = rng.uniform(0.3, 3.0, size=2)
    b1 = qb.OhmicBath(alpha=0.02, cutoff=6.0, temperature=T1)
    b2 = qb.DrudeLorentzBath(reorganization=0.03, cutoff=2.0, temperature=T2)
    return qb.davies(H, [(A1, b1), (A2, b2)], lamb_shift=lamb_shift)


def test_dissipators_add_up_to_the_generator(rng):
    gen = random_two_bath(rng)
    d = gen.dim
    Hs = gen.system_hamiltonian
    L = -1j * (np.kron(np.eye(d), Hs) - np.kron(Hs.T, np.eye(d)))
    L = L + sum(gen.dissipator(k).liouvillian() for k in range(gen.n_baths))
    assert np.allclose(L, gen.liouvillian(), atol=1e-13)
    assert gen.n_baths == 2
    assert np.allclose(gen.bath_temperatures, [b.temperature for _, b in gen.couplings])
    # the parts' Lamb shifts add up to H_LS
    assert np.allclose(sum(gen.dissipator(k).lamb_shift for k in range(2)), gen.lamb_shift)
    # adjoint: Tr[X L_k rho] = Tr[L_k^dag(X) rho]
    X, r = rand_herm(d, rng), rand_dm(d, rng)
    for k in range(2):
        D = gen.dissipator(k)
        assert np.trace(X @ D(r)) == pytest.approx(np.trace(D.adjoint(X) @ r), abs=1e-13)


def test_heat_currents_match_pauli_energy_balance():
    """Non-degenerate H: the steady state is diagonal; J_k = sum over transitions b -> a of
    (E_a - E_b) gamma_k(E_b - E_a) |<a|A_k|b>|^2 p_b, written from the bath rates."""
    H, A1, A2 = two_qubits()
    hot = qb.OhmicBath(alpha=0.03, cutoff=8.0, temperature=2.0)
    cold = qb.OhmicBath(alpha=0.05, cutoff=8.0, temperature=0.3)
    gen = qb.davies(H, [(A1, hot), (A2, cold)], lamb_shift=True)
    E, V = np.linalg.eigh(H)
    rates = []
    for A, bath in ((A1, hot), (A2, cold)):
        At = V.conj().T @ A @ V
        W = np.zeros((4, 4))  # W[a, b]: rate b -> a
        for a in range(4):
            for b in range(4):
                if a != b:
                    W[a, b] = bath.rate(E[b] - E[a]) * abs(At[a, b]) ** 2
        rates.append(W)
    W = sum(rates)
    G = W - np.diag(W.sum(axis=0))
    u, s, vt = np.linalg.svd(G)
    p = np.abs(vt[-1]) / np.abs(vt[-1]).sum()
    want = [
        sum((E[a] - E[b]) * Wk[a, b] * p[b] for a in range(4) for b in range(4)) for Wk in rates
    ]
    rho = qb.steady_state(gen)
    J = qb.thermo.heat_currents(gen, rho)
    assert J == pytest.approx(want, rel=1e-9, abs=1e-14)
    assert J[0] > 0 > J[1]  # heat flows from hot to cold
    assert abs(J.sum()) < 1e-13
    sigma = qb.thermo.entropy_production_rate(gen, rho)
    assert sigma == pytest.approx(-(J[0] / 2.0 + J[1] / 0.3), rel=1e-8)


def test_qubit_between_two_baths_closed_form():
    """(H, c_ops) with the baths named: sigma_- / sigma_+ rates gamma (n+1), gamma n per bath."""
    w, gh, gc, nh, nc = 1.3, 0.05, 0.08, 1.7, 0.2
    H = 0.5 * w * SZ
    sm = qb.sigmam()
    c_ops = {
        "hot": [np.sqrt(gh * (nh + 1)) * sm, np.sqrt(gh * nh) * sm.conj().T],
        "cold": [np.sqrt(gc * (nc + 1)) * sm, np.sqrt(gc * nc) * sm.conj().T],
    }
    Th, Tc = w / np.log1p(1 / nh), w / np.log1p(1 / nc)
    pe = (gh * nh + gc * nc) / (gh * (2 * nh + 1) + gc * (2 * nc + 1))
    rho = np.diag([pe, 1 - pe])  # index 0 = up = excited
    Jh = w * (gh * nh * (1 - pe) - gh * (nh + 1) * pe)
    temps = {"hot": Th, "cold": Tc}
    J = qb.thermo.heat_currents((H, c_ops), rho, temperatures=temps)
    assert J == pytest.approx([Jh, -Jh], rel=1e-12)
    s = qb.thermo.entropy_production_rate((H, c_ops), rho, temperatures=temps)
    assert s == pytest.approx(Jh * (1 / Tc - 1 / Th), rel=1e-10)
    assert s > 0
    # the same with a list of c_ops and their bath labels
    flat = c_ops["hot"] + c_ops["cold"]
    J2 = qb.thermo.heat_currents((H, flat), rho, baths=["h", "h", "c", "c"])
    assert J2 == pytest.approx(J, rel=1e-13)


@pytest.mark.parametrize("seed", range(6))
def test_spohn_inequality_random_davies(seed):
    rng = np.random.default_rng(seed)
    gen = random_two_bath(rng)
    for _ in range(5):
        r = rand_dm(4, rng)
        sk = qb.thermo.entropy_production_rate(gen, r, per_bath=True)
        assert np.all(sk >= -1e-12), sk
    rho = qb.steady_state(gen)
    J = qb.thermo.heat_currents(gen, rho)
    betas = 1 / gen.bath_temperatures
    assert -np.dot(betas, J) >= -1e-12
    assert qb.thermo.entropy_production_rate(gen, rho) == pytest.approx(
        -np.dot(betas, J), abs=1e-11
    )


@pytest.mark.parametrize("seed", range(4))
def test_first_law_random_models(seed):
    rng = np.random.default_rng(100 + seed)
    gen = random_two_bath(rng)
    d = gen.dim
    L = gen.liouvillian()
    for _ in range(3):
        r = rand_dm(d, rng)
        dU = np.trace(gen.system_hamiltonian @ (L @ r.ravel(order="F")).reshape(d, d, order="F"))
        J = qb.thermo.heat_currents(gen, r)
        assert abs(dU.real - J.sum()) < 1e-10
        assert abs(qb.thermo.first_law_residual(gen, r)) < 1e-10


def test_gibbs_stationarity_equal_temperatures(rng):
    H = rand_herm(4, rng)
    T = 0.8
    b1 = qb.OhmicBath(alpha=0.02, cutoff=6.0, temperature=T)
    b2 = qb.DrudeLorentzBath(reorganization=0.04, cutoff=3.0, temperature=T)
    gen = qb.davies(H, [(rand_herm(4, rng), b1), (rand_herm(4, rng), b2)], lamb_shift=True)
    gibbs = qb.thermal_state(H, 1 / T)
    assert np.allclose(qb.steady_state(gen), gibbs, atol=1e-10)
    assert np.allclose(qb.thermo.heat_currents(gen, gibbs), 0, atol=1e-13)
    assert np.allclose(qb.thermo.entropy_production_rate(gen, gibbs, per_bath=True), 0, atol=1e-12)


def test_ledger_along_mesolve(rng):
    H, A1, A2 = two_qubits()
    hot = qb.OhmicBath(alpha=0.03, cutoff=8.0, temperature=2.0)
    cold = qb.OhmicBath(alpha=0.05, cutoff=8.0, temperature=0.3)
    gen = qb.davies(H, [(A1, hot), (A2, cold)])
    t = np.linspace(0, 4, 801)
    res = qb.mesolve(gen, rand_dm(4, rng), t, rtol=1e-10, atol=1e-12)
    lg = qb.thermo.ledger(gen, res)
    assert lg.heat.shape == (801, 2)
    assert np.max(np.abs(lg.first_law_residual)) < 1e-10
    # dU/dt by finite differences of the stored energies (independent of the generator)
    dU = np.gradient(lg.energy, t, edge_order=2)
    assert np.allclose(dU[1:-1], lg.heat.sum(axis=1)[1:-1], atol=2e-5)
    dS = np.gradient(lg.entropy, t, edge_order=2)
    betas = 1 / gen.bath_temperatures
    assert np.allclose(dS[1:-1] - lg.heat[1:-1] @ betas, lg.entropy_production[1:-1], atol=5e-5)
    assert np.all(lg.entropy_production >= -1e-12)
    assert np.allclose(qb.thermo.heat_currents(gen, res), lg.heat)


def test_bad_input():
    H, A1, A2 = two_qubits()
    bath = qb.OhmicBath(alpha=0.03, cutoff=8.0, temperature=1.0)
    gen = qb.davies(H, [(A1, bath), (A2, bath)])
    with pytest.raises(qb.InputError, match="k: expected a bath index"):
        gen.dissipator(2)
    with pytest.raises(qb.InputError, match="rho"):
        qb.thermo.heat_currents(gen, np.eye(3))
    with pytest.raises(qb.InputError, match="temperatures"):
        qb.thermo.entropy_production_rate((H, [A1]), np.eye(4) / 4)
    with pytest.raises(qb.InputError, match="baths"):
        qb.thermo.heat_currents((H, [A1, A2]), np.eye(4) / 4, baths=["a"])
    with pytest.raises(qb.InputError, match="model"):
        qb.thermo.heat_currents("gen", np.eye(4) / 4)


def test_correlated_couplings_form_one_bath(rng):
    H = rand_herm(4, rng)
    bath = qb.OhmicBath(alpha=0.02, cutoff=5.0, temperature=0.7)
    other = qb.OhmicBath(alpha=0.03, cutoff=5.0, temperature=2.0)
    cps = [(rand_herm(4, rng), bath), (rand_herm(4, rng), bath), (rand_herm(4, rng), other)]
    gen = qb.davies(H, cps, cross_correlations="shared")
    assert gen.n_baths == 2 and gen.bath_couplings == ((0, 1), (2,))
    assert np.allclose(gen.bath_temperatures, [0.7, 2.0])
    Hs = gen.system_hamiltonian
    L = -1j * (np.kron(np.eye(4), Hs) - np.kron(Hs.T, np.eye(4)))
    L = L + sum(gen.dissipator(k).liouvillian() for k in range(2))
    assert np.allclose(L, gen.liouvillian(), atol=1e-13)
    rho = qb.steady_state(gen)
    J = qb.thermo.heat_currents(gen, rho)
    assert abs(J.sum()) < 1e-13
    assert np.all(qb.thermo.entropy_production_rate(gen, rand_dm(4, rng), per_bath=True) >= -1e-12)
