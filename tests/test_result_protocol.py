"""Every result type satisfies the one result protocol (qbath._result): core fields, data-valued
expect, short repr, a Dataset that survives qb.io.save / qb.io.load, immutability."""

import dataclasses

import numpy as np
import pytest

import qbath as qb
from qbath._result import BaseResult, ResultProtocol

TIMES = np.linspace(0.0, 2.0, 9)
H = 0.5 * qb.sigmaz()
#: a GKSL generator: the same call in the (system, ...) and the QuTiP (H, ..., c_ops) signatures
GEN = qb.davies(H, [(qb.sigmax(), qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5))])
PLUS = qb.bloch_state([1.0, 0.0, 0.0])
SPINS = qb.spins.SpinModel(np.tile([0.0, 0.0, 1.0], (3, 1)), None, gamma_minus=0.1)
S0 = np.tile([1.0, 0.0, 0.0], (3, 1))
QUBIT_CFG = """
kind = "qubit"
[model]
omega = 1.0
gamma = 0.1
beta = 2.0
[initial]
bloch = [1, 0, 0]
[solver]
t_max = 2.0
n_times = 9
"""


def _collision(e_ops=None):
    model = qb.collision.structured_example2(
        omega_s=1.0, omega_1=0.5, omega_2=1.5, kappa=0.3, alpha=0.2, beta=1.0, dt=0.1
    )
    return qb.collision.evolve(model, PLUS, 8, e_ops=e_ops)


def _config_qubit():
    cfg = qb.config.parse_config(QUBIT_CFG)
    return qb.config.kind_problem(cfg.kind)(cfg.data).result


SOLVERS = {
    "mesolve": lambda: qb.mesolve(GEN, PLUS, TIMES, e_ops=[qb.sigmax(), qb.sigmaz()]),
    "mcsolve": lambda: qb.mcsolve(GEN, qb.basis(2, 0), TIMES, e_ops=[qb.sigmaz()], ntraj=6, seed=1),
    "collision.evolve": lambda: _collision({"Z": qb.sigmaz(), "X": qb.sigmax()}),
    "spins.meanfield": lambda: qb.spins.meanfield(SPINS, S0, TIMES),
    "spins.cumulant": lambda: qb.spins.cumulant(SPINS, S0, TIMES),
    "spins.exact": lambda: qb.spins.exact(SPINS, S0, TIMES),
    "drive.dst_work": lambda: qb.drive.dst_work(
        np.full(5, 1.0), np.zeros(5), np.linspace(0.5, 1.5, 5), np.zeros(5), 0.1
    ),
    "drive.dst_dynamics": lambda: qb.drive.dst_dynamics(
        np.pi / 2, lambda t: -0.4 * t, np.pi / 2, lambda t: 0.5 * t, TIMES, picture="mean_field"
    ),
    "config.qubit": _config_qubit,
}


@pytest.fixture(scope="module", params=list(SOLVERS))
def result(request):
    return request.param, SOLVERS[request.param]()


def test_core_fields(result):
    name, res = result
    assert isinstance(res, BaseResult) and isinstance(res, ResultProtocol)
    assert dataclasses.is_dataclass(res)
    T = res.times.shape[0]
    assert res.times.ndim == 1 and T >= 2
    assert res.states is None or res.states.shape[0] == T
    if res.states is not None:
        assert np.allclose(res.final_state, res.states[-1])
        d = res.states.shape[-1]
        assert res.states.shape == (T, d, d)
        assert np.allclose(np.trace(res.states, axis1=1, axis2=2), 1.0, atol=1e-8)
    assert isinstance(res.expect, (list, dict))
    for _, v in res.expect.items() if isinstance(res.expect, dict) else enumerate(res.expect):
        assert isinstance(v, np.ndarray) and v.shape == (T,)
    assert isinstance(res.stats, dict) and isinstance(res.meta, dict)
    assert res.meta["kind"] and res.solver == res.meta["kind"]


def test_frozen(result):
    _, res = result
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.meta = {}  # noqa: B010


