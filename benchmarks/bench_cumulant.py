"""Cost of one right-hand-side evaluation of the second-order cumulant equations.

All-to-all couplings, non-identical spins (random fields, couplings and per-spin rates). For each N
the RHS time is divided by the time of one real (3N x 3N) @ (3N x 3N) product timed in the same run
(interleaved, medians), the figure of merit of issue 4 (target: <= 10). Peak memory (tracemalloc)
of one evaluation and the persistent buffers are given in units of the 9 N^2 float64 correlation
array. A short full integration gives the cost per RHS inside the solver. Finally the exact solver's
RHS (one dense 2^N x 2^N product with H_eff) is timed against applying every one- and two-spin term
of H locally on the (2,)*2N tensor (best of a few runs).

    python benchmarks/bench_cumulant.py [--quick]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import qbath.spins as qs  # noqa: E402
from qbath.spins._cumulant import _CumulantRHS  # noqa: E402


def model(n: int, rng: np.random.Generator) -> qs.SpinModel:
    return qs.SpinModel(
        rng.normal(size=(n, 3)),
        rng.normal(size=(n, n, 3, 3)) / n,
        rng.uniform(0.05, 0.2, n),
        rng.uniform(0.0, 0.1, n),
        rng.uniform(0.0, 0.1, n),
    )


def state(rhs: _CumulantRHS, n: int, rng: np.random.Generator) -> np.ndarray:
    v = rng.normal(size=(n, 3))
    s = 0.8 * v / np.linalg.norm(v, axis=1)[:, None]
    y = rhs.product_state(s)
    return y + 1e-3 * rng.normal(size=y.shape)


def bench(n: int, reps: int, rng: np.random.Generator) -> dict:
    m = model(n, rng)
    tracemalloc.start()
    rhs = _CumulantRHS(m)
    _, persistent = tracemalloc.get_traced_memory()
    y = state(rhs, n, rng)
    rhs(0.0, y)
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    rhs(0.0, y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    a = rng.normal(size=(3 * n, 3 * n))
    b = rng.normal(size=(3 * n, 3 * n))
    a @ b
    t_rhs, t_mm = [], []
    for _ in range(reps):  # interleaved so both see the same machine load
        t0 = time.perf_counter()
        rhs(0.0, y)
        t_rhs.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        a @ b
        t_mm.append(time.perf_counter() - t0)
    unit = 9 * n * n * 8
    return {
        "n_spins": n,
        "rhs_s": float(np.median(t_rhs)),
        "matmul_3N_s": float(np.median(t_mm)),
        "ratio_rhs_over_matmul": float(np.median(t_rhs) / np.median(t_mm)),
        "rhs_best_s": float(np.min(t_rhs)),
        "matmul_3N_best_s": float(np.min(t_mm)),
        "ratio_best_of": float(np.min(t_rhs) / np.min(t_mm)),
        "reps": reps,
        "peak_during_rhs_over_9N2": round((peak - base) / unit, 2),
        "persistent_buffers_over_9N2": round(persistent / unit, 2),
        "state_size": int(y.size),
    }


def integration(n: int, rng: np.random.Generator) -> dict:
    m = model(n, rng)
    v = rng.normal(size=(n, 3))
    s = 0.8 * v / np.linalg.norm(v, axis=1)[:, None]
    t0 = time.perf_counter()
    r = qs.cumulant(m, s, np.linspace(0, 1, 5), store_correlations=False)
    wall = time.perf_counter() - t0
    return {
        "n_spins": n,
        "t_final": 1.0,
        "wall_s": wall,
        "nfev": r.meta["nfev"],
        "wall_per_rhs_s": wall / max(r.meta["nfev"], 1),
        "physical": r.physical.ok,
    }


def local_hamiltonian_rhs(model: qs.SpinModel):
    """Reference for the exact solver: -i[H, rho] with every one- and two-spin term applied as a
    local operator on the (2,)*2N tensor (tensordot on one or two axes), no dense H."""
    n = model.n_spins
    paulis = np.stack(
        [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1.0, -1.0])]
    ).astype(complex)
    K = model.effective_couplings()
    one = [(i, np.einsum("a,aij->ij", model.fields[i], paulis)) for i in range(n)]
    two = [
        (i, j, np.einsum("ab,aij,bkl->ikjl", K[i, j], paulis, paulis).reshape(4, 4))
        for i in range(n)
        for j in range(i + 1, n)
        if np.any(K[i, j])
    ]
    D = 2**n

    def apply(rho):
        t = rho.reshape((2,) * (2 * n))
        out = np.zeros_like(t)
        for i, op in one:
            out += np.moveaxis(np.tensordot(op, t, axes=([1], [i])), 0, i)
        for i, j, op in two:
            r = np.tensordot(op.reshape(2, 2, 2, 2), t, axes=([2, 3], [i, j]))
            out += np.moveaxis(r, [0, 1], [i, j])
        X = -1j * out.reshape(D, D)
        return X + X.conj().T

    return apply


def exact_rhs(n: int, rng: np.random.Generator) -> dict:
    from qbath.spins._exact import _ExactRHS

    m = qs.SpinModel(
        rng.normal(size=(n, 3)), rng.normal(size=(n, n, 3, 3)) / n
    )  # no dissipation: same terms
    rhs = _ExactRHS(m)
    rho = np.asarray(qs.exact.__globals__["_product_state"](0.9 * np.tile([0.6, 0.0, 0.8], (n, 1))))
    y = np.ascontiguousarray(rho).reshape(-1).view(float)
    local = local_hamiltonian_rhs(m)
    diff = float(np.max(np.abs(rhs(0.0, y).view(complex).reshape(rho.shape) - local(rho))))
    reps = 5 if n <= 8 else 2
    t_dense = min(timeit(lambda: rhs(0.0, y)) for _ in range(reps))
    t_local = min(timeit(lambda: local(rho)) for _ in range(reps))
    return {
        "n_spins": n,
        "dense_H_rhs_s": t_dense,
        "local_terms_rhs_s": t_local,
        "local_over_dense": t_local / t_dense,
        "max_abs_diff": diff,
    }


def timeit(f) -> float:
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    sizes = (100, 300) if args.quick else (100, 300, 1000)
    reps = {100: 50, 300: 15, 1000: 5}
    results = [bench(n, reps[n] if not args.quick else max(3, reps[n] // 3), rng) for n in sizes]
    out = {
        "benchmark": "cumulant order-2 RHS vs one real (3N x 3N) matmul",
        "target": "ratio <= 10",
        "quick": args.quick,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
        },
        "rhs": results,
        "integration": integration(100 if args.quick else 300, rng),
        "exact_reference_rhs": [exact_rhs(n, rng) for n in ((6, 8) if args.quick else (6, 8, 10))],
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
