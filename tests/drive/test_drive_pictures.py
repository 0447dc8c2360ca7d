"""Exact three-qubit dynamics and the self-consistent mean field (beyond seed 000).

References: QuTiP's sesolve on D (x) S (x) T with the Hamiltonian and controls rebuilt here from
qutip operators and the seed's kets; a product-state solver written with kets and 2x2 matrices and a
fixed-step RK4 (independent of the Bloch-vector code); the first law; free-qubit transport (g = 0);
linearity in rho0; the strong-pinning limit, where both pictures must approach the seed's.
"""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb

TH_D = lambda t: np.pi / 2 + 0.3 * np.sin(0.7 * t)  # noqa: E731
PH_D = lambda t: -0.4 * t  # noqa: E731
TH_T = lambda t: np.pi / 2 + 0.6 * np.sin(1.3 * t)  # noqa: E731
PH_T = lambda t: 0.5 * t + 0.1 * t**2  # noqa: E731
PROTO = (TH_D, PH_D, TH_T, PH_T)


def seed_ket_qbath(theta, phi):
    """cos(th/2)|0>_seed + e^{i phi} sin(th/2)|1>_seed with |0>_seed = |down>, |1>_seed = |up>."""
    return np.array([np.exp(1j * phi) * np.sin(theta / 2), np.cos(theta / 2)])


def control_field(theta, phi, t, pinning, h=1e-5):
    """h with H_c = h . sigma: (n x n')/2 - pinning n / 2, n' by a central difference."""

    def n(tt):
        psi = seed_ket_qbath(theta(tt), phi(tt))
        rho = np.outer(psi, psi.conj())
        return np.array([2 * rho[0, 1].real, -2 * rho[0, 1].imag, (rho[0, 0] - rho[1, 1]).real])

    nn = n(t)
    nd = (n(t + h) - n(t - h)) / (2 * h)
    return 0.5 * np.cross(nn, nd) - 0.5 * pinning * nn


def test_exact_picture_matches_qutip_sesolve():
    qutip = pytest.importorskip("qutip")
    g, pin = 0.8, 2.0
    t = np.linspace(0.0, 3.0, 61)
    res = qb.drive.dst_dynamics(*PROTO, t, picture="exact", coupling=g, pinning=pin)

    I2 = qutip.qeye(2)
    sp, sm = qutip.sigmap(), qutip.sigmam()
    h_i = qutip.tensor(sp, sm) + qutip.tensor(sm, sp)
    H0 = g * (qutip.tensor(h_i, I2) + qutip.tensor(I2, h_i))
    paulis = [qutip.sigmax(), qutip.sigmay(), qutip.sigmaz()]
    sig_d = [qutip.tensor(p, I2, I2) for p in paulis]
    sig_t = [qutip.tensor(I2, I2, p) for p in paulis]

    def hc(tt, which):
        th, ph, sig = (TH_D, PH_D, sig_d) if which == "d" else (TH_T, PH_T, sig_t)
        f = control_field(th, ph, tt, pin)
        return sum(float(c) * s for c, s in zip(f, sig, strict=True))

    H = qutip.QobjEvo(lambda tt, args=None: H0 + hc(tt, "d") + hc(tt, "t"))
    psi0 = qutip.tensor(
        qutip.Qobj(seed_ket_qbath(TH_D(0), PH_D(0))),
        qutip.basis(2, 1),  # the seed's |0> for S
        qutip.Qobj(seed_ket_qbath(TH_T(0), PH_T(0))),
    )
    out = qutip.sesolve(H, psi0, t, options={"atol": 1e-12, "rtol": 1e-10, "max_step": 0.01})
    rho_s = np.array([s.ptrace(1).full() for s in out.states])
    rho_t = np.array([s.ptrace(2).full() for s in out.states])
    np.testing.assert_allclose(res.rho_s, rho_s, atol=1e-6)
    np.testing.assert_allclose(res.rho_t, rho_t, atol=1e-6)
    # P_T = -i <[H_c^T, g H_DST]> from QuTiP's states and the work by the trapezoidal rule
    p_t = np.array(
        [
            qutip.expect(-1j * (hc(tt, "t") * H0 - H0 * hc(tt, "t")), s)
            for tt, s in zip(t, out.states, strict=True)
        ]
    ).real
    np.testing.assert_allclose(res.power, p_t, atol=1e-6)
    trap = np.concatenate([[0], np.cumsum(0.5 * (p_t[1:] + p_t[:-1]) * np.diff(t))])
    np.testing.assert_allclose(res.work, trap, atol=5e-3)  # trapezoid error on a 0.05 grid
    assert np.max(np.abs(res.work)) > 0.05


