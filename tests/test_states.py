import numpy as np
import pytest
import scipy.linalg as sla

import qbath as qb
from conftest import rand_dm, rand_herm, rand_ket, rand_unitary


def test_thermal_state_matches_expm(rng):
    H = rand_herm(5, rng)
    for beta in (0.0, 0.3, 2.0):
        want = sla.expm(-beta * H)
        want /= np.trace(want)
        assert np.allclose(qb.thermal_state(H, beta), want, atol=1e-12)


def test_thermal_state_large_beta_is_stable_and_degenerate_aware():
    H = np.diag([-1.0, -1.0, 0.5, 3.0]).astype(complex)
    for beta in (1e3, 1e8, np.inf):
        rho = qb.thermal_state(H, beta)
        assert np.all(np.isfinite(rho))
        assert np.allclose(rho, np.diag([0.5, 0.5, 0, 0]), atol=1e-12)
    with pytest.raises(qb.InputError, match="beta: expected a value >= 0"):
        qb.thermal_state(H, -1.0)
    with pytest.raises(qb.InputError, match="H: expected a Hermitian"):
        qb.thermal_state(np.array([[0, 1], [0, 0]]), 1.0)


def test_bloch_roundtrip(rng):
    s = rng.normal(size=(7, 3))
    s /= 1.5 * np.linalg.norm(s, axis=-1, keepdims=True)
    rho = qb.bloch_state(s)
    assert np.allclose(qb.bloch_vector(rho), s)
    with pytest.raises(qb.InputError, match=r"\|s\| <= 1"):
        qb.bloch_state([1, 1, 0])


def test_l1_coherence():
    plus = (qb.basis(2, 0) + qb.basis(2, 1)) / np.sqrt(2)
    assert np.isclose(qb.l1_coherence(qb.ket2dm(plus)), 1.0)
    # in the eigenbasis of a Hamiltonian its Gibbs state has no coherence
    H = np.array([[1, 0.4 - 0.2j], [0.4 + 0.2j, -0.3]])
    rho = qb.thermal_state(H, 1.3)
    _, V = np.linalg.eigh(H)
    assert qb.l1_coherence(rho) > 0.1
    assert abs(qb.l1_coherence(rho, basis=V)) < 1e-12
    # for a qubit, C_l1 = |<sx> + i<sy>| (seed 001 Eq. 58)
    s = qb.bloch_vector(rho)
    assert np.isclose(qb.l1_coherence(rho), abs(s[0] + 1j * s[1]))


def test_entropies(rng):
    d = 4
    assert np.isclose(qb.von_neumann_entropy(np.eye(d) / d), np.log(d))
    assert np.isclose(qb.von_neumann_entropy(np.eye(d) / d, base=2), 2.0)
    assert abs(qb.von_neumann_entropy(qb.ket2dm(rand_ket(d, rng)))) < 1e-10
    rho, sigma = rand_dm(d, rng), rand_dm(d, rng)
    want = np.trace(rho @ (sla.logm(rho) - sla.logm(sigma))).real
    assert np.isclose(qb.relative_entropy(rho, sigma), want)
    assert qb.relative_entropy(rho, rho) == pytest.approx(0.0, abs=1e-10)
    # unitary invariance
    U = rand_unitary(d, rng)
    assert np.isclose(qb.relative_entropy(U @ rho @ U.conj().T, U @ sigma @ U.conj().T), want)


def test_relative_entropy_support():
    rho = np.diag([0.5, 0.5]).astype(complex)
    sigma = np.diag([1.0, 0.0]).astype(complex)
    assert qb.relative_entropy(rho, sigma) == np.inf
    assert np.isclose(qb.relative_entropy(sigma, rho), np.log(2))


def test_mutual_information():
    bell = (
        np.kron(qb.basis(2, 0), qb.basis(2, 0)) + np.kron(qb.basis(2, 1), qb.basis(2, 1))
    ) / np.sqrt(2)
    assert np.isclose(qb.mutual_information(qb.ket2dm(bell), dims=(2, 2)), 2 * np.log(2))
    rng = np.random.default_rng(3)
    prod = np.kron(rand_dm(2, rng), rand_dm(3, rng))
    assert abs(qb.mutual_information(prod, dims=(2, 3))) < 1e-10


def test_density_matrix_validation():
    with pytest.raises(qb.InputError, match="rho0: expected a density matrix with unit trace"):
        qb.as_density_matrix("rho0", np.eye(2))
    with pytest.raises(qb.InputError, match="rho0: expected a positive semidefinite"):
        qb.as_density_matrix("rho0", np.diag([1.5, -0.5]))
    with pytest.raises(qb.InputError, match="rho0: expected finite"):
        qb.as_density_matrix("rho0", np.array([[np.nan, 0], [0, 1]]))
    with pytest.raises(qb.InputError, match="rho0: expected dimension 3"):
        qb.as_density_matrix("rho0", np.eye(2) / 2, 3)
