"""Continuous-time power through T (prescribed picture) and the convergence of the stepwise sum.

References: the seed's stepwise sum (dst_work) converging to the integral, with a fitted order; a
numerical time derivative of the mean-field Hamiltonian matrix (independent of the closed-form rate);
QuTiP's sesolve for S's state; the first law; the seed's first display (corrected and as printed).
"""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb

# a smooth protocol in which D and T both move
TH_D = lambda t: np.pi / 2 + 0.2 * np.cos(t)  # noqa: E731
PH_D = lambda t: 0.3 * t  # noqa: E731
TH_T = lambda t: np.pi / 2 + 0.6 * np.sin(1.3 * t)  # noqa: E731
PH_T = lambda t: 0.5 * t + 0.2 * t**2  # noqa: E731
DTH_T = lambda t: 0.6 * 1.3 * np.cos(1.3 * t)  # noqa: E731
DPH_T = lambda t: 0.5 + 0.4 * t  # noqa: E731


def test_stepwise_sum_converges_to_the_integral_at_first_order():
    T = 3.0
    ref = qb.drive.dst_power(
        TH_D, PH_D, TH_T, PH_T, [0.0, T], method=qb.DOP853(rtol=1e-12, atol=1e-14)
    ).work[-1]
    ns = np.array([50, 100, 200, 400, 800, 1600])
    errs = []
    for n in ns:
        t = np.linspace(0.0, T, n + 1)
        w = qb.drive.dst_work(TH_D(t), PH_D(t), TH_T(t), PH_T(t), T / n).total_work
        errs.append(abs(w - ref))
    errs = np.array(errs)
    slope = np.polyfit(np.log(T / ns), np.log(errs), 1)[0]
    assert abs(ref) > 0.05
    assert np.all(np.diff(errs) < 0)
    assert slope == pytest.approx(1.0, abs=0.05)
    assert errs[-1] < 2e-3


def test_power_formula_against_numerical_derivative_of_the_hamiltonian():
    t = np.linspace(0.0, 4.0, 41)
    res = qb.drive.dst_power(TH_D, PH_D, TH_T, PH_T, t)
    h = 1e-5
    dH = (
        qb.drive.dst_mean_field_hamiltonian(TH_D(t), PH_D(t), TH_T(t + h), PH_T(t + h))
        - qb.drive.dst_mean_field_hamiltonian(TH_D(t), PH_D(t), TH_T(t - h), PH_T(t - h))
    ) / (2 * h)
    p_num = -np.einsum("tij,tji->t", res.rho_s, dH).real
    np.testing.assert_allclose(res.power, p_num, atol=1e-8)
    assert np.max(np.abs(res.power)) > 0.1
    # the integrated work is the integral of the power
    tf = np.linspace(0.0, 4.0, 4001)
    fine = qb.drive.dst_power(TH_D, PH_D, TH_T, PH_T, tf)
    trap = np.concatenate([[0], np.cumsum(0.5 * (fine.power[1:] + fine.power[:-1]) * np.diff(tf))])
    np.testing.assert_allclose(fine.work, trap, atol=1e-6)


def test_seed_first_display_sign_and_sin_slip():
    """The seed's last line: (1/2) dW/dt = Im i<s+> e^{i phi}(cos(th) th'/2 + i phi' sin(th/2)).

    Right is sin(th)/2 in the phi' term, and the display's W is minus the stepwise W (its dW/dt is
    +Tr[rho dH/dt], the energy T's motion puts into the chain)."""
    t = np.linspace(0.1, 3.0, 30)
    res = qb.drive.dst_power(TH_D, PH_D, TH_T, PH_T, t)
    sp = res.rho_s[:, 1, 0]  # <sigma_+>
    th, ph, dth, dph = TH_T(t), PH_T(t), DTH_T(t), DPH_T(t)

    def display(sin_term):
        return 2 * np.imag(1j * sp * np.exp(1j * ph) * (np.cos(th) * dth / 2 + 1j * dph * sin_term))

    corrected = display(np.sin(th) / 2)
    printed = display(np.sin(th / 2))
    np.testing.assert_allclose(corrected, -res.power, atol=1e-9)
    assert np.max(np.abs(printed + res.power)) > 0.05


