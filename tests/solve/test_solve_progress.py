"""``progress=True`` of the long solver calls: a tqdm bar or log lines, and not one number changed;
and the options the solvers share (validated once, warnings at the caller's line).

The reference of every comparison is the same call with ``progress=False``: the results must be
equal to the last bit (the meter only reads the solver's time and the trajectory count).
"""

from __future__ import annotations

import io
import logging
import sys

import numpy as np
import pytest

import qbath as qb
from qbath import _progress
from qbath.solve import _options

SX, SZ, SM = qb.sigmax(), qb.sigmaz(), qb.sigmam()
UP = qb.basis(2, 0)
DRIVE = [0.5 * SZ, [SX, lambda t: 0.8 * np.cos(1.1 * t)]]
DECAY = [[SM, lambda t: np.sqrt(0.3 * (1 + 0.5 * np.sin(t)))]]
TL = np.linspace(0.0, 3.0, 13)
MIXED = np.diag([0.7, 0.3]).astype(complex)


def _fields(res):
    """Every array of a result that progress could conceivably change."""
    out = [res.times, res.final_state]
    out += list(res.expect.values()) if isinstance(res.expect, dict) else list(res.expect)
    if res.states is not None:
        out.append(res.states)
    for name in ("expect_std_err",):
        val = getattr(res, name, None)
        if val is not None:
            out += list(val)
    for name in ("jump_times", "jump_which"):
        out += list(getattr(res, name, ()))
    return out


def _assert_identical(a, b):
    fa, fb = _fields(a), _fields(b)
    assert len(fa) == len(fb)
    for x, y in zip(fa, fb, strict=True):
        np.testing.assert_array_equal(x, y)


