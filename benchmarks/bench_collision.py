"""Collision-model benchmarks (issue: foundation / seed 001). Prints JSON.

1. ``ledger_1e4``: 10^4 exact collisions of Example 2 with the full thermodynamic ledger, against a
   straightforward per-collision loop (joint state, conjugation by U, partial traces, entropies)
   timed in the same run.
2. ``large_6x3``: a 6-qubit system colliding with 3-qubit structured ancillae (joint dimension 512):
   build time, cost and peak memory per collision, against the same straightforward loop.
3. ``steady_grid``: steady states on a 41 x 41 grid of (kappa, beta) of Example 2 (Fig. 5), against
   a naive construction (expm of the joint Hamiltonian, superoperator column by column from partial
   traces, dense eigendecomposition) on the same grid.

``--quick`` shrinks every size (for CI smoke runs); the figures quoted in the docs use the default.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc

import numpy as np
import scipy.linalg as sla
from _common import best_time

import qbath as qb

C = qb.collision


def _entropy(rho):
    w = np.linalg.eigvalsh(rho)
    w = w[w > 1e-12]
    return float(-(w * np.log(w)).sum())


def _logm_h(rho):
    w, v = np.linalg.eigh(rho)
    return (v * np.log(np.clip(w, 1e-300, None))) @ v.conj().T


def _rel_entropy_eigh(rho, sigma):
    """Hand-tuned: logarithms through eigh."""
    return float(np.trace(rho @ (_logm_h(rho) - _logm_h(sigma))).real)


def _rel_entropy_logm(rho, sigma):
    """Straightforward: Eq. 71 with scipy.linalg.logm."""
    return float(np.trace(rho @ (sla.logm(rho) - sla.logm(sigma))).real)


def reference_loop(model, rho0, n, rel_entropy=_rel_entropy_logm):
    """Straightforward per-collision loop with the full ledger (joint state, conjugation by U,
    partial traces, entropies). ``rel_entropy`` picks scipy's logm (default) or eigh logarithms."""
    d_s, d_e = model.d_s, model.d_e
    H = model.total_hamiltonian()
    U = sla.expm(-1j * model.dt * H)
    Ud = U.conj().T
    eta = model.eta
    h_s_full = np.kron(model.h_s, np.eye(d_e))
    h_e_full = np.kron(np.eye(d_s), model.h_e)
    rho = rho0
    out = np.empty((n, 5))
    for k in range(n):
        R = np.kron(rho, eta)
        R2 = U @ R @ Ud
        t = R2.reshape(d_s, d_e, d_s, d_e)
        rho2 = np.trace(t, axis1=1, axis2=3)
        eta2 = np.trace(t, axis1=0, axis2=2)
        du = np.trace(h_s_full @ (R2 - R)).real
        dq = -np.trace(h_e_full @ (R2 - R)).real
        wsw = np.trace(model.h_se @ (R - R2)).real
        mi = _entropy(rho2) + _entropy(eta2) - _entropy(R2)
        rel = rel_entropy(eta2, eta)
        out[k] = du, dq, wsw, mi, rel
        rho = rho2
    return rho, out


def bench_ledger(n):
    m = C.structured_example2(
        omega_s=1.0, omega_1=0.5, omega_2=1.5, kappa=0.3, alpha=0.2, beta=1.0, dt=0.1
    )
    rho0 = qb.thermal_state(m.h_s, 1.0)
    C.evolve(m, rho0, 10)  # warm-up
    t_qbath, res = best_time(lambda: C.evolve(m, rho0, n), 5)
    t_ref, (rho_ref, led) = best_time(lambda: reference_loop(m, rho0, n), 1)
    t_ref2, (rho_ref2, led2) = best_time(lambda: reference_loop(m, rho0, n, _rel_entropy_eigh), 2)
    agree = float(
        max(
            np.abs(res.final_state - rho_ref).max(),
            np.abs(res.heat - led[:, 1]).max(),
            np.abs(res.entropy_production - (led[:, 3] + led[:, 4])).max(),
            np.abs(res.entropy_production - (led2[:, 3] + led2[:, 4])).max(),
        )
    )
    return {
        "n_collisions": n,
        "qbath_s": t_qbath,
        "reference_loop_logm_s": t_ref,
        "speedup_vs_logm_loop": t_ref / t_qbath,
        "reference_loop_eigh_s": t_ref2,
        "speedup_vs_eigh_loop": t_ref2 / t_qbath,
        "max_abs_difference": agree,
    }


