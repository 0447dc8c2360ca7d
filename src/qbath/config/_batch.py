r"""Batched evaluation of many points of a sweep: the ``evaluate_batch`` hook of the ``gksl`` kind
(protocol: :func:`qbath.config.batch_evaluator`).

The points are grouped by what a batched solver needs to share (dimension, time grid, method);
every group of two or more points is solved
in one vectorised call, whose per-point results fill the points' :class:`DensityProblem` caches
(``result``, ``steady``), and the scalar outputs are then taken exactly as for a single point.
Points outside a group, and every point of a group whose batched call fails, are left to the
per-point path (``None``), which recomputes them and records their errors.

* ``gksl``: :func:`qbath.solve.mesolve_batch` (one step size shared by the group, the worst
  member's error norm, the configuration's method and tolerances) for ``final_`` outputs and
  :func:`qbath.solve.steady_state_batch` for ``steady_`` outputs; at most 3 qubits, no drives.
  When a member has several steady states, every point of the group computes its own (the one
  its initial state reaches, as :func:`qbath.steady_state` with ``rho0``).
  Jump operators of Davies generators are written in the original basis (zero operators pad
  the members with fewer Bohr frequencies).

The ``collision`` kind has no hook: a sweep point's cost there is the ledger of one collision from
the steady state, which has no batched form, and batching the fixed point alone made
``benchmarks/bench_sweep.py``'s Example-2 sweep slower than the per-point path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .._errors import NonUniqueSteadyStateError
from ._problems import DensityProblem, ode_options

__all__ = [
    "evaluate_grouped",
    "gksl_key",
    "solve_gksl_group",
]

log = logging.getLogger("qbath.config")

#: largest number of qubits solved in batched calls (d <= 8: the batched superoperators)
MAX_BATCH_QUBITS = 3


def evaluate_grouped(
    problem_cls: type[DensityProblem],
    datas: Sequence[Mapping[str, Any]],
    names: Sequence[str],
    key: Callable[[Any, Sequence[str]], Any],
    solve: Callable[[list[Any], Sequence[str]], None],
) -> list[dict[str, float] | None]:
    """Scalars of the points whose ``key(problem, names)`` (None: not batchable) they share with at
    least one other point, each group solved by one ``solve(problems, names)``; None elsewhere."""
    problems = [problem_cls(d) for d in datas]
    groups: dict[Any, list[int]] = {}
    for i, p in enumerate(problems):
        try:
            k = key(p, names)
        except Exception as exc:  # noqa: BLE001 - the per-point path reports the point's error
            log.debug("point %d not batched: %s", i, exc)
            continue
        if k is not None:
            groups.setdefault(k, []).append(i)
    out: list[dict[str, float] | None] = [None] * len(problems)
    for idx in groups.values():
        if len(idx) < 2:
            continue
        members = [problems[i] for i in idx]
        try:
            solve(members, names)
            values = [{n: p.scalar(n) for n in names} for p in members]
        except Exception as exc:  # noqa: BLE001 - the per-point path recomputes and records errors
            log.debug("batch of %d points left to the per-point path: %s", len(idx), exc)
            continue
        for i, v in zip(idx, values, strict=True):
            out[i] = v
    return out


def _wants(names: Sequence[str], prefix: str) -> bool:
    return any(n.startswith(prefix) for n in names)


def gksl_key(p: Any, names: Sequence[str]) -> Any:
    """What the points of one batched GKSL call share: qubits, time grid, method."""
    s = p.data["solver"]
    if p.data["model"]["drive"] or p.n > MAX_BATCH_QUBITS:
        return None
    return (p.n, s["t_max"], s["n_times"], ode_options(s).get("method"))


def _dense_generator(p: Any) -> tuple[np.ndarray, list[np.ndarray]]:
    """(H, jump operators) of a point's generator, dense, in the original basis."""
    from ..generators import as_lindblad

    gen = p.generator
    if isinstance(gen, tuple):  # phenomenological rates: (H, c_ops) as built
        return np.asarray(gen[0], dtype=complex), [np.asarray(c, dtype=complex) for c in gen[1]]
    form = as_lindblad(gen)
    if form.extra_rowmajor is not None:
        raise ValueError("not a GKSL generator")
    return form.to_original(form.hamiltonian.toarray()), list(form.to_original(form.jumps.dense()))


def solve_gksl_group(problems: list[Any], names: Sequence[str]) -> None:
    """One mesolve_batch and/or steady_state_batch for the group; fills ``result`` / ``steady``."""
    from ..solve import mesolve_batch, steady_state_batch

    parts = [_dense_generator(p) for p in problems]
    d = parts[0][0].shape[0]
    K = max(len(jumps) for _, jumps in parts)
    zero = np.zeros((d, d), dtype=complex)
    H = np.array([h for h, _ in parts])
    c_ops = [np.array([j[k] if k < len(j) else zero for _, j in parts]) for k in range(K)]
    if _wants(names, "final_"):
        s = problems[0].data["solver"]
        times = np.linspace(0.0, s["t_max"], s["n_times"])
        rho0 = np.array([p.rho0 for p in problems])
        res = mesolve_batch(H, rho0, times, c_ops, **ode_options(s))
        for b, p in enumerate(problems):
            p.__dict__["result"] = res.member(b)  # the cached_property's slot
    if _wants(names, "steady_"):
        try:
            steady = steady_state_batch(H, c_ops)
        except NonUniqueSteadyStateError:  # each point finds the steady state its rho0 reaches
            return
        for b, p in enumerate(problems):
            p.__dict__["steady"] = steady[b]
