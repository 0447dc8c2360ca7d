"""Every python block in docs/drive.md runs, and its printed output matches the ```text block after it."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest

import qbath as qb
from qbath.reproduce._dst_work import reproduce

DOC = Path(__file__).resolve().parents[2] / "docs" / "drive.md"
BLOCKS = re.findall(
    r"```python\n(.*?)```(?:\s*Output:\s*```text\n(.*?)```)?", DOC.read_text(), re.S
)


def test_docs_have_examples():
    assert BLOCKS and all(out for _, out in BLOCKS)


@pytest.mark.parametrize("code, expected", BLOCKS)
def test_docs_example_runs_and_prints_what_the_docs_say(code, expected):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(code, str(DOC), "exec"), {"__name__": "__docs__"})
    assert buf.getvalue().strip() == expected.strip()


def test_docstring_examples():
    import doctest

    from qbath.drive import _dynamics, _stepwise

    for mod in (_stepwise, _dynamics):
        res = doctest.testmod(mod, extraglobs={"np": np, "qb": qb})
        assert res.failed == 0 and res.attempted > 0


def test_reproduction_quick(tmp_path):
    xr = pytest.importorskip("xarray")
    rep = reproduce(tmp_path, quick=True)
    failed = [c.name for c in rep.checks if not c.passed]
    assert not failed, failed
    assert sum(c.tolerance != "" for c in rep.checks) == len(rep.checks) >= 12
    assert any(
        "seed formula is wrong" in c.note for c in rep.checks
    )  # errata are expected failures
    for f in rep.figures + rep.data_files:
        assert f.exists() and f.stat().st_size > 1000
    ds = xr.open_dataset(rep.data_files[0])
    assert all(np.isrealobj(ds[v].values) for v in ds.data_vars)
    assert ds.attrs["kind"] == "drive.reproduce.dst-work" and "qbath_version" in ds.attrs
    ds.close()
    summary = rep.write_summary(tmp_path).read_text()
    n_erratum = sum(c.status == "erratum" for c in rep.checks)
    assert n_erratum >= 1 and summary.count("| erratum |") == n_erratum
    assert summary.count("| pass |") + n_erratum == len(rep.checks)


def test_reproduction_is_registered():
    from qbath.reproduce import REPRODUCTIONS

    mod, fn, _ = REPRODUCTIONS["dst-work"]
    assert (mod, fn) == ("qbath.reproduce._dst_work", "reproduce")
