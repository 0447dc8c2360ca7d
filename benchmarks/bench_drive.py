"""Benchmark: qbath.drive.dst_work (vectorized, log-depth scan) vs a straightforward step loop.

The reference loop is what one would write from the seed: for each step build H^i, the closed-form
U^i = cos(|a| dt) - i sin(|a| dt)/|a| H^i (already cheaper than expm), rho <- U rho U^dag, and
W_i = -Tr[rho dH^i]. Both run in the same process on the same random protocol; the speedup is the
ratio of the best of ``repeat`` wall times. Prints one JSON object to stdout.

    python benchmarks/bench_drive.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import platform

import numpy as np
from _common import best_time

import qbath as qb


def loop_reference(th_d, ph_d, th_t, ph_t, dt):
    """Plain Python loop over steps with numpy 2x2 matrices (qbath's basis)."""
    n = th_t.size - 1
    rho = np.array([[0, 0], [0, 1]], dtype=complex)
    work = np.empty(n)
    for i in range(n):
        tau_d = 0.5 * np.sin(th_d[i]) * np.exp(1j * ph_d[i])
        tau0 = 0.5 * np.sin(th_t[i]) * np.exp(1j * ph_t[i])
        tau1 = 0.5 * np.sin(th_t[i + 1]) * np.exp(1j * ph_t[i + 1])
        alpha = tau_d + tau0
        H = np.array([[0, alpha], [np.conj(alpha), 0]])
        a = abs(alpha)
        U = np.cos(a * dt) * np.eye(2) - 1j * (np.sin(a * dt) / a if a > 0 else dt) * H
        rho = U @ rho @ U.conj().T
        dH = np.array([[0, tau1 - tau0], [np.conj(tau1 - tau0), 0]])
        work[i] = -np.trace(rho @ dH).real
    return rho, np.cumsum(work)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    args = ap.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000]
    loop_max = 100_000  # the loop is timed up to this size and extrapolated linearly beyond
    rng = np.random.default_rng(0)
    results = []
    for n in sizes:
        t = np.linspace(0.0, 10.0, n + 1)
        dt = t[1]
        ang = (
            np.pi / 2 + 0.3 * np.sin(t),
            0.2 * t,
            np.pi / 2 + 0.5 * np.cos(1.3 * t) + 0.01 * rng.normal(size=t.size),
            0.7 * t,
        )
        repeat = 5 if n <= 10_000 else 2
        t_q, res = best_time(lambda ang=ang, dt=dt: qb.drive.dst_work(*ang, dt), repeat)
        row = {"n_steps": n, "qbath_s": t_q}
        if n <= loop_max:
            t_l, (rho_l, w_l) = best_time(
                lambda ang=ang, dt=dt: loop_reference(*ang, dt), 1 if n > 10_000 else 2
            )
            row.update(
                loop_s=t_l,
                speedup=t_l / t_q,
                max_abs_diff_work=float(np.max(np.abs(res.work - w_l))),
                max_abs_diff_final_state=float(np.max(np.abs(res.final_state - rho_l))),
            )
        else:
            per_step = results[-1]["loop_s"] / results[-1]["n_steps"]
            row.update(loop_s_extrapolated=per_step * n, speedup_extrapolated=per_step * n / t_q)
        results.append(row)
    print(
        json.dumps(
            {
                "benchmark": "drive.dst_work",
                "reference": "python loop over steps, closed-form 2x2 unitaries (numpy)",
                "quick": args.quick,
                "python": platform.python_version(),
                "numpy": np.__version__,
                "qbath": qb.__version__,
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
