"""Helpers for the command-line tests: fake reproductions, a physics guard, config text."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import qbath as qb
from qbath.reproduce import Paper, close

ROOT = Path(__file__).resolve().parents[1]

#: environment of a ``python -m qbath`` child process: this checkout's ``src`` first, one BLAS thread
ENV = dict(
    os.environ,
    PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
    OPENBLAS_NUM_THREADS="1",
)
EXAMPLES = ROOT / "examples"

QUBIT_TOML = """
kind = "qubit"
title = "relaxing qubit"

[model]
omega = 1.0
gamma = 0.2
beta = 2.0

[initial]
bloch = [1.0, 0.0, 0.0]

[solver]
t_max = 5.0
n_times = 51
"""


def need_physics(*names: str) -> None:
    """Fail unless every dotted name exists under ``qbath`` (all physics is on main: no skipping)."""
    missing = []
    for name in names:
        obj = qb
        for part in name.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                missing.append(name)
                break
    if missing:
        pytest.fail(f"missing physics API: qbath.{', qbath.'.join(missing)}")


# ---- fake reproductions (registered by monkeypatching the registry) --------------------------------
def _dataset(quick: bool):
    xr = pytest.importorskip("xarray")
    return xr.Dataset({"x": ("i", np.arange(3.0))}, attrs={"quick": int(quick)})


def _figure(ds, out: Path) -> list[Path]:
    (out / "figure.png").write_bytes(b"png")
    return [out / "figure.png"]


def _raise(quick: bool = False):
    raise RuntimeError("the solver blew up")


fake_pass = SimpleNamespace(
    NAME="fake-pass",
    PAPER=Paper("A. Author", "A passing fake", 2000, "seed 999"),
    compute=_dataset,
    plot=_figure,
    checks=lambda ds: [close("two", 1.0 + 1.0, 2.0, atol=1e-12, source="arithmetic")],
    notes=lambda ds: [f"quick={bool(ds.attrs['quick'])}"],
)
fake_fail = SimpleNamespace(
    NAME="fake-fail",
    PAPER=Paper("B. Author", "A failing fake", 2001, "seed 998"),
    compute=_dataset,
    plot=lambda ds, out: [],
    checks=lambda ds: [close("pi", 3.0, np.pi, rtol=1e-6, source="Eq. 1")],
)
fake_raise = SimpleNamespace(
    NAME="fake-raise",
    PAPER=Paper("C. Author", "A raising fake", None),
    compute=_raise,
    plot=_figure,
    checks=list,
)

FAKES = {
    "fake-pass": ("cli_helpers", "fake_pass", "a reproduction that passes"),
    "fake-fail": ("cli_helpers", "fake_fail", "a reproduction with a failing check"),
    "fake-raise": ("cli_helpers", "fake_raise", "a reproduction that raises"),
}
