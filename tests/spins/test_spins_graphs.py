"""Graph helpers and seeded random fields: hand-built references, and the Python route
(``SpinModel.from_graph`` with ``qb.spins.chain`` ...) against the TOML route (``kind = "spins"``)."""

from functools import reduce

import numpy as np
import pytest
import scipy.sparse as sp

import qbath as qb
from qbath.config import make_problem, parse_config

PAULI = [qb.sigmax(), qb.sigmay(), qb.sigmaz()]


def site_op(p, i, n):
    return reduce(np.kron, [p if k == i else np.eye(2) for k in range(n)])


def hand_hamiltonian(fields, pair_weight, M):
    """H = sum_i h_i . sigma_i + sum_{i != j} w_ij sum_ab M^ab sigma_i^a sigma_j^b, by Kronecker products."""
    n = len(fields)
    H = sum(fields[i, a] * site_op(PAULI[a], i, n) for i in range(n) for a in range(3))
    for i in range(n):
        for j in range(n):
            if i != j and pair_weight[i, j] != 0:
                H = H + sum(
                    pair_weight[i, j] * M[a, b] * site_op(PAULI[a], i, n) @ site_op(PAULI[b], j, n)
                    for a in range(3)
                    for b in range(3)
                )
    return H


def spins_config(n, coupling, **model):
    return parse_config(
        {
            "kind": "spins",
            "model": {"n": n, "field": [0.1, -0.2, 0.5], "coupling": coupling, **model},
            "initial": {"bloch": [1.0, 0.0, 0.0]},
            "solver": {"t_max": 1.0},
        }
    )


def toml_model(cfg):
    return make_problem(cfg).model


def brute_lattice(rows, cols, periodic):
    a = np.zeros((rows * cols, rows * cols))
    for r1 in range(rows):
        for c1 in range(cols):
            for r2 in range(rows):
                for c2 in range(cols):
                    dr, dc = abs(r1 - r2), abs(c1 - c2)
                    if periodic:
                        dr = min(dr, rows - dr) if rows > 2 else dr
                        dc = min(dc, cols - dc) if cols > 2 else dc
                    if dr + dc == 1:
                        a[r1 * cols + c1, r2 * cols + c2] = 1.0
    return a


def test_chain_ring_all_by_hand():
    assert np.array_equal(
        qb.spins.chain(4), [[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]]
    )
    assert np.array_equal(
        qb.spins.ring(4), [[0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0]]
    )
    assert np.array_equal(qb.spins.ring(2), [[0, 1], [1, 0]])  # no double bond
    assert np.array_equal(qb.spins.chain(1), [[0]]) and np.array_equal(qb.spins.ring(1), [[0]])
    assert np.array_equal(qb.spins.all_to_all(3), [[0, 1, 1], [1, 0, 1], [1, 1, 0]])


@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize(("rows", "cols"), [(1, 4), (2, 2), (2, 3), (3, 4), (4, 4)])
def test_lattice_against_coordinates(rows, cols, periodic):
    a = qb.spins.lattice(rows, cols, periodic=periodic)
    assert np.array_equal(a, brute_lattice(rows, cols, periodic))
    s = qb.spins.lattice(rows, cols, periodic=periodic, sparse=True)
    assert sp.issparse(s) and np.array_equal(s.toarray(), a)
    if periodic and rows > 2 and cols > 2:
        assert np.all(a.sum(axis=1) == 4)  # a torus: four neighbours each


def test_sparse_flag_gives_the_same_matrices():
    for f in (qb.spins.chain, qb.spins.ring, qb.spins.all_to_all):
        assert np.array_equal(f(5, sparse=True).toarray(), f(5))


def test_random_fields_are_seeded_uniform_draws():
    h = qb.spins.random_fields(6, 0.7, 3, axes="xz")
    u = np.random.default_rng(3).uniform(-1.0, 1.0, size=(6, 3))
    assert np.array_equal(h[:, 0], 0.7 * u[:, 0]) and np.array_equal(h[:, 2], 0.7 * u[:, 2])
    assert np.all(h[:, 1] == 0.0)
    assert np.array_equal(qb.spins.random_fields(6, 0.7, 3, axes="z")[:, 2], h[:, 2])
    assert np.array_equal(qb.spins.random_fields(6, 0.7, 3, axes="xz"), h)  # reproducible
    assert not np.array_equal(qb.spins.random_fields(6, 0.7, 4, axes="xz"), h)
    big = qb.spins.random_fields(20000, 2.0, 0)[:, 2]
    assert np.all(np.abs(big) <= 2.0) and abs(big.mean()) < 0.05 and abs(big.var() - 4 / 3) < 0.05


