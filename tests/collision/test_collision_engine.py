"""The exact and second-order collision maps against brute force and invariants (seed 001)."""

import warnings

import numpy as np
import pytest

import qbath as qb
from collision_brute import collide, second_order_step
from conftest import rand_dm, rand_herm

C = qb.collision


def random_structured_model(rng, d_s=2, anc_dims=(2, 2), thermal=False, dt=0.3, n_pairs=2):
    """Random H_S, random structured ancilla (random H_E with the given subsystem dims), random
    H_SE given as (A_S, B_E) pairs whose sum is Hermitian, random (non-thermal) eta."""
    d_e = int(np.prod(anc_dims))
    pairs = []
    for _ in range(n_pairs):
        a = rng.normal(size=(d_s, d_s)) + 1j * rng.normal(size=(d_s, d_s))
        b = rng.normal(size=(d_e, d_e)) + 1j * rng.normal(size=(d_e, d_e))
        pairs += [(0.4 * a, b), (0.4 * a.conj().T, b.conj().T)]
    kw = dict(beta=rng.uniform(0.2, 3.0)) if thermal else dict(eta=rand_dm(d_e, rng))
    return C.CollisionModel(
        h_s=rand_herm(d_s, rng),
        h_e=rand_herm(d_e, rng),
        h_se=pairs,
        dt=dt,
        ancilla_dims=anc_dims,
        **kw,
    )


@pytest.mark.parametrize("seed,d_s,anc", [(1, 2, (2, 2)), (2, 3, (2, 3)), (3, 2, (2, 2, 2))])
def test_exact_map_and_ledger_match_brute_force(seed, d_s, anc):
    rng = np.random.default_rng(seed)
    m = random_structured_model(rng, d_s, anc)
    rho0 = rand_dm(d_s, rng)
    res = C.evolve(m, rho0, 4, method="exact")
    rho = rho0
    for k in range(4):
        ref = collide(rho, m.h_s, m.h_e, m.h_se, m.eta, m.dt)
        assert np.allclose(res.states[k + 1], ref["rho"], atol=1e-12)
        for key in ("delta_u", "heat", "switching_work", "mutual_information", "relative_entropy"):
            assert getattr(res, key)[k] == pytest.approx(ref[key], abs=1e-9), key
        rho = ref["rho"]


def test_exact_map_is_cptp(rng):
    for _ in range(5):
        m = random_structured_model(rng, 3, (2, 2))
        K = C.kraus(m)
        assert np.allclose(sum(k.conj().T @ k for k in K), np.eye(3), atol=1e-12)
        J = C.choi(m)
        assert np.allclose(J, J.conj().T, atol=1e-12)
        assert np.linalg.eigvalsh(J).min() > -1e-12
        # trace preservation and Hermiticity on a random input
        rho = rand_dm(3, rng)
        out = (C.superoperator(m) @ rho.reshape(-1, order="F")).reshape(3, 3, order="F")
        assert np.trace(out) == pytest.approx(1.0, abs=1e-12)
        assert np.allclose(out, out.conj().T, atol=1e-12)
        # the Choi matrix J = sum_jb |j><b| (x) Phi(|j><b|) gives Phi(X)[i, a] = sum_jb X[j, b] J[(j,i),(b,a)]
        X = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
        via_choi = np.einsum("jb,jiba->ia", X, J.reshape(3, 3, 3, 3))
        via_kraus = sum(k @ X @ k.conj().T for k in K)
        assert np.allclose(via_choi, via_kraus, atol=1e-12)


def test_first_law_and_second_law(rng):
    for seed in range(6):
        m = random_structured_model(np.random.default_rng(100 + seed), 2, (2, 2), thermal=True)
        res = C.evolve(m, rand_dm(2, rng), 50)
        assert np.max(np.abs(res.first_law_residual)) <= 1e-12
        assert np.all(res.entropy_production >= -1e-12)
        # for thermal ancillae Eq. 70 equals Eq. 72
        assert np.allclose(res.entropy_production, res.entropy_production_clausius, atol=1e-10)


def test_first_law_with_time_dependent_system_hamiltonian(rng):
    m = random_structured_model(rng, 2, (2, 2), thermal=True)
    n = 12
    seq = np.array([m.h_s + 0.3 * np.sin(0.5 * k) * qb.sigmax() for k in range(n)])
    rho0 = rand_dm(2, rng)
    res = C.evolve(m, rho0, n, h_s_sequence=seq)
    assert np.max(np.abs(res.first_law_residual)) <= 1e-12
    # brute force, with the quench at the start of each collision
    rho, h_prev = rho0, m.h_s
    for k in range(n):
        work = np.trace((seq[k] - h_prev) @ rho).real
        ref = collide(rho, seq[k], m.h_e, m.h_se, m.eta, m.dt)
        assert res.work[k] == pytest.approx(work, abs=1e-12)
        assert res.heat[k] == pytest.approx(ref["heat"], abs=1e-12)
        assert res.delta_u[k] == pytest.approx(
            np.trace(seq[k] @ ref["rho"] - h_prev @ rho).real, abs=1e-12
        )
        rho, h_prev = ref["rho"], seq[k]
    assert np.allclose(res.final_state, rho, atol=1e-12)


