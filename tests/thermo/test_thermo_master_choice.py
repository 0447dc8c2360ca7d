"""Redfield, partial-secular and local master equations: against QuTiP's Bloch--Redfield tensor
(no Lamb shift), an independent sum over Bohr-frequency pairs (with Lamb shift), the Davies limit,
hand-written local Lindblad equations, and through every solver and qb.thermo."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
from conftest import rand_dm, rand_herm

SX, SZ, I2 = qb.sigmax(), qb.sigmaz(), np.eye(2)
SM = qb.sigmam()
HOT = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=2.0)
COLD = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)


def model(g: float = 0.2):
    H = 0.5 * np.kron(SZ, I2) + 0.7 * np.kron(I2, SZ) + g * np.kron(SX, SX)
    return H, np.kron(SX, I2), np.kron(I2, SX)


def spectrum(bath):
    """QuTiP reads an argument named ``w`` as the frequency."""

    def f(w):
        return bath.rate(w)

    return f


def qutip_tensor(H, couplings, sec_cutoff):
    qutip = pytest.importorskip("qutip")
    dims = [[2, 2], [2, 2]]
    a_ops = [[qutip.Qobj(A, dims=dims), spectrum(b)] for A, b in couplings]
    return qutip.bloch_redfield_tensor(
        qutip.Qobj(H, dims=dims), a_ops, sec_cutoff=sec_cutoff, fock_basis=True
    ).full()


def redfield_by_frequency_pairs(H, couplings, lamb_shift=True):
    """sum_{w, w'} Gamma(w) (A(w) rho A(w')^dag - A(w')^dag A(w) rho) + h.c., with A(w) from the
    eigenprojectors (Breuer & Petruccione Eq. 3.118 in the Schrödinger picture)."""
    d = H.shape[0]
    E, V = np.linalg.eigh(H)
    P = [np.outer(V[:, a], V[:, a].conj()) for a in range(d)]
    eye = np.eye(d)
    L = -1j * (np.kron(eye, H) - np.kron(H.T, eye))
    for A, bath in couplings:
        pieces = []
        for a in range(d):
            for b in range(d):
                w = E[b] - E[a]
                Aw = P[a] @ A @ P[b]
                G = 0.5 * bath.rate(w) + (1j * bath.lamb_shift(w) if lamb_shift else 0.0)
                pieces.append((G, Aw))
        for G, Aw in pieces:
            for _, Aw2 in pieces:
                # G (Aw rho Aw2^dag - Aw2^dag Aw rho) + h.c.
                X = G * (np.kron(Aw2.conj(), Aw) - np.kron(eye, Aw2.conj().T @ Aw))
                L = L + X + X_hc(X, d)
    return L


def X_hc(X, d):
    """Superoperator of rho -> (X rho^dag)^dag... i.e. the map rho -> (X(rho))^dag for Hermitian rho."""
    # vec((X vec rho)^dag) with rho Hermitian: conj of X applied to conj(rho) = transpose(rho)
    perm = np.arange(d * d).reshape(d, d).T.ravel()
    return X.conj()[perm][:, perm]


def test_redfield_without_lamb_shift_matches_qutip():
    H, A1, A2 = model()
    red = qb.master.redfield(H, [(A1, HOT), (A2, COLD)], lamb_shift=False)
    R = qutip_tensor(H, [(A1, HOT), (A2, COLD)], -1)
    assert np.allclose(red.liouvillian(), R, atol=1e-13)
    # QuTiP's sec_cutoff is relative to the smallest non-zero Bohr frequency
    E = np.linalg.eigvalsh(H)
    dE = np.abs(E[:, None] - E[None, :])
    dw_min = dE[dE > 1e-9].min()
    for c in (0.3, 0.55, 1.0, 2.0):  # QuTiP keeps |dw| < cutoff, none of these sits on a gap
        ps = qb.master.partial_secular(H, [(A1, HOT), (A2, COLD)], c, lamb_shift=False)
        ref = qutip_tensor(H, [(A1, HOT), (A2, COLD)], c / dw_min)
        assert np.allclose(ps.liouvillian(), ref, atol=1e-13)


def test_redfield_dynamics_match_brmesolve():
    qutip = pytest.importorskip("qutip")
    H, A1, A2 = model()
    red = qb.master.redfield(H, [(A1, HOT), (A2, COLD)], lamb_shift=False)
    dims = [[2, 2], [2, 2]]
    rho0 = rand_dm(4, np.random.default_rng(3))
    t = np.linspace(0, 6, 13)
    ops = [np.kron(SZ, I2), np.kron(SX, SX)]
    ref = qutip.brmesolve(
        qutip.Qobj(H, dims=dims),
        qutip.Qobj(rho0, dims=dims),
        t,
        a_ops=[
            [qutip.Qobj(A1, dims=dims), lambda w: HOT.rate(w)],
            [qutip.Qobj(A2, dims=dims), lambda w: COLD.rate(w)],
        ],
        e_ops=[qutip.Qobj(o, dims=dims) for o in ops],
        sec_cutoff=-1,
        options={"atol": 1e-12, "rtol": 1e-10},
    )
    res = qb.mesolve(red, rho0, t, ops, rtol=1e-10, atol=1e-12)
    for k in range(2):
        assert np.allclose(res.expect[k], ref.expect[k], atol=1e-8)


def test_redfield_with_lamb_shift_matches_frequency_pair_sum():
    H, A1, A2 = model()
    red = qb.master.redfield(H, [(A1, HOT), (A2, COLD)], lamb_shift=True)
    ref = redfield_by_frequency_pairs(H, [(A1, HOT), (A2, COLD)])
    assert np.allclose(red.liouvillian(), ref, atol=1e-10)
    # the principal-value part matters: the tensors differ by more than rounding
    no_ls = qb.master.redfield(H, [(A1, HOT), (A2, COLD)], lamb_shift=False)
    assert np.abs(red.liouvillian() - no_ls.liouvillian()).max() > 1e-2


@pytest.mark.parametrize("lamb_shift", [False, True])
def test_partial_secular_zero_cutoff_is_davies(lamb_shift):
    H, A = qb.master.three_qubits(1.0, 0.4)  # degenerate spectrum (seed 004)
    bath = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)
    ps = qb.master.partial_secular(H, [(A, bath)], 0.0, lamb_shift=lamb_shift)
    gen = qb.davies(H, [(A, bath)], lamb_shift=lamb_shift)
    assert np.allclose(ps.liouvillian(), gen.liouvillian(), atol=1e-12)
    full = qb.master.partial_secular(H, [(A, bath)], np.inf, lamb_shift=lamb_shift)
    red = qb.master.redfield(H, [(A, bath)], lamb_shift=lamb_shift)
    assert np.allclose(full.liouvillian(), red.liouvillian(), atol=1e-14)


def test_redfield_tends_to_davies_at_weak_coupling():
    H, A1, A2 = model(0.3)
    out = []
    for alpha in (1e-3, 1e-4):
        hot = qb.OhmicBath(alpha=alpha, cutoff=5.0, temperature=2.0)
        cold = qb.OhmicBath(alpha=alpha, cutoff=5.0, temperature=0.5)
        cp = [(A1, hot), (A2, cold)]
        Jr = qb.thermo.heat_currents(
            qb.master.redfield(H, cp), qb.steady_state(qb.master.redfield(H, cp))
        )
        gd = qb.davies(H, cp)
        Jd = qb.thermo.heat_currents(gd, qb.steady_state(gd))
        out.append(abs(Jr[0] / Jd[0] - 1))
    assert out[1] < 0.2 * out[0] and out[1] < 1e-3


def test_local_matches_hand_written_lindblad():
    w1, w2, g = 1.0, 1.2, 0.05
    H = 0.5 * w1 * np.kron(SZ, I2) + 0.5 * w2 * np.kron(I2, SZ) + g * np.kron(SX, SX)
    H1, H2 = 0.5 * w1 * np.kron(SZ, I2), 0.5 * w2 * np.kron(I2, SZ)
    s1, s2 = np.kron(SM, I2), np.kron(I2, SM)
    for ls in (False, True):
        loc = qb.master.local_davies(
            H, [(np.kron(SX, I2), HOT, H1), (np.kron(I2, SX), COLD, H2)], lamb_shift=ls
        )
        c_ops, Hls = [], np.zeros((4, 4), complex)
        for s, w, b in ((s1, w1, HOT), (s2, w2, COLD)):
            c_ops += [np.sqrt(b.rate(w)) * s, np.sqrt(b.rate(-w)) * s.conj().T]
            if ls:
                Hls += b.lamb_shift(w) * s.conj().T @ s + b.lamb_shift(-w) * s @ s.conj().T
        ref = qb.solve.liouvillian((H + Hls, c_ops))
        assert np.allclose(loc.liouvillian(), ref, atol=1e-12)


def test_every_solver_accepts_them(rng):
    H, A1, A2 = model()
    cp = [(A1, HOT), (A2, COLD)]
    loc = qb.master.local_davies(
        H, [(A1, HOT, 0.5 * np.kron(SZ, I2)), (A2, COLD, 0.7 * np.kron(I2, SZ))]
    )
    gens = [qb.master.redfield(H, cp), qb.master.partial_secular(H, cp, 0.3), loc]
    rho0 = rand_dm(4, rng)
    for gen in gens:
        P = qb.propagator(gen, 2.0)
        res = qb.mesolve(gen, rho0, [0.0, 2.0], rtol=1e-10, atol=1e-12)
        assert np.allclose(P @ rho0.ravel(order="F"), res.final_state.ravel(order="F"), atol=1e-8)
        rho = qb.steady_state(gen)
        L = gen.liouvillian()
        assert np.abs(L @ rho.ravel(order="F")).max() < 1e-10
        J = qb.thermo.heat_currents(gen, rho)
        assert abs(J.sum()) < 1e-12
        for _ in range(3):
            r = rand_dm(4, rng)
            assert abs(qb.thermo.first_law_residual(gen, r)) < 1e-10
            dU = np.trace(H @ (L @ r.ravel(order="F")).reshape(4, 4, order="F")).real
            assert qb.thermo.heat_currents(gen, r).sum() == pytest.approx(dU, abs=1e-10)
    with pytest.raises(qb.InputError, match="GKSL form"):
        qb.mcsolve(gens[0], rho0, [0.0, 1.0], ntraj=2)
    res = qb.mcsolve(loc, np.array([1, 0, 0, 0]), [0.0, 1.0], ntraj=2)
    assert res.final_state.shape == (4, 4)


def test_random_redfield_first_law(rng):
    H = rand_herm(3, rng)
    cp = [(rand_herm(3, rng), HOT), (rand_herm(3, rng), COLD)]
    red = qb.master.redfield(H, cp)
    for _ in range(3):
        assert abs(qb.thermo.first_law_residual(red, rand_dm(3, rng))) < 1e-10


def test_bad_input():
    H, A1, A2 = model()
    with pytest.raises(qb.InputError, match="couplings"):
        qb.master.local_davies(H, [(A1, HOT)])
    with pytest.raises(qb.InputError, match=r"couplings\[0\]\[2\]"):
        qb.master.local_davies(H, [(A1, HOT, np.eye(2))])
    with pytest.raises(qb.InputError, match="cutoff"):
        qb.master.partial_secular(H, [(A1, HOT)], -1.0)