def test_prescribed_state_matches_qutip_sesolve():
    qutip = pytest.importorskip("qutip")
    t = np.linspace(0.0, 3.0, 31)
    res = qb.drive.dst_power(TH_D, PH_D, TH_T, PH_T, t)

    def alpha(tt, args=None):
        return 0.5 * (
            np.sin(TH_D(tt)) * np.exp(1j * PH_D(tt)) + np.sin(TH_T(tt)) * np.exp(1j * PH_T(tt))
        )

    H = qutip.QobjEvo(
        [[qutip.sigmap(), alpha], [qutip.sigmam(), lambda tt, args=None: np.conj(alpha(tt))]]
    )
    out = qutip.sesolve(H, qutip.basis(2, 1), t, options={"atol": 1e-12, "rtol": 1e-10})
    rho_q = np.array([s.proj().full() for s in out.states])
    np.testing.assert_allclose(res.rho_s, rho_q, atol=1e-7)


def test_first_law_prescribed():
    t = np.linspace(0.0, 5.0, 101)
    res = qb.drive.dst_power(TH_D, PH_D, TH_T, PH_T, t, rho0=qb.bloch_state([0.3, -0.2, 0.5]))
    np.testing.assert_allclose(res.energy - res.energy[0], -(res.work + res.work_d), atol=1e-9)
    assert np.max(np.abs(res.work_d)) > 0.01 and np.max(np.abs(res.work)) > 0.01


def test_angle_specifications_agree():
    t = np.linspace(0.0, 3.0, 601)
    a = qb.drive.dst_power(np.pi / 2, 0.0, TH_T, PH_T, t)
    b = qb.drive.dst_power(np.pi / 2, 0.0, (TH_T, DTH_T), (PH_T, DPH_T), t)
    c = qb.drive.dst_power(np.full(t.size, np.pi / 2), 0.0, TH_T(t), PH_T(t), t)
    np.testing.assert_allclose(a.power, b.power, atol=1e-9)
    np.testing.assert_allclose(c.work, b.work, atol=1e-6)
    # a callable that only accepts scalars is evaluated point by point
    d = qb.drive.dst_power(np.pi / 2, 0.0, lambda s: float(TH_T(s)), PH_T, t[:50])
    np.testing.assert_allclose(d.power, b.power[:50], atol=1e-9)
    assert a.meta["picture"] == "prescribed" and a.rho is None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(times=[0.0, 1.0, 0.5]), "times: expected strictly increasing"),
        (dict(times=[[0.0, 1.0]]), "times: expected at most 1 dimension"),
        (dict(times=[0.0]), "times: expected a 1-D array of at least 2"),
        (dict(theta_t=np.zeros(4)), "theta_t: expected a scalar, a callable or samples"),
        (dict(phi_t=lambda t: 1j * t), "phi_t: expected real values"),
        (dict(theta_d=lambda t: np.nan * t), "theta_d: expected finite values"),
        (dict(rho0=np.eye(2)), "rho0: expected a density matrix with unit trace"),
        (dict(picture="classical"), "picture: expected one of"),
        (dict(pinning=-1.0), "pinning: expected a value >= 0"),
        (dict(coupling=np.nan), "coupling: expected a finite real number"),
    ],
)
def test_bad_input_continuous(kwargs, match):
    args = dict(theta_d=0.3, phi_d=0.0, theta_t=TH_T, phi_t=PH_T, times=[0.0, 0.5, 1.0])
    args.update(kwargs)
    with pytest.raises(qb.InputError, match=match):
        qb.drive.dst_dynamics(**args)
