"""Results -> xarray Datasets -> netCDF and back (results built directly from random data)."""

import json
import math

import numpy as np
import pytest

import qbath as qb
from conftest import rand_dm
from qbath._meta import make_meta

xr = pytest.importorskip("xarray")


def collision_like(rng, n=5):
    """A CollisionResult of random data: (n+1) states, (n,) ledger arrays, .meta, .method."""
    states = np.stack([rand_dm(2, rng) for _ in range(n + 1)])
    ledger = {k: rng.normal(size=n) for k in qb.collision.LEDGER}
    meta = make_meta(
        "collision",
        omega_s=1.0,
        kappa=0.3,
        beta=float("inf"),
        method="exact",
        ancilla={"dims": [2, 2], "label": "structured"},
        resonant=False,
        alpha=0.2 + 0.1j,
    )
    return qb.collision.CollisionResult(
        states=states, method="exact", dt=0.1, h_s=np.zeros((n, 2, 2)), meta=meta, **ledger
    )


def test_collision_result_dataset(rng):
    res = collision_like(rng)
    ds = qb.io.to_dataset(res, expect={"Z": qb.sigmaz(), "sp": qb.sigmap()}, states=True)
    assert list(ds.collision.values) == list(range(6))
    # ledger entry k belongs to collision k + 1: NaN at index 0, then the array
    assert math.isnan(ds.heat.values[0])
    assert np.array_equal(ds.heat.values[1:], res.heat)
    # observables from the states, computed here independently
    assert np.allclose(ds.expect_Z.values, [s[0, 0] - s[1, 1] for s in res.states.real])
    assert np.iscomplexobj(ds.expect_sp.values)  # non-Hermitian observable stays complex
    assert np.allclose(ds.expect_sp.values, res.states[:, 1, 0])
    assert np.allclose(ds.purity.values, [np.trace(s @ s).real for s in res.states])
    evals = [np.linalg.eigvalsh(s) for s in res.states]
    assert np.allclose(ds.entropy.values, [-np.sum(w * np.log(w)) for w in evals])
    assert np.allclose(ds.l1_coherence.values, 2 * np.abs(res.states[:, 0, 1]))
    assert ds.attrs["kind"] == "collision" and ds.attrs["kappa"] == 0.3


def test_save_load_roundtrip_and_plain_open_dataset(rng, tmp_path):
    res = collision_like(rng)
    path = qb.io.save(res, tmp_path / "sub" / "c.nc", expect={"sp": qb.sigmap()}, states=True)
    back = qb.io.load(path)
    assert np.allclose(back.states.values, res.states)
    assert np.allclose(back.expect_sp.values, res.states[:, 1, 0])
    assert "qbath_complex_part" not in back.states.attrs
    # plain xarray reads the same file: complex variables as two real ones
    with xr.open_dataset(path) as raw:
        assert {"states_real", "states_imag", "expect_sp_real", "expect_sp_imag"} <= set(
            raw.data_vars
        )
        assert all(raw[v].dtype.kind == "f" for v in raw.data_vars)
        attrs = dict(raw.attrs)
    # attributes: netCDF-storable; nested / complex / inf / bool values survive through qbath_meta
    assert attrs["resonant"] == 0
    assert json.loads(attrs["ancilla"]) == {"dims": [2, 2], "label": "structured"}
    meta = qb.io.meta_from_attrs(attrs)
    assert meta["alpha"] == {"re": 0.2, "im": 0.1}
    assert meta["beta"] == "inf" and meta["resonant"] is False
    assert meta["conventions"] == res.meta["conventions"]
    assert not list(tmp_path.glob("sub/.*tmp"))  # no temporary left behind


