"""Faults of ``qbath sweep`` (and ``qbath.io.load``) as a user meets them, with real processes.

Every fault ends with exit status 2 and one ``qbath: error:`` line on stderr, no traceback. Sweeps
take a lock on their folder, keep a checksum per chunk in the manifest and write files with the
permissions of the umask.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import qbath as qb
from cli_helpers import ENV

xr = pytest.importorskip("xarray")
pytest.importorskip("distributed")


TOML = """
kind = "qubit"

[model]
omega = 1.0
gamma = 0.3
beta = 1.0

[initial]
bloch = [1.0, 0.0, 0.0]

[solver]
t_max = 2.0
n_times = 5
delay = {delay}

[sweep]
outputs = ["final_Z", "steady_Z"]
"""


def steady_z(omega, beta):
    """Steady <Z> of the relaxing qubit, -tanh(beta omega / 2), written independently."""
    return -np.tanh(np.asarray(beta) * np.asarray(omega) / 2)


@pytest.fixture
def cfg(tmp_path):
    p = tmp_path / "q.toml"
    p.write_text(TOML.format(delay=0.0))
    return p


def qbath(*args, timeout=300, umask=None, **kw):
    cmd = [sys.executable, "-m", "qbath", "-q", *map(str, args)]
    pre = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run(
        cmd, env=ENV, capture_output=True, text=True, timeout=timeout, preexec_fn=pre, **kw
    )


def sweep_args(cfg, out, *extra):
    return (
        "sweep",
        cfg,
        "--param",
        "omega=0.5,1,2",
        "--out",
        out,
        "--threads",
        "--workers",
        "1",
        "--no-plots",
        *extra,
    )


def assert_one_line_error(r, *needles):
    assert r.returncode == 2, r.stdout + r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("qbath: error: "), r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    for n in needles:
        assert n in lines[0], lines[0]


# ---- output folders ------------------------------------------------------------------------------
def test_corrupt_manifest(cfg, tmp_path):
    out = tmp_path / "corrupt"
    out.mkdir()
    (out / "sweep.json").write_text("{not json")
    r = qbath(*sweep_args(cfg, out))
    assert_one_line_error(r, "sweep.json", "corrupt", "--restart")
    # --restart discards it and runs
    r = qbath(*sweep_args(cfg, out, "--restart"))
    assert r.returncode == 0, r.stderr
    ds = qb.io.load(out / "sweep.nc")
    assert np.allclose(ds.steady_Z.values, steady_z(ds.omega.values, 1.0), atol=1e-12)


@pytest.mark.parametrize("where", ["under_file", "proc"])
def test_impossible_output_path(cfg, tmp_path, where):
    out = cfg / "sub" if where == "under_file" else Path("/proc/qbath-cannot-exist/x")
    r = qbath(*sweep_args(cfg, out))
    assert_one_line_error(r, "out: expected a writable sweep folder", str(out))


def _sysfs_folder() -> Path | None:
    """An existing folder of the kernel's sysfs, where nobody (root included) may create files."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    if not any(m.split()[1:3] == ["/sys", "sysfs"] for m in mounts if len(m.split()) > 2):
        return None
    folder = Path("/sys/kernel")
    return folder if folder.is_dir() else None


@pytest.mark.parametrize("how", ["chmod", "sysfs"])
def test_read_only_output_folder(cfg, tmp_path, how):
    """An existing folder that refuses new files: mode 0555 (refused to users other than root), or
    a sysfs folder (refused to root as well), so the case is tested whoever runs the tests."""
    if how == "chmod":
        if os.geteuid() == 0:
            pytest.skip("root writes into folders of mode 0555; the sysfs case covers root")
        out = tmp_path / "ro"
        out.mkdir()
        out.chmod(0o555)
    else:
        out = _sysfs_folder()
        if out is None:
            pytest.skip("no sysfs mounted at /sys")
        before = sorted(p.name for p in out.iterdir())
    try:
        r = qbath(*sweep_args(cfg, out))
    finally:
        if how == "chmod":
            out.chmod(0o755)
    assert_one_line_error(r, "out: expected a writable sweep folder", str(out))
    assert "Permission denied" in r.stderr or "Operation not permitted" in r.stderr, r.stderr
    if how == "sysfs":
        assert sorted(p.name for p in out.iterdir()) == before


def test_run_into_impossible_folder(cfg):
    r = qbath("run", cfg, "--out", cfg / "sub", "--no-plots")
    assert_one_line_error(r)


@pytest.mark.parametrize("what", ["directory", "missing", "binary"])
def test_unreadable_configuration(tmp_path, what):
    path = {
        "directory": tmp_path,
        "missing": tmp_path / "none.toml",
        "binary": tmp_path / "b.toml",
    }[what]
    if what == "binary":
        path.write_bytes(bytes(range(128, 256)))
    r = qbath("run", path, "--no-plots")
    assert_one_line_error(r, str(path))


