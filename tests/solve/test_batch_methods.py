"""mesolve_batch through the ODE layer's method objects: every method gives, member by member, what
an unbatched mesolve with the same method gives (to solver tolerance) and what the matrix
exponential of each member's Liouvillian gives; the shared step honours the worst member."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import qbath as qb
from conftest import rand_dm
from qbath.solve import mesolve_batch


def members(rng, B):
    """B two-qubit members: H_b = sz_1 + 0.7 sz_2 + g_b sx_1 sx_2, decay of both qubits and
    dephasing of the first at random rates (B, 3), a random initial state each."""
    sm, sz, sx, one = qb.sigmam(), qb.sigmaz(), qb.sigmax(), np.eye(2)
    g = rng.uniform(0.1, 1.0, B)
    Hs = (np.kron(sz, one) + 0.7 * np.kron(one, sz))[None] + g[:, None, None] * np.kron(sx, sx)
    ops = [np.kron(sm, one), np.kron(one, sm), np.kron(sz, one)]
    rates = rng.uniform(0.05, 1.0, (B, 3))
    return Hs, ops, rates, np.array([rand_dm(4, rng) for _ in range(B)])


def exact(H, c, rho0, t):
    """rho(t) from the matrix exponential of the column-stacking Liouvillian, member alone."""
    L = qb.solve.liouvillian((H, c))
    return np.array([(sla.expm(L * s) @ rho0.ravel(order="F")).reshape(4, 4, order="F") for s in t])


METHODS = {
    "dopri5": (qb.Dopri5(rtol=1e-9, atol=1e-11), 1e-7),
    "dop853": (qb.DOP853(rtol=1e-9, atol=1e-11), 1e-7),
    "bdf": (qb.BDF(rtol=1e-8, atol=1e-10), 2e-6),
    "rk4": (qb.RK4(dt=0.01), 1e-7),
}


@pytest.mark.parametrize("name", list(METHODS))
def test_every_method_equals_single_calls_and_expm(rng, name):
    method, tol = METHODS[name]
    B = 4
    Hs, ops, rates, rho0 = members(rng, B)
    t = np.linspace(0.0, 3.0, 7)
    Z = np.kron(qb.sigmaz(), np.eye(2))
    res = mesolve_batch(Hs, rho0, t, ops, rates=rates, e_ops={"Z": Z}, method=method)
    assert res.states.shape == (B, 7, 4, 4) and res.expect["Z"].shape == (B, 7)
    assert res.stats["method"] == name and res.meta["method"] == name
    for b in range(B):
        c = [np.sqrt(rates[b, k]) * ops[k] for k in range(3)]
        single = qb.mesolve(Hs[b], rho0[b], t, c, e_ops={"Z": Z}, method=method)
        assert np.allclose(res.states[b], single.states, atol=tol)
        assert np.allclose(res.expect["Z"][b], single.expect["Z"], atol=tol)
        assert np.allclose(res.states[b], exact(Hs[b], c, rho0[b], t), atol=tol)


def test_rk4_takes_the_steps_of_a_single_member(rng):
    """A fixed step: the batch is the single computation B times (to rounding)."""
    Hs, ops, rates, rho0 = members(rng, 3)
    t = np.linspace(0.0, 1.0, 5)
    res = mesolve_batch(Hs, rho0, t, ops, rates=rates, method=qb.RK4(dt=0.05))
    for b in range(3):
        c = [np.sqrt(rates[b, k]) * ops[k] for k in range(3)]
        single = qb.mesolve(Hs[b], rho0[b], t, c, method=qb.RK4(dt=0.05))
        assert np.abs(res.states[b] - single.states).max() < 1e-13
    assert res.stats["nsteps"] == single.stats["nsteps"] == 20


@pytest.mark.parametrize(
    "method", [qb.Dopri5(rtol=1e-6, atol=1e-8), qb.DOP853(rtol=1e-6, atol=1e-8)]
)
def test_a_fast_member_among_slow_ones_meets_its_tolerance(rng, method):
    """One member 30x faster than the others: it keeps the accuracy of its tolerance in the batch
    (the shared step is the one the worst member needs), and the slow members, carried along at
    its steps, are more accurate than alone."""
    B = 5
    Hs, ops, rates, rho0 = members(rng, B)
    Hs[2] *= 30.0
    rates[2] *= 30.0
    t = np.linspace(0.0, 2.0, 5)
    res = mesolve_batch(Hs, rho0, t, ops, rates=rates, method=method)
    err_batch, err_alone = [], []
    for b in range(B):
        c = [np.sqrt(rates[b, k]) * ops[k] for k in range(3)]
        ref = exact(Hs[b], c, rho0[b], t)
        alone = qb.mesolve(Hs[b], rho0[b], t, c, method=method)
        err_batch.append(np.abs(res.states[b] - ref).max())
        err_alone.append(np.abs(alone.states - ref).max())
    assert err_batch[2] < 3e-6
    slow = [0, 1, 3, 4]
    assert max(err_batch[b] for b in slow) < min(err_alone[b] for b in slow)


def test_worst_member_norm_reaches_the_ode_layer(rng):
    """Dopri5 accepts a step only when the largest member norm is <= 1: with a norm that
    counts one member 100x, the integration needs more steps than with the plain RMS."""
    lam = -np.array([1.0, 2.0, 3.0, 4.0])

    def f(t, y, out):
        np.multiply(lam[:, None], y, out=out)

    y0 = np.ones((4, 3))
    t = np.array([0.0, 1.0])
    got = {}

    def observe(i, y):
        got[i] = y.copy()

    plain = qb.Dopri5(rtol=1e-6, atol=1e-9).integrate(f, y0, t, observe)
    first = got[1].copy()
    strict = qb.Dopri5(rtol=1e-6, atol=1e-9).integrate(
        f, y0, t, observe, norm=lambda e: 100.0 * float(np.sqrt(np.mean(e**2)))
    )
    assert strict.nsteps > plain.nsteps
    want = np.exp(lam)[:, None] * y0
    assert np.abs(got[1] - want).max() < np.abs(first - want).max()
    with pytest.raises(qb.InputError, match="norm: expected None for RK4"):
        qb.RK4(dt=0.1).integrate(f, y0, t, observe, norm=lambda e: 0.0)
    with pytest.raises(qb.InputError, match="norm: expected a callable"):
        qb.Dopri5().integrate(f, y0, t, observe, norm=1.0)


def test_method_and_shorthand_options(rng):
    Hs, ops, rates, rho0 = members(rng, 2)
    t = [0.0, 0.5, 1.0]
    a = mesolve_batch(Hs, rho0, t, ops, rates=rates, rtol=1e-8, atol=1e-10)
    b = mesolve_batch(Hs, rho0, t, ops, rates=rates, method=qb.Dopri5(rtol=1e-8, atol=1e-10))
    assert np.array_equal(a.states, b.states) and a.meta["rtol"] == 1e-8
    with pytest.raises(qb.InputError, match="rtol: expected no rtol with method="):
        mesolve_batch(Hs, rho0, t, ops, rates=rates, rtol=1e-8, method=qb.RK4(dt=0.1))
    with pytest.raises(qb.InputError, match="method: expected a method object"):
        mesolve_batch(Hs, rho0, t, ops, rates=rates, method="dopri5")
    with pytest.raises(qb.InputError, match="rtol"):
        mesolve_batch(Hs, rho0, t, ops, rates=rates, rtol=2.0)


def test_member_is_an_unbatched_result(rng):
    Hs, ops, rates, rho0 = members(rng, 3)
    t = np.linspace(0.0, 1.0, 3)
    res = mesolve_batch(Hs, rho0, t, ops, rates=rates, e_ops=[Hs[0]])
    one = res.member(1)
    assert type(one) is qb.solve.Result and one.meta["member"] == 1
    assert np.array_equal(one.states, res.states[1]) and np.array_equal(
        one.expect[0], res.expect[0][1]
    )
    assert np.array_equal(one.final_state, res.final_state[1])
    with pytest.raises(qb.InputError, match="b: expected a member index"):
        res.member(3)


@pytest.mark.parametrize(
    "method", [qb.DOP853(rtol=1e-9, atol=1e-11), qb.BDF(rtol=1e-8, atol=1e-10)]
)
def test_larger_d_matrix_form_and_implicit_paths(rng, method):
    """d = 10: DOP853 on the batched matrix form, BDF on the superoperators (its Jacobian)."""
    from conftest import rand_herm

    d, B = 10, 2
    Hs = np.array([rand_herm(d, rng) for _ in range(B)])
    L = 0.4 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)))
    psi = np.eye(d)[0]
    t = np.linspace(0, 1, 3)
    res = mesolve_batch(Hs, psi, t, [L], method=method)
    for b in range(B):
        single = qb.mesolve(Hs[b], psi, t, [L], method=method)
        assert np.allclose(res.final_state[b], single.final_state, atol=2e-6)
        Lv = qb.solve.liouvillian((Hs[b], [L]))
        want = (sla.expm(Lv) @ np.outer(psi, psi).ravel(order="F")).reshape(d, d, order="F")
        assert np.allclose(res.final_state[b], want, atol=2e-6)
