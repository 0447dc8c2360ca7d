"""Stepwise mean-field work (seed 000): dst_work, dst_two_step_work, basis mapping, bad input.

References used here, all independent of the code under test:
- brute force in the *seed's* basis (|0>, |1>), with scipy.linalg.expm and a plain loop, mapped to
  qbath's basis by the permutation |0>_seed = |down> (index 1), |1>_seed = |up> (index 0);
- the seed's closed form for one step (dst_two_step_work is implemented from the formula alone);
- a discrete first law for the stepwise protocol;
- density-matrix invariants.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import qbath as qb
from conftest import rand_dm
from qbath.drive._stepwise import pairs_to_matrices, step_unitaries, su2_prefix_products

# seed basis -> qbath basis: swap the two levels
PERM = np.array([[0, 1], [1, 0]], dtype=complex)


def seed_ket(theta, phi):
    """The seed's ket in the seed's (|0>, |1>) ordering."""
    return np.array([np.cos(theta / 2), np.exp(1j * phi) * np.sin(theta / 2)])


SEED_SP = np.array([[0, 0], [1, 0]], dtype=complex)  # seed's sigma_+ = |1><0|
SEED_SM = SEED_SP.conj().T


def seed_mean_field(theta_d, phi_d, theta_t, phi_t):
    """<psi_D psi_T| H_DST |psi_D psi_T> built from 8x8 matrices in the seed's basis, as a 2x2 on S."""
    h_i = np.kron(SEED_SP, SEED_SM) + np.kron(SEED_SM, SEED_SP)
    H = np.kron(h_i, np.eye(2)) + np.kron(np.eye(2), h_i)
    d, t = seed_ket(theta_d, phi_d), seed_ket(theta_t, phi_t)
    # project D (first) and T (last) factors onto their kets
    T = H.reshape(2, 2, 2, 2, 2, 2)
    return np.einsum("a,c,abcdef,d,f->be", d.conj(), t.conj(), T, d, t)


def brute_force_seed_basis(th_d, ph_d, th_t, ph_t, dt, rho0_seed):
    """Plain loop with expm, in the seed's basis; returns states (seed basis) and work per step."""
    rho = rho0_seed.copy()
    states, works = [rho.copy()], []
    for i in range(len(th_t) - 1):
        H = seed_mean_field(th_d[i], ph_d[i], th_t[i], ph_t[i])
        U = sla.expm(-1j * H * dt)
        rho = U @ rho @ U.conj().T
        dH = seed_mean_field(th_d[i], ph_d[i], th_t[i + 1], ph_t[i + 1]) - H
        works.append(-np.trace(rho @ dH).real)  # state after the step's evolution
        states.append(rho.copy())
    return np.array(states), np.array(works)


def test_dst_ket_is_the_seed_ket_permuted():
    rng = np.random.default_rng(0)
    th, ph = rng.uniform(0, np.pi, 5), rng.uniform(0, 2 * np.pi, 5)
    for a, b in zip(th, ph, strict=True):
        np.testing.assert_allclose(qb.drive.dst_ket(a, b), PERM @ seed_ket(a, b), atol=1e-15)
    # seed |0> (theta = 0) is qbath's spin down, seed |1> (theta = pi) is spin up
    np.testing.assert_allclose(qb.drive.dst_ket(0.0, 0.3), qb.basis(2, 1), atol=1e-15)
    np.testing.assert_allclose(qb.drive.dst_ket(np.pi, 0.0), qb.basis(2, 0), atol=1e-15)
    assert qb.drive.dst_ket(th, ph).shape == (5, 2)


