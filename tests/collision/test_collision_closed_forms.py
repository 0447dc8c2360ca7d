"""Seed 001's closed forms (Eqs. 29-37, 51, App. A-C) against the numerical engine.

Where a printed formula is wrong the test asserts *that* (and by how much), so the erratum in
docs/errata.md stays tied to a check that would notice if the code, not the paper, were wrong.
"""

import numpy as np
import pytest

import qbath as qb

C = qb.collision
cf = C.closed_forms

FIG = dict(omega_s=1.0, omega_1=0.5, omega_2=1.5, dt=0.1)


def _bare_basis_matrix():
    """Columns |E1>..|E4> (App. A labels) in qbath's basis."""
    return np.stack([C.bare_level(k) for k in (1, 2, 3, 4)], axis=1)


@pytest.mark.parametrize(
    "w1,w2,kappa", [(0.5, 1.5, 0.3), (0.5, 1.5, 1.7), (1.2, 0.4, 0.8), (1.0, 1.0, 0.5)]
)
def test_example1_spectrum_and_eigenvectors(w1, w2, kappa):
    anc = C.StructuredAncilla.qubits([w1, w2], kappa)
    H = anc.hamiltonian
    # Eq. 28 built independently
    sz, sp, sm = qb.sigmaz(), qb.sigmap(), qb.sigmam()
    H_ref = (
        w1 / 2 * np.kron(sz, np.eye(2))
        + w2 / 2 * np.kron(np.eye(2), sz)
        + kappa * (np.kron(sp, sm) + np.kron(sm, sp))
    )
    assert np.allclose(H, H_ref)
    E = cf.example1_eigenvalues(w1, w2, kappa)
    assert np.allclose(np.sort(E), np.linalg.eigvalsh(H))
    # Eq. 29: the E' are its roots
    x, y = (w1 + w2) / 2, (w1 - w2) / 2
    assert np.allclose(E**4 - E**2 * (x**2 + y**2 + kappa**2) + x**2 * (y**2 + kappa**2), 0)
    B = _bare_basis_matrix()
    V = cf.example1_unitary(w1, w2, kappa)  # Eq. A8
    for k in range(4):
        v = B @ V[:, k]
        assert np.allclose(H @ v, E[k] * v), f"A8 column {k + 1} is an eigenvector"
    # Eqs. 36-37 / A3-A4 swap a and b: not eigenvectors unless omega_1 = omega_2
    P = cf.example1_eigenvectors_printed(w1, w2, kappa)
    v2 = B @ P[:, 1]
    resid = np.linalg.norm(H @ v2 - E[1] * v2)
    if w1 == w2:
        assert resid < 1e-12
    else:
        assert resid > 1e-3


def test_example1_coefficients_and_steady_state():
    p = dict(omega_1=0.5, omega_2=1.5, kappa=0.7, alpha_1=0.3, alpha_2=0.2, beta=0.8)
    m = C.structured_example1(omega_s=1.0, dt=0.1, **p)
    c = cf.example1_coefficients(**p)
    co = C.coefficients(m)
    # pairs: (s+, a1 s1-), (s-, a1 s1+), (s+, a2 s2-), (s-, a2 s2+); g_pair[a, b] = Tr[B_b^dag B_a eta]
    assert np.allclose(co.g, 0)  # A10: no first-order terms
    assert np.allclose(co.h_eff, 0)
    assert co.g_pair[0, 0] == pytest.approx(c["g11_mp"])  # Tr[s1+ s1- eta] a1^2   (A12)
    assert co.g_pair[1, 1] == pytest.approx(c["g11_pm"])  # Tr[s1- s1+ eta] a1^2   (A11)
    assert co.g_pair[2, 2] == pytest.approx(c["g22_mp"])  # (A14)
    assert co.g_pair[3, 3] == pytest.approx(c["g22_pm"])  # (A13)
    # cross terms: Tr[(a2 s2-)^dag (a1 s1-) eta] = a1 a2 Tr[s2+ s1- eta] = a1 a2 <E3|eta|E2>   (A15's value)
    assert co.g_pair[0, 2] == pytest.approx(c["g12_pm"])
    assert co.g_pair[1, 3] == pytest.approx(c["g12_mp"])
    # A17-A18: no two-excitation correlations
    assert abs(co.g_pair[0, 3]) < 1e-14 and abs(co.g_pair[1, 2]) < 1e-14
    # Eq. 51 is the fixed point of the second-order map
    ss = C.steady_state(m, "second_order")
    assert np.allclose(ss, cf.example1_steady_state(**p), atol=1e-12)


@pytest.mark.parametrize("kappa,beta", [(0.3, 1.0), (1.0, 0.5), (2.0, 3.0)])
def test_example2_coefficients_map_and_ledger(kappa, beta):
    alpha = 0.2
    m = C.structured_example2(kappa=kappa, alpha=alpha, beta=beta, **FIG)
    c = cf.example2_coefficients(0.5, 1.5, kappa, alpha, beta)
    co = C.coefficients(m)
    # pairs (s+, a sE-), (s-, a* sE+): g = (a Tr[sE- eta], a* Tr[sE+ eta]); for real alpha = g^(+) (B1)
    assert co.g[1] == pytest.approx(c.g_plus)
    assert co.g[0] == pytest.approx(c.g_minus)
    assert co.g_pair[0, 0] == pytest.approx(c.g_mp)  # B3
    assert co.g_pair[1, 1] == pytest.approx(c.g_pm)  # B4
    assert abs(co.g_pair[0, 1]) < 1e-14  # B5-B6
    # H_eff of Eq. 54: Re g^(+) sx + Im g^(+) sy
    assert np.allclose(co.h_eff, c.g_plus.real * qb.sigmax() + c.g_plus.imag * qb.sigmay())
    # B7-B10 equal the general second-order map
    rng = np.random.default_rng(7)
    s = rng.normal(size=3)
    rho = qb.bloch_state(0.9 * s / np.linalg.norm(s))
    res = C.evolve(m, rho, 1, "second_order")
    assert np.allclose(res.states[1], cf.example2_map(rho, 1.0, 0.1, c), atol=1e-15)
    # C4-C6 equal the general second-order ledger (Eqs. 61, 63, 66)
    led = cf.example2_ledger(rho, 1.0, 0.5, 1.5, kappa, alpha, 0.1, c)
    assert res.delta_u[0] == pytest.approx(led["delta_u"], abs=1e-14)
    assert res.heat[0] == pytest.approx(led["heat"], abs=1e-14)
    assert res.switching_work[0] == pytest.approx(led["switching_work"], abs=1e-14)


def test_example2_steady_state_closed_form():
    """B11-B14 as printed are off by 0.1-0.4 %; the corrected K and B11 numerator are exact."""
    worst_z = worst_x = 0.0
    for kappa in (0.3, 0.6, 1.0, 1.5):
        for beta in (0.5, 1.0, 2.0):
            m = C.structured_example2(kappa=kappa, alpha=0.2, beta=beta, **FIG)
            c = cf.example2_coefficients(0.5, 1.5, kappa, 0.2, beta)
            ss = qb.bloch_vector(C.steady_state(m, "second_order"))
            corrected = cf.example2_steady_state_corrected(1.0, 0.1, c)
            assert np.allclose(corrected, ss, rtol=1e-10, atol=1e-14)
            printed = cf.example2_steady_state_printed(1.0, 0.1, c)
            worst_z = max(worst_z, abs(printed[2] / ss[2] - 1))
            worst_x = max(worst_x, abs(printed[0] / ss[0] - 1))
    assert 1e-3 < worst_z < 1e-2  # printed <sigma_z> is off by a few tenths of a percent
    assert 1e-4 < worst_x < 2e-3  # printed <sigma_x> by up to about 0.1 %


def test_example2_literal_preset_is_not_energy_conserving():
    """With sigma_E^+ = |E3><E2| (Eq. 53) and omega_1 < omega_2 the system is driven to <sigma_z> > 0."""
    m = C.structured_example2(kappa=0.3, alpha=0.2, beta=1.0, **FIG)
    sz = qb.expect(qb.sigmaz(), C.steady_state(m))
    assert sz == pytest.approx(0.457, abs=1e-3)  # the value quoted in docs/conventions.md
    # [H_S + H_E, H_SE] != 0 for the literal variant, = 0 for the resonant one at omega_s = omega_2 - omega_1
    for variant, conserving in (("paper", False), ("resonant", True)):
        mv = C.structured_example2(kappa=0.0, alpha=0.2, beta=1.0, variant=variant, **FIG)
        H0 = np.kron(mv.h_s, np.eye(4)) + np.kron(np.eye(2), mv.h_e)
        comm = np.linalg.norm(H0 @ mv.h_se - mv.h_se @ H0)
        assert (comm < 1e-12) == conserving
    # resonant variant relaxes towards negative <sigma_z> (thermal-like) at beta = 1
    mr = C.structured_example2(kappa=0.3, alpha=0.2, beta=1.0, variant="resonant", **FIG)
    assert qb.expect(qb.sigmaz(), C.steady_state(mr)) < 0


