"""Resumable Dask sweeps: values, grid order, resume after an interruption, bad sweeps.

The plumbing is tested with the closed-form ``qubit`` kind, whose values the tests recompute
independently from the formulas (so grid order and reshaping are checked too).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import qbath as qb
from qbath.cli import main
from qbath.config import KINDS, ConfigError, parse_config
from sweep_helpers import SWEEP_TOML, FailingQubit

xr = pytest.importorskip("xarray")
distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def client():
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=4, dashboard_address=":0"
    ) as c:
        yield c


def closed_form(omega, beta, gamma=0.3, t=2.0, s0=(1.0, 0.0, 0.0)):
    """final <Z>, steady <Z> and final l1 coherence of the relaxing qubit, written out directly."""
    nbar = 1.0 / (np.exp(beta * omega) - 1.0)
    rate = gamma * (2 * nbar + 1)
    z_inf = -(1.0 / (2 * nbar + 1))
    z = z_inf + (s0[2] - z_inf) * np.exp(-rate * t)
    coh = np.hypot(s0[0], s0[1]) * np.exp(-rate * t / 2)  # |x - i y| = l1 coherence of a qubit
    return z, z_inf, coh


def test_sweep_values_and_grid_order(client, tmp_path):
    cfg = parse_config(SWEEP_TOML.format(delay=0.0))
    plan = qb.sweep.plan_sweep(cfg, ["omega=0.5:2:4", "model.beta=0.5,1,3"])
    ds = qb.sweep.run_sweep(plan, tmp_path / "s", client=client, chunk_size=5)
    assert ds.final_Z.dims == ("omega", "beta") and ds.final_Z.shape == (4, 3)
    assert np.allclose(ds.omega.values, [0.5, 1.0, 1.5, 2.0]) and np.allclose(
        ds.beta.values, [0.5, 1.0, 3.0]
    )
    assert ds.omega.attrs["config_key"] == "model.omega"
    om, be = np.meshgrid(ds.omega.values, ds.beta.values, indexing="ij")
    z, z_inf, coh = closed_form(om, be)
    assert np.allclose(ds.final_Z.values, z, atol=1e-12)
    assert np.allclose(ds.steady_Z.values, z_inf, atol=1e-12)
    assert np.allclose(ds.final_l1_coherence.values, coh, atol=1e-12)
    assert "error" not in ds and ds.attrs["n_failed"] == 0
    assert ds.attrs["sweep_keys"] == '["model.omega", "model.beta"]'
    assert sorted(p.name for p in (tmp_path / "s" / "chunks").iterdir()) == [
        "points-000000000.nc",
        "points-000000005.nc",
        "points-000000010.nc",
    ]
    with xr.open_dataset(tmp_path / "s" / "sweep.nc") as disk:
        assert disk.identical(ds)


def test_resume_recomputes_only_missing_points(client, tmp_path):
    cfg = parse_config(SWEEP_TOML.format(delay=0.0))
    plan = qb.sweep.plan_sweep(cfg, [("omega", [0.5, 1.0, 1.5]), ("beta", [1.0, 2.0])])
    out = tmp_path / "s"
    full = qb.sweep.run_sweep(plan, out, client=client, chunk_size=1)
    chunks = sorted((out / "chunks").iterdir())
    kept = {p: p.stat().st_mtime_ns for p in chunks[::2]}
    for p in chunks[1::2]:
        p.unlink()
    (out / "sweep.nc").unlink()
    assert qb.sweep.resume_count(out, plan) == 3
    again = qb.sweep.run_sweep(plan, out, client=client, chunk_size=2)
    assert again.identical(full)
    assert all(
        p.stat().st_mtime_ns == t for p, t in kept.items()
    )  # finished points were not redone
    # a third run finds everything done and computes nothing (no client needed)
    assert qb.sweep.run_sweep(plan, out, client=None).identical(full)


def test_parameters_from_the_config_table_and_cli_override(client, tmp_path):
    text = SWEEP_TOML.format(delay=0.0) + '[sweep.params]\nomega = "1:2:2"\nbeta = [0.5, 1.0]\n'
    cfg = parse_config(text)
    plan = qb.sweep.plan_sweep(cfg, ["beta=2,3,4"])
    assert [a.key for a in plan.grid.axes] == ["model.omega", "model.beta"]
    assert plan.grid.axes[1].values == (2.0, 3.0, 4.0)
    assert plan.grid.size == 6
    with pytest.raises(ConfigError, match=r"--param: expected at least one sweep parameter"):
        qb.sweep.plan_sweep(parse_config(SWEEP_TOML.format(delay=0.0)))


def test_bad_sweeps_name_the_key(tmp_path):
    cfg = parse_config(SWEEP_TOML.format(delay=0.0))
    with pytest.raises(
        ConfigError, match=r"model.gamma: expected a real number >= 0, got -1.0 \(float\)"
    ):
        qb.sweep.plan_sweep(cfg, ["gamma=-1:1:3"])
    with pytest.raises(ConfigError, match=r"solver.n_times: expected an integer >= 2, got 2.5"):
        qb.sweep.plan_sweep(cfg, ["n_times=2.5,3"])
    with pytest.raises(ConfigError, match=r"kappa: expected a key of this configuration"):
        qb.sweep.plan_sweep(cfg, ["kappa=0:1:3"])
    with pytest.raises(ConfigError, match=r"sweep.outputs\[0\]: expected final_ or steady_"):
        qb.sweep.plan_sweep(cfg, ["omega=1,2"], outputs=["mean_Z"])


def test_failed_points_are_recorded_not_fatal(client, tmp_path, monkeypatch):
    monkeypatch.setitem(KINDS, "failing-qubit", FailingQubit)
    cfg = parse_config(
        SWEEP_TOML.format(delay=0.0).replace('kind = "qubit"', 'kind = "failing-qubit"')
    )
    plan = qb.sweep.plan_sweep(cfg, ["omega=1:2:3"])
    ds = qb.sweep.run_sweep(plan, tmp_path / "f", client=client)
    assert ds.attrs["n_failed"] == 1
    assert np.isnan(ds.final_Z.values[2]) and np.all(np.isfinite(ds.final_Z.values[:2]))
    assert list(ds.error.values[:2]) == ["", ""]
    assert ds.error.values[2] == "RuntimeError: no convergence at omega=2.0"


def test_a_directory_holding_another_sweep_is_refused(tmp_path, capsys):
    cfg_path = tmp_path / "q.toml"
    cfg_path.write_text(SWEEP_TOML.format(delay=0.0))
    out = tmp_path / "out"
    args = [
        "-q",
        "sweep",
        str(cfg_path),
        "--out",
        str(out),
        "--threads",
        "--workers",
        "1",
        "--no-plots",
    ]
    assert main([*args, "--param", "omega=1,2"]) == 0
    assert main([*args, "--param", "omega=1,3"]) == 2
    err = capsys.readouterr().err
    assert "holding a different sweep (differs in: axes); pass --restart" in err
    assert main([*args, "--param", "omega=1,3", "--restart"]) == 0
    assert np.allclose(xr.open_dataset(out / "sweep.nc").omega.values, [1.0, 3.0])


def test_cli_sweep_writes_maps(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    cfg_path = tmp_path / "q.toml"
    cfg_path.write_text(SWEEP_TOML.format(delay=0.0))
    out = tmp_path / "out"
    assert (
        main(
            [
                "sweep",
                str(cfg_path),
                "--param",
                "omega=1:2:3",
                "--param",
                "beta=1,2",
                "--out",
                str(out),
                "--threads",
                "--workers",
                "2",
                "--output",
                "steady_Z",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "sweep of 6 points over model.omega (3), model.beta (2)" in text
    assert (out / "steady_Z.png").stat().st_size > 1000
    assert list(xr.open_dataset(out / "sweep.nc").data_vars) == ["steady_Z"]


def _sweep_cmd(cfg_path, out):
    return [
        sys.executable,
        "-m",
        "qbath",
        "-q",
        "sweep",
        str(cfg_path),
        "--param",
        "omega=0.5:2:4",
        "--param",
        "beta=0.5,1,2",
        "--out",
        str(out),
        "--workers",
        "1",
        "--chunk-size",
        "1",
        "--no-plots",
    ]


def test_killed_sweep_resumes_to_the_same_dataset(client, tmp_path):
    """Kill the whole sweep (client, nanny and worker processes) halfway, re-run: same sweep.nc."""
    cfg_path = tmp_path / "slow.toml"
    cfg_path.write_text(SWEEP_TOML.format(delay=0.15))
    out = tmp_path / "killed"
    env = dict(
        os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")
    )
    proc = subprocess.Popen(
        _sweep_cmd(cfg_path, out),
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while len(list((out / "chunks").glob("points-*.nc"))) < 4:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "the sweep wrote no chunks in time"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    done_before = len(list((out / "chunks").glob("points-*.nc")))
    assert 4 <= done_before < 12 and not (out / "sweep.nc").exists()

    r = subprocess.run(
        _sweep_cmd(cfg_path, out), env=env, capture_output=True, text=True, timeout=300
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"resuming: {done_before}/12 points already done" in r.stdout
    resumed = qb.io.load(out / "sweep.nc")

    # the same sweep, uninterrupted (in-process; same config file, hence the same attributes)
    plan = qb.sweep.plan_sweep(qb.config.load_config(cfg_path), ["omega=0.5:2:4", "beta=0.5,1,2"])
    straight = qb.sweep.run_sweep(plan, tmp_path / "straight", client=client)
    assert resumed.identical(straight)
    om, be = np.meshgrid(straight.omega.values, straight.beta.values, indexing="ij")
    assert np.allclose(resumed.steady_Z.values, closed_form(om, be)[1], atol=1e-12)


def test_existing_scheduler_by_address(tmp_path, capsys):
    """--scheduler ADDRESS: the sweep runs on a cluster it did not start (and leaves it running)."""
    cfg_path = tmp_path / "q.toml"
    cfg_path.write_text(SWEEP_TOML.format(delay=0.0))
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as cluster:
        out = tmp_path / "remote"
        argv = [
            "-q",
            "sweep",
            str(cfg_path),
            "--param",
            "beta=1,2,3",
            "--out",
            str(out),
            "--scheduler",
            cluster.scheduler_address,
            "--no-plots",
        ]
        assert main(argv) == 0
        assert cluster.scheduler.status.name == "running"
        with distributed.Client(cluster.scheduler_address) as c:
            assert len(c.scheduler_info()["workers"]) == 1
    ds = qb.io.load(out / "sweep.nc")
    _, z_inf, _ = closed_form(1.0, ds.beta.values)
    assert np.allclose(ds.steady_Z.values, z_inf, atol=1e-12)


def test_teardown_timeout_noise_is_filtered_but_real_errors_are_not():
    """asyncio's 'never retrieved' report of a Dask close TimeoutError is dropped; others stay."""
    import asyncio
    import gc
    import io
    import logging

    from qbath.sweep._sweep import _TeardownNoise

    log = logging.getLogger("asyncio")
    filt, buf = _TeardownNoise(), io.StringIO()
    handler = logging.StreamHandler(buf)
    log.addFilter(filt)
    log.addHandler(handler)
    try:

        async def main():
            loop = asyncio.get_running_loop()
            for exc in (TimeoutError("Timeout"), ValueError("real")):
                f = loop.create_future()
                f.set_exception(exc)
                del f
                gc.collect()

        asyncio.run(main())
    finally:
        log.removeFilter(filt)
        log.removeHandler(handler)
    assert "ValueError: real" in buf.getvalue()
    assert "TimeoutError" not in buf.getvalue()
