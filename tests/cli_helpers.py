"""Helpers for the command-line tests: fake reproductions, a physics guard, config text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import qbath as qb
from qbath.reproduce._report import Reproduction, close

ROOT = Path(__file__).resolve().parents[1]
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
def fake_pass(out: Path, quick: bool = False) -> Reproduction:
    out.mkdir(parents=True, exist_ok=True)
    (out / "figure.png").write_bytes(b"png")
    rep = Reproduction("fake-pass", "A passing fake", "seed 999", quick=quick)
    rep.checks.append(close("two", 1.0 + 1.0, 2.0, atol=1e-12, source="arithmetic"))
    rep.notes.append(f"quick={quick}")
    return rep


def fake_fail(out: Path, quick: bool = False) -> Reproduction:
    rep = Reproduction("fake-fail", "A failing fake", "seed 998", quick=quick)
    rep.checks.append(close("pi", 3.0, np.pi, rtol=1e-6, source="Eq. 1"))
    return rep


def fake_raise(out: Path, quick: bool = False) -> Reproduction:
    raise RuntimeError("the solver blew up")


FAKES = {
    "fake-pass": ("cli_helpers", "fake_pass", "a reproduction that passes"),
    "fake-fail": ("cli_helpers", "fake_fail", "a reproduction with a failing check"),
    "fake-raise": ("cli_helpers", "fake_raise", "a reproduction that raises"),
}
