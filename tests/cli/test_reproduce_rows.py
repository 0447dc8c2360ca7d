"""Shared pieces of the reproductions: residual rows, rows along a coordinate, ordered check parts,
and the figure loop."""

from __future__ import annotations

import numpy as np
import pytest

from qbath.reproduce import ERRATA_DOC
from qbath.reproduce._rows import Parts, along, vanishes


def test_vanishes_is_a_zero_reference_row():
    row = vanishes("residual", 3e-13, 1e-12, "Eq. 1", note="n")
    assert (row.status, row.reference, row.tolerance, row.source, row.note) == (
        "pass",
        0.0,
        "atol 1e-12",
        "Eq. 1",
        "n",
    )
    assert vanishes("residual", 2e-12, 1e-12, "Eq. 1").status == "fail"
    wrong = vanishes("printed", 0.5, 1e-12, "Eq. 2", expect_fail=True)
    assert wrong.status == "erratum" and ERRATA_DOC in wrong.note


def test_along_one_row_per_entry_and_spec():
    xr = pytest.importorskip("xarray")
    ds = xr.Dataset(
        {
            "res": ("t", [0.0, 1e-3]),
            "got": ("t", [2.0, 3.0]),
            "want": ("t", [2.0, 4.0]),
            "count": ("t", [3.0, 5.0]),
        },
        coords={"t": [0.5, 2.0]},
    )
    rows = (
        {"name": "residual at t = {x}", "value": "res", "note": "{count:.0f} operators"},
        {"name": "got = want at t = {x}", "value": "got", "reference": "want", "source": "Eq. 9"},
    )
    out = along(ds, "t", rows, atol=1e-6, source="Eq. 3")
    # order (entry, row); names and notes formatted at each entry; references from variables
    assert [r.name for r in out] == [
        "residual at t = 0.5",
        "got = want at t = 0.5",
        "residual at t = 2.0",
        "got = want at t = 2.0",
    ]
    assert [r.status for r in out] == ["pass", "pass", "fail", "fail"]
    assert [r.reference for r in out] == [0.0, 2.0, 0.0, 4.0]
    assert [r.source for r in out] == ["Eq. 3", "Eq. 9", "Eq. 3", "Eq. 9"]
    assert (out[0].note, out[2].note) == ("3 operators", "5 operators")


def test_parts_keep_definition_order():
    part = Parts()

    @part
    def first(ds):
        return [vanishes(f"a{ds}", 0.0, 0.0, "")]

    @part
    def second(ds):
        return [vanishes(f"b{ds}", 0.0, 0.0, ""), vanishes(f"c{ds}", 1.0, 0.5, "")]

    assert first(1)[0].name == "a1"  # the decorator returns the function unchanged
    rows = part.rows(7)
    assert [r.name for r in rows] == ["a7", "b7", "c7"]
    assert [r.status for r in rows] == ["pass", "pass", "fail"]


def test_draw_figures_writes_each_png(tmp_path):
    pytest.importorskip("matplotlib")
    from qbath.reproduce._figures import draw_figures

    def line(ds, fig):
        fig.subplots().plot(ds, ds)

    paths = draw_figures(np.arange(3.0), tmp_path / "out", [("a.png", line, (3, 2))], dpi=50)
    assert paths == [tmp_path / "out" / "a.png"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
