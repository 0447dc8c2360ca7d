"""A stiff GKSL problem: qbath's BDF against qutip.mesolve with its "bdf" integrator.

N qubits (default 3, d = 8), H = sum_i (w_i/2) sigma_z^i + J sum_i sigma_x^i sigma_x^{i+1} (open
chain, w_i = 1 + 0.25 i, J = 0.5), one decay sigma_-^i and one dephasing sigma_z^i channel per qubit,
the 2N rates log-spaced from 1e-4 to 1e4 (alternating between the two kinds of channel); initial
state |+>^N, t in [0, 100] with 101 output times, rtol 1e-6, atol 1e-8 for all. An explicit method
needs h|lambda_max| <~ 3, i.e. more than 10^6 steps here.

QuTiP's "bdf" (zvode) needs ~1 s of run time per unit of time on this problem (N = 3), so it runs
once; QuTiP's "lsoda" (which switches to BDF when it detects stiffness) is timed as a second
reference. All get the same Qobj inputs; timing end to end (setup included), best of repeats. Accuracy: both against exp(L t) rho0 (scipy's expm_multiply on the sparse Liouvillian,
an independent route), and against each other. Prints JSON.

Usage: python benchmarks/bench_stiff.py [--n N] [--repeats R]
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from _common import best_time, machine, versions

#: QuTiP's zvode stops after 2500 internal steps per output interval by default ("excess work")
#: on this problem; raised so that it finishes
QUTIP_NSTEPS = 1_000_000


def model(N: int):
    import qutip as qt

    def site(op, i):
        return qt.tensor([op if k == i else qt.qeye(2) for k in range(N)])

    H = sum(0.5 * (1 + 0.25 * i) * site(qt.sigmaz(), i) for i in range(N))
    H = H + sum(0.5 * site(qt.sigmax(), i) * site(qt.sigmax(), i + 1) for i in range(N - 1))
    rates = np.geomspace(1e-4, 1e4, 2 * N)
    c_ops = []
    for i in range(N):
        c_ops.append(np.sqrt(rates[2 * i]) * site(qt.sigmam(), i))
        c_ops.append(np.sqrt(rates[2 * i + 1]) * site(qt.sigmaz(), i))
    plus = (qt.basis(2, 0) + qt.basis(2, 1)).unit()
    rho0 = qt.ket2dm(qt.tensor([plus] * N))
    e_ops = [site(qt.sigmaz(), i) for i in range(N)] + [site(qt.sigmax(), i) for i in range(N)]
    return H, c_ops, rho0, e_ops, rates


def reference(H, c_ops, rho0, times):
    """exp(L t) rho0 by Krylov-free uniform stepping of scipy's expm_multiply (column stacking)."""
    import scipy.sparse.linalg as spla

    import qbath as qb

    L = qb.solve.liouvillian((H.full(), [c.full() for c in c_ops]), sparse=True).tocsc()
    v = rho0.full().ravel(order="F")
    d = rho0.shape[0]
    out = spla.expm_multiply(L, v, start=times[0], stop=times[-1], num=len(times), endpoint=True)
    return out.reshape(len(times), d, d, order="F") if out.ndim == 2 else out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3, help="number of qubits (default 3)")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    import qutip as qt
    import scipy

    import qbath as qb

    N = args.n
    H, c_ops, rho0, e_ops, rates = model(N)
    times = np.linspace(0.0, 100.0, 101)
    tol = {"rtol": 1e-6, "atol": 1e-8}

    def run_qbath():
        return qb.mesolve(H, rho0, times, c_ops, e_ops=e_ops, method=qb.BDF(**tol))

    def run_qutip(method: str):
        return qt.mesolve(
            H,
            rho0,
            times,
            c_ops,
            e_ops=e_ops,
            options={
                "method": method,
                "nsteps": QUTIP_NSTEPS,
                "store_states": True,
                "progress_bar": False,
                **tol,
            },
        )

    run_qbath()  # warm-up
    t_qb, r_qb = best_time(run_qbath, args.repeats)
    t_ls, r_ls = best_time(lambda: run_qutip("lsoda"), args.repeats)
    t_qt, r_qt = best_time(lambda: run_qutip("bdf"), 1)
    ref = reference(H, c_ops, rho0, times)
    states_qt = np.array([s.full() for s in r_qt.states])
    ex_qb = np.array(r_qb.expect)
    ex_qt = np.array([np.asarray(e) for e in r_qt.expect])
    lam = float(
        np.abs(
            scipy.sparse.linalg.eigs(
                qb.solve.liouvillian((H.full(), [c.full() for c in c_ops]), sparse=True),
                k=1,
                which="LM",
                return_eigenvectors=False,
            )[0]
        )
    )
    print(
        json.dumps(
            {
                "benchmark": "mesolve_stiff_bdf",
                "reference": "qutip.mesolve(..., options={'method': 'bdf', 'nsteps': 1e6})",
                "second_reference": "qutip.mesolve(..., options={'method': 'lsoda'})",
                "n_qubits": N,
                "dim": 2**N,
                "rates": [float(r) for r in rates],
                "t_max": 100.0,
                "n_times": len(times),
                "rtol": tol["rtol"],
                "atol": tol["atol"],
                "qbath_s": round(t_qb, 4),
                "qutip_s": round(t_qt, 4),
                "speedup": round(t_qt / t_qb, 2),
                "qutip_lsoda_s": round(t_ls, 4),
                "speedup_vs_lsoda": round(t_ls / t_qb, 2),
                "qbath_stats": {k: r_qb.stats[k] for k in ("nsteps", "nfev", "nlu")},
                "max_abs_diff_states_qbath_qutip": float(np.abs(r_qb.states - states_qt).max()),
                "max_abs_diff_expect_qbath_qutip": float(np.abs(ex_qb - ex_qt).max()),
                "max_abs_err_states_qbath_vs_expm": float(np.abs(r_qb.states - ref).max()),
                "max_abs_err_states_qutip_vs_expm": float(np.abs(states_qt - ref).max()),
                "max_abs_err_states_qutip_lsoda_vs_expm": float(
                    np.abs(np.array([s.full() for s in r_ls.states]) - ref).max()
                ),
                "largest_liouvillian_eigenvalue_modulus": lam,
                "explicit_steps_needed_at_least": int(100.0 * lam / 3.3),
                "versions": versions(qt),
                "machine": machine(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
