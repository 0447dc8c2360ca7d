"""Plot helpers: they draw the data they are given, on the Axes they are given (Agg backend)."""

import sys

import numpy as np
import pytest

import qbath as qb
from conftest import rand_dm

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def qubit_run(rng, T=6, expect=()):
    states = np.stack([rand_dm(2, rng) for _ in range(T)])
    return qb.solve.Result(
        times=np.linspace(0, 1, T), states=states, expect=expect, final_state=states[-1]
    )


def spin_run(bloch):
    T = bloch.shape[0]
    physical = qb.spins.Physicality(True, 0.87, None, 0, None)
    return qb.spins.SpinResult(np.arange(float(T)), bloch, None, np.zeros((T, 3, 3)), physical, {})


def test_trajectory_draws_expectation_values_on_the_given_axes(rng):
    res = qubit_run(rng)
    fig, ax = plt.subplots()
    out = qb.plot.trajectory(res, expect={"Z": qb.sigmaz(), "X": qb.sigmax()}, ax=ax)
    assert out is ax
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    z, x = r"$\langle$Z$\rangle$", r"$\langle$X$\rangle$"
    assert set(lines) == {z, x}
    assert np.allclose(lines[z].get_ydata(), (res.states[:, 0, 0] - res.states[:, 1, 1]).real)
    assert np.allclose(lines[x].get_ydata(), 2 * res.states[:, 0, 1].real)
    assert np.allclose(lines[z].get_xdata(), res.times)
    assert ax.get_xlabel() == "time $t$" and ax.get_ylabel() == "expectation value"


def test_trajectory_draws_the_results_own_e_ops(rng):
    T = 6
    e0, e1 = rng.normal(size=T), rng.normal(size=T)
    ax = qb.plot.trajectory(qubit_run(rng, T, expect=[e0, e1]))
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert set(lines) == {r"$\langle O_{0}\rangle$", r"$\langle O_{1}\rangle$"}
    assert np.allclose(lines[r"$\langle O_{1}\rangle$"].get_ydata(), e1)
    named = qb.plot.trajectory(qubit_run(rng, T, expect={"H": e0}))
    assert [ln.get_label() for ln in named.get_lines()] == [r"$\langle$H$\rangle$"]
    assert named.get_legend() is not None


def test_trajectory_of_a_qubit_without_e_ops_draws_the_bloch_components(rng):
    res = qubit_run(rng)
    ax = qb.plot.trajectory(res)
    labels = [ln.get_label() for ln in ax.get_lines()]
    assert labels == [
        r"$\langle\sigma_x\rangle$",
        r"$\langle\sigma_y\rangle$",
        r"$\langle\sigma_z\rangle$",
    ]
    assert np.allclose(
        ax.get_lines()[2].get_ydata(), (res.states[:, 0, 0] - res.states[:, 1, 1]).real
    )


def test_trajectory_of_mcsolve_draws_a_standard_error_band():
    gen = qb.davies(
        0.5 * qb.sigmaz(), [(qb.sigmax(), qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5))]
    )
    res = qb.mcsolve(
        gen,
        qb.basis(2, 0),
        np.linspace(0, 2, 5),
        e_ops=[qb.sigmaz()],
        ntraj=8,
        seed=3,
    )
    ax = qb.plot.trajectory(res)
    assert np.allclose(ax.get_lines()[0].get_ydata(), res.expect[0])
    assert len(ax.collections) == 1  # the band


def test_trajectory_without_ax_and_of_a_dataset(rng):
    xr = pytest.importorskip("xarray")
    ds = qb.io.to_dataset(qubit_run(rng))
    ax = qb.plot.trajectory(ds)  # no expect_* variables: falls back to the l1 coherence
    assert [ln.get_label() for ln in ax.get_lines()] == [r"$C_{\ell_1}$"]
    assert ax.get_xlabel() == "time $t$" and ax.get_ylabel() == r"$C_{\ell_1}$"
    assert np.allclose(ax.get_lines()[0].get_ydata(), ds.l1_coherence.values)
    with pytest.raises(qb.InputError, match="variables: expected names of variables in the data"):
        qb.plot.trajectory(ds, ["nope"])
    assert isinstance(ds, xr.Dataset)


def test_trajectory_of_a_spin_result_plots_mean_components(rng):
    bloch = rng.uniform(-0.5, 0.5, size=(4, 3, 3))
    ax = qb.plot.trajectory(spin_run(bloch))
    labels = [ln.get_label() for ln in ax.get_lines()]
    assert labels == [r"$\bar s_x$", r"$\bar s_y$", r"$\bar s_z$"]
    assert np.allclose(ax.get_lines()[2].get_ydata(), bloch[:, :, 2].mean(axis=1))


