"""The exact reference: against qutip.mesolve; initial state and energy conservation (the seed's
literal master equation is in test_spins_seed003.py)."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
import qbath.spins as qs
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
    e_pair = [
        ops[i][a] * ops[j][b]
        for i in range(n)
        for j in range(n)
        if i != j
        for a in range(3)
        for b in range(3)
    ]
    res = qt.mesolve(
        H, rho0, t, c_ops, e_ops=e_single + e_pair, options={"atol": 1e-11, "rtol": 1e-10}
    )
    qb_single = np.array(res.expect[: 3 * n]).T.reshape(-1, n, 3)
    qb_pair = np.array(res.expect[3 * n :]).T

    ex = qs.exact(qs.SpinModel(h, J, gm, gp, gz), s0, t)
    np.testing.assert_allclose(ex.bloch, qb_single.real, atol=1e-7)
    mine = np.array(
        [
            ex.correlations[:, i, j, a, b]
            for i in range(n)
            for j in range(n)
            if i != j
            for a in range(3)
            for b in range(3)
        ]
    ).T
    np.testing.assert_allclose(mine, qb_pair.real, atol=1e-7)
    assert ex.physical.ok and ex.meta["kind"] == "exact"


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
    E = np.einsum("ia,tia->t", m.fields, ex.bloch) + 0.5 * np.einsum(
        "ijab,tijab->t", m.effective_couplings(), ex.correlations
    )
    np.testing.assert_allclose(E, E0, atol=1e-7)
