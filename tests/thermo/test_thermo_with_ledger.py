"""Results that carry their thermodynamic ledger on request (qb.thermo.with_ledger): the fields
against per-bath Liouvillians written separately, Spohn's rate against a finite difference of the
stored entropy, and the Dataset / netCDF round trip."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb

SZ, SX, I2 = qb.sigmaz(), qb.sigmax(), np.eye(2)
HOT = qb.OhmicBath(0.05, 10.0, temperature=1.0)
COLD = qb.OhmicBath(0.05, 10.0, temperature=0.3)
H = 0.5 * np.kron(SZ, I2) + 0.6 * np.kron(I2, SZ) + 0.1 * np.kron(SX, SX)
A = [np.kron(SX, I2), np.kron(I2, SX)]


def run(times):
    gen = qb.davies(H, [(A[0], HOT), (A[1], COLD)])
    rho0 = qb.ket2dm(np.array([0, 0, 0, 1.0]))
    res = qb.mesolve(
        gen, 0.7 * rho0 + 0.3 * np.eye(4) / 4, times, method=qb.Dopri5(rtol=1e-10, atol=1e-12)
    )
    return gen, res, qb.thermo.with_ledger(res, gen)


def test_fields_match_single_bath_liouvillians_and_keep_the_result():
    times = np.linspace(0, 8, 9)
    _, res, r = run(times)
    assert isinstance(r, qb.solve.Result) and isinstance(r, qb.thermo.ThermoResult)
    assert np.array_equal(r.states, res.states) and np.array_equal(r.times, res.times)
    assert r.heat.shape == (9, 2) and r.work.shape == (9,) and r.entropy_production.shape == (9,)
    for k, (a, bath) in enumerate(zip(A, (HOT, COLD), strict=True)):
        Lk = qb.generators.liouvillian(qb.davies(H, [(a, bath)]))  # column stacking
        for t, rho in enumerate(res.states):
            drho = (Lk @ rho.reshape(-1, order="F")).reshape(4, 4, order="F")
            assert r.heat[t, k] == pytest.approx(np.trace(H @ drho).real, abs=1e-12)
    assert np.all(r.work == 0.0)
    assert abs(r.heat[0, 0]) > 1e-3


def test_entropy_production_is_spohns_rate_of_the_stored_entropy():
    times = np.linspace(0, 6, 601)
    _, res, r = run(times)
    S = np.array([qb.von_neumann_entropy(rho) for rho in res.states])
    dS = np.gradient(S, times, edge_order=2)
    beta = np.array([1 / HOT.temperature, 1 / COLD.temperature])
    want = dS - r.heat @ beta
    assert np.allclose(r.entropy_production[5:-5], want[5:-5], atol=2e-5)
    assert np.all(r.entropy_production >= -1e-12)


def test_dataset_and_netcdf_keep_the_ledger(tmp_path):
    pytest.importorskip("xarray")
    _, _, r = run(np.linspace(0, 4, 5))
    ds = r.to_dataset()
    assert ds["heat"].dims == ("time", "bath")
    assert np.allclose(ds["heat"].values, r.heat)
    assert np.allclose(ds["bath_temperature"].values, [1.0, 0.3])
    qb.io.save(r, tmp_path / "r.nc")
    back = qb.io.load(tmp_path / "r.nc")
    assert np.allclose(back["entropy_production"].values, r.entropy_production)
    assert "ledger" in repr(r)


def test_only_solver_results_are_taken():
    gen, res, _ = run(np.linspace(0, 1, 3))
    with pytest.raises(qb.InputError, match="^result: expected a result of qbath.mesolve"):
        qb.thermo.with_ledger(res.states, gen)
