"""``qbath run`` / ``check`` / ``kinds`` with the closed-form qubit kind (no physics modules needed)."""

import json

import numpy as np
import pytest

import qbath as qb
from cli_helpers import QUBIT_TOML
from qbath.cli import main

xr = pytest.importorskip("xarray")


@pytest.fixture
def qubit_toml(tmp_path):
    p = tmp_path / "relax.toml"
    p.write_text(QUBIT_TOML)
    return p


def test_qubit_kind_matches_qutip_mesolve():
    """The closed form against QuTiP's ODE solver with sigma_- at gamma(n+1), sigma_+ at gamma n."""
    qutip = pytest.importorskip("qutip")
    omega, gamma, beta = 1.3, 0.2, 0.7
    cfg = qb.config.parse_config(QUBIT_TOML).with_values(
        {
            "model.omega": omega,
            "model.gamma": gamma,
            "model.beta": beta,
            "initial.bloch": [0.6, -0.3, 0.5],
        }
    )
    ds = qb.config.run_config(cfg)
    nbar = 1 / np.expm1(beta * omega)
    rho0 = qutip.Qobj(qb.bloch_state([0.6, -0.3, 0.5]))
    c_ops = [np.sqrt(gamma * (nbar + 1)) * qutip.sigmam(), np.sqrt(gamma * nbar) * qutip.sigmap()]
    ref = qutip.mesolve(
        0.5 * omega * qutip.sigmaz(),
        rho0,
        ds.time.values,
        c_ops,
        e_ops=[qutip.sigmax(), qutip.sigmay(), qutip.sigmaz()],
        options={"atol": 1e-10, "rtol": 1e-10},
    )
    for name, want in zip(("X", "Y", "Z"), ref.expect, strict=True):
        assert np.allclose(ds[f"expect_{name}"].values, want, atol=1e-7)
    # the steady state is the Gibbs state: <Z> = -tanh(beta omega / 2)
    out = qb.config.evaluate_outputs(cfg, ["steady_Z", "steady_l1_coherence"])
    assert out["steady_Z"] == pytest.approx(-np.tanh(beta * omega / 2), abs=1e-14)
    assert out["steady_l1_coherence"] == pytest.approx(0.0, abs=1e-14)


def test_run_writes_dataset_with_coords_attrs_and_figures(qubit_toml, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(qubit_toml), "--out", str(out), "--set", "output.states=true"]) == 0
    text = capsys.readouterr().out
    assert f"-> {out / 'relax.nc'}" in text and "expect_Z" in text
    assert (out / "relax-trajectory.png").stat().st_size > 1000
    assert (out / "relax-bloch.png").stat().st_size > 1000
    with xr.open_dataset(out / "relax.nc") as ds:
        assert ds.sizes["time"] == 51
        assert ds.time.values[-1] == pytest.approx(5.0)
        assert {
            "expect_X",
            "expect_Y",
            "expect_Z",
            "l1_coherence",
            "purity",
            "entropy",
            "states_real",
            "states_imag",
        } <= set(ds.data_vars)
        assert ds.attrs["qbath_version"] == qb.__version__
        assert "hbar=k_B=1" in ds.attrs["conventions"]
        assert ds.attrs["omega"] == 1.0 and ds.attrs["method"] == "closed form"
        assert json.loads(ds.attrs["config"])["model"]["gamma"] == 0.2
        z = ds.expect_Z.values
    # qb.io.load joins the complex states again; they reproduce <Z>
    ds2 = qb.io.load(out / "relax.nc")
    states = ds2.states.values
    assert np.iscomplexobj(states) and states.shape == (51, 2, 2)
    assert np.allclose(np.einsum("ij,tji->t", qb.sigmaz(), states).real, z)
    assert qb.io.meta_from_attrs(ds2.attrs)["gamma"] == 0.2


def test_run_no_plots_and_file_name(qubit_toml, tmp_path):
    out = tmp_path / "o"
    assert (
        main(
            [
                "-q",
                "run",
                str(qubit_toml),
                "--out",
                str(out),
                "--no-plots",
                "--set",
                'output.file="x.nc"',
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == ["x.nc"]


def test_run_bad_override_is_a_usage_error(qubit_toml, capsys):
    assert main(["run", str(qubit_toml), "--set", "model.beta=-1"]) == 2
    err = capsys.readouterr().err
    assert (
        err.strip()
        == f"qbath: error: {qubit_toml}: model.beta: expected a real number >= 0 (inf allowed), got -1 (int)"
    )
    assert main(["run", str(qubit_toml), "--set", "model.beta"]) == 2
    assert "--set: expected KEY=VALUE" in capsys.readouterr().err


def test_check_and_kinds(qubit_toml, capsys):
    assert main(["check", str(qubit_toml), "--show"]) == 0
    out = capsys.readouterr().out
    assert "valid qubit configuration" in out and '"n_times": 51' in out
    assert main(["kinds"]) == 0
    out = capsys.readouterr().out
    for kind in ("collision", "gksl", "spins", "qubit"):
        assert f"  {kind} " in out


def test_evaluate_outputs_rejects_unknown_names():
    cfg = qb.config.parse_config(QUBIT_TOML)
    with pytest.raises(
        qb.config.ConfigError, match=r"sweep.outputs\[1\]: expected final_ or steady_"
    ):
        qb.config.evaluate_outputs(cfg, ["final_Z", "final_W"])
