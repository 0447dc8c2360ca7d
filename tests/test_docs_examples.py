"""Every ```python block in README.md and docs/*.md runs; a ```text block right after it is its
expected standard output (compared exactly, after stripping trailing spaces)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```(python|text)\n(.*?)```", re.S)


def _examples(path: Path):
    text = path.read_text()
    blocks = [(m.group(1), m.group(2), m.start(), m.end()) for m in BLOCK.finditer(text)]
    for i, (kind, code, _, end) in enumerate(blocks):
        if kind != "python":
            continue
        expected = None
        if (
            i + 1 < len(blocks)
            and blocks[i + 1][0] == "text"
            and text[end : blocks[i + 1][2]].strip() == ""
        ):
            expected = blocks[i + 1][1]
        yield code, expected


@pytest.mark.parametrize("path", [p for p in FILES if p.exists()], ids=lambda p: p.name)
def test_doc_examples_run(path, tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    ns: dict = {"__name__": "__docs__"}
    for code, expected in _examples(path):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(code, f"{path.name}", "exec"), ns)  # noqa: S102
        if expected is not None:
            got = "\n".join(line.rstrip() for line in buf.getvalue().strip().splitlines())
            want = "\n".join(line.rstrip() for line in expected.strip().splitlines())
            assert got == want, f"{path.name}: output differs\n--- got\n{got}\n--- expected\n{want}"
