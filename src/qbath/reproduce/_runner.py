"""The one runner of the paper reproductions: compute -> netCDF -> figures -> checks -> summary.md.

A reproduction is a module (or any object) with

* ``PAPER``: a :class:`~qbath.reproduce.Paper`;
* ``compute(quick: bool = False) -> xarray.Dataset``: every number, with provenance attributes;
* ``plot(ds, out: Path) -> list[Path]``: the figures, written under ``out``;
* ``checks(ds) -> list[Check]``: qbath's numbers beside the paper's;
* optionally ``NAME`` (the CLI name), ``DATA_FILE`` (the netCDF file name) and
  ``notes(ds) -> list[str]`` (lines for the summary).

Progress: each step is logged on the ``qbath.reproduce`` logger (``INFO``, shown by ``qbath
reproduce`` unless ``--quiet``); :func:`track` shows the loops inside a step as a tqdm bar where
one can be drawn, as log lines otherwise.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from .._errors import InputError
from .._progress import progress
from ..io import save
from ._report import Reproduction

__all__ = ["run", "track", "resolve"]

log = logging.getLogger("qbath.reproduce")
T = TypeVar("T")
_STEPS = ("compute", "save netCDF", "plot", "checks", "summary")
_REQUIRED = ("PAPER", "compute", "plot", "checks")


def track(items: Iterable[T], desc: str, total: int | None = None) -> Iterator[T]:
    """Iterate over ``items`` showing how far it got: a tqdm bar where one can be drawn (tqdm
    installed, stderr a terminal, not quiet), otherwise ``INFO`` log lines at every quarter.

    ``total`` defaults to ``len(items)``.
    """
    seq = items if total is not None else list(items)
    n = total if total is not None else len(seq)  # type: ignore[arg-type]
    marks = {max(1, round(n * q / 4)) for q in (1, 2, 3, 4)}
    with progress(n, desc, unit="step") as bar:
        if not bar.visible:
            log.info("%s: 0/%d", desc, n)
        for i, item in enumerate(seq, start=1):
            yield item
            bar.update()
            if not bar.visible and i in marks:
                log.info("%s: %d/%d", desc, i, n)


def _default_name(obj: Any) -> str:
    """``NAME``, else the module name without underscores (``_dst_work`` -> ``dst-work``)."""
    if hasattr(obj, "NAME"):
        return str(obj.NAME)
    return (
        str(getattr(obj, "__name__", "reproduction"))
        .rsplit(".", 1)[-1]
        .strip("_")
        .replace("_", "-")
    )


def resolve(name: str, registry: Mapping[str, tuple[str, str, str]] | None = None) -> Any:
    """The reproduction registered as ``name`` (its module is imported now).

    ``registry`` defaults to :data:`qbath.reproduce.REPRODUCTIONS`. Returns the module when the
    entry function is the module's own (the usual case), otherwise the registered object.
    """
    if registry is None:
        from . import REPRODUCTIONS as registry
    if name not in registry:
        raise InputError(f"name: expected one of {', '.join(registry)}, got {name!r}")
    module, attr, _ = registry[name]
    mod = importlib.import_module(module)
    obj = getattr(mod, attr, None) if attr else mod
    if obj is None:
        raise InputError(
            f"name: the registry entry {name!r} points to {module}.{attr}, which does not exist"
        )
    # an entry function defined by a reproduction module runs that module through the pipeline
    return (
        mod
        if all(hasattr(mod, a) for a in _REQUIRED) and getattr(obj, "__module__", None) == module
        else obj
    )


def _pipeline(rep_obj: Any, out: Path, quick: bool, name: str) -> Reproduction:
    missing = [a for a in _REQUIRED if not hasattr(rep_obj, a)]
    if missing:
        raise InputError(
            f"reproduction: expected an object with {', '.join(_REQUIRED)}, {name!r} lacks {', '.join(missing)}"
        )
    rep = Reproduction(name=name, paper=rep_obj.PAPER, quick=quick)
    out.mkdir(parents=True, exist_ok=True)
    data_file = out / getattr(rep_obj, "DATA_FILE", f"{name.replace('-', '_')}.nc")
    ds = None
    for i, step in enumerate(_STEPS, start=1):
        log.info(
            "%s: step %d/%d: %s%s",
            name,
            i,
            len(_STEPS),
            step,
            " (quick)" if quick and i == 1 else "",
        )
        start = time.perf_counter()
        if step == "compute":
            ds = rep_obj.compute(quick=quick)
        elif step == "save netCDF":
            rep.data_files.append(save(ds, data_file))
        elif step == "plot":
            rep.figures.extend(Path(f) for f in rep_obj.plot(ds, out))
        elif step == "checks":
            rep.checks.extend(rep_obj.checks(ds))
            notes = getattr(rep_obj, "notes", None)
            rep.notes.extend(notes(ds) if callable(notes) else notes or [])
        else:
            rep.seconds["total"] = sum(rep.seconds.values()) + time.perf_counter() - start
            rep.write_summary(out)
        if step != "summary":
            rep.seconds[step] = time.perf_counter() - start
    log.info("%s: done in %.1f s (%s)", name, rep.seconds["total"], rep.count_line())
    return rep


def run(
    reproduction: str | ModuleType | Any,
    out: str | Path,
    quick: bool = False,
    *,
    registry: Mapping[str, tuple[str, str, str]] | None = None,
) -> Reproduction:
    """Run one reproduction into the folder ``out`` and write its ``summary.md``.

    Parameters
    ----------
    reproduction : str or module
        A name registered in :data:`qbath.reproduce.REPRODUCTIONS`, or a reproduction module
        (``PAPER``, ``compute``, ``plot``, ``checks``; see the module docstring).
    out : str or Path
        Output folder (created): figures, the netCDF file and ``summary.md``.
    quick : bool
        Smaller grids and fewer steps.
    registry : mapping, optional
        Where to look ``reproduction`` up (default :data:`qbath.reproduce.REPRODUCTIONS`).

    Returns
    -------
    Reproduction
        The checks, figure and data paths, notes and the seconds each step took.

    Raises
    ------
    InputError
        An unknown name, or an object that is not a reproduction.
    """
    if not isinstance(quick, bool):
        raise InputError(f"quick: expected a bool, got {type(quick).__name__}")
    if not isinstance(out, (str, Path)):
        raise InputError(f"out: expected a folder path (str or Path), got {type(out).__name__}")
    out = Path(out)
    if isinstance(reproduction, str):
        name, obj = reproduction, resolve(reproduction, registry)
    else:
        name, obj = _default_name(reproduction), reproduction
    if all(hasattr(obj, a) for a in _REQUIRED):
        return _pipeline(obj, out, quick, name)
    if callable(obj):  # a reproduction not yet split into compute/plot/checks
        log.info("%s: running (single step)", name)
        rep = obj(out, quick=quick)
        rep.write_summary(out)
        return rep
    raise InputError(
        f"reproduction: expected a registered name or a module with {', '.join(_REQUIRED)}, got {reproduction!r}"
    )
