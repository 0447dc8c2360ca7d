"""qbath.steady_state against qutip.steadystate on the dissipative Ising chain.

The chain of benchmarks/bench_mesolve_ising.py: H = 0.2 sum_i sigma_z^i + sum_i sigma_x^i sigma_x^{i+1}
(open), collapse operators sigma_-^i (rate 1). Timed end to end from the same Qobj inputs (building
the Liouvillian included), qbath with its default ``method="auto"`` (sparse LU up to d = 50,
matrix-free GMRES at d = 64, Sylvester-preconditioned flexible GMRES from d = 128, each with its
uniqueness check), QuTiP 5 with its default (``direct``:
SuperLU through ``spsolve``) and with ``method="iterative-gmres"`` at atol = rtol = 1e-12 (its
default tolerance gives only ~1e-5 in trace distance). Interleaved, best of repeats for small N.
Every QuTiP call runs in a subprocess with a time limit (``--limit``, default 600 s); one that does
not finish is reported as such and not retried at larger N.

Agreement: trace distance of qbath's state to QuTiP's (direct, else gmres), target 1e-8. For every
N qbath's residual ||L rho||_F (matrix form with the sparse Qobj data, independent of the solver's
own stopping test), |Tr rho - 1| and the smallest eigenvalue are reported; with ``--n 12`` the
d = 4096 chain is solved by qbath alone (``method="iterative-sylvester"``, once, in a subprocess
that also reports its peak resident memory). The load average is recorded with every row.

Usage: python benchmarks/bench_steady_state.py [--quick] [--n 4 5 6 ...] [--limit S]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import chain, trace_distance  # noqa: E402

QUTIP_CHILD = r"""
import sys, time, numpy as np
sys.path.insert(0, {here!r})
import qutip as qt
from _common import chain
H, c, _, _ = chain({N})
kw = {kw}
qt.steadystate(*chain(2)[:2], **kw)  # warm-up
t0 = time.perf_counter()
rho = qt.steadystate(H, c, **kw)
el = time.perf_counter() - t0
np.save({out!r}, rho.full())
print(el)
"""


QBATH_CHILD = r"""
import resource, sys, time, numpy as np
sys.path.insert(0, {here!r})
import qbath as qb
from _common import chain
H, c, _, _ = chain({N})
qb.steady_state(chain(2)[:2], method="iterative-sylvester")  # warm-up
t0 = time.perf_counter()
rho = qb.steady_state((H, c), method="iterative-sylvester", check={check})
el = time.perf_counter() - t0
np.save({out!r}, rho)
print(el, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20)
"""


def qbath_large(N: int, check: bool) -> tuple[float, float, np.ndarray]:
    """Time (s), peak resident memory (GiB) and state of one qbath solve in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "rho.npy")
        code = QBATH_CHILD.format(here=str(HERE), N=N, out=out, check=check)
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(p.stderr[-2000:])
        el, mem = map(float, p.stdout.strip().splitlines()[-1].split())
        return el, mem, np.load(out)


def qutip_once(N: int, kw: dict, limit: float) -> tuple[float | None, np.ndarray | None]:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "rho.npy")
        code = QUTIP_CHILD.format(here=str(HERE), N=N, kw=repr(kw), out=out)
        try:
            p = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, timeout=limit
            )
        except subprocess.TimeoutExpired:
            return None, None
        if p.returncode != 0:
            raise RuntimeError(p.stderr[-2000:])
        return float(p.stdout.strip().splitlines()[-1]), np.load(out)


def residual(H, c_ops, rho: np.ndarray) -> float:
    """||L rho||_F in matrix form with sparse H and L_k (independent of any solver)."""
    Hs = H.data.as_scipy()
    out = -1j * (Hs @ rho - (Hs.T @ rho.T).T)
    for c in c_ops:
        L = c.data.as_scipy()
        LdL = (L.conj().T @ L).tocsr()
        LrL = L @ (L.conj() @ rho.T).T  # L rho L^dag
        out += LrL - 0.5 * (LdL @ rho + (LdL.T @ rho.T).T)
    return float(np.linalg.norm(out))


