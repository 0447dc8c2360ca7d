"""Heat currents and entropy production of the Floquet--Born--Markov generator, against the static
Davies ledger (no drive), qthermo's Floquet rate equation (test-only reference) and the laws of
thermodynamics at the periodic steady state."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb

SZ = np.diag([0.5, -0.5]).astype(complex)
SX = np.array([[0, 1], [1, 0]], dtype=complex)
HOT = qb.OhmicBath(alpha=0.02, cutoff=10.0, temperature=2.0)
COLD = qb.OhmicBath(alpha=0.02, cutoff=10.0, temperature=0.5)
OMEGA = 2.3
PERIOD = 2 * np.pi / OMEGA


def driven(amp: float, couplings=None, **kw):
    H = [SZ, [amp * SX, lambda t: np.cos(OMEGA * t)]]
    pairs = [(SX, HOT), (SX, COLD)] if couplings is None else couplings
    return qb.master.floquet_davies(H, PERIOD, pairs, n_harmonics=8, **kw)


def test_without_drive_the_currents_are_the_static_davies_ones():
    gen = driven(0.0)
    ss = qb.steady_state(gen)
    dav = qb.davies(SZ, [(SX, HOT), (SX, COLD)])
    ss_d = qb.steady_state(dav)
    want = qb.thermo.heat_currents(dav, ss_d)  # Tr[H_S D_k(rho)], another formula
    got = qb.thermo.heat_currents(gen, ss)
    assert got.shape == (2,)
    assert np.allclose(got, want, rtol=1e-8, atol=1e-12)
    assert abs(want[0]) > 1e-3
    sigma = qb.thermo.entropy_production_rate(gen, ss)
    assert sigma == pytest.approx(qb.thermo.entropy_production_rate(dav, ss_d), rel=1e-8)


def test_currents_match_qthermos_floquet_rate_equation():
    qthermo = pytest.importorskip("qthermo")
    from qthermo import floquet as qf

    amp = 0.6
    gen = driven(amp, lamb_shift=False)
    ss = qb.steady_state(gen)
    got = qb.thermo.heat_currents(gen, ss)

    def spectrum(bath):
        # qthermo's zero-temperature emission rate: qbath's rate divided by (1 + n)
        return lambda w: bath.rate(w) / (1.0 + bath.occupation(w))

    baths = [
        qf.DrivenBath("hot", SX, HOT.temperature, spectrum=spectrum(HOT)),
        qf.DrivenBath("cold", SX, COLD.temperature, spectrum=spectrum(COLD)),
    ]
    ref = qf.floquet_analyze(lambda t: SZ + amp * np.cos(OMEGA * t) * SX, PERIOD, baths, n_time=128)
    want = np.array([ref.currents["hot"], ref.currents["cold"]])
    assert np.allclose(got, want, rtol=1e-5, atol=1e-9)
    assert qthermo is not None
    # qthermo's power to the drive is sum_k J_k; the mean power the drive does is its negative
    assert -got.sum() == pytest.approx(-ref.power, rel=1e-5, abs=1e-9)


@pytest.mark.parametrize("amp", [0.2, 0.6, 1.2])
def test_second_law_and_kelvin_at_the_periodic_steady_state(amp):
    gen = driven(amp)
    ss = qb.steady_state(gen)
    J = qb.thermo.heat_currents(gen, ss)
    beta = np.array([1 / HOT.temperature, 1 / COLD.temperature])
    sigma = qb.thermo.entropy_production_rate(gen, ss)
    assert sigma == pytest.approx(-(beta * J).sum(), rel=1e-8, abs=1e-14)  # dS/dt = 0
    assert sigma >= -1e-14
    per = qb.thermo.entropy_production_rate(gen, ss, per_bath=True)
    assert per.shape == (2,) and per.sum() == pytest.approx(sigma, rel=1e-10, abs=1e-15)
    # one temperature: no engine, the drive's work leaves as heat (Kelvin-Planck)
    one = driven(amp, couplings=[(SX, HOT), (SZ, HOT)])
    J1 = qb.thermo.heat_currents(one, qb.steady_state(one))
    assert J1.sum() <= 1e-14


def test_currents_along_a_stroboscopic_trajectory():
    gen = driven(0.6)
    rho0 = np.diag([0.0, 1.0]).astype(complex)
    res = qb.mesolve(gen, rho0, np.linspace(0, 40, 9))
    J = qb.thermo.heat_currents(gen, res)
    assert J.shape == (9, 2)
    for i in (0, 4, 8):
        assert np.allclose(J[i], qb.thermo.heat_currents(gen, res.states[i]), atol=1e-15)


def test_bad_inputs_are_refused():
    gen = driven(0.3)
    with pytest.raises(qb.InputError, match="rho"):
        qb.thermo.heat_currents(gen, np.eye(3) / 3)
    with pytest.raises(qb.InputError, match="rho"):
        qb.thermo.heat_currents(gen, np.diag([1.5, -0.5]))


def test_options_a_floquet_generator_would_ignore_are_refused():
    gen = driven(0.3)
    rho = qb.steady_state(gen)
    with pytest.raises(qb.InputError, match="^times: expected nothing for a FloquetGKSL"):
        qb.thermo.heat_currents(gen, rho, times=[0.0])
    with pytest.raises(qb.InputError, match="^energy: expected nothing"):
        qb.thermo.heat_currents(gen, rho, energy=np.eye(2))
    with pytest.raises(qb.InputError, match="^args: expected nothing"):
        qb.thermo.entropy_production_rate(gen, rho, args={"a": 1.0})
