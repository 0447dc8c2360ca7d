"""The exact reference: against qutip.mesolve, and against seed 003's master equation written
literally in the seed's own conventions (its sigma_pm and dissipator form)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm

import qbath as qb
import qbath.spins as qs
from qbath.spins._seed003 import seed_liouvillian
from spins_brute import qutip_model, qutip_product_state

PAULI = [qb.sigmax(), qb.sigmay(), qb.sigmaz()]


def test_exact_matches_qutip_mesolve(rng):
    qt = pytest.importorskip("qutip")
    n = 3
    h = rng.normal(size=(n, 3))
    J = 0.7 * rng.normal(size=(n, n, 3, 3))
    gm, gp, gz = (rng.uniform(0.05, 0.5, n) for _ in range(3))
    s0 = rng.normal(size=(n, 3))
    s0 /= np.linalg.norm(s0, axis=1)[:, None] * 1.2
    t = np.linspace(0, 3, 13)

    ops, H, c_ops = qutip_model(qt, h, J, gm, gp, gz)
    rho0 = qutip_product_state(qt, s0)
    e_single = [ops[i][a] for i in range(n) for a in range(3)]
    e_pair = [ops[i][a] * ops[j][b] for i in range(n) for j in range(n) if i != j for a in range(3) for b in range(3)]
    res = qt.mesolve(H, rho0, t, c_ops, e_ops=e_single + e_pair, options={"atol": 1e-11, "rtol": 1e-10})
    qb_single = np.array(res.expect[: 3 * n]).T.reshape(-1, n, 3)
    qb_pair = np.array(res.expect[3 * n:]).T

    ex = qs.exact(qs.SpinModel(h, J, gm, gp, gz), s0, t)
    np.testing.assert_allclose(ex.bloch, qb_single.real, atol=1e-7)
    mine = np.array([ex.correlations[:, i, j, a, b] for i in range(n) for j in range(n) if i != j
                     for a in range(3) for b in range(3)]).T
    np.testing.assert_allclose(mine, qb_pair.real, atol=1e-7)
    assert ex.physical.ok and ex.meta["kind"] == "exact"


def test_from_seed003_against_the_seeds_literal_master_equation(rng):
    """The seed's Eq. 13 with its sigma_pm = sigma_x +- i sigma_y, its dissipator
    -sum gamma (rho A^dag A + A^dag A rho - 2 A rho A^dag) and its coupling sum_{jk be eps}
    A_jk sigma_j^be sigma_k^eps (j = k included), exponentiated as a 64 x 64 superoperator."""
    n = 3
    h = rng.normal(size=(n, 3))
    A = rng.normal(size=(n, n))
    gp, gm, gz = 0.07, 0.11, 0.05
    s0 = rng.normal(size=(n, 3))
    s0 /= np.linalg.norm(s0, axis=1)[:, None] * 1.1
    t = np.linspace(0, 1.5, 7)
    L = seed_liouvillian(h, A, gp, gm, gz)
    rho0 = qb.tensor(*[qb.bloch_state(v) for v in s0])
    dims = [2] * n
    sig = [[qb.embed(P, i, dims) for P in PAULI] for i in range(n)]
    ex = qs.exact(qs.SpinModel.from_seed003(h, A, gp, gm, gz), s0, t)
    for k, tk in enumerate(t):
        rho = (expm(L * tk) @ rho0.reshape(-1, order="F")).reshape(2**n, 2**n, order="F")
        bloch = np.array([[np.trace(sig[i][a] @ rho).real for a in range(3)] for i in range(n)])
        corr = np.array([[[[np.trace(sig[i][a] @ sig[j][b] @ rho).real if i != j else 0.0 for b in range(3)]
                           for a in range(3)] for j in range(n)] for i in range(n)])
        np.testing.assert_allclose(ex.bloch[k], bloch, atol=1e-8)
        np.testing.assert_allclose(ex.correlations[k], corr, atol=1e-8)


def test_exact_initial_state_and_energy_conservation(rng):
    """At t = 0 the correlations factorise; without dissipation <H> (from the one- and two-spin
    moments) is conserved and every |s_i| stays <= 1."""
    n = 4
    m = qs.SpinModel(rng.normal(size=(n, 3)), 0.3 * rng.normal(size=(n, n, 3, 3)))
    s0 = rng.normal(size=(n, 3))
    s0 /= np.linalg.norm(s0, axis=1)[:, None]
    ex = qs.exact(m, s0, [0.0, 0.5, 1.0])
    prod = np.einsum("ia,jb->ijab", s0, s0)
    prod[np.arange(n), np.arange(n)] = 0
    np.testing.assert_allclose(ex.correlations[0], prod, atol=1e-14)
    np.testing.assert_allclose(ex.bloch[0], s0, atol=1e-14)
    assert np.all(np.linalg.norm(ex.bloch, axis=-1) <= 1 + 1e-9)
    # energy is conserved without dissipation
    H = m.hamiltonian()
    E0 = np.trace(H @ qb.tensor(*[qb.bloch_state(v) for v in s0])).real
    E = np.einsum("ia,tia->t", m.fields, ex.bloch) + 0.5 * np.einsum("ijab,tijab->t", m.effective_couplings(), ex.correlations)
    np.testing.assert_allclose(E, E0, atol=1e-7)
