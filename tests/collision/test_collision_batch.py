"""Batched collision fixed points equal the single-model solves member by member."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
import qbath.collision as C
from collision.test_collision_engine import random_structured_model


def example2_grid(ks, bs):
    """H_E(kappa) is linear in kappa: H_E(0) + kappa X (independent of the batch code)."""
    m0 = C.structured_example2(1.0, 0.5, 1.5, 0.0, 0.2, 1.0, 0.1)
    X = C.structured_example2(1.0, 0.5, 1.5, 1.0, 0.2, 1.0, 0.1).h_e - m0.h_e
    K, Bt = np.meshgrid(ks, bs, indexing="ij")
    return m0, m0.h_e + K.reshape(-1)[:, None, None] * X, Bt.reshape(-1)


@pytest.mark.parametrize("method", ["exact", "second_order"])
def test_example2_grid_batch_equals_loop(method):
    ks, bs = np.linspace(0.0, 2.0, 5), np.linspace(0.1, 10.0, 4)
    m0, he, bt = example2_grid(ks, bs)
    batch = C.steady_state_batch(m0, method, h_e=he, beta=bt)
    assert batch.shape == (20, 2, 2)
    loop = np.array(
        [
            C.steady_state(C.structured_example2(1.0, 0.5, 1.5, k, 0.2, b, 0.1), method)
            for k in ks
            for b in bs
        ]
    )
    assert np.allclose(batch, loop, atol=1e-12)


def test_random_models_batch_over_h_s_and_eta(rng):
    m = random_structured_model(rng, 3, (2, 2), dt=0.3)
    hs = np.array([m.h_s * s for s in (0.5, 1.0, 2.0)])
    etas = np.array([m.eta, qb.thermal_state(m.h_e, 0.7), np.eye(4) / 4])
    batch = C.steady_state_batch(m, h_s=hs, eta=etas)
    for b in range(3):
        single = C.steady_state(m.replace(h_s=hs[b], eta=etas[b]))
        assert np.allclose(batch[b], single, atol=1e-12)
        # independent check: one more collision leaves it unchanged
        assert np.allclose(
            C.evolve(m.replace(h_s=hs[b], eta=etas[b]), batch[b], 1).states[1], batch[b], atol=1e-11
        )


def test_batch_degenerate_member_and_bad_input():
    m = C.CollisionModel(h_s=qb.sigmaz(), h_e=qb.sigmaz(), h_se=np.zeros((4, 4)), dt=0.1, beta=1.0)
    with pytest.raises(qb.NonUniqueSteadyStateError, match="batch member 0"):
        C.steady_state_batch(m, beta=[1.0, 2.0])
    m2 = C.structured_example2(1.0, 0.5, 1.5, 0.3, 0.2, 1.0, 0.1)
    with pytest.raises(qb.InputError, match="beta"):
        C.steady_state_batch(m2, beta=[1.0, -2.0])
    with pytest.raises(qb.InputError, match="common length"):
        C.steady_state_batch(m2, beta=[1.0, 2.0], h_s=np.stack([m2.h_s] * 3))
    with pytest.raises(qb.InputError, match="at least one"):
        C.steady_state_batch(m2)


@pytest.mark.parametrize("method", ["exact", "second_order"])
def test_evolve_batch_equals_evolve_member_by_member(method, rng):
    ks, bs = np.linspace(0.0, 2.0, 3), np.array([0.5, 3.0])
    m0, he, bt = example2_grid(ks, bs)
    rho0 = np.array([[0.7, 0.2 - 0.1j], [0.2 + 0.1j, 0.3]])
    states = C.evolve_batch(m0, rho0, 25, method, h_e=he, beta=bt)
    assert states.shape == (6, 26, 2, 2)
    for b, (k, beta) in enumerate([(k, beta) for k in ks for beta in bs]):
        single = C.evolve(C.structured_example2(1.0, 0.5, 1.5, k, 0.2, beta, 0.1), rho0, 25, method)
        assert np.allclose(states[b], single.states, atol=1e-12)
    # one initial state per member
    per = C.evolve_batch(m0, np.stack([rho0, np.eye(2) / 2] * 3), 3, method, h_e=he, beta=bt)
    assert np.allclose(per[1, 0], np.eye(2) / 2)
    with pytest.raises(qb.InputError, match="rho0"):
        C.evolve_batch(m0, np.stack([rho0] * 2), 3, h_e=he, beta=bt)
