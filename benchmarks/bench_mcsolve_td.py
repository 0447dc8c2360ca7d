"""qbath.mcsolve against qutip.mcsolve on a driven chain with time-dependent decay.

The chain H0 = 0.2 sum_i sigma_z^i + sum_i sigma_x^i sigma_x^{i+1} with a transverse drive
h(t) = 0.5 cos(1.3 t) on every spin and collapse operators sigma_-^i with the time-dependent rate
gamma(t) = 0.5 (1 + 0.5 sin t), both in QuTiP's list form with the *same Python callables*; all
spins up, t in [0, 5] with 26 points. Both libraries at rtol 1e-6, atol 1e-8 (QuTiP: its default
'adams' integrator, serial map). Timed end to end, interleaved, best of the repeats. Accuracy: the
largest deviation of the trajectory mean of sum_i sigma_z^i from qbath.mesolve's, in units of the
standard error, for both libraries. Prints JSON.

Usage: python benchmarks/bench_mcsolve_td.py [--quick] [--n 2 3 4 ...] [--ntraj M] [--repeats R]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from _common import ising_chain, machine, versions


def drive(t, args=None):
    return 0.5 * np.cos(1.3 * t)


def root_rate(t, args=None):
    return np.sqrt(0.5 * (1 + 0.5 * np.sin(t)))


def run(N: int, ntraj: int, repeats: int) -> dict:
    import qutip as qt

    import qbath as qb

    H0, Sx, sm, psi0, Sz = ising_chain(N, spins_up=True)
    H = [H0, [Sx, drive]]
    c_ops = [[L, root_rate] for L in sm]
    times = np.linspace(0.0, 5.0, 26)
    opts = {"rtol": 1e-6, "atol": 1e-8, "progress_bar": False}

    def run_qutip():
        return qt.mcsolve(H, psi0, times, c_ops, e_ops=[Sz], ntraj=ntraj, seeds=1, options=opts)

    def run_qbath():
        return qb.mcsolve(
            H, psi0, times, c_ops, e_ops=[Sz], ntraj=ntraj, seed=1, method=qb.Dopri5(1e-6, 1e-8)
        )

    ref = qb.mesolve(H, psi0, times, c_ops, e_ops=[Sz], method=qb.Dopri5(1e-9, 1e-11)).expect[0]
    t_qb = t_qt = np.inf
    r_qb = r_qt = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        r_qb = run_qbath()
        t_qb = min(t_qb, time.perf_counter() - t0)
        t0 = time.perf_counter()
        r_qt = run_qutip()
        t_qt = min(t_qt, time.perf_counter() - t0)
    err_qt = np.asarray(r_qt.std_expect[0]) / np.sqrt(ntraj)
    floor = 1e-12
    return {
        "N": N,
        "dim": 2**N,
        "ntraj": ntraj,
        "qbath_s": round(t_qb, 4),
        "qutip_s": round(t_qt, 4),
        "speedup": round(t_qt / t_qb, 2),
        "qbath_jumps": r_qb.stats["n_jumps"],
        "qbath_max_dev_in_std_err": round(
            float(np.max(np.abs(r_qb.expect[0] - ref)[1:] / (r_qb.expect_std_err[0][1:] + floor))),
            2,
        ),
        "qutip_max_dev_in_std_err": round(
            float(np.max(np.abs(np.real(r_qt.average_expect[0]) - ref)[1:] / (err_qt[1:] + floor))),
            2,
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="N = 2..4, 100 trajectories")
    ap.add_argument("--n", type=int, nargs="*", help="chain lengths (default 2..6)")
    ap.add_argument("--ntraj", type=int, default=None)
    ap.add_argument("--repeats", type=int, default=None)
    args = ap.parse_args()
    Ns = args.n or ([2, 3, 4] if args.quick else [2, 3, 4, 5, 6])
    ntraj = args.ntraj or (100 if args.quick else 500)
    import qutip

    results = [run(N, ntraj, args.repeats or (1 if args.quick else 2)) for N in Ns]
    print(
        json.dumps(
            {
                "benchmark": "mcsolve_driven_chain_time_dependent_decay",
                "reference": "qutip.mcsolve (default adams integrator, serial map), same callables",
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
