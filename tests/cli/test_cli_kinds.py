"""End to end: configurations of each physics kind give what the library gives when called directly,
and what independent references (QuTiP, hand-built operators) give.

``need_physics`` fails a test whose physics API is missing.
"""

import numpy as np
import pytest

import qbath as qb
from cli_helpers import EXAMPLES, need_physics
from qbath.cli import main
from qbath.config import evaluate_outputs, load_config, parse_config, run_config

xr = pytest.importorskip("xarray")

EX2 = dict(omega_s=1.0, omega_1=0.5, omega_2=1.5, kappa=0.3, alpha=0.2, beta=1.0, dt=0.1)


def collision_cfg(**solver):
    return parse_config(
        {
            "kind": "collision",
            "model": {"preset": "structured_example2", **EX2},
            "initial": {"thermal_beta": 1.0},
            "solver": {"n_collisions": 40, **solver},
            "output": {"expect": ["X", "Z"]},
        }
    )


@pytest.mark.parametrize("method", ["exact", "second_order"])
def test_collision_run_equals_the_library_call(method):
    need_physics("collision.evolve", "collision.structured_example2")
    ds = run_config(collision_cfg(map=method))
    model = qb.collision.structured_example2(**EX2)
    rho0 = qb.thermal_state(0.5 * qb.sigmaz(), 1.0)  # the seed's Fig. 3 initial state, beta_S = 1
    res = qb.collision.evolve(model, rho0, 40, method=method)
    assert np.allclose(ds.expect_Z.values, qb.expect(qb.sigmaz(), res.states), atol=1e-13)
    assert np.allclose(ds.expect_X.values, qb.expect(qb.sigmax(), res.states), atol=1e-13)
    for name in ("heat", "delta_u", "switching_work", "entropy_production", "first_law_residual"):
        assert np.isnan(ds[name].values[0])
        assert np.allclose(ds[name].values[1:], getattr(res, name), atol=1e-15), name
    assert np.allclose(ds.time.values, 0.1 * np.arange(41))
    assert ds.attrs["method"] == method and ds.attrs["config_kind"] == "collision"


def test_collision_scalars_are_steady_state_quantities():
    need_physics("collision.steady_state")
    cfg = collision_cfg()
    names = [
        "steady_Z",
        "steady_l1_coherence",
        "steady_heat",
        "steady_switching_work",
        "total_heat",
        "final_Z",
    ]
    out = evaluate_outputs(cfg, names)
    model = qb.collision.structured_example2(**EX2)
    ss = qb.collision.steady_state(model)
    one = qb.collision.evolve(model, ss, 1)
    run = qb.collision.evolve(model, qb.thermal_state(0.5 * qb.sigmaz(), 1.0), 40)
    assert out["steady_Z"] == pytest.approx((ss[0, 0] - ss[1, 1]).real, abs=1e-13)
    assert out["steady_Z"] == pytest.approx(
        0.457, abs=1e-3
    )  # docs/conventions.md: the literal Eq. 53
    assert out["steady_l1_coherence"] == pytest.approx(2 * abs(ss[0, 1]), abs=1e-13)
    assert out["steady_heat"] == pytest.approx(one.heat[0], abs=1e-15)
    assert out["steady_switching_work"] == pytest.approx(one.switching_work[0], abs=1e-15)
    # at the steady state the energy books balance: W_sw = -dQ (seed 001, Fig. 7)
    assert out["steady_switching_work"] == pytest.approx(-out["steady_heat"], abs=1e-12)
    assert out["total_heat"] == pytest.approx(run.heat.sum(), abs=1e-14)
    assert out["final_Z"] == pytest.approx(qb.expect(qb.sigmaz(), run.states)[-1], abs=1e-13)


def test_collision_pauli_preset_equals_a_hand_built_model():
    need_physics("collision.CollisionModel", "collision.evolve")
    cfg = load_config(EXAMPLES / "collision_pauli.toml", {"solver.n_collisions": 25})
    ds = run_config(cfg)
    sz, sp, sm, I2 = qb.sigmaz(), qb.sigmap(), qb.sigmam(), qb.qeye(2)
    h_e = (
        0.25 * qb.tensor(sz, I2)
        + 0.75 * qb.tensor(I2, sz)
        + 0.6 * (qb.tensor(sp, sm) + qb.tensor(sm, sp))
    )
    h_se = 0.2 * (
        qb.tensor(sp, sm, I2) + qb.tensor(sm, sp, I2)
    )  # 0.1 (XX + YY) = 0.2 (s+ s- + s- s+)
    model = qb.collision.CollisionModel(
        0.5 * sz, h_e, h_se, 0.1, beta=1.0, system_dims=(2,), ancilla_dims=(2, 2)
    )
    res = qb.collision.evolve(model, np.diag([1.0, 0.0]), 25)
    assert np.allclose(ds.expect_Z.values, qb.expect(sz, res.states), atol=1e-13)
    assert np.allclose(ds.heat.values[1:], res.heat, atol=1e-15)
    assert np.max(np.abs(ds.first_law_residual.values[1:])) < 1e-12