def test_mean_field_hamiltonian_matches_partial_expectation_of_H_DST():
    rng = np.random.default_rng(1)
    for _ in range(5):
        a = rng.uniform(0, 2 * np.pi, 4)
        H = qb.drive.dst_mean_field_hamiltonian(*a)
        np.testing.assert_allclose(H, PERM @ seed_mean_field(*a) @ PERM, atol=1e-14)
    # also against qbath's own 8x8 H_DST projected with qbath-basis kets
    a = rng.uniform(0, 2 * np.pi, 4)
    d, t = qb.drive.dst_ket(a[0], a[1]), qb.drive.dst_ket(a[2], a[3])
    T = qb.drive.dst_hamiltonian().reshape(2, 2, 2, 2, 2, 2)
    H = np.einsum("a,c,abcdef,d,f->be", d.conj(), t.conj(), T, d, t)
    np.testing.assert_allclose(qb.drive.dst_mean_field_hamiltonian(*a), H, atol=1e-14)


def test_two_step_closed_form_equals_stepwise_for_random_angles():
    rng = np.random.default_rng(2)
    a = rng.uniform(-2 * np.pi, 2 * np.pi, size=(6, 300))
    dts = rng.uniform(0.01, 3.0, size=300)
    closed = np.array([qb.drive.dst_two_step_work(*a[:, k], dts[k]) for k in range(300)])
    step = np.array(
        [
            qb.drive.dst_work(a[0, k], a[1, k], a[[2, 4], k], a[[3, 5], k], dts[k]).total_work
            for k in range(300)
        ]
    )
    assert np.max(np.abs(closed)) > 0.1  # not trivially zero
    np.testing.assert_allclose(step, closed, atol=1e-13)
    # vectorised call of the closed form gives the same numbers
    np.testing.assert_allclose(
        qb.drive.dst_two_step_work(*a, 0.7)[:3],
        [qb.drive.dst_two_step_work(*a[:, k], 0.7) for k in range(3)],
        atol=1e-15,
    )


def test_two_step_closed_form_equals_brute_force_expm_in_seed_basis():
    rng = np.random.default_rng(3)
    rho0_seed = np.array([[1, 0], [0, 0]], dtype=complex)  # the seed's |0><0|
    for _ in range(50):
        a = rng.uniform(-np.pi, np.pi, 6)
        dt = rng.uniform(0.05, 2.0)
        _, w = brute_force_seed_basis([a[0]], [a[1]], [a[2], a[4]], [a[3], a[5]], dt, rho0_seed)
        assert qb.drive.dst_two_step_work(*a, dt) == pytest.approx(w[0], abs=1e-13)


def test_two_step_closed_form_at_alpha_zero_is_the_limit():
    # theta_D = theta_T0 = 0: alpha = 0, U = 1, the state stays |0><0| and W = 0; near it, the
    # formula's limit 2 dt Im{(tau'-tau) alpha*} is approached smoothly
    assert qb.drive.dst_two_step_work(0.0, 0.0, 0.0, 0.0, 1.0, 0.5, 0.3) == 0.0
    eps = 1e-7
    w = qb.drive.dst_two_step_work(eps, 0.0, 0.0, 0.0, 1.0, 0.5, 0.3)
    tau1 = 0.5 * np.sin(1.0) * np.exp(0.5j)
    assert w == pytest.approx(2 * 0.3 * np.imag(tau1 * eps / 2), rel=1e-6)
    res = qb.drive.dst_work(0.0, 0.0, [0.0, 1.0], [0.0, 0.5], 0.3)
    assert np.all(np.isfinite(res.states)) and res.total_work == 0.0


def test_dst_work_equals_brute_force_for_long_random_protocol_and_mixed_state():
    rng = np.random.default_rng(4)
    n = 60
    th_d, ph_d, th_t, ph_t = rng.uniform(0, 2 * np.pi, size=(4, n + 1))
    rho0 = rand_dm(2, rng)  # qbath basis
    res = qb.drive.dst_work(th_d, ph_d, th_t, ph_t, 0.37, rho0=rho0)
    states_seed, w = brute_force_seed_basis(th_d, ph_d, th_t, ph_t, 0.37, PERM @ rho0 @ PERM)
    np.testing.assert_allclose(res.states, PERM @ states_seed @ PERM, atol=1e-12)
    np.testing.assert_allclose(res.work_steps, w, atol=1e-12)
    np.testing.assert_allclose(res.work, np.cumsum(w), atol=1e-11)
    assert res.states.shape == (n + 1, 2, 2)
    assert res.work_steps.shape == res.work.shape == (n,)
    assert res.hamiltonians.shape == (n, 2, 2)
    np.testing.assert_allclose(res.times, 0.37 * np.arange(n + 1))
    np.testing.assert_allclose(
        res.hamiltonians, qb.drive.dst_mean_field_hamiltonian(th_d, ph_d, th_t, ph_t)[:-1]
    )
    assert res.meta["kind"] == "drive.dst_work" and res.meta["n_steps"] == n


