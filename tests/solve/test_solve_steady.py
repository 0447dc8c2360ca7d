"""steady_state: unique (QuTiP, Gibbs), degenerate (error naming the dimension; with rho0 the limit of
exp(L t) rho0, checked by long evolution), sparse path."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import qbath as qb
import qbath.generators._nullspace as null_mod
from conftest import rand_dm, rand_herm

BATH = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)


def test_unique_against_qutip(rng):
    qt = pytest.importorskip("qutip")
    d = 5
    H = rand_herm(d, rng)
    c = [0.4 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) for _ in range(2)]
    rho = qb.steady_state((H, c))
    want = qt.steadystate(qt.Qobj(H), [qt.Qobj(x) for x in c]).full()
    assert np.allclose(rho, want, atol=1e-10)
    assert np.isclose(np.trace(rho), 1) and np.allclose(rho, rho.conj().T)


def test_qutip_positional_call_gives_qutips_numbers(rng):
    """qb.steady_state(H, c_ops) with QuTiP's positional arguments, Qobj or numpy."""
    qt = pytest.importorskip("qutip")
    d = 4
    H = rand_herm(d, rng)
    c = [0.3 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) for _ in range(3)]
    want = qt.steadystate(qt.Qobj(H), [qt.Qobj(x) for x in c]).full()
    assert np.allclose(qb.steady_state(H, c), want, atol=1e-10)
    assert np.allclose(qb.steady_state(qt.Qobj(H), [qt.Qobj(x) for x in c]), want, atol=1e-10)
    assert np.allclose(qb.steady_state(H, c, method="direct"), want, atol=1e-10)


def test_positional_initial_state_is_refused_with_the_keyword():
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, BATH)])
    rho0 = np.eye(8) / 8
    with pytest.raises(qb.InputError, match=r"c_ops: .*rho0=rho0"):
        qb.steady_state(gen, rho0)
    with pytest.raises(qb.InputError, match=r"c_ops: .*single \(2, 2\) array"):
        qb.steady_state(np.diag([1.0, -1.0]), np.array([[0, 1], [0, 0.0]]))
    with pytest.raises(qb.InputError, match=r"c_ops: expected None or \[\] when H is a GKSL"):
        qb.steady_state(gen, [np.eye(8)])


def test_seed_model_is_degenerate_and_rho0_gives_the_limit(rng):
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, BATH)])
    with pytest.raises(qb.NonUniqueSteadyStateError, match="2-dimensional") as err:
        qb.steady_state(gen)
    assert err.value.dimension == 2
    rho0 = rand_dm(8, rng)
    ss = qb.steady_state(gen, rho0=rho0)
    L = gen.liouvillian()
    limit = (sla.expm(L * 3000.0) @ rho0.ravel(order="F")).reshape(8, 8, order="F")
    assert np.allclose(ss, limit, atol=1e-10)
    long = qb.mesolve(gen, rho0, [0, 1500.0], method=qb.Dopri5(rtol=1e-10, atol=1e-12)).final_state
    assert np.allclose(ss, long, atol=1e-8)
    # the two stationary states: singlet of qubits 1,2 (untouched by S1x + S2x) and the rest
    states, conserved = qb.solve.steady_state_space(gen)
    assert states.shape == (2, 8, 8) and conserved.shape == (2, 8, 8)
    for Q in conserved:  # conserved: d/dt Tr[Q rho] = 0 along the evolution
        vals = [np.trace(Q @ r) for r in (rho0, ss, long)]
        assert np.allclose(vals, vals[0], atol=1e-8)


def test_dense_and_sparse_null_space_paths_agree(rng, monkeypatch):
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, BATH)])
    rho0 = rand_dm(8, rng)
    dense = qb.steady_state(gen, rho0=rho0)
    pair = (gen.hamiltonian, gen.c_ops())  # no energy-sector knowledge: the full 64 x 64 problem
    assert np.allclose(qb.steady_state(pair, rho0=rho0), dense, atol=1e-9)
    monkeypatch.setattr(null_mod, "DENSE_MAX", 4)
    assert np.allclose(qb.steady_state(pair, rho0=rho0), dense, atol=1e-8)
    with pytest.raises(qb.NonUniqueSteadyStateError):
        qb.steady_state(pair)
    d = 6
    Hr = rand_herm(d, rng)
    c = [0.5 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)))]
    monkeypatch.setattr(null_mod, "DENSE_MAX", 10_000)
    ref = qb.steady_state((Hr, c))
    monkeypatch.setattr(null_mod, "DENSE_MAX", 4)
    assert np.allclose(qb.steady_state((Hr, c)), ref, atol=1e-9)


