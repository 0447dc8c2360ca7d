"""``qbath reproduce``, ``--help`` on every command, ``python -m qbath``."""

import subprocess
import sys

import pytest

import qbath.cli._main as climain
from cli_helpers import FAKES, ROOT
from qbath.cli import main
from qbath.reproduce import REPRODUCTIONS


@pytest.fixture
def fakes(monkeypatch):
    monkeypatch.setattr(climain, "REPRODUCTIONS", dict(FAKES))
    return FAKES


def test_list_names_every_registered_reproduction(capsys):
    assert main(["reproduce"]) == 0
    out = capsys.readouterr().out
    for name, (_, _, desc) in REPRODUCTIONS.items():
        assert name in out and desc in out


def test_registry_is_listed_without_importing_physics():
    # listing must not import the reproduction modules (they are heavy and may be absent)
    code = (
        "import sys\n"
        "from qbath.cli import main\n"
        "from qbath.reproduce import REPRODUCTIONS\n"
        "main(['reproduce'])\n"
        "print(sorted(m for m, _, _ in REPRODUCTIONS.values() if m in sys.modules))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=_env()
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("[]")


def _env():
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_run_one_writes_summary_and_passes(fakes, tmp_path, capsys):
    assert main(["reproduce", "fake-pass", "--out", str(tmp_path / "p"), "--quick"]) == 0
    out = capsys.readouterr().out
    assert "fake-pass: PASS (1/1 checks)" in out
    summary = (tmp_path / "p" / "summary.md").read_text()
    assert "Mode: quick" in summary and "| two | 2 | 2 |" in summary and "quick=True" in summary


def test_failing_check_exits_nonzero_and_names_the_check(fakes, tmp_path, capsys):
    assert main(["reproduce", "fake-fail", "--out", str(tmp_path / "f")]) == 1
    out = capsys.readouterr().out
    assert "fake-fail: FAIL (0/1 checks)" in out and "failed check: pi" in out
    assert "**FAIL**" in (tmp_path / "f" / "summary.md").read_text()


def test_all_runs_every_one_into_subfolders_and_reports_failures(fakes, tmp_path, capsys):
    assert main(["reproduce", "all", "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert (tmp_path / "fake-pass" / "summary.md").exists()
    assert (tmp_path / "fake-pass" / "figure.png").exists()
    assert (tmp_path / "fake-fail" / "summary.md").exists()
    assert not (tmp_path / "fake-raise" / "summary.md").exists()
    assert "fake-raise: ERROR" in out and "RuntimeError: the solver blew up" in out
    assert "1/3 reproductions passed; failed: fake-fail, fake-raise" in out
    index = (tmp_path / "summary.md").read_text()
    assert "| [fake-pass](fake-pass/summary.md) | PASS | 1/1 |" in index
    assert "| [fake-fail](fake-fail/summary.md) | FAIL | 0/1 |" in index
    assert "| fake-raise | ERROR |" in index


def test_all_passing_exits_zero(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(climain, "REPRODUCTIONS", {"fake-pass": FAKES["fake-pass"]})
    assert main(["reproduce", "all", "--out", str(tmp_path)]) == 0
    assert "1/1 reproductions passed" in capsys.readouterr().out


def test_default_out_is_results_name(fakes, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "reproduce", "fake-pass"]) == 0
    assert (tmp_path / "results" / "fake-pass" / "summary.md").exists()


def test_unknown_name_is_a_usage_error(fakes, capsys):
    assert main(["reproduce", "nope"]) == 2
    err = capsys.readouterr().err
    assert "NAME: expected 'all' or one of fake-pass, fake-fail, fake-raise, got 'nope'" in err


@pytest.mark.parametrize("command", [[], ["reproduce"], ["run"], ["sweep"], ["check"], ["kinds"]])
def test_help_on_every_command(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*command, "--help"])
    assert exc.value.code == 0
    assert "usage: qbath" in capsys.readouterr().out


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "usage: qbath" in capsys.readouterr().out


def test_python_dash_m_and_version():
    r = subprocess.run(
        [sys.executable, "-m", "qbath", "--version"], capture_output=True, text=True, env=_env()
    )
    assert r.returncode == 0 and r.stdout.startswith("qbath ")


def test_import_qbath_loads_no_optional_package():
    """xarray, dask, matplotlib and qutip load only when a feature needs them."""
    code = (
        "import sys, qbath, qbath.cli\n"
        "print(sorted(m for m in ('xarray', 'dask', 'distributed', 'matplotlib', 'qutip', 'netCDF4', 'tqdm') if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"
