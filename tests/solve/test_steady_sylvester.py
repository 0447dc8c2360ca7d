"""steady_state(method="iterative-sylvester"): agreement with the dense SVD and the sparse LU (two
independent solvers), with QuTiP, degenerate cases, dark states, the Schur fallback, bad input."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
import qbath.solve._steady as steady_mod
import qbath.solve._sylvester as syl_mod
from conftest import rand_dm, rand_herm
from qbath.generators import as_lindblad

SYL = "iterative-sylvester"
BATH = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)
SX = np.array([[0, 1], [1, 0]], dtype=complex)
SZ = np.diag([1.0, -1.0]).astype(complex)
SM = np.array([[0, 0], [1, 0]], dtype=complex)


def trace_distance(a, b):
    return 0.5 * np.abs(np.linalg.eigvalsh(a - b)).sum()


def ising_chain(N: int, field: float = 0.2):
    """(H, c_ops) of the dissipative Ising chain of benchmarks/bench_mesolve_ising.py."""
    dims = (2,) * N
    H = sum(field * qb.embed(SZ, i, dims) for i in range(N))
    H = H + sum(qb.embed(SX, i, dims) @ qb.embed(SX, i + 1, dims) for i in range(N - 1))
    return H, [qb.embed(SM, i, dims) for i in range(N)]


def random_problem(d, k, rng):
    H = rand_herm(d, rng)
    c = [0.4 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) for _ in range(k)]
    return H, c


@pytest.mark.parametrize("d,k", [(2, 1), (5, 2), (7, 3), (12, 1)])
def test_random_generators_agree_with_dense(d, k, rng):
    H, c = random_problem(d, k, rng)
    dense = qb.steady_state((H, c), method="dense")
    rho = qb.steady_state((H, c), method=SYL)
    assert trace_distance(rho, dense) < 1e-10
    L = qb.solve.liouvillian((H, c))  # independent check: the vectorised generator kills it
    assert np.abs(L @ rho.ravel(order="F")).max() < 1e-10
    assert np.isclose(np.trace(rho), 1) and np.allclose(rho, rho.conj().T)


@pytest.mark.parametrize("N", [4, 5])
def test_ising_chain_agrees_with_dense_direct_and_qutip(N):
    H, c = ising_chain(N)
    dense = qb.steady_state((H, c), method="dense")
    direct = qb.steady_state((H, c), method="direct")
    rho = qb.steady_state((H, c), method=SYL)
    assert trace_distance(rho, dense) < 1e-10
    assert trace_distance(rho, direct) < 1e-10
    assert np.linalg.eigvalsh(rho).min() > -1e-12
    qt = pytest.importorskip("qutip")
    want = qt.steadystate(qt.Qobj(H), [qt.Qobj(x) for x in c]).full()
    assert trace_distance(rho, want) < 1e-9


def test_parity_blocks_and_active_pairs():
    # H = 0.2 sum sz + sum sx sx conserves the parity of the number of up spins, so A splits into
    # two blocks of d/2; sigma_- maps the (even, even) block pair to (odd, odd) and back
    H, c = ising_chain(4)
    pre, _, perm = syl_mod.SylvesterPreconditioner.build(as_lindblad((H, c)))
    assert [s.stop - s.start for s in pre.slices] == [8, 8]
    assert pre.pairs == [(0, 0), (1, 1)]
    parity = np.array([bin(i).count("1") % 2 for i in range(16)])
    assert np.all(parity[perm[:8]] == parity[perm[0]]) and np.all(
        parity[perm[8:]] != parity[perm[0]]
    )


def test_preconditioner_inverts_the_no_jump_part(rng):
    # (S - sigma) applied to P(X) gives back X, S(Y) = A Y + Y A^dag computed densely
    d = 6
    H, c = random_problem(d, 2, rng)
    form = as_lindblad((H, c))
    pre, pform, perm = syl_mod.SylvesterPreconditioner.build(form)
    A = -1j * H[np.ix_(perm, perm)] - 0.5 * sum(x.conj().T @ x for x in c)[np.ix_(perm, perm)]
    X = rand_herm(d, rng)
    Y = pre(X)
    back = A @ Y + Y @ A.conj().T - pre.shift * Y
    assert np.abs(back - X).max() < 1e-4 * np.abs(X).max()  # single-precision products


def test_dark_state_uses_a_shift():
    # H = 0, L = sigma_-: A = -|1><1|/2 has the eigenvalue 0 (the ground state does not decay), the
    # Sylvester operator is singular and a positive shift is used; the steady state is |0><0|
    sm = np.array([[0, 1], [0, 0]], dtype=complex)
    H = np.zeros((2, 2), dtype=complex)
    pre, _, _ = syl_mod.SylvesterPreconditioner.build(as_lindblad((H, [sm])))
    assert pre.shift > 0
    rho = qb.steady_state((H, [sm]), method=SYL)
    assert np.allclose(rho, np.diag([1.0, 0.0]), atol=1e-12)


def test_exceptional_point_falls_back_to_schur():
    # driven decaying qubit at Omega = gamma / 2: A = [[-gamma/2, -i Omega/2], [-i Omega/2, 0]] is
    # a Jordan block (eigenvectors parallel); the Schur form is used. Closed form (resonance
    # fluorescence): rho_ee = s / (2 (1 + s)), s = 2 Omega^2 / gamma^2
    gamma, omega = 1.0, 0.5
    H = 0.5 * omega * np.array([[0, 1], [1, 0]], dtype=complex)
    L = np.sqrt(gamma) * np.array([[0, 0], [1, 0]], dtype=complex)  # |1><0|: level 0 decays
    pre, _, _ = syl_mod.SylvesterPreconditioner.build(as_lindblad((H, [L])))
    assert pre.blocks[0].schur
    rho = qb.steady_state((H, [L]), method=SYL)
    s = 2 * omega**2 / gamma**2
    assert np.isclose(rho[0, 0].real, s / (2 * (1 + s)), atol=1e-12)
    assert trace_distance(rho, qb.steady_state((H, [L]), method="dense")) < 1e-12


def test_forced_schur_fallback_agrees(rng, monkeypatch):
    H, c = random_problem(6, 2, rng)
    ref = qb.steady_state((H, c), method="dense")
    monkeypatch.setattr(syl_mod, "COND_MAX", 0.5)  # every block in Schur form
    pre, _, _ = syl_mod.SylvesterPreconditioner.build(as_lindblad((H, c)))
    assert all(b.schur for b in pre.blocks)
    assert trace_distance(qb.steady_state((H, c), method=SYL), ref) < 1e-10


def test_many_components_are_merged(rng, monkeypatch):
    # diagonal H and dephasing plus decay along a ladder: A is diagonal (d components of size 1)
    d = 9
    H = np.diag(rng.normal(size=d)).astype(complex)
    down = np.diag(np.ones(d - 1), 1).astype(complex)  # |k><k+1|
    c = [0.7 * down, 0.3 * down.conj().T, np.diag(rng.normal(size=d)).astype(complex)]
    monkeypatch.setattr(syl_mod, "MAX_BLOCKS", 4)
    pre, _, _ = syl_mod.SylvesterPreconditioner.build(as_lindblad((H, c)))
    assert len(pre.slices) == 4
    ref = qb.steady_state((H, c), method="dense")
    assert trace_distance(qb.steady_state((H, c), method=SYL), ref) < 1e-10
    # populations of a birth-death chain: detailed balance, p_{k+1}/p_k = (0.3/0.7)^2
    p = np.diag(ref).real
    assert np.allclose(p[1:] / p[:-1], (0.3 / 0.7) ** 2, rtol=1e-8)


def test_redfield_generator_agrees_with_dense(rng):
    # a Bloch--Redfield generator is not of GKSL form: its extra superoperator enters the Krylov
    # operator (and all block pairs are kept); the preconditioner is built from the GKSL part only
    H = rand_herm(4, rng)
    gen = qb.master.redfield(H, [(rand_herm(4, rng), BATH)])
    form = as_lindblad(gen)
    assert form.extra_rowmajor is not None
    pre, _, _ = syl_mod.SylvesterPreconditioner.build(form)
    assert len(pre.pairs) == len(pre.slices) * (len(pre.slices) + 1) // 2
    ref = qb.steady_state(gen, method="dense")
    assert trace_distance(qb.steady_state(gen, method=SYL), ref) < 1e-10
    L = gen.liouvillian()
    assert np.abs(L @ ref.ravel(order="F")).max() < 1e-10


def test_degenerate_raises_and_rho0_projects(rng):
    # three qubits with a Davies bath: the singlet of qubits 1, 2 is dark (2 steady states)
    H3, A = qb.master.three_qubits(1.0, 0.4)
    with pytest.raises(qb.NonUniqueSteadyStateError, match="2-dimensional") as err:
        qb.steady_state(
            (qb.davies(H3, [(A, BATH)]).hamiltonian, qb.davies(H3, [(A, BATH)]).c_ops()), method=SYL
        )
    assert err.value.dimension == 2
    # two qubits, non-degenerate diagonal H, local dephasing: every population is conserved (a
    # 4-dimensional null space) and every coherence decays, so rho0 goes to its diagonal
    H = np.diag([0.0, 0.3, 0.7, 1.6]).astype(complex)
    c = [0.5 * qb.embed(SZ, i, (2, 2)) for i in range(2)]
    with pytest.raises(qb.NonUniqueSteadyStateError) as err:
        qb.steady_state((H, c), method=SYL)
    assert err.value.dimension == 4
    rho0 = rand_dm(4, rng)
    rho = qb.steady_state(H, c, rho0=rho0, method=SYL)
    assert np.allclose(rho, np.diag(np.diag(rho0)), atol=1e-10)


def test_auto_uses_it_from_d_128_only(monkeypatch):
    assert steady_mod._choose("auto", 64 * 64, 64) == "iterative-gmres"
    assert steady_mod._choose("auto", 128 * 128, 128) == SYL
    assert steady_mod._choose("auto", 50 * 50, 50) == "direct"
    H, c = ising_chain(5)
    monkeypatch.setattr(steady_mod, "DIRECT_MAX", 10)
    monkeypatch.setattr(steady_mod, "SYLVESTER_AUTO_DIM", 32)
    rho = qb.steady_state((H, c))
    assert trace_distance(rho, qb.steady_state((H, c), method="dense")) < 1e-10


def test_fgmres_solves_a_linear_system(rng):
    n = 40
    M = np.eye(n) + 0.3 * rng.normal(size=(n, n)) / np.sqrt(n)
    b = rng.normal(size=n)
    x, its, res = syl_mod.fgmres(lambda v: M @ v, lambda v: v, b, rtol=1e-12, restart=7, maxiter=50)
    assert res < 1e-12 and np.allclose(M @ x, b, atol=1e-10) and its > 7  # restarted


def test_bad_arguments():
    H, c = ising_chain(2)
    with pytest.raises(qb.InputError, match="preconditioner"):
        qb.steady_state((H, c), method=SYL, preconditioner="ilu")
    with pytest.raises(qb.InputError, match="method: expected one of"):
        qb.steady_state((H, c), method="sylvester")
    with pytest.raises(qb.InputError, match="rtol"):
        qb.steady_state((H, c), method=SYL, rtol=0.0)
    with pytest.raises(qb.InputError, match="maxiter"):
        qb.steady_state((H, c), method=SYL, maxiter=0)