def test_collision_sweep_matches_pointwise_steady_states(tmp_path):
    need_physics("collision.steady_state")
    distributed = pytest.importorskip("distributed")
    plan = qb.sweep.plan_sweep(
        collision_cfg(), ["kappa=0:1:3", "beta=0.5,2"], outputs=["steady_Z", "steady_l1_coherence"]
    )
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0"
    ) as client:
        ds = qb.sweep.run_sweep(plan, tmp_path / "sw", client=client)
    for i, kappa in enumerate([0.0, 0.5, 1.0]):
        for j, beta in enumerate([0.5, 2.0]):
            ss = qb.collision.steady_state(
                qb.collision.structured_example2(**{**EX2, "kappa": kappa, "beta": beta})
            )
            assert ds.steady_Z.values[i, j] == pytest.approx((ss[0, 0] - ss[1, 1]).real, abs=1e-13)
            assert ds.steady_l1_coherence.sel(kappa=kappa, beta=beta).item() == pytest.approx(
                2 * abs(ss[0, 1]), abs=1e-13
            )


def test_gksl_lindblad_matches_qutip():
    need_physics("mesolve", "steady_state")
    qutip = pytest.importorskip("qutip")
    cfg = load_config(
        EXAMPLES / "gksl_lindblad.toml",
        {"solver.t_max": 10.0, "solver.n_times": 21, "solver.rtol": 1e-10, "solver.atol": 1e-12},
    )
    ds = run_config(cfg)
    sz, sx, sy, sm, sp, I2 = (
        qutip.sigmaz(),
        qutip.sigmax(),
        qutip.sigmay(),
        qutip.sigmam(),
        qutip.sigmap(),
        qutip.qeye(2),
    )
    H = 0.5 * (qutip.tensor(sz, I2) + qutip.tensor(I2, sz)) + 0.1 * (
        qutip.tensor(sx, sx) + qutip.tensor(sy, sy)
    )
    c_ops = [np.sqrt(0.2) * qutip.tensor(sm, I2), np.sqrt(0.02) * qutip.tensor(sp, I2)]
    rho0 = qutip.ket2dm(qutip.tensor(qutip.basis(2, 1), qutip.basis(2, 0)))
    ref = qutip.mesolve(
        H,
        rho0,
        ds.time.values,
        c_ops,
        e_ops=[qutip.tensor(sz, I2), qutip.tensor(I2, sz)],
        options={"atol": 1e-10, "rtol": 1e-10},
    )
    assert np.allclose(ds.expect_Z0.values, ref.expect[0], atol=1e-8)
    assert np.allclose(ds.expect_Z1.values, ref.expect[1], atol=1e-8)
    ss = qutip.steadystate(H, c_ops)
    out = evaluate_outputs(cfg, ["steady_Z0", "steady_Z1"])
    assert out["steady_Z0"] == pytest.approx(qutip.expect(qutip.tensor(sz, I2), ss), abs=1e-8)
    assert out["steady_Z1"] == pytest.approx(qutip.expect(qutip.tensor(I2, sz), ss), abs=1e-8)


def test_gksl_three_qubits_equals_the_library_call():
    need_physics("master.three_qubits", "davies", "OhmicBath", "mesolve", "steady_state")
    cfg = load_config(
        EXAMPLES / "gksl_three_qubits.toml", {"solver.t_max": 5.0, "solver.n_times": 11}
    )
    ds = run_config(cfg)
    H, A = qb.master.three_qubits(1.0, 0.2)
    gen = qb.davies(H, [(A, qb.OhmicBath(0.05, 10.0, 0.5))], lamb_shift=True)
    rho0 = np.zeros((8, 8))
    rho0[0, 0] = 1.0  # |up up up>
    res = qb.mesolve(gen, rho0, np.linspace(0, 5, 11))
    z0 = np.kron(qb.sigmaz(), np.eye(4))
    assert np.allclose(
        ds.expect_Z0.values, [np.trace(z0 @ s).real for s in np.asarray(res.states)], atol=1e-12
    )
    assert ds.sizes["time"] == 11
    out = evaluate_outputs(
        cfg, ["steady_Z0"]
    )  # degenerate steady states: the one reached from rho0
    assert np.isfinite(out["steady_Z0"])


