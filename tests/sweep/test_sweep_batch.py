"""Batched sweep chunks: the gksl kind solves a chunk's points in vectorised calls.

The batched dataset equals the per-point one (``batch=False``) to the solver's tolerance
(final_ outputs: the configured rtol; steady_ outputs: 1e-10), both agree with independent
computations (matrix exponential and null vector of each point's Liouvillian, written here), and a
resumed batched sweep gives the identical dataset (whole blocks are recomputed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.linalg as sla

import qbath as qb
from qbath.config import batch_evaluator, kind_problem, load_config
from qbath.generators import as_lindblad

xr = pytest.importorskip("xarray")
distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]

# the damped exchange pair of examples/gksl_lindblad.toml, integrated to t = 4 at tight tolerances
TIGHT = {"solver.t_max": 4.0, "solver.n_times": 9, "solver.rtol": 1e-9, "solver.atol": 1e-11}
OUTPUTS = ["final_Z0", "final_purity", "steady_Z0", "steady_l1_coherence"]
# rate 0 for both channels (point 0) has no unique steady state: the points of its block take
# their steady states point by point (the one reached from the initial state)
AXES = ["model.lindblad[0].rate=0,0.3,0.6", "model.lindblad[1].rate=0,0.05,0.1,0.2"]


@pytest.fixture(scope="module")
def client():
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0"
    ) as c:
        yield c


def gksl_plan():
    cfg = load_config(ROOT / "examples" / "gksl_lindblad.toml").with_values(TIGHT)
    return qb.sweep.plan_sweep(cfg, AXES, outputs=OUTPUTS)


def liouvillian_of(g0, g1):
    """The point's generator written out: H and the two jump operators of the configuration."""
    sz, sx, sy = qb.sigmaz(), qb.sigmax(), qb.sigmay()
    one = np.eye(2)
    H = 0.5 * np.kron(sz, one) + 0.5 * np.kron(one, sz)
    H = H + 0.1 * (np.kron(sx, sx) + np.kron(sy, sy))
    c = [np.sqrt(g0) * np.kron(qb.sigmam(), one), np.sqrt(g1) * np.kron(qb.sigmap(), one)]
    return qb.solve.liouvillian((H, c))


def test_gksl_batched_sweep_equals_per_point_and_independent_values(client, tmp_path):
    plan = gksl_plan()
    per_point = qb.sweep.run_sweep(plan, tmp_path / "p", client=client, batch=False)
    batched = qb.sweep.run_sweep(plan, tmp_path / "b", client=client, chunk_size=4)
    assert batched.attrs["n_failed"] == 0 and "error" not in batched
    assert sorted(p.name for p in (tmp_path / "b" / "chunks").iterdir()) == [
        "points-000000000.nc",
        "points-000000004.nc",
        "points-000000008.nc",
    ]
    for name in ("final_Z0", "final_purity"):
        assert np.abs(batched[name].values - per_point[name].values).max() < 1e-8
    for name in ("steady_Z0", "steady_l1_coherence"):
        assert np.abs(batched[name].values - per_point[name].values).max() < 1e-10
    assert batched.attrs["config"] == per_point.attrs["config"]
    # independent: expm and the null vector of each point's Liouvillian (column stacking)
    Z0 = np.kron(qb.sigmaz(), np.eye(2))
    rho0 = np.zeros((4, 4))
    rho0[2, 2] = 1.0  # basis [1, 0]: |down, up>
    for i, g0 in enumerate([0.0, 0.3, 0.6]):
        for j, g1 in enumerate([0.0, 0.05, 0.1, 0.2]):
            L = liouvillian_of(g0, g1)
            rho = (sla.expm(4.0 * L) @ rho0.ravel(order="F")).reshape(4, 4, order="F")
            assert abs(batched.final_Z0.values[i, j] - np.trace(Z0 @ rho).real) < 1e-8
            if g0 > 0:
                v = sla.null_space(L)[:, 0].reshape(4, 4, order="F")
                v = v / np.trace(v)
                assert abs(batched.steady_Z0.values[i, j] - np.trace(Z0 @ v).real) < 1e-10


