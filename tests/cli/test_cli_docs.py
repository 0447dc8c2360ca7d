"""The command-line examples of README.md, docs/cli.md, docs/sweeps.md and docs/io.md run and print what the
docs show; their TOML snippets are valid configurations.

A ```console block holds ``$ qbath ...`` (or ``$ python -m qbath ...``) commands, each followed by
its expected output (stdout and stderr). In an expected line ``...`` matches any text; a line that
is only ``...`` matches any number of lines. The commands of one page run in order, in one folder
holding a copy of ``examples/``. (```python blocks are run by tests/test_docs_examples.py.)
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil

import pytest

import qbath as qb
from cli_helpers import EXAMPLES, ROOT
from qbath.cli import main

PAGES = [ROOT / "docs" / name for name in ("cli.md", "sweeps.md", "io.md")] + [ROOT / "README.md"]
CONSOLE = re.compile(r"```console\n(.*?)```", re.S)
TOML = re.compile(r"```toml\n(.*?)```", re.S)


def _commands(text: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for block in CONSOLE.findall(text):
        for line in block.splitlines():
            if line.startswith("$ "):
                out.append((line[2:], []))
            elif out:
                out[-1][1].append(line)
    return out


def _matches(got: list[str], want: list[str]) -> bool:
    pattern = "\n".join(
        ".*" if w == "..." else ".*".join(re.escape(p) for p in w.split("...")) for w in want
    )
    return re.fullmatch(pattern, "\n".join(got), re.S) is not None


@pytest.mark.parametrize("page", [p for p in PAGES if p.exists()], ids=lambda p: p.name)
def test_console_examples(page, tmp_path, monkeypatch):
    pytest.importorskip("xarray")
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    commands = _commands(page.read_text())
    assert commands or page.name == "io.md", f"{page.name} has no console examples"
    for command, want in commands:
        argv = shlex.split(command)
        assert argv[:1] == ["qbath"] or argv[:3] == ["python", "-m", "qbath"], command
        argv = argv[1:] if argv[0] == "qbath" else argv[3:]
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            code = main(argv)
        got = [line.rstrip() for line in buf.getvalue().rstrip().splitlines()]
        want = [line.rstrip() for line in want]
        assert _matches(got, want), (
            f"{page.name}: $ {command}\n--- got\n"
            + "\n".join(got)
            + "\n--- expected\n"
            + "\n".join(want)
        )
        assert code == (2 if any(w.startswith("qbath: error:") for w in want) else 0), command


@pytest.mark.parametrize("page", [p for p in PAGES if p.exists()], ids=lambda p: p.name)
def test_toml_snippets_are_valid(page):
    for snippet in TOML.findall(page.read_text()):
        if "kind =" in snippet:
            qb.config.parse_config(snippet)
        else:
            qb.config.parse_value("{}")  # fragments must at least be TOML
            qb.config._config._toml().loads(snippet)


def test_every_schema_key_is_documented():
    """Each key a configuration accepts appears in docs/cli.md."""
    from qbath.config._schema import Table, TableList, Variant

    text = (ROOT / "docs" / "cli.md").read_text()
    spans = " ".join(re.findall(r"`([^`\n]*)`", text))
    documented = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", spans))
    missing = set()

    def walk(spec):
        tables = (
            list(spec.options.values())
            if isinstance(spec, Variant)
            else [spec.item]
            if isinstance(spec, TableList)
            else [spec]
        )
        for t in tables:
            if isinstance(t, Table):
                for name, sub in t.fields.items():
                    if name not in documented:
                        missing.add(name)
                    walk(sub)

    for kind in qb.config.KINDS:
        walk(qb.config.top_level_schema(kind))
    assert not missing, f"keys not documented in docs/cli.md: {sorted(missing)}"
