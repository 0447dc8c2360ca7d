"""mesolve: analytic decay, QuTiP on random GKSL problems, every RHS path against exp(L t), RK4
convergence order, invariants, input checks."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

import qbath as qb
from conftest import rand_dm, rand_herm


def rand_cops(d, k, rng, scale=0.5):
    return [scale * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) for _ in range(k)]


def exact(H, c_ops, rho0, times):
    """exp(L t) rho0 from the (sparse) Liouvillian, an independent route to the same answer."""
    L = qb.solve.liouvillian((H, c_ops), sparse=True).tocsc()
    v = rho0.ravel(order="F")
    return np.array(
        [(spla.expm_multiply(L * t, v) if t else v).reshape(rho0.shape, order="F") for t in times]
    )


def test_qubit_decay_analytic():
    g, w = 0.7, 1.3
    H = 0.5 * w * qb.sigmaz()
    psi = np.array([1.0, 1.0]) / np.sqrt(2)
    t = np.linspace(0, 5, 21)
    r = qb.mesolve(
        H,
        psi,
        t,
        [np.sqrt(g) * qb.sigmam()],
        e_ops=[qb.sigmaz(), qb.sigmap()],
        method=qb.Dopri5(rtol=1e-10, atol=1e-12),
    )
    # <sigma_z> = 2 P_up - 1 with P_up = e^{-g t}/2;  <sigma_+> = rho_{down,up} = e^{(i w - g/2) t}/2
    assert np.allclose(r.expect[0], np.exp(-g * t) - 1, atol=1e-9)
    assert np.allclose(r.expect[1], 0.5 * np.exp((1j * w - g / 2) * t), atol=1e-9)
    assert r.states.shape == (21, 2, 2) and np.allclose(r.final_state, r.states[-1])


def test_against_qutip_random_problems(rng):
    qt = pytest.importorskip("qutip")
    for d in (3, 6):
        H = rand_herm(d, rng)
        c_ops = rand_cops(d, 3, rng)
        rho0 = rand_dm(d, rng)
        O = rand_herm(d, rng)
        t = np.linspace(0, 4, 17)
        r = qb.mesolve(H, rho0, t, c_ops, e_ops=[O], method=qb.Dopri5(rtol=1e-10, atol=1e-12))
        q = qt.mesolve(
            qt.Qobj(H),
            qt.Qobj(rho0),
            t,
            [qt.Qobj(c) for c in c_ops],
            e_ops=[qt.Qobj(O)],
            options={"rtol": 1e-10, "atol": 1e-12},
        )
        assert np.allclose(r.expect[0], q.expect[0], atol=1e-8)


@pytest.mark.parametrize("case", ["dense_small", "sparse_local", "dense_jumps", "complex_offdiag"])
def test_every_rhs_path_matches_matrix_exponential(case, rng):
    if case == "dense_small":
        d = 8
        H, c_ops = rand_herm(d, rng), rand_cops(d, 2, rng)
    else:
        N = 6  # d = 64 > DENSE_DIM: sparse Hamiltonian path
        d = 2**N
        sp_ = qb.CompositeSpace.qubits(*[f"q{i}" for i in range(N)])
        H = sum(0.3 * (i + 1) * sp_.sigma("z", i) for i in range(N))
        H = H + sum(sp_.sigma("x", i) @ sp_.sigma("x", i + 1) for i in range(N - 1))
        c_ops = [np.sqrt(0.4) * sp_.sigma("-", i) for i in range(N)]
        if case == "dense_jumps":
            # L_k dense on three qubits: too many entries for the gathered map, product path
            c_ops = c_ops[:2] + [sp_.op(rand_cops(8, 1, rng, scale=0.3)[0], 0, 1, 2)]
        if case == "complex_offdiag":
            H = H + sum(0.2 * sp_.sigma("y", i) @ sp_.sigma("x", i + 1) for i in range(N - 1))
        H = sp.csr_matrix(H)
    rho0 = rand_dm(d, rng)
    t = np.array([0.0, 0.3, 1.1])
    r = qb.mesolve(H, rho0, t, c_ops, method=qb.Dopri5(rtol=1e-10, atol=1e-12))
    ref = exact(H.toarray() if sp.issparse(H) else H, [np.asarray(c) for c in c_ops], rho0, t)
    assert np.abs(r.states - ref).max() < 1e-8


def test_rk4_fourth_order_convergence(rng):
    d = 4
    H, c_ops, rho0 = rand_herm(d, rng), rand_cops(d, 2, rng), rand_dm(d, rng)
    t = np.array([0.0, 1.0])
    ref = exact(H, c_ops, rho0, t)[-1]
    dts = np.array([0.1, 0.05, 0.025])
    errs = [
        np.abs(qb.mesolve(H, rho0, t, c_ops, method=qb.RK4(dt=h)).final_state - ref).max()
        for h in dts
    ]
    slope = np.polyfit(np.log(dts), np.log(errs), 1)[0]
    assert 3.7 < slope < 4.3


def test_invariants_and_ket_input(rng):
    d = 5
    H, c_ops = rand_herm(d, rng), rand_cops(d, 3, rng)
    psi = rng.normal(size=d) + 1j * rng.normal(size=d)
    psi /= np.linalg.norm(psi)
    t = np.linspace(0, 3, 13)
    r1 = qb.mesolve(H, psi, t, c_ops)
    r2 = qb.mesolve(H, np.outer(psi, psi.conj()), t, c_ops)
    assert np.allclose(r1.states, r2.states)
    assert np.allclose(np.trace(r1.states, axis1=1, axis2=2), 1, atol=1e-7)
    assert np.allclose(
        r1.states, np.conj(np.swapaxes(r1.states, 1, 2)), atol=0
    )  # exactly Hermitian
    assert np.all(np.linalg.eigvalsh(r1.states) > -1e-7)
    r3 = qb.mesolve(H, psi, t, c_ops, e_ops=[H], store_states=False)
    assert r3.states is None and np.allclose(r3.final_state, r1.final_state)
    assert r3.stats["nfev"] > 0 and r3.meta["kind"] == "mesolve"


def test_qutip_objects_accepted(rng):
    qt = pytest.importorskip("qutip")
    H = qt.sigmaz() + 0.3 * qt.sigmax()
    r = qb.mesolve(H, qt.basis(2, 0), [0, 1.0], [0.5 * qt.sigmam()], e_ops=[qt.sigmaz()])
    q = qt.mesolve(H, qt.basis(2, 0), [0, 1.0], [0.5 * qt.sigmam()], e_ops=[qt.sigmaz()])
    assert np.allclose(r.expect[0], q.expect[0], atol=1e-5)


def test_bad_input(rng):
    H = rand_herm(3, rng)
    rho = rand_dm(3, rng)
    with pytest.raises(qb.InputError, match="H: expected a Hermitian"):
        qb.mesolve(H + 1j * np.triu(np.ones((3, 3)), 1), rho, [0, 1], [])
    with pytest.raises(qb.InputError, match=r"c_ops\[0\]: expected dimension 3"):
        qb.mesolve(H, rho, [0, 1], [np.eye(2)])
    with pytest.raises(qb.InputError, match="c_ops: expected a sequence"):
        qb.mesolve(H, rho, [0, 1], np.eye(3))
    with pytest.raises(qb.InputError, match="tlist: expected strictly increasing"):
        qb.mesolve(H, rho, [0, 2, 1])
    with pytest.raises(qb.InputError, match="rho0: expected a positive semidefinite"):
        qb.mesolve(H, np.diag([1.5, -0.5, 0]), [0, 1])
    with pytest.raises(qb.InputError, match="dt: expected a value > 0"):
        qb.mesolve(H, rho, [0, 1], method=qb.RK4(dt=0.0))
    with pytest.raises(qb.InputError, match="method: expected"):
        qb.mesolve(H, rho, [0, 1], method="bdf")
    with pytest.raises(qb.InputError, match="H: expected a .d, d. Hamiltonian or a GKSL"):
        qb.mesolve((H, []), rho, [0, 1])
    with pytest.raises(qb.InputError, match=r"e_ops\[0\]: expected dimension 3"):
        qb.mesolve(H, rho, [0, 1], e_ops=[np.eye(2)])


def test_qutip_call_with_the_same_positional_arguments(rng):
    """qutip.mesolve(H, rho0, tlist, c_ops, e_ops=...) and qb.mesolve with the same arguments."""
    qt = pytest.importorskip("qutip")
    for d in (2, 4, 5):
        H = qt.Qobj(rand_herm(d, rng))
        c_ops = [qt.Qobj(c) for c in rand_cops(d, 2, rng)]
        rho0 = qt.Qobj(rand_dm(d, rng))
        e_ops = [qt.Qobj(rand_herm(d, rng)), qt.Qobj(rand_herm(d, rng))]
        tlist = np.linspace(0, 3, 13)
        q = qt.mesolve(H, rho0, tlist, c_ops, e_ops=e_ops)
        r = qb.mesolve(H, rho0, tlist, c_ops, e_ops=e_ops)
        for k in range(2):  # both at rtol 1e-6, atol 1e-8 (QuTiP's and qbath's defaults)
            assert np.allclose(r.expect[k], q.expect[k], atol=2e-5)
        tight = {"rtol": 1e-10, "atol": 1e-12}
        q = qt.mesolve(H, rho0, tlist, c_ops, e_ops=e_ops, options=tight)
        r = qb.mesolve(H, rho0, tlist, c_ops, e_ops=e_ops, method=qb.Dopri5(**tight))
        for k in range(2):
            assert np.allclose(r.expect[k], q.expect[k], atol=1e-8)
        qs = qt.mesolve(H, rho0, tlist, c_ops, options={"store_states": True, **tight})
        rs = qb.mesolve(H, rho0, tlist, c_ops, method=qb.Dopri5(**tight))
        assert np.abs(rs.final_state - qs.states[-1].full()).max() < 1e-8


def test_every_method_agrees_with_the_matrix_exponential(rng):
    d = 4
    H, c_ops, rho0 = rand_herm(d, rng), rand_cops(d, 2, rng), rand_dm(d, rng)
    t = np.linspace(0.0, 2.0, 5)
    ref = exact(H, c_ops, rho0, t)
    for method in (
        qb.Dopri5(rtol=1e-10, atol=1e-12),
        qb.DOP853(rtol=1e-10, atol=1e-12),
        qb.BDF(rtol=1e-10, atol=1e-12),
        qb.RK4(dt=1e-3),
        qb.ode.method_from_name("dop853", rtol=1e-10, atol=1e-12),
    ):
        r = qb.mesolve(H, rho0, t, c_ops, method=method)
        assert np.abs(r.states - ref).max() < 1e-7, method
        assert r.stats["method"] == r.meta["method"] == method.name


def test_named_observables_give_a_dict(rng):
    d = 3
    H, c_ops, rho0 = rand_herm(d, rng), rand_cops(d, 2, rng), rand_dm(d, rng)
    O = rand_herm(d, rng)
    t = np.linspace(0, 1, 5)
    r = qb.mesolve(H, rho0, t, c_ops, e_ops={"energy": H, "O": O, "raise": np.triu(O, 1)})
    assert isinstance(r.expect, dict) and list(r.expect) == ["energy", "O", "raise"]
    ref = qb.mesolve(H, rho0, t, c_ops, e_ops=[H, O, np.triu(O, 1)])
    for k, name in enumerate(r.expect):
        assert np.array_equal(r.expect[name], ref.expect[k])
    assert r.expect["energy"].dtype == float and r.expect["raise"].dtype == complex
    mc = qb.mcsolve(H, qb.basis(3, 0), t, c_ops, e_ops={"H": H}, ntraj=20, seed=1)
    assert list(mc.expect) == ["H"] and list(mc.expect_std_err) == ["H"]
    with pytest.raises(qb.InputError, match=r"e_ops\['O'\]: expected dimension 3"):
        qb.mesolve(H, rho0, t, c_ops, e_ops={"O": np.eye(2)})


def test_gksl_generator_refuses_extra_collapse_operators():
    bath = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)
    H = 0.5 * qb.sigmaz()
    gen = qb.davies(H, [(qb.sigmax(), bath)])
    rho0 = qb.ket2dm(qb.basis(2, 0))
    a = qb.mesolve(gen, rho0, [0, 1.0])
    b = qb.mesolve(gen.hamiltonian, rho0, [0, 1.0], gen.c_ops())
    assert np.allclose(a.final_state, b.final_state, atol=1e-7)
    with pytest.raises(qb.InputError, match="c_ops: expected None or .. when H is a GKSL"):
        qb.mesolve(gen, rho0, [0, 1.0], [qb.sigmam()])
    with pytest.raises(qb.InputError, match="c_ops: expected None or .. when H is a GKSL"):
        qb.mcsolve(gen, qb.basis(2, 0), [0, 1.0], [qb.sigmam()])


def test_unstable_rk4_step_is_an_input_error(rng):
    """RK4 with a step far beyond its stability limit used to return ~1e18; now it names dt."""
    d = 3
    H, c_ops, rho0 = rand_herm(d, rng), rand_cops(d, 2, rng), rand_dm(d, rng)
    with pytest.raises(qb.InputError, match=r"dt: RK4\(dt=50\) is unstable.*stability limit"):
        qb.mesolve(H, rho0, [0.0, 1000.0], c_ops, method=qb.RK4(dt=50))
    stiff = [np.sqrt(1e4) * np.diag([0, 1.0, 0])[[1, 0, 2]]]  # a decay rate 1e4
    with pytest.raises(qb.InputError, match="dt must be below"):
        qb.mesolve(H, rho0, np.linspace(0, 1, 11), stiff, method=qb.RK4(dt=0.01))
    r = qb.mesolve(H, rho0, np.linspace(0, 1, 11), stiff, method=qb.BDF())
    assert np.isfinite(r.final_state).all()


def test_call_shape_checks(rng):
    H, rho = rand_herm(2, rng), rand_dm(2, rng)
    with pytest.raises(qb.InputError, match="method: expected a method object"):
        qb.mesolve(H, rho, [0, 1], method="rk4")
    with pytest.raises(qb.InputError, match="args: expected a dict"):
        qb.mesolve(H, rho, [0, 1], args=[1.0])
    with pytest.warns(qb.QbathWarning, match="args"):
        qb.mesolve(H, rho, [0, 1], args={"w": 1.0})
    with pytest.raises(qb.InputError, match="tlist: expected real times"):
        qb.mesolve(H, rho, [0, 1j])
    with pytest.raises(TypeError):
        qb.mesolve(H, rho, [0, 1], [], [H])  # e_ops is keyword-only, as in QuTiP
    r = qb.mesolve(H, rho, [0.5])  # one time: the initial state
    assert r.states.shape == (1, 2, 2) and np.allclose(r.final_state, rho)
