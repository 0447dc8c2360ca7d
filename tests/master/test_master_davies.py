"""Davies derivation: seed 004 structure (Tables 1-2, Eq. 22 sets), brute-force A(omega), Lamb shift,
Gibbs steady state, QuTiP brmesolve agreement, cross-correlated couplings, bad input."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import qbath as qb
from conftest import rand_herm

BATH = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)


def brute_force_jumps(w0: float, beta: float) -> dict[float, np.ndarray]:
    """A(omega) of the seed model from spin configurations: index 0 = up (S_z = +1/2)."""
    spins = list(itertools.product([0.5, -0.5], repeat=3))  # qubit 1 leftmost, up first
    E = np.array([w0 * sum(s) + beta * s[0] * s[1] for s in spins])
    A = np.zeros((8, 8))
    for i, j in itertools.product(range(8), repeat=2):
        diff = [k for k in range(3) if spins[i][k] != spins[j][k]]
        A[i, j] = 0.5 if len(diff) == 1 else 0.0  # S_x flips one spin with amplitude 1/2
    out: dict[float, np.ndarray] = {}
    for a, b in itertools.product(range(8), repeat=2):
        if A[a, b]:
            w = round(E[b] - E[a], 12)  # |a><a| A |b><b| with omega = E_b - E_a
            out.setdefault(w, np.zeros((8, 8)))[a, b] = A[a, b]
    return out


def test_seed_model_jump_operators_match_brute_force():
    w0, beta = 1.0, 0.4
    H, A = qb.master.three_qubits(w0, beta)
    gen = qb.davies(H, [(A, BATH)])
    ref = brute_force_jumps(w0, beta)
    # Eq. 22: non-zero A(omega) only at +-w0, +-(beta - 2 w0)/2, +-(beta + 2 w0)/2
    want = sorted(
        [
            w0,
            -w0,
            (beta - 2 * w0) / 2,
            -(beta - 2 * w0) / 2,
            (beta + 2 * w0) / 2,
            -(beta + 2 * w0) / 2,
        ]
    )
    assert np.allclose(sorted(gen.frequencies), want, atol=1e-12)
    assert sorted(ref) == pytest.approx(want, abs=1e-12)
    for k, w in enumerate(gen.frequencies):
        key = min(ref, key=lambda x: abs(x - w))
        assert np.allclose(gen.jump_operators[k], ref[key], atol=1e-13)
    # sum over omega of A(omega) is A (Eq. 16 at t = 0)
    assert np.allclose(gen.jump_operators.sum(axis=0), A, atol=1e-13)


def test_seed_tables_1_and_2_values():
    w0, beta = 1.0, 0.4
    H, A = qb.master.three_qubits(w0, beta)
    gen = qb.davies(H, [(A, BATH)])
    # Table 1 (with g = down): energies beta/4 -+ 3w0/2, beta/4 -+ w0/2 (twice: gge, eeg),
    # -beta/4 -+ w0/2 (twice each: geg = egg, gee = ege)
    table1 = sorted(
        [
            beta / 4 - 1.5 * w0,
            beta / 4 - 0.5 * w0,
            -beta / 4 - 0.5 * w0,
            -beta / 4 + 0.5 * w0,
            -beta / 4 - 0.5 * w0,
            -beta / 4 + 0.5 * w0,
            beta / 4 + 0.5 * w0,
            beta / 4 + 1.5 * w0,
        ]
    )
    assert np.allclose(gen.energies, table1)
    # ground state is |ddd> (the seed's |ggg>)
    assert abs(gen.eigenvectors[7, 0]) == pytest.approx(1.0)
    # Table 2: the distinct differences
    distinct = sorted(
        {
            round(s * x, 12)
            for s in (1, -1)
            for x in (
                0.0,
                w0,
                2 * w0,
                3 * w0,
                beta / 2,
                (beta - 2 * w0) / 2,
                (beta + 2 * w0) / 2,
                (beta - 4 * w0) / 2,
                (beta + 4 * w0) / 2,
            )
        }
    )
    assert [w for w, _ in gen.bohr_table()] == pytest.approx(distinct, abs=1e-12)
    assert sum(len(p) for _, p in gen.bohr_table()) == 64
    text = gen.summary()
    assert "Bohr frequencies" in text and "|ddd>" in text and "Non-zero jump operators" in text


def test_rates_and_lamb_shift_from_bath():
    H, A = qb.master.three_qubits(1.0, 0.4)
    gen = qb.davies(H, [(A, BATH)], lamb_shift=True)
    assert np.allclose(gen.rates, BATH.rate(gen.frequencies), rtol=1e-14)
    assert np.allclose(gen.shifts, BATH.lamb_shift(gen.frequencies), rtol=1e-14)
    # H_LS = sum_w S(w) A(w)^dag A(w) (Eq. 21) from the dense operators
    hls = sum(s * J.conj().T @ J for s, J in zip(gen.shifts, gen.jump_operators, strict=True))
    assert np.allclose(gen.lamb_shift, hls, atol=1e-14)
    assert np.allclose(gen.lamb_shift @ H, H @ gen.lamb_shift, atol=1e-13)  # [H_LS, H_A] = 0
    assert np.allclose(gen.hamiltonian, H + hls, atol=1e-14)
    no = qb.davies(H, [(A, BATH)], lamb_shift=False)
    assert np.all(no.shifts == 0) and np.allclose(no.hamiltonian, H)


def test_gibbs_steady_state_for_nondegenerate_ergodic_model(rng):
    d = 5
    H = rand_herm(d, rng)
    A = rand_herm(d, rng)
    for T in (0.4, 2.0):
        bath = qb.OhmicBath(alpha=0.03, cutoff=4.0, temperature=T)
        for ls in (False, True):
            gen = qb.davies(H, [(A, bath)], lamb_shift=ls)
            rho = qb.steady_state(gen)
            assert np.allclose(rho, qb.thermal_state(H, 1 / T), atol=1e-10)


def test_agrees_with_qutip_brmesolve_seed_model_and_random(rng):
    qt = pytest.importorskip("qutip")
    times = np.linspace(0, 15, 31)
    H3, A3 = qb.master.three_qubits(1.0, 0.4)
    Hr, Ar = rand_herm(4, rng), rand_herm(4, rng)
    for H, A in ((H3, A3), (Hr, Ar)):
        d = H.shape[0]
        psi = rng.normal(size=d) + 1j * rng.normal(size=d)
        psi /= np.linalg.norm(psi)
        gen = qb.davies(H, [(A, BATH)], lamb_shift=False)
        res = qb.mesolve(gen, psi, times, method=qb.Dopri5(rtol=1e-10, atol=1e-12))
        # QuTiP reads a spectrum's argument named ``w`` as the frequency (others mean time)
        br = qt.brmesolve(
            qt.Qobj(H),
            qt.Qobj(psi),
            times,
            a_ops=[[qt.Qobj(A), lambda w: BATH.rate(w)]],
            sec_cutoff=1e-6,
            options={"rtol": 1e-10, "atol": 1e-12, "store_states": True},
        )
        got = np.array([s.full() for s in br.states])
        assert np.abs(res.states - got).max() < 1e-8


def test_independent_couplings_add_and_shared_bath_is_collective(rng):
    d = 4
    H = rand_herm(d, rng)
    A1, A2 = rand_herm(d, rng), rand_herm(d, rng)
    b1 = qb.OhmicBath(alpha=0.05, cutoff=3.0, temperature=0.7)
    b2 = qb.DrudeLorentzBath(reorganization=0.1, cutoff=1.0, temperature=1.3)
    g12 = qb.davies(H, [(A1, b1), (A2, b2)])
    g1 = qb.davies(H, [(A1, b1)])
    g2 = qb.davies(H, [(A2, b2)])
    LH = qb.solve.liouvillian((H, []))
    assert np.allclose(g12.liouvillian(), g1.liouvillian() + g2.liouvillian() - LH, atol=1e-12)
    # the same bath object twice is still two independent baths unless declared shared
    same = qb.davies(H, [(A1, b1), (A2, b1)])
    shared = qb.davies(H, [(A1, b1), (A2, b1)], cross_correlations="shared")
    collective = qb.davies(H, [(A1 + A2, b1)])
    assert np.allclose(shared.liouvillian(), collective.liouvillian(), atol=1e-12)
    assert not np.allclose(same.liouvillian(), collective.liouvillian(), atol=1e-6)


def test_partially_correlated_couplings_eq15(rng):
    """gamma_kl = c_kl gamma: Eq. 15 equals independent baths coupled to sqrt(lam_i) sum_l U_li A_l."""
    d = 4
    H = rand_herm(d, rng)
    As = [rand_herm(d, rng) for _ in range(3)]
    c = np.array([[1.0, 0.6, -0.2], [0.6, 1.0, 0.3], [-0.2, 0.3, 1.0]])
    gen = qb.davies(H, [(A, BATH) for A in As], cross_correlations=c)
    lam, U = np.linalg.eigh(c)
    eff = [np.sqrt(lam[i]) * sum(U[l, i] * As[l] for l in range(3)) for i in range(3)]
    parts = [qb.davies(H, [(B, BATH)]) for B in eff]
    LH = qb.solve.liouvillian((H, []))
    want = sum(p.liouvillian() for p in parts) - 2 * LH
    assert np.allclose(gen.liouvillian(), want, atol=1e-12)
    # Eq. 15 written directly: sum_w sum_kl gamma_kl(w) (A_l rho A_k^dag - 1/2 {A_k^dag A_l, rho})
    rho = np.diag(rng.random(d)) + 0j
    rho /= np.trace(rho)
    single = [qb.davies(H, [(A, BATH)], lamb_shift=False) for A in As]
    direct = np.zeros((d, d), dtype=complex)
    for k, l in itertools.product(range(3), repeat=2):
        Jk, Jl = single[k], single[l]
        for w in np.unique(np.round(np.r_[Jk.frequencies, Jl.frequencies], 10)):
            ik = np.flatnonzero(np.isclose(Jk.frequencies, w))
            il = np.flatnonzero(np.isclose(Jl.frequencies, w))
            if not (ik.size and il.size):
                continue
            Ak, Al = Jk.jump_operators[ik[0]], Jl.jump_operators[il[0]]
            g = c[k, l] * BATH.rate(w)
            direct += g * (
                Al @ rho @ Ak.conj().T - 0.5 * (Ak.conj().T @ Al @ rho + rho @ Ak.conj().T @ Al)
            )
    nols = qb.davies(H, [(A, BATH) for A in As], cross_correlations=c, lamb_shift=False)
    got = (nols.liouvillian() @ rho.ravel(order="F")).reshape(d, d, order="F")
    got += 1j * (H @ rho - rho @ H)
    assert np.allclose(got, direct, atol=1e-12)


def test_degenerate_grouping_and_tolerance_warning():
    H, A = qb.master.three_qubits(1.0, 0.4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        qb.davies(H + 1e-14 * np.diag(np.arange(8)), [(A, BATH)])  # noise-level splitting: grouped
    with pytest.warns(qb.QbathWarning, match="merged Bohr frequencies"):
        gen = qb.davies(H, [(A, BATH)], freq_tol=0.25)
    assert not gen.strict_secular
    # slightly split degeneracy, default tolerance: kept apart, so more channels
    split = qb.davies(H + 1e-3 * np.diag(np.arange(8)), [(A, BATH)])
    assert len(split.frequencies) > 6


def test_bad_input(rng):
    H, A = qb.master.three_qubits(1.0, 0.4)
    with pytest.raises(qb.InputError, match="H: expected a Hermitian"):
        qb.davies(H + 0.1j * np.triu(np.ones((8, 8)), 1), [(A, BATH)])
    with pytest.raises(qb.InputError, match=r"couplings\[0\]\[0\]: expected a Hermitian"):
        qb.davies(H, [(A + 1j * np.triu(np.ones((8, 8)), 1), BATH)])
    with pytest.raises(qb.InputError, match="expected dimension 8 to match H"):
        qb.davies(H, [(np.eye(4), BATH)])
    with pytest.raises(qb.InputError, match="expected a bath"):
        qb.davies(H, [(A, 0.5)])
    with pytest.raises(qb.InputError, match="couplings: expected a non-empty list"):
        qb.davies(H, [])
    with pytest.raises(qb.InputError, match="cross_correlations: expected a positive semidefinite"):
        qb.davies(H, [(A, BATH), (A, BATH)], cross_correlations=[[1, 2], [2, 1]])
    with pytest.raises(qb.InputError, match="zero between couplings to different baths"):
        qb.davies(
            H,
            [(A, BATH), (A, qb.OhmicBath(alpha=0.1, cutoff=1.0))],
            cross_correlations=[[1, 0.5], [0.5, 1]],
        )
    sub = qb.PowerLawBath(alpha=0.1, cutoff=2.0, exponent=0.5, temperature=0.3)
    with pytest.raises(qb.InputError, match="infinite at Bohr frequency"):
        qb.davies(np.diag([1.0, 1.0, 0.0]), [(np.ones((3, 3)), sub)])