CALLS = {
    "mesolve": lambda p: qb.mesolve(SZ, UP, TL, [0.5 * SM], e_ops=[SZ, SX], progress=p),
    "mesolve(driven)": lambda p: qb.mesolve(DRIVE, MIXED, TL, DECAY, e_ops={"z": SZ}, progress=p),
    "mesolve(bdf)": lambda p: qb.mesolve(
        DRIVE, UP, TL, DECAY, e_ops=[SZ], method=qb.BDF(), progress=p
    ),
    "sesolve": lambda p: qb.sesolve(DRIVE, UP, TL, e_ops=[SZ], progress=p),
    "mcsolve": lambda p: qb.mcsolve(
        SZ, MIXED, TL, [0.5 * SM], e_ops=[SZ], ntraj=30, seed=4, block_size=7, progress=p
    ),
    "mcsolve(driven)": lambda p: qb.mcsolve(
        DRIVE, MIXED, TL, DECAY, e_ops=[SZ], ntraj=30, seed=4, store_states=True, progress=p
    ),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_progress_changes_no_number(name):
    _assert_identical(CALLS[name](False), CALLS[name](True))


def test_propagator_with_progress_is_the_same_map():
    for H, c_ops in ((DRIVE, None), (DRIVE, DECAY), (SZ, [0.5 * SM])):
        a = qb.propagator(H, [0.5, 1.0, 2.0], c_ops)
        b = qb.propagator(H, [0.5, 1.0, 2.0], c_ops, progress=True)
        np.testing.assert_array_equal(a, b)


def test_a_tqdm_bar_goes_to_stderr(monkeypatch):
    pytest.importorskip("tqdm")
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    qb.mesolve(DRIVE, UP, TL, DECAY, e_ops=[SZ], progress=True)
    text = err.getvalue()
    assert "mesolve" in text and "100%" in text and "100/100" in text
    err.truncate(0)
    qb.mcsolve(SZ, UP, TL, [0.5 * SM], ntraj=20, seed=1, block_size=6, progress=True)
    assert "mcsolve" in err.getvalue() and "20/20" in err.getvalue()
    err.truncate(0)
    qb.mesolve(DRIVE, UP, TL, DECAY, e_ops=[SZ])  # the default: nothing shown
    assert err.getvalue() == ""


def test_log_lines_without_tqdm(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # `import tqdm` now raises ImportError
    with caplog.at_level(logging.INFO, logger="qbath.solve"):
        qb.sesolve(DRIVE, UP, TL, e_ops=[SZ], progress=True)
        qb.mcsolve(DRIVE, UP, TL, DECAY, ntraj=8, seed=2, progress=True)
    lines = [r.getMessage() for r in caplog.records if r.name == "qbath.solve"]
    assert any(m.startswith("sesolve: started") for m in lines)
    for desc in ("sesolve", "mcsolve"):
        done = [m for m in lines if m.startswith(f"{desc}: ") and "% done after" in m]
        pct = [int(m.split(": ")[1].split("%")[0]) for m in done]
        assert pct == list(range(10, 101, 10)), (desc, pct)  # one line per tenth, in order


def test_quiet_turns_the_meter_off(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    _progress.set_quiet(True)
    try:
        with caplog.at_level(logging.INFO, logger="qbath.solve"):
            qb.mesolve(SZ, UP, TL, [0.5 * SM], progress=True)
    finally:
        _progress.set_quiet(False)
    assert err.getvalue() == "" and not [r for r in caplog.records if r.name == "qbath.solve"]


def test_meter_moves_by_whole_ticks_and_never_past_the_end():
    class FakeBar:
        def __init__(self):
            self.updates = []

        def update(self, n):
            self.updates.append(n)

        def close(self):
            pass

    fake = FakeBar()
    m = _progress.Meter(fake, total=2.0, ticks=4, desc="x", logger=None)
    for done in (0.2, 0.49, 0.5, 0.5, 1.9, 2.0, 7.0):
        m.advance_to(done)
    assert fake.updates == [1, 2, 1] and sum(fake.updates) == 4


def test_without_progress_the_observer_is_the_solvers_own():
    def observe(i, y):
        return None

    with _options.observing("mesolve", TL, False, observe) as obs:
        assert obs is observe  # the default path adds no call per output time
    with _options.progress_meter("mcsolve", 10, False) as bar:
        assert bar is None


@pytest.mark.parametrize("bad", ["yes", 1, 0.0, None, np.array([True])])
@pytest.mark.parametrize(
    "call",
    [
        lambda p: qb.mesolve(SZ, UP, TL, progress=p),
        lambda p: qb.sesolve(SZ, UP, TL, progress=p),
        lambda p: qb.mcsolve(SZ, UP, TL, [SM], ntraj=2, progress=p),
        lambda p: qb.mcsolve(DRIVE, UP, TL, DECAY, ntraj=2, progress=p),
        lambda p: qb.propagator(DRIVE, 1.0, progress=p),
        lambda p: qb.propagator(SZ, 1.0, progress=p),
    ],
    ids=["mesolve", "sesolve", "mcsolve", "mcsolve(driven)", "propagator(driven)", "propagator"],
)
def test_progress_must_be_a_bool(call, bad):
    with pytest.raises(qb.InputError, match=r"^progress: expected True or False, got"):
        call(bad)


def test_warnings_point_at_the_callers_line():
    """The solvers' warnings name the user's call, not a line inside qbath."""
    rho = np.diag([0.5, 0.3, 0.2]).astype(complex)
    H3 = np.diag([0.0, 1.0, 2.0]).astype(complex)
    calls = [
        lambda: qb.mcsolve(H3, rho, TL, [], ntraj=2),  # 2 trajectories for 3 eigenvectors
        lambda: qb.mcsolve([H3, [H3, lambda t: t]], rho, TL, [], ntraj=2),
        lambda: qb.mcsolve(SZ, UP, TL, [SM], ntraj=1),
        lambda: qb.mcsolve(DRIVE, UP, TL, DECAY, ntraj=1),
        lambda: qb.mcsolve(SZ, UP, TL, [SM], ntraj=3, args={"w": 1.0}),
        lambda: qb.mesolve(SZ, UP, TL, [SM], args={"w": 1.0}),
    ]
    for call in calls:
        with pytest.warns(qb.QbathWarning) as rec:
            call()
        assert all(w.filename == __file__ for w in rec), [(w.filename, w.lineno) for w in rec]
