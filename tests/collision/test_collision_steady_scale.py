"""Collision-model fixed points at scale: the dense SVD, one LU on Hermitian coordinates and
matrix-free GMRES agree; the fixed point is checked independently by one more collision (the
brute-force joint unitary of tests/collision_brute.py) and by a long run; degenerate maps raise."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
import qbath.collision as C
from collision.test_collision_engine import random_structured_model
from collision_brute import collide


@pytest.mark.parametrize("d_s", [2, 5, 12])
def test_solvers_agree_and_fixed_point_is_fixed(d_s):
    rng = np.random.default_rng(d_s)
    m = random_structured_model(rng, d_s, (2,), thermal=True, dt=0.3, n_pairs=2)
    for method, model in (("exact", m), ("second_order", m.replace(dt=0.03))):
        dense = C.steady_state(model, method, solver="dense")
        for solver in ("direct", "iterative", "auto"):
            assert np.allclose(C.steady_state(model, method, solver=solver), dense, atol=1e-10)
    ss = C.steady_state(m, solver="iterative")
    after = collide(ss, m.h_s, m.h_e, m.h_se, m.eta, m.dt)["rho"]  # brute force, independent
    assert np.allclose(after, ss, atol=1e-11)
    assert np.isclose(np.trace(ss), 1) and np.linalg.eigvalsh(ss).min() > -1e-12


def test_example2_against_long_run_with_every_solver():
    m = C.structured_example2(
        omega_s=1.0, omega_1=0.5, omega_2=1.5, kappa=0.6, alpha=1.5, beta=0.7, dt=0.2
    )
    long = C.evolve(m, qb.thermal_state(m.h_s, 1.0), 4000).final_state
    for solver in ("dense", "direct", "iterative"):
        assert np.allclose(C.steady_state(m, solver=solver), long, atol=1e-10)


def test_large_system_iterative_against_brute_force():
    # d_S = 96 > 64: only the matrix-free solver runs; check the fixed point by one brute-force
    # collision of the joint (192 x 192) unitary
    rng = np.random.default_rng(7)
    m = random_structured_model(rng, 96, (2,), thermal=True, dt=0.3, n_pairs=1)
    ss = C.steady_state(m)
    after = collide(ss, m.h_s, m.h_e, m.h_se, m.eta, m.dt)["rho"]
    assert np.abs(after - ss).max() < 1e-11
    assert np.isclose(np.trace(ss), 1) and np.linalg.eigvalsh(ss).min() > -1e-10
    with pytest.raises(qb.InputError, match="solver"):
        C.steady_state(m, solver="direct")


@pytest.mark.parametrize("solver", ["dense", "direct", "iterative"])
def test_degenerate_map_raises_with_dimension(solver):
    # no coupling, H_S diagonal with distinct energies: every diagonal state is fixed (dimension d)
    for d in (2, 3):
        h = np.diag(np.arange(d) * 0.7 + 0.1)
        m = C.CollisionModel(
            h_s=h, h_e=qb.sigmaz(), h_se=np.zeros((2 * d, 2 * d)), dt=0.1, beta=1.0
        )
        with pytest.raises(qb.NonUniqueSteadyStateError) as exc:
            C.steady_state(m, solver=solver)
        assert exc.value.dimension == d


def test_bad_solver_arguments():
    m = C.structured_example2(1.0, 0.5, 1.5, 0.3, 0.2, 1.0, 0.1)
    with pytest.raises(qb.InputError, match="solver: expected one of"):
        C.steady_state(m, solver="svd")
    with pytest.raises(qb.InputError, match="maxiter"):
        C.steady_state(m, solver="iterative", maxiter=0)
