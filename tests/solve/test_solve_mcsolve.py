"""mcsolve: agreement with mesolve within the standard error, reproducibility, jump records."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
from conftest import rand_dm, rand_herm

BATH = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)


def test_mcsolve_agrees_with_mesolve_within_standard_error(rng):
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, BATH)])
    psi = rng.normal(size=8) + 1j * rng.normal(size=8)
    psi /= np.linalg.norm(psi)
    t = np.linspace(0, 12, 13)
    Sz3 = qb.embed(qb.sigmaz() / 2, 2, (2, 2, 2))
    me = qb.mesolve(gen, psi, t, e_ops=[H, Sz3], method=qb.Dopri5(rtol=1e-9, atol=1e-11))
    mc = qb.mcsolve(gen, psi, t, e_ops=[H, Sz3], ntraj=400, seed=7, store_states=True)
    for k in range(2):
        err = mc.expect_std_err[k][1:]
        assert np.all(err > 0)
        z = (mc.expect[k][1:] - me.expect[k][1:]) / err
        assert np.max(np.abs(z)) < 4.5
    # averaged states approach the master-equation states (statistical error ~ 1/sqrt(ntraj))
    assert np.abs(mc.states - me.states).max() < 0.1
    assert mc.ntraj == 400 and mc.seed == 7 and len(mc.jump_times) == 400


def test_reproducible_and_jump_records(rng):
    d = 3
    H = rand_herm(d, rng)
    c = [0.6 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) for _ in range(2)]
    psi = np.array([1, 0, 0], dtype=complex)
    t = np.linspace(0, 2, 5)
    a = qb.mcsolve(H, psi, t, c, e_ops=[H], ntraj=40, seed=3)
    b = qb.mcsolve(H, psi, t, c, e_ops=[H], ntraj=40, seed=3)
    other = qb.mcsolve(H, psi, t, c, e_ops=[H], ntraj=40, seed=4)
    assert np.array_equal(a.expect[0], b.expect[0])
    assert not np.array_equal(a.expect[0], other.expect[0])
    for jt, jw in zip(a.jump_times, a.jump_which, strict=True):
        assert np.all(np.diff(jt) >= 0) and np.all((jt > 0) & (jt <= 2))
        assert np.all((jw >= 0) & (jw < 2))
    assert a.stats["n_jumps"] == sum(len(x) for x in a.jump_times) > 0


def test_mixed_initial_state_and_pure_decay_rate(rng):
    # a decaying qubit: mean number of jumps from |up> by time t is 1 - exp(-g t)
    g = 0.8
    res = qb.mcsolve(
        np.zeros((2, 2)),
        qb.basis(2, 0),
        [0, 1.5],
        [np.sqrt(g) * qb.sigmam()],
        ntraj=2000,
        seed=11,
    )
    frac = np.mean([len(x) for x in res.jump_times])
    assert abs(frac - (1 - np.exp(-g * 1.5))) < 4 * np.sqrt(0.25 / 2000)
    first = np.array([x[0] for x in res.jump_times if len(x)])
    # jump times are exponential (truncated at 1.5): compare the mean
    mean_trunc = 1 / g - 1.5 * np.exp(-g * 1.5) / (1 - np.exp(-g * 1.5))
    assert abs(first.mean() - mean_trunc) < 4 * first.std() / np.sqrt(first.size)
    rho0 = rand_dm(3, rng)
    H = rand_herm(3, rng)
    c = [0.5 * (rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3)))]
    mc = qb.mcsolve(H, rho0, [0, 0.5], c, e_ops=[H], ntraj=600, seed=5)
    me = qb.mesolve(H, rho0, [0, 0.5], c, e_ops=[H])
    assert abs(mc.expect[0][0] - me.expect[0][0]) < 4.5 * mc.expect_std_err[0][0] + 1e-12
    assert abs(mc.expect[0][1] - me.expect[0][1]) < 4.5 * mc.expect_std_err[0][1]


def test_bad_input():
    with pytest.raises(qb.InputError, match="ntraj: expected an integer >= 1"):
        qb.mcsolve(np.eye(2), qb.basis(2, 0), [0, 1], [], ntraj=0)
    with pytest.raises(qb.InputError, match="psi0: expected a normalised"):
        qb.mcsolve(np.eye(2), np.array([1.0, 1.0]), [0, 1], [])


def test_block_size_does_not_change_results(rng):
    d = 4
    H = rand_herm(d, rng)
    c = [0.7 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) for _ in range(3)]
    psi = np.eye(d)[0]
    t = np.linspace(0, 3, 7)
    runs = [
        qb.mcsolve(H, psi, t, c, e_ops=[H], ntraj=60, seed=9, block_size=b)
        for b in (None, 1, 7, 60)
    ]
    for r in runs[1:]:
        assert np.allclose(r.expect[0], runs[0].expect[0], atol=1e-10)
        assert np.allclose(r.expect_std_err[0], runs[0].expect_std_err[0], atol=1e-10)
        for a, b in zip(r.jump_times, runs[0].jump_times, strict=True):
            assert a.shape == b.shape and np.allclose(a, b, atol=1e-10)
        for a, b in zip(r.jump_which, runs[0].jump_which, strict=True):
            assert np.array_equal(a, b)
    # a trajectory does not depend on how many others run: the first 20 of 60 are the 20 of 20
    few = qb.mcsolve(H, psi, t, c, e_ops=[H], ntraj=20, seed=9)
    for a, b in zip(few.jump_times, runs[0].jump_times[:20], strict=True):
        assert np.allclose(a, b, atol=1e-10)


def test_statistics_do_not_depend_on_block_size(rng):
    # a decaying qubit from |up>: P(no jump by t) = exp(-g t) for every block size
    g = 0.9
    H, c_ops = np.zeros((2, 2)), [np.sqrt(g) * qb.sigmam()]
    for b in (1, 13, 800):
        res = qb.mcsolve(H, qb.basis(2, 0), [0, 1.0], c_ops, ntraj=800, seed=21, block_size=b)
        frac = np.mean([len(x) == 0 for x in res.jump_times])
        assert abs(frac - np.exp(-g)) < 4 * np.sqrt(np.exp(-g) * (1 - np.exp(-g)) / 800)


def test_mixed_initial_state_starts_exactly_at_rho0():
    # thermal oscillator-like mixed state of a 6-level ladder: <n> at t = 0 is exact
    d = 6
    a = np.diag(np.sqrt(np.arange(1, d)), 1)
    num = a.conj().T @ a
    p = np.exp(-0.4 * np.arange(d))
    rho0 = np.diag(p / p.sum())
    exact = float(np.trace(num @ rho0).real)
    res = qb.mcsolve(num, rho0, [0, 0.5, 1.0], [0.5 * a], e_ops=[num], ntraj=101, seed=3)
    assert res.expect[0][0] == pytest.approx(exact, abs=1e-12)
    assert np.allclose(res.states is None and res.final_state.trace(), 1)
    me = qb.mesolve(num, rho0, [0, 0.5, 1.0], [0.5 * a], e_ops=[num])
    z = (res.expect[0][1:] - me.expect[0][1:]) / res.expect_std_err[0][1:]
    assert np.all(np.abs(z) < 4.5)
    # a rotated (non-diagonal) mixed state: the averaged state at t = 0 is rho0 itself
    U = np.linalg.qr(np.arange(36).reshape(6, 6) + 1j * np.eye(6))[0]
    rho_r = U @ rho0 @ U.conj().T
    r2 = qb.mcsolve(num, rho_r, [0, 1.0], [0.5 * a], ntraj=50, seed=1, store_states=True)
    assert np.allclose(r2.states[0], rho_r, atol=1e-12)


def test_ntraj_one_warns_about_the_standard_error():
    with pytest.warns(qb.QbathWarning, match="standard error"):
        res = qb.mcsolve(np.eye(2), qb.basis(2, 0), [0, 1], [], e_ops=[np.eye(2)], ntraj=1)
    assert np.all(np.isnan(res.expect_std_err[0]))
    with pytest.raises(qb.InputError, match="block_size"):
        qb.mcsolve(np.eye(2), qb.basis(2, 0), [0, 1], [], block_size=0)
