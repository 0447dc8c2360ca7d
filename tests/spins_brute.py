"""Brute-force reference for the spin equations of motion, written independently of qbath.spins.

Operators are Pauli strings ``{site: component}`` multiplied site by site with the 2x2 matrices;
commutators with H are expanded term by term; the adjoint dissipator of each local operator is
computed from its 2x2 matrices and expanded in the Pauli basis by traces. Expectations of one- and
two-spin strings come from the given moments, three distinct spins from the closure (seed 003 Eq.
252). Slow and simple on purpose: Python loops over every term.
"""

from __future__ import annotations

import numpy as np

PAULI = [
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
]
SP = np.array([[0, 1], [0, 0]], dtype=complex)  # sigma_+ = |up><down|
SM = SP.T.copy()


def _site_product(a: int, b: int) -> tuple[complex, int | None]:
    """sigma^a sigma^b = phase * sigma^c (c None: identity)."""
    m = PAULI[a] @ PAULI[b]
    if a == b:
        return complex(np.trace(m) / 2), None
    for c in range(3):
        ph = np.trace(PAULI[c] @ m) / 2
        if abs(ph) > 1e-12:
            return complex(ph), c
    raise AssertionError


def string_product(s1: dict, s2: dict) -> tuple[complex, dict]:
    out = dict(s1)
    phase = 1.0 + 0j
    for site, c in s2.items():
        if site in out:
            ph, e = _site_product(out[site], c)
            phase *= ph
            if e is None:
                del out[site]
            else:
                out[site] = e
        else:
            out[site] = c
    return phase, out


def hamiltonian_terms(h: np.ndarray, K: np.ndarray) -> list[tuple[complex, dict]]:
    """H = sum h_i^a s_i^a + sum_{i<j} K_ij^ab s_i^a s_j^b as (coefficient, string) terms."""
    n = h.shape[0]
    terms = [(h[i, a], {i: a}) for i in range(n) for a in range(3) if h[i, a]]
    for i in range(n):
        for j in range(i + 1, n):
            for a in range(3):
                for b in range(3):
                    if K[i, j, a, b]:
                        terms.append((K[i, j, a, b], {i: a, j: b}))
    return terms


def adjoint_dissipator_local(gm: float, gp: float, gz: float, a: int) -> tuple[complex, np.ndarray]:
    """D^dag(sigma^a) = c0 * 1 + sum_e c_e sigma^e for one spin with rates (gm, gp, gz)."""
    X = PAULI[a]
    out = np.zeros((2, 2), dtype=complex)
    for g, L in ((gm, SM), (gp, SP), (gz, PAULI[2])):
        Ld = L.conj().T
        out += g * (Ld @ X @ L - 0.5 * (Ld @ L @ X + X @ Ld @ L))
    return np.trace(out) / 2, np.array([np.trace(PAULI[e] @ out) / 2 for e in range(3)])


class Moments:
    """Expectations of Pauli strings from s (N, 3) and C (N, N, 3, 3) plus the Eq. 252 closure."""

    def __init__(self, s: np.ndarray, C: np.ndarray):
        self.s, self.C = s, C

    def __call__(self, string: dict) -> complex:
        items = sorted(string.items())
        s, C = self.s, self.C
        if len(items) == 0:
            return 1.0
        if len(items) == 1:
            ((i, a),) = items
            return s[i, a]
        if len(items) == 2:
            (i, a), (j, b) = items
            return C[i, j, a, b]
        if len(items) == 3:
            (i, a), (j, b), (k, c) = items
            return (
                C[i, j, a, b] * s[k, c]
                + C[j, k, b, c] * s[i, a]
                + C[i, k, a, c] * s[j, b]
                - 2 * s[i, a] * s[j, b] * s[k, c]
            )
        raise AssertionError(f"unexpected string of length {len(items)}")


def heisenberg_rhs(string: dict, hterms, rates, moments: Moments) -> complex:
    """d<O>/dt = <i[H, O]> + <sum_i D_i^dag(O)> for a string O of distinct sites."""
    total = 0j
    for coef, hs in hterms:
        p1, s1 = string_product(hs, string)
        p2, s2 = string_product(string, hs)
        if s1 == s2:
            if p1 != p2:  # commuting terms (e.g. disjoint sites) drop out
                total += 1j * coef * (p1 - p2) * moments(s1)
        else:  # pragma: no cover - products of Pauli strings give the same string either way
            total += 1j * coef * (p1 * moments(s1) - p2 * moments(s2))
    gm, gp, gz = rates
    for site, a in string.items():
        c0, ce = adjoint_dissipator_local(gm[site], gp[site], gz[site], a)
        rest = {k: v for k, v in string.items() if k != site}
        total += c0 * moments(rest)
        for e in range(3):
            total += ce[e] * moments({**rest, site: e})
    return total


def brute_rhs(h, K, rates, s, C):
    """(ds (N, 3), dC (N, N, 3, 3)) of the order-2 cumulant equations; dC zero on i == j."""
    n = h.shape[0]
    hterms = hamiltonian_terms(h, K)
    mom = Moments(s, C)
    ds = np.array(
        [[heisenberg_rhs({i: a}, hterms, rates, mom) for a in range(3)] for i in range(n)]
    )
    dC = np.zeros((n, n, 3, 3), dtype=complex)
    for i in range(n):
        for j in range(n):
            if i != j:
                for a in range(3):
                    for b in range(3):
                        dC[i, j, a, b] = heisenberg_rhs({i: a, j: b}, hterms, rates, mom)
    return ds, dC


def qutip_model(qt, h, J, gm, gp, gz):
    """(ops[i][a], H, c_ops) of the model in qutip, built from the original J (not K)."""
    n = h.shape[0]
    paulis = (qt.sigmax(), qt.sigmay(), qt.sigmaz())
    ops = [
        [qt.tensor(*[p if k == i else qt.qeye(2) for k in range(n)]) for p in paulis]
        for i in range(n)
    ]
    H = sum(h[i, a] * ops[i][a] for i in range(n) for a in range(3))
    H += sum(
        J[i, j, a, b] * ops[i][a] * ops[j][b]
        for i in range(n)
        for j in range(n)
        if i != j
        for a in range(3)
        for b in range(3)
    )
    low = [qt.tensor(*[qt.sigmam() if k == i else qt.qeye(2) for k in range(n)]) for i in range(n)]
    c_ops = [np.sqrt(gm[i]) * low[i] for i in range(n)] + [
        np.sqrt(gp[i]) * low[i].dag() for i in range(n)
    ]
    c_ops += [np.sqrt(gz[i]) * ops[i][2] for i in range(n)]
    return ops, H, c_ops


def qutip_product_state(qt, s):
    paulis = (qt.sigmax(), qt.sigmay(), qt.sigmaz())
    return qt.tensor(*[0.5 * (qt.qeye(2) + sum(v[a] * paulis[a] for a in range(3))) for v in s])