def test_solver_result_dataset(rng):
    times = np.linspace(0, 1, 4)
    states = np.stack([rand_dm(4, rng) for _ in times])
    res = qb.solve.Result(
        times=times,
        states=states,
        expect=[np.arange(4.0)],
        final_state=states[-1],
        meta=make_meta("mesolve", method="rk"),
    )
    ds = qb.io.to_dataset(res, expect={"ZI": np.kron(qb.sigmaz(), np.eye(2))})
    assert np.array_equal(ds.time.values, times)
    assert np.array_equal(ds.expect_0.values, np.arange(4.0))  # the result's own e_ops[0]
    want = [np.trace(np.kron(qb.sigmaz(), np.eye(2)) @ s).real for s in states]
    assert np.allclose(ds.expect_ZI.values, want)
    with pytest.raises(qb.InputError, match=r"expect\['Z'\]: expected dimension 4"):
        qb.io.to_dataset(res, expect={"Z": qb.sigmaz()})


def test_qobj_states_in_a_result_are_accepted(rng):
    qutip = pytest.importorskip("qutip")
    times = np.linspace(0, 1, 3)
    states = [qutip.Qobj(rand_dm(2, rng)) for _ in times]
    arr = qb.interop.from_qutip(states)
    res = qb.solve.Result(times=times, states=arr, expect=[], final_state=arr[-1])
    ds = qb.io.to_dataset(res, expect={"Z": qutip.sigmaz()})
    assert np.allclose(ds.expect_Z.values, [qutip.expect(qutip.sigmaz(), s) for s in states])


def test_spin_result_dataset(rng, tmp_path):
    T, N = 5, 3
    bloch = rng.uniform(-0.5, 0.5, size=(T, N, 3))
    corr = rng.normal(size=(T, N, N, 3, 3))
    physical = qb.spins.Physicality(True, 0.87, None, 0, None)
    res = qb.spins.SpinResult(
        np.arange(T) * 0.1,
        bloch,
        corr,
        corr.sum(axis=(1, 2)),
        physical,
        make_meta("spins", method="cumulant"),
    )
    ds = qb.io.to_dataset(res)
    assert ds.bloch.dims == ("time", "spin", "component")
    assert list(ds.component.values) == ["x", "y", "z"]
    assert np.allclose(ds.mean_bloch.values, bloch.mean(axis=1))
    assert ds.correlations.dims == ("time", "spin", "spin_b", "component", "component_b")
    assert np.allclose(
        ds.correlations.sel(spin=1, spin_b=2, component="x", component_b="z").values,
        corr[:, 1, 2, 0, 2],
    )
    qb.io.save(ds, tmp_path / "s.nc")
    assert np.allclose(qb.io.load(tmp_path / "s.nc").bloch.values, bloch)


def test_bad_result_and_bad_expect(rng):
    with pytest.raises(qb.InputError, match="result: expected a qbath result"):
        qb.io.to_dataset(object())
    with pytest.raises(qb.InputError, match="result: expected a qbath result"):
        qb.io.result_parts({"times": [0.0]})
    times = np.linspace(0, 1, 3)
    states = np.stack([rand_dm(2, rng) for _ in times])
    res = qb.solve.Result(
        times=times, states=states, expect={"Z": np.zeros(3)}, final_state=states[-1]
    )
    with pytest.raises(qb.InputError, match="expect: the name 'Z' is already used"):
        qb.io.to_dataset(res, expect={"Z": qb.sigmaz()})
    no_states = qb.solve.Result(times=times, states=None, expect=[], final_state=states[-1])
    with pytest.raises(qb.InputError, match="expect: observables need the states"):
        qb.io.to_dataset(no_states, expect=[qb.sigmaz()])


def test_dataset_passes_through_and_attrs_are_netcdf_types():
    ds = xr.Dataset({"a": ("x", [1.0])})
    assert qb.io.to_dataset(ds) is ds
    attrs = qb.io.attrs_from_meta(
        {"n": np.int64(3), "v": np.array([1.0, 2.0]), "s": ["a", "b"], "none": None, "flag": True}
    )
    assert attrs["n"] == 3 and isinstance(attrs["n"], int)
    assert np.array_equal(attrs["v"], [1.0, 2.0])
    assert attrs["s"] == '["a", "b"]' and attrs["none"] == "null" and attrs["flag"] == 1
    assert qb.io.meta_from_attrs({"x": np.array([1, 2])}) == {"x": [1, 2]}
