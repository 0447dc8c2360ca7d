"""qb.thermo.audit: verdicts on Davies, local, Redfield, (H, c_ops) and collision models; the
Levy--Kosloff second-law violation of the local master equation."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
from conftest import rand_herm

SX, SZ, SM, I2 = qb.sigmax(), qb.sigmaz(), qb.sigmam(), np.eye(2)


def levy_kosloff(wh=2.0, wc=1.0, g=0.1, Th=1.5, Tc=1.0, alpha=0.01):
    """Two XX-coupled qubits (Levy & Kosloff, EPL 107, 20004 (2014))."""
    Hh, Hc = 0.5 * wh * np.kron(SZ, I2), 0.5 * wc * np.kron(I2, SZ)
    H = Hh + Hc + g * (np.kron(SM.conj().T, SM) + np.kron(SM, SM.conj().T))
    hot = qb.OhmicBath(alpha=alpha, cutoff=10.0, temperature=Th)
    cold = qb.OhmicBath(alpha=alpha, cutoff=10.0, temperature=Tc)
    A1, A2 = np.kron(SX, I2), np.kron(I2, SX)
    return H, [(A1, hot, Hh), (A2, cold, Hc)]


def test_local_master_equation_sends_heat_from_cold_to_hot():
    """omega_h / T_h > omega_c / T_c: n_h(omega_h) < n_c(omega_c), the local equation drives the
    excitation (and, counted with the full H_S, the heat) from the cold bath into the hot one."""
    H, cps = levy_kosloff()
    loc = qb.master.local_davies(H, cps, lamb_shift=False)
    a = qb.thermo.audit(loc)
    assert a["first law"].status == "pass"
    assert a["second law (total)"].status == "fail"
    assert a.heat_currents[0] < 0 < a.heat_currents[1]  # into the hot bath, out of the cold one
    assert not a.passed and "second law (total)" in a.failures
    assert a["complete positivity"].status == "pass"  # local: GKSL form, yet not thermodynamic
    glob = qb.davies(H, [(A, b) for A, b, _ in cps])
    ag = qb.thermo.audit(glob)
    assert ag.passed, ag.table()
    assert ag.heat_currents[0] > 0 > ag.heat_currents[1]
    # below the threshold omega_h / T_h < omega_c / T_c the local equation is fine
    H2, cps2 = levy_kosloff(Th=2.5)
    assert qb.thermo.audit(qb.master.local_davies(H2, cps2))["second law (total)"].status == "pass"


@pytest.mark.parametrize("seed", range(3))
def test_random_davies_passes(seed):
    rng = np.random.default_rng(seed)
    H = rand_herm(3, rng)
    T = 0.9
    same = [
        (rand_herm(3, rng), qb.OhmicBath(alpha=0.02, cutoff=4.0, temperature=T)),
        (rand_herm(3, rng), qb.DrudeLorentzBath(reorganization=0.05, cutoff=2.0, temperature=T)),
    ]
    a = qb.thermo.audit(qb.davies(H, same))
    assert a.passed, a.table()
    assert a["Gibbs stationarity"].status == "pass"
    diff = [same[0], (same[1][0], qb.OhmicBath(alpha=0.02, cutoff=4.0, temperature=3.0))]
    a = qb.thermo.audit(qb.davies(H, diff))
    assert a.passed and a["Gibbs stationarity"].status == "n/a"
    assert a.entropy_production > 0


def test_local_equation_misses_gibbs_and_redfield_misses_positivity():
    H, cps = levy_kosloff(Th=1.0, Tc=1.0, g=0.3)
    a = qb.thermo.audit(qb.master.local_davies(H, cps))
    assert a["Gibbs stationarity"].status == "fail"
    red = qb.master.redfield(H, [(A, b) for A, b, _ in cps])
    ar = qb.thermo.audit(red)
    assert ar["complete positivity"].status == "fail"
    assert ar["complete positivity"].value < -1e-4
    # the Davies generator of the same model: Gibbs state and complete positivity
    ad = qb.thermo.audit(qb.davies(H, [(A, b) for A, b, _ in cps]))
    assert ad["Gibbs stationarity"].status == "pass" and ad["complete positivity"].status == "pass"


def test_c_ops_model_detailed_balance():
    w, g, T = 1.0, 0.1, 0.7
    n = 1 / np.expm1(w / T)
    H = 0.5 * w * SZ
    ok = {"b": [np.sqrt(g * (n + 1)) * SM, np.sqrt(g * n) * SM.conj().T]}
    a = qb.thermo.audit((H, ok), temperatures={"b": T})
    assert a.passed and a["Gibbs stationarity"].status == "pass"
    bad = {"b": [np.sqrt(g * (n + 1)) * SM, np.sqrt(2 * g * n) * SM.conj().T]}  # breaks KMS
    a = qb.thermo.audit((H, bad), temperatures={"b": T})
    assert a["Gibbs stationarity"].status == "fail"
    a = qb.thermo.audit((H, ok))  # no temperature: the second law cannot be judged
    assert a["second law (total)"].status == "n/a"


def test_collision_model_audit():
    model = qb.collision.structured_example2(
        omega_s=1.0, omega_1=0.5, omega_2=1.5, kappa=0.3, alpha=0.2, beta=1.0, dt=0.1
    )
    a = qb.thermo.audit(model)
    assert a.kind == "collision" and a.passed, a.table()
    # resonant exchange coupling with a thermal qubit ancilla conserves energy: Gibbs is fixed
    pairs = [(qb.sigmap(), 0.3 * qb.sigmam()), (qb.sigmam(), 0.3 * qb.sigmap())]
    m2 = qb.collision.CollisionModel(h_s=0.5 * SZ, h_e=0.5 * SZ, h_se=pairs, dt=0.2, beta=0.8)
    a2 = qb.thermo.audit(m2)
    assert a2["Gibbs stationarity"].status == "pass", a2.table()
    assert "collision" in str(a2)
