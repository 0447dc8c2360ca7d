"""The reproduction framework: statuses of Check rows, the summary's columns and counts, the runner."""

from __future__ import annotations

import logging
import math
from types import SimpleNamespace

import numpy as np
import pytest

import qbath as qb
from qbath.reproduce import ERRATA_DOC, Check, Paper, Reproduction, close, holds, run

PAPER = Paper("A. Author and B. Author", "A test paper", 2021, "J. Tests 1, 2")


def test_close_statuses():
    assert close("ok", 1.0, 1.0 + 1e-13, atol=1e-12).status == "pass"
    assert close("bad", 1.0, 1.1, atol=1e-12).status == "fail"
    # a known error of the paper: differing is the expected outcome, and it is not a "pass"
    err = close("printed", 1.0, 1.1, atol=1e-12, expect_fail=True)
    assert err.status == "erratum" and err.passed and ERRATA_DOC in err.note
    # ... and agreeing where the paper was expected to be wrong is a failure
    assert close("printed", 1.0, 1.0, atol=1e-12, expect_fail=True).status == "fail"
    assert close("nan", math.nan, 0.0, atol=1.0).status == "fail"


def test_holds_and_passed():
    assert holds("claim", 1, ">= 0", True).status == "pass"
    assert holds("claim", -1, ">= 0", np.bool_(False)).status == "fail"
    e = holds("printed claim wrong", 1, 2, True, erratum=True)
    assert e.status == "erratum" and e.passed
    assert holds("printed claim right after all", 1, 2, False, erratum=True).status == "fail"
    with pytest.raises(qb.InputError, match="ok: expected a bool, got int"):
        holds("claim", 1, 1, 1)


@pytest.mark.parametrize("status", [True, "PASS", "ok", None])
def test_check_refuses_other_statuses(status):
    with pytest.raises(qb.InputError, match="status: expected one of 'pass', 'erratum', 'fail'"):
        Check("x", 1, 1, status)


def test_paper_validates_and_cites():
    assert PAPER.citation == "A. Author and B. Author, *A test paper* (2021). J. Tests 1, 2"
    assert Paper("notes", "Untitled", None).citation == "notes, *Untitled*"
    with pytest.raises(qb.InputError, match="year: expected an int or None, got '2021'"):
        Paper("a", "b", "2021")  # type: ignore[arg-type]


def test_summary_columns_status_and_counts():
    rep = Reproduction("demo", PAPER, quick=True)
    rep.checks += [
        close("agrees", 2.0, 2.0, atol=1e-12, source="Eq. 1"),
        close("printed value wrong", 3.0, 4.0, atol=1e-12, source="Table 2", expect_fail=True),
    ]
    md = rep.summary_markdown()
    assert "A. Author and B. Author, *A test paper* (2021)" in md
    assert "| check | qbath | paper | status | tolerance | source in the paper | note |" in md
    assert "| agrees | 2 | 2 | pass | atol 1e-12 | Eq. 1 |" in md
    assert "| printed value wrong | 3 | 4 | erratum | atol 1e-12 | Table 2 |" in md
    assert "**PASS**: 2/2 checks as expected (1 pass, 1 erratum, 0 FAIL)" in md
    assert rep.counts() == {"pass": 1, "erratum": 1, "fail": 0} and rep.passed
    rep.checks.append(close("unexpected", 1.0, 2.0, atol=1e-12))
    assert not rep.passed and "| unexpected | 1 | 2 | FAIL |" in rep.summary_markdown()


def _fake(log: list[str]) -> SimpleNamespace:
    xr = pytest.importorskip("xarray")

    def compute(quick=False):
        log.append("compute")
        return xr.Dataset(
            {"y": ("x", np.arange(4.0) * (1 if quick else 2))}, attrs={"quick": int(quick)}
        )

    def plot(ds, out):
        log.append("plot")
        (out / "f.png").write_bytes(b"png")
        return [out / "f.png"]

    def checks(ds):
        log.append("checks")
        return [close("sum", float(ds["y"].sum()), 6.0, atol=1e-12, source="Eq. 2")]

    return SimpleNamespace(NAME="fake", PAPER=PAPER, compute=compute, plot=plot, checks=checks)


def test_runner_steps_in_order_and_writes_everything(tmp_path, caplog):
    steps: list[str] = []
    with caplog.at_level(logging.INFO, logger="qbath.reproduce"):
        rep = run(_fake(steps), tmp_path, quick=True)
    assert steps == ["compute", "plot", "checks"]
    assert rep.passed and rep.counts()["pass"] == 1
    assert (tmp_path / "fake.nc").exists() and (tmp_path / "f.png").exists()
    assert (tmp_path / "summary.md").read_text().startswith("# fake: A test paper")
    assert set(rep.seconds) == {"compute", "save netCDF", "plot", "checks", "total"}
    logged = [r.getMessage() for r in caplog.records]
    assert "fake: step 1/5: compute (quick)" in logged and "fake: step 5/5: summary" in logged
    from qbath.io import load

    assert load(tmp_path / "fake.nc")["y"].values.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_runner_refuses_bad_input(tmp_path):
    with pytest.raises(qb.InputError, match="name: expected one of structured-collisions"):
        run("no-such-paper", tmp_path)
    with pytest.raises(qb.InputError, match="quick: expected a bool, got int"):
        run(_fake([]), tmp_path, quick=1)
    with pytest.raises(qb.InputError, match="reproduction: expected"):
        run(object(), tmp_path)