def test_spins_chain_exact_matches_qutip_with_the_documented_coupling():
    """[model.coupling] is J_ij^ab = strength A_ij M^ab on both orderings of each bond (i != j)."""
    need_physics("spins.SpinModel", "spins.exact")
    qutip = pytest.importorskip("qutip")
    n = 3
    cfg = load_config(
        EXAMPLES / "spins_chain.toml",
        {
            "model.n": n,
            "solver.level": "exact",
            "solver.t_max": 4.0,
            "solver.n_times": 9,
            "model.coupling.matrix": [[1.0, 0.0, 0.3], [0.0, 1.0, 0.0], [0.0, 0.0, 0.5]],
            "solver.rtol": 1e-10,
            "solver.atol": 1e-12,
        },
    )
    ds = run_config(cfg)
    paulis = [qutip.sigmax(), qutip.sigmay(), qutip.sigmaz()]

    def op(p, i):
        return qutip.tensor([p if k == i else qutip.qeye(2) for k in range(n)])

    M = np.array([[1.0, 0.0, 0.3], [0.0, 1.0, 0.0], [0.0, 0.0, 0.5]])
    H = sum(0.5 * op(qutip.sigmaz(), i) for i in range(n))
    bonds = [(i, i + 1) for i in range(n - 1)]  # chain: (0, 1), (1, 2), in both orders
    for i, j in bonds + [(j, i) for i, j in bonds]:
        H += sum(
            0.125 * M[a, b] * op(paulis[a], i) * op(paulis[b], j)
            for a in range(3)
            for b in range(3)
        )
    c_ops = [np.sqrt(0.1) * op(qutip.sigmam(), i) for i in range(n)]
    plus = (qutip.basis(2, 0) + qutip.basis(2, 1)).unit()
    rho0 = qutip.ket2dm(qutip.tensor([plus] * n))
    e_ops = [op(p, i) for i in range(n) for p in paulis]
    ref = qutip.mesolve(
        H, rho0, ds.time.values, c_ops, e_ops=e_ops, options={"atol": 1e-10, "rtol": 1e-10}
    )
    want = np.stack(ref.expect, axis=-1).reshape(-1, n, 3)
    assert np.allclose(ds.bloch.values, want, atol=1e-7)


def test_spins_cumulant_outputs():
    need_physics("spins.SpinModel", "spins.cumulant")
    cfg = load_config(EXAMPLES / "spins_chain.toml", {"solver.t_max": 2.0, "solver.n_times": 5})
    ds = run_config(cfg)
    out = evaluate_outputs(cfg, ["final_mean_x", "final_z2"])
    assert out["final_mean_x"] == pytest.approx(ds.mean_bloch.sel(component="x").values[-1])
    assert out["final_z2"] == pytest.approx(ds.bloch.sel(spin=2, component="z").values[-1])
    assert ds.correlations.dims == ("time", "spin", "spin_b", "component", "component_b")


_NEEDS = {
    "qubit": (),
    "collision": ("collision.evolve", "collision.steady_state"),
    "gksl": ("mesolve", "davies", "OhmicBath", "master.three_qubits", "steady_state"),
    "spins": ("spins.SpinModel", "spins.cumulant"),
}
_SHRINK = {
    "qubit": [],
    "collision": ["solver.n_collisions=20"],
    "gksl": ["solver.t_max=2.0", "solver.n_times=5"],
    "spins": ["solver.t_max=1.0", "solver.n_times=5"],
}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_config_runs(path, tmp_path, capsys):
    cfg = load_config(path)
    need_physics(*_NEEDS[cfg.kind])
    args = [a for s in _SHRINK[cfg.kind] for a in ("--set", s)]
    assert main(["-q", "run", str(path), "--out", str(tmp_path), "--no-plots", *args]) == 0
    ds = qb.io.load(tmp_path / f"{path.stem}.nc")
    assert ds.attrs["config_kind"] == cfg.kind and ds.attrs["title"] == cfg.name
    assert all(
        np.all(np.isfinite(ds[v].values[1:])) for v in ds.data_vars if ds[v].dtype.kind == "f"
    )
    overrides = {
        k: qb.config.parse_value(v) for k, v in (s.split("=", 1) for s in _SHRINK[cfg.kind])
    }
    out = evaluate_outputs(load_config(path, overrides))  # the example's [sweep] outputs
    assert out and all(np.isfinite(v) for v in out.values())