def test_half_made_folders(cfg, tmp_path):
    # a folder whose chunk directory is a file: one line
    out = tmp_path / "half"
    r = qbath(*sweep_args(cfg, out))
    assert r.returncode == 0, r.stderr
    shutil.rmtree(out / "chunks")
    (out / "chunks").write_text("not a folder")
    (out / "sweep.nc").unlink()
    r = qbath(*sweep_args(cfg, out))
    assert_one_line_error(r, "chunks")
    # chunk files without a manifest (killed before it was written): recomputed, right values
    out2 = tmp_path / "nomanifest"
    (out2 / "chunks").mkdir(parents=True)
    xr.Dataset(
        {"final_Z": ("point", [9.0]), "steady_Z": ("point", [9.0]), "error": ("point", [""])},
        coords={"point": [0]},
    ).to_netcdf(out2 / "chunks" / "points-000000000.nc")
    r = qbath(*sweep_args(cfg, out2))
    assert r.returncode == 0, r.stderr
    ds = qb.io.load(out2 / "sweep.nc")
    assert np.allclose(ds.steady_Z.values, steady_z(ds.omega.values, 1.0), atol=1e-12)


# ---- scheduler -----------------------------------------------------------------------------------
def test_unreachable_scheduler_fails_fast_with_one_line(cfg, tmp_path):
    t0 = time.monotonic()
    r = qbath(*sweep_args(cfg, tmp_path / "s", "--scheduler", "tcp://127.0.0.1:9"), timeout=60)
    elapsed = time.monotonic() - t0
    assert_one_line_error(r, "--scheduler", "tcp://127.0.0.1:9")
    assert elapsed < 25, elapsed  # Dask's own connect timeout alone is 30 s


@pytest.mark.parametrize(
    "address", ["tcp://host name:1", "http://x:1/path", "tcp://x:1;touch /tmp/p", "tcp://x:99999"]
)
def test_scheduler_address_is_validated(cfg, tmp_path, address):
    r = qbath(*sweep_args(cfg, tmp_path / "s", "--scheduler", address), timeout=60)
    assert_one_line_error(r, "--scheduler: expected")


def test_scheduler_address_parts():
    check = qb.sweep.check_scheduler_address
    assert check("tcp://10.0.0.2:8786") == ("tcp", "10.0.0.2", 8786)
    assert check("tls://sched.example.org:8786") == ("tls", "sched.example.org", 8786)
    assert check("localhost:8786") == ("tcp", "localhost", 8786)
    assert check("tcp://[::1]:8786") == ("tcp", "::1", 8786)
    with pytest.raises(qb.InputError, match="--scheduler: expected an address"):
        check("tcp://x:1 --evil")


def test_tls_files_are_checked(cfg, tmp_path):
    r = qbath(
        *sweep_args(
            cfg,
            tmp_path / "s",
            "--scheduler",
            "tls://127.0.0.1:9",
            "--tls-ca-file",
            tmp_path / "nope.pem",
            "--tls-cert",
            tmp_path / "c.pem",
        ),
        timeout=60,
    )
    assert_one_line_error(r, "--tls-ca-file: expected a readable PEM file")
    r = qbath(*sweep_args(cfg, tmp_path / "s", "--tls-cert", cfg), timeout=60)
    assert_one_line_error(r, "expected together with --scheduler")


def test_make_security_requires_encryption(tmp_path):
    ca, cert = tmp_path / "ca.pem", tmp_path / "cert.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    cert.write_text("-----BEGIN CERTIFICATE-----\n")
    sec = qb.sweep.make_security(ca_file=str(ca), cert=str(cert))
    assert sec.require_encryption
    assert sec.tls_ca_file == str(ca) and sec.tls_client_cert == str(cert)


@pytest.mark.parametrize("processes", [True, False])
def test_local_cluster_listens_on_loopback_only(processes):
    """The scheduler, its HTTP endpoints (dashboard) and the workers bind to 127.0.0.1."""
    from qbath.sweep._sweep import _start_client

    client, cluster = _start_client(None, 1, processes)
    try:
        if processes:
            assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        socks = [sk.getsockname()[0] for sk in cluster.scheduler.http_server._sockets.values()]
        assert socks and all(h == "127.0.0.1" for h in socks), socks
        for w in client.scheduler_info()["workers"]:
            assert w.startswith(("tcp://127.0.0.1:", "inproc://")), w
    finally:
        client.close()
        cluster.close()


