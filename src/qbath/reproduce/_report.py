"""Reproduction reports: qbath's numbers beside a paper's printed values, one status per row.

A reproduction module (see :mod:`qbath.reproduce`) names its paper with a :class:`Paper` and
returns :class:`Check` rows from ``checks(ds)``; the runner (:func:`qbath.reproduce.run`) collects
them in a :class:`Reproduction`, whose :meth:`Reproduction.write_summary` writes ``summary.md``.

Every row reads the same way: ``value`` is qbath's number, ``reference`` the paper's (its printed
formula, table entry or claim), ``source`` where the paper prints it, and ``status`` one of

* ``"pass"``: qbath agrees with the paper within ``tolerance``;
* ``"erratum"``: qbath confirms that the paper's printed value is wrong (the difference is
  expected and explained in ``docs/errata.md``); never reported as ``"pass"``;
* ``"fail"``: qbath disagrees where it should agree, or agrees where the paper is known wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import InputError
from .._version import __version__

__all__ = ["Paper", "Check", "Reproduction", "close", "holds", "STATUSES", "ERRATA_DOC"]

#: The statuses a :class:`Check` can have, in the order the summaries count them.
STATUSES = ("pass", "erratum", "fail")
#: Where the known errors of the reproduced papers are explained.
ERRATA_DOC = "docs/errata.md"
_MARK = {"pass": "pass", "erratum": "erratum", "fail": "FAIL"}


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.10g}"
    if isinstance(x, complex):
        return f"{x.real:.8g}{x.imag:+.8g}j"
    return str(x)


def _cell(x: Any) -> str:
    """A markdown table cell: formatted, with pipes escaped and newlines folded."""
    return _fmt(x).replace("|", "\\|").replace("\n", " ")


@dataclass(frozen=True)
class Paper:
    """The publication a reproduction follows.

    Parameters
    ----------
    authors : str
        As cited, e.g. ``"S. Cusumano and G. De Chiara"``.
    title : str
        The paper's title.
    year : int or None
        Year of the version reproduced (``None`` for undated notes).
    reference : str
        Where to find it (journal, arXiv number, or the text file it was read from).
    """

    authors: str
    title: str
    year: int | None
    reference: str = ""

    def __post_init__(self) -> None:
        for name in ("authors", "title", "reference"):
            if not isinstance(getattr(self, name), str):
                raise InputError(
                    f"{name}: expected a str, got {type(getattr(self, name)).__name__}"
                )
        if self.year is not None and (
            isinstance(self.year, bool) or not isinstance(self.year, int)
        ):
            raise InputError(f"year: expected an int or None, got {self.year!r}")

    @property
    def citation(self) -> str:
        """``Authors, *Title* (year). reference`` in markdown."""
        year = f" ({self.year})" if self.year is not None else ""
        ref = f". {self.reference}" if self.reference else ""
        return f"{self.authors}, *{self.title}*{year}{ref}"


@dataclass
class Check:
    """One number computed by qbath beside the paper's.

    Parameters
    ----------
    name : str
        What is compared.
    value : Any
        qbath's number (or short text for a qualitative claim).
    reference : Any
        The paper's printed value, formula evaluated as printed, or claim.
    status : {"pass", "erratum", "fail"}
        See the module docstring. :func:`close` and :func:`holds` decide it.
    tolerance : str
        The agreement criterion, in words.
    source : str
        The paper's equation, table or figure.
    note : str
        Anything a reader needs to interpret the row.
    """

    name: str
    value: Any
    reference: Any
    status: str
    tolerance: str = ""
    source: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.status, str) or self.status not in STATUSES:
            raise InputError(
                f"status: expected one of {', '.join(map(repr, STATUSES))} (use qbath.reproduce.holds "
                f"for a bool), got {self.status!r}"
            )

    @property
    def passed(self) -> bool:
        """True for ``"pass"`` and ``"erratum"`` (qbath's number is as expected)."""
        return self.status != "fail"


def _erratum_note(note: str, detail: str) -> str:
    return (
        note + "; " if note else ""
    ) + f"seed formula is wrong here ({detail}), see {ERRATA_DOC}"


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
    """A :class:`Check` of ``|value - reference| <= atol + rtol |reference|``.

    ``value`` is qbath's number, ``reference`` the paper's. With ``expect_fail=False`` the row is
    ``"pass"`` when they agree and ``"fail"`` otherwise. With ``expect_fail=True`` (a known error
    of the paper) the row is ``"erratum"`` when they differ, as expected, and ``"fail"`` when they
    unexpectedly agree; the note then points to ``docs/errata.md``.
    """
    diff = abs(complex(value) - complex(reference))
    agree = diff <= atol + rtol * abs(complex(reference)) and not math.isnan(diff)
    tol = " + ".join(
        t for t in (f"atol {atol:g}" if atol else "", f"rtol {rtol:g}" if rtol else "") if t
    )
    if expect_fail:
        status = "fail" if agree else "erratum"
        note = _erratum_note(note, f"|qbath - printed| = {diff:.3g}")
    else:
        status = "pass" if agree else "fail"
    return Check(name, value, reference, status, tol or "exact", source, note)


def holds(
    name: str,
    value: Any,
    reference: Any,
    ok: bool,
    *,
    tolerance: str = "",
    source: str = "",
    note: str = "",
    erratum: bool = False,
) -> Check:
    """A :class:`Check` for a claim decided by the caller (``ok``: the claim holds).

    With ``erratum=True`` the claim is "the paper's printed value is wrong": the row is
    ``"erratum"`` when ``ok`` and ``"fail"`` otherwise, with a note pointing to ``docs/errata.md``.
    """
    if not isinstance(ok, (bool, np.bool_)):
        raise InputError(f"ok: expected a bool, got {type(ok).__name__}")
    if erratum:
        return Check(
            name,
            value,
            reference,
            "erratum" if ok else "fail",
            tolerance,
            source,
            _erratum_note(note, "qbath confirms the printed value is wrong"),
        )
    return Check(name, value, reference, "pass" if ok else "fail", tolerance, source, note)


@dataclass
class Reproduction:
    """What one reproduction produced: its checks, figures, data files, notes and timings."""

    name: str
    paper: Paper
    checks: list[Check] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    data_files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quick: bool = False
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The paper's title (used in the index of ``qbath reproduce all``)."""
        return self.paper.title

    @property
    def passed(self) -> bool:
        """No row has status ``"fail"``."""
        return all(c.passed for c in self.checks)

    def counts(self) -> dict[str, int]:
        """Number of rows per status, ``{"pass": n, "erratum": n, "fail": n}``."""
        return {s: sum(c.status == s for c in self.checks) for s in STATUSES}

    def count_line(self) -> str:
        """``"12 pass, 3 erratum, 0 FAIL"``."""
        return ", ".join(f"{n} {_MARK[s]}" for s, n in self.counts().items())

    def summary_markdown(self) -> str:
        """The ``summary.md`` text: citation, result line, one table row per check, notes."""
        n_ok = sum(c.passed for c in self.checks)
        lines = [
            f"# {self.name}: {self.paper.title}",
            "",
            f"Paper: {self.paper.citation}.",
            "",
            f"qbath {__version__}. Mode: {'quick' if self.quick else 'full'}.",
            f"Result: **{'PASS' if self.passed else 'FAIL'}**: {n_ok}/{len(self.checks)} checks as "
            f"expected ({self.count_line()}).",
            "",
            f"Columns: *qbath* is qbath's number, *paper* the paper's printed value or claim (where the "
            f"source names a file under docs/, that document's value instead); status `pass` = they "
            f"agree, `erratum` = qbath confirms the paper's printed value is wrong (see {ERRATA_DOC}), "
            f"`FAIL` = unexpected.",
            "",
            "| check | qbath | paper | status | tolerance | source in the paper | note |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in self.checks:
            lines.append(
                f"| {_cell(c.name)} | {_cell(c.value)} | {_cell(c.reference)} | {_MARK[c.status]} "
                f"| {_cell(c.tolerance)} | {_cell(c.source)} | {_cell(c.note)} |"
            )
        if self.notes:
            lines += ["", "## Notes", ""] + [f"- {n}" for n in self.notes]
        if self.figures:
            lines += ["", "## Figures", ""] + [f"- `{Path(f).name}`" for f in self.figures]
        if self.data_files:
            lines += ["", "## Data", ""] + [f"- `{Path(f).name}`" for f in self.data_files]
        if self.seconds:
            steps = ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())
            lines += ["", f"Run time: {steps}."]
        return "\n".join(lines) + "\n"

    def write_summary(self, out: str | Path) -> Path:
        """Write ``summary.md`` into the folder ``out``; returns its path."""
        path = Path(out) / "summary.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.summary_markdown())
        return path
