"""qbath.mesolve against qutip.mesolve (and dynamiqs) on the dissipative Ising chain.

The chain of the QuantumToolbox.jl paper: H = 0.2 sum_i sigma_z^i + sum_i sigma_x^i sigma_x^{i+1}
(open chain), collapse operators sigma_-^i (rate 1), initial state all down, t in [0, 10] with 100
points, e_ops = [H, sum sigma_z]. Default tolerances rtol 1e-6, atol 1e-8 for every library (qbath:
Dopri5; QuTiP 5: its default 'adams' integrator; dynamiqs: Dopri5 on CPU in float64). All get the
same inputs and are timed end to end (setup included), interleaved, best of several repeats for
small N, without storing states. Prints JSON.

Accuracy. Every library is run once more (untimed) with the states stored, and compared with a
tight reference: qbath with DOP853 at rtol = 1e-12, atol = 1e-14. The reference is itself checked
against QuTiP's adams run at rtol = 1e-12, atol = 1e-14 (N <= ``--check-max``). Errors are trace
distances ||rho - rho_ref||_1 / 2 of the final state and the largest over the stored times (for
N > ``--states-max`` only the final state and the error of <sum sigma_z> over all times, the states
being too large to store).

Matched accuracy. The library with the larger error at the default tolerances has its tolerances
tightened along the ladder rtol = 1e-6 * 10^(-k/2), atol = rtol / 100, k = 1, 2, ..., until its error (max over times, else final) is at most the other's; it is
then timed again, and the matched speed-up is QuTiP's time over qbath's at those settings.

dynamiqs (N <= ``--dynamiqs-max``): the first call (tracing and XLA compilation included) is
reported separately from the warm time (best of repeats, same shapes, compiled function cached).

Usage: python benchmarks/bench_mesolve_ising.py [--quick] [--n 4 5 6 ...] [--repeats R]
(default N = 4..8, about 3 minutes on a quiet 2-core machine; --quick: N = 4..6)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

import numpy as np
from _common import best_time, chain, trace_distance

RTOL, ATOL = 1e-6, 1e-8
TIGHT = {"rtol": 1e-12, "atol": 1e-14}
TIMES = np.linspace(0.0, 10.0, 100)


class Runs:
    """The three libraries on one chain, as functions of (rtol, atol, store_states)."""

    def __init__(self, N: int):
        H, c_ops, psi0, Sz = chain(N)
        self.N, self.H, self.c_ops, self.psi0, self.Sz = N, H, c_ops, psi0, Sz
        self._dq = None

    def qbath(self, rtol=RTOL, atol=ATOL, store=False, method=None):
        import qbath as qb

        return qb.mesolve(
            self.H,
            self.psi0,
            TIMES,
            self.c_ops,
            e_ops=[self.H, self.Sz],
            method=method or qb.Dopri5(rtol=rtol, atol=atol),
            store_states=store,
        )

    def qutip(self, rtol=RTOL, atol=ATOL, store=False):
        import qutip as qt

        opts = {
            "rtol": rtol,
            "atol": atol,
            "progress_bar": False,
            "store_final_state": True,
            "store_states": store,
            "nsteps": 10**6,
        }
        return qt.mesolve(
            self.H, self.psi0, TIMES, self.c_ops, e_ops=[self.H, self.Sz], options=opts
        )

    def dynamiqs(self, rtol=RTOL, atol=ATOL, store=False):
        import dynamiqs as dq

        if self._dq is None:
            dq.set_device("cpu")
            dq.set_precision("double")
            psi = self.psi0.full()
            self._dq = (
                self.H.full(),
                [c.full() for c in self.c_ops],
                psi @ psi.conj().T,
                [self.H.full(), self.Sz.full()],
            )
        H, cs, rho0, eops = self._dq
        res = dq.mesolve(
            H,
            cs,
            rho0,
            TIMES,
            exp_ops=eops,
            method=dq.method.Dopri5(rtol=rtol, atol=atol),
            save_states=store,
            progress_meter=False,
        )
        res.expects.block_until_ready()
        return res


def states_of(lib: str, res) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """(final state, stored states or None, <sum sigma_z>(t)) of a result of any library."""
    if lib == "qbath":
        st = None if res.states is None else np.asarray(res.states)
        return np.asarray(res.final_state), st, np.asarray(res.expect[1]).real
    if lib == "qutip":
        st = [s.full() for s in res.states] if res.states else None
        return res.final_state.full(), None if st is None else np.array(st), np.real(res.expect[1])
    st = np.asarray(res.states.to_jax()) if res.states is not None else None
    final = st[-1] if st is not None else np.asarray(res.final_state.to_jax())
    return final, st if st is not None and st.ndim == 3 else None, np.asarray(res.expects[1]).real


def errors(lib: str, res, ref: tuple) -> dict:
    final, st, sz = states_of(lib, res)
    rf, rst, rsz = ref
    out = {"final": trace_distance(final, rf), "sum_sz_max": float(np.abs(sz - rsz).max())}
    if st is not None and rst is not None:
        out["max_over_times"] = max(trace_distance(a, b) for a, b in zip(st, rst, strict=True))
    return out


def _key(err: dict) -> float:
    return err.get("max_over_times", err["final"])


def matched(runs: Runs, err: dict, t: dict, store: bool, repeats: int) -> dict:
    """Tighten the less accurate library until its error is at most the other's; time it."""
    worse, better = (
        ("qbath", "qutip") if _key(err["qbath"]) > _key(err["qutip"]) else ("qutip", "qbath")
    )
    target = _key(err[better])
    fn = getattr(runs, worse)
    row = {"tightened": worse, "target_error": target}
    for k in range(1, 13):
        rtol = RTOL * 10 ** (-k / 2)
        atol = rtol / 100
        e = errors(worse, fn(rtol, atol, store), runs.ref)
        if _key(e) <= target:
            tt, _ = best_time(lambda r=rtol, a=atol: fn(r, a), repeats)
            row.update(rtol=rtol, atol=atol, error=_key(e), time_s=round(tt, 5))
            t_qb = tt if worse == "qbath" else t["qbath"]
            t_qt = tt if worse == "qutip" else t["qutip"]
            row["speedup_matched"] = round(t_qt / t_qb, 2)
            return row
    row["note"] = "not matched within 12 tightening steps"
    return row


