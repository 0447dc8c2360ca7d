"""The ``qbath`` command (also ``python -m qbath``).

Commands: ``reproduce`` (paper reproductions), ``run`` (a TOML configuration), ``sweep`` (a
parameter grid on Dask), ``check`` (validate a configuration) and ``kinds`` (the model kinds).
Exit status: 0 success; 1 a reproduction check, a reproduction or a sweep point failed; 2 bad input
(arguments, configuration, missing optional package); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import InputError
from .._progress import set_quiet
from .._version import __version__
from ..reproduce import REPRODUCTIONS
from ._warnings import routed_warnings

log = logging.getLogger("qbath.cli")

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPT = 0, 1, 2, 130

#: what the warning advice refers to: ``"data"``, the validated configuration once loaded
_CONTEXT: dict[str, Any] = {}


def _out(msg: str = "") -> None:
    print(msg, flush=True)


def _err(msg: str) -> None:
    print(f"qbath: error: {msg}", file=sys.stderr, flush=True)


# =================================================================================================
# reproduce
# =================================================================================================
def _run_reproduction(name: str, out: Path, quick: bool) -> Any:
    from ..reproduce import run

    return run(name, out, quick, registry=REPRODUCTIONS)


def _write_index(base: Path, rows: list[str], quick: bool) -> None:
    """``base/summary.md``: one line per reproduction of ``qbath reproduce all``."""
    from .._version import __version__

    text = [
        "# qbath paper reproductions",
        "",
        f"qbath {__version__}, mode {'quick' if quick else 'full'}. Each folder holds the figures (PNG), the data "
        "(netCDF) and a summary.md that puts every number qbath computes beside the paper's printed value; "
        "status `erratum` marks a row where qbath confirms the paper's printed value is wrong (docs/errata.md).",
        "",
        "| reproduction | result | checks as expected | pass / erratum / FAIL | seconds | paper |",
        "|---|---|---|---|---|---|",
        *rows,
    ]
    base.mkdir(parents=True, exist_ok=True)
    (base / "summary.md").write_text("\n".join(text) + "\n")


def cmd_reproduce(args: argparse.Namespace) -> int:
    if args.name is None:
        _out(
            "Reproductions (qbath reproduce NAME [--out DIR] [--quick]; NAME 'all' runs every one):"
        )
        width = max(len(n) for n in REPRODUCTIONS)
        for name, (_, _, desc) in REPRODUCTIONS.items():
            _out(f"  {name:<{width}}  {desc}")
        return EXIT_OK
    if args.name != "all" and args.name not in REPRODUCTIONS:
        _err(f"NAME: expected 'all' or one of {', '.join(REPRODUCTIONS)}, got {args.name!r}")
        return EXIT_USAGE
    names = list(REPRODUCTIONS) if args.name == "all" else [args.name]
    # which step runs, as log lines (loops inside a step: a tqdm bar where one can be drawn)
    level = min(logging.INFO, logging.getLogger("qbath").getEffectiveLevel())
    logging.getLogger("qbath.reproduce").setLevel(logging.NOTSET if args.quiet else level)
    base = (
        Path(args.out)
        if args.out
        else Path("results")
        if args.name == "all"
        else Path("results") / args.name
    )
    failed: list[str] = []
    rows: list[str] = []
    for name in names:
        out = base / name if args.name == "all" else base
        start = time.perf_counter()
        try:
            rep = _run_reproduction(name, out, args.quick)
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # noqa: BLE001 - report which reproduction broke and go on
            failed.append(name)
            rows.append(
                f"| {name} | ERROR | - | - | {time.perf_counter() - start:.1f} | {type(exc).__name__}: {exc} |"
            )
            _out(
                f"{name}: ERROR after {time.perf_counter() - start:.1f} s: {type(exc).__name__}: {exc}"
            )
            log.debug("traceback of %s:\n%s", name, traceback.format_exc())
            if args.verbose:
                traceback.print_exc()
            continue
        n_pass = sum(c.passed for c in rep.checks)
        mark = "PASS" if rep.passed else "FAIL"
        elapsed = time.perf_counter() - start
        counts = rep.counts()
        split = f"{counts['pass']} / {counts['erratum']} / {counts['fail']}"
        rows.append(
            f"| [{name}]({name}/summary.md) | {mark} | {n_pass}/{len(rep.checks)} | {split} | {elapsed:.1f} "
            f"| {rep.paper.citation} |"
        )
        _out(
            f"{name}: {mark} ({n_pass}/{len(rep.checks)} checks) [{rep.count_line()}] in {elapsed:.1f} s "
            f"-> {out / 'summary.md'}"
        )
        if not rep.passed:
            failed.append(name)
            for c in rep.checks:
                if not c.passed:
                    _out(
                        f"    failed check: {c.name}: qbath {c.value} vs paper {c.reference} ({c.tolerance}, {c.source})"
                    )
    if args.name == "all":
        _out(
            f"{len(names) - len(failed)}/{len(names)} reproductions passed"
            + (f"; failed: {', '.join(failed)}" if failed else "")
        )
        _write_index(base, rows, args.quick)
    return EXIT_FAIL if failed else EXIT_OK


# =================================================================================================
# run / check
# =================================================================================================
def _overrides(items: Sequence[str] | None) -> dict[str, Any]:
    from ..config import parse_value

    out: dict[str, Any] = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(f"--set: expected KEY=VALUE (e.g. model.kappa=0.5), got {item!r}")
        key, value = item.split("=", 1)
        out[key.strip()] = parse_value(value.strip())
    return out


def _load(args: argparse.Namespace) -> Any:
    from ..config import load_config

    cfg = load_config(args.config, _overrides(args.set))
    _CONTEXT["data"] = cfg.data
    return cfg


def _save_figure(fig: Any, path: Path) -> Path:
    fig.savefig(path, dpi=120, bbox_inches="tight")
    return path


def _run_plots(ds: Any, out: Path, stem: str) -> list[Path]:
    """Figures of a ``qbath run`` Dataset; none (with a note) when matplotlib is missing."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        log.warning("matplotlib is not installed: no figures (pip install 'qbath[plot]')")
        return []
    from .. import plot

    paths = []
    fig = Figure(figsize=(6, 4))
    plot.trajectory(ds, ax=fig.add_subplot())
    paths.append(_save_figure(fig, out / f"{stem}-trajectory.png"))
    if "heat" in ds:
        fig = Figure(figsize=(6, 4))
        plot.ledger(ds, ax=fig.add_subplot())
        paths.append(_save_figure(fig, out / f"{stem}-ledger.png"))
    if all(f"expect_{c}" in ds for c in "XYZ") or "bloch" in ds:
        fig = Figure(figsize=(5, 5))
        plot.bloch_path(ds, ax=fig.add_subplot(projection="3d"))
        paths.append(_save_figure(fig, out / f"{stem}-bloch.png"))
    return paths


