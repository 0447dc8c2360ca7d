"""qbath.mesolve against qutip.mesolve on the dissipative Ising chain (QuantumToolbox.jl paper).

H = 0.2 sum_i sigma_z^i + sum_i sigma_x^i sigma_x^{i+1} (open chain), collapse operators sigma_-^i
(rate 1), initial state all down, t in [0, 10] with 100 points, e_ops = [H], rtol 1e-6, atol 1e-8
for both solvers (QuTiP: its default 'adams' integrator). Both get the same Qobj inputs and are timed
end to end (setup included), interleaved, best of several repeats for small N. Prints JSON.

Accuracy is reported too: <H> happens to be conserved by this model, so the largest difference of
the final density matrices (and of <sum sigma_z> at all times) is the informative number.

Usage: python benchmarks/bench_mesolve_ising.py [--quick] [--n 4 5 6 ...] [--repeats R]
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import numpy as np


def chain(N: int):
    import qutip as qt

    def site(op, i):
        return qt.tensor([op if k == i else qt.qeye(2) for k in range(N)])

    sx = [site(qt.sigmax(), i) for i in range(N)]
    sz = [site(qt.sigmaz(), i) for i in range(N)]
    sm = [site(qt.sigmam(), i) for i in range(N)]
    H = 0.2 * sum(sz) + sum(sx[i] * sx[i + 1] for i in range(N - 1))
    psi0 = qt.tensor([qt.basis(2, 1)] * N)  # all down (basis(2, 1) is down in qutip and qbath)
    return H, sm, psi0, sum(sz)


def best_time(fn, repeats: int):
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def run(N: int, repeats: int) -> dict:
    import qutip as qt

    import qbath as qb

    H, c_ops, psi0, Sz = chain(N)
    times = np.linspace(0.0, 10.0, 100)
    opts = {
        "rtol": 1e-6,
        "atol": 1e-8,
        "progress_bar": False,
        "store_final_state": True,
        "store_states": False,
    }

    def run_qutip():
        return qt.mesolve(H, psi0, times, c_ops, e_ops=[H, Sz], options=opts)

    def run_qbath():
        return qb.mesolve(
            H,
            psi0,
            times,
            c_ops,
            e_ops=[H, Sz],
            method=qb.Dopri5(rtol=1e-6, atol=1e-8),
            store_states=False,
        )

    run_qbath()  # warm-up (imports, first-call caches) for both
    if N <= 6:
        run_qutip()
    t_qb, r_qb, t_qt, r_qt = np.inf, None, np.inf, None
    for _ in range(repeats):  # interleaved, so machine load affects both alike
        t, r_qb = best_time(run_qbath, 1)
        t_qb = min(t_qb, t)
        t, r_qt = best_time(run_qutip, 1)
        t_qt = min(t_qt, t)
    final_qt = r_qt.final_state.full()
    return {
        "N": N,
        "dim": 2**N,
        "qbath_s": round(t_qb, 5),
        "qutip_s": round(t_qt, 5),
        "speedup": round(t_qt / t_qb, 2),
        "qbath_nfev": r_qb.stats["nfev"],
        "max_abs_diff_final_state": float(np.abs(r_qb.final_state - final_qt).max()),
        "max_abs_diff_sum_sz": float(np.abs(r_qb.expect[1] - np.asarray(r_qt.expect[1])).max()),
        "max_abs_diff_H": float(np.abs(r_qb.expect[0] - np.asarray(r_qt.expect[0])).max()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="N = 4..8 only")
    ap.add_argument("--n", type=int, nargs="*", help="chain lengths (default 4..10)")
    ap.add_argument("--repeats", type=int, default=None, help="repeats for N <= 7 (default 5)")
    args = ap.parse_args()
    Ns = args.n or (list(range(4, 9)) if args.quick else list(range(4, 11)))
    import qutip
    import scipy

    import qbath

    results = []
    for N in Ns:
        reps = args.repeats or (5 if N <= 6 else 3 if N <= 7 else 2 if N <= 8 else 1)
        results.append(run(N, reps))
    print(
        json.dumps(
            {
                "benchmark": "mesolve_dissipative_ising",
                "reference": "qutip.mesolve (default adams integrator)",
                "rtol": 1e-6,
                "atol": 1e-8,
                "versions": {
                    "qbath": qbath.__version__,
                    "qutip": qutip.__version__,
                    "numpy": np.__version__,
                    "scipy": scipy.__version__,
                    "python": platform.python_version(),
                },
                "machine": platform.processor() or platform.machine(),
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
