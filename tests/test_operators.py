import itertools

import numpy as np
import pytest

import qbath as qb
from conftest import rand_dm, rand_herm


def test_pauli_algebra_and_ladder_conventions():
    sx, sy, sz = qb.sigmax(), qb.sigmay(), qb.sigmaz()
    assert np.allclose(sx @ sy - sy @ sx, 2j * sz)
    assert np.allclose(qb.sigmap(), (sx + 1j * sy) / 2)
    assert np.allclose(qb.sigmam(), (sx - 1j * sy) / 2)
    up, down = qb.basis(2, 0), qb.basis(2, 1)
    assert np.allclose(sz @ up, up)  # index 0 is spin up
    assert np.allclose(qb.sigmap() @ down, up)  # sigma_+ raises
    assert np.allclose(qb.sigmap() @ qb.sigmam(), (np.eye(2) + sz) / 2)


def test_bosonic_ladder():
    n = 6
    a, ad = qb.destroy(n), qb.create(n)
    comm = a @ ad - ad @ a
    assert np.allclose(np.diag(comm)[:-1], 1.0)  # truncation spoils only the last level
    assert np.allclose(ad @ a, qb.num(n))


def test_embed_matches_explicit_kron(rng):
    A, B = rand_herm(2, rng), rand_herm(3, rng)
    dims = (3, 2, 2)
    # targets need not be sorted: factor order follows `targets`
    got = qb.embed(np.kron(A, B), [2, 0], dims)
    want = np.kron(np.kron(B, np.eye(2)), A)
    assert np.allclose(got, want)
    assert np.allclose(qb.embed(A, 1, dims), np.kron(np.kron(np.eye(3), A), np.eye(2)))


def _ptrace_loops(rho, keep, dims):
    """Brute-force partial trace by explicit index loops (independent of the einsum version)."""
    n = len(dims)
    keep = list(keep)
    trace_out = [k for k in range(n) if k not in keep]
    dk = int(np.prod([dims[k] for k in keep]))
    out = np.zeros((dk, dk), complex)
    idx = list(itertools.product(*[range(d) for d in dims]))

    def flat(t):
        f = 0
        for k in range(n):
            f = f * dims[k] + t[k]
        return f

    def kflat(t):
        f = 0
        for k in keep:
            f = f * dims[k] + t[k]
        return f

    for i in idx:
        for j in idx:
            if all(i[k] == j[k] for k in trace_out):
                out[kflat(i), kflat(j)] += rho[flat(i), flat(j)]
    return out


@pytest.mark.parametrize("keep", [[0], [1], [2], [0, 2], [2, 0], [1, 2, 0], []])
def test_ptrace_against_loops(rng, keep):
    dims = (2, 3, 2)
    rho = rand_dm(12, rng)
    got = qb.ptrace(rho, keep, dims)
    if keep:
        assert np.allclose(got, _ptrace_loops(rho, keep, dims))
    else:
        assert np.allclose(got, [[1.0]])


def test_ptrace_batched(rng):
    dims = (2, 2)
    stack = np.stack([rand_dm(4, rng) for _ in range(5)])
    got = qb.ptrace(stack, [1], dims)
    assert got.shape == (5, 2, 2)
    for k in range(5):
        assert np.allclose(got[k], qb.ptrace(stack[k], [1], dims))


def test_composite_space_and_jordan_wigner():
    sp = qb.CompositeSpace.of(
        ("f1", 2, "fermion"), ("q", 2, "qubit"), ("f2", 2, "fermion"), ("b", 3, "boson")
    )
    c1, c2 = sp.fermion_destroy("f1"), sp.fermion_destroy("f2")
    I = sp.identity()
    anti = lambda x, y: x @ y + y @ x  # noqa: E731
    assert np.allclose(anti(c1, c1.conj().T), I)
    assert np.allclose(anti(c2, c2.conj().T), I)
    assert np.allclose(anti(c1, c2.conj().T), 0)
    assert np.allclose(anti(c1, c2), 0)
    # fermions commute with the qubit and the boson
    for other in (sp.sigma("x", "q"), sp.destroy("b")):
        assert np.allclose(c2 @ other, other @ c2)
    with pytest.raises(qb.InputError, match="fermionic"):
        sp.fermion_destroy("q")


def test_composite_errors_name_the_argument():
    with pytest.raises(qb.InputError, match="unique names"):
        qb.CompositeSpace.qubits("a", "a")
    sp = qb.CompositeSpace.qubits("S", "E")
    with pytest.raises(qb.InputError, match="subsystem: expected one of"):
        sp.op(qb.sigmaz(), "X")
    with pytest.raises(qb.InputError, match="op: expected dimension 2"):
        sp.op(np.eye(3), "S")
