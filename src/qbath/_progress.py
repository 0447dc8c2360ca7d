"""Progress bars for long runs: tqdm when it is installed and stderr is a terminal, silent otherwise.

The library never prints; it logs through :mod:`logging` (logger ``"qbath"``) and shows a bar only
through :func:`progress`. ``qbath --quiet`` (or :func:`set_quiet`) turns bars off everywhere.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

__all__ = ["progress", "set_quiet", "Progress"]

_QUIET = False


def set_quiet(quiet: bool = True) -> None:
    """Turn progress bars off (``True``) or back on (``False``) for this process."""
    global _QUIET
    _QUIET = bool(quiet)


class Progress:
    """A progress counter: a tqdm bar, or a silent stand-in with the same ``update``/``close``."""

    def __init__(self, bar: Any = None, total: int = 0, initial: int = 0):
        self._bar = bar
        self.total = total
        self.n = initial

    def update(self, n: int = 1) -> None:
        self.n += n
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def visible(self) -> bool:
        return self._bar is not None


def progress(total: int, desc: str = "", *, initial: int = 0, quiet: bool | None = None, unit: str = "it") -> Progress:
    """A progress counter over ``total`` steps, ``initial`` of them already done.

    A visible bar needs tqdm (extra ``progress``), a terminal on stderr and neither ``quiet`` nor
    :func:`set_quiet`; otherwise the counter is silent.
    """
    quiet = _QUIET if quiet is None else quiet
    if quiet or not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return Progress(None, total, initial)
    try:
        tqdm = importlib.import_module("tqdm").tqdm
    except ImportError:
        return Progress(None, total, initial)
    return Progress(tqdm(total=total, initial=initial, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True), total, initial)
