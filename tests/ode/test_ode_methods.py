"""qbath.ode: every method on analytic problems, fitted convergence orders, tolerances, stiffness,
divergence diagnostics and input validation.

Reference problems (closed forms):

* damped oscillation  y' = (-g + i w) y,  y(t) = exp((-g + i w) t) y0  (complex state, any shape);
* driven decay  y' = -a y + cos(w t),  y(t) = (y0 - a/(a^2 + w^2)) e^{-a t}
  + (a cos(w t) + w sin(w t))/(a^2 + w^2)  (real, time-dependent right-hand side);
* stiff linear system  y' = A y with eigenvalues -1e4 and -1, y(t) = expm(A t) y0.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla
import scipy.sparse as sp

import qbath as qb
from qbath.ode import (
    BDF,
    DOP853,
    METHODS,
    RK4,
    Dopri5,
    IntegrationError,
    Method,
    StepSizeError,
    check_method,
    check_times,
    method_from_name,
)

G, W = 0.3, 2.0


def oscillator(t, y, out):
    np.multiply(-G + 1j * W, y, out=out)


def oscillator_exact(times, y0):
    return np.exp((-G + 1j * W) * times)[:, None, None] * y0


A_DRIVE, W_DRIVE = 0.7, 3.0


def driven(t, y, out):
    np.multiply(-A_DRIVE, y, out=out)
    out += np.cos(W_DRIVE * t)


def driven_exact(times, y0):
    a, w = A_DRIVE, W_DRIVE
    den = a * a + w * w
    t = np.asarray(times)[:, None]
    return (y0 - a / den) * np.exp(-a * t) + (a * np.cos(w * t) + w * np.sin(w * t)) / den


def run(method, f, y0, times, jac=None):
    out = []
    seen = []

    def observe(i, y):
        seen.append(i)
        out.append(np.array(y, copy=True))

    stats = method.integrate(f, y0, np.asarray(times, dtype=float), observe, jac=jac)
    assert seen == list(range(len(times)))  # once per output time, in order
    return np.array(out), stats


ALL = [
    Dopri5(rtol=1e-10, atol=1e-12),
    RK4(dt=1e-3),
    DOP853(rtol=1e-10, atol=1e-12),
    BDF(rtol=1e-9, atol=1e-12),
]


@pytest.mark.parametrize("method", ALL, ids=lambda m: m.name)
def test_damped_oscillation_complex_matrix_state(method):
    y0 = np.array([[1.0, 2.0 - 1j], [0.5j, -1.0]])
    times = np.linspace(0.0, 4.0, 9)
    jac = sp.identity(4, dtype=complex) * (-G + 1j * W)
    ys, stats = run(method, oscillator, y0, times, jac=jac)
    assert ys.shape == (9, 2, 2) and ys.dtype == complex
    assert np.abs(ys - oscillator_exact(times, y0)).max() < 1e-7
    assert stats.method == method.name and stats.nsteps > 0 and stats.nfev > 0


@pytest.mark.parametrize("method", ALL, ids=lambda m: m.name)
def test_time_dependent_driven_problem(method):
    y0 = np.array([1.0, -0.5, 0.0])
    times = np.array([0.0, 0.37, 1.0, 2.5, 5.0])  # not on any step grid: dense output / RK4 grid
    ys, _ = run(method, driven, y0, times)
    assert ys.dtype == float
    assert np.abs(ys - driven_exact(times, y0)).max() < 1e-7


def _order(errs, steps):
    return np.polyfit(np.log(steps), np.log(errs), 1)[0]


def test_rk4_fourth_order_on_time_dependent_problem():
    y0 = np.array([1.0])
    times = np.array([0.0, 2.0])
    dts = np.array([0.2, 0.1, 0.05, 0.025])
    errs = [
        abs(run(RK4(dt=h), driven, y0, times)[0][-1, 0] - driven_exact(times, y0)[-1, 0])
        for h in dts
    ]
    assert 3.8 < _order(errs, dts) < 4.2


@pytest.mark.parametrize(("cls", "low", "high"), [(Dopri5, 4.3, 5.7), (DOP853, 7.0, 9.0)])
def test_adaptive_methods_effective_order(cls, low, high):
    """Global error against the mean step over a range of tolerances: slope = the order."""
    y0 = np.ones((1, 1), dtype=complex)
    times = np.array([0.0, 20.0])
    ref = oscillator_exact(times, y0)[-1]
    errs, steps = [], []
    for rtol in np.geomspace(1e-5, 1e-11, 5):
        ys, st = run(cls(rtol=rtol, atol=1e-16), oscillator, y0, times)
        errs.append(np.abs(ys[-1] - ref).max())
        steps.append(20.0 / st.nsteps)
    assert low < _order(errs, steps) < high


@pytest.mark.parametrize("cls", [Dopri5, DOP853, BDF])
def test_tolerances_honoured(cls):
    y0 = np.array([[1.0 + 0.5j]])
    times = np.linspace(0.0, 3.0, 7)
    ref = oscillator_exact(times, y0)
    previous = np.inf
    for rtol in (1e-4, 1e-6, 1e-8):
        ys, _ = run(cls(rtol=rtol, atol=rtol * 1e-2), oscillator, y0, times)
        err = np.abs(ys - ref).max()
        assert err < 30 * rtol
        assert err < previous
        previous = err


def test_bdf_on_stiff_problem_and_explicit_budget():
    A = np.array([[-1e4, 0.0], [1.0, -1.0]])
    y0 = np.array([1.0, 1.0])
    times = np.array([0.0, 1.0, 10.0])
    ref = np.array([sla.expm(A * t) @ y0 for t in times])

    def f(t, y, out):
        out[...] = A @ y

    ys, stats = run(BDF(rtol=1e-8, atol=1e-12), f, y0, times, jac=sp.csr_matrix(A))
    assert np.abs(ys - ref).max() < 1e-7
    assert stats.nsteps < 1000 and stats.nlu > 0  # explicit methods need ~36000 steps (h < 2.8e-4)
    with pytest.raises(IntegrationError, match=r"max_steps=200.*BDF") as err:
        run(Dopri5(max_steps=200), f, y0, times)
    assert 0.0 < err.value.t < 10.0


def test_rk4_unstable_step_names_dt_and_limit():
    def f(t, y, out):
        np.multiply(-100.0, y, out=out)

    with pytest.raises(StepSizeError, match=r"dt: RK4\(dt=0.1\) is unstable.*stability limit") as e:
        run(RK4(dt=0.1), f, np.array([1.0]), [0.0, 50.0])
    assert isinstance(e.value, qb.InputError) and isinstance(e.value, IntegrationError)
    assert e.value.args == (str(e.value),) and 0 < e.value.t < 50.0
    assert "below ~0.0278" in str(e.value)  # 2.785 / 100
    ys, _ = run(RK4(dt=0.02), f, np.array([1.0]), [0.0, 1.0])  # within the limit: fine
    assert abs(ys[-1, 0] - np.exp(-100.0)) < 1e-8


def test_rk4_growing_solution_is_not_an_error():
    def f(t, y, out):
        out[...] = y

    ys, _ = run(RK4(dt=1e-2), f, np.array([1.0]), [0.0, 25.0])
    assert abs(ys[-1, 0] / np.exp(25.0) - 1) < 1e-6


def test_rk4_diverging_solution_within_stability_limit():
    def f(t, y, out):  # y' = y^2 blows up at t = 1
        np.multiply(y, y, out=out)

    with np.errstate(over="ignore"), pytest.raises(IntegrationError, match="itself diverges"):
        run(RK4(dt=1e-3), f, np.array([1.0]), [0.0, 2.0])


def test_non_finite_rhs_stops_adaptive_methods():
    def f(t, y, out):
        out[...] = np.nan if t > 1.0 else -y

    for method in (Dopri5(), DOP853()):
        with pytest.raises(IntegrationError) as err:
            run(method, f, np.array([1.0]), [0.0, 2.0])
        assert 0.9 < err.value.t <= 2.0


def test_single_time_returns_initial_state():
    for method in ALL:
        ys, stats = run(method, oscillator, np.ones((1, 1), dtype=complex), [0.5])
        assert ys.shape == (1, 1, 1) and ys[0, 0, 0] == 1 and stats.nfev == 0


def test_registry_and_names():
    assert set(METHODS) == {"dopri5", "rk4", "dop853", "bdf"}
    for name, cls in METHODS.items():
        opts = {"dt": 0.1} if name == "rk4" else {"rtol": 1e-7}
        m = method_from_name(name, **opts)
        assert isinstance(m, cls) and isinstance(m, Method) and m.name == name
        assert m.options()["name"] == name
    assert qb.Dopri5 is Dopri5 and qb.RK4 is RK4 and qb.DOP853 is DOP853 and qb.BDF is BDF
    assert Dopri5() == Dopri5(rtol=1e-6, atol=1e-8, max_steps=100_000)  # the documented defaults
    assert DOP853() == DOP853(rtol=1e-6, atol=1e-8) and BDF() == BDF(rtol=1e-6, atol=1e-8)
    with pytest.raises(AttributeError):
        Dopri5().rtol = 1e-3  # frozen


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Dopri5(rtol=0.0), "rtol"),
        (lambda: Dopri5(rtol=1.0), "rtol: expected a relative tolerance 0 < rtol < 1"),
        (lambda: DOP853(rtol=-1e-6), "rtol"),
        (lambda: BDF(rtol=1e-6 + 0j), "rtol: expected a real number"),
        (lambda: Dopri5(rtol="1e-6"), "rtol: expected a real number"),
        (lambda: Dopri5(atol=0.0), "atol: expected a value > 0"),
        (lambda: Dopri5(atol=float("nan")), "atol"),
        (lambda: Dopri5(max_steps=0), "max_steps: expected an integer >= 1"),
        (lambda: Dopri5(max_steps=10.0), "max_steps: expected an integer"),
        (lambda: BDF(max_steps=True), "max_steps: expected an integer"),
        (lambda: RK4(dt=0.0), "dt: expected a value > 0"),
        (lambda: RK4(dt=-1.0), "dt"),
        (lambda: RK4(dt=0.1j), "dt: expected a real number"),
        (lambda: RK4(dt="0.1"), "dt: expected a real number"),
        (lambda: Dopri5(atol=True), "atol: expected a real number"),
        (lambda: method_from_name("euler"), "method: expected one of"),
        (lambda: method_from_name("rk4"), "method 'rk4': bad options"),
        (lambda: method_from_name("bdf", dt=0.1), "method 'bdf': bad options"),
        (lambda: check_method("dopri5"), r"method_from_name\('dopri5'"),
        (lambda: check_method(None), "method: expected a method object"),
    ],
)
def test_bad_options_refused(make, match):
    with pytest.raises(qb.InputError, match=match):
        make()


@pytest.mark.parametrize(
    ("times", "match"),
    [
        ([0.0, 1.0, 1.0], "strictly increasing"),
        ([0.0, 2.0, 1.0], "strictly increasing"),
        ([], "at least 1 times"),
        ([[0.0, 1.0]], "at most 1 dimension"),
        ([0.0, np.nan], "finite"),
        ([0.0, np.inf], "finite"),
        ([0.0, 1.0 + 0j], "expected real times"),
        ([False, True], "expected real times"),
        (["0", "1"], "expected real times"),
    ],
)
def test_check_times_refuses(times, match):
    with pytest.raises(qb.InputError, match=match):
        check_times(times)


def test_check_times_accepts():
    assert check_times([3]).tolist() == [3.0]
    t = check_times(np.arange(5))
    assert t.dtype == float and t.tolist() == [0, 1, 2, 3, 4]
    assert check_times([-1.0, 0.5]).tolist() == [-1.0, 0.5]


def test_every_method_reaches_the_spin_and_drive_solvers():
    """The same method objects drive meanfield (BDF with its analytic Jacobian), cumulant, exact
    and the D-S-T dynamics; all agree with the default method."""
    qs = qb.spins
    rng = np.random.default_rng(2)
    m = qs.SpinModel(rng.normal(size=(3, 3)), 0.1 * rng.normal(size=(3, 3, 3, 3)), 0.2)
    t = np.linspace(0.0, 0.5, 6)
    methods = [BDF(rtol=1e-10, atol=1e-12), Dopri5(rtol=1e-10, atol=1e-12), RK4(dt=2e-3)]
    for solver in (qs.meanfield, qs.cumulant, qs.exact):
        ref = solver(m, [0, 0, 1.0], t).bloch
        for method in methods:
            r = solver(m, [0, 0, 1.0], t, method=method)
            assert np.abs(r.bloch - ref).max() < 1e-6 and r.meta["method"] == method.name
    drive_t = np.linspace(0.0, 2.0, 11)
    proto = (np.pi / 2, 0.0, np.pi / 2, lambda s: 0.5 * s)
    ref = qb.drive.dst_dynamics(*proto, drive_t).work
    for method in methods:
        work = qb.drive.dst_dynamics(*proto, drive_t, method=method).work
        assert np.abs(work - ref).max() < 1e-7
    with pytest.raises(qb.InputError, match="method: expected a method object"):
        qs.meanfield(m, [0, 0, 1.0], t, method="DOP853")
