"""Progress bars for long runs: tqdm when it is installed and stderr is a terminal, silent otherwise.

The library never prints; it logs through :mod:`logging` (logger ``"qbath"``) and shows a bar only
through :func:`progress`. ``qbath --quiet`` (or :func:`set_quiet`) turns bars off everywhere.

:func:`meter` is the progress of one long call that asked for it (``progress=True`` of the
solvers): a tqdm bar whenever tqdm is installed, ``INFO`` log lines at every tenth otherwise.
"""

from __future__ import annotations

import importlib
import logging
import math
import sys
import time
from typing import Any

from ._optional import require

__all__ = ["progress", "set_quiet", "Progress", "meter", "Meter"]

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


def progress(
    total: int, desc: str = "", *, initial: int = 0, quiet: bool | None = None, unit: str = "it"
) -> Progress:
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
    return Progress(
        tqdm(
            total=total, initial=initial, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True
        ),
        total,
        initial,
    )


class Meter:
    """How far a long call has got, as an amount ``done`` in [0, ``total``] (solver time covered,
    trajectories run): ``ticks`` whole steps of a tqdm bar, or a log line at every tenth.

    :meth:`advance_to` takes the amount done so far (never decreasing); the bar moves by whole
    ticks only, so it costs nothing between ticks. Use as a context manager (closes the bar).
    """

    def __init__(
        self, bar: Any, total: float, ticks: int, desc: str, logger: logging.Logger | None
    ):
        self._bar = bar
        self.total = float(total)
        self.ticks = int(ticks)
        self.desc = desc
        self._log = logger
        self._shown = 0  # ticks shown (bar) or tenths logged (log lines)
        self._start = time.perf_counter()

    @property
    def visible(self) -> bool:
        """True when a tqdm bar is drawn (False: log lines, or nothing when quiet)."""
        return self._bar is not None

    def advance_to(self, done: float) -> None:
        frac = 1.0 if self.total <= 0 else min(max(done / self.total, 0.0), 1.0)
        if self._bar is not None:
            tick = math.floor(frac * self.ticks + 1e-9)
            if tick > self._shown:
                self._bar.update(tick - self._shown)
                self._shown = tick
            return
        if self._log is None:
            return
        tenth = math.floor(frac * 10 + 1e-9)
        if tenth > self._shown:
            self._shown = tenth
            self._log.info(
                "%s: %d%% done after %.1f s",
                self.desc,
                10 * tenth,
                time.perf_counter() - self._start,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Meter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def meter(
    total: float, desc: str, *, ticks: int = 100, unit: str = "%", logger: str = "qbath"
) -> Meter:
    """The progress of a call that asked for it, over an amount ``total`` shown in ``ticks`` steps.

    A tqdm bar on stderr whenever tqdm is installed (extra ``progress``), terminal or not (the
    caller asked for it); without tqdm, ``INFO`` lines on the logger ``logger`` at every tenth.
    :func:`set_quiet` turns both off.
    """
    log = logging.getLogger(logger)
    if _QUIET:
        return Meter(None, total, ticks, desc, None)
    try:
        tqdm = require("tqdm", purpose="progress bars").tqdm
    except ImportError:
        log.info("%s: started (install tqdm for a progress bar)", desc)
        return Meter(None, total, ticks, desc, log)
    bar = tqdm(total=int(ticks), desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)
    return Meter(bar, total, ticks, desc, log)
