"""mesolve_batch: member by member equal to single mesolve calls (to solver tolerance), and to an
independent matrix exponential of each member's Liouvillian."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import qbath as qb
from conftest import rand_dm, rand_herm
from qbath.solve._batched import mesolve_batch


def two_qubit_members(rng, B):
    sm = qb.sigmam()
    ops = [np.kron(sm, np.eye(2)), np.kron(np.eye(2), sm), np.kron(qb.sigmaz(), np.eye(2))]
    H0 = np.kron(qb.sigmaz(), np.eye(2)) + 0.7 * np.kron(np.eye(2), qb.sigmaz())
    Hx = np.kron(qb.sigmax(), qb.sigmax())
    Hs = np.array([H0 + g * Hx for g in rng.uniform(0.1, 1.0, B)])
    rates = rng.uniform(0.05, 1.0, (B, 3))
    return Hs, ops, rates


@pytest.mark.parametrize("store", [True, False])
def test_batch_equals_loop_and_expm(rng, store):
    B = 6
    Hs, ops, rates = two_qubit_members(rng, B)
    rho0 = np.array([rand_dm(4, rng) for _ in range(B)])
    t = np.linspace(0, 5, 11)
    Z = np.kron(qb.sigmaz(), np.eye(2))
    res = mesolve_batch(
        Hs, rho0, t, ops, rates=rates, e_ops=[Z], rtol=1e-9, atol=1e-11, store_states=store
    )
    assert res.final_state.shape == (B, 4, 4) and res.expect[0].shape == (B, 11)
    for b in range(B):
        c = [np.sqrt(rates[b, k]) * ops[k] for k in range(3)]
        single = qb.mesolve(
            Hs[b], rho0[b], t, c, e_ops=[Z], method=qb.Dopri5(rtol=1e-9, atol=1e-11)
        )
        assert np.allclose(res.expect[0][b], single.expect[0], atol=1e-7)
        L = qb.solve.liouvillian((Hs[b], c))
        exact = (sla.expm(L * 5.0) @ rho0[b].ravel(order="F")).reshape(4, 4, order="F")
        assert np.allclose(res.final_state[b], exact, atol=1e-8)
        if store:
            assert np.allclose(res.states[b], single.states, atol=1e-7)
    assert (res.states is None) == (not store)


def test_matrix_form_path_for_larger_d(rng):
    d, B = 10, 3
    Hs = np.array([rand_herm(d, rng) for _ in range(B)])
    L = 0.4 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)))
    psi = np.eye(d)[0]
    t = np.linspace(0, 1, 4)
    res = mesolve_batch(Hs, psi, t, [L], e_ops=[Hs[0]], rtol=1e-9, atol=1e-11)
    for b in range(B):
        single = qb.mesolve(
            Hs[b], psi, t, [L], e_ops=[Hs[0]], method=qb.Dopri5(rtol=1e-9, atol=1e-11)
        )
        assert np.allclose(res.expect[0][b], single.expect[0], atol=1e-7)
        assert np.allclose(res.final_state[b], single.final_state, atol=1e-7)


def test_bad_batch_input(rng):
    Hs, ops, rates = two_qubit_members(rng, 4)
    rho0 = np.eye(4) / 4
    with pytest.raises(qb.InputError, match="batch"):
        mesolve_batch(Hs, rho0, [0, 1], ops, rates=rates[:3])
    with pytest.raises(qb.InputError, match="rates"):
        mesolve_batch(Hs, rho0, [0, 1], ops, rates=-rates)
    with pytest.raises(qb.InputError, match="rho0"):
        mesolve_batch(Hs, 2 * rho0, [0, 1], ops)


def test_steady_state_and_propagator_batch_equal_single_calls(rng):
    from qbath.solve import propagator_batch, steady_state_batch

    B = 5
    Hs, ops, rates = two_qubit_members(rng, B)
    ss = steady_state_batch(Hs, ops, rates=rates)
    P = propagator_batch(Hs, 1.3, ops, rates=rates)
    assert ss.shape == (B, 4, 4) and P.shape == (B, 16, 16)
    for b in range(B):
        c = [np.sqrt(rates[b, k]) * ops[k] for k in range(3)]
        assert np.allclose(ss[b], qb.steady_state((Hs[b], c), method="direct"), atol=1e-12)
        assert np.allclose(P[b], sla.expm(qb.solve.liouvillian((Hs[b], c)) * 1.3), atol=1e-12)
        assert np.allclose(P[b], qb.propagator(Hs[b], 1.3, c), atol=1e-12)
    # a degenerate member (no dissipation on a diagonal H) raises
    with pytest.raises(qb.NonUniqueSteadyStateError, match="batch member 1"):
        steady_state_batch(Hs[:2], [np.kron(qb.sigmam(), np.eye(2))], rates=np.array([1.0, 0.0]))


def test_batch_result_dataset(rng):
    pytest.importorskip("xarray")
    Hs, ops, rates = two_qubit_members(rng, 3)
    res = mesolve_batch(Hs, np.eye(4) / 4, [0, 0.5, 1.0], ops, rates=rates, e_ops={"Z": Hs[0]})
    ds = res.to_dataset(states=True)
    assert ds["expect_Z"].dims == ("batch", "time") and ds["expect_Z"].shape == (3, 3)
    assert np.allclose(ds["expect_Z"].values, res.expect["Z"])
    assert ds["states"].shape == (3, 3, 4, 4)
