"""Building the secular generator of an N-qubit H_A: qbath.davies against qutip.bloch_redfield_tensor.

Model: H_A = sum_i (1 + 0.13 i) sigma_z^i / 2 + 0.3 sum_i sigma_x^i sigma_x^{i+1} (non-degenerate),
collective coupling A = sum_i sigma_x^i to an ohmic bath (alpha 0.01, cut-off 5, T 0.5). QuTiP gets
the same rates (``spectrum = lambda w: bath.rate(w)``, QuTiP's power-spectrum convention) and its
default secular cut-off; qbath is timed without the Lamb shift (QuTiP has none) and, separately,
with it. Each build runs in a fresh subprocess, which reports its wall time and the growth of its
peak resident memory (ru_maxrss) during the build. Prints JSON.

Usage: python benchmarks/bench_davies_build.py [--quick] [--n 5 6 7 8] [--qutip-max 6]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    import numpy as np
    import qbath as qb
    N, what = int(sys.argv[1]), sys.argv[2]
    sp = qb.CompositeSpace.qubits(*[f"q{i}" for i in range(N)])
    H = sum((1 + 0.13 * i) * sp.sigma("z", i) / 2 for i in range(N))
    H = H + 0.3 * sum(sp.sigma("x", i) @ sp.sigma("x", i + 1) for i in range(N - 1))
    A = sum(sp.sigma("x", i) for i in range(N))
    bath = qb.OhmicBath(alpha=0.01, cutoff=5.0, temperature=0.5)
    if what == "qutip":
        import qutip as qt
        Hq, Aq = qt.Qobj(H), qt.Qobj(A)
        spec = lambda w: bath.rate(w)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall = float("inf")
    for _ in range(1 if what == "qutip" else 5):  # best of 5 for the fast builds
        t0 = time.perf_counter()
        if what == "qutip":
            R, ekets = qt.bloch_redfield_tensor(Hq, [[Aq, spec]], fock_basis=False)
            extra = {"result": type(R.data).__name__, "result_shape": list(R.shape)}
        else:
            gen = qb.davies(H, [(A, bath)], lamb_shift=(what == "qbath_lamb"))
            extra = {"channels": int(len(gen.frequencies)),
                     "jump_entries": int(gen.jumps_eigen.vals.size)}
        wall = min(wall, time.perf_counter() - t0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"wall_s": wall, "peak_rss_growth_MiB": (peak - base) / 1024, **extra}))
    """
)


def child(N: int, what: str, timeout: float) -> dict:
    try:
        p = subprocess.run(
            [sys.executable, "-c", CHILD, str(N), what],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        return json.loads(p.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return {"wall_s": None, "note": f"over {timeout:.0f} s"}
    except subprocess.CalledProcessError as exc:  # pragma: no cover - reported, not raised
        return {"wall_s": None, "note": exc.stderr.strip().splitlines()[-1][:200]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="N = 5, 6 (QuTiP only at N = 5)")
    ap.add_argument("--n", type=int, nargs="*", help="numbers of qubits (default 5 6 7 8)")
    ap.add_argument(
        "--qutip-max",
        type=int,
        default=None,
        help="largest N for QuTiP (default 6; 5 with --quick): at N = 7 its result is "
        "a dense 16384^2 complex matrix (4 GiB) and the build exceeds 10 minutes",
    )
    ap.add_argument("--timeout", type=float, default=600.0)
    args = ap.parse_args()
    Ns = args.n or ([5, 6] if args.quick else [5, 6, 7, 8])
    qmax = args.qutip_max or (5 if args.quick else 6)
    rows = []
    for N in Ns:
        qb_ = child(N, "qbath", args.timeout)
        ql = child(N, "qbath_lamb", args.timeout)
        if N <= qmax:
            qt_ = child(N, "qutip", args.timeout)
        else:
            gib = 16 * 4 ** (2 * N) / 2**30
            qt_ = {
                "wall_s": None,
                "note": f"not run: dense (d^2, d^2) result alone is {gib:.0f} GiB",
            }
        row = {"N": N, "dim": 2**N, "qbath": qb_, "qbath_with_lamb_shift": ql, "qutip": qt_}
        if qb_.get("wall_s") and qt_.get("wall_s"):
            row["speedup_time"] = round(qt_["wall_s"] / qb_["wall_s"], 1)
        rows.append(row)
    import numpy as np
    import qutip

    import qbath

    print(
        json.dumps(
            {
                "benchmark": "davies_generator_build",
                "reference": "qutip.bloch_redfield_tensor (sec_cutoff=0.1, sparse, eigenbasis)",
                "versions": {
                    "qbath": qbath.__version__,
                    "qutip": qutip.__version__,
                    "numpy": np.__version__,
                },
                "results": rows,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
