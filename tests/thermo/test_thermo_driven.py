"""The thermodynamic ledger of driven systems: energy, heat and power with H_S(t).

The references are computed here by hand from the stored states and H(t) written out in the test
(energies, finite differences, trapezoid sums, explicit dissipators), never from qbath's ledger.
"""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb

SX, SY, SZ = qb.sigmax(), qb.sigmay(), qb.sigmaz()
TIGHT = qb.Dopri5(rtol=1e-11, atol=1e-13, max_steps=10**6)
ADIAB = qb.Dopri5(rtol=1e-10, atol=1e-12)  # the adiabatic generator is rebuilt at every step


def d4(y: np.ndarray, h: float) -> np.ndarray:
    """Fourth-order centred difference on the interior points y[2:-2]."""
    return (-y[4:] + 8 * y[3:-1] - 8 * y[1:-3] + y[:-4]) / (12 * h)


def energy(Ht: np.ndarray, states: np.ndarray) -> np.ndarray:
    return np.einsum("tab,tba->t", Ht, states).real


def davies_qubit(T: float = 0.5):
    bath = qb.OhmicBath(alpha=0.05, cutoff=8.0, temperature=T)
    return qb.davies(0.5 * SZ, [(SX, bath)], lamb_shift=True)


def driven_qubit(A: float, w: float, t: np.ndarray):
    """A Davies qubit driven by A cos(w t) sigma_x: (generator, list form, result)."""
    gen = davies_qubit()
    H = [gen, [SX, lambda s: A * np.cos(w * s)]]
    return gen, H, qb.mesolve(H, np.diag([0.3, 0.7]), t, method=TIGHT)


def test_driven_davies_qubit_first_law_against_finite_difference():
    A, w = 0.2, 0.7
    t = np.linspace(0, 10, 1001)
    gen, H, res = driven_qubit(A, w, t)
    led = qb.thermo.ledger(H, res)
    # H(t) by hand; U(t) and its derivative from the stored states alone
    Ht = 0.5 * SZ[None] + (A * np.cos(w * t))[:, None, None] * SX[None]
    U = energy(Ht, res.states)
    assert np.allclose(led.energy, U, atol=1e-14)
    dU = d4(U, t[1] - t[0])
    assert np.max(np.abs(dU - (led.heat.sum(axis=1) + led.work)[2:-2])) < 1e-8
    assert np.max(np.abs(led.first_law_residual)) < 1e-12
    assert np.max(np.abs(qb.thermo.first_law_residual(H, res))) < 1e-12
    # the power by hand: P = Tr[rho dH/dt], dH/dt = -A w sin(w t) sigma_x
    P = -A * w * np.sin(w * t) * np.einsum("ab,tba->t", SX, res.states).real
    assert np.allclose(led.work, P, atol=1e-9)
    assert np.allclose(qb.thermo.power(H, res), P, atol=1e-9)
    # the static ledger (H_S without the drive, no power) misses the first law by far
    stat = qb.thermo.ledger(gen, res)
    assert np.max(np.abs(d4(stat.energy, t[1] - t[0]) - stat.heat.sum(axis=1)[2:-2])) > 1e-3


def test_heat_current_against_explicit_dissipator():
    """(H_list, c_ops) with named baths: J_k = Tr[H(t) D_k(rho)], D_k written out here."""
    g_h, g_c, n = 0.04, 0.06, 0.3
    sm = qb.sigmam()
    c_ops = {
        "hot": [np.sqrt(g_h * (n + 1)) * sm, np.sqrt(g_h * n) * sm.conj().T],
        "cold": [np.sqrt(g_c) * sm],
    }
    f = lambda t, args: args["a"] * np.sin(args["w"] * t)  # noqa: E731
    args = {"a": 0.3, "w": 1.3}
    H = [0.5 * SZ, [SY, f]]
    t = np.linspace(0, 6, 61)
    res = qb.mesolve(
        H, np.diag([0.6, 0.4]), t, c_ops=c_ops["hot"] + c_ops["cold"], args=args, method=TIGHT
    )

    def D(Ls, r):
        return sum(L @ r @ L.conj().T - 0.5 * (L.conj().T @ L @ r + r @ L.conj().T @ L) for L in Ls)

    Ht = 0.5 * SZ[None] + f(t, args)[:, None, None] * SY[None]
    ref = np.array(
        [
            [np.trace(h @ D(c_ops[k], r)).real for k in ("hot", "cold")]
            for h, r in zip(Ht, res.states, strict=True)
        ]
    )
    J = qb.thermo.heat_currents(
        (H, c_ops), res, args=args, temperatures={"hot": 1 / np.log1p(1 / n), "cold": 0.0}
    )
    assert np.allclose(J, ref, atol=1e-15)
    led = qb.thermo.ledger((H, c_ops), res, args=args)
    assert np.allclose(led.heat, ref, atol=1e-15)
    assert led.bath_names == ["hot", "cold"]
    dU = d4(energy(Ht, res.states), t[1] - t[0])
    assert np.max(np.abs(dU - (led.heat.sum(axis=1) + led.work)[2:-2])) < 2e-5  # (dt = 0.1)^4


