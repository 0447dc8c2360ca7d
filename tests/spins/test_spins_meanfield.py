"""Mean field: exact for one spin and for uncoupled spins, the right-hand side equals the exact
derivative at product states (qutip Liouvillian), storage formats agree, the Jacobian against
finite differences, and steady states against the closed-form Bloch-equation fixed point."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import qbath as qb
import qbath.spins as qs
from qbath.spins._meanfield import _MeanFieldRHS
from spins_brute import qutip_model, qutip_product_state


def random_bloch(n, rng):
    v = rng.normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1)[:, None] * rng.uniform(0.5, 1.0, size=(n, 1))


def test_meanfield_exact_for_one_spin_and_uncoupled_spins(rng):
    t = np.linspace(0, 4, 21)
    one = qs.SpinModel(rng.normal(size=(1, 3)), None, 0.3, 0.1, 0.2)
    s1 = random_bloch(1, rng)
    np.testing.assert_allclose(
        qs.meanfield(one, s1, t).bloch, qs.exact(one, s1, t).bloch, atol=2e-8
    )
    n = 4
    free = qs.SpinModel(
        rng.normal(size=(n, 3)),
        None,
        rng.uniform(0, 1, n),
        rng.uniform(0, 1, n),
        rng.uniform(0, 1, n),
    )
    s = random_bloch(n, rng)
    mf = qs.meanfield(free, s, t)
    np.testing.assert_allclose(mf.bloch, qs.exact(free, s, t).bloch, atol=2e-8)
    assert mf.correlations is None and mf.physical.ok and mf.physical.min_pair_eigenvalue is None


def test_meanfield_rhs_is_the_exact_derivative_at_product_states(rng):
    qt = pytest.importorskip("qutip")
    n = 3
    h = rng.normal(size=(n, 3))
    J = rng.normal(size=(n, n, 3, 3))
    gm, gp, gz = (rng.uniform(0.05, 0.5, n) for _ in range(3))
    m = qs.SpinModel(h, J, gm, gp, gz)
    ops, H, c_ops = qutip_model(qt, h, J, gm, gp, gz)
    L = qt.liouvillian(H, c_ops)
    s = random_bloch(n, rng)
    rho = qutip_product_state(qt, s)
    drho = qt.vector_to_operator(L * qt.operator_to_vector(rho))
    exact_ds = np.array([[qt.expect(ops[i][a], drho) for a in range(3)] for i in range(n)]).real
    np.testing.assert_allclose(qs.meanfield_rhs(m, s), exact_ds, atol=1e-12)


def _lattice(side, jxy=1.0, jz=0.6):
    """Periodic square lattice, nearest-neighbour XXZ, each bond once."""
    n = side * side
    idx = np.arange(n).reshape(side, side)
    right = np.stack([idx.ravel(), np.roll(idx, -1, axis=1).ravel()], 1)
    down = np.stack([idx.ravel(), np.roll(idx, -1, axis=0).ravel()], 1)
    edges = np.concatenate([right, down])
    A = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n)).tocsr()
    return A, np.diag([jxy, jxy, jz])


def test_storage_formats_give_the_same_trajectory(rng):
    A, M = _lattice(4)
    n = A.shape[0]
    h = rng.normal(size=(n, 3)) * 0.5
    sparse = qs.SpinModel.from_graph(h, A, M, gamma_minus=0.1)
    product = qs.SpinModel.from_graph(h, A.toarray(), M, gamma_minus=0.1)
    dense = qs.SpinModel(h, A.toarray()[:, :, None, None] * M, gamma_minus=0.1)
    # A is not symmetric but M is: K = (A + A^T) x M keeps the product storage
    assert (sparse.coupling.kind, product.coupling.kind, dense.coupling.kind) == (
        "sparse",
        "product",
        "dense",
    )
    sym = qs.SpinModel.from_graph(h, (A + A.T).toarray() / 2, M, gamma_minus=0.1)  # same K
    nonsym = qs.SpinModel.from_graph(
        h, A.toarray(), M + np.triu(M + 1, 1) - np.triu(M + 1, 1).T, gamma_minus=0.1
    )
    assert sym.coupling.kind == "product" and nonsym.coupling.kind == "dense"
    s = random_bloch(n, rng)
    t = np.linspace(0, 2, 5)
    ref = qs.meanfield(dense, s, t).bloch
    for m in (sparse, product, sym):
        np.testing.assert_allclose(qs.meanfield(m, s, t).bloch, ref, atol=1e-8)


@pytest.mark.parametrize("kind", ["dense", "sparse", "product", "none"])
def test_jacobian_against_finite_differences(rng, kind):
    n = 5
    h = rng.normal(size=(n, 3))
    if kind == "none":
        m = qs.SpinModel(h, None, 0.2, 0.1, 0.3)
    elif kind == "dense":
        m = qs.SpinModel(h, rng.normal(size=(n, n, 3, 3)), 0.2, 0.1, 0.3)
    else:
        A = rng.normal(size=(n, n))
        A = A + A.T
        m = qs.SpinModel.from_graph(
            h, sp.csr_matrix(A) if kind == "sparse" else A, rng.normal(size=(3, 3)), 0.2, 0.1, 0.3
        )
    assert m.coupling.kind == kind
    rhs = _MeanFieldRHS(m)
    y = rng.normal(size=3 * n) * 0.5
    J = rhs.jacobian(y)
    J = J.toarray() if sp.issparse(J) else J
    eps = 1e-6
    fd = np.stack(
        [(rhs(0, y + eps * e) - rhs(0, y - eps * e)) / (2 * eps) for e in np.eye(3 * n)], axis=1
    )
    np.testing.assert_allclose(J, fd, atol=1e-8)


def test_steady_state_of_one_driven_damped_spin(rng):
    """Closed form: 0 = 2 h x s - Gamma s + d is linear in s for one spin."""
    h = rng.normal(size=3)
    gm, gp, gz = 0.4, 0.1, 0.05
    m = qs.SpinModel(h[None, :], None, gm, gp, gz)
    G = np.diag(m.decay_rates[0])
    hx = np.array([[0, -h[2], h[1]], [h[2], 0, -h[0]], [-h[1], h[0], 0]])
    s_closed = np.linalg.solve(2 * hx - G, -m.drive[0])
    ss = qs.meanfield_steady_state(m, [0, 0, 1.0])
    assert ss.converged and ss.stable
    np.testing.assert_allclose(ss.bloch[0], s_closed, atol=1e-10)


def test_steady_state_of_coupled_spins_from_a_trajectory(rng):
    n = 6
    A = rng.normal(size=(n, n)) * 0.05  # weak enough for a stable fixed point (no limit cycle)
    m = qs.SpinModel.from_seed003(rng.normal(size=(n, 3)) * 0.5, A + A.T, 0.02, 0.2, 0.01)
    traj = qs.meanfield(m, random_bloch(n, rng), np.linspace(0, 20, 3))
    ss = qs.meanfield_steady_state(m, traj, t_relax=30.0)
    assert ss.converged and ss.residual <= 1e-10
    assert ss.stable is True and ss.max_growth_rate < 0
    # a fixed point: the trajectory started there does not move
    stay = qs.meanfield(m, ss.bloch, [0.0, 10.0])
    np.testing.assert_allclose(stay.bloch[-1], ss.bloch, atol=1e-7)
    # Newton-Krylov path (no Jacobian) finds the same point
    nk = qs.meanfield_steady_state(m, traj, t_relax=30.0, jacobian_max_n=0)
    assert nk.max_growth_rate is None and nk.stable is None
    np.testing.assert_allclose(nk.bloch, ss.bloch, atol=1e-7)


def test_large_sparse_lattice_runs_and_conserves_spin_length(rng):
    """Without dissipation mean field conserves every |s_i|; 2500 spins on a sparse lattice."""
    A, M = _lattice(50)
    n = A.shape[0]
    m = qs.SpinModel.from_graph(rng.normal(size=(n, 3)), A, M)
    s = random_bloch(n, rng)
    mf = qs.meanfield(m, s, [0.0, 0.5, 1.0], method=qb.DOP853(rtol=1e-10, atol=1e-12))
    np.testing.assert_allclose(
        np.linalg.norm(mf.bloch, axis=-1),
        np.broadcast_to(np.linalg.norm(s, axis=-1), (3, n)),
        atol=1e-8,
    )
    assert mf.meta["coupling_storage"] == "sparse"