def ising_chain(N: int, field: float = 0.2):
    """Dense (H, c_ops) of the dissipative Ising chain of benchmarks/bench_mesolve_ising.py."""
    sx = np.array([[0, 1], [1, 0]], dtype=complex)
    sz = np.diag([1.0, -1.0]).astype(complex)
    sm = np.array([[0, 0], [1, 0]], dtype=complex)

    def site(op, i):
        out = np.ones((1, 1))
        for k in range(N):
            out = np.kron(out, op if k == i else np.eye(2))
        return out

    H = field * sum(site(sz, i) for i in range(N))
    H = H + sum(site(sx, i) @ site(sx, i + 1) for i in range(N - 1))
    return H, [site(sm, i) for i in range(N)]


def trace_distance(a, b):
    return 0.5 * np.abs(np.linalg.eigvalsh(a - b)).sum()


@pytest.mark.parametrize("N", [3, 4])
def test_methods_agree_with_dense_and_qutip_on_the_ising_chain(N):
    qt = pytest.importorskip("qutip")
    H, c = ising_chain(N)
    want = qt.steadystate(qt.Qobj(H), [qt.Qobj(x) for x in c]).full()
    dense = qb.steady_state((H, c), method="dense")
    assert trace_distance(dense, want) < 1e-10
    for kw in (
        {"method": "direct"},
        {"method": "iterative-gmres"},
        {"method": "iterative-gmres", "preconditioner": "ilu"},
        {"method": "iterative-gmres", "restart": 7},
        {},
    ):
        rho = qb.steady_state((H, c), **kw)
        assert trace_distance(rho, dense) < 1e-10, kw
        assert np.isclose(np.trace(rho), 1) and np.allclose(rho, rho.conj().T)


def test_random_generator_all_methods(rng):
    d = 7
    H = rand_herm(d, rng)
    c = [0.4 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) for _ in range(2)]
    dense = qb.steady_state((H, c), method="dense")
    L = qb.solve.liouvillian((H, c))
    assert np.abs(L @ dense.ravel(order="F")).max() < 1e-12  # independent check: L rho = 0
    for m in ("direct", "iterative-gmres"):
        assert trace_distance(qb.steady_state((H, c), method=m), dense) < 1e-10


def test_larger_chain_gmres_against_direct():
    # d = 64: the default is matrix-free GMRES; the sparse LU solves the same problem differently
    H, c = ising_chain(6)
    auto = qb.steady_state((H, c))
    direct = qb.steady_state((H, c), method="direct")
    assert trace_distance(auto, direct) < 1e-9
    L = qb.solve.liouvillian((H, c), sparse=True)
    assert np.abs(L @ auto.ravel(order="F")).max() < 1e-9


@pytest.mark.parametrize("method", ["direct", "iterative-gmres", "dense", "auto"])
def test_degenerate_raises_for_every_method_and_rho0_projects(method, rng):
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, BATH)])
    pair = (gen.hamiltonian, gen.c_ops())  # full 64-unknown problem
    for system in (gen, pair):
        with pytest.raises(qb.NonUniqueSteadyStateError, match="2-dimensional") as err:
            qb.steady_state(system, method=method)
        assert err.value.dimension == 2
    rho0 = rand_dm(8, rng)
    L = gen.liouvillian()
    limit = (sla.expm(L * 3000.0) @ rho0.ravel(order="F")).reshape(8, 8, order="F")
    assert np.allclose(qb.steady_state(pair, rho0=rho0, method=method), limit, atol=1e-9)


def test_two_decoupled_chains_are_degenerate():
    # two independent decaying qubits plus a qubit without dissipation: a 2-dim null space
    # (|0><0| and |1><1| of the free qubit, each times the unique state of the rest)
    H, c = ising_chain(2)
    Hf = np.kron(H, np.eye(2)) + np.kron(np.eye(4), 0.3 * np.diag([1.0, -1.0]))
    cf = [np.kron(x, np.eye(2)) for x in c]
    for m in ("direct", "iterative-gmres", "dense"):
        with pytest.raises(qb.NonUniqueSteadyStateError) as err:
            qb.steady_state((Hf, cf), method=m)
        assert err.value.dimension == 2


def test_bad_method_arguments():
    H, c = ising_chain(2)
    with pytest.raises(qb.InputError, match="method: expected one of"):
        qb.steady_state((H, c), method="svd")
    with pytest.raises(qb.InputError, match="preconditioner"):
        qb.steady_state((H, c), method="iterative-gmres", preconditioner="jacobi")
    with pytest.raises(qb.InputError, match="rtol"):
        qb.steady_state((H, c), rtol=2.0)
    with pytest.raises(qb.InputError, match="check"):
        qb.steady_state((H, c), check="no")