def _auto_method(d: int) -> str:
    if d * d <= 64:
        return "dense"
    if d * d <= 2500:
        return "direct"
    return "iterative-sylvester" if d >= 128 else "iterative-gmres"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick",
        action="store_true",
        help="N = 4..6 only (QuTiP's direct solve at N = 7 runs past 450 s)",
    )
    ap.add_argument("--n", type=int, nargs="*", help="chain lengths (default 4..10)")
    ap.add_argument("--limit", type=float, default=600.0, help="time limit of a QuTiP call (s)")
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument(
        "--no-check-large",
        action="store_true",
        help="N > 10: skip the uniqueness check (the second, looser solve), about 40%% of the time",
    )
    args = ap.parse_args()
    Ns = args.n or (list(range(4, 7)) if args.quick else list(range(4, 11)))
    import qutip
    import scipy

    import qbath as qb

    qb.steady_state(chain(2)[:2])  # warm-up
    kinds = {
        "qutip_direct": {},
        "qutip_gmres": {"method": "iterative-gmres", "atol": 1e-12, "rtol": 1e-12},
    }
    alive = dict.fromkeys(kinds, True)
    results = []
    for N in Ns:
        H, c, _, _ = chain(N)
        reps = args.repeats or (3 if N <= 6 else 1)
        row: dict = {"N": N, "dim": 2**N, "load_average_1min_start": os.getloadavg()[0]}
        t_qb, rho = np.inf, None
        ref = {}
        if N > 10:  # qbath alone, once, in its own process (QuTiP cannot)
            reps = 0
            t_qb, row["qbath_peak_rss_GiB"], rho = qbath_large(N, not args.no_check_large)
            row["qbath_method"] = "iterative-sylvester"
            row["qbath_uniqueness_check"] = not args.no_check_large
        for _ in range(reps):  # interleaved
            t0 = time.perf_counter()
            rho = qb.steady_state((H, c))
            t_qb = min(t_qb, time.perf_counter() - t0)
            for k, kw in kinds.items():
                if not alive[k] or N > 10:
                    continue
                t, r = qutip_once(N, kw, args.limit)
                if t is None:
                    alive[k] = False
                    row[k + "_s"] = f"not finished in {args.limit:g} s"
                    continue
                row[k + "_s"] = min(row.get(k + "_s", np.inf), t)
                ref[k] = r
        row["qbath_s"] = round(t_qb, 4)
        for k in kinds:
            v = row.get(k + "_s")
            if isinstance(v, float):
                row[k + "_s"] = round(v, 4)
                row["speedup_vs_" + k] = round(v / t_qb, 2)
                row["trace_distance_vs_" + k] = trace_distance(rho, ref[k])
        row["qbath_residual_L_rho"] = residual(H, c, rho)
        row["qbath_trace_minus_1"] = float(abs(np.trace(rho) - 1))
        row["qbath_min_eigenvalue"] = float(np.linalg.eigvalsh(rho).min())
        row["qbath_hermiticity_error"] = float(np.abs(rho - rho.conj().T).max())
        row.setdefault("qbath_method", _auto_method(2**N))
        row["load_average_1min_end"] = os.getloadavg()[0]
        results.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    print(
        json.dumps(
            {
                "benchmark": "steady_state_dissipative_ising",
                "reference": "qutip.steadystate default (direct) and method='iterative-gmres' "
                "(atol = rtol = 1e-12), each in a subprocess with a time limit",
                "versions": {
                    "qbath": qb.__version__,
                    "qutip": qutip.__version__,
                    "numpy": np.__version__,
                    "scipy": scipy.__version__,
                    "python": platform.python_version(),
                },
                "machine": platform.processor() or platform.machine(),
                "cpus": os.cpu_count(),
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
