"""Shaded unphysical ranges: where a trajectory's states are not density matrices, checked against
eigenvalues computed here (closed form, numpy's general eigenvalue routine, two-spin marginals)."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
from cli_helpers import EXAMPLES

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LABEL = "unphysical (ρ not positive)"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def runs(x, bad):
    """(first, last) x of each run of consecutive True samples, written as a plain loop."""
    out, start = [], None
    for i, b in enumerate(bad):
        if b and start is None:
            start = i
        if not b and start is not None:
            out.append((x[start], x[i - 1]))
            start = None
    if start is not None:
        out.append((x[start], x[len(bad) - 1]))
    return out


def same(got, want):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return got.shape == want.shape and np.allclose(got, want, rtol=0, atol=1e-12)


def spans(ax):
    """(x0, x1) of each axvspan patch and its label."""
    out = []
    for p in ax.patches:
        xy = np.asarray(p.get_xy() if hasattr(p, "get_xy") and not hasattr(p, "get_width") else [])
        if hasattr(p, "get_width"):
            x0, x1 = p.get_x(), p.get_x() + p.get_width()
        else:
            x0, x1 = xy[:, 0].min(), xy[:, 0].max()
        out.append((x0, x1, p.get_label()))
    return out


def test_shaded_ranges_are_where_the_closed_form_eigenvalue_is_negative():
    t = np.linspace(0.0, 10.0, 201)
    # rho = diag(1 - q, q): eigenvalue q < 0 on (pi/2, 3pi/2) and (5pi/2, 7pi/2)
    q = 0.02 * np.cos(t)
    states = np.zeros((t.size, 2, 2), dtype=complex)
    states[:, 0, 0], states[:, 1, 1] = 1 - q, q
    res = qb.solve.Result(times=t, states=states, expect=[], final_state=states[-1])
    want = runs(t, q < -1e-8)
    assert len(want) == 2 and abs(want[0][0] - np.pi / 2) < 0.05
    assert same(qb.plot.unphysical_intervals(res), want)
    ax = qb.plot.trajectory(res, expect={"Z": qb.sigmaz()})
    got = spans(ax)
    assert same([(a, b) for a, b, _ in got], want)
    labels = [lab for *_, lab in got if lab and not lab.startswith("_")]
    assert labels == [LABEL]
    assert LABEL in [txt.get_text() for txt in ax.get_legend().get_texts()]
    # nothing to shade for density matrices, and the shading can be switched off
    ok = qb.solve.Result(times=t, states=np.abs(states), expect=[], final_state=states[-1])
    assert qb.plot.unphysical_intervals(ok) == []
    assert spans(qb.plot.trajectory(res, shade_unphysical=False, expect={"Z": qb.sigmaz()})) == []


def test_second_order_collision_run_is_shaded_where_its_states_have_negative_eigenvalues(tmp_path):
    pytest.importorskip("xarray")
    cfg = qb.config.load_config(
        EXAMPLES / "collision_example2.toml",
        {
            "solver.map": "second_order",
            "model.dt": 0.4,
            "model.kappa": 1.0,
            "solver.n_collisions": 40,
            "output.states": True,
        },
    )
    with pytest.warns(qb.PositivityWarning):
        ds = qb.config.run_config(cfg)
    lam = np.array([np.linalg.eigvals(r).real.min() for r in ds["states"].values])
    want = runs(ds["collision"].values.astype(float), lam < -1e-8)
    assert want and want[0][0] >= 1
    assert same(qb.plot.unphysical_intervals(ds), want)
    fig, ax = plt.subplots()
    qb.plot.trajectory(ds, ax=ax)
    assert same([(a, b) for a, b, _ in spans(ax)], want)
    fig.savefig(tmp_path / "second_order.png")
    # the exact map keeps every state positive: nothing shaded
    exact = qb.config.run_config(
        qb.config.load_config(EXAMPLES / "collision_example2.toml", {"solver.n_collisions": 40})
    )
    assert float(exact["min_eigenvalue"].min()) > -1e-12
    assert qb.plot.unphysical_intervals(exact) == []


_P = [np.eye(2), qb.sigmax(), qb.sigmay(), qb.sigmaz()]


def _first_unphysical_time(ds, tol=1e-6):
    """Earliest time at which a Bloch vector is longer than 1 or a two-spin marginal
    rho_ij = (1/4) sum T_mn sigma_m x sigma_n has a negative eigenvalue."""
    s, c = ds["bloch"].values, ds["correlations"].values
    n = s.shape[1]
    for k, t in enumerate(ds["time"].values):
        if np.any(np.linalg.norm(s[k], axis=-1) > 1 + tol):
            return t
        for i in range(n):
            for j in range(i + 1, n):
                T = np.ones((4, 4))
                T[1:, 0], T[0, 1:], T[1:, 1:] = s[k, i], s[k, j], c[k, i, j]
                rho = sum(T[m, v] * np.kron(_P[m], _P[v]) for m in range(4) for v in range(4)) / 4
                if np.linalg.eigvalsh(rho)[0] < -tol:
                    return t
    return None


def test_spin_cumulant_flag_is_carried_into_the_dataset_and_shaded():
    pytest.importorskip("xarray")
    cfg = qb.config.load_config(
        EXAMPLES / "spins_chain.toml", {"solver.t_max": 5.0, "solver.n_times": 51}
    )
    with pytest.warns(qb.PositivityWarning):
        ds = qb.config.run_config(cfg)
    first = _first_unphysical_time(ds)
    assert first is not None
    assert same(qb.plot.unphysical_intervals(ds), [(first, 5.0)])
    ax = qb.plot.trajectory(ds)
    assert same([(a, b) for a, b, _ in spans(ax)], [(first, 5.0)])


def test_unphysical_intervals_refuses_bad_input():
    with pytest.raises(qb.InputError, match="tol"):
        qb.plot.unphysical_intervals(
            qb.solve.Result(
                times=[0.0], states=np.eye(2)[None] / 2, expect=[], final_state=np.eye(2) / 2
            ),
            tol=-1.0,
        )
    with pytest.raises(qb.InputError, match="data"):
        qb.plot.unphysical_intervals(np.eye(2))