def test_second_order_map_matches_direct_truncation(rng):
    for d_s, anc in ((2, (2, 2)), (3, (3,))):
        m = random_structured_model(rng, d_s, anc, dt=0.05)
        rho = rand_dm(d_s, rng)
        res = C.evolve(m, rho, 1, method="second_order")
        assert np.allclose(
            res.states[1], second_order_step(rho, m.h_s, m.h_e, m.h_se, m.eta, m.dt), atol=1e-13
        )
        # and the first law holds exactly for the paper's second-order ledger
        assert abs(res.first_law_residual[0]) < 1e-13


def test_second_order_error_is_third_order_in_dt(rng):
    m0 = random_structured_model(rng, 2, (2, 2), dt=0.1)
    rho = rand_dm(2, rng)
    dts = np.array([0.02, 0.01, 0.005, 0.0025])
    errs = []
    for dt in dts:
        m = m0.replace(dt=dt)
        ex = C.evolve(m, rho, 1, "exact").states[1]
        so = C.evolve(m, rho, 1, "second_order").states[1]
        errs.append(np.abs(ex - so).max())
    slope = np.polyfit(np.log(dts), np.log(errs), 1)[0]
    assert slope == pytest.approx(3.0, abs=0.1)
    # the second-order ledger on the exact trajectory: also off by O(dt^3)
    diffs = []
    for dt in dts:
        m = m0.replace(dt=dt)
        ex = C.evolve(m, rho, 1, "exact")
        so = C.second_order_ledger(m, ex.states)
        diffs.append(abs(so["heat"][0] - ex.heat[0]))
    assert np.polyfit(np.log(dts), np.log(diffs), 1)[0] == pytest.approx(3.0, abs=0.15)


def test_steady_state_matches_long_evolution():
    m = C.structured_example2(
        omega_s=1.0, omega_1=0.5, omega_2=1.5, kappa=0.6, alpha=1.5, beta=0.7, dt=0.2
    )
    for method in ("exact", "second_order"):
        ss = C.steady_state(m, method)
        res = C.evolve(m, qb.thermal_state(m.h_s, 1.0), 4000, method)
        assert np.allclose(res.final_state, ss, atol=1e-10)
        assert np.linalg.eigvalsh(ss).min() > -1e-12


def test_non_unique_steady_state_raises():
    # no coupling and H_S diagonal: every diagonal state is a fixed point
    m = C.CollisionModel(h_s=qb.sigmaz(), h_e=qb.sigmaz(), h_se=np.zeros((4, 4)), dt=0.1, beta=1.0)
    with pytest.raises(qb.NonUniqueSteadyStateError) as exc:
        C.steady_state(m)
    assert exc.value.dimension == 2


def test_operator_input_and_pairs_agree(rng):
    m = random_structured_model(rng, 2, (2, 2), dt=0.05)
    m_op = C.CollisionModel(h_s=m.h_s, h_e=m.h_e, h_se=m.h_se, dt=m.dt, eta=m.eta)
    rho = rand_dm(2, rng)
    for method in ("exact", "second_order"):
        a = C.evolve(m, rho, 3, method)
        b = C.evolve(m_op, rho, 3, method)
        assert np.allclose(a.states, b.states, atol=1e-12)
    # the operator-Schmidt pairs reproduce H_SE
    assert np.allclose(sum(np.kron(x, y) for x, y in m_op.terms), m.h_se)


def test_large_system_uses_kraus_path(rng):
    # d_S = 32 > 16: no dense superoperator; compare with brute force for one collision
    m = random_structured_model(rng, 32, (2,), thermal=True, dt=0.1, n_pairs=1)
    rho0 = rand_dm(32, rng)
    res = C.evolve(m, rho0, 2)
    ref = collide(rho0, m.h_s, m.h_e, m.h_se, m.eta, m.dt)
    assert np.allclose(res.states[1], ref["rho"], atol=1e-11)
    assert res.heat[0] == pytest.approx(ref["heat"], abs=1e-10)


def test_result_accessors():
    m = C.structured_example2(1.0, 0.5, 1.5, 0.3, 0.2, 1.0, 0.1)
    rho0 = qb.thermal_state(m.h_s, 1.0)
    res = C.evolve(m, rho0, 10, e_ops=[qb.sigmaz()])
    assert res.states.shape == (11, 2, 2) and np.allclose(res.states[0], rho0)
    assert res.delta_u.shape == (10,)
    sz = res.expect[0]
    assert np.allclose(sz, qb.expect(qb.sigmaz(), res.states))
    assert np.allclose(sz, res.bloch[:, 2])
    assert np.allclose(res.coherence, np.abs(res.bloch[:, 0] + 1j * res.bloch[:, 1]))
    assert np.allclose(np.diff(res.internal_energy), res.delta_u)
    assert res.meta["qbath_version"] == qb.__version__ and res.meta["method"] == "exact"
    assert res.meta["kappa"] == 0.3


