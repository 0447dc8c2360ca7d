"""docs/spins.md shows examples/spins_quickstart.py verbatim (tests/test_docs_examples.py runs the
docs' code block and checks its printed output)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quickstart_example_is_the_docs_example():
    docs = (ROOT / "docs" / "spins.md").read_text()
    code = (ROOT / "examples" / "spins_quickstart.py").read_text().split('"""', 2)[2].strip()
    assert "```python\n" + code + "\n```\n\n```text\n" in docs
