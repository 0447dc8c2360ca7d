"""Liouvillian convention (QuTiP), propagator, Kraus decomposition (seed's 64 x 64 Choi), from_kraus."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
from conftest import rand_dm, rand_herm, rand_unitary

BATH = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)


def test_liouvillian_matches_qutip_column_stacking(rng):
    qt = pytest.importorskip("qutip")
    d = 4
    H = rand_herm(d, rng)
    c = [rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)) for _ in range(2)]
    L = qb.solve.liouvillian((H, c))
    assert np.allclose(L, qt.liouvillian(qt.Qobj(H), [qt.Qobj(x) for x in c]).full(), atol=1e-13)
    rho = rand_dm(d, rng)
    direct = -1j * (H @ rho - rho @ H) + sum(
        x @ rho @ x.conj().T - 0.5 * (x.conj().T @ x @ rho + rho @ x.conj().T @ x) for x in c
    )
    assert np.allclose((L @ rho.ravel(order="F")).reshape(d, d, order="F"), direct)


def test_propagator_against_mesolve_and_semigroup(rng):
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, BATH)])
    rho0 = rand_dm(8, rng)
    P = qb.propagator(gen, 2.5)
    rho = (P @ rho0.ravel(order="F")).reshape(8, 8, order="F")
    r = qb.mesolve(gen, rho0, [0, 2.5], method=qb.Dopri5(rtol=1e-11, atol=1e-13))
    assert np.allclose(rho, r.final_state, atol=1e-9)
    Ps = qb.propagator(gen, [1.0, 1.5, 2.5])
    assert Ps.shape == (3, 64, 64)
    assert np.allclose(Ps[0] @ Ps[1], Ps[2], atol=1e-12)  # seed Eq. 10


def test_kraus_three_qubits(rng):
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, BATH)])
    t = 1.7
    Ks = qb.kraus(gen, t)
    assert 1 <= len(Ks) <= 64 and all(K.shape == (8, 8) for K in Ks)
    assert np.allclose(sum(K.conj().T @ K for K in Ks), np.eye(8), atol=1e-12)  # trace preserving
    P = qb.propagator(gen, t)
    assert np.allclose(qb.from_kraus(Ks), P, atol=1e-12)
    rho0 = rand_dm(8, rng)
    via = sum(K @ rho0 @ K.conj().T for K in Ks)
    assert np.allclose(via, (P @ rho0.ravel(order="F")).reshape(8, 8, order="F"), atol=1e-12)
    C = qb.solve.choi_matrix(P)
    assert C.shape == (64, 64)  # the seed's 64 x 64 case
    assert np.linalg.eigvalsh(0.5 * (C + C.conj().T))[0] > -1e-12  # completely positive


def test_kraus_of_unitary_and_dephasing():
    U = rand_unitary(3, np.random.default_rng(3))
    assert np.allclose(qb.from_kraus([U]), np.kron(U.conj(), U))
    g = 0.3
    Ks = qb.kraus((np.zeros((2, 2)), [np.sqrt(g / 2) * qb.sigmaz()]), 1.0)
    assert len(Ks) == 2  # dephasing: two Kraus operators
    p = (1 - np.exp(-g)) / 2  # rho -> (1 - p) rho + p Z rho Z
    assert np.allclose(
        qb.from_kraus(Ks),
        qb.from_kraus([np.sqrt(1 - p) * np.eye(2), np.sqrt(p) * qb.sigmaz()]),
        atol=1e-12,
    )


def test_map_input_checks():
    with pytest.raises(qb.InputError, match="t: expected a time >= 0"):
        qb.propagator(np.eye(2), -1.0)
    with pytest.raises(qb.InputError, match="kraus_ops: expected at least one"):
        qb.from_kraus([])
    with pytest.raises(qb.InputError, match=r"kraus_ops\[1\]: expected dimension 2"):
        qb.from_kraus([np.eye(2), np.eye(3)])
    with pytest.raises(qb.InputError, match="expected dimension <= 64"):
        qb.propagator(np.eye(65), 1.0, [1e-3 * np.eye(65)])