def test_closed_driven_qubit_work_is_energy_change():
    """No bath: J = 0 and the integrated power equals U(t) - U(0) (closed form of the first law)."""
    A, w = 0.4, 1.1
    H = [0.5 * SZ, [SX, lambda t: A * np.cos(w * t)]]
    t = np.linspace(0, 12, 601)
    res = qb.mesolve(H, np.diag([0.8, 0.2]), t, method=TIGHT)
    led = qb.thermo.ledger(H, res)
    assert led.heat.shape == (601, 0)
    assert np.all(led.entropy_production == 0)
    Ht = 0.5 * SZ[None] + (A * np.cos(w * t))[:, None, None] * SX[None]
    U = energy(Ht, res.states)
    assert np.allclose(led.integrated_work, U - U[0], atol=1e-8)
    assert abs(led.integrated_work[-1] - (U[-1] - U[0])) < 1e-8
    assert abs(U[-1] - U[0]) > 1e-2  # the drive does work


def test_integrated_work_against_fine_trapezoid():
    gen = davies_qubit(T=0.8)
    A, w = 0.3, 0.9
    H = [gen, [SX, lambda t: A * np.sin(w * t)]]
    rho0 = np.array([[0.5, 0.2], [0.2, 0.5]])
    coarse = qb.mesolve(H, rho0, np.linspace(0, 8, 161), method=TIGHT)
    led = qb.thermo.ledger(H, coarse)
    tf = np.linspace(0, 8, 16001)
    fine = qb.mesolve(H, rho0, tf, method=TIGHT)
    P = A * w * np.cos(w * tf) * np.einsum("ab,tba->t", SX, fine.states).real
    W = np.sum(0.5 * (P[1:] + P[:-1]) * np.diff(tf))
    assert abs(led.integrated_work[-1] - W) < 1e-8
    # the running heat integral against the same rule
    J = qb.thermo.heat_currents(H, fine)[:, 0]
    Q = np.sum(0.5 * (J[1:] + J[:-1]) * np.diff(tf))
    assert abs(led.integrated_heat[-1, 0] - Q) < 1e-8


def test_array_coefficient_uses_the_spline_derivative():
    from scipy.interpolate import CubicSpline

    gen = davies_qubit()
    t = np.linspace(0, 5, 101)
    samples = 0.2 * np.cos(0.8 * t) ** 2
    H = [gen, [SX, samples]]
    res = qb.mesolve(H, np.diag([0.3, 0.7]), t, method=TIGHT)
    slope = CubicSpline(t, samples, bc_type="not-a-knot").derivative()(t)
    P = slope * np.einsum("ab,tba->t", SX, res.states).real
    assert np.allclose(qb.thermo.power(H, res), P, atol=1e-13)
    # close to the slope of the sampled function itself
    exact = -0.2 * 0.8 * np.sin(1.6 * t) * np.einsum("ab,tba->t", SX, res.states).real
    assert np.allclose(P, exact, atol=1e-4)
    step = qb.thermo.power(H, res, interpolation="step")
    assert np.all(step == 0)


def test_exact_derivative_and_step_option():
    A, w = 0.25, 2.0
    _, H, res = driven_qubit(A, w, np.linspace(0, 4, 81))
    exact = qb.thermo.ledger(H, res, dH_dt=lambda s: -A * w * np.sin(w * s) * SX)
    fd = qb.thermo.ledger(H, res)
    assert np.allclose(exact.work, fd.work, atol=1e-10)
    rough = qb.thermo.ledger(H, res, derivative_step=1e-2)
    assert 1e-7 < np.max(np.abs(rough.work - exact.work)) < 1e-4  # error ~ h^2 w^2 / 6