#: per-step ledger arrays of a collision run: printed for the last collision, totals separately
_PER_STEP = (
    "delta_u",
    "heat",
    "work",
    "switching_work",
    "delta_entropy",
    "mutual_information",
    "relative_entropy",
    "entropy_production",
    "entropy_production_clausius",
    "first_law_residual",
)


def _final_lines(ds: Any, names: Sequence[str], index: int = -1) -> list[str]:
    dim = next(iter(ds.sizes))
    lines = []
    for name in names:
        v = ds[name]
        if v.dims == (dim,) and v.dtype.kind == "f":
            lines.append(f"  {name:<28} {float(v.values[index]):+.8g}")
        elif v.dims == (dim, "component"):
            for c, val in zip(ds["component"].values, v.values[index], strict=True):
                lines.append(f"  {f'{name}[{c}]':<28} {float(val):+.8g}")
    return lines


def _print_run_summary(ds: Any) -> None:
    """Final values, the last collision's ledger entries and the ledger totals of a run."""
    from .._result import POSITIVITY_TOL, UNPHYSICAL_KEY
    from ..config import ledger_totals

    dim = next(iter(ds.sizes))
    x = ds[dim].values[-1]
    where = (
        f"collision {int(x)}, t = {float(ds['time'].values[-1]):g}"
        if dim == "collision"
        else f"{dim} {float(x):g}"
    )
    state_vars = [n for n in ds.data_vars if n not in _PER_STEP and n != "min_eigenvalue"]
    _out(f"final values ({where}):")
    for line in _final_lines(ds, state_vars):
        _out(line)
    if "min_eigenvalue" in ds:
        lam = ds["min_eigenvalue"].values
        i = int(np.argmin(lam))
        bad = np.flatnonzero(lam < -POSITIVITY_TOL)
        note = (
            ""
            if not bad.size
            else (
                f"  NOT a density matrix at {bad.size} of {lam.size} {dim}s, from {dim} {float(ds[dim].values[bad[0]]):g}"
            )
        )
        _out(
            f"  {'min_eigenvalue (over run)':<28} {float(lam[i]):+.8g} at {dim} {float(ds[dim].values[i]):g}{note}"
        )
    flagged = np.asarray(ds.attrs.get(UNPHYSICAL_KEY, []), dtype=float).reshape(-1, 2)
    for a, b in flagged:
        _out(
            f"  flagged unphysical by the solver for {dim} in [{a:g}, {b:g}] (shaded in the figure)"
        )
    per_step = [n for n in _PER_STEP if n in ds]
    if per_step:
        _out(f"last collision (k = {int(x)}):")
        for line in _final_lines(ds, per_step):
            _out(line)
    totals = ledger_totals(ds)
    if totals is not None:
        _out(f"{totals.header}:")
        for row in totals.rows:
            _out(f"  {row.symbol:<12} {f'{row.value:+.8g}':<16} {row.description}")


