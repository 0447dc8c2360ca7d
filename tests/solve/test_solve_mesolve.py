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
