"""Steady-state heat currents of an XX chain between two baths: qbath against qthermo.

Model (qthermo's ``spin_chain`` with ``delta = 0``): N qubits of frequency 1 with flip-flop
couplings J = 0.2, the left bath (T = 2) on site 0 and the right bath (T = 1) on site N-1, both
through sigma_x, global (Davies) master equation with the ohmic emission rate
gamma(w) = 0.05 w exp(-w/10) (1 + n(w)) and no Lamb shift (qthermo has none; qbath:
``OhmicBath(alpha=0.05/(2 pi), cutoff=10)``). Each timing builds the generator, solves for the
steady state and evaluates both heat currents, in a fresh subprocess (wall time, best of
``--repeat``); both report their currents, which must agree. Prints JSON.

Usage: python benchmarks/bench_thermo.py [--quick] [--n 2 3 4 5 6 7 8] [--repeat 3] [--qbath-extra 10]
(the JSON records the load average at the start and the end: the machine may be shared)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import json, sys, time, warnings
    import numpy as np
    N, what, repeat = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    best, J = float("inf"), None
    for _ in range(repeat):
        if what == "qthermo":
            import qthermo as qt
            t0 = time.perf_counter()
            model = qt.models.spin_chain(N, omega=1.0, J=0.2, delta=0.0, T_left=2.0, T_right=1.0)
            H = model.H
            spec = qt.ohmic_spectrum(0.05, cutoff=10.0)
            X0 = qt.embed(qt.sigma_x, 0, [2] * N)
            X1 = qt.embed(qt.sigma_x, N - 1, [2] * N)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                baths = [qt.davies_bath(H, X0, 2.0, spectrum=spec, name="left"),
                         qt.davies_bath(H, X1, 1.0, spectrum=spec, name="right")]
                res = qt.analyze(H, baths)
            J = [res.current("left"), res.current("right")]
        else:
            import qbath as qb
            t0 = time.perf_counter()
            H, cps, _ = qb.thermo.machines.xx_chain(N, 0.2, 1.0)
            a = 0.05 / (2 * np.pi)
            hot = qb.OhmicBath(alpha=a, cutoff=10.0, temperature=2.0)
            cold = qb.OhmicBath(alpha=a, cutoff=10.0, temperature=1.0)
            gen = qb.davies(H, [(cps[0], hot), (cps[1], cold)], lamb_shift=False)
            J = qb.thermo.heat_currents(gen, qb.steady_state(gen)).tolist()
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"wall_s": best, "currents": [float(x) for x in J]}))
    """
)


def child(N: int, what: str, repeat: int, timeout: float) -> dict:
    try:
        p = subprocess.run(
            [sys.executable, "-c", CHILD, str(N), what, str(repeat)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:g} s"}
    if p.returncode != 0:
        return {"error": p.stderr.strip().splitlines()[-1] if p.stderr else "failed"}
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, nargs="+", default=[2, 3, 4, 5, 6, 7, 8])
    ap.add_argument("--qbath-extra", type=int, nargs="*", default=[10])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--quick", action="store_true", help="N = 2..5, one repeat, no extra N")
    args = ap.parse_args()
    ns, extra, repeat = args.n, args.qbath_extra, args.repeat
    if args.quick:
        ns, extra, repeat = [2, 3, 4, 5], [], 1
    rows = []
    load_start = os.getloadavg()
    for N in ns:
        q = child(N, "qbath", repeat, args.timeout)
        t = child(N, "qthermo", repeat if N < 8 else 1, args.timeout)
        row = {"N": N, "dim": 2**N, "qbath": q, "qthermo": t}
        if "currents" in q and "currents" in t:
            row["current_rel_diff"] = abs(q["currents"][0] / t["currents"][0] - 1)
            row["speedup"] = t["wall_s"] / q["wall_s"]
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    for N in extra:
        rows.append(
            {"N": N, "dim": 2**N, "qbath": child(N, "qbath", 1, args.timeout), "qthermo": "not run"}
        )
    print(
        json.dumps(
            {
                "benchmark": "bench_thermo",
                "model": "XX chain, global Davies, two baths",
                "cpus": os.cpu_count(),
                "load_average_start_end": [load_start[0], os.getloadavg()[0]],
                "rows": rows,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