def test_states_are_density_matrices_and_purity_is_conserved():
    rng = np.random.default_rng(5)
    rho0 = rand_dm(2, rng)
    res = qb.drive.dst_work(*rng.uniform(0, 7, size=(4, 2001)), 0.05, rho0=rho0)
    tr = np.trace(res.states, axis1=1, axis2=2)
    np.testing.assert_allclose(tr, 1.0, atol=1e-13)
    np.testing.assert_allclose(res.states, np.conj(np.swapaxes(res.states, 1, 2)), atol=1e-15)
    assert np.min(np.linalg.eigvalsh(res.states)) > -1e-13
    np.testing.assert_allclose(qb.purity(res.states), qb.purity(rho0), atol=1e-12)


def test_discrete_first_law_with_D_moving_too():
    # E_i = Tr[rho^i H(D^i, T^i)]. The evolution under H^i keeps Tr[rho H^i]; T's jump costs W_i; D's
    # jump (D^i -> D^{i+1} at T^{i+1}) adds Tr[rho^{i+1}(H(D^{i+1},T^{i+1}) - H(D^i,T^{i+1}))].
    rng = np.random.default_rng(6)
    n = 40
    ang = rng.uniform(0, 2 * np.pi, size=(4, n + 1))
    res = qb.drive.dst_work(*ang, 0.2)
    H = qb.drive.dst_mean_field_hamiltonian(*ang)
    E = np.einsum("tij,tji->t", H, res.states).real
    H_dT = qb.drive.dst_mean_field_hamiltonian(ang[0, :-1], ang[1, :-1], ang[2, 1:], ang[3, 1:])
    d_jump = np.einsum("tij,tji->t", H[1:] - H_dT, res.states[1:]).real
    np.testing.assert_allclose(E[1:] - E[0], -res.work + np.cumsum(d_jump), atol=1e-12)


def test_prefix_scan_equals_sequential_products():
    rng = np.random.default_rng(7)
    alpha = rng.normal(size=5000) + 1j * rng.normal(size=5000)
    a, b = step_unitaries(alpha, 0.1)
    U = pairs_to_matrices(a, b)
    P = pairs_to_matrices(*su2_prefix_products(a, b))
    acc = np.eye(2, dtype=complex)
    seq = np.empty_like(U)
    for k in range(U.shape[0]):
        acc = U[k] @ acc
        seq[k] = acc
    np.testing.assert_allclose(P, seq, atol=1e-11)
    # deep recursion and ragged padding of the blocked scan
    for block, n in ((2, 1000), (3, 777), (5, 126)):
        Pb = pairs_to_matrices(*su2_prefix_products(a[:n], b[:n], block=block))
        np.testing.assert_allclose(Pb, seq[:n], atol=1e-11)
    # closed-form step unitaries against expm
    H = qb.drive._protocol.hamiltonian_from_alpha(alpha[:20])
    np.testing.assert_allclose(U[:20], [sla.expm(-1j * h * 0.1) for h in H], atol=1e-14)


# --- errata (seed 000) -----------------------------------------------------------------------------


