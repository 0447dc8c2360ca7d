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
