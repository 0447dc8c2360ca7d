"""Seed 003's printed mean-field equations (Eqs. 230-236) against the exact derivative of the seed's
own master equation at product states, one mechanism at a time (docs/errata.md, Seed 003)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm

import qbath as qb
import qbath.spins as qs
from qbath.reproduce._seed003_formulas import seed_liouvillian, seed_meanfield_rhs

PAULI = [qb.sigmax(), qb.sigmay(), qb.sigmaz()]


def exact_derivative(h, A, rates, s):
    """d<sigma_i^a>/dt of the seed's literal Eq. 13 at the product state with Bloch vectors s."""
    n = h.shape[0]
    L = seed_liouvillian(h, A, *rates)
    rho = qb.tensor(*[qb.bloch_state(v) for v in s])
    drho = (L @ rho.reshape(-1, order="F")).reshape(2**n, 2**n, order="F")
    return np.array(
        [[np.trace(qb.embed(P, i, [2] * n) @ drho).real for P in PAULI] for i in range(n)]
    )


# (case, n, field scale, coupling scale, (gamma_+, gamma_-, gamma_z)), which printed equation is wrong
CASES = [
    ("fields", 3, 1.0, 0.0, (0.0, 0.0, 0.0), {"xy": False, "z": True}),
    ("couplings", 3, 0.0, 1.0, (0.0, 0.0, 0.0), {"xy": True, "z": True}),
    ("dissipation N=1", 1, 0.0, 0.0, (0.3, 0.5, 0.2), {"xy": False, "z": True}),
    ("dissipation N=3", 3, 0.0, 0.0, (0.3, 0.5, 0.2), {"xy": True, "z": True}),
    ("everything", 4, 1.0, 1.0, (0.3, 0.5, 0.2), {"xy": True, "z": True}),
]


@pytest.mark.parametrize("name, n, hs, As, rates, wrong", CASES, ids=[c[0] for c in CASES])
def test_seed_equations_against_exact_derivative(rng, name, n, hs, As, rates, wrong):
    h = hs * rng.normal(size=(n, 3))
    A = As * rng.normal(size=(n, n))
    s = rng.normal(size=(n, 3))
    s /= 1.2 * np.linalg.norm(s, axis=1)[:, None]
    ex = exact_derivative(h, A, rates, s)
    # qbath's mean field for the mapped model is the exact derivative at a product state
    np.testing.assert_allclose(
        qs.meanfield_rhs(qs.SpinModel.from_seed003(h, A, *rates), s), ex, atol=1e-12
    )
    printed = seed_meanfield_rhs(h, A, *rates, s)
    corrected = seed_meanfield_rhs(h, A, *rates, s, terms="corrected")
    np.testing.assert_allclose(corrected, ex, atol=1e-12)
    for comp, sl in (("xy", slice(0, 2)), ("z", slice(2, 3))):
        diff = np.max(np.abs(printed[:, sl] - ex[:, sl]))
        if wrong[comp]:
            assert diff > 1e-2, (comp, diff)
        else:
            assert diff < 1e-12, (comp, diff)


def test_single_spin_dissipation_constant_is_8_not_6():
    """Eq. 236 for one spin: -8(g+ + g-) <sz> + 6 (g+ - g-) printed; 8 (g+ - g-) is right."""
    gp, gm = 0.3, 0.1
    s = np.array([[0.0, 0.0, 0.0]])
    ex = exact_derivative(np.zeros((1, 3)), np.zeros((1, 1)), (gp, gm, 0.0), s)
    assert ex[0, 2] == pytest.approx(8 * (gp - gm), abs=1e-14)
    assert seed_meanfield_rhs(np.zeros((1, 3)), np.zeros((1, 1)), gp, gm, 0.0, s)[
        0, 2
    ] == pytest.approx(6 * (gp - gm))


def test_from_seed003_mapping_in_the_seeds_literal_liouvillian(rng):
    """The dissipator -g(rho A^dag A + A^dag A rho - 2 A rho A^dag) with the seed's sigma_pm equals
    qbath's 8 g D[sigma_pm] (and 2 g D[sigma_z]) as superoperators (N = 1)."""
    gp, gm, gz = rng.uniform(0.1, 1.0, 3)
    L_seed = seed_liouvillian(np.zeros((1, 3)), np.zeros((1, 1)), gp, gm, gz)
    eye = np.eye(2)

    def D(L):
        LdL = L.conj().T @ L
        return np.kron(L.conj(), L) - 0.5 * (np.kron(eye, LdL) + np.kron(LdL.T, eye))

    L_qbath = 8 * gp * D(qb.sigmap()) + 8 * gm * D(qb.sigmam()) + 2 * gz * D(qb.sigmaz())
    np.testing.assert_allclose(L_seed, L_qbath, atol=1e-14)


def test_from_seed003_against_the_seeds_literal_master_equation(rng):
    """The seed's Eq. 13 with its sigma_pm = sigma_x +- i sigma_y, its dissipator
    -sum gamma (rho A^dag A + A^dag A rho - 2 A rho A^dag) and its coupling sum_{jk be eps}
    A_jk sigma_j^be sigma_k^eps (j = k included), exponentiated as a 64 x 64 superoperator."""
    n = 3
    h = rng.normal(size=(n, 3))
    A = rng.normal(size=(n, n))
    gp, gm, gz = 0.07, 0.11, 0.05
    s0 = rng.normal(size=(n, 3))
    s0 /= np.linalg.norm(s0, axis=1)[:, None] * 1.1
    t = np.linspace(0, 1.5, 7)
    L = seed_liouvillian(h, A, gp, gm, gz)
    rho0 = qb.tensor(*[qb.bloch_state(v) for v in s0])
    dims = [2] * n
    sig = [[qb.embed(P, i, dims) for P in PAULI] for i in range(n)]
    ex = qs.exact(qs.SpinModel.from_seed003(h, A, gp, gm, gz), s0, t)
    for k, tk in enumerate(t):
        rho = (expm(L * tk) @ rho0.reshape(-1, order="F")).reshape(2**n, 2**n, order="F")
        bloch = np.array([[np.trace(sig[i][a] @ rho).real for a in range(3)] for i in range(n)])
        corr = np.array(
            [
                [
                    [
                        [
                            np.trace(sig[i][a] @ sig[j][b] @ rho).real if i != j else 0.0
                            for b in range(3)
                        ]
                        for a in range(3)
                    ]
                    for j in range(n)
                ]
                for i in range(n)
            ]
        )
        np.testing.assert_allclose(ex.bloch[k], bloch, atol=1e-8)
        np.testing.assert_allclose(ex.correlations[k], corr, atol=1e-8)
