"""Reproduction reports: computed numbers beside a seed's formula or claim, with pass/fail marks.

Each reproduction (``qbath reproduce NAME``) is a function ``reproduce(out: Path, quick: bool)
-> Reproduction`` registered in :data:`qbath._reproductions.REPRODUCTIONS`. It writes figures and a
netCDF data file under ``out`` and returns a :class:`Reproduction`, whose
:meth:`Reproduction.write_summary` writes ``summary.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._version import __version__


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.10g}"
    if isinstance(x, complex):
        return f"{x.real:.8g}{x.imag:+.8g}j"
    return str(x)


def _cell(x: Any) -> str:
    """A markdown table cell: formatted, with pipes escaped and newlines folded."""
    return _fmt(x).replace("|", "\\|").replace("\n", " ")


@dataclass
class Check:
    """One computed number beside the seed's value.

    ``reference`` is what the seed's formula (or claim) gives; ``value`` what qbath computes
    independently. ``passed`` is decided by the caller (see :func:`close`).
    """

    name: str
    value: Any
    reference: Any
    passed: bool
    tolerance: str = ""
    source: str = ""
    note: str = ""


def close(
    name: str,
    value: float | complex,
    reference: float | complex,
    *,
    rtol: float = 0.0,
    atol: float = 0.0,
    source: str = "",
    note: str = "",
    expect_fail: bool = False,
) -> Check:
    """A :class:`Check` that passes when ``|value - reference| <= atol + rtol |reference|``.

    With ``expect_fail=True`` (a known erratum of the seed) the check *passes* when the two differ,
    and the note says so.
    """
    diff = abs(complex(value) - complex(reference))
    ok = diff <= atol + rtol * abs(complex(reference)) and not math.isnan(diff)
    tol = " + ".join(t for t in (f"atol {atol:g}" if atol else "", f"rtol {rtol:g}" if rtol else "") if t)
    if expect_fail:
        note = (note + "; " if note else "") + f"seed formula is wrong here (|diff| = {diff:.3g}), see docs/errata.md"
        ok = not ok
    return Check(name, value, reference, ok, tol or "exact", source, note)


@dataclass
class Reproduction:
    """What one reproduction produced."""

    name: str
    title: str
    seed: str
    checks: list[Check] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    data_files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quick: bool = False

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def summary_markdown(self) -> str:
        lines = [
            f"# {self.title}",
            "",
            f"Seed: `{self.seed}`. qbath {__version__}. Mode: {'quick' if self.quick else 'full'}.",
            f"Result: **{'PASS' if self.passed else 'FAIL'}** "
            f"({sum(c.passed for c in self.checks)}/{len(self.checks)} checks).",
            "",
            "| check | qbath | seed formula / claim | tolerance | source | mark | note |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in self.checks:
            mark = "pass" if c.passed else "FAIL"
            lines.append(
                f"| {_cell(c.name)} | {_cell(c.value)} | {_cell(c.reference)} | {_cell(c.tolerance)} "
                f"| {_cell(c.source)} | {mark} | {_cell(c.note)} |"
            )
        if self.notes:
            lines += ["", "## Notes", ""] + [f"- {n}" for n in self.notes]
        if self.figures:
            lines += ["", "## Figures", ""] + [f"- `{Path(f).name}`" for f in self.figures]
        if self.data_files:
            lines += ["", "## Data", ""] + [f"- `{Path(f).name}`" for f in self.data_files]
        return "\n".join(lines) + "\n"

    def write_summary(self, out: str | Path) -> Path:
        path = Path(out) / "summary.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.summary_markdown())
        return path