def cmd_run(args: argparse.Namespace) -> int:
    from .. import io
    from ..config import run_config

    cfg = _load(args)
    stem = Path(cfg.source).stem if cfg.source else cfg.kind
    out = Path(args.out) if args.out else Path("results") / stem
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    ds = run_config(cfg)
    path = io.save(ds, out / (cfg.data["output"]["file"] or f"{stem}.nc"))
    _out(f"{cfg.name}: {cfg.kind} run in {time.perf_counter() - start:.2f} s -> {path}")
    _print_run_summary(ds)
    if cfg.data["output"]["plots"] and not args.no_plots:
        for p in _run_plots(ds, out, stem):
            _out(f"  figure {p}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from ..config import kind_problem

    cfg = _load(args)
    problem = kind_problem(cfg.kind)
    _out(f"{cfg.source}: valid {cfg.kind} configuration")
    _out(f"  sweep outputs: {', '.join(cfg.data['sweep']['outputs'])}")
    _out(f"  available outputs: {problem.output_help(cfg.data)}")
    if args.show:
        _out(json.dumps(cfg.data, indent=2, sort_keys=True))
    return EXIT_OK


def cmd_kinds(args: argparse.Namespace) -> int:
    from ..config import KINDS

    _out('Model kinds (kind = "..." in a configuration):')
    width = max(len(k) for k in KINDS)
    for name, problem in KINDS.items():
        _out(f"  {name:<{width}}  {problem.description}")
    return EXIT_OK


# =================================================================================================
# sweep
# =================================================================================================
def _sweep_plots(ds: Any, out: Path) -> list[Path]:
    if len(ds.sizes) not in (1, 2):
        return []
    try:
        from matplotlib.figure import Figure
    except ImportError:
        log.warning("matplotlib is not installed: no figures (pip install 'qbath[plot]')")
        return []
    from .. import plot

    paths = []
    for name in ds.data_vars:
        if name == "error":
            continue
        fig = Figure(figsize=(6, 4.5))
        plot.steady_state_map(ds, name, ax=fig.add_subplot())
        paths.append(_save_figure(fig, out / f"{name}.png"))
    return paths


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..sweep import (
        check_scheduler_address,
        make_security,
        plan_sweep,
        resume_count,
        run_sweep,
        sweep_status,
    )

    security = None
    if args.scheduler is not None:
        check_scheduler_address(args.scheduler)
    if args.tls_ca_file or args.tls_cert or args.tls_key:
        if args.scheduler is None:
            raise InputError(
                "--tls-ca-file/--tls-cert/--tls-key: expected together with --scheduler tls://HOST:PORT, got no --scheduler"
            )
        security = make_security(ca_file=args.tls_ca_file, cert=args.tls_cert, key=args.tls_key)
    if args.dashboard is not None and args.scheduler is not None:
        raise InputError(
            "--dashboard: expected only for a local cluster, got it together with --scheduler"
        )
    cfg = _load(args)
    plan = plan_sweep(cfg, args.param or [], args.output or None)
    stem = Path(cfg.source).stem if cfg.source else cfg.kind
    out = Path(args.out) if args.out else Path("results") / f"{stem}-sweep"
    axes = ", ".join(f"{a.key} ({len(a.values)})" for a in plan.grid.axes)
    _out(f"{cfg.name}: sweep of {plan.grid.size} points over {axes} -> {out}")
    done = None if args.restart else resume_count(out, plan)
    if done:
        _out(f"resuming: {done}/{plan.grid.size} points already done")
    start = time.perf_counter()
    try:
        ds = run_sweep(
            plan,
            out,
            scheduler=args.scheduler,
            workers=args.workers,
            processes=not args.threads,
            chunk_size=args.chunk_size,
            restart=args.restart,
            security=security,
            dashboard=args.dashboard,
        )
    except KeyboardInterrupt:
        done = int(sweep_status(out, plan).sum())
        _out(
            f"interrupted: {done}/{plan.grid.size} points are written under {out}; run the same command again to resume"
        )
        return EXIT_INTERRUPT
    _out(f"done in {time.perf_counter() - start:.1f} s -> {out / 'sweep.nc'}")
    failed = int(ds.attrs.get("n_failed", 0))
    if cfg.data["output"]["plots"] and not args.no_plots:
        for p in _sweep_plots(ds, out):
            _out(f"  figure {p}")
    if failed:
        first = next(str(e) for e in ds["error"].values.ravel() if str(e))
        _out(
            f"{failed} of {plan.grid.size} points failed (NaN in the data; messages in the variable 'error'); first: {first}"
        )
        return EXIT_FAIL
    return EXIT_OK


# =================================================================================================
# parser
# =================================================================================================
def _add_config_args(p: argparse.ArgumentParser, out_help: str | None = None) -> None:
    """The configuration and ``--set``; with ``out_help`` also ``--out DIR`` and ``--no-plots``."""
    p.add_argument(
        "config", metavar="CONFIG.toml", help="model configuration (see examples/ and docs/cli.md)"
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a configuration value before validation, e.g. --set model.kappa=0.5 (repeatable)",
    )
    if out_help is not None:
        p.add_argument("--out", metavar="DIR", help=out_help)
        p.add_argument("--no-plots", action="store_true", help="write no figures")


def _add_sweep_args(p: argparse.ArgumentParser) -> None:
    """The options of ``qbath sweep`` beyond the configuration and the output folder."""
    p.add_argument(
        "--param",
        action="append",
        metavar="KEY=SPEC",
        help="sweep axis: KEY a dotted key (model.kappa) or a bare name matching one key (kappa); "
        "SPEC start:stop:num (inclusive), start:stop:num:log, or a,b,c (repeatable)",
    )
    p.add_argument(
        "--output",
        action="append",
        metavar="NAME",
        help="scalar output per point (repeatable; default: [sweep] outputs)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address tcp://HOST:PORT or tls://HOST:PORT of a running, trusted dask.distributed scheduler "
        "(it and its workers run the code sent to them); default: a local cluster on 127.0.0.1",
    )
    p.add_argument("--tls-ca-file", metavar="PEM", help="CA certificate for a tls:// scheduler")
    p.add_argument("--tls-cert", metavar="PEM", help="client certificate for a tls:// scheduler")
    p.add_argument("--tls-key", metavar="PEM", help="client private key for a tls:// scheduler")
    p.add_argument(
        "--dashboard",
        metavar="ADDRESS",
        help="serve the local cluster's Dask dashboard at ADDRESS, e.g. 127.0.0.1:8787 (default: no dashboard)",
    )
    p.add_argument(
        "--workers", type=int, metavar="N", help="local cluster workers (default: number of CPUs)"
    )
    p.add_argument(
        "--threads", action="store_true", help="local cluster of threads instead of processes"
    )
    p.add_argument("--chunk-size", type=int, metavar="K", help="grid points per task and per file")
    p.add_argument(
        "--restart", action="store_true", help="discard what the sweep folder holds and start again"
    )


def _add_verbosity(p: argparse.ArgumentParser, default: Any = None) -> None:
    """``-q`` and ``-v``; ``default=argparse.SUPPRESS`` for the copies after the command name."""
    quiet, count = (False, 0) if default is None else (default, default)
    p.add_argument(
        "-q", "--quiet", action="store_true", default=quiet, help="no progress bars, warnings only"
    )
    p.add_argument(
        "-v", "--verbose", action="count", default=count, help="more log output (-vv for debug)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qbath",
        description="Dynamics and thermodynamics of open quantum systems built from interacting qubits.",
        epilog="Run 'qbath COMMAND --help' for a command's options. Docs: docs/cli.md, docs/sweeps.md.",
    )
    parser.add_argument("--version", action="version", version=f"qbath {__version__}")
    _add_verbosity(parser)
    # the same options after the command name (qbath run X.toml -q); SUPPRESS keeps the global ones
    common = argparse.ArgumentParser(add_help=False)
    _add_verbosity(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, func: Any, help: str, description: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=description)
        p.set_defaults(func=func)
        return p

    p = command(
        "reproduce",
        cmd_reproduce,
        "reproduce the seed papers' results (figures, data, summary.md)",
        "List the paper reproductions, or run one (NAME) or every one (all). Each writes PNG "
        "figures, a netCDF data file and summary.md (every computed number beside the paper's, with "
        "pass/fail and tolerance). Exit status 1 if any check fails or a reproduction raises.",
    )
    p.add_argument(
        "name", nargs="?", metavar="NAME", help="a reproduction, or 'all'; omit to list them"
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        help="output folder (default results/NAME; for 'all', results/ with one subfolder each)",
    )
    p.add_argument(
        "--quick", action="store_true", help="smaller grids and fewer steps (under a minute each)"
    )

    p = command(
        "run",
        cmd_run,
        "solve the model of a TOML configuration",
        "Solve a declarative model (kind = collision, gksl, spins or qubit) and write a netCDF "
        "Dataset (coordinates, provenance attributes) and figures; print the final values and the "
        "totals of the thermodynamic ledger.",
    )
    _add_config_args(p, "output folder (default results/<config name>)")

    p = command(
        "sweep",
        cmd_sweep,
        "compute scalar outputs over a parameter grid on Dask (resumable)",
        "Evaluate the configuration's [sweep] outputs at every point of a grid over "
        "configuration keys. Points are written as they finish; re-running the same command resumes "
        "an interrupted sweep and skips finished points.",
    )
    _add_config_args(p, "sweep folder (default results/<config name>-sweep)")
    _add_sweep_args(p)

    p = command(
        "check",
        cmd_check,
        "validate a configuration",
        "Validate a configuration and list its outputs.",
    )
    _add_config_args(p)
    p.add_argument(
        "--show",
        action="store_true",
        help="print the validated configuration with defaults filled in",
    )

    command(
        "kinds", cmd_kinds, "list the model kinds a configuration can use", "List the model kinds."
    )
    return parser


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of the record (it may be redirected)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.WARNING if quiet or not verbose else logging.INFO if verbose == 1 else logging.DEBUG
    )
    logger = logging.getLogger("qbath")
    logger.setLevel(level)
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("qbath: %(levelname)s: %(message)s"))
        logger.addHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``qbath`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    _setup_logging(args.verbose, args.quiet)
    set_quiet(args.quiet)
    os.environ.setdefault("MPLBACKEND", "Agg")  # figures go to files; no display needed
    _CONTEXT.clear()
    try:
        with routed_warnings(_CONTEXT):
            return int(args.func(args))
    except InputError as exc:  # includes ConfigError
        _err(str(exc))
        return EXIT_USAGE
    except ImportError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except UnicodeDecodeError as exc:  # a configuration that is not text
        src = getattr(args, "config", None) or "input"
        _err(
            f"{src}: expected a UTF-8 text file, got bytes that are not UTF-8 ({exc.reason} at byte {exc.start})"
        )
        return EXIT_USAGE
    except OSError as exc:  # a path that cannot be written or read: one line, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        _err(f"{where}{exc.strerror or exc}")
        log.debug("traceback:\n%s", traceback.format_exc())
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPT
