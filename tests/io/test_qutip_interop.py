"""QuTiP interop: a Qobj is accepted wherever an operator or a state is; results convert back."""

import numpy as np
import pytest

import qbath as qb
from conftest import rand_dm

qutip = pytest.importorskip("qutip")


@pytest.fixture
def pair():
    r, s = qutip.rand_dm(4, seed=1), qutip.rand_dm(4, seed=2)
    r.dims = s.dims = [[2, 2], [2, 2]]
    return r, s


def test_core_functions_accept_qobj_and_agree_with_qutip(pair):
    r, s = pair
    H = qutip.rand_herm(4, seed=3)
    H.dims = [[2, 2], [2, 2]]
    # each qbath value against QuTiP's own function (an independent implementation)
    assert qb.von_neumann_entropy(r) == pytest.approx(qutip.entropy_vn(r), abs=1e-12)
    assert qb.purity(r) == pytest.approx((r * r).tr().real, abs=1e-12)
    assert qb.relative_entropy(r, s) == pytest.approx(qutip.entropy_relative(r, s), abs=1e-10)
    assert qb.mutual_information(r, dims=(2, 2)) == pytest.approx(
        qutip.entropy_mutual(r, 0, 1), abs=1e-12
    )
    assert qb.expect(H, r) == pytest.approx(qutip.expect(H, r), abs=1e-12)
    assert np.allclose(qb.ptrace(r, [1], (2, 2)), r.ptrace(1).full())
    assert np.allclose(qb.CompositeSpace.qubits("a", "b").ptrace(r, "a"), r.ptrace(0).full())
    gibbs = (-0.7 * H).expm()
    assert np.allclose(qb.thermal_state(H, 0.7), (gibbs / gibbs.tr()).full())
    assert np.allclose(
        qb.tensor(qutip.sigmaz(), qutip.sigmax()),
        qutip.tensor(qutip.sigmaz(), qutip.sigmax()).full(),
    )
    assert np.allclose(
        qb.embed(qutip.sigmaz(), 1, (2, 2)), qutip.tensor(qutip.qeye(2), qutip.sigmaz()).full()
    )
    assert np.allclose(qb.dag(qutip.sigmap()), qutip.sigmam().full())
    assert np.allclose(qb.commutator(qutip.sigmax(), qutip.sigmay()), 2j * qutip.sigmaz().full())
    assert np.allclose(
        qb.bloch_vector(qutip.ket2dm(qutip.basis(2, 0))), [0, 0, 1]
    )  # basis(2, 0) is up
    assert np.allclose(qb.ket2dm(qutip.basis(2, 1)), np.diag([0, 1]))
    assert qb.l1_coherence(r) == pytest.approx(
        np.abs(r.full()).sum() - np.abs(np.diag(r.full())).sum()
    )
    rho = qb.as_density_matrix("rho", qutip.basis(4, 1), allow_ket=True)
    assert np.allclose(rho, np.diag([0, 1, 0, 0]))


def test_qobj_validation_still_rejects_bad_input():
    with pytest.raises(qb.InputError, match="rho: expected a density matrix with unit trace"):
        qb.as_density_matrix("rho", 2 * qutip.rand_dm(2, seed=1))
    with pytest.raises(qb.InputError, match="H: expected a Hermitian operator"):
        qb.thermal_state(qutip.sigmap(), 1.0)


def test_to_qutip_operators_kets_stacks_and_superoperators(rng):
    rho = rand_dm(4, rng)
    q = qb.interop.to_qutip(rho, dims=[2, 2])
    assert q.dims == [[2, 2], [2, 2]] and q.isherm
    assert np.allclose(q.full(), rho)
    assert np.allclose(qb.interop.from_qutip(q), rho)
    ket = qb.interop.to_qutip(qb.basis(2, 0))
    assert ket.type == "ket" and (ket - qutip.basis(2, 0)).norm() < 1e-15
    assert np.array_equal(qb.interop.from_qutip(ket), [1, 0])
    stack = np.stack([rand_dm(2, rng) for _ in range(3)])
    qs = qb.interop.to_qutip(stack)
    assert len(qs) == 3 and np.allclose(qb.interop.from_qutip(qs), stack)
    # a Liouvillian built by QuTiP (column stacking) round-trips as a super-operator unchanged
    L = qutip.liouvillian(qutip.sigmaz(), [qutip.sigmam()])
    S = qb.interop.to_qutip(L.full(), superoperator=True)
    assert S.type == "super" and (S - L).norm() < 1e-14
    with pytest.raises(
        qb.InputError, match=r"dims: expected subsystem dimensions whose product is 4"
    ):
        qb.interop.to_qutip(rho, dims=[2, 3])
    with pytest.raises(
        qb.InputError, match=r"obj: expected a super-operator of shape \(d\^2, d\^2\)"
    ):
        qb.interop.to_qutip(np.eye(3), superoperator=True)
    with pytest.raises(qb.InputError, match="obj: expected a ket"):
        qb.interop.to_qutip(np.zeros((2, 3, 4)))
    with pytest.raises(qb.InputError, match="obj: expected a qutip.Qobj"):
        qb.interop.from_qutip(np.eye(2))


def test_result_states_convert_with_dims_from_meta(rng):
    states = np.stack([rand_dm(4, rng) for _ in range(2)])
    res = qb.solve.Result(
        times=np.arange(2.0),
        states=states,
        expect=[],
        final_state=states[-1],
        meta={"system_dims": [2, 2]},
    )
    qs = qb.interop.to_qutip(res)
    assert [q.dims for q in qs] == [[[2, 2], [2, 2]]] * 2
    assert np.allclose(qs[1].full(), states[1])
    assert qb.interop.to_qutip(qs[0]) is qs[0]
    no_states = qb.solve.Result(
        times=np.arange(2.0), states=None, expect=[], final_state=states[-1]
    )
    with pytest.raises(qb.InputError, match="obj: expected a result with stored states"):
        qb.interop.to_qutip(no_states)