@pytest.mark.parametrize("topology", ["chain", "ring", "all"])
def test_python_toml_and_kronecker_hamiltonians_agree_for_three_spins(topology):
    """Same nominal coupling, same H: from_graph(h, s A, M), the TOML [model.coupling] table, and
    sum_{i != j} s A_ij M^ab sigma_i^a sigma_j^b written out with Kronecker products."""
    n, strength = 3, 0.35
    M = np.array([[1.0, 0.2, 0.3], [0.0, 0.8, 0.0], [-0.1, 0.0, 0.5]])  # not symmetric
    fields = np.tile([0.1, -0.2, 0.5], (n, 1))
    A = {"chain": qb.spins.chain, "ring": qb.spins.ring, "all": qb.spins.all_to_all}[topology](n)
    python = qb.spins.SpinModel.from_graph(fields, strength * A, M, gamma_minus=0.1)
    toml = toml_model(
        spins_config(
            n,
            {"strength": strength, "matrix": M.tolist(), "topology": topology},
            gamma_minus=0.1,
        )
    )
    hand = hand_hamiltonian(fields, strength * A, M)
    assert np.allclose(python.hamiltonian(), hand, atol=1e-13)
    assert np.allclose(toml.hamiltonian(), hand, atol=1e-13)
    assert np.array_equal(toml.effective_couplings(), python.effective_couplings())
    assert np.array_equal(toml.gamma_minus, python.gamma_minus)


def test_one_bond_carries_twice_the_nominal_coupling():
    """Both orderings of a bond appear in sum_{i != j}: two spins, zz coupling s give H = 2 s ZZ."""
    s = 0.3
    zz = np.diag([0.0, 0.0, 1.0])
    H = qb.spins.SpinModel.from_graph(np.zeros((2, 3)), s * qb.spins.chain(2), zz).hamiltonian()
    assert np.allclose(H, 2 * s * np.kron(qb.sigmaz(), qb.sigmaz()), atol=1e-15)
    toml = toml_model(
        parse_config(
            {
                "kind": "spins",
                "model": {
                    "n": 2,
                    "field": [0, 0, 0],
                    "coupling": {"strength": s, "matrix": [0, 0, 1], "topology": "chain"},
                },
                "initial": {"bloch": [1, 0, 0]},
                "solver": {"t_max": 1.0},
            }
        )
    )
    assert np.allclose(toml.hamiltonian(), H, atol=1e-15)


@pytest.mark.parametrize("periodic", [False, True])
def test_toml_lattice_and_random_fields_equal_the_python_route(periodic):
    rows, cols = 3, 3
    cfg = spins_config(
        rows * cols,
        {
            "strength": 0.2,
            "matrix": [1.0, 1.0, 0.5],
            "topology": "lattice",
            "rows": rows,
            "cols": cols,
            "periodic": periodic,
        },
        random_fields={"scale": 1.5, "seed": 11, "axes": "xz"},
    )
    toml = toml_model(cfg)
    fields = np.tile([0.1, -0.2, 0.5], (rows * cols, 1)) + qb.spins.random_fields(
        rows * cols, 1.5, 11, axes="xz"
    )
    python = qb.spins.SpinModel.from_graph(
        fields, 0.2 * qb.spins.lattice(rows, cols, periodic=periodic), np.diag([1.0, 1.0, 0.5])
    )
    assert np.array_equal(toml.fields, python.fields)
    assert np.array_equal(toml.effective_couplings(), python.effective_couplings())
    t = np.linspace(0.0, 1.0, 5)
    a = qb.spins.meanfield(toml, [1.0, 0.0, 0.0], t)
    b = qb.spins.meanfield(python, [1.0, 0.0, 0.0], t)
    assert np.array_equal(a.bloch, b.bloch)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: qb.spins.chain(0), "n"),
        (lambda: qb.spins.chain(2.0), "n"),
        (lambda: qb.spins.ring(True), "n"),
        (lambda: qb.spins.all_to_all("3"), "n"),
        (lambda: qb.spins.chain(3, sparse="no"), "sparse"),
        (lambda: qb.spins.lattice(0, 2), "rows"),
        (lambda: qb.spins.lattice(2, 2.5), "cols"),
        (lambda: qb.spins.lattice(2, 2, periodic=1), "periodic"),
        (lambda: qb.spins.random_fields(3, -1.0, 0), "scale"),
        (lambda: qb.spins.random_fields(3, 1j, 0), "scale"),
        (lambda: qb.spins.random_fields(3, 1.0, -1), "seed"),
        (lambda: qb.spins.random_fields(3, 1.0, 1.5), "seed"),
        (lambda: qb.spins.random_fields(3, 1.0, 0, axes="w"), "axes"),
        (lambda: qb.spins.random_fields(3, 1.0, 0, axes="zz"), "axes"),
        (lambda: qb.spins.random_fields(3, 1.0, 0, axes=""), "axes"),
    ],
)
def test_bad_arguments_are_refused_by_name(call, name):
    with pytest.raises(qb.InputError, match=f"^{name}: expected"):
        call()
