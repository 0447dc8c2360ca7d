"""Progress bars: tqdm on a terminal, silent otherwise or when quiet; the library never prints."""

import io
import os
import subprocess
import sys

import pytest

from cli_helpers import ROOT
from qbath import _progress


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_bar_on_a_terminal_and_silent_otherwise(monkeypatch):
    pytest.importorskip("tqdm")
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    with _progress.progress(10, "sweep", initial=3) as bar:
        assert bar.visible
        bar.update(7)
    assert "sweep" in tty.getvalue() and "10/10" in tty.getvalue()
    with _progress.progress(10, quiet=True) as bar:
        assert not bar.visible
    _progress.set_quiet(True)
    try:
        assert not _progress.progress(5).visible
    finally:
        _progress.set_quiet(False)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    bar = _progress.progress(5)
    bar.update(5)
    assert not bar.visible and bar.n == 5


def test_library_modules_do_not_print():
    """Only the command line prints; the library logs through logging."""
    offenders = []
    for path in (ROOT / "src" / "qbath").rglob("*.py"):
        if "cli" in path.parts:
            continue
        for i, line in enumerate(path.read_text().splitlines(), 1):
            if line.lstrip().startswith("print("):
                offenders.append(f"{path.relative_to(ROOT)}:{i}")
    assert not offenders, offenders


def test_quiet_sweep_writes_nothing_to_stderr(tmp_path):
    from cli_helpers import QUBIT_TOML

    cfg = tmp_path / "q.toml"
    cfg.write_text(QUBIT_TOML)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "qbath",
            "sweep",
            str(cfg),
            "--param",
            "omega=1,2",
            "--out",
            str(tmp_path / "s"),
            "--threads",
            "--workers",
            "1",
            "--no-plots",
            "-q",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
