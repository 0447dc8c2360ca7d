"""Quantum-jump trajectories of time-dependent problems (``qb.mcsolve`` with QuTiP's list form).

References are independent of the code under test: ``qb.mesolve`` of the same list-form problem
(the trajectory mean must agree within 4 standard errors), QuTiP 5's ``mcsolve`` on the same list
form (test-only reference), the closed-form waiting time of a pure decay with a time-dependent rate,
and first-jump times computed by SciPy's ``solve_ivp`` with an event function.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

import qbath as qb

SX, SY, SZ, SM = qb.sigmax(), qb.sigmay(), qb.sigmaz(), qb.sigmam()
UP, DOWN = qb.basis(2, 0), qb.basis(2, 1)
W0, AMP, OMEGA = 1.0, 0.8, 1.1


def gamma(t):
    return 0.3 * (1 + 0.8 * np.sin(0.7 * t))


def _qubit_problem():
    H = [0.5 * W0 * SZ, [SX, lambda t: AMP * np.cos(OMEGA * t)]]
    c_ops = [[SM, lambda t: np.sqrt(gamma(t))]]
    return H, c_ops


def _within(mc, ref, k, floor=2e-4, nsig=4.0):
    diff = np.abs(np.asarray(mc.expect[k]) - np.asarray(ref))
    bound = nsig * np.asarray(mc.expect_std_err[k]) + floor
    assert np.all(diff <= bound), (diff / np.maximum(bound, 1e-300)).max()


def test_driven_decaying_qubit_matches_mesolve():
    H, c_ops = _qubit_problem()
    tl = np.linspace(0, 10, 41)
    mc = qb.mcsolve(H, UP, tl, c_ops, e_ops=[SZ, SX, SY], ntraj=300, seed=11)
    me = qb.mesolve(H, UP, tl, c_ops, e_ops=[SZ, SX, SY])
    for k in range(3):
        _within(mc, me.expect[k], k)
    assert mc.stats["n_jumps"] > 100  # the decay happens: the test is not about no-jump evolution
    assert isinstance(mc, qb.solve.MCResult) and mc.ntraj == 300 and mc.seed == 11


def test_three_level_with_constant_and_sampled_collapse_operators():
    """Ladder 0-1-2: a driven 0-1 transition (array coefficient), a 1-2 drive given as f(t, args),
    a constant decay 1->0 and a time-dependent decay 2->1; initial state a density matrix."""
    d = 3
    ket = [np.eye(d)[i] for i in range(d)]
    P = [np.outer(k, k) for k in ket]
    s01 = np.outer(ket[0], ket[1])
    s12 = np.outer(ket[1], ket[2])
    tl = np.linspace(0, 6, 31)
    H0 = 1.0 * P[1] + 1.8 * P[2]
    H = [
        H0,
        [s01 + s01.T, 0.7 * np.cos(1.0 * tl)],
        [s12 + s12.T, lambda t, args: args["b"] * np.sin(args["w"] * t)],
    ]
    c_ops = [np.sqrt(0.2) * s01, [s12, lambda t: np.sqrt(0.4 * (1 + np.tanh(t - 2)))]]
    rho0 = 0.7 * P[0] + 0.3 * P[2]
    args = {"b": 0.6, "w": 0.8}
    e_ops = {"p1": P[1], "p2": P[2], "x01": s01 + s01.T}
    mc = qb.mcsolve(H, rho0, tl, c_ops, e_ops=e_ops, ntraj=300, seed=5, args=args)
    me = qb.mesolve(H, rho0, tl, c_ops, e_ops=e_ops, args=args)
    assert isinstance(mc.expect, dict) and list(mc.expect) == ["p1", "p2", "x01"]
    for name in e_ops:
        diff = np.abs(mc.expect[name] - me.expect[name])
        assert np.all(diff <= 4 * mc.expect_std_err[name] + 2e-4), name
    # jump_which indexes c_ops: 0 the constant decay 1->0, 1 the time-dependent decay 2->1
    which = np.concatenate(mc.jump_which)
    assert set(np.unique(which)) == {0, 1}
    # the averaged state is a density matrix close to mesolve's
    rho_end = mc.final_state
    np.testing.assert_allclose(np.trace(rho_end), 1.0, atol=1e-12)
    np.testing.assert_allclose(rho_end, rho_end.conj().T, atol=1e-12)


def test_two_qubits_with_collective_time_dependent_decay():
    I2 = np.eye(2)
    sz1, sz2 = np.kron(SZ, I2), np.kron(I2, SZ)
    sx1, sx2 = np.kron(SX, I2), np.kron(I2, SX)
    sm1, sm2 = np.kron(SM, I2), np.kron(I2, SM)
    H = [0.5 * sz1 + 0.6 * sz2 + 0.25 * (sx1 @ sx2), [sx1 + sx2, lambda t: 0.5 * np.cos(1.05 * t)]]
    c_ops = [[sm1 + sm2, lambda t: np.sqrt(0.25 * (1 + 0.5 * np.cos(0.5 * t)))], 0.3 * sm2]
    psi0 = np.kron(UP, DOWN)
    tl = np.linspace(0, 8, 33)
    e_ops = [sz1, sz2, sx1 @ sx2]
    mc = qb.mcsolve(H, psi0, tl, c_ops, e_ops=e_ops, ntraj=300, seed=3, store_states=True)
    me = qb.mesolve(H, psi0, tl, c_ops, e_ops=e_ops)
    for k in range(3):
        _within(mc, me.expect[k], k)
    assert mc.states.shape == (33, 4, 4)
    np.testing.assert_allclose(mc.states[-1], mc.final_state, atol=1e-14)


def test_drive_on_top_of_a_davies_generator_matches_mesolve():
    """A constant part given as a GKSL generator (working basis rotated) plus a drive."""
    bath = qb.OhmicBath(alpha=0.05, cutoff=10.0, temperature=0.5)
    gen = qb.davies(0.5 * SZ + 0.2 * SX, (SX, bath))
    H = [gen, [SZ, lambda t: 0.3 * np.sin(2.0 * t)], [SX, lambda t: 0.2 * np.cos(t)]]
    tl = np.linspace(0, 6, 25)
    mc = qb.mcsolve(H, UP, tl, e_ops=[SZ, SX], ntraj=300, seed=2)
    me = qb.mesolve(H, UP, tl, e_ops=[SZ, SX])
    for k in range(2):
        _within(mc, me.expect[k], k)


def test_matches_qutip_mcsolve_on_the_same_list_form():
    qt = pytest.importorskip("qutip")
    H, c_ops = _qubit_problem()
    tl = np.linspace(0, 10, 21)
    ours = qb.mcsolve(H, UP, tl, c_ops, e_ops=[SZ, SX], ntraj=300, seed=7)
    Hq = [qt.Qobj(H[0]), [qt.Qobj(H[1][0]), H[1][1]]]
    cq = [[qt.Qobj(c_ops[0][0]), c_ops[0][1]]]
    theirs = qt.mcsolve(
        Hq,
        qt.Qobj(UP.reshape(2, 1)),
        tl,
        cq,
        e_ops=[qt.Qobj(SZ), qt.Qobj(SX)],
        ntraj=150,
        seeds=7,
        options={"progress_bar": False},
    )
    for k in range(2):
        err_q = np.asarray(theirs.std_expect[k]) / np.sqrt(150)
        sigma = np.sqrt(ours.expect_std_err[k] ** 2 + err_q**2)
        diff = np.abs(ours.expect[k] - np.real(theirs.average_expect[k]))
        assert np.all(diff <= 4 * sigma + 2e-4), k


# -- jump times --------------------------------------------------------------------------------


@pytest.mark.parametrize("n_out", [2, 401])
def test_waiting_times_of_a_time_dependent_decay_are_exact(n_out):
    """H = 0: the no-jump norm is exp(-int_0^t gamma), so the jump time solves
    int_0^tau gamma = -ln r for the trajectory's first threshold r (the first ntraj draws of the
    seeded generator). The accuracy must not depend on the output grid."""
    seed, ntraj = 4, 60
    tl = np.linspace(0, 30, n_out)
    c_ops = [[SM, lambda t: np.sqrt(gamma(t))]]
    res = qb.mcsolve(np.zeros((2, 2)), UP, tl, c_ops, ntraj=ntraj, seed=seed)
    r = np.random.default_rng(seed).random(ntraj)

    def integral(t):
        return 0.3 * t + 0.3 * 0.8 * (1 - np.cos(0.7 * t)) / 0.7

    for j in range(ntraj):
        target = -np.log(r[j])
        if integral(30.0) < target:
            assert res.jump_times[j].size == 0
            continue
        tau = brentq(lambda t, a=target: integral(t) - a, 0.0, 30.0, xtol=1e-14)
        assert res.jump_times[j].size == 1  # then in the ground state: no second jump
        assert abs(res.jump_times[j][0] - tau) <= 1e-5 * max(1.0, tau)
        assert res.jump_which[j].tolist() == [0]


def test_first_jump_times_of_a_driven_qubit_match_solve_ivp_events():
    """Driven qubit, decay with a time-dependent rate: the first jump is where the norm of the
    no-jump solution, integrated by SciPy with an event function, falls to r."""
    seed, ntraj = 9, 8
    H, c_ops = _qubit_problem()
    res = qb.mcsolve(
        H, UP, [0.0, 40.0], c_ops, ntraj=ntraj, seed=seed, method=qb.Dopri5(rtol=1e-9, atol=1e-11)
    )
    r = np.random.default_rng(seed).random(ntraj)

    def rhs(t, y):
        heff = 0.5 * W0 * SZ + AMP * np.cos(OMEGA * t) * SX - 0.5j * gamma(t) * (SM.conj().T @ SM)
        return -1j * heff @ y

    for j in range(ntraj):

        def event(t, y, rj=r[j]):
            return np.vdot(y, y).real - rj

        event.terminal = True
        sol = solve_ivp(
            rhs, (0, 40), UP.astype(complex), events=event, rtol=1e-10, atol=1e-12, method="DOP853"
        )
        tau = sol.t_events[0][0]
        assert abs(res.jump_times[j][0] - tau) <= 1e-6 * max(1.0, tau)


def test_telegraph_jump_chain_with_time_dependent_rates():
    """H = 0 with a decay (rate g1(t)) and a pump (rate g2(t)): the trajectory alternates between
    the two states and every waiting time solves int_{t_prev}^tau g = -ln r, with r the seeded
    generator's draws in the documented order (initial r; then per jump: operator choice, new r).
    Several jumps fall in one synchronisation interval: the per-column-clock continuation."""
    seed = 21

    def G1(t):
        return 0.5 * t + 0.25 * (1 - np.cos(t))

    def G2(t):
        return 0.3 * t + 0.15 * np.sin(0.7 * t) / 0.7

    c_ops = [
        [SM, lambda t: np.sqrt(0.5 * (1 + 0.5 * np.sin(t)))],
        [SM.T, lambda t: np.sqrt(0.3 * (1 + 0.5 * np.cos(0.7 * t)))],
    ]
    with pytest.warns(qb.QbathWarning, match="ntraj=1 gives no standard error"):
        res = qb.mcsolve(np.zeros((2, 2)), UP, [0.0, 40.0], c_ops, e_ops=[SZ], ntraj=1, seed=seed)
    times, which = res.jump_times[0], res.jump_which[0]
    assert times.size > 15
    h = 40.0 / res.stats["n_sync"]  # uniform synchronisation grid on [0, 40]
    assert np.any(np.diff(np.floor(times / h)) == 0)  # two jumps in one interval do occur
    np.testing.assert_array_equal(which, np.arange(times.size) % 2)  # decay, pump, decay, ...
    rng = np.random.default_rng(seed)
    r = rng.random()
    prev = 0.0
    for k, tk in enumerate(times):
        G = G1 if k % 2 == 0 else G2
        target = G(prev) - np.log(r)
        tau = brentq(lambda t, G=G, a=target: G(t) - a, prev, 100.0, xtol=1e-14)
        assert abs(tk - tau) <= 1e-5 * max(1.0, tau), k
        rng.random()  # the operator choice
        r = rng.random()
        prev = tk
    assert np.isnan(res.expect_std_err[0]).all()  # one trajectory: no standard error
    np.testing.assert_allclose(res.expect[0], [1.0, 1.0 if times.size % 2 == 0 else -1.0])


def test_six_qubits_sparse_operators_match_mesolve():
    """d = 64: the operators are applied as sparse matrices (block right-hand side and jumps)."""
    from functools import reduce

    n = 6

    def site(op, k):
        return reduce(np.kron, [op if j == k else np.eye(2) for j in range(n)])

    H0 = sum(0.5 * (1 + 0.1 * k) * site(SZ, k) for k in range(n))
    H0 = H0 + sum(0.3 * site(SX, k) @ site(SX, k + 1) for k in range(n - 1))
    H = [H0, [site(SX, 0), lambda t: 0.5 * np.cos(t)]]
    c_ops = [[site(SM, n - 1), lambda t: np.sqrt(0.4 * (1 + 0.5 * np.sin(t)))], 0.3 * site(SM, 2)]
    psi0 = reduce(np.kron, [UP] * n)
    tl = np.linspace(0, 3, 13)
    e_ops = [site(SZ, 0), site(SZ, n - 1), site(SZ, 2)]
    mc = qb.mcsolve(H, psi0, tl, c_ops, e_ops=e_ops, ntraj=150, seed=1)
    me = qb.mesolve(H, psi0, tl, c_ops, e_ops=e_ops)
    for k in range(3):
        _within(mc, me.expect[k], k, floor=1e-3)
    assert set(np.unique(np.concatenate(mc.jump_which))) == {0, 1}


def test_scalar_only_and_array_unsafe_coefficients_give_the_same_trajectories():
    """Coefficients are called with arrays of times only where that reproduces their scalar
    values: a callable written for scalars (math, branches) and ones that silently reduce an array
    (np.sum, np.max) give the same trajectories as the numpy-style callable."""
    import math

    tl = np.linspace(0, 6, 13)
    H = [0.5 * SZ, [SX, lambda t: 0.8 * np.cos(1.1 * t)]]

    def numpy_style(t):
        return np.sqrt(np.where(t < 2.0, 0.2, 0.5))

    def scalar_only(t):
        return math.sqrt(0.2 if t < 2.0 else 0.5)

    def reduces_arrays(t):
        return float(np.sqrt(np.where(np.sum(t) < 2.0, 0.2, 0.5)))

    def reduces_keeping_the_shape(t):
        return np.sqrt(0 * t + (0.2 if np.max(t) < 2.0 else 0.5))

    runs = [
        qb.mcsolve(H, UP, tl, [[SM, g]], e_ops=[SZ], ntraj=100, seed=8)
        for g in (numpy_style, scalar_only, reduces_arrays, reduces_keeping_the_shape)
    ]
    for other in runs[1:]:
        np.testing.assert_allclose(other.expect[0], runs[0].expect[0], atol=1e-9)
        for x, y in zip(other.jump_times, runs[0].jump_times, strict=True):
            np.testing.assert_allclose(x, y, atol=1e-9)


def test_without_collapse_operators_every_trajectory_is_the_schrodinger_solution():
    H = [0.5 * SZ, [SX, lambda t: 0.8 * np.cos(1.1 * t)]]
    tl = np.linspace(0, 5, 11)
    mc = qb.mcsolve(H, UP, tl, e_ops=[SZ, SX], ntraj=5, seed=0)
    se = qb.sesolve(H, UP, tl, e_ops=[SZ, SX], method=qb.Dopri5(rtol=1e-10, atol=1e-12))
    assert mc.stats["n_jumps"] == 0
    for k in range(2):
        np.testing.assert_allclose(mc.expect[k], se.expect[k], atol=1e-5)
        np.testing.assert_allclose(mc.expect_std_err[k], 0.0, atol=1e-7)  # sqrt of rounding


# -- reproducibility and input checks ------------------------------------------------------------


def test_same_seed_same_trajectories():
    H, c_ops = _qubit_problem()
    tl = np.linspace(0, 5, 11)
    a = qb.mcsolve(H, UP, tl, c_ops, e_ops=[SZ], ntraj=40, seed=123)
    b = qb.mcsolve(H, UP, tl, c_ops, e_ops=[SZ], ntraj=40, seed=123)
    c = qb.mcsolve(H, UP, tl, c_ops, e_ops=[SZ], ntraj=40, seed=124)
    np.testing.assert_array_equal(a.expect[0], b.expect[0])
    for x, y in zip(a.jump_times, b.jump_times, strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a.expect[0], c.expect[0])
    assert a.meta["time_dependent"] and a.meta["seed"] == 123


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"ntraj": 0}, "ntraj"),
        ({"ntraj": 10.0}, "ntraj"),
        ({"seed": 1.5}, "seed"),
        ({"seed": True}, "seed"),
        ({"method": qb.BDF()}, "method"),
        ({"method": "dopri5"}, "method"),
        ({"store_states": "yes"}, "store_states"),
        ({"args": [1, 2]}, "args"),
        ({"interpolation": "linear"}, "interpolation"),
        ({"e_ops": [np.eye(3)]}, "e_ops[0]"),
    ],
)
def test_bad_arguments_are_refused(kwargs, name):
    H, c_ops = _qubit_problem()
    with pytest.raises(qb.InputError, match="^" + re.escape(name)):
        qb.mcsolve(H, UP, [0.0, 1.0], c_ops, **kwargs)


def test_bad_problems_are_refused():
    H, c_ops = _qubit_problem()
    with pytest.raises(qb.InputError, match=r"^c_ops\[0\]"):
        qb.mcsolve(H, UP, [0.0, 1.0], [[SM, "sqrt(0.1)"]])
    with pytest.raises(qb.InputError, match=r"^psi0"):
        qb.mcsolve(H, np.ones(3) / np.sqrt(3), [0.0, 1.0], c_ops)
    with pytest.raises(qb.InputError, match=r"^tlist"):
        qb.mcsolve(H, UP, [1.0, 0.0], c_ops)
    with pytest.raises(qb.InputError, match=r"^H\[1\]\[1\]"):
        qb.mcsolve([SZ, [SX, np.ones(5)]], UP, [0.0, 1.0], c_ops)
    with pytest.raises(qb.InputError, match=r"^method"):  # constant problems are evolved exactly
        qb.mcsolve(SZ, UP, [0.0, 1.0], [SM], method=qb.Dopri5())


# -- mixed initial states: stratified over the eigenvectors, as for constant problems ---------


def _driven_ladder():
    """A driven, decaying 5-level ladder and a thermal-like mixed state, rotated so that it is not
    diagonal in the basis of the operators."""
    d = 5
    a = np.diag(np.sqrt(np.arange(1, d)), 1).astype(complex)
    num = a.conj().T @ a
    H = [0.3 * num, [a + a.conj().T, lambda t: 0.4 * np.cos(0.9 * t)]]
    c_ops = [[a, lambda t: np.sqrt(0.2 * (1 + 0.5 * np.sin(t)))]]
    p = np.exp(-0.5 * np.arange(d))
    U = np.linalg.qr(np.arange(d * d).reshape(d, d) + 1j * np.eye(d))[0]
    rho0 = U @ np.diag(p / p.sum()) @ U.conj().T
    return H, c_ops, rho0, num, a + a.conj().T


def test_mixed_initial_state_starts_exactly_at_rho0():
    H, c_ops, rho0, num, x = _driven_ladder()
    tl = np.linspace(0, 4, 9)
    res = qb.mcsolve(H, rho0, tl, c_ops, e_ops=[num, x], ntraj=100, seed=5, store_states=True)
    # the strata hold n_i = round(p_i ntraj) trajectories each: the average at t = 0 is
    # sum_i (p_i / n_i) n_i <v_i|O|v_i> = Tr[O rho0], exact up to rounding, with no spread
    for k, O in enumerate((num, x)):
        assert res.expect[k][0] == pytest.approx(np.trace(O @ rho0).real, abs=1e-12)
        assert res.expect_std_err[k][0] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(res.states[0], rho0, atol=1e-12)
    assert np.trace(res.final_state).real == pytest.approx(1.0, abs=1e-12)


def test_mixed_initial_state_agrees_with_mesolve_within_error_bars():
    H, c_ops, rho0, num, x = _driven_ladder()
    tl = np.linspace(0, 6, 13)
    mc = qb.mcsolve(H, rho0, tl, c_ops, e_ops=[num, x], ntraj=300, seed=17)
    me = qb.mesolve(H, rho0, tl, c_ops, e_ops=[num, x], method=qb.Dopri5(rtol=1e-9, atol=1e-11))
    for k in range(2):
        _within(mc, me.expect[k], k, floor=1e-3)
    assert mc.stats["n_jumps"] > 50
    assert np.all(np.asarray(mc.expect_std_err[0][1:]) > 0)


def test_stratification_draws_no_random_numbers_and_follows_the_seed():
    """A pure state given as a density matrix is one stratum: the same trajectories as its ket
    (so the strata consume none of the seeded draws); the same seed gives the same run."""
    H, c_ops = _qubit_problem()
    tl = np.linspace(0, 5, 11)
    ket = qb.mcsolve(H, UP, tl, c_ops, e_ops=[SZ], ntraj=30, seed=9)
    dm = qb.mcsolve(H, np.outer(UP, UP.conj()), tl, c_ops, e_ops=[SZ], ntraj=30, seed=9)
    for x, y in zip(ket.jump_times, dm.jump_times, strict=True):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_allclose(dm.expect[0], ket.expect[0], atol=1e-14)
    mixed = [
        qb.mcsolve(H, np.diag([0.6, 0.4]), tl, c_ops, e_ops=[SZ], ntraj=31, seed=2)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(mixed[0].expect[0], mixed[1].expect[0])
    np.testing.assert_array_equal(mixed[0].expect_std_err[0], mixed[1].expect_std_err[0])
    # 31 trajectories over weights 0.6, 0.4: 19 start up, 12 down (largest remainders)
    assert mixed[0].expect[0][0] == pytest.approx(0.6 - 0.4, abs=1e-12)