def test_adiabatic_davies_entropy_production_is_nonnegative():
    """Slow drive with the adiabatic master equation: Spohn's inequality at every time and bath,
    and the first law against the finite difference of U(t) from the stored states."""
    hot = qb.OhmicBath(alpha=0.05, cutoff=8.0, temperature=1.5)
    cold = qb.OhmicBath(alpha=0.03, cutoff=8.0, temperature=0.4)

    def Hf(t):
        return 0.5 * (1.0 + 0.5 * np.sin(0.05 * t)) * SZ + 0.2 * SX

    ad = qb.adiabatic_davies(Hf, [(SX, hot), (SY, cold)], interval=(0.0, 20.0))
    t = np.linspace(0, 20, 201)
    res = qb.mesolve(ad, np.diag([0.9, 0.1]), t, method=ADIAB)
    led = qb.thermo.ledger(ad, res)
    assert np.all(led.entropy_production_per_bath >= -1e-12)
    assert np.all(led.temperatures == [1.5, 0.4])
    U = energy(np.stack([Hf(s) for s in t]), res.states)
    assert np.allclose(led.energy, U, atol=1e-14)
    err = np.abs(d4(U, t[1] - t[0]) - (led.heat.sum(axis=1) + led.work)[2:-2])
    assert np.max(err) < 5e-6  # the stencil's (dt = 0.1)^4 error during the initial relaxation
    assert np.max(err[t[2:-2] > 10]) < 1e-9
    P = 0.5 * 0.5 * 0.05 * np.cos(0.05 * t) * np.einsum("ab,tba->t", SZ, res.states).real
    assert np.allclose(led.work, P, atol=1e-10)
    assert np.max(np.abs(led.first_law_residual)) < 1e-12


def test_static_bath_under_slow_strong_drive_can_violate_spohn():
    """The bath of the static H does not know the instantaneous levels: sigma < 0 at some times,
    while the adiabatic master equation of the same H(t) keeps sigma >= 0."""
    bath = qb.OhmicBath(alpha=0.05, cutoff=8.0, temperature=0.5)
    gen = qb.davies(0.5 * SZ, [(SX, bath)])
    H = [gen, [SX, lambda t: np.cos(0.05 * t)]]
    t = np.linspace(0, 40, 81)
    res = qb.mesolve(H, np.diag([0.3, 0.7]), t, method=TIGHT)
    assert qb.thermo.entropy_production_rate(H, res).min() < -1e-3
    ad = qb.adiabatic_davies(lambda s: 0.5 * SZ + np.cos(0.05 * s) * SX, [(SX, bath)])
    # Spohn's inequality holds at every state, so a loose tolerance suffices here
    res_ad = qb.mesolve(ad, np.diag([0.3, 0.7]), t, method=qb.Dopri5(rtol=1e-7, atol=1e-9))
    assert qb.thermo.entropy_production_rate(ad, res_ad).min() >= -1e-12


def test_driven_bad_input():
    gen = davies_qubit()
    H = [gen, [SX, lambda t: 0.1 * np.cos(t)]]
    t = np.linspace(0, 1, 11)
    res = qb.mesolve(H, np.diag([0.3, 0.7]), t)
    with pytest.raises(qb.InputError, match="^dH_dt"):
        qb.thermo.ledger(H, res, dH_dt=np.eye(2))
    with pytest.raises(qb.InputError, match="^derivative_step"):
        qb.thermo.ledger(H, res, derivative_step=-1.0)
    with pytest.raises(qb.InputError, match="^energy"):
        qb.thermo.heat_currents(H, res, energy=SZ)
    with pytest.raises(qb.InputError, match="^times"):
        qb.thermo.heat_currents(H, res.states)
    with pytest.raises(qb.InputError, match="^times"):
        qb.thermo.heat_currents(H, res.states, times=t[:-1])
    with pytest.raises(qb.InputError, match="^args"):
        qb.thermo.heat_currents(gen, res, args={"a": 1})
    with pytest.raises(qb.InputError, match=r"^c_ops\[0\]"):
        qb.thermo.ledger(([0.5 * SZ, [SX, np.cos]], [[qb.sigmam(), np.cos]]), res)
    with pytest.raises(qb.InputError, match="^c_ops"):
        qb.thermo.ledger(([gen, [SX, np.cos]], [qb.sigmam()]), res)
    with pytest.raises(qb.InputError, match="string"):
        qb.thermo.ledger([gen, [SX, "cos(t)"]], res)
    # a single state with its time
    J = qb.thermo.heat_currents(H, res.states[3], times=t[3])
    assert np.allclose(J, qb.thermo.heat_currents(H, res)[3])