def test_erratum_printed_off_diagonal_phase_of_evolved_state():
    """The seed prints rho_01 = i |a| / (2 a*) sin(2|a|dt); expm gives i a* / (2|a|) sin(2|a|dt)."""
    alpha, dt = 0.3 + 0.4j, 0.7
    H_seed = np.array([[0, np.conj(alpha)], [alpha, 0]])
    U = sla.expm(-1j * H_seed * dt)
    rho = U @ np.diag([1.0, 0.0]).astype(complex) @ U.conj().T
    a = abs(alpha)
    printed = 1j * a / (2 * np.conj(alpha)) * np.sin(2 * a * dt)
    right = 1j * np.conj(alpha) / (2 * a) * np.sin(2 * a * dt)
    assert rho[0, 1] == pytest.approx(right, abs=1e-14)
    assert abs(rho[0, 1] - printed) > 0.1
    # the printed rho_10 = -i |a| / (2 a*) sin(2|a|dt) is right (so the printed matrix is not Hermitian)
    assert rho[1, 0] == pytest.approx(
        -1j * a / (2 * np.conj(alpha)) * np.sin(2 * a * dt), abs=1e-14
    )
    # the printed U itself is right
    U_printed = np.array(
        [
            [np.cos(a * dt), -1j * np.conj(alpha) / a * np.sin(a * dt)],
            [-1j * a / np.conj(alpha) * np.sin(a * dt), np.cos(a * dt)],
        ]
    )
    np.testing.assert_allclose(U, U_printed, atol=1e-14)


def test_erratum_general_sum_must_use_state_after_the_step():
    """W = -sum_i Tr[rho^i dH^i] read literally (state before the step) gives 0 for the seed's
    two-step case, not the closed form; the state after the step reproduces it."""
    a = np.array([1.1, 0.4, 0.9, -0.3, 2.0, 1.3])
    dt = 0.8
    tau0 = 0.5 * np.sin(a[2]) * np.exp(1j * a[3])
    tau1 = 0.5 * np.sin(a[4]) * np.exp(1j * a[5])
    rho_before = np.diag([0.0, 1.0]).astype(complex)  # qbath basis, the seed's |0><0|
    w_before = -2 * np.real((tau1 - tau0) * rho_before[1, 0])
    closed = qb.drive.dst_two_step_work(*a, dt)
    assert w_before == 0.0 and abs(closed) > 0.05
    assert qb.drive.dst_work(a[0], a[1], a[[2, 4]], a[[3, 5]], dt).total_work == pytest.approx(
        closed, abs=1e-14
    )


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(theta_t=[0, 1, 2], phi_t=[0, 1]), "phi_t: expected an array of the same length"),
        (dict(theta_t=0.3, phi_t=0.2), "expected at least one angle array"),
        (dict(theta_t=[0.3], phi_t=0.2), "length n\\+1 >= 2"),
        (dict(theta_t=[[0.3, 0.2]], phi_t=0.2), "theta_t: expected at most 1 dimension"),
        (dict(theta_t=[0.3, np.nan], phi_t=0.2), "theta_t: expected finite values"),
        (dict(theta_t=[0.3, 1j], phi_t=0.2), "theta_t: expected real values"),
        (dict(dt=0.0), "dt: expected a value > 0"),
        (dict(dt=-0.1), "dt: expected a value > 0"),
        (dict(dt=np.inf), "dt: expected a finite real number"),
        (dict(rho0=np.eye(2)), "rho0: expected a density matrix with unit trace"),
        (dict(rho0=[[0.5, 1], [0, 0.5]]), "rho0: expected a Hermitian operator"),
        (dict(rho0=[[1.5, 0], [0, -0.5]]), "rho0: expected a positive semidefinite"),
        (dict(rho0=np.eye(3) / 3), "rho0: expected dimension 2"),
    ],
)
def test_bad_input(kwargs, match):
    args = dict(theta_d=0.3, phi_d=0.0, theta_t=[0.1, 0.2, 0.3], phi_t=0.0, dt=0.1)
    args.update(kwargs)
    with pytest.raises(qb.InputError, match=match):
        qb.drive.dst_work(**args)


def test_bad_input_two_step():
    with pytest.raises(qb.InputError, match="dt: expected a value > 0"):
        qb.drive.dst_two_step_work(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.0)
    with pytest.raises(qb.InputError, match="phi_t1: expected finite values"):
        qb.drive.dst_two_step_work(0.1, 0.2, 0.3, 0.4, 0.5, np.nan, 0.1)
