"""qbath.mesolve against qutip.mesolve on the driven dissipative Ising chain.

The chain of ``bench_mesolve_ising.py`` (H0 = 0.2 sum_i sigma_z^i + sum_i sigma_x^i sigma_x^{i+1},
collapse operators sigma_-^i at rate 1, all spins down, t in [0, 10] with 100 points) with a
transverse field h(t) = h0 cos(w t) on every spin, H(t) = H0 + h(t) sum_i sigma_x^i (h0 = 0.5,
w = 1.3), in QuTiP's list form with the *same Python callable* coefficient for both libraries.
rtol 1e-6, atol 1e-8 for both (QuTiP: its default 'adams' integrator). Timed end to end, setup
included, interleaved; best of several repeats for small N. Accuracy: the largest difference of the
final density matrices. Prints JSON.

Usage: python benchmarks/bench_driven.py [--quick] [--n 4 5 6 ...] [--repeats R]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from _common import ising_chain, machine, versions

H0_AMPLITUDE, OMEGA = 0.5, 1.3


def coefficient(t, args=None):
    return H0_AMPLITUDE * np.cos(OMEGA * t)


def run(N: int, repeats: int) -> dict:
    import qutip as qt

    import qbath as qb

    H0, Sx, c_ops, psi0, Sz = ising_chain(N)
    times = np.linspace(0.0, 10.0, 100)
    opts = {
        "rtol": 1e-6,
        "atol": 1e-8,
        "progress_bar": False,
        "store_final_state": True,
        "store_states": False,
    }

    def run_qutip():
        return qt.mesolve([H0, [Sx, coefficient]], psi0, times, c_ops, e_ops=[Sz], options=opts)

    def run_qbath():
        return qb.mesolve(
            [H0, [Sx, coefficient]],
            psi0,
            times,
            c_ops,
            e_ops=[Sz],
            method=qb.Dopri5(rtol=1e-6, atol=1e-8),
            store_states=False,
        )

    run_qbath()
    if N <= 6:
        run_qutip()
    t_qb = t_qt = np.inf
    r_qb = r_qt = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        r_qb = run_qbath()
        t_qb = min(t_qb, time.perf_counter() - t0)
        t0 = time.perf_counter()
        r_qt = run_qutip()
        t_qt = min(t_qt, time.perf_counter() - t0)
    return {
        "N": N,
        "dim": 2**N,
        "qbath_s": round(t_qb, 5),
        "qutip_s": round(t_qt, 5),
        "speedup": round(t_qt / t_qb, 2),
        "qbath_nfev": r_qb.stats["nfev"],
        "max_abs_diff_final_state": float(np.abs(r_qb.final_state - r_qt.final_state.full()).max()),
        "max_abs_diff_sum_sz": float(np.abs(r_qb.expect[0] - np.asarray(r_qt.expect[0])).max()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="N = 4..7 only")
    ap.add_argument("--n", type=int, nargs="*", help="chain lengths (default 4..10)")
    ap.add_argument("--repeats", type=int, default=None)
    args = ap.parse_args()
    Ns = args.n or (list(range(4, 8)) if args.quick else list(range(4, 11)))
    import qutip

    results = [run(N, args.repeats or (5 if N <= 6 else 3 if N <= 7 else 1)) for N in Ns]
    print(
        json.dumps(
            {
                "benchmark": "mesolve_driven_dissipative_ising",
                "reference": "qutip.mesolve (default adams integrator), same Python callable coefficient",
                "drive": f"h(t) = {H0_AMPLITUDE} cos({OMEGA} t) on sum_i sigma_x^i",
                "rtol": 1e-6,
                "atol": 1e-8,
                "versions": versions(qutip),
                "machine": machine(),
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
