r"""Resumable parameter sweeps of a configuration on Dask.

Layout of a sweep directory ``OUT``::

    OUT/sweep.json          what is being swept (model, axes, outputs): a re-run must match it;
                            also the SHA-256 of every finished chunk file (key ``chunks``)
    OUT/chunks/points-*.nc  one netCDF per finished chunk of grid points (written atomically)
    OUT/sweep.nc            the combined Dataset, written when every point is done
    OUT/.qbath-sweep.lock   held (``flock``) by the process running the sweep

Only one sweep runs in a directory at a time: a second one (or a ``--restart``) is refused while
the lock is held; the lock goes with its process, so a killed sweep resumes. A chunk file whose
checksum does not match the manifest (edited, corrupt, or from another sweep) is recomputed.
Files are created with the permissions of the process umask.

Grid points are numbered in C order over the axes. Chunks are computed on Dask workers; the client
(this process) writes each chunk's file as soon as it arrives, so only the client needs the disk.
A re-run reads the chunk files, skips the points they hold and computes the rest; since a point's
values do not depend on how the grid was chunked, an interrupted and resumed sweep gives the same
``sweep.nc`` as an uninterrupted one.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import hashlib
import json
import logging
import math
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .._checks import check_bool, check_int
from .._errors import InputError
from .._files import process_umask
from .._meta import make_meta
from .._optional import require
from .._progress import progress
from ..config import (
    Config,
    ConfigError,
    Problem,
    batch_evaluator,
    evaluate_data,
    kind_problem,
    resolve_key,
    split_key,
)
from ..io import write_netcdf
from ._grid import Axis, Grid, parse_param

__all__ = [
    "SweepPlan",
    "plan_sweep",
    "run_sweep",
    "sweep_status",
    "resume_count",
    "combine_chunks",
    "check_scheduler_address",
    "make_security",
]

log = logging.getLogger("qbath.sweep")

MANIFEST = "sweep.json"
CHUNKS = "chunks"
RESULT = "sweep.nc"
LOCK = ".qbath-sweep.lock"
_CHECKSUMS = "chunks"  # manifest key of the chunk checksums
#: default points per chunk (and per batched call) of kinds that solve points in batches
BATCH_CHUNK = 128


def _write_atomic(path: Path, write: Any) -> str:
    """Write a file through a temporary file in the same folder and a rename; ``write(tmp)`` fills
    it. The file gets the umask's permissions (not ``mkstemp``'s 0600). Returns its SHA-256."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~process_umask())
        digest = _sha256(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return digest


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_manifest(out: Path) -> tuple[dict[str, Any], dict[str, str]] | None:
    """(what identifies the sweep, chunk checksums) from ``out/sweep.json``; None when absent."""
    path = out / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"out: expected {path} to hold a sweep manifest (JSON), got an unreadable or corrupt file "
            f"({exc}); pass --restart to discard the folder's sweep, or choose another --out"
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"out: expected {path} to hold a sweep manifest (a JSON object), got {type(data).__name__}; "
            "pass --restart to discard it, or choose another --out"
        )
    sums = data.pop(_CHECKSUMS, {})
    return data, (sums if isinstance(sums, dict) else {})