def product_state_mean_field(t_grid, g, pin, rho_s0, steps_per_interval=40):
    """Product state of kets/density matrices under mutual mean fields, fixed-step RK4 (reference)."""
    sp = np.array([[0, 1], [0, 0]], dtype=complex)
    sm = sp.T.copy()
    paulis = [qb.sigmax(), qb.sigmay(), qb.sigmaz()]

    def hc(th, ph, tt):
        return sum(c * p for c, p in zip(control_field(th, ph, tt, pin), paulis, strict=True))

    def rhs(tt, state):
        rd, rs, rt = state
        # <sigma_-> of a neighbour multiplies sigma_+ of the site: H_I = s+ s- + s- s+
        m_s = np.trace(rs @ sm)
        H_d = g * (m_s * sp + np.conj(m_s) * sm) + hc(TH_D, PH_D, tt)
        m = np.trace(rd @ sm) + np.trace(rt @ sm)
        H_s = g * (m * sp + np.conj(m) * sm)
        H_t = g * (m_s * sp + np.conj(m_s) * sm) + hc(TH_T, PH_T, tt)
        return [-1j * (H @ r - r @ H) for H, r in ((H_d, rd), (H_s, rs), (H_t, rt))]

    def dm(psi):
        return np.outer(psi, psi.conj())

    state = [dm(seed_ket_qbath(TH_D(0), PH_D(0))), rho_s0, dm(seed_ket_qbath(TH_T(0), PH_T(0)))]
    out = [state]
    for t0, t1 in zip(t_grid[:-1], t_grid[1:], strict=True):
        h = (t1 - t0) / steps_per_interval
        tt = t0
        for _ in range(steps_per_interval):
            k1 = rhs(tt, state)
            k2 = rhs(tt + h / 2, [s + h / 2 * k for s, k in zip(state, k1, strict=True)])
            k3 = rhs(tt + h / 2, [s + h / 2 * k for s, k in zip(state, k2, strict=True)])
            k4 = rhs(tt + h, [s + h * k for s, k in zip(state, k3, strict=True)])
            state = [
                s + h / 6 * (a + 2 * b + 2 * c + d)
                for s, a, b, c, d in zip(state, k1, k2, k3, k4, strict=True)
            ]
            tt += h
        out.append(state)
    return [np.array(x) for x in zip(*out, strict=True)]


def test_mean_field_picture_matches_independent_product_state_solver():
    t = np.linspace(0.0, 3.0, 16)
    rho_s0 = qb.bloch_state([0.2, -0.5, -0.6])
    res = qb.drive.dst_dynamics(
        *PROTO, t, picture="mean_field", coupling=1.2, pinning=1.5, rho0=rho_s0
    )
    rd, rs, rt = product_state_mean_field(t, 1.2, 1.5, rho_s0)
    np.testing.assert_allclose(res.rho_d, rd, atol=1e-7)
    np.testing.assert_allclose(res.rho_s, rs, atol=1e-7)
    np.testing.assert_allclose(res.rho_t, rt, atol=1e-7)
    # each qubit's purity is conserved in the mean-field picture
    np.testing.assert_allclose(qb.purity(res.rho_s), qb.purity(rho_s0), atol=1e-9)
    np.testing.assert_allclose(qb.purity(res.rho_t), 1.0, atol=1e-9)


