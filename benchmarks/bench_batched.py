"""Batched solves against a Python loop of single calls and against dynamiqs' batched mesolve.

(a) B two-qubit GKSL problems (default B = 1000): H_b = sz_1 + 0.7 sz_2 + g_b sx_1 sx_2 with random
    g_b in [0.1, 1], collapse operators sqrt(gamma_{k,b}) {sm_1, sm_2, sz_1} with random rates in
    [0.05, 1], a random initial state per member, t in [0, 10] with 101 points, e_ops = [sz_1],
    rtol 1e-6, atol 1e-8 everywhere. qbath.solve.mesolve_batch in one call, against a loop of
    qbath.mesolve calls, against dynamiqs.mesolve (JAX, CPU, float64, Dopri5 at the same
    tolerances) on the same batch: its first call (JIT compilation included) and its best later call.
    Agreement: the largest difference of <sz_1> to the loop, over all members and times.
(b) The 41 x 41 (kappa, beta) grid of steady states of Example 2 of seed 001 (Fig. 5;
    benchmarks/bench_collision.py ``steady_grid``): a loop of collision.steady_state over
    structured_example2 models, against one collision.steady_state_batch call with stacked H_E(kappa)
    and beta (the stacks are built inside the timed region).

Usage: python benchmarks/bench_batched.py [--quick] [--batch B] [--no-dynamiqs]
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
from _common import machine, versions


def two_qubit_batch(B: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    sz = np.diag([1.0, -1.0]).astype(complex)
    sx = np.array([[0, 1], [1, 0]], dtype=complex)
    sm = np.array([[0, 0], [1, 0]], dtype=complex)
    eye = np.eye(2)
    H0 = np.kron(sz, eye) + 0.7 * np.kron(eye, sz)
    Hs = H0[None] + rng.uniform(0.1, 1.0, B)[:, None, None] * np.kron(sx, sx)[None]
    ops = [np.kron(sm, eye), np.kron(eye, sm), np.kron(sz, eye)]
    rates = rng.uniform(0.05, 1.0, (B, 3))
    g = rng.normal(size=(B, 4, 4)) + 1j * rng.normal(size=(B, 4, 4))
    rho0 = g @ np.conj(np.swapaxes(g, -1, -2))
    rho0 /= np.trace(rho0, axis1=1, axis2=2)[:, None, None]
    return Hs, ops, rates, rho0, np.kron(sz, eye)


def bench_mesolve(B: int, use_dynamiqs: bool) -> dict:
    import qbath as qb

    Hs, ops, rates, rho0, Z = two_qubit_batch(B)
    t = np.linspace(0.0, 10.0, 101)
    kw = {"rtol": 1e-6, "atol": 1e-8}
    qb.solve.mesolve_batch(Hs[:2], rho0[:2], t, ops, rates=rates[:2], e_ops=[Z], **kw)  # warm-up
    best = cpu = np.inf
    for _ in range(5):  # best of 5, wall clock and CPU time (the machine may be shared)
        t0, c0 = time.perf_counter(), time.process_time()
        res = qb.solve.mesolve_batch(
            Hs, rho0, t, ops, rates=rates, e_ops=[Z], store_states=False, **kw
        )
        best = min(best, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    t0 = time.perf_counter()
    loop = np.empty((B, t.size))
    for b in range(B):
        c = [np.sqrt(rates[b, k]) * ops[k] for k in range(3)]
        loop[b] = qb.mesolve(
            Hs[b], rho0[b], t, c, e_ops=[Z], store_states=False, method=qb.Dopri5(**kw)
        ).expect[0]
    t_loop = time.perf_counter() - t0
    out = {
        "B": B,
        "qbath_batch_s": round(best, 4),
        "qbath_batch_cpu_s": round(cpu, 4),
        "qbath_loop_s": round(t_loop, 3),
        "speedup_vs_loop": round(t_loop / best, 1),
        "qbath_batch_steps": res.stats["nsteps"],
        "max_abs_diff_batch_vs_loop": float(np.abs(res.expect[0] - loop).max()),
    }
    if use_dynamiqs:
        out.update(bench_dynamiqs(Hs, ops, rates, rho0, Z, t, loop, best))
    return out


def bench_dynamiqs(Hs, ops, rates, rho0, Z, t, loop, t_qbath) -> dict:
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platform_name", "cpu")
    import dynamiqs as dq

    dq.set_precision("double")
    dq.set_device("cpu")
    jumps = [np.sqrt(rates[:, k])[:, None, None] * ops[k][None] for k in range(3)]
    method = dq.method.Dopri5(rtol=1e-6, atol=1e-8, max_steps=100_000)

    def call():
        r = dq.mesolve(
            Hs,
            jumps,
            rho0,
            t,
            exp_ops=[Z],
            method=method,
            save_states=False,
            cartesian_batching=False,
            progress_meter=False,
        )
        e = np.asarray(r.expects)
        return e

    t0 = time.perf_counter()
    e = call()
    first = time.perf_counter() - t0
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        e = call()
        best = min(best, time.perf_counter() - t0)
    e = np.asarray(e).reshape(loop.shape[0], -1, t.size)[:, 0]
    return {
        "dynamiqs_first_call_s": round(first, 3),
        "dynamiqs_s": round(best, 4),
        "speedup_vs_dynamiqs": round(best / t_qbath, 2),
        "max_abs_diff_dynamiqs_vs_loop": float(np.abs(e.real - loop).max()),
        "dynamiqs_version": dq.__version__,
        "jax_version": jax.__version__,
    }


def bench_grid(n: int) -> dict:
    import qbath as qb
    import qbath.collision as C

    ks = np.linspace(0.0, 2.0, n)
    bs = np.linspace(0.1, 10.0, n)
    C.steady_state(C.structured_example2(1.0, 0.5, 1.5, 0.3, 0.2, 1.0, 0.1))  # warm-up
    t0 = time.perf_counter()
    loop = np.array(
        [
            [C.steady_state(C.structured_example2(1.0, 0.5, 1.5, k, 0.2, b, 0.1)) for b in bs]
            for k in ks
        ]
    )
    t_loop = time.perf_counter() - t0
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        m0 = C.structured_example2(1.0, 0.5, 1.5, 0.0, 0.2, 1.0, 0.1)
        X = (
            C.structured_example2(1.0, 0.5, 1.5, 1.0, 0.2, 1.0, 0.1).h_e - m0.h_e
        )  # H_E is linear in kappa
        K, Bt = np.meshgrid(ks, bs, indexing="ij")
        he = m0.h_e[None] + K.reshape(-1)[:, None, None] * X[None]
        batch = C.steady_state_batch(m0, h_e=he, beta=Bt.reshape(-1)).reshape(n, n, 2, 2)
        best = min(best, time.perf_counter() - t0)
    coh = lambda r: 2 * np.abs(r[..., 0, 1])  # noqa: E731  l1 coherence of a qubit
    return {
        "grid": f"{n}x{n}",
        "qbath_loop_s": round(t_loop, 3),
        "qbath_batch_s": round(best, 4),
        "speedup_vs_loop": round(t_loop / best, 1),
        "max_abs_diff_states": float(np.abs(batch - loop).max()),
        "max_abs_diff_C_l1": float(np.abs(coh(batch) - coh(loop)).max()),
        "C_l1_range": [float(coh(loop).min()), float(coh(loop).max())],
        "qbath": qb.__version__,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="B = 100, 11 x 11 grid")
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--no-dynamiqs", action="store_true")
    args = ap.parse_args()
    B = args.batch or (100 if args.quick else 1000)

    out = {
        "benchmark": "batched_solves",
        "mesolve_two_qubits": bench_mesolve(B, not args.no_dynamiqs),
        "collision_steady_grid": bench_grid(11 if args.quick else 41),
        "versions": versions(),
        "machine": machine(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
