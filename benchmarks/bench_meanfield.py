"""Mean-field throughput: spin-steps per second.

Two models, each timed as a full ``qbath.spins.meanfield`` integration (spin-steps/s = N x accepted
steps / wall time; spin-evaluations/s = N x RHS evaluations / wall time) and as one right-hand-side
evaluation against a straightforward reference written with a Python loop over spins, timed in the
same run on the same model (the ratio is the speed-up per spin):

- a 2D periodic square lattice with nearest-neighbour XXZ couplings (sparse storage),
  N = 316^2 = 99 856 spins (--quick: 100^2);
- all-to-all couplings J_ij^ab = A_ij M^ab with a random symmetric A (product storage, N^2
  numbers), N = 10^4 (--quick: 2000).

    python benchmarks/bench_meanfield.py [--quick]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import qbath.spins as qs  # noqa: E402
from qbath.spins._meanfield import _MeanFieldRHS  # noqa: E402


def lattice(side: int) -> sp.csr_matrix:
    idx = np.arange(side * side).reshape(side, side)
    right = np.stack([idx.ravel(), np.roll(idx, -1, axis=1).ravel()], 1)
    down = np.stack([idx.ravel(), np.roll(idx, -1, axis=0).ravel()], 1)
    e = np.concatenate([right, down])
    n = side * side
    return sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n)).tocsr()


def timed(f, reps):
    f()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts))


def run_case(name, model, A_sym, K3, t_final, n_loop, rng):
    n = model.n_spins
    v = rng.normal(size=(n, 3))
    s = v / np.linalg.norm(v, axis=1)[:, None]
    t0 = time.perf_counter()
    r = qs.meanfield(model, s, [0.0, t_final])
    wall = time.perf_counter() - t0
    rhs = _MeanFieldRHS(model)
    y = np.ascontiguousarray(s.T).ravel()
    t_rhs = timed(lambda: rhs(0.0, y), 5)
    # loop reference on the first n_loop spins (same couplings; time per spin)
    A = sp.csr_matrix(A_sym)
    nbr_idx = [A.indices[A.indptr[i] : A.indptr[i + 1]] for i in range(n_loop)]
    nbr_w = [A.data[A.indptr[i] : A.indptr[i + 1]] for i in range(n_loop)]
    g = model.decay_rates[:n_loop]
    d = model.drive[:n_loop]
    h = model.fields[:n_loop]

    def ref():
        out = np.empty((n_loop, 3))
        for i in range(n_loop):
            B = K3 @ (nbr_w[i] @ s[nbr_idx[i]])
            out[i] = 2 * np.cross(h[i] + B, s[i]) - g[i] * s[i] + d[i]
        return out

    t_ref = timed(ref, 2) * n / n_loop
    # check the reference and qbath agree on those spins
    mine = rhs(0.0, y).reshape(3, n).T[:n_loop]
    agree = float(np.max(np.abs(ref() - mine)))
    return {
        "case": name,
        "n_spins": n,
        "coupling_storage": model.coupling.kind,
        "integration": {
            "t_final": t_final,
            "wall_s": wall,
            "steps": r.meta["nsteps"],
            "nfev": r.meta["nfev"],
            "spin_steps_per_s": n * r.meta["nsteps"] / wall,
            "spin_evals_per_s": n * r.meta["nfev"] / wall,
        },
        "rhs_s": t_rhs,
        "loop_reference_rhs_s_extrapolated": t_ref,
        "loop_reference_spins_timed": n_loop,
        "speedup_vs_loop": t_ref / t_rhs,
        "max_abs_diff_vs_loop": agree,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    cases = []

    side = 100 if args.quick else 316
    A = lattice(side)
    n = side * side
    M = np.diag([1.0, 1.0, 0.5])  # XXZ
    lat = qs.SpinModel.from_graph(
        rng.normal(size=(n, 3)) * 0.5, A, M, gamma_minus=0.05, gamma_z=0.02
    )
    cases.append(
        run_case("2D lattice, nearest-neighbour XXZ (sparse)", lat, A + A.T, M, 2.0, 2000, rng)
    )

    n = 2000 if args.quick else 10_000
    R = rng.normal(size=(n, n)) / n
    R = (R + R.T) / 2
    a2a = qs.SpinModel.from_graph(
        rng.normal(size=(n, 3)) * 0.5, R, M, gamma_minus=0.05, gamma_z=0.02
    )
    np.fill_diagonal(R, 0.0)
    cases.append(
        run_case("all-to-all, J = A (x) M (product storage)", a2a, 2 * R, M, 2.0, 200, rng)
    )
    print(
        json.dumps(
            {
                "benchmark": "mean-field spin-steps per second",
                "quick": args.quick,
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "numpy": np.__version__,
                },
                "cases": cases,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
