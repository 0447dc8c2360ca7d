"""Thermal machines: refrigerator COP, Otto efficiency, the exact oscillator current against
Redfield and against a brute-force Lyapunov computation, the two-stream collision refrigerator,
and the thermal-machines reproduction (quick)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import qbath as qb

M = qb.thermo.machines


def test_refrigerator_local_cop_and_global_below_carnot():
    Tc, Tr, Th = 1.0, 1.5, 10.0
    carnot = M.carnot_cop_absorption(Tc, Tr, Th)
    assert carnot == pytest.approx((1 - 0.15) / 0.5)
    for wh in (0.8, 3.0):
        H, cps, loc = M.absorption_refrigerator(1.0, wh, 0.05)
        baths = [qb.OhmicBath(alpha=1e-3, cutoff=30.0, temperature=T) for T in (Tc, Tr, Th)]
        L = qb.master.local_davies(
            H, [(A, b, Hk) for A, b, Hk in zip(cps, baths, loc, strict=True)]
        )
        r = qb.steady_state(L)
        J = qb.thermo.heat_currents(L, r, energy=loc)
        assert J[0] > 0 and J[2] > 0 > J[1]  # cools: heat from cold and hot, dumped in the room
        assert J[0] / J[2] == pytest.approx(1.0 / wh, rel=1e-9)
        G = qb.davies(H, list(zip(cps, baths, strict=True)))
        Jg = qb.thermo.heat_currents(G, qb.steady_state(G))
        assert 0 < Jg[0] / Jg[2] < carnot
        assert qb.thermo.audit(G, n_states=2).passed


def test_energy_argument():
    H, cps, loc = M.two_qubits_xx(1.0, 1.2, 0.1)
    bath = qb.OhmicBath(alpha=0.01, cutoff=10.0, temperature=1.0)
    L = qb.master.local_davies(H, [(cps[0], bath, loc[0]), (cps[1], bath, loc[1])])
    r = np.eye(4) / 4
    assert np.allclose(qb.thermo.heat_currents(L, r, energy=H), qb.thermo.heat_currents(L, r))
    with pytest.raises(qb.InputError, match="energy"):
        qb.thermo.heat_currents(L, r, energy=np.stack([H, H, H]))


def test_otto_efficiency():
    hot = qb.OhmicBath(alpha=0.01, cutoff=10.0, temperature=2.0)
    cold = qb.OhmicBath(alpha=0.01, cutoff=10.0, temperature=0.5)
    r = M.otto_cycle(2.0, 1.0, hot, cold, 30.0, 30.0, 1.0)
    assert r.efficiency == pytest.approx(0.5, abs=1e-10)
    assert r.heat_hot > 0 > r.work and r.power > 0
    assert r.heat_hot + r.heat_cold + r.work == pytest.approx(0.0, abs=1e-13)
    assert r.entropy_production > 0
    # fully thermalised strokes: closed form of the qubit Otto engine
    r = M.otto_cycle(2.0, 1.0, hot, cold, 3000.0, 3000.0, 1.0)
    ph, pc = 1 / (1 + np.exp(2.0 / 2.0)), 1 / (1 + np.exp(1.0 / 0.5))  # excited populations
    assert r.heat_hot == pytest.approx(2.0 * (ph - pc), rel=1e-8)
    assert r.work == pytest.approx(-(2.0 - 1.0) * (ph - pc), rel=1e-8)


def test_otto_driven_ramp_equals_the_piecewise_limit():
    """The unitary strokes by the driven solver (continuous ramp) against many expm steps."""
    hot = qb.OhmicBath(alpha=0.01, cutoff=10.0, temperature=2.0)
    cold = qb.OhmicBath(alpha=0.01, cutoff=10.0, temperature=0.5)
    driven = M.otto_cycle(2.0, 1.0, hot, cold, 5.0, 5.0, 0.7, delta=0.4)
    steps = M.otto_cycle(2.0, 1.0, hot, cold, 5.0, 5.0, 0.7, delta=0.4, steps=4000)
    assert driven.work == pytest.approx(steps.work, abs=1e-7)
    assert driven.heat_hot == pytest.approx(steps.heat_hot, abs=1e-7)
    assert driven.heat_hot + driven.heat_cold + driven.work == pytest.approx(0.0, abs=1e-12)


def lyapunov_current(wh, wc, g, k, Th, Tc):
    """Brute force, written differently: the local Lindblad equation of two modes is linear in the
    second moments; for kappa << g << omega the local current is also the exact one at
    resonance. Solve the 2x2 Lyapunov equation for C = <a_i^dag a_j>."""
    nh, nc = 1 / np.expm1(wh / Th), 1 / np.expm1(wc / Tc)
    # d/dt C = A C + C A^dag + D (C_ij = <a_j^dag a_i>) for the modes with rates k
    A = -1j * np.array([[wh, g], [g, wc]]) - 0.5 * np.diag([k, k])
    D = np.diag([k * nh, k * nc])
    C = sla.solve_continuous_lyapunov(A, -D)
    # heat from the hot bath into the system: wh * k (nh - <a^dag a>)
    return wh * k * (nh - C[0, 0].real)


def test_exact_oscillator_current():
    k, Th, Tc = 0.01, 0.5, 0.25
    g = 0.02
    Je = M.exact_oscillator_current(1.0, 1.0, g, k, k, Th, Tc)
    assert Je == pytest.approx(lyapunov_current(1.0, 1.0, g, k, Th, Tc), rel=2e-3)
    H, cps, loc = M.coupled_oscillators(1.0, 1.0, g, 6)
    hb = qb.CustomBath(lambda w: k, temperature=Th, scale=1.0, zero_slope=0.0)
    cb = qb.CustomBath(lambda w: k, temperature=Tc, scale=1.0, zero_slope=0.0)
    R = qb.master.redfield(H, [(cps[0], hb), (cps[1], cb)], lamb_shift=False)
    Jr = qb.thermo.heat_currents(R, qb.steady_state(R))[0]
    assert Jr == pytest.approx(Je, rel=1e-3)


def test_two_stream_refrigerator():
    from qbath.reproduce._thermal_machines import _stream_models

    mh, mc = _stream_models(0.1)
    r = M.two_stream_collisions(mh, mc)
    assert r.heat[1] > 0 and r.switching_work.sum() > 0 and r.heat[0] < 0
    assert r.first_law_residual < 1e-12
    assert np.all(r.entropy_production > 0)
    # cycle: energy of the system returns; everything balances
    assert r.delta_u.sum() == pytest.approx(0.0, abs=1e-14)
    assert (r.heat + r.switching_work).sum() == pytest.approx(0.0, abs=1e-14)


@pytest.mark.slow
def test_reproduction_quick(tmp_path):
    pytest.importorskip("xarray")
    pytest.importorskip("matplotlib")
    rep = qb.reproduce.run("thermal-machines", tmp_path, quick=True)
    assert rep.counts()["fail"] == 0, [c for c in rep.checks if c.status == "fail"]
    names = {p.name for p in rep.figures}
    assert {"cop.png", "currents.png", "counting.png", "otto.png", "collisions.png"} <= names
    assert (tmp_path / "thermal_machines.nc").exists()
    assert "Linden" in (tmp_path / "summary.md").read_text()
