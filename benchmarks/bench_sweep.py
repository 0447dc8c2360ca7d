"""Sweep benchmark (issue 6): ``qbath sweep`` machinery against a plain serial loop. Prints JSON.

The workload is seed 001's Fig. 5/7 grid: steady-state l1 coherence, heat and switching work of
Example 2 on an n x n grid of (kappa, beta). Timed in the same run:

* ``loop``: a straightforward Python loop calling the library per point (build the preset, steady
  state, one collision from it) -- what a user would write by hand;
* ``sweep_processes``: :func:`qbath.sweep.run_sweep` on a fresh local Dask cluster of worker
  processes (cluster start-up, validation of every point, chunk files and the final netCDF
  included);
* ``sweep_threads``: the same on a local cluster of threads;
* ``resume``: a second ``run_sweep`` into the finished folder (reads the chunks, computes nothing).

Each Example-2 point costs about a millisecond, less than Dask's per-run overhead (cluster start,
point validation, chunk files), so the second workload, ``slow_points``, gives every point a fixed
cost: the closed-form ``qubit`` kind with ``solver.delay`` (a sleep standing in for an expensive
model), swept with processes against the same serial loop. ``--quick`` uses an 11 x 11 grid
instead of 41 x 41 (and a 6 x 6 grid of 30 ms points instead of 10 x 10 of 50 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

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


def loop(kappas: np.ndarray, betas: np.ndarray) -> np.ndarray:
    out = np.empty((len(kappas), len(betas), 3))
    for i, k in enumerate(kappas):
        for j, b in enumerate(betas):
            model = qb.collision.structured_example2(kappa=k, beta=b, **EX2)
            ss = qb.collision.steady_state(model)
            one = qb.collision.evolve(model, ss, 1)
            out[i, j] = (qb.l1_coherence(ss), one.heat[0], one.switching_work[0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 11 if args.quick else 41
    kappas, betas = np.linspace(0, 2, n), np.linspace(0.1, 10, n)
    workers = min(2, os.cpu_count() or 1)
    cfg = qb.config.parse_config(TOML)
    params = [f"kappa=0:2:{n}", f"beta=0.1:10:{n}"]

    t0 = time.perf_counter()
    ref = loop(kappas, betas)
    t_loop = time.perf_counter() - t0

    res = {"grid": [n, n], "points": n * n, "workers": workers, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        for name, processes in (("sweep_processes", True), ("sweep_threads", False)):
            t0 = time.perf_counter()
            plan = qb.sweep.plan_sweep(cfg, params)
            ds = qb.sweep.run_sweep(plan, f"{tmp}/{name}", workers=workers, processes=processes, quiet=True)
            res[f"{name}_s"] = round(time.perf_counter() - t0, 3)
            got = np.stack([ds[o].values for o in plan.outputs], axis=-1)
            res[f"{name}_max_abs_diff_vs_loop"] = float(np.max(np.abs(got - ref)))
        t0 = time.perf_counter()
        qb.sweep.run_sweep(qb.sweep.plan_sweep(cfg, params), f"{tmp}/sweep_processes", quiet=True)
        res["resume_finished_s"] = round(time.perf_counter() - t0, 3)
        # fixed-cost points: a sleep per point (GIL released), processes vs the serial loop
        m, delay = (6, 0.03) if args.quick else (10, 0.05)
        qcfg = qb.config.parse_config(SLOW.format(delay=delay))
        qplan = qb.sweep.plan_sweep(qcfg, [f"omega=0.5:2:{m}", f"beta=0.5:3:{m}"])
        t0 = time.perf_counter()
        want = [qb.config.evaluate_outputs(qcfg.with_values(qplan.grid.point(p))) for p in range(qplan.grid.size)]
        t_slow_loop = time.perf_counter() - t0
        t0 = time.perf_counter()
        qds = qb.sweep.run_sweep(qplan, f"{tmp}/slow", workers=workers, quiet=True)
        t_slow = time.perf_counter() - t0
        got = np.stack([qds[o].values.ravel() for o in qplan.outputs], axis=-1)
        ok = np.allclose(got, [[w[o] for o in qplan.outputs] for w in want], atol=0, rtol=0)
        res["slow_points"] = {
            "points": qplan.grid.size, "seconds_per_point": delay, "loop_s": round(t_slow_loop, 3),
            "sweep_processes_s": round(t_slow, 3), "speedup": round(t_slow_loop / t_slow, 2), "identical": bool(ok),
        }
    res["loop_s"] = round(t_loop, 3)
    res["speedup_processes_vs_loop"] = round(t_loop / res["sweep_processes_s"], 2)
    res["speedup_threads_vs_loop"] = round(t_loop / res["sweep_threads_s"], 2)
    print(json.dumps({"bench_sweep": res}, indent=1))


if __name__ == "__main__":
    main()