def test_ket_initial_state_accepted():
    m = C.structured_example2(1.0, 0.5, 1.5, 0.3, 0.2, 1.0, 0.1)
    a = C.evolve(m, qb.basis(2, 1), 3)
    b = C.evolve(m, qb.ket2dm(qb.basis(2, 1)), 3)
    assert np.allclose(a.states, b.states)


def test_bad_inputs_give_clear_errors(rng):
    good = dict(
        h_s=qb.sigmaz(), h_e=np.diag([1.0, 0, 0, -1]), h_se=np.zeros((8, 8)), dt=0.1, beta=1.0
    )
    with pytest.raises(qb.InputError, match="h_s: expected a Hermitian"):
        C.CollisionModel(**{**good, "h_s": np.array([[0, 1], [0, 0]])})
    with pytest.raises(qb.InputError, match=r"h_se: expected dimension 8"):
        C.CollisionModel(**{**good, "h_se": np.zeros((4, 4))})
    with pytest.raises(qb.InputError, match="eta: expected a density matrix with unit trace"):
        C.CollisionModel(**{**good, "eta": np.eye(4)})
    with pytest.raises(qb.InputError, match="beta: expected a value >= 0"):
        C.CollisionModel(**{**good, "beta": -1.0})
    with pytest.raises(qb.InputError, match="dt: expected a value > 0"):
        C.CollisionModel(**{**good, "dt": 0.0})
    with pytest.raises(qb.InputError, match="h_s: expected finite"):
        C.CollisionModel(**{**good, "h_s": np.diag([np.nan, 1.0])})
    with pytest.raises(qb.InputError, match="ancilla_dims"):
        C.CollisionModel(**{**good, "ancilla_dims": (2, 3)})
    with pytest.raises(qb.InputError, match="eta: expected an ancilla density matrix or a beta"):
        C.CollisionModel(**{**good, "beta": None})
    with pytest.raises(qb.InputError, match="sum of the pairs"):
        C.CollisionModel(**{**good, "h_se": [(qb.sigmap(), np.eye(4))]})
    m = C.CollisionModel(**good)
    with pytest.raises(qb.InputError, match="method: expected one of"):
        C.evolve(m, np.eye(2) / 2, 3, method="rk4")
    with pytest.raises(qb.InputError, match="rho0: expected dimension 2"):
        C.evolve(m, np.eye(3) / 3, 3)
    with pytest.raises(qb.InputError, match="n_collisions: expected an integer"):
        C.evolve(m, np.eye(2) / 2, 2.5)
    with pytest.raises(qb.InputError, match=r"h_s_sequence: expected shape \(3, 2, 2\)"):
        C.evolve(m, np.eye(2) / 2, 3, h_s_sequence=np.zeros((2, 2, 2)))
    with pytest.raises(qb.InputError, match="dt: expected dt \\* \\(E_max - E_min\\)/2 < 1"):
        C.evolve(m.replace(dt=2.0), np.eye(2) / 2, 3, method="second_order")


def test_second_order_warns_when_positivity_is_lost():
    # The truncated unitary part multiplies a coherence by 1 - i w dt - (w dt)^2/2, of modulus
    # sqrt(1 + (w dt)^4/4) > 1: a pure state with coherence leaves the state space at once.
    m = C.CollisionModel(
        h_s=qb.sigmaz() / 2,
        h_e=np.zeros((2, 2)),
        h_se=[(qb.sigmap(), 0.1 * qb.sigmam()), (qb.sigmam(), 0.1 * qb.sigmap())],
        dt=0.5,
        beta=0.0,
    )
    plus = (qb.basis(2, 0) + qb.basis(2, 1)) / np.sqrt(2)
    with pytest.warns(qb.PositivityWarning, match="lost positivity"):
        C.evolve(m, plus, 5, method="second_order")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        C.evolve(m, plus, 5, method="exact")


def test_results_convert_to_qutip():
    qt = pytest.importorskip("qutip")
    anc = C.StructuredAncilla.qubits([0.5, 1.5], 0.3)
    sp = qb.CompositeSpace.qubits("a", "b")
    pairs = [
        (0.2 * sp.sigma("+", "a"), anc.lowering(0)),
        (0.2 * sp.sigma("-", "a"), anc.raising(0)),
    ]
    m = C.CollisionModel(
        h_s=sp.sigma("z", "a") + sp.sigma("z", "b"),
        h_e=anc,
        h_se=pairs,
        dt=0.1,
        beta=1.0,
        system_dims=(2, 2),
    )
    res = C.evolve(m, np.eye(4) / 4, 3)
    states = res.to_qutip()
    assert len(states) == 4 and states[0].dims == [[2, 2], [2, 2]]
    assert np.allclose(states[-1].full(), res.final_state)
    # partial trace through QuTiP equals qbath's
    assert np.allclose(states[-1].ptrace(0).full(), qb.ptrace(res.final_state, [0], (2, 2)))
    assert isinstance(states[1], qt.Qobj)
