"""qbath.mcsolve against qutip.mcsolve on the dissipative Ising chain.

The chain of benchmarks/bench_mesolve_ising.py (N spins, H = 0.2 sum sz + sum sx sx, collapse
operators sm_i, all spins down), 500 trajectories, t in [0, 10] with 51 points, e_ops = [sum sz].
Both timed end to end from the same Qobj inputs, serial (one process), QuTiP 5 with its default
integrator and options. Agreement: z = |mean_qbath - mean_qutip| / sqrt(se_qbath^2 + se_qutip^2)
over all times (|z| < 4 expected for independent runs), and both against mesolve at rtol 1e-8.

Usage: python benchmarks/bench_mcsolve.py [--n 6 8] [--ntraj 500]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import chain, machine, versions  # noqa: E402


def _zmax(m, ref, s) -> float:
    """Largest |m - ref| / s over the times with a non-zero standard error."""
    ok = s > 0
    return float((np.abs(m - ref)[ok] / s[ok]).max()) if np.any(ok) else float("nan")


def run(N: int, ntraj: int) -> dict:
    import qutip as qt

    import qbath as qb

    H, c, psi0, Sz = chain(N)
    t = np.linspace(0.0, 10.0, 51)
    qb.mcsolve(H, psi0, t[:3], c, e_ops=[Sz], ntraj=4, seed=0)  # warm-up
    t0 = time.perf_counter()
    r_qb = qb.mcsolve(H, psi0, t, c, e_ops=[Sz], ntraj=ntraj, seed=1)
    t_qb = time.perf_counter() - t0
    opts = {"progress_bar": False, "store_states": False}
    t0 = time.perf_counter()
    r_qt = qt.mcsolve(H, psi0, t, c, e_ops=[Sz], ntraj=ntraj, seeds=2, options=opts)
    t_qt = time.perf_counter() - t0
    me = qb.mesolve(
        H, psi0, t, c, e_ops=[Sz], method=qb.Dopri5(rtol=1e-8, atol=1e-10), store_states=False
    )
    m_qb, s_qb = r_qb.expect[0], r_qb.expect_std_err[0]
    m_qt = np.asarray(r_qt.expect[0]).real
    s_qt = np.asarray(r_qt.std_expect[0]).real / np.sqrt(ntraj)
    sel = slice(1, None)  # t = 0: both exact, zero error bars
    z = np.abs(m_qb - m_qt)[sel] / np.sqrt(s_qb**2 + s_qt**2)[sel]
    return {
        "N": N,
        "dim": 2**N,
        "ntraj": ntraj,
        "qbath_s": round(t_qb, 3),
        "qutip_s": round(t_qt, 3),
        "speedup": round(t_qt / t_qb, 2),
        "max_z_qbath_vs_qutip": float(z.max()),
        "max_z_qbath_vs_mesolve": _zmax(m_qb, me.expect[0], s_qb),
        "max_z_qutip_vs_mesolve": _zmax(m_qt, me.expect[0], s_qt),
        "max_abs_diff_qbath_vs_qutip": float(np.abs(m_qb - m_qt).max()),
        "mean_std_err_qbath": float(s_qb[sel].mean()),
        "mean_std_err_qutip": float(s_qt[sel].mean()),
        "qbath_jumps": r_qb.stats["n_jumps"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="*", default=[6, 8])
    ap.add_argument("--ntraj", type=int, default=500)
    args = ap.parse_args()
    import qutip

    results = [run(N, args.ntraj) for N in args.n]
    print(
        json.dumps(
            {
                "benchmark": "mcsolve_dissipative_ising",
                "reference": "qutip.mcsolve (serial, default options)",
                "versions": versions(qutip),
                "machine": machine(),
                "cpus": os.cpu_count(),
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