def test_repr_is_a_short_summary(result):
    name, res = result
    text = repr(res)
    lines = text.splitlines()
    assert 3 <= len(lines) <= 7, text
    assert len(text) < 600, text
    assert type(res).__name__ in lines[0] and res.solver in lines[0]
    assert f"times: {res.times.size}" in text
    assert "[[" not in text and "array(" not in text  # no state dump
    assert str(res) == text


def test_dataset_round_trip(result, tmp_path):
    xr = pytest.importorskip("xarray")
    _, res = result
    ds = res.to_dataset()
    assert isinstance(ds, xr.Dataset)
    assert qb.io.to_dataset(res).identical(ds)  # io delegates to the result
    time = ds["time"].values
    assert np.allclose(time, res.times)
    for key, v in res.expect.items() if isinstance(res.expect, dict) else enumerate(res.expect):
        assert np.allclose(ds[f"expect_{key}"].values, v)
    back = qb.io.load(qb.io.save(res, tmp_path / "r.nc", states=res.states is not None))
    full = res.to_dataset(states=res.states is not None)
    assert set(back.data_vars) == set(full.data_vars)
    for k in full.data_vars:
        np.testing.assert_allclose(back[k].values, full[k].values, rtol=0, atol=0, equal_nan=True)
    assert qb.io.meta_from_attrs(back.attrs)["kind"] == res.meta["kind"]


def test_collision_expect_is_data_and_equals_qb_expect():
    res = _collision({"Z": qb.sigmaz(), "sp": qb.sigmap()})
    assert list(res.expect) == ["Z", "sp"]
    z = np.array([(s[0, 0] - s[1, 1]).real for s in res.states])  # written out independently
    assert np.allclose(res.expect["Z"], z) and res.expect["Z"].dtype.kind == "f"
    assert np.allclose(res.expect["sp"], res.states[:, 1, 0]) and np.iscomplexobj(res.expect["sp"])
    assert np.allclose(qb.expect(qb.sigmaz(), res.states), z)
    assert _collision().expect == []
    as_list = _collision([qb.sigmaz()])
    assert np.allclose(as_list.expect[0], z)
    assert "ΔU" in repr(res) and "Q =" in repr(res)  # ledger totals
    with pytest.raises(qb.InputError, match=r"e_ops\[0\]"):
        _collision([np.eye(3)])


def test_bloch_and_coherence_are_arrays():
    res = _collision()
    s = res.bloch
    assert s.shape == (9, 3)
    assert np.allclose(s[:, 2], [(r[0, 0] - r[1, 1]).real for r in res.states])
    assert np.allclose(res.coherence, 2 * np.abs(res.states[:, 0, 1]))
    me = SOLVERS["mesolve"]()
    assert np.allclose(me.bloch[:, 0], me.expect[0]) and np.allclose(me.bloch[:, 2], me.expect[1])
    sp = SOLVERS["spins.cumulant"]()
    assert sp.bloch.shape == (9, 3, 3)
    dst = SOLVERS["drive.dst_dynamics"]()
    assert dst.bloch.shape == (9, 3, 3) and np.allclose(dst.bloch[:, 1], qb.bloch_vector(dst.rho_s))


def test_result_keyword_construction_and_dict_expect():
    st = np.stack([PLUS, PLUS])
    res = qb.solve.Result(
        times=np.array([0.0, 1.0]),
        states=st,
        expect={"Z": np.zeros(2)},
        final_state=PLUS,
        stats={},
        meta={},
    )
    assert res.expect_labels == ["⟨Z⟩"] and "⟨Z⟩" in repr(res)
    assert list(res.to_dataset().data_vars)[0] == "expect_Z"


def test_spin_exact_keeps_its_final_density_matrix():
    res = SOLVERS["spins.exact"]()
    rho = res.final_state
    assert rho.shape == (8, 8) and np.isclose(np.trace(rho).real, 1.0)
    z0 = qb.expect(qb.tensor(qb.sigmaz(), qb.qeye(2), qb.qeye(2)), rho)
    assert np.isclose(z0, res.bloch[-1, 0, 2], atol=1e-8)
    assert SOLVERS["spins.meanfield"]().final_state is None
