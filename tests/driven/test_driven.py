"""Driven open systems: the list form, closed forms, Floquet and adiabatic generators.

References are independent of the code under test: closed forms (Rabi oscillations under the
rotating-wave approximation, the Landau--Zener formula, the optical Bloch equations), eigenphases
of a one-period propagator built as a product of short-time matrix exponentials, and QuTiP 5's
``mesolve``, ``sesolve`` and ``fmmesolve`` as test-only references.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import qbath as qb

SX, SY, SZ, SM = qb.sigmax(), qb.sigmay(), qb.sigmaz(), qb.sigmam()
UP, DOWN = qb.basis(2, 0), qb.basis(2, 1)
TIGHT = qb.Dopri5(rtol=1e-9, atol=1e-11)


def _random_hermitian(rng, d):
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    return (a + a.conj().T) / 2


def _piecewise_propagator(Hf, t0, t1, n):
    """U(t1, t0) as a product of exp(-i H(t_mid) dt): second order in dt, written independently."""
    ts = np.linspace(t0, t1, n + 1)
    U = np.eye(Hf(t0).shape[0], dtype=complex)
    for a, b in zip(ts[:-1], ts[1:], strict=True):
        U = sla.expm(-1j * Hf(0.5 * (a + b)) * (b - a)) @ U
    return U


# -- coefficients -------------------------------------------------------------------------------


def test_coefficient_kinds_give_the_same_evolution():
    w = 1.3
    tl = np.linspace(0, 4, 401)
    H0, H1 = 0.5 * SZ, 0.4 * SX
    ref = qb.sesolve([H0, [H1, lambda t: np.cos(w * t)]], DOWN, tl, e_ops=[SZ], method=TIGHT)
    with_args = qb.sesolve(
        [H0, [H1, lambda t, args: np.cos(args["w"] * t)]],
        DOWN,
        tl,
        e_ops=[SZ],
        args={"w": w},
        method=TIGHT,
    )
    sampled = qb.sesolve([H0, [H1, np.cos(w * tl)]], DOWN, tl, e_ops=[SZ], method=TIGHT)
    const = qb.sesolve([H0, [H1, 0.7]], DOWN, tl, e_ops=[SZ], method=TIGHT)
    static = qb.sesolve(H0 + 0.7 * H1, DOWN, tl, e_ops=[SZ], method=TIGHT)
    np.testing.assert_allclose(with_args.expect[0], ref.expect[0], atol=1e-10)
    np.testing.assert_allclose(sampled.expect[0], ref.expect[0], atol=2e-6)  # cubic spline, dt=0.01
    np.testing.assert_allclose(const.expect[0], static.expect[0], atol=1e-8)


def test_step_interpolation_is_piecewise_constant():
    tl = np.array([0.0, 1.0, 2.0])
    U = qb.propagator(
        [0 * SZ, [SX, np.array([0.3, 0.8, 0.5])]], 2.0, coeff_tlist=tl, interpolation="step"
    )
    # piecewise constant: 0.3 on [0, 1), 0.8 on [1, 2)
    np.testing.assert_allclose(U, sla.expm(-0.8j * SX) @ sla.expm(-0.3j * SX), atol=1e-8)


@pytest.mark.parametrize(
    "coeff, fragment",
    [
        ("cos(t)", "string coefficients are not supported"),
        (True, "got bool"),
        (np.array([1.0, 2.0]), "shape (5,)"),
        (lambda: 1.0, "f(t) or f(t, args)"),
        (object(), "expected a number, a callable"),
    ],
)
def test_bad_coefficients_are_refused(coeff, fragment):
    with pytest.raises(qb.InputError, match="H\\[1\\]\\[1\\]") as err:
        qb.mesolve([SZ, [SX, coeff]], DOWN, np.linspace(0, 1, 5))
    assert fragment in str(err.value)


# -- closed forms -------------------------------------------------------------------------------


def test_resonant_rabi_oscillations_under_rwa():
    w0, om = 1.0, 0.01  # weak drive: Bloch-Siegert corrections ~ om / w0
    tl = np.linspace(0, 2 * np.pi / om, 101)
    H = [0.5 * w0 * SZ, [SX, lambda t: om * np.cos(w0 * t)]]
    pe = qb.mesolve(
        H, qb.ket2dm(DOWN), tl, e_ops=[qb.ket2dm(UP)], method=qb.Dopri5(rtol=1e-8, atol=1e-10)
    )
    np.testing.assert_allclose(pe.expect[0], np.sin(om * tl / 2) ** 2, atol=2e-3)
    ket = qb.sesolve(H, DOWN, tl, e_ops=[qb.ket2dm(UP)], method=qb.Dopri5(rtol=1e-8, atol=1e-10))
    np.testing.assert_allclose(ket.expect[0], pe.expect[0], atol=1e-6)


@pytest.mark.slow
def test_landau_zener_transition_probability():
    v, delta, T = 1.0, 0.6, 40.0
    H = [0.5 * delta * SX, [0.5 * SZ, lambda t, a: a["v"] * t]]

    def Hf(t):
        return 0.5 * delta * SX + 0.5 * v * t * SZ

    _, V0 = np.linalg.eigh(Hf(-T))
    res = qb.sesolve(
        H,
        V0[:, 0],
        np.array([-T, T]),
        args={"v": v},
        method=qb.Dopri5(rtol=1e-8, atol=1e-10, max_steps=10**6),
    )
    _, V1 = np.linalg.eigh(Hf(T))
    p_excited = abs(V1[:, 1].conj() @ res.final_state) ** 2  # a diabatic passage ends excited
    assert p_excited == pytest.approx(np.exp(-np.pi * delta**2 / (2 * v)), abs=1e-3)


def test_driven_damped_qubit_reaches_the_optical_bloch_steady_state():
    w0, om, det, gamma = 10.0, 0.3, 0.1, 0.2
    w = w0 - det
    H = [0.5 * w0 * SZ, [SX, lambda t: om * np.cos(w * t)]]
    tl = np.linspace(60.0, 60.0 + 2 * np.pi / w * 40, 801)
    res = qb.mesolve(
        H,
        qb.ket2dm(DOWN),
        np.concatenate([[0.0], tl]),
        c_ops=[np.sqrt(gamma) * SM],
        e_ops=[qb.ket2dm(UP)],
        method=qb.Dopri5(rtol=1e-8, atol=1e-10),
    )
    pe = res.expect[0][1:].mean()
    # RWA: H' = -(det/2) sz + (om/2) sx, Lindblad sqrt(gamma) sm
    closed = (om**2 / 4) / (det**2 + gamma**2 / 4 + om**2 / 2)
    assert pe == pytest.approx(closed, rel=2e-2)
    L = qb.solve.liouvillian((-(det / 2) * SZ + (om / 2) * SX, [np.sqrt(gamma) * SM]))
    rwa = sla.null_space(L)[:, 0].reshape(2, 2, order="F")
    assert (rwa[0, 0] / np.trace(rwa)).real == pytest.approx(closed, rel=1e-9)


def test_floquet_quasienergies_against_propagator_and_rwa():
    w0, g, w = 1.0, 0.04, 0.96
    T = 2 * np.pi / w
    H = [0.5 * w0 * SZ, [SX, lambda t: g * np.cos(w * t)]]
    eps, modes = qb.floquet_modes(H, T)
    U = _piecewise_propagator(lambda t: 0.5 * w0 * SZ + g * np.cos(w * t) * SX, 0.0, T, 4000)
    phases = np.sort(np.mod(-np.angle(np.linalg.eigvals(U)) / T + np.pi / T, w) - np.pi / T)
    np.testing.assert_allclose(eps, phases, atol=1e-6)
    for a in range(2):  # U(T) phi_a = exp(-i eps_a T) phi_a
        np.testing.assert_allclose(
            U @ modes[:, a], np.exp(-1j * eps[a] * T) * modes[:, a], atol=1e-5
        )
    rabi = np.hypot(w0 - w, g)
    rwa = np.sort(np.mod(np.array([0.5 * (w + rabi), 0.5 * (w - rabi)]) + np.pi / T, w) - np.pi / T)
    np.testing.assert_allclose(eps, rwa, atol=g**2 / w)  # Bloch-Siegert shift ~ g^2 / (4 w)
    assert np.all(eps >= -np.pi / T) and np.all(eps < np.pi / T)


# -- QuTiP as reference ---------------------------------------------------------------------------


@pytest.mark.parametrize("d, kind", [(2, "callable"), (4, "array"), (8, "callable"), (16, "array")])
def test_random_driven_problems_match_qutip(d, kind):
    qt = pytest.importorskip("qutip")
    rng = np.random.default_rng(d)
    H0, H1 = _random_hermitian(rng, d), _random_hermitian(rng, d)
    L0 = 0.3 * (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) / np.sqrt(d)
    L1 = 0.3 * rng.normal(size=(d, d)) / np.sqrt(d)
    tl = np.linspace(0, 3, 61)
    f = lambda t: np.cos(2 * t) + 0.3 * t  # noqa: E731
    g = lambda t: 0.5 + 0.4 * np.sin(t)  # noqa: E731
    cf, cg = (f, g) if kind == "callable" else (f(tl), g(tl))
    psi0 = rng.normal(size=d) + 1j * rng.normal(size=d)
    psi0 /= np.linalg.norm(psi0)
    opts = {"atol": 1e-11, "rtol": 1e-9}
    ours = qb.mesolve([H0, [H1, cf]], qb.ket2dm(psi0), tl, c_ops=[L0, [L1, cg]], method=TIGHT)
    cq = (lambda t: f(t), lambda t: g(t)) if kind == "callable" else (f(tl), g(tl))
    kw = {} if kind == "callable" else {"tlist": tl}
    Hq = qt.QobjEvo([qt.Qobj(H0), [qt.Qobj(H1), cq[0]]], **kw)
    Cq = qt.QobjEvo([qt.Qobj(L1), cq[1]], **kw)
    ref = qt.mesolve(Hq, qt.ket2dm(qt.Qobj(psi0)), tl, [qt.Qobj(L0), Cq], options=opts)
    err = max(np.abs(ours.states[i] - ref.states[i].full()).max() for i in range(len(tl)))
    assert err < (1e-7 if kind == "callable" else 1e-5)  # splines of the two libraries differ
    kets = qb.sesolve([H0, [H1, cf]], psi0, tl, method=TIGHT)
    kref = qt.sesolve(Hq, qt.Qobj(psi0), tl, options=opts)
    kerr = max(np.abs(kets.states[i] - kref.states[i].full().ravel()).max() for i in range(len(tl)))
    assert kerr < (1e-7 if kind == "callable" else 1e-5)


def test_floquet_davies_matches_qutip_fmmesolve_steady_state():
    qt = pytest.importorskip("qutip")
    w0, g, w, g0 = 1.0, 0.3, 0.9, 0.05
    T = 2 * np.pi / w
    gen = qb.floquet_davies(
        [0.5 * w0 * SZ, [SX, lambda t: g * np.cos(w * t)]],
        T,
        [(SX, qb.CustomBath(lambda x: g0 * x, temperature=0.0))],
        n_harmonics=5,
    )
    ss = qb.steady_state(gen)
    Hq = [qt.Qobj(0.5 * w0 * SZ), [qt.Qobj(SX), lambda t: g * np.cos(w * t)]]
    ref = qt.fmmesolve(
        Hq,
        qt.ket2dm(qt.basis(2, 0)),
        np.arange(0, 400) * T,
        [qt.sigmax()],
        [lambda x: g0 * x / (2 * np.pi) * (x > 0)],
        T,
        options={"progress_bar": ""},
    )
    np.testing.assert_allclose(ss, ref.states[-1].full(), atol=1e-5)


def test_floquet_davies_several_baths_and_zero_drive_is_gibbs():
    w0, w, beta = 1.0, 0.7, 2.0
    T = 2 * np.pi / w
    bath = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=1 / beta)
    gen = qb.floquet_davies(
        [0.5 * w0 * SZ, [SX, lambda t: 0.0 * np.cos(w * t)]],
        T,
        [(SX, bath), (SY, bath)],
        n_harmonics=4,
    )
    np.testing.assert_allclose(
        qb.steady_state(gen), qb.thermal_state(0.5 * w0 * SZ, beta), atol=1e-9
    )
    # two baths at different temperatures under a drive: a valid state, periodic in the lab frame
    hot = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=2.0)
    gen2 = qb.floquet_davies(
        [0.5 * w0 * SZ, [SX, lambda t: 0.2 * np.cos(w * t)]],
        T,
        [(SX, bath), (SZ, hot)],
        n_harmonics=8,
    )
    rho = qb.steady_state(gen2)
    lab = gen2.lab_state(rho, [0.0, T / 3, T])
    np.testing.assert_allclose(lab[0], rho, atol=1e-9)
    np.testing.assert_allclose(lab[2], rho, atol=1e-7)
    for r in lab:
        assert np.trace(r).real == pytest.approx(1.0, abs=1e-10)
        assert np.linalg.eigvalsh(r).min() > -1e-10


# -- invariants, generators, propagators -----------------------------------------------------------


def test_driven_states_stay_physical():
    rng = np.random.default_rng(7)
    d = 6
    H0, H1 = _random_hermitian(rng, d), _random_hermitian(rng, d)
    L = [0.4 * rng.normal(size=(d, d)) / np.sqrt(d) for _ in range(2)]
    res = qb.mesolve(
        [H0, [H1, lambda t: np.sin(3 * t)]],
        qb.ket2dm(qb.basis(d, 0)),
        np.linspace(0, 5, 26),
        c_ops=[L[0], [L[1], lambda t: np.exp(-t)]],
    )
    for r in res.states:
        assert abs(np.trace(r) - 1) < 1e-9
        assert np.abs(r - r.conj().T).max() < 1e-12
        assert np.linalg.eigvalsh(r).min() > -1e-7


def test_drive_on_top_of_a_davies_generator_equals_its_explicit_form():
    H, A = qb.master.three_qubits(omega0=1.0, coupling_zz=0.4)
    gen = qb.davies(H, [(A, qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5))])
    drive = qb.embed(SX, 0, [2, 2, 2])
    f = lambda t: 0.2 * np.cos(1.1 * t)  # noqa: E731
    tl = np.linspace(0, 8, 17)
    rho0 = qb.ket2dm(qb.basis(8, 3))
    a = qb.mesolve([gen, [drive, f]], rho0, tl, method=TIGHT)
    b = qb.mesolve([gen.hamiltonian, [drive, f]], rho0, tl, c_ops=gen.c_ops(), method=TIGHT)
    np.testing.assert_allclose(a.states, b.states, atol=1e-8)


def test_adiabatic_davies_reduces_to_davies_for_constant_h():
    H, A = qb.master.three_qubits(omega0=1.0, coupling_zz=0.4)
    bath = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)
    ame = qb.adiabatic_davies(lambda t: H, [(A, bath)], interval=(0.0, 5.0))
    tl = np.linspace(0, 5, 11)
    rho0 = qb.ket2dm(qb.basis(8, 0))
    a = qb.mesolve(ame, rho0, tl, method=TIGHT)
    b = qb.mesolve(qb.davies(H, [(A, bath)], lamb_shift=False), rho0, tl, method=TIGHT)
    np.testing.assert_allclose(a.states, b.states, atol=1e-8)


def test_adiabatic_davies_warns_on_fast_driving_and_crossings():
    bath = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)
    with pytest.warns(qb.QbathWarning, match="not slow"):
        qb.adiabatic_davies(lambda t: 0.5 * SZ + 2.0 * t * SX, [(SX, bath)], interval=(0, 1))
    with pytest.warns(qb.QbathWarning, match="crossing"):
        qb.adiabatic_davies(lambda t: 0.5 * t * SZ, [(SX, bath)], interval=(-1, 1), n_check=21)


def test_time_dependent_propagators():
    rng = np.random.default_rng(3)
    d = 3
    H0, H1 = _random_hermitian(rng, d), _random_hermitian(rng, d)
    H = [H0, [H1, lambda t: np.cos(t)]]
    U = qb.propagator(H, [0.5, 2.0])
    ref = _piecewise_propagator(lambda t: H0 + np.cos(t) * H1, 0.0, 2.0, 4000)
    np.testing.assert_allclose(U[1], ref, atol=2e-6)
    np.testing.assert_allclose(U[0].conj().T @ U[0], np.eye(d), atol=1e-9)
    L = 0.3 * rng.normal(size=(d, d))
    S = qb.propagator(H, 2.0, [[L, lambda t: 1 + 0.5 * t]])
    rho0 = qb.ket2dm(qb.basis(d, 1))
    me = qb.mesolve(H, rho0, [0.0, 2.0], c_ops=[[L, lambda t: 1 + 0.5 * t]], method=TIGHT)
    np.testing.assert_allclose(
        (S @ rho0.ravel(order="F")).reshape(d, d, order="F"), me.final_state, atol=1e-8
    )
    ks = qb.generators.kraus_from_superop(S)  # Kraus operators of the time-dependent map
    np.testing.assert_allclose(sum(k.conj().T @ k for k in ks), np.eye(d), atol=1e-8)
    np.testing.assert_allclose(sum(k @ rho0 @ k.conj().T for k in ks), me.final_state, atol=1e-8)


@pytest.mark.parametrize("method, order", [(qb.RK4, 4)])
def test_convergence_order_on_a_driven_problem(method, order):
    H = [0.5 * SZ, [SX, lambda t: 0.8 * np.cos(1.7 * t)]]
    tl = np.array([0.0, 3.0])
    ref = qb.sesolve(H, DOWN, tl, method=qb.Dopri5(rtol=1e-12, atol=1e-14)).final_state
    dts = np.array([0.2, 0.1, 0.05])
    errs = [
        np.abs(qb.sesolve(H, DOWN, tl, method=method(dt=dt)).final_state - ref).max() for dt in dts
    ]
    slope = np.polyfit(np.log(dts), np.log(errs), 1)[0]
    assert slope == pytest.approx(order, abs=0.3)


@pytest.mark.parametrize("n_spins", [3, 6])  # dense (d = 8) and sparse (d = 64) paths
def test_driven_right_hand_side_equals_the_superoperator(n_spins):
    """The in-place updated right-hand side against L(t) built as an explicit superoperator."""
    from qbath.solve._tdsolve import td_generator

    rng = np.random.default_rng(n_spins)
    dims = [2] * n_spins
    H0 = sum(qb.embed(SX, i, dims) @ qb.embed(SX, i + 1, dims) for i in range(n_spins - 1))
    H1 = sum(qb.embed(SX, i, dims) for i in range(n_spins))
    c = [qb.embed(SM, i, dims) for i in range(n_spins)]
    L1 = qb.embed(SZ, 1, dims)
    f, g = (lambda t: np.cos(t)), (lambda t: 0.3 + t)
    d = 2**n_spins
    A = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    rho = A @ A.conj().T / np.trace(A @ A.conj().T)
    res = qb.mesolve([H0, [H1, f]], rho, [0.0, 1e-9], c_ops=c + [[L1, g]])
    assert res.meta["time_dependent"]
    form, terms = td_generator([H0, [H1, f]], c + [[L1, g]])
    from qbath.solve._tdsolve import DrivenMatrixFormRHS

    rhs = DrivenMatrixFormRHS(form, terms)
    out = np.empty((d, d), complex)

    for t in (0.3, 1.1, 0.3):  # repeated calls: the in-place update must not accumulate
        Ht = H0 + f(t) * H1
        ref = -1j * (Ht @ rho - rho @ Ht)
        for L, w in [(x, 1.0) for x in c] + [(L1, abs(g(t)) ** 2)]:
            LdL = L.conj().T @ L
            ref += w * (L @ rho @ L.conj().T - 0.5 * (LdL @ rho + rho @ LdL))
        rhs(t, rho, out)
        np.testing.assert_allclose(out, ref, atol=1e-13)


def test_mcsolve_takes_the_list_form():
    """A list form with constant coefficients (integrated trajectories) agrees with the constant
    problem (exact no-jump evolution) within error bars."""
    tl = np.linspace(0.0, 4.0, 9)
    a = qb.mcsolve([SZ, [SX, lambda t: 1.0]], DOWN, tl, c_ops=[SM], e_ops=[SZ], ntraj=200, seed=1)
    b = qb.mcsolve(SZ + SX, DOWN, tl, c_ops=[SM], e_ops=[SZ], ntraj=200, seed=2)
    sigma = np.hypot(a.expect_std_err[0], b.expect_std_err[0])
    assert np.all(np.abs(a.expect[0] - b.expect[0]) <= 4 * sigma + 1e-6)