def test_example2_complex_alpha_needs_conjugate_in_b1():
    """For complex alpha, B1-B2 (hence Eq. 54 and B7-B14) hold with alpha -> alpha* (erratum)."""
    a = 0.2 * np.exp(0.7j)
    m = C.structured_example2(kappa=0.3, alpha=a, beta=1.0, **FIG)
    literal = cf.example2_coefficients(0.5, 1.5, 0.3, a, 1.0)
    fixed = cf.example2_coefficients(0.5, 1.5, 0.3, np.conj(a), 1.0)
    rho = qb.bloch_state([0.3, -0.2, 0.5])
    step = C.evolve(m, rho, 1, "second_order").states[1]
    assert np.abs(step - cf.example2_map(rho, 1.0, 0.1, literal)).max() > 1e-4
    assert np.allclose(step, cf.example2_map(rho, 1.0, 0.1, fixed), atol=1e-15)
    ss = qb.bloch_vector(C.steady_state(m, "second_order"))
    assert np.allclose(cf.example2_steady_state_corrected(1.0, 0.1, fixed), ss, atol=1e-12)
    # Eq. 54 literal: H_eff = g+ s- + g- s+ with B1's g+; the engine's H_eff is its transpose
    h54 = literal.g_plus * qb.sigmam() + literal.g_minus * qb.sigmap()
    assert not np.allclose(C.coefficients(m).h_eff, h54)
    assert np.allclose(C.coefficients(m).h_eff, h54.T)


def _eq24_literal(m, rho):
    """One step of Eqs. 22-24 exactly as printed (A in the anticommutator of the g_kk' term,
    g A^dag in the first H_S cross term)."""
    co = C.coefficients(m)
    A, dt, H = co.a_ops, m.dt, m.h_s
    Ad = np.conj(np.swapaxes(A, -1, -2))
    anti = lambda x: x @ rho + rho @ x  # noqa: E731
    out = rho - 1j * dt * ((H + co.h_eff) @ rho - rho @ (H + co.h_eff))
    L2 = 2 * H @ rho @ H - anti(H @ H)
    for a in range(len(A)):
        for b in range(len(A)):
            L2 += co.g_pair[a, b] * (2 * A[a] @ rho @ Ad[b] - anti(A[b] @ A[a]))
        L2 += co.g[a] * (2 * H @ rho @ Ad[a] - anti(Ad[a] @ H))
        L2 += co.g[a] * (2 * A[a] @ rho @ H - anti(H @ A[a]))
        X = co.g_he[a] * A[a] - np.conj(co.g_he[a]) * Ad[a]
        L2 += X @ rho - rho @ X
    return out + dt**2 / 2 * L2


def test_eq24_as_printed_holds_only_for_hermitian_pairs():
    rng = np.random.default_rng(11)
    from collision_brute import second_order_step
    from conftest import rand_dm, rand_herm

    d_s, d_e = 2, 4
    eta = rand_dm(d_e, rng)
    herm_pairs = [(rand_herm(d_s, rng), rand_herm(d_e, rng)) for _ in range(2)]
    m_h = C.CollisionModel(
        h_s=rand_herm(d_s, rng), h_e=rand_herm(d_e, rng), h_se=herm_pairs, dt=0.05, eta=eta
    )
    rho = rand_dm(d_s, rng)
    ref = second_order_step(rho, m_h.h_s, m_h.h_e, m_h.h_se, m_h.eta, m_h.dt)
    assert np.allclose(_eq24_literal(m_h, rho), ref, atol=1e-14)
    # sigma_pm-type pairs with a coherent ancilla: the printed form is wrong at O(dt^2)
    b = rng.normal(size=(d_e, d_e)) + 1j * rng.normal(size=(d_e, d_e))
    pairs = [(qb.sigmap(), 0.5 * b), (qb.sigmam(), 0.5 * b.conj().T)]
    m = C.CollisionModel(
        h_s=rand_herm(d_s, rng), h_e=rand_herm(d_e, rng), h_se=pairs, dt=0.05, eta=eta
    )
    ref = second_order_step(rho, m.h_s, m.h_e, m.h_se, m.eta, m.dt)
    assert np.allclose(C.evolve(m, rho, 1, "second_order").states[1], ref, atol=1e-14)
    assert np.abs(_eq24_literal(m, rho) - ref).max() > 1e-5
