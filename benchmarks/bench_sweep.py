"""Sweep benchmark: ``qbath sweep`` machinery against a plain serial loop. Prints JSON.

Three workloads, each timed against its serial loop in the same run:

* ``small_gksl``: a grid of small GKSL problems (``examples/gksl_lindblad.toml``: two qubits with
  an exchange coupling, the first damped and pumped at the swept rates; ``mesolve`` to t = 10 on 101 times and the steady state,
  outputs final <Z0>, final purity, steady <Z0>). ``loop``: a straightforward Python loop calling
  ``qb.mesolve`` and ``qb.steady_state`` per point -- what a user would write by hand;
  ``sweep_batched``: :func:`qbath.sweep.run_sweep` on a fresh local Dask cluster of worker
  processes, each chunk of points solved by one batched call (the default);
  ``sweep_per_point``: the same sweep with ``batch=False`` (one solver call per point, the old
  path); ``sweep_batched_threads``: batched, on a cluster of threads. Cluster start-up,
  validation of every point, chunk files and the final netCDF are inside every sweep's time.
* ``example2``: seed 001's Fig. 5/7 grid, steady-state l1 coherence, heat and switching work of
  Example 2 on an n x n grid of (kappa, beta): the loop (preset, steady state, one collision from
  it, per point) against the sweep with processes and with threads (the collision kind has no
  batch hook: its points are solved one by one, so ``sweep_batched`` and ``sweep_per_point`` run
  the same path here); ``resume``: a second
  ``run_sweep`` into the finished folder (reads the chunks, computes nothing).
* ``slow_points``: the closed-form ``qubit`` kind with ``solver.delay`` (a sleep standing in for
  an expensive model), swept with processes against the same serial loop.

``--quick`` uses 11 x 11 grids instead of 41 x 41 (and a 6 x 6 grid of 30 ms points instead of
10 x 10 of 50 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

import qbath as qb

EX2 = dict(omega_s=1.0, omega_1=0.5, omega_2=1.5, alpha=0.2, dt=0.1)
TOML = """
kind = "collision"
[model]
preset = "structured_example2"
omega_s = 1.0
omega_1 = 0.5
omega_2 = 1.5
kappa = 0.3
alpha = 0.2
beta = 1.0
dt = 0.1
[initial]
bloch = [0, 0, 1]
[sweep]
outputs = ["steady_l1_coherence", "steady_heat", "steady_switching_work"]
"""

ROOT = Path(__file__).resolve().parents[1]
#: examples/gksl_lindblad.toml to t = 10 on 101 times
GKSL = {"solver.t_max": 10.0, "solver.n_times": 101}
GKSL_OUTPUTS = ["final_Z0", "final_purity", "steady_Z0"]

SLOW = """
kind = "qubit"
[model]
omega = 1.0
gamma = 0.2
beta = 1.0
[initial]
bloch = [1, 0, 0]
[solver]
t_max = 5.0
delay = {delay}
"""


def gksl_loop(g0s: np.ndarray, g1s: np.ndarray) -> np.ndarray:
    """The hand-written loop over the GKSL grid: mesolve and steady_state per point."""
    sz, sx, sy, one = qb.sigmaz(), qb.sigmax(), qb.sigmay(), np.eye(2)
    H = 0.5 * np.kron(sz, one) + 0.5 * np.kron(one, sz) + 0.1 * (np.kron(sx, sx) + np.kron(sy, sy))
    Z0 = np.kron(sz, one)
    rho0 = np.zeros((4, 4))
    rho0[2, 2] = 1.0
    t = np.linspace(0.0, 10.0, 101)
    out = np.empty((len(g0s), len(g1s), 3))
    for i, g0 in enumerate(g0s):
        for j, g1 in enumerate(g1s):
            c = [np.sqrt(g0) * np.kron(qb.sigmam(), one), np.sqrt(g1) * np.kron(qb.sigmap(), one)]
            r = qb.mesolve(H, rho0, t, c, e_ops=[Z0])
            ss = qb.steady_state((H, c), rho0=rho0)
            fin = r.final_state
            out[i, j] = (r.expect[0][-1], np.trace(fin @ fin).real, np.trace(Z0 @ ss).real)
    return out


def example2_loop(kappas: np.ndarray, betas: np.ndarray) -> np.ndarray:
    out = np.empty((len(kappas), len(betas), 3))
    for i, k in enumerate(kappas):
        for j, b in enumerate(betas):
            model = qb.collision.structured_example2(kappa=k, beta=b, **EX2)
            ss = qb.collision.steady_state(model)
            one = qb.collision.evolve(model, ss, 1)
            out[i, j] = (qb.l1_coherence(ss), one.heat[0], one.switching_work[0])
    return out


#: the sweeps timed against each loop: (name, worker processes, batched)
RUNS = [
    ("sweep_batched", True, True),
    ("sweep_per_point", True, False),
    ("sweep_batched_threads", False, True),
]


def timed_sweeps(cfg, params, loop, tmp, workers, outputs=None) -> dict:
    """The serial ``loop()``, then each of RUNS as a fresh run_sweep: seconds, agreement, speed-up."""
    t0 = time.perf_counter()
    ref = loop()
    res = {"grid": list(ref.shape[:2]), "points": int(np.prod(ref.shape[:2]))}
    res["loop_s"] = round(time.perf_counter() - t0, 3)
    for name, processes, batch in RUNS:
        t0 = time.perf_counter()
        plan = qb.sweep.plan_sweep(cfg, params, outputs)
        ds = qb.sweep.run_sweep(
            plan, f"{tmp}_{name}", workers=workers, processes=processes, quiet=True, batch=batch
        )
        res[f"{name}_s"] = round(time.perf_counter() - t0, 3)
        got = np.stack([ds[o].values for o in plan.outputs], axis=-1)
        res[f"{name}_max_abs_diff_vs_loop"] = float(np.max(np.abs(got - ref)))
        res[f"speedup_{name}_vs_loop"] = round(res["loop_s"] / res[f"{name}_s"], 2)
    return res


def bench_gksl(n: int, workers: int, tmp: str) -> dict:
    g0s, g1s = np.linspace(0.05, 1.0, n), np.linspace(0.0, 0.1, n)
    params = [f"model.lindblad[0].rate=0.05:1:{n}", f"model.lindblad[1].rate=0:0.1:{n}"]
    cfg = qb.config.load_config(ROOT / "examples" / "gksl_lindblad.toml").with_values(GKSL)
    loop = lambda: gksl_loop(g0s, g1s)  # noqa: E731
    return timed_sweeps(cfg, params, loop, f"{tmp}/gksl", workers, GKSL_OUTPUTS)


def bench_example2(n: int, workers: int, tmp: str) -> dict:
    kappas, betas = np.linspace(0, 2, n), np.linspace(0.1, 10, n)
    params = [f"kappa=0:2:{n}", f"beta=0.1:10:{n}"]
    cfg = qb.config.parse_config(TOML)
    res = timed_sweeps(cfg, params, lambda: example2_loop(kappas, betas), f"{tmp}/ex2", workers)
    t0 = time.perf_counter()
    qb.sweep.run_sweep(qb.sweep.plan_sweep(cfg, params), f"{tmp}/ex2_sweep_batched", quiet=True)
    res["resume_finished_s"] = round(time.perf_counter() - t0, 3)
    return res


def bench_slow(quick: bool, workers: int, tmp: str) -> dict:
    m, delay = (6, 0.03) if quick else (10, 0.05)
    qcfg = qb.config.parse_config(SLOW.format(delay=delay))
    qplan = qb.sweep.plan_sweep(qcfg, [f"omega=0.5:2:{m}", f"beta=0.5:3:{m}"])
    t0 = time.perf_counter()
    want = [
        qb.config.evaluate_outputs(qcfg.with_values(qplan.grid.point(p)))
        for p in range(qplan.grid.size)
    ]
    t_loop = time.perf_counter() - t0
    t0 = time.perf_counter()
    qds = qb.sweep.run_sweep(qplan, f"{tmp}/slow", workers=workers, quiet=True)
    t_sweep = time.perf_counter() - t0
    got = np.stack([qds[o].values.ravel() for o in qplan.outputs], axis=-1)
    ok = np.allclose(got, [[w[o] for o in qplan.outputs] for w in want], atol=0, rtol=0)
    return {
        "points": qplan.grid.size,
        "seconds_per_point": delay,
        "loop_s": round(t_loop, 3),
        "sweep_processes_s": round(t_sweep, 3),
        "speedup": round(t_loop / t_sweep, 2),
        "identical": bool(ok),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 11 if args.quick else 41
    workers = min(2, os.cpu_count() or 1)
    res = {"workers": workers, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        res["small_gksl"] = bench_gksl(n, workers, tmp)
        res["example2"] = bench_example2(n, workers, tmp)
        res["slow_points"] = bench_slow(args.quick, workers, tmp)
    print(json.dumps({"bench_sweep": res}, indent=1))


if __name__ == "__main__":
    main()