# ---- lock, checksum, umask -----------------------------------------------------------------------
def _start_slow(tmp_path, out):
    slow = tmp_path / "slow.toml"
    slow.write_text(TOML.format(delay=1.0))
    args = (
        "sweep",
        slow,
        "--param",
        "omega=0.5:2:16",
        "--out",
        out,
        "--threads",
        "--workers",
        "1",
        "--chunk-size",
        "1",
        "--no-plots",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "qbath", "-q", *map(str, args)],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list((out / "chunks").glob("points-*.nc")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the slow sweep wrote no chunk in time"
        time.sleep(0.05)
    return args, proc


def test_second_sweep_and_restart_are_refused_while_one_runs(tmp_path):
    out = tmp_path / "shared"
    args, proc = _start_slow(tmp_path, out)
    try:
        # both at once, while the first sweep (16 points of 1 s) holds the lock
        cmds = [
            [sys.executable, "-m", "qbath", "-q", *map(str, a)]
            for a in (args, (*args, "--restart"))
        ]
        others = [
            subprocess.Popen(c, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for c in cmds
        ]
        results = []
        for o in others:
            so, se = o.communicate(timeout=120)
            results.append(subprocess.CompletedProcess(o.args, o.returncode, so, se))
        assert proc.poll() is None, (
            "the first sweep ended before the others were refused: make it slower"
        )
        for r in results:
            assert_one_line_error(r, "expected no other sweep running", f"pid {proc.pid}")
        _, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    ds = qb.io.load(out / "sweep.nc")
    assert ds.sizes["omega"] == 16
    assert np.allclose(ds.steady_Z.values, steady_z(ds.omega.values, 1.0), atol=1e-12)


def test_hand_edited_chunk_is_detected_and_recomputed(cfg, tmp_path):
    out = tmp_path / "edited"
    r = qbath(*sweep_args(cfg, out, "--chunk-size", "1"))
    assert r.returncode == 0, r.stderr
    manifest = json.loads((out / "sweep.json").read_text())
    assert set(manifest["chunks"]) == {f"points-{i:09d}.nc" for i in range(3)}
    assert all(len(v) == 64 for v in manifest["chunks"].values())
    # a valid netCDF chunk with a changed number
    chunk = out / "chunks" / "points-000000001.nc"
    with xr.open_dataset(chunk) as ds:
        edited = ds.load()
    edited["steady_Z"] = edited["steady_Z"] + 0.5
    chunk.unlink()
    edited.to_netcdf(chunk)
    (out / "sweep.nc").unlink()
    r = qbath(*sweep_args(cfg, out, "--chunk-size", "1", "-v"))
    assert r.returncode == 0, r.stderr
    assert "points-000000001.nc" in r.stderr and "checksum does not match" in r.stderr
    ds = qb.io.load(out / "sweep.nc")
    assert np.allclose(ds.steady_Z.values, steady_z(ds.omega.values, 1.0), atol=1e-12)


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_output_files_follow_the_umask(cfg, tmp_path, umask):
    out = tmp_path / f"umask{umask:o}"
    r = qbath(*sweep_args(cfg, out), umask=umask)
    assert r.returncode == 0, r.stderr
    files = [out / "sweep.nc", out / "sweep.json", *sorted((out / "chunks").glob("*.nc"))]
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~umask, f


def test_param_typo_suggests_the_key(cfg, tmp_path):
    r = qbath("sweep", cfg, "--param", "omgea=1,2", "--out", tmp_path / "t", "--no-plots")
    assert_one_line_error(r, "omgea", "did you mean 'omega'?")
    r = qbath("sweep", cfg, "--param", "model.gama=1,2", "--out", tmp_path / "t", "--no-plots")
    assert_one_line_error(r, "did you mean 'model.gamma'?")


# ---- qbath.io.load -------------------------------------------------------------------------------
def _open_files() -> list[str]:
    out = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            out.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    return out


def test_load_faults_name_the_file(tmp_path):
    good = tmp_path / "good.nc"
    qb.io.save(
        qb.mesolve(
            qb.davies(qb.sigmaz(), [(qb.sigmax(), qb.OhmicBath(0.02, 5.0, temperature=0.5))]),
            np.eye(2) / 2,
            [0.0, 1.0],
        ),
        good,
    )
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    trunc = tmp_path / "trunc.nc"
    trunc.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    badmeta = tmp_path / "badmeta.nc"
    xr.Dataset({"a": ("t", [1.0])}, attrs={"qbath_meta": "{oops"}).to_netcdf(badmeta)
    cases = {
        text: "which is not netCDF",
        tmp_path: "which is a directory",
        trunc: "could not be read",
        badmeta: "expected valid JSON in the 'qbath_meta' attribute",
        tmp_path / "missing.nc": "no such file",
    }
    for path, what in cases.items():
        with pytest.raises(qb.InputError, match="^path: expected") as info:
            qb.io.load(path)
        assert str(path) in str(info.value) and what in str(info.value)
    assert not [f for f in _open_files() if f.endswith("trunc.nc")]
    assert qb.io.load(good).sizes["time"] == 2


def test_load_of_a_foreign_netcdf_warns(tmp_path):
    foreign = tmp_path / "foreign.nc"
    xr.Dataset({"b": ("x", [1.0, 2.0])}).to_netcdf(foreign)
    with pytest.warns(qb.QbathWarning, match="not written by qbath.io.save"):
        ds = qb.io.load(foreign)
    assert list(ds.b.values) == [1.0, 2.0]