def test_example_scripts_run(tmp_path):
    """examples/*.py run (quick mode) and print their one-line summary."""
    import os
    import subprocess
    import sys

    from cli_helpers import ROOT

    need_physics("collision.steady_state", "collision.evolve")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    for script in sorted(EXAMPLES.glob("*.py")):
        r = subprocess.run(
            [sys.executable, str(script), "--quick", "--out", str(tmp_path / script.stem)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert r.returncode == 0, r.stdout + r.stderr
        assert "max |W_sw + dQ|" in r.stdout or script.stem != "fig5_map"
    assert (tmp_path / "fig5_map" / "fig5-map.png").stat().st_size > 10_000
    ds = qb.io.load(tmp_path / "fig5_map" / "sweep" / "sweep.nc")
    # Fig. 7 of seed 001: at the steady state the switching work equals minus the heat
    assert np.allclose(ds.steady_switching_work, -ds.steady_heat, atol=1e-12)


def test_driven_gksl_config_equals_the_list_form_call():
    """[[model.drive]] tables give H(t) = H0 + f(t) O, the same as qb.mesolve with the list form."""
    cfg = load_config(EXAMPLES / "gksl_driven.toml", {"solver.t_max": 10.0, "solver.n_times": 11})
    ds = run_config(cfg)
    tl = np.linspace(0, 10, 11)
    res = qb.mesolve(
        [0.5 * qb.sigmaz(), [qb.sigmax(), lambda t: 0.1 * np.cos(1.0 * t)]],
        qb.ket2dm(qb.basis(2, 1)),
        tl,
        [np.sqrt(0.05) * qb.sigmam()],
        e_ops=[qb.sigmaz()],
    )
    assert np.allclose(ds.expect_Z.values, res.expect[0], atol=1e-7)
    out = evaluate_outputs(cfg, ["final_Z"])
    assert out["final_Z"] == pytest.approx(res.expect[0][-1], abs=1e-7)
    with pytest.raises(qb.InputError, match="steady"):
        evaluate_outputs(cfg, ["steady_Z"])


@pytest.mark.parametrize(
    "shape, extra, f",
    [
        ("sin", {"frequency": 2.0, "phase": 0.3}, lambda t: 0.7 * np.sin(2.0 * t + 0.3)),
        (
            "gaussian",
            {"center": 1.0, "width": 0.5, "frequency": 3.0},
            lambda t: 0.7 * np.exp(-((t - 1.0) ** 2) / 0.5) * np.cos(3.0 * t),
        ),
        ("ramp", {"start": 0.5, "stop": 1.5}, lambda t: 0.7 * np.clip(t - 0.5, 0, 1)),
        (
            "piecewise",
            {"times": [0.0, 1.0], "values": [1.0, -2.0]},
            lambda t: 0.7 * (1.0 if t < 1.0 else -2.0),
        ),
    ],
)
def test_drive_shapes(shape, extra, f):
    from qbath.config._drive import drive_coefficient

    d = {
        "amplitude": 0.7,
        "frequency": 0.0,
        "phase": 0.0,
        "center": 0.0,
        "width": 1.0,
        "start": 0.0,
        "stop": 1.0,
        "times": [0.0],
        "values": [1.0],
        "shape": shape,
        **extra,
    }
    c = drive_coefficient("model.drive[0]", d)
    for t in (0.0, 0.4, 0.99, 1.2, 2.5):
        assert c(t) == pytest.approx(f(t), abs=1e-14)


def test_drive_table_errors_name_the_key():
    base = (EXAMPLES / "gksl_driven.toml").read_text()
    with pytest.raises(qb.InputError, match=r"model\.drive\[0\]\.shape"):
        parse_config(base.replace('shape = "cos"', 'shape = "square"'))
    with pytest.raises(qb.InputError, match=r"model\.drive\[0\]\.op"):
        parse_config(base.replace('op = "X"', 'op = "XX"'))


def test_driven_collision_config_runs_the_driven_model():
    text = (EXAMPLES / "collision_pauli.toml").read_text()
    text = text.replace(
        "[initial]",
        '[[model.drive]]\nop = "X"\nshape = "cos"\namplitude = 0.2\nfrequency = 1.0\n\n[initial]',
        1,
    )
    cfg = parse_config(text)
    ds = run_config(cfg)
    assert np.nanmax(np.abs(ds["work"].values)) > 1e-4  # the drive does work on the system
    assert np.nanmax(np.abs(ds["first_law_residual"].values)) < 1e-12