def test_resumed_batched_sweep_is_identical(client, tmp_path):
    plan = gksl_plan()
    out = tmp_path / "s"
    full = qb.sweep.run_sweep(plan, out, client=client, chunk_size=4)
    (out / "chunks" / "points-000000004.nc").unlink()
    (out / "sweep.nc").unlink()
    assert qb.sweep.resume_count(out, plan) == 8
    again = qb.sweep.run_sweep(plan, out, client=client, chunk_size=4)
    assert again.identical(full)


def test_batched_and_per_point_chunks_directly():
    """compute_chunk with and without batching, and the hook's choice of points."""
    plan = gksl_plan()
    pc = kind_problem("gksl")
    datas = [plan.point_data(p) for p in range(4, 12)]
    one = qb.sweep.compute_chunk(pc, datas, list(range(4, 12)), plan.outputs, batch=False)
    many = qb.sweep.compute_chunk(pc, datas, list(range(4, 12)), plan.outputs)
    assert np.abs(one["values"] - many["values"]).max() < 1e-8
    got = pc.evaluate_batch(datas, plan.outputs)
    assert all(v is not None for v in got)
    # a member with several steady states: the batch keeps its final states, and every point
    # finds the steady state its initial state reaches (as the per-point path does)
    mixed = [plan.point_data(0), *datas[:2]]
    got = pc.evaluate_batch(mixed, plan.outputs)
    want = [qb.config.evaluate_data(pc, d, plan.outputs) for d in mixed]
    for g, w in zip(got, want, strict=True):
        assert all(abs(g[k] - w[k]) < 1e-8 for k in plan.outputs)
    # a driven point, or a point alone, is not batched
    drive = {"op": "XI", "shape": "cos", "amplitude": 0.1, "frequency": 1.0}
    driven = plan.config.with_values({"model.drive": [drive]}).data
    assert pc.evaluate_batch([driven, driven, datas[0]], plan.outputs) == [None] * 3
    assert batch_evaluator(kind_problem("qubit")) is None


def test_davies_points_with_different_jump_sets(client):
    """three_qubits (Davies) points whose generators have different numbers of jump operators
    (the coupling changes the Bohr frequencies) share one batched call (their steady states are
    not unique: each is the one the initial state reaches, computed per point)."""
    cfg = load_config(ROOT / "examples" / "gksl_three_qubits.toml")
    cfg = cfg.with_values({"model.bath.alpha": 0.01, "initial.basis": [0, 1, 0], **TIGHT})
    plan = qb.sweep.plan_sweep(
        cfg, ["coupling_zz=0,0.2,0.5"], outputs=["final_Z0", "steady_purity"]
    )
    pc = kind_problem("gksl")
    datas = [plan.point_data(p) for p in range(3)]
    counts = {as_lindblad(pc(d).generator).jumps.count for d in datas}
    assert len(counts) > 1
    got = pc.evaluate_batch(datas, plan.outputs)
    want = [qb.config.evaluate_data(pc, d, plan.outputs) for d in datas]
    for g, w in zip(got, want, strict=True):
        assert g is not None
        assert abs(g["final_Z0"] - w["final_Z0"]) < 1e-8
        assert abs(g["steady_purity"] - w["steady_purity"]) < 1e-10


def test_collision_points_are_solved_one_by_one():
    """The collision kind has no batch hook: its points take the per-point path exactly."""
    cfg = load_config(ROOT / "examples" / "collision_example2.toml")
    plan = qb.sweep.plan_sweep(cfg, ["kappa=0:2:3", "beta=0.5,2"])
    pc = kind_problem("collision")
    assert qb.config.batch_evaluator(pc) is None
    datas = [plan.point_data(p) for p in range(plan.grid.size)]
    pts = list(range(plan.grid.size))
    one = qb.sweep.compute_chunk(pc, datas, pts, plan.outputs, batch=False)
    many = qb.sweep.compute_chunk(pc, datas, pts, plan.outputs)
    assert np.array_equal(one["values"], many["values"], equal_nan=True)
