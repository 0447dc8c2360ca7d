"""End-to-end: the seed-001 reproduction in quick mode writes its figures, data and checks."""

import pytest

from qbath.reproduce._structured_collisions import reproduce


def test_reproduction_quick(tmp_path):
    pytest.importorskip("matplotlib")
    xr = pytest.importorskip("xarray")
    import matplotlib

    matplotlib.use("Agg")
    rep = reproduce(tmp_path, quick=True)
    failed = [c.name for c in rep.checks if not c.passed]
    assert not failed, failed
    assert len(rep.checks) >= 25
    for f in rep.figures:
        assert f.exists() and f.stat().st_size > 10_000
    ds = xr.open_dataset(rep.data_files[0])
    assert "steady_coherence_map" in ds and ds.attrs["qbath_version"]
    assert float(ds["steady_coherence_map"].max()) > 0.05
    ds.close()
    md = rep.summary_markdown()
    assert "Eqs. B11-B14" in md and "PASS" in md
