"""The example in docs/spins.md runs, and the output shown in the docs is what it prints."""

from __future__ import annotations

import contextlib
import io
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quickstart_example_output_matches_docs():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        runpy.run_path(str(ROOT / "examples" / "spins_quickstart.py"), run_name="__main__")
    out = buf.getvalue().strip().splitlines()
    assert len(out) == 7
    docs = (ROOT / "docs" / "spins.md").read_text()
    code = (ROOT / "examples" / "spins_quickstart.py").read_text()
    assert code.split('"""', 2)[2].strip() in docs  # the code shown is the code run
    for line in out:
        assert line in docs, line
