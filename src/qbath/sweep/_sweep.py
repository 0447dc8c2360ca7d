r"""Resumable parameter sweeps of a configuration on Dask.

Layout of a sweep directory ``OUT``::

    OUT/sweep.json          what is being swept (model, axes, outputs): a re-run must match it
    OUT/chunks/points-*.nc  one netCDF per finished chunk of grid points (written atomically)
    OUT/sweep.nc            the combined Dataset, written when every point is done

Grid points are numbered in C order over the axes. Chunks are computed on Dask workers; the client
(this process) writes each chunk's file as soon as it arrives, so only the client needs the disk.
A re-run reads the chunk files, skips the points they hold and computes the rest; since a point's
values do not depend on how the grid was chunked, an interrupted and resumed sweep gives the same
``sweep.nc`` as an uninterrupted one.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import InputError
from .._meta import make_meta
from .._optional import require
from .._progress import progress
from ..config import (
    Config,
    ConfigError,
    Problem,
    evaluate_data,
    kind_problem,
    resolve_key,
    split_key,
)
from ..io import write_netcdf
from ._grid import Axis, Grid, parse_param

__all__ = ["SweepPlan", "plan_sweep", "run_sweep", "sweep_status", "resume_count", "combine_chunks"]

log = logging.getLogger("qbath.sweep")

MANIFEST = "sweep.json"
CHUNKS = "chunks"
RESULT = "sweep.nc"


@dataclass(frozen=True)
class SweepPlan:
    """A validated sweep: the base configuration, the grid over its keys and the outputs."""

    config: Config
    grid: Grid
    outputs: tuple[str, ...]

    def point_data(self, p: int) -> dict[str, Any]:
        """Validated configuration values at grid point ``p``."""
        return self.config.with_values(self.grid.point(p)).data

    def manifest(self) -> dict[str, Any]:
        """What identifies the sweep (a re-run into the same directory must match it)."""
        data = self.config.data
        return {
            "kind": self.config.kind,
            "model": data["model"],
            "initial": data["initial"],
            "solver": data["solver"],
            "axes": [{"key": a.key, "name": a.name, "values": list(a.values)} for a in self.grid.axes],
            "outputs": list(self.outputs),
        }


def _axis_names(keys: Sequence[str]) -> list[str]:
    """Coordinate names: the last part of each key, or the sanitised key when that repeats."""
    leaves = [str(split_key(k)[-1]) for k in keys]
    return [
        leaf if leaves.count(leaf) == 1 else "_".join(str(p) for p in split_key(k))
        for leaf, k in zip(leaves, keys, strict=True)
    ]


def plan_sweep(
    config: Config,
    params: Sequence[str | tuple[str, Sequence[float]]] = (),
    outputs: Sequence[str] | None = None,
) -> SweepPlan:
    """Validate a sweep: resolve parameter names to keys, check every axis value and every output.

    Parameters
    ----------
    config : Config
        The base configuration; its ``[sweep.params]`` table gives default axes.
    params : sequence of ``"KEY=SPEC"`` strings or ``(key, values)`` pairs
        Axes (they replace ``[sweep.params]`` axes on the same key). ``KEY`` is a dotted key or a bare
        name matching one key; ``SPEC`` as in :func:`qbath.sweep.parse_values`.
    outputs : sequence of str, optional
        Scalar outputs per point (default: the configuration's ``sweep.outputs``).
    """
    given: dict[str, Sequence[float]] = {}
    for name, values in config.data["sweep"]["params"].items():
        given[resolve_key(config, name)] = values
    for item in params:
        name, values = parse_param(item) if isinstance(item, str) else item
        given[resolve_key(config, name)] = [float(v) for v in values]
    if not given:
        raise ConfigError("--param", "at least one sweep parameter (--param KEY=SPEC or [sweep.params])", "none")
    for key, values in given.items():
        for v in values:
            config.with_values({key: v})  # raises ConfigError naming the key for a bad value
    names = _axis_names(list(given))
    axes = tuple(Axis(k, n, tuple(float(v) for v in vals)) for (k, vals), n in zip(given.items(), names, strict=True))
    outs = tuple(config.data["sweep"]["outputs"] if outputs is None else outputs)
    problem_cls = kind_problem(config.kind)
    for i, name in enumerate(outs):
        problem_cls.check_output(f"sweep.outputs[{i}]", name, config.data)
    return SweepPlan(config, Grid(axes), outs)


# ---- work done on the workers ---------------------------------------------------------------------
def compute_chunk(
    problem_cls: type[Problem], datas: Sequence[Mapping[str, Any]], points: Sequence[int], outputs: Sequence[str]
) -> dict[str, Any]:
    """Evaluate the outputs at a chunk of points; a point that raises gets NaN and its message."""
    values = np.full((len(points), len(outputs)), np.nan)
    errors = [""] * len(points)
    for i, data in enumerate(datas):
        try:
            r = evaluate_data(problem_cls, data, outputs)
            values[i] = [r[o] for o in outputs]
        except Exception as exc:  # noqa: BLE001 - recorded per point, reported at the end
            errors[i] = f"{type(exc).__name__}: {exc}"
    return {"points": np.asarray(points, dtype=np.int64), "values": values, "errors": errors}


# ---- files ----------------------------------------------------------------------------------------
def _xr() -> Any:
    return require("xarray", extra="sweep", purpose="sweep results")


def _write_chunk(out: Path, chunk: Mapping[str, Any], outputs: Sequence[str]) -> Path:
    xr = _xr()
    pts = chunk["points"]
    data = {name: ("point", chunk["values"][:, j]) for j, name in enumerate(outputs)}
    data["error"] = ("point", np.asarray(chunk["errors"], dtype=object).astype(str))
    ds = xr.Dataset(data, coords={"point": pts})
    path = out / CHUNKS / f"points-{int(pts[0]):09d}.nc"
    write_netcdf(ds, path)
    return path


def _read_chunks(out: Path, outputs: Sequence[str]) -> Iterator[tuple[np.ndarray, np.ndarray, list[str]]]:
    xr = _xr()
    for path in sorted((out / CHUNKS).glob("points-*.nc")):
        try:
            with xr.open_dataset(path) as ds:
                pts = ds["point"].values.astype(np.int64)
                vals = np.stack([ds[o].values for o in outputs], axis=1)
                errs = [str(e) for e in ds["error"].values]
        except Exception as exc:  # noqa: BLE001 - an unreadable chunk is recomputed
            log.warning("ignoring unreadable chunk file %s (%s); its points will be recomputed", path, exc)
            path.unlink(missing_ok=True)
            continue
        yield pts, vals, errs


def sweep_status(out: str | Path, plan: SweepPlan) -> np.ndarray:
    """Boolean mask (grid size,) of the points already written under ``out``."""
    done = np.zeros(plan.grid.size, dtype=bool)
    out = Path(out)
    if (out / CHUNKS).is_dir():
        for pts, _, _ in _read_chunks(out, plan.outputs):
            done[pts[(pts >= 0) & (pts < plan.grid.size)]] = True
    return done


def resume_count(out: str | Path, plan: SweepPlan) -> int | None:
    """How many points of ``plan`` are already written under ``out`` (``None`` when ``out`` holds
    no sweep, or a different one)."""
    manifest = Path(out) / MANIFEST
    if not manifest.exists() or json.loads(manifest.read_text()) != json.loads(json.dumps(plan.manifest())):
        return None
    return int(sweep_status(out, plan).sum())


def combine_chunks(out: str | Path, plan: SweepPlan) -> Any:
    """The sweep Dataset from the chunk files: one variable per output over the axes' coordinates.

    Raises ``InputError`` if points are missing. Points that failed are NaN; their messages are in
    the variable ``error`` (present only when some point failed).
    """
    xr = _xr()
    out = Path(out)
    size = plan.grid.size
    values = np.full((size, len(plan.outputs)), np.nan)
    errors = np.full(size, "", dtype=object)
    have = np.zeros(size, dtype=bool)
    for pts, vals, errs in _read_chunks(out, plan.outputs):
        values[pts] = vals
        errors[pts] = errs
        have[pts] = True
    if not have.all():
        raise InputError(f"out: expected every grid point written under {out}, got {int((~have).sum())} missing")
    shape = plan.grid.shape
    dims = tuple(a.name for a in plan.grid.axes)
    data = {name: (dims, values[:, j].reshape(shape)) for j, name in enumerate(plan.outputs)}
    failed = int(np.count_nonzero(errors != ""))
    if failed:
        data["error"] = (dims, errors.astype(str).reshape(shape))
    coords = {a.name: (a.name, np.asarray(a.values), {"config_key": a.key}) for a in plan.grid.axes}
    from ..io import attrs_from_meta

    meta = make_meta(
        "sweep",
        config_kind=plan.config.kind,
        title=plan.config.name,
        config=plan.config.to_json(),
        sweep_keys=[a.key for a in plan.grid.axes],
        outputs=list(plan.outputs),
        n_points=size,
        n_failed=failed,
    )
    return xr.Dataset(data, coords=coords, attrs=attrs_from_meta(meta))


def _prepare_dir(out: Path, plan: SweepPlan, restart: bool) -> None:
    manifest = out / MANIFEST
    want = json.loads(json.dumps(plan.manifest()))
    if restart and out.exists():
        shutil.rmtree(out / CHUNKS, ignore_errors=True)
        manifest.unlink(missing_ok=True)
        (out / RESULT).unlink(missing_ok=True)
    if manifest.exists():
        have = json.loads(manifest.read_text())
        if have != want:
            diff = sorted(k for k in set(have) | set(want) if have.get(k) != want.get(k))
            raise InputError(
                f"out: expected a new directory or one holding this same sweep, got {out} holding a "
                f"different sweep (differs in: {', '.join(diff)}); pass --restart to discard it, or "
                "choose another --out"
            )
    else:
        if out.exists() and any(out.iterdir()) and not (out / CHUNKS).exists():
            log.info("writing sweep files into existing directory %s", out)
        out.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps(want, indent=1, sort_keys=True) + "\n")
    (out / CHUNKS).mkdir(parents=True, exist_ok=True)


def _chunks(todo: np.ndarray, size: int) -> list[np.ndarray]:
    return [todo[i : i + size] for i in range(0, len(todo), size)]


class _TeardownNoise(logging.Filter):
    """Drop asyncio's "Future exception was never retrieved" for a ``TimeoutError``: Dask's
    internal close handshakes can time out on a loaded machine while the cluster still shuts down
    cleanly, and the message would otherwise reach stderr (also under ``--quiet``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None and record.args and isinstance(record.args, dict):
            exc = record.args.get("exception")
        msg = record.getMessage()
        return not ("never retrieved" in msg and (isinstance(exc, TimeoutError) or "TimeoutError" in msg))


_ASYNCIO_FILTER = _TeardownNoise()


def _start_client(scheduler: str | None, workers: int | None, processes: bool) -> tuple[Any, Any]:
    distributed = require("distributed", extra="sweep", purpose="parameter sweeps")
    aio = logging.getLogger("asyncio")
    if _ASYNCIO_FILTER not in aio.filters:
        aio.addFilter(_ASYNCIO_FILTER)
    if scheduler:
        log.info("connecting to the Dask scheduler at %s", scheduler)
        return distributed.Client(scheduler), None
    n = workers or os.cpu_count() or 1
    log.info("starting a local Dask cluster: %d worker %s", n, "processes" if processes else "threads")
    cluster = distributed.LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=processes,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    return distributed.Client(cluster), cluster


def run_sweep(
    plan: SweepPlan,
    out: str | Path,
    *,
    scheduler: str | None = None,
    client: Any = None,
    workers: int | None = None,
    processes: bool = True,
    chunk_size: int | None = None,
    restart: bool = False,
    quiet: bool | None = None,
) -> Any:
    """Compute every grid point not yet written under ``out``, then write and return the Dataset.

    Parameters
    ----------
    plan : SweepPlan
        From :func:`plan_sweep`.
    out : path
        Sweep directory (created). A directory holding a different sweep is refused unless
        ``restart``.
    scheduler : str, optional
        Address of a running ``dask.distributed`` scheduler (``tcp://host:8786``); its workers need
        qbath installed. Default: a local cluster.
    client : distributed.Client, optional
        Use this client instead (neither a cluster nor a connection is made).
    workers : int, optional
        Local cluster size (default: the number of CPUs).
    processes : bool
        Local cluster of worker processes (default) or of threads (quicker start, shares the GIL).
    chunk_size : int, optional
        Points per task and per file (default: about four tasks per worker, at most 256 points).
    restart : bool
        Discard what ``out`` holds and start again.
    quiet : bool, optional
        No progress bar (default: a bar when stderr is a terminal and tqdm is installed).

    Returns
    -------
    xarray.Dataset
        One variable per output over the sweep axes (also written to ``out/sweep.nc``).
    """
    out = Path(out)
    _prepare_dir(out, plan, restart)
    done = sweep_status(out, plan)
    todo = np.flatnonzero(~done)
    log.info("sweep %s: %d points, %d already done", out, plan.grid.size, plan.grid.size - len(todo))
    if len(todo):
        own = client is None
        cluster = None
        if own:
            client, cluster = _start_client(scheduler, workers, processes)
        try:
            n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
            size = chunk_size or max(1, min(256, math.ceil(len(todo) / (4 * n_workers))))
            _compute(client, plan, out, _chunks(todo, size), int(done.sum()), quiet)
        finally:
            if own:
                client.close()
                if cluster is not None:
                    cluster.close()
    ds = combine_chunks(out, plan)
    write_netcdf(ds, out / RESULT)
    failed = int(ds.attrs.get("n_failed", 0))
    if failed:
        first = next(str(e) for e in ds["error"].values.ravel() if str(e))
        log.warning("%d of %d sweep points failed; first error: %s", failed, plan.grid.size, first)
    return ds


def _compute(client: Any, plan: SweepPlan, out: Path, chunks: list[np.ndarray], done: int, quiet: bool | None) -> None:
    distributed = require("distributed", extra="sweep", purpose="parameter sweeps")
    problem_cls = kind_problem(plan.config.kind)
    futures = []
    for pts in chunks:
        datas = [plan.point_data(int(p)) for p in pts]
        futures.append(
            client.submit(compute_chunk, problem_cls, datas, pts.tolist(), list(plan.outputs), pure=False)
        )
    with progress(plan.grid.size, "sweep", initial=done, quiet=quiet, unit="pt") as bar:
        for fut in distributed.as_completed(futures):
            chunk = fut.result()
            _write_chunk(out, chunk, plan.outputs)
            bar.update(len(chunk["points"]))
            fut.release()