@pytest.mark.parametrize("picture", ["exact", "mean_field"])
def test_first_law(picture):
    t = np.linspace(0.0, 4.0, 81)
    res = qb.drive.dst_dynamics(
        *PROTO, t, picture=picture, pinning=0.7, rho0=qb.bloch_state([0.1, 0.4, 0.2])
    )
    np.testing.assert_allclose(res.energy - res.energy[0], -(res.work + res.work_d), atol=1e-8)
    assert np.max(np.abs(res.work)) > 0.01 and np.max(np.abs(res.work_d)) > 0.01


@pytest.mark.parametrize("picture", ["exact", "mean_field"])
def test_free_qubits_follow_the_protocol(picture):
    # g = 0: the control alone must move D and T along |psi(theta(t), phi(t))> for any pinning
    t = np.linspace(0.0, 3.0, 31)
    res = qb.drive.dst_dynamics(*PROTO, t, picture=picture, coupling=0.0, pinning=3.0)
    kets = np.stack([seed_ket_qbath(TH_T(tt), PH_T(tt)) for tt in t])
    np.testing.assert_allclose(res.rho_t, np.einsum("ti,tj->tij", kets, kets.conj()), atol=1e-8)
    kets = np.stack([seed_ket_qbath(TH_D(tt), PH_D(tt)) for tt in t])
    np.testing.assert_allclose(res.rho_d, np.einsum("ti,tj->tij", kets, kets.conj()), atol=1e-8)
    np.testing.assert_allclose(res.rho_s, np.diag([0, 1]) + 0 * res.rho_s, atol=1e-12)
    np.testing.assert_allclose(res.work, 0.0, atol=1e-12)


@pytest.mark.parametrize("picture", ["exact", "mean_field"])
def test_static_protocol_conserves_energy_and_does_no_work(picture):
    t = np.linspace(0.0, 5.0, 51)
    res = qb.drive.dst_dynamics(1.0, 0.3, 2.0, -0.5, t, picture=picture)
    np.testing.assert_allclose(res.work, 0.0, atol=1e-14)
    np.testing.assert_allclose(res.energy, res.energy[0], atol=1e-9)
    assert np.max(np.abs(res.rho_s - res.rho_s[0])) > 0.1  # S does move


def test_exact_is_linear_in_rho0_and_pure_states_stay_pure():
    t = np.linspace(0.0, 2.0, 21)
    p = 0.3
    up = qb.drive.dst_dynamics(*PROTO, t, rho0=np.diag([1.0, 0.0]), pinning=0.5)
    dn = qb.drive.dst_dynamics(*PROTO, t, rho0=np.diag([0.0, 1.0]), pinning=0.5)
    mix = qb.drive.dst_dynamics(*PROTO, t, rho0=np.diag([p, 1 - p]), pinning=0.5)
    np.testing.assert_allclose(mix.rho, p * up.rho + (1 - p) * dn.rho, atol=1e-9)
    np.testing.assert_allclose(mix.work, p * up.work + (1 - p) * dn.work, atol=1e-9)
    np.testing.assert_allclose(qb.purity(up.rho), 1.0, atol=1e-9)
    assert up.rho.shape == (21, 8, 8) and mix.meta["picture"] == "exact"


def test_strong_pinning_recovers_the_seed_picture():
    t = np.linspace(0.0, 3.0, 61)
    pre = qb.drive.dst_power(*PROTO, t)
    errs = {}
    for picture in ("exact", "mean_field"):
        e = []
        for pin in (5.0, 20.0, 80.0):
            r = qb.drive.dst_dynamics(*PROTO, t, picture=picture, pinning=pin)
            e.append((abs(r.work[-1] - pre.work[-1]), np.max(np.abs(r.rho_s - pre.rho_s))))
        errs[picture] = np.array(e)
        assert np.all(np.diff(errs[picture], axis=0) < 0)  # both errors shrink with the pinning
        assert errs[picture][-1, 1] < 0.01
        assert errs[picture][-1, 0] < 0.02
    # without pinning the pictures part visibly
    r0 = qb.drive.dst_dynamics(*PROTO, t, picture="exact")
    assert abs(r0.work[-1] - pre.work[-1]) > 0.05
