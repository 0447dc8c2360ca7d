"""steady_state: unique (QuTiP, Gibbs), degenerate (error naming the dimension; with rho0 the limit of
exp(L t) rho0, checked by long evolution), sparse path."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import qbath as qb
import qbath.solve._steady as steady_mod
from conftest import rand_dm, rand_herm

BATH = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)


def test_unique_against_qutip(rng):
    qt = pytest.importorskip("qutip")
    d = 5
    H = rand_herm(d, rng)
    c = [0.4 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) for _ in range(2)]
    rho = qb.steady_state((H, c))
    want = qt.steadystate(qt.Qobj(H), [qt.Qobj(x) for x in c]).full()
    assert np.allclose(rho, want, atol=1e-10)
    assert np.isclose(np.trace(rho), 1) and np.allclose(rho, rho.conj().T)


def test_seed_model_is_degenerate_and_rho0_gives_the_limit(rng):
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, BATH)])
    with pytest.raises(qb.NonUniqueSteadyStateError, match="2-dimensional") as err:
        qb.steady_state(gen)
    assert err.value.dimension == 2
    rho0 = rand_dm(8, rng)
    ss = qb.steady_state(gen, rho0)
    L = gen.liouvillian()
    limit = (sla.expm(L * 3000.0) @ rho0.ravel(order="F")).reshape(8, 8, order="F")
    assert np.allclose(ss, limit, atol=1e-10)
    long = qb.mesolve(gen, rho0, [0, 1500.0], method=qb.Dopri5(rtol=1e-10, atol=1e-12)).final_state
    assert np.allclose(ss, long, atol=1e-8)
    # the two stationary states: singlet of qubits 1,2 (untouched by S1x + S2x) and the rest
    states, conserved = qb.solve.steady_state_space(gen)
    assert states.shape == (2, 8, 8) and conserved.shape == (2, 8, 8)
    for Q in conserved:  # conserved: d/dt Tr[Q rho] = 0 along the evolution
        vals = [np.trace(Q @ r) for r in (rho0, ss, long)]
        assert np.allclose(vals, vals[0], atol=1e-8)


def test_dense_and_sparse_null_space_paths_agree(rng, monkeypatch):
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, BATH)])
    rho0 = rand_dm(8, rng)
    dense = qb.steady_state(gen, rho0)
    pair = (gen.hamiltonian, gen.c_ops())  # no energy-sector knowledge: the full 64 x 64 problem
    assert np.allclose(qb.steady_state(pair, rho0), dense, atol=1e-9)
    monkeypatch.setattr(steady_mod, "DENSE_MAX", 4)
    assert np.allclose(qb.steady_state(pair, rho0), dense, atol=1e-8)
    with pytest.raises(qb.NonUniqueSteadyStateError):
        qb.steady_state(pair)
    d = 6
    Hr = rand_herm(d, rng)
    c = [0.5 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)))]
    monkeypatch.setattr(steady_mod, "DENSE_MAX", 10_000)
    ref = qb.steady_state((Hr, c))
    monkeypatch.setattr(steady_mod, "DENSE_MAX", 4)
    assert np.allclose(qb.steady_state((Hr, c)), ref, atol=1e-9)