def dynamiqs_row(runs: Runs, ref: tuple, repeats: int, t_qb: float) -> dict:
    t0 = time.perf_counter()
    runs.dynamiqs()
    first = time.perf_counter() - t0
    warm, _ = best_time(runs.dynamiqs, repeats)
    e = errors("dynamiqs", runs.dynamiqs(store=True), ref)
    return {
        "first_call_s": round(first, 4),
        "warm_s": round(warm, 5),
        "qbath_speedup_vs_warm": round(warm / t_qb, 2),
        "error": e,
    }


def run(N: int, repeats: int, args) -> dict:
    import qbath as qb

    runs = Runs(N)
    store = N <= args.states_max
    runs.qbath()  # warm-up (imports, first-call caches) for both
    if N <= 6:
        runs.qutip()
    t = {"qbath": np.inf, "qutip": np.inf}
    r_qb = r_qt = None
    for _ in range(repeats):  # interleaved, so machine load affects both alike
        tt, r_qb = best_time(runs.qbath, 1)
        t["qbath"] = min(t["qbath"], tt)
        tt, r_qt = best_time(runs.qutip, 1)
        t["qutip"] = min(t["qutip"], tt)
    final_qt = r_qt.final_state.full()
    row = {
        "N": N,
        "dim": 2**N,
        "qbath_s": round(t["qbath"], 5),
        "qutip_s": round(t["qutip"], 5),
        "speedup": round(t["qutip"] / t["qbath"], 2),
        "qbath_nfev": r_qb.stats["nfev"],
        "max_abs_diff_final_state": float(np.abs(r_qb.final_state - final_qt).max()),
        "max_abs_diff_sum_sz": float(np.abs(r_qb.expect[1] - np.asarray(r_qt.expect[1])).max()),
    }
    t0 = time.perf_counter()
    runs.ref = states_of("qbath", runs.qbath(store=store, method=qb.DOP853(**TIGHT)))
    row["reference_s"] = round(time.perf_counter() - t0, 3)
    if N <= args.check_max:
        row["reference_vs_qutip_tight"] = errors(
            "qutip", runs.qutip(**TIGHT, store=store), runs.ref
        )
    err = {
        "qbath": errors("qbath", runs.qbath(store=store), runs.ref),
        "qutip": errors("qutip", runs.qutip(store=store), runs.ref),
    }
    row["error_qbath"], row["error_qutip"] = err["qbath"], err["qutip"]
    row["matched_accuracy"] = matched(runs, err, t, store, repeats)
    if N <= args.dynamiqs_max:
        row["dynamiqs"] = dynamiqs_row(runs, runs.ref, repeats, t["qbath"])
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="N = 4..6 only")
    ap.add_argument(
        "--n", type=int, nargs="*", help="chain lengths (default 4..8; 9, 10 on request)"
    )
    ap.add_argument("--repeats", type=int, default=None, help="repeats for N <= 7 (default 5)")
    ap.add_argument("--states-max", type=int, default=8, help="largest N whose states are stored")
    ap.add_argument("--check-max", type=int, default=8, help="largest N of the reference check")
    ap.add_argument("--dynamiqs-max", type=int, default=6, help="largest N run with dynamiqs")
    args = ap.parse_args()
    Ns = args.n or (list(range(4, 7)) if args.quick else list(range(4, 9)))
    import qutip
    import scipy

    import qbath

    versions = {
        "qbath": qbath.__version__,
        "qutip": qutip.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
    }
    if min(Ns) <= args.dynamiqs_max:
        import dynamiqs
        import jax

        versions.update(dynamiqs=dynamiqs.__version__, jax=jax.__version__)
    results = []
    for N in Ns:
        reps = args.repeats or (5 if N <= 6 else 3 if N <= 7 else 2 if N <= 8 else 1)
        results.append(run(N, reps, args))
        print(json.dumps(results[-1]), flush=True, file=sys.stderr)
    print(
        json.dumps(
            {
                "benchmark": "mesolve_dissipative_ising",
                "reference": "qutip.mesolve (default adams integrator); dynamiqs.mesolve (Dopri5, "
                "CPU, float64) for small N",
                "rtol": RTOL,
                "atol": ATOL,
                "accuracy_reference": "qbath DOP853 rtol=1e-12 atol=1e-14, checked against QuTiP "
                "adams at the same tolerances (reference_vs_qutip_tight); errors are trace "
                "distances of the final state and the maximum over the 100 stored times",
                "matched_accuracy": "the less accurate library at the default tolerances is "
                "re-run with rtol = 1e-6 * 10^(-k/2), atol = rtol/100, k = 1, 2, ... until its "
                "error (max over times where stored, else final) is at most the other's; "
                "speedup_matched = QuTiP time / qbath time at those settings",
                "dynamiqs_timing": "first_call_s includes tracing and XLA compilation; warm_s is "
                "the best of repeated calls with the same shapes",
                "versions": versions,
                "machine": platform.processor() or platform.machine(),
                "load_average": os.getloadavg(),
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