def _write_manifest(out: Path, ident: Mapping[str, Any], sums: Mapping[str, str]) -> None:
    body = {**ident, _CHECKSUMS: dict(sorted(sums.items()))}
    text = json.dumps(body, indent=1, sort_keys=True) + "\n"
    _write_atomic(out / MANIFEST, lambda tmp: Path(tmp).write_text(text))


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``out/.qbath-sweep.lock`` (refused when another process has it)."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): run unlocked, and say so
        log.warning("no file locking on this platform: do not run two sweeps into %s at once", out)
        yield
        return
    path = out / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            raise InputError(
                f"out: expected no other sweep running in {out}, got one holding its lock (pid {holder}); "
                "wait for it to finish (or stop it) before running or restarting a sweep there"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def _make_out_dir(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / LOCK
        os.close(os.open(probe, os.O_RDWR | os.O_CREAT, 0o666))
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        where = (
            f" ({exc.filename})" if exc.filename and str(exc.filename) != str(out / LOCK) else ""
        )
        raise InputError(
            f"out: expected a writable sweep folder, got {out}: {why}{where}"
        ) from None


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
            "axes": [
                {"key": a.key, "name": a.name, "values": list(a.values)} for a in self.grid.axes
            ],
            "outputs": list(self.outputs),
        }


def _axis_names(keys: Sequence[str]) -> list[str]:
    """Coordinate names: the last part of each key, or the sanitised key when that repeats."""
    leaves = [str(split_key(k)[-1]) for k in keys]
    return [
        leaf if leaves.count(leaf) == 1 else "_".join(str(p) for p in split_key(k))
        for leaf, k in zip(leaves, keys, strict=True)
    ]


_PARAM_TABLES = ("model", "initial", "solver")


def _numeric_keys(data: Mapping[str, Any]) -> list[str]:
    """Dotted keys of the numeric leaves of the tables a sweep may vary (for suggestions)."""
    out: list[str] = []

    def walk(v: Any, prefix: str) -> None:
        if isinstance(v, Mapping):
            for k, x in v.items():
                walk(x, f"{prefix}.{k}" if prefix else str(k))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(prefix)

    for t in _PARAM_TABLES:
        if t in data:
            walk(data[t], t)
    return out


def _resolve(config: Config, name: str) -> str:
    """:func:`resolve_key`, with a "did you mean" for a name that matches no key."""
    try:
        return resolve_key(config, name)
    except ConfigError as exc:
        if exc.got != "no such key":
            raise
        keys = _numeric_keys(config.data)
        leaves = [k.rsplit(".", 1)[-1] for k in keys]
        pool = keys if "." in name else leaves
        close = difflib.get_close_matches(name, pool, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; numeric keys: {', '.join(keys)}"
        raise ConfigError(name, exc.expected, f"no such key{hint}") from None


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
        given[_resolve(config, name)] = values
    for item in params:
        name, values = parse_param(item) if isinstance(item, str) else item
        given[_resolve(config, name)] = [float(v) for v in values]
    if not given:
        raise ConfigError(
            "--param", "at least one sweep parameter (--param KEY=SPEC or [sweep.params])", "none"
        )
    for key, values in given.items():
        for v in values:
            config.with_values({key: v})  # raises ConfigError naming the key for a bad value
    names = _axis_names(list(given))
    axes = tuple(
        Axis(k, n, tuple(float(v) for v in vals))
        for (k, vals), n in zip(given.items(), names, strict=True)
    )
    outs = tuple(config.data["sweep"]["outputs"] if outputs is None else outputs)
    problem_cls = kind_problem(config.kind)
    for i, name in enumerate(outs):
        problem_cls.check_output(f"sweep.outputs[{i}]", name, config.data)
    return SweepPlan(config, Grid(axes), outs)


# ---- work done on the workers ---------------------------------------------------------------------
def _batched_values(
    problem_cls: type[Problem], datas: Sequence[Mapping[str, Any]], outputs: Sequence[str]
) -> list[Any]:
    """The kind's batched values of the chunk (None for points left to the per-point path)."""
    hook = batch_evaluator(problem_cls)
    if hook is None or len(datas) < 2:
        return [None] * len(datas)
    try:
        got = list(hook(datas, list(outputs)))
    except Exception as exc:  # noqa: BLE001 - the per-point path computes every point instead
        log.warning("batched evaluation failed (%s); computing the chunk point by point", exc)
        return [None] * len(datas)
    return got if len(got) == len(datas) else [None] * len(datas)


def compute_chunk(
    problem_cls: type[Problem],
    datas: Sequence[Mapping[str, Any]],
    points: Sequence[int],
    outputs: Sequence[str],
    batch: bool = True,
) -> dict[str, Any]:
    """Evaluate the outputs at a chunk of points; a point that raises gets NaN and its message.

    With ``batch`` a kind with a batched evaluation (:func:`qbath.config.batch_evaluator`) solves
    the chunk's points in vectorised calls; the points it leaves take the per-point path.
    """
    values = np.full((len(points), len(outputs)), np.nan)
    errors = [""] * len(points)
    done = _batched_values(problem_cls, datas, outputs) if batch else [None] * len(datas)
    for i, data in enumerate(datas):
        if done[i] is not None:
            values[i] = [done[i][o] for o in outputs]
            continue
        try:
            r = evaluate_data(problem_cls, data, outputs)
            values[i] = [r[o] for o in outputs]
        except Exception as exc:  # noqa: BLE001 - recorded per point, reported at the end
            errors[i] = f"{type(exc).__name__}: {exc}"
    return {"points": np.asarray(points, dtype=np.int64), "values": values, "errors": errors}


# ---- files ----------------------------------------------------------------------------------------
def _xr() -> Any:
    return require("xarray", extra="sweep", purpose="sweep results")


def _write_chunk(
    out: Path,
    chunk: Mapping[str, Any],
    outputs: Sequence[str],
    ident: Mapping[str, Any],
    sums: dict[str, str],
) -> Path:
    xr = _xr()
    pts = chunk["points"]
    data = {name: ("point", chunk["values"][:, j]) for j, name in enumerate(outputs)}
    data["error"] = ("point", np.asarray(chunk["errors"], dtype=object).astype(str))
    ds = xr.Dataset(data, coords={"point": pts})
    path = out / CHUNKS / f"points-{int(pts[0]):09d}.nc"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        ds.to_netcdf(tmp)
        os.chmod(tmp, 0o666 & ~process_umask())
        # the checksum is in the manifest before the chunk is in place: a chunk file on disk always
        # has its checksum recorded, also when the sweep is killed between the two steps
        sums[path.name] = _sha256(Path(tmp))
        _write_manifest(out, ident, sums)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def _read_chunks(
    out: Path, outputs: Sequence[str], *, repair: bool = False
) -> Iterator[tuple[np.ndarray, np.ndarray, list[str]]]:
    """The chunks whose file matches its checksum in the manifest. With ``repair`` (only under the
    sweep lock) the others are deleted, so their points are recomputed."""
    xr = _xr()
    man = _read_manifest(out)
    sums = man[1] if man else {}
    for path in sorted((out / CHUNKS).glob("points-*.nc")):
        want = sums.get(path.name)
        got = _sha256(path) if want else None
        if want is None or got != want:
            why = (
                "no checksum in the manifest"
                if want is None
                else "its checksum does not match the manifest (edited or corrupt)"
            )
            if repair:
                log.warning("ignoring chunk file %s: %s; its points will be recomputed", path, why)
                path.unlink(missing_ok=True)
            continue
        try:
            with xr.open_dataset(path) as ds:
                pts = ds["point"].values.astype(np.int64)
                vals = np.stack([ds[o].values for o in outputs], axis=1)
                errs = [str(e) for e in ds["error"].values]
        except Exception as exc:  # noqa: BLE001 - an unreadable chunk is recomputed
            if repair:
                log.warning(
                    "ignoring unreadable chunk file %s (%s); its points will be recomputed",
                    path,
                    exc,
                )
                path.unlink(missing_ok=True)
            continue
        yield pts, vals, errs


def sweep_status(out: str | Path, plan: SweepPlan, *, _repair: bool = False) -> np.ndarray:
    """Boolean mask (grid size,) of the points already written (and verified) under ``out``."""
    done = np.zeros(plan.grid.size, dtype=bool)
    out = Path(out)
    if (out / CHUNKS).is_dir():
        for pts, _, _ in _read_chunks(out, plan.outputs, repair=_repair):
            done[pts[(pts >= 0) & (pts < plan.grid.size)]] = True
    return done


def resume_count(out: str | Path, plan: SweepPlan) -> int | None:
    """How many points of ``plan`` are already written under ``out`` (``None`` when ``out`` holds
    no sweep, or a different one)."""
    man = _read_manifest(Path(out))
    if man is None or man[0] != json.loads(json.dumps(plan.manifest())):
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
        raise InputError(
            f"out: expected every grid point written under {out}, got {int((~have).sum())} missing"
        )
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


def _prepare_dir(
    out: Path, plan: SweepPlan, restart: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Make ``out`` hold this sweep (under the lock); returns (manifest identity, chunk checksums)."""
    want = json.loads(json.dumps(plan.manifest()))
    if restart:
        shutil.rmtree(out / CHUNKS, ignore_errors=True)
        (out / MANIFEST).unlink(missing_ok=True)
        (out / RESULT).unlink(missing_ok=True)
    man = _read_manifest(out)
    if man is not None:
        have, sums = man
        if have != want:
            diff = sorted(k for k in set(have) | set(want) if have.get(k) != want.get(k))
            raise InputError(
                f"out: expected a new directory or one holding this same sweep, got {out} holding a "
                f"different sweep (differs in: {', '.join(diff)}); pass --restart to discard it, or "
                "choose another --out"
            )
    else:
        if any(p.name != LOCK for p in out.iterdir()) and not (out / CHUNKS).exists():
            log.info("writing sweep files into existing directory %s", out)
        sums = {}
        _write_manifest(out, want, sums)
    (out / CHUNKS).mkdir(parents=True, exist_ok=True)
    return want, sums


def _chunks(todo: np.ndarray, size: int) -> list[np.ndarray]:
    return [todo[i : i + size] for i in range(0, len(todo), size)]


def _blocks(todo: np.ndarray, size: int) -> list[np.ndarray]:
    """``todo`` cut at the multiples of ``size`` of the grid numbering: each chunk is what is left
    of one fixed block of points, so a resumed batched sweep recomputes whole blocks."""
    cuts = np.flatnonzero(np.diff(todo // size)) + 1
    return [c for c in np.split(todo, cuts) if len(c)]


class _TeardownNoise(logging.Filter):
    """Drop asyncio's "Future exception was never retrieved" for a ``TimeoutError``: Dask's
    internal close handshakes can time out on a loaded machine while the cluster still shuts down
    cleanly, and the message would otherwise reach stderr (also under ``--quiet``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None and record.args and isinstance(record.args, dict):
            exc = record.args.get("exception")
        msg = record.getMessage()
        return not (
            "never retrieved" in msg and (isinstance(exc, TimeoutError) or "TimeoutError" in msg)
        )


_ASYNCIO_FILTER = _TeardownNoise()


_ADDRESS = re.compile(
    r"^(?:(?P<proto>tcp|tls|ws|wss|ucx)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::(?P<port>[0-9]{1,5}))?$"
)


_INPROC = re.compile(r"^inproc://(?P<host>[0-9A-Za-z.:-]+/[0-9]+/[0-9]+)$")


def check_scheduler_address(address: Any) -> tuple[str, str, int | None]:
    """``PROTOCOL://HOST:PORT`` (protocol tcp, tls, ws, wss or ucx; default tcp) -> its parts.
    Dask's in-process addresses (``inproc://HOST/PID/N``) are accepted too.

    Only an address is accepted (no paths, queries, spaces or other text). Returns
    ``(protocol, host, port)``.
    """
    if not isinstance(address, str) or not address:
        raise InputError(f"--scheduler: expected an address PROTOCOL://HOST:PORT, got {address!r}")
    m_in = _INPROC.match(address.strip())
    if m_in is not None:  # a scheduler in this very process (Dask's in-process transport)
        return "inproc", m_in["host"], None
    m = _ADDRESS.match(address.strip())
    if m is None:
        raise InputError(
            "--scheduler: expected an address PROTOCOL://HOST:PORT (protocol tcp, tls, ws, wss or ucx), "
            f"got {address!r}"
        )
    port = int(m["port"]) if m["port"] else None
    if port is not None and not 0 < port < 65536:
        raise InputError(f"--scheduler: expected a port in 1..65535, got {port} in {address!r}")
    return m["proto"] or "tcp", m["host"].strip("[]"), port


def _reachable(proto: str, host: str, port: int | None, timeout: float) -> None:
    """Fail fast (one TCP connection attempt) when nothing listens at the scheduler address."""
    if proto not in ("tcp", "tls", "ws", "wss"):
        return
    port = 8786 if port is None else port
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        why = exc.strerror or str(exc) or type(exc).__name__
        raise InputError(
            f"--scheduler: expected a running Dask scheduler at {proto}://{host}:{port}, got no "
            f"connection ({why})"
        ) from None


def make_security(
    *, ca_file: str | None = None, cert: str | None = None, key: str | None = None
) -> Any:
    """A ``distributed.Security`` for TLS to a scheduler (``tls://`` addresses): the CA that signs
    the scheduler's certificate and this client's certificate and key (PEM files)."""
    distributed = require("distributed", extra="sweep", purpose="parameter sweeps")
    files = {"--tls-ca-file": ca_file, "--tls-cert": cert, "--tls-key": key}
    for flag, f in files.items():
        if f is not None and not Path(f).is_file():
            raise InputError(f"{flag}: expected a readable PEM file, got {f!r} (no such file)")
    if ca_file is None or cert is None:
        raise InputError(
            "--tls-ca-file/--tls-cert: expected both (and --tls-key unless the cert holds it), got "
            f"ca_file={ca_file!r}, cert={cert!r}"
        )
    return distributed.Security(
        tls_ca_file=ca_file, tls_client_cert=cert, tls_client_key=key, require_encryption=True
    )


def _start_client(
    scheduler: str | None,
    workers: int | None,
    processes: bool,
    *,
    security: Any = None,
    dashboard: str | None = None,
    connect_timeout: float = 10.0,
) -> tuple[Any, Any]:
    distributed = require("distributed", extra="sweep", purpose="parameter sweeps")
    aio = logging.getLogger("asyncio")
    if _ASYNCIO_FILTER not in aio.filters:
        aio.addFilter(_ASYNCIO_FILTER)
    if scheduler:
        proto, host, port = check_scheduler_address(scheduler)
        if proto == "tls" and security is None:
            log.info(
                "tls:// scheduler without --tls-* files: using the Dask configuration's security"
            )
        _reachable(proto, host, port, min(connect_timeout, 5.0))
        log.info("connecting to the Dask scheduler at %s", scheduler)
        kw: dict[str, Any] = {"timeout": connect_timeout}
        if security is not None:
            kw["security"] = security
        try:
            return distributed.Client(scheduler, **kw), None
        except (OSError, TimeoutError) as exc:
            raise InputError(
                f"--scheduler: expected a Dask scheduler answering at {scheduler}, got {type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else 'no answer'}"
            ) from None
    n = workers or os.cpu_count() or 1
    log.info(
        "starting a local Dask cluster: %d worker %s", n, "processes" if processes else "threads"
    )
    cluster = distributed.LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=processes,
        # worker processes talk to the scheduler over TCP on the loopback only; a cluster of
        # threads uses Dask's in-process transport (no socket at all)
        **({"host": "127.0.0.1"} if processes else {}),
        # the dashboard (and the HTTP endpoints Dask always serves) on the loopback unless asked
        dashboard_address=dashboard or "127.0.0.1:0",
        worker_dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    )
    if dashboard:
        log.info("Dask dashboard at %s", cluster.dashboard_link)
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
    security: Any = None,
    dashboard: str | None = None,
    batch: bool = True,
) -> Any:
    """Compute every grid point not yet written under ``out``, then write and return the Dataset.

    Parameters
    ----------
    plan : SweepPlan
        From :func:`plan_sweep`.
    out : path
        Sweep directory (created). A directory holding a different sweep is refused unless
        ``restart``; one where another sweep is running (it holds the lock) is refused.
    scheduler : str, optional
        Address ``PROTOCOL://HOST:PORT`` of a running ``dask.distributed`` scheduler
        (``tcp://host:8786``, ``tls://host:8786``); its workers need qbath installed. A scheduler
        and its workers run the code sent to them (pickles): use only trusted ones. Default: a
        local cluster bound to 127.0.0.1.
    client : distributed.Client, optional
        Use this client instead (neither a cluster nor a connection is made).
    workers : int, optional
        Local cluster size (default: the number of CPUs).
    processes : bool
        Local cluster of worker processes (default) or of threads (quicker start, shares the GIL).
    chunk_size : int, optional
        Points per task and per file (default: about four tasks per worker, at most 256 points;
        for kinds solved in batches, :data:`BATCH_CHUNK`, in fixed blocks of the grid numbering).
    restart : bool
        Discard what ``out`` holds and start again.
    quiet : bool, optional
        No progress bar (default: a bar when stderr is a terminal and tqdm is installed).
    security : distributed.Security, optional
        TLS configuration for ``scheduler`` (see :func:`make_security`).
    dashboard : str, optional
        Address for the local cluster's dashboard (e.g. ``"127.0.0.1:8787"``); default none.
    batch : bool
        Solve the points of a chunk in batched calls where the kind can
        (:func:`qbath.config.batch_evaluator`: the ``gksl`` kind); values equal the per-point
        ones (``batch=False``) to the solver's tolerance (``docs/sweeps.md``). Resume a sweep with
        the ``batch`` it was started with.

    Returns
    -------
    xarray.Dataset
        One variable per output over the sweep axes (also written to ``out/sweep.nc``).
    """
    out = Path(out)
    restart = check_bool("restart", restart)
    processes = check_bool("processes", processes)
    batch = check_bool("batch", batch)
    if workers is not None:
        workers = check_int("workers", workers, minimum=1)
    if chunk_size is not None:
        chunk_size = check_int("chunk_size", chunk_size, minimum=1)
    if scheduler is not None:
        check_scheduler_address(scheduler)
    if dashboard is not None and not isinstance(dashboard, str):
        raise InputError(
            f"dashboard: expected an address such as '127.0.0.1:8787', got {dashboard!r}"
        )
    _make_out_dir(out)
    with _locked(out):
        ident, sums = _prepare_dir(out, plan, restart)
        done = sweep_status(out, plan, _repair=True)
        sums = _read_manifest(out)[1]  # without the checksums of chunks just discarded
        sums = {k: v for k, v in sums.items() if (out / CHUNKS / k).exists()}
        todo = np.flatnonzero(~done)
        log.info(
            "sweep %s: %d points, %d already done", out, plan.grid.size, plan.grid.size - len(todo)
        )
        if len(todo):
            own = client is None
            cluster = None
            if own:
                client, cluster = _start_client(
                    scheduler, workers, processes, security=security, dashboard=dashboard
                )
            try:
                chunks = _plan_chunks(plan, todo, client, workers, chunk_size, batch)
                _compute(client, plan, out, chunks, int(done.sum()), quiet, ident, sums, batch)
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


def _plan_chunks(
    plan: SweepPlan,
    todo: np.ndarray,
    client: Any,
    workers: int | None,
    chunk_size: int | None,
    batch: bool,
) -> list[np.ndarray]:
    """The points of each task: fixed blocks for kinds solved in batches (a batched value depends
    on its batch, so a block must always be solved whole), else about four chunks per worker."""
    if batch and batch_evaluator(kind_problem(plan.config.kind)) is not None:
        return _blocks(todo, chunk_size or BATCH_CHUNK)
    n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
    size = chunk_size or max(1, min(256, math.ceil(len(todo) / (4 * n_workers))))
    return _chunks(todo, size)


def _compute(
    client: Any,
    plan: SweepPlan,
    out: Path,
    chunks: list[np.ndarray],
    done: int,
    quiet: bool | None,
    ident: Mapping[str, Any],
    sums: dict[str, str],
    batch: bool = True,
) -> None:
    distributed = require("distributed", extra="sweep", purpose="parameter sweeps")
    problem_cls = kind_problem(plan.config.kind)
    futures = []
    for pts in chunks:
        datas = [plan.point_data(int(p)) for p in pts]
        futures.append(
            client.submit(
                compute_chunk,
                problem_cls,
                datas,
                pts.tolist(),
                list(plan.outputs),
                batch,
                pure=False,
            )
        )
    with progress(plan.grid.size, "sweep", initial=done, quiet=quiet, unit="pt") as bar:
        for fut in distributed.as_completed(futures):
            chunk = fut.result()
            _write_chunk(out, chunk, plan.outputs, ident, sums)
            bar.update(len(chunk["points"]))
            fut.release()
