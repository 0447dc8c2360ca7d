"""Brute-force reference for collision models, written independently of qbath.collision.

Joint state, conjugation by U = expm(-i dt H) (scipy), partial traces by explicit reshape/trace,
entropies by scipy.linalg.logm. Slow and simple on purpose.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla


def ptrace_env(R, d_s, d_e):
    return np.trace(R.reshape(d_s, d_e, d_s, d_e), axis1=1, axis2=3)


def ptrace_sys(R, d_s, d_e):
    return np.trace(R.reshape(d_s, d_e, d_s, d_e), axis1=0, axis2=2)


def entropy(rho):
    w = np.linalg.eigvalsh(rho)
    if np.min(w) > 1e-10:
        return float(-np.trace(rho @ sla.logm(rho)).real)
    w = w[w > 1e-14]
    return float(-(w * np.log(w)).sum())


def rel_entropy(rho, sigma):
    return float(np.trace(rho @ (sla.logm(rho) - sla.logm(sigma))).real)


def collide(rho, h_s, h_e, h_se, eta, dt):
    """One exact collision; returns the new system state and the ledger entries."""
    d_s, d_e = h_s.shape[0], h_e.shape[0]
    H = np.kron(h_s, np.eye(d_e)) + np.kron(np.eye(d_s), h_e) + h_se
    U = sla.expm(-1j * dt * H)
    R = np.kron(rho, eta)
    R2 = U @ R @ U.conj().T
    rho2 = ptrace_env(R2, d_s, d_e)
    eta2 = ptrace_sys(R2, d_s, d_e)
    out = {
        "rho": rho2,
        "eta_out": eta2,
        "delta_u": np.trace(h_s @ (rho2 - rho)).real,
        "heat": -np.trace(h_e @ (eta2 - eta)).real,
        "switching_work": np.trace(h_se @ (R - R2)).real,
        "mutual_information": entropy(rho2) + entropy(eta2) - entropy(R2),
        "relative_entropy": rel_entropy(eta2, eta),
    }
    return out


def second_order_step(rho, h_s, h_e, h_se, eta, dt):
    """Tr_E of R - i dt [H, R] + dt^2/2 (2 H R H - {H^2, R}) with explicit joint matrices."""
    d_s, d_e = h_s.shape[0], h_e.shape[0]
    H = np.kron(h_s, np.eye(d_e)) + np.kron(np.eye(d_s), h_e) + h_se
    R = np.kron(rho, eta)
    Y = R - 1j * dt * (H @ R - R @ H) + dt**2 / 2 * (2 * H @ R @ H - H @ H @ R - R @ H @ H)
    return ptrace_env(Y, d_s, d_e)