def test_ledger_per_collision_and_cumulative(rng):
    n = 7
    res = qb.collision.CollisionResult(
        states=np.stack([rand_dm(2, rng) for _ in range(n + 1)]),
        method="exact",
        dt=0.1,
        h_s=np.zeros((n, 2, 2)),
        **{k: rng.normal(size=n) for k in qb.collision.LEDGER},
    )
    fig, (a1, a2) = plt.subplots(1, 2)
    qb.plot.ledger(res, ("delta_u", "heat", "switching_work", "not_a_ledger_array"), ax=a1)
    lines = {ln.get_label(): ln for ln in a1.get_lines() if not ln.get_label().startswith("_")}
    assert set(lines) == {r"$\Delta U$", r"$\Delta Q$", r"$W_{\rm sw}$"}  # unknown name: skipped
    assert a1.get_xlabel() == "collision $k$" and a1.get_ylabel() == "energy per collision"
    assert np.array_equal(lines[r"$\Delta Q$"].get_xdata(), np.arange(1, n + 1))
    assert np.allclose(lines[r"$\Delta Q$"].get_ydata(), res.heat)
    qb.plot.ledger(res, ax=a2, cumulative=True)
    lines = {ln.get_label(): ln for ln in a2.get_lines()}
    assert np.allclose(lines[r"$\Delta U$"].get_ydata(), np.cumsum(res.delta_u))
    with pytest.raises(
        qb.InputError, match="data: expected a collision result or Dataset with ledger arrays"
    ):
        qb.plot.ledger(qubit_run(rng))


def test_steady_state_map_2d_1d_and_array():
    xr = pytest.importorskip("xarray")
    kappa, beta = np.linspace(0, 1, 4), np.linspace(0.5, 2, 3)
    vals = np.add.outer(kappa, 10 * beta)
    ds = xr.Dataset({"c": (("kappa", "beta"), vals)}, coords={"kappa": kappa, "beta": beta})
    fig, ax = plt.subplots()
    assert qb.plot.steady_state_map(ds, "c", ax=ax) is ax
    mesh = ax.collections[0]
    assert np.allclose(np.asarray(mesh.get_array()).reshape(3, 4), vals.T)  # x along kappa
    assert ax.get_xlabel() == "kappa" and ax.get_ylabel() == "beta"
    assert len(fig.axes) == 2  # the colour bar
    ax2 = qb.plot.steady_state_map(ds, "c", x="beta", y="kappa", colorbar=False)
    assert np.allclose(np.asarray(ax2.collections[0].get_array()).reshape(4, 3), vals)
    ax3 = qb.plot.steady_state_map(ds.isel(beta=0))
    assert np.allclose(ax3.get_lines()[0].get_ydata(), vals[:, 0])
    ax4 = qb.plot.steady_state_map(vals, x=kappa, y=beta, variable="c")
    assert np.allclose(np.asarray(ax4.collections[0].get_array()).reshape(3, 4), vals.T)
    with pytest.raises(qb.InputError, match="variable: expected one of c, got 'd'"):
        qb.plot.steady_state_map(ds, "d")
    with pytest.raises(qb.InputError, match="expected a one- or two-parameter sweep"):
        qb.plot.steady_state_map(np.zeros((2, 2, 2)))


def test_bloch_path_from_states_vectors_and_spins(rng):
    res = qubit_run(rng)
    fig = plt.figure()
    ax = fig.add_subplot(projection="3d")
    assert qb.plot.bloch_path(res, ax=ax, label="run") is ax
    path = [ln for ln in ax.get_lines() if ln.get_label() == "run"][0]
    x, y, z = path.get_data_3d()
    s = qb.bloch_vector(res.states)
    assert np.allclose(np.stack([x, y, z], axis=1), s)
    ax2 = qb.plot.bloch_path(s, sphere=False)
    assert ax2.name == "3d" and len(ax2.get_lines()) == 1
    bloch = rng.uniform(-0.5, 0.5, size=(5, 3, 3))
    ax3 = qb.plot.bloch_path(spin_run(bloch), spin=2, sphere=False)
    assert np.allclose(np.stack(ax3.get_lines()[0].get_data_3d(), axis=1), bloch[:, 2])
    with pytest.raises(qb.InputError, match="ax: expected a 3-D Axes"):
        qb.plot.bloch_path(res, ax=plt.subplots()[1])
    with pytest.raises(qb.InputError, match="data: expected qubit states"):
        qb.plot.bloch_path(np.zeros((3, 4, 4)))


def test_missing_matplotlib_names_the_extra(monkeypatch, rng):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install \"qbath\[plot\]\""):
        qb.plot.trajectory(qubit_run(rng))
