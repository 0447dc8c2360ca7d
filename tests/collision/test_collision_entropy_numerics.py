"""Entropy production of the collision ledger at large beta, against a 40-digit reference.

The reference builds eta = exp(-beta H_E)/Z, the collision unitary and the outgoing ancilla with
mpmath, and evaluates S(eta_out || eta) = sum_k p_k ln p_k + beta Tr[eta_out H_E] + ln Z from the
closed-form logarithm of the thermal state (never the logarithm of a numerically built eta).
"""

import mpmath as mp
import numpy as np
import pytest

import qbath as qb


def _mp(a):
    return mp.matrix([[mp.mpc(complex(x)) for x in row] for row in np.asarray(a)])


def _ptrace_sys(R, d_s, d_e):
    """Trace over the ancilla (second factor) and over the system (first factor)."""
    rs = mp.matrix(d_s, d_s)
    re = mp.matrix(d_e, d_e)
    for i in range(d_s):
        for j in range(d_s):
            rs[i, j] = mp.fsum(R[i * d_e + k, j * d_e + k] for k in range(d_e))
    for a in range(d_e):
        for b in range(d_e):
            re[a, b] = mp.fsum(R[i * d_e + a, i * d_e + b] for i in range(d_s))
    return rs, re


def _reference(model, rho0, n):
    mp.mp.dps = 40
    d_s, d_e = model.d_s, model.d_e
    beta = mp.mpf(model.beta)
    HE = _mp(model.h_e)
    G = mp.expm(-beta * HE)
    Z = mp.re(sum(G[k, k] for k in range(d_e)))
    eta = G / Z
    U = mp.expm(-1j * mp.mpf(model.dt) * _mp(model.total_hamiltonian()))
    rho = _mp(rho0)
    out = []
    for _ in range(n):
        R = mp.matrix(d_s * d_e, d_s * d_e)
        for i in range(d_s):
            for j in range(d_s):
                for a in range(d_e):
                    for b in range(d_e):
                        R[i * d_e + a, j * d_e + b] = rho[i, j] * eta[a, b]
        R = U * R * U.H
        rho, eta_out = _ptrace_sys(R, d_s, d_e)
        eta_out = (eta_out + eta_out.H) / 2
        p, _ = mp.eighe(eta_out)
        neg_s = mp.fsum(x * mp.log(x) for x in p if x > 0)
        e_out = mp.re(sum((eta_out * HE)[k, k] for k in range(d_e)))
        out.append(float(neg_s + beta * e_out + mp.log(Z)))
    return np.array(out)


@pytest.mark.parametrize("beta", [20.0, 60.0])
def test_relative_entropy_at_large_beta_matches_thermal_log(beta):
    m = qb.collision.structured_example2(1.0, 0.5, 1.5, 1.0, 0.3, beta=beta, dt=0.1)
    rho0 = qb.thermal_state(m.h_s, 1.0)
    r = qb.collision.evolve(m, rho0, 3)
    want = _reference(m, rho0, 3)
    assert np.all(np.isfinite(r.entropy_production))
    assert np.allclose(r.relative_entropy, want, rtol=1e-7, atol=1e-14)
    assert np.allclose(
        r.entropy_production, r.mutual_information + r.relative_entropy, rtol=0, atol=1e-15
    )


def test_tiny_relative_entropy_at_beta_20():
    """A weak, short collision: S(eta_out || eta) ~ 1e-7, resolved rather than inf."""
    m = qb.collision.structured_example2(1.0, 0.5, 1.5, 1.0, 0.3, beta=20.0, dt=0.002)
    rho0 = qb.thermal_state(m.h_s, 1.0)
    r = qb.collision.evolve(m, rho0, 1)
    want = _reference(m, rho0, 1)
    assert want[0] < 1e-5
    assert r.relative_entropy[0] == pytest.approx(want[0], rel=1e-5)


def test_public_relative_entropy_of_large_beta_gibbs_states():
    """S(rho || eta) for Gibbs states of a rotated H whose eigenvalues go down to 1e-26."""
    E = np.array([0.0, 1.0, 2.0, 3.0])
    th = 0.4
    c, s = np.cos(th), np.sin(th)
    V = np.kron(np.array([[c, -s], [s, c]]), np.array([[c, 1j * s], [1j * s, c]]))
    H = V @ np.diag(E) @ V.conj().T
    b_rho, beta = 25.0, 20.0
    # closed form for commuting Gibbs states: sum p ln p + beta <H>_rho + ln Z_beta
    p = np.exp(-b_rho * E) / np.exp(-b_rho * E).sum()
    want = float(np.sum(p * np.log(p)) + beta * np.sum(p * E) + np.log(np.exp(-beta * E).sum()))
    rho, eta = qb.thermal_state(H, b_rho), qb.thermal_state(H, beta)
    assert qb.relative_entropy(
        rho, eta, log_sigma=qb._states.thermal_log(H, beta)
    ) == pytest.approx(want, rel=1e-9)
    assert qb.relative_entropy(rho, eta) == pytest.approx(want, rel=1e-9)
    # a genuine support mismatch stays inf
    assert qb.relative_entropy(np.eye(2) / 2, np.diag([1.0, 0.0])) == np.inf
    with pytest.raises(qb.InputError, match="log_sigma: expected the logarithm of sigma"):
        qb.relative_entropy(rho, eta, log_sigma=qb._states.thermal_log(H, 2.0))
