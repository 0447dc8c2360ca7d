"""SpinModel: every coupling format gives the same symmetric couplings, the Hamiltonian against a
Kronecker-product construction, the local dissipation rates against the 2x2 Lindblad equation,
and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import qbath as qb
import qbath.spins as qs
from qbath import InputError

PAULI = [qb.sigmax(), qb.sigmay(), qb.sigmaz()]


def symmetric_by_loops(J):
    n = J.shape[0]
    K = np.zeros_like(J)
    for i in range(n):
        for j in range(n):
            if i != j:
                for a in range(3):
                    for b in range(3):
                        K[i, j, a, b] = J[i, j, a, b] + J[j, i, b, a]
    return K


def test_coupling_formats_agree(rng):
    n = 5
    h = rng.normal(size=(n, 3))
    J = rng.normal(size=(n, n, 3, 3))
    K = symmetric_by_loops(J)
    spin_major = sp.coo_matrix(J.transpose(0, 2, 1, 3).reshape(3 * n, 3 * n))  # row 3i+a, col 3j+b
    pairs = np.array([(i, j) for i in range(n) for j in range(n)])
    models = {
        "dense": qs.SpinModel(h, J),
        "sparse": qs.SpinModel(h, spin_major.tocsr()),
        "dict dense": qs.SpinModel(h, {(a, b): J[:, :, a, b] for a in range(3) for b in range(3)}),
        "dict sparse": qs.SpinModel(
            h,
            {"xyz"[a] + "xyz"[b]: sp.csr_matrix(J[:, :, a, b]) for a in range(3) for b in range(3)},
        ),
        "edges": qs.SpinModel(h, (pairs, J[pairs[:, 0], pairs[:, 1]])),  # includes i == j: ignored
    }
    s = rng.normal(size=(n, 3))
    s /= 2 * np.linalg.norm(s, axis=1)[:, None]
    ref = qs.meanfield_rhs(models["dense"], s)
    for name, m in models.items():
        np.testing.assert_allclose(m.effective_couplings(), K, atol=1e-13, err_msg=name)
        np.testing.assert_allclose(qs.meanfield_rhs(m, s), ref, atol=1e-13, err_msg=name)
    assert models["sparse"].coupling.kind == "sparse" and models["dense"].coupling.kind == "dense"


@pytest.mark.parametrize("sym", ["A", "M", "neither", "sparse"])
def test_from_graph_product_couplings(rng, sym):
    n = 6
    A = rng.normal(size=(n, n))
    M = rng.normal(size=(3, 3))
    if sym == "A":
        A = A + A.T
    elif sym == "M":
        M = M + M.T
    adj = sp.csr_matrix(A) if sym == "sparse" else A
    m = qs.SpinModel.from_graph(rng.normal(size=(n, 3)), adj, M, gamma_minus=0.1)
    J = A[:, :, None, None] * M[None, None, :, :]
    np.testing.assert_allclose(m.effective_couplings(), symmetric_by_loops(J), atol=1e-13)
    expected_kind = {"A": "product", "M": "product", "neither": "dense", "sparse": "sparse"}[sym]
    assert m.coupling.kind == expected_kind
    s = rng.normal(size=(n, 3)) / 3
    np.testing.assert_allclose(
        qs.meanfield_rhs(m, s), qs.meanfield_rhs(qs.SpinModel(m.fields, J, 0.1), s), atol=1e-13
    )


def test_hamiltonian_against_kronecker_products(rng):
    n = 3
    h = rng.normal(size=(n, 3))
    J = rng.normal(size=(n, n, 3, 3))
    dims = [2] * n
    H = sum(h[i, a] * qb.embed(PAULI[a], i, dims) for i in range(n) for a in range(3))
    H = H + sum(
        J[i, j, a, b] * qb.embed(PAULI[a], i, dims) @ qb.embed(PAULI[b], j, dims)
        for i in range(n)
        for j in range(n)
        if i != j
        for a in range(3)
        for b in range(3)
    )
    np.testing.assert_allclose(qs.SpinModel(h, J).hamiltonian(), H, atol=1e-12)


def test_complex_couplings_with_hermitian_H_are_accepted(rng):
    n = 3
    X = rng.normal(size=(n, n, 3, 3))
    J = 1j * X - 1j * X.transpose(1, 0, 3, 2)  # J_ij^ab + J_ji^ba = 0: H_int = 0
    m = qs.SpinModel(np.zeros((n, 3)), J + rng.normal(size=(n, n, 3, 3)))
    assert np.isrealobj(m.effective_couplings())


def test_local_rates_against_single_spin_lindblad(rng):
    """Gamma and d of SpinModel against d<sigma>/dt from the 2x2 Lindblad equation, qbath's D."""
    gm, gp, gz = rng.uniform(0.1, 1, 3)
    m = qs.SpinModel(np.zeros((1, 3)), None, gm, gp, gz)
    s = np.array([0.3, -0.4, 0.5])
    rho = qb.bloch_state(s)

    def D(L, r):
        return L @ r @ L.conj().T - 0.5 * (L.conj().T @ L @ r + r @ L.conj().T @ L)

    drho = gm * D(qb.sigmam(), rho) + gp * D(qb.sigmap(), rho) + gz * D(qb.sigmaz(), rho)
    ds = np.array([np.trace(P @ drho).real for P in PAULI])
    np.testing.assert_allclose(-m.decay_rates[0] * s + m.drive[0], ds, atol=1e-14)
    np.testing.assert_allclose(qs.meanfield_rhs(m, s)[0], ds, atol=1e-14)