def _random_large_model(rng, n_sys=6, n_anc=3):
    d_s, d_e = 2**n_sys, 2**n_anc
    # system: transverse-field Ising chain; ancilla: 3 interacting qubits (Eqs. 3-5)
    sp = qb.CompositeSpace.qubits(*[f"s{i}" for i in range(n_sys)])
    h_s = sum(0.5 * sp.sigma("z", i) for i in range(n_sys)) + sum(
        0.3 * sp.sigma("x", i) @ sp.sigma("x", i + 1) for i in range(n_sys - 1)
    )
    kappa = np.triu(rng.uniform(0.1, 0.5, (n_anc, n_anc)), 1)
    anc = C.StructuredAncilla.qubits(rng.uniform(0.5, 1.5, n_anc), kappa)
    # each ancilla qubit exchanges with one system qubit
    pairs = []
    for j in range(n_anc):
        s_op = sp.sigma("+", j)
        pairs += [(0.2 * s_op, anc.lowering(j)), (0.2 * s_op.conj().T, anc.raising(j))]
    return (
        C.CollisionModel(h_s=h_s, h_e=anc, h_se=pairs, dt=0.1, beta=1.0, system_dims=(2,) * n_sys),
        d_s,
        d_e,
    )


def bench_large(n):
    rng = np.random.default_rng(1)
    m, d_s, d_e = _random_large_model(rng)
    psi = np.zeros(d_s, complex)
    psi[-1] = 1.0
    rho0 = np.outer(psi, psi)
    tracemalloc.start()
    t0 = time.perf_counter()
    res = C.evolve(m, rho0, n)
    t_q = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    t0 = time.perf_counter()
    rho_ref, _ = reference_loop(m, rho0, n, _rel_entropy_eigh)
    t_r = time.perf_counter() - t0
    _, peak_r = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "d_s": d_s,
        "d_e": d_e,
        "joint_dim": d_s * d_e,
        "n_collisions": n,
        "qbath_s_per_collision_incl_build": t_q / n,
        "reference_s_per_collision": t_r / n,
        "speedup": t_r / t_q,
        "qbath_peak_MiB": peak / 2**20,
        "reference_peak_MiB": peak_r / 2**20,
        "max_abs_difference": float(np.abs(res.final_state - rho_ref).max()),
    }


def naive_steady_state(model):
    d_s, d_e = model.d_s, model.d_e
    U = sla.expm(-1j * model.dt * model.total_hamiltonian())
    S = np.empty((d_s * d_s, d_s * d_s), complex)
    for j in range(d_s):
        for b in range(d_s):
            E = np.zeros((d_s, d_s))
            E[j, b] = 1
            R2 = U @ np.kron(E, model.eta) @ U.conj().T
            S[:, j + b * d_s] = np.trace(R2.reshape(d_s, d_e, d_s, d_e), axis1=1, axis2=3).reshape(
                -1, order="F"
            )
    w, v = np.linalg.eig(S)
    x = v[:, np.argmin(np.abs(w - 1))].reshape(d_s, d_s, order="F")
    return x / np.trace(x)


def bench_grid(n):
    ks = np.linspace(0.0, 2.0, n)
    bs = np.linspace(0.1, 10.0, n)
    C.steady_state(C.structured_example2(1.0, 0.5, 1.5, 0.3, 0.2, 1.0, 0.1))  # warm-up
    t0 = time.perf_counter()
    grid = np.array(
        [
            [
                qb.l1_coherence(
                    C.steady_state(C.structured_example2(1.0, 0.5, 1.5, k, 0.2, b, 0.1))
                )
                for b in bs
            ]
            for k in ks
        ]
    )
    t_q = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = np.array(
        [
            [
                qb.l1_coherence(
                    naive_steady_state(C.structured_example2(1.0, 0.5, 1.5, k, 0.2, b, 0.1))
                )
                for b in bs
            ]
            for k in ks
        ]
    )
    t_r = time.perf_counter() - t0
    return {
        "grid": f"{n}x{n}",
        "qbath_s": t_q,
        "naive_s": t_r,
        "speedup": t_r / t_q,
        "max_abs_difference_C_l1": float(np.abs(grid - ref).max()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    out = {
        "benchmark": "collision",
        "qbath_version": qb.__version__,
        "ledger_1e4": bench_ledger(1000 if a.quick else 10_000),
        "large_6x3": bench_large(5 if a.quick else 50),
        "steady_grid": bench_grid(11 if a.quick else 41),
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
