"""Every ```python block of docs/master.md and docs/solvers.md runs, and its printed output matches
the ``# comment`` written beside each print call."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


def blocks(name: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (DOCS / name).read_text(), flags=re.S)


def expected_prints(code: str) -> list[str]:
    out = []
    for line in code.splitlines():
        m = re.match(r"\s*print\(.*\)\s+#\s?(.*)$", line)
        if m:
            out.append(m.group(1).split("  (")[0].strip())
    return out


@pytest.mark.parametrize("name", ["master.md", "solvers.md"])
def test_doc_examples_run_and_print_what_they_say(name):
    if name == "master.md":
        pytest.importorskip("sympy")
    ns: dict = {}
    for code in blocks(name):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(code, f"docs/{name}", "exec"), ns)  # noqa: S102
        got = [" ".join(x.split()) for x in buf.getvalue().splitlines()]
        want = [" ".join(x.split()) for x in expected_prints(code)]
        assert got == want
