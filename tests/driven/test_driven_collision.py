"""Driven collision models: first law per collision, and the continuum limit.

A qubit meets thermal qubit ancillae through an exchange coupling g(σ+σ_E^- + σ-σ_E^+) while its
Hamiltonian is driven, H_S(t) = (ω/2)σz + A cos(Ωt)σx. As δt → 0 at fixed g²δt = γ the collision
model approaches the driven local master equation with D[σ-] at rate γ(1 - p) and D[σ+] at rate γp,
p the ancilla's excited population (the second-order expansion of one collision: each collision
transfers (gδt)²⟨σ_E^∓σ_E^±⟩ per dissipator, one collision per δt). The reference is qb.mesolve with
the list form, an independent code path.
"""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb

W, BETA, A, OMEGA, GAMMA = 1.0, 1.0, 0.3, 1.0, 0.2


def _model(dt: float) -> qb.collision.CollisionModel:
    g = np.sqrt(GAMMA / dt)
    sp_, sm = qb.sigmap(), qb.sigmam()
    hse = g * (np.kron(sp_, sm) + np.kron(sm, sp_))
    return qb.collision.CollisionModel(
        h_s=0.5 * W * qb.sigmaz(), h_e=0.5 * W * qb.sigmaz(), h_se=hse, dt=dt, beta=BETA
    )


def _h(t: float) -> np.ndarray:
    return 0.5 * W * qb.sigmaz() + A * np.cos(OMEGA * t) * qb.sigmax()


def test_driven_collision_model_first_law_and_work():
    res = qb.collision.evolve(_model(0.05), qb.ket2dm(qb.basis(2, 1)), 200, h_s_sequence=_h)
    assert np.abs(res.first_law_residual).max() < 1e-12
    assert np.abs(res.work).max() > 1e-4  # the drive does work on the system
    seq = qb.collision.driven_sequence(_h, 3, 0.05)
    np.testing.assert_allclose(seq[1], _h(0.075))


def test_driven_collision_model_approaches_the_driven_local_master_equation():
    T = 6.0
    p = np.exp(-BETA * W / 2) / (2 * np.cosh(BETA * W / 2))
    tl = np.linspace(0, T, 7)
    ref = qb.mesolve(
        [0.5 * W * qb.sigmaz(), [qb.sigmax(), lambda t: A * np.cos(OMEGA * t)]],
        qb.ket2dm(qb.basis(2, 1)),
        tl,
        c_ops=[np.sqrt(GAMMA * (1 - p)) * qb.sigmam(), np.sqrt(GAMMA * p) * qb.sigmap()],
        e_ops=[qb.sigmaz(), qb.sigmax()],
        method=qb.Dopri5(rtol=1e-10, atol=1e-12),
    )
    errors = []
    for dt in (0.04, 0.02, 0.01):
        res = qb.collision.evolve(
            _model(dt), qb.ket2dm(qb.basis(2, 1)), int(round(T / dt)), h_s_sequence=_h
        )
        states = res.states[(tl / dt).round().astype(int)]
        sz = np.einsum("ij,nji->n", qb.sigmaz(), states).real
        sx = np.einsum("ij,nji->n", qb.sigmax(), states).real
        errors.append(max(np.abs(sz - ref.expect[0]).max(), np.abs(sx - ref.expect[1]).max()))
    assert errors[-1] < 2e-4
    order = np.polyfit(np.log([0.04, 0.02, 0.01]), np.log(errors), 1)[0]
    assert order == pytest.approx(1.0, abs=0.2)