def test_model_is_immutable_and_has_meta(rng):
    m = qs.SpinModel(rng.normal(size=(2, 3)), None, [0.1, 0.2])
    with pytest.raises(AttributeError):
        m.fields = np.zeros((2, 3))
    with pytest.raises(ValueError):
        m.fields[0, 0] = 1.0
    assert m.meta["kind"] == "SpinModel" and m.meta["n_spins"] == 2
    assert "N=2" in repr(m)
    seed = qs.SpinModel.from_seed003(np.zeros((2, 3)), np.ones((2, 2)), 0.1, 0.2, 0.3)
    np.testing.assert_allclose(seed.gamma_plus, 0.8)
    np.testing.assert_allclose(seed.gamma_minus, 1.6)
    np.testing.assert_allclose(seed.gamma_z, 0.6)
    np.testing.assert_allclose(seed.effective_couplings()[0, 1], 2 * np.ones((3, 3)))
    assert seed.meta["source"] == "from_seed003"


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(fields=np.zeros((3,))), "fields: expected local fields of shape"),
        (dict(fields=np.zeros((2, 3)) + 1j), "fields"),
        (dict(fields=np.zeros((2, 3)), couplings=np.zeros((2, 2, 3))), "couplings: expected a"),
        (dict(fields=np.zeros((2, 3)), couplings=np.full((2, 2, 3, 3), 1j)), "Hermitian"),
        (dict(fields=np.zeros((2, 3)), couplings=np.full((2, 2, 3, 3), np.nan)), "finite"),
        (dict(fields=np.zeros((2, 3)), gamma_minus=-0.1), "gamma_minus: expected a value >= 0"),
        (dict(fields=np.zeros((2, 3)), gamma_z=[0.1, 0.2, 0.3]), "gamma_z"),
        (
            dict(fields=np.zeros((2, 3)), gamma_plus=[0.1, -0.2]),
            "gamma_plus: expected non-negative",
        ),
        (dict(fields=np.zeros((2, 3)), couplings={"xw": np.eye(2)}), "component pair"),
        (
            dict(fields=np.zeros((2, 3)), couplings=(np.array([[0, 5]]), np.ones((1, 3, 3)))),
            "spin indices",
        ),
        (dict(fields=np.zeros((2, 3)), couplings=sp.eye(5)), r"shape \(6, 6\)"),
    ],
)
def test_model_input_errors(kwargs, match):
    with pytest.raises(InputError, match=match):
        qs.SpinModel(**kwargs)


def test_solver_input_errors(rng):
    m = qs.SpinModel(rng.normal(size=(2, 3)))
    with pytest.raises(InputError, match="bloch0: expected Bloch vectors"):
        qs.meanfield(m, np.zeros((3, 3)), [0, 1])
    with pytest.raises(InputError, match=r"\|s_1\| = 1.5"):
        qs.exact(m, [[0, 0, 1], [0, 1.5, 0]], [0, 1])
    with pytest.raises(InputError, match="strictly increasing"):
        qs.meanfield(m, [0, 0, 1], [0, 2, 1])
    with pytest.raises(InputError, match="1-D array of at least 1 times"):
        qs.meanfield(m, [0, 0, 1], [])
    with pytest.raises(InputError, match="rtol"):
        qs.meanfield(m, [0, 0, 1], [0, 1], method=qb.DOP853(rtol=-1))
    with pytest.raises(InputError, match="at most 12 spins"):
        qs.exact(qs.SpinModel(np.zeros((13, 3))), [0, 0, 1], [0, 1])
    with pytest.raises(InputError, match="result"):
        qs.total_spin(np.zeros((2, 3)))
