"""What ``qbath run`` prints, checked in a real process: the ledger totals against independent
computations (a brute-force collision loop, the first law and a finer run), and warnings as one
``qbath:`` line with configuration advice."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import qbath as qb
from cli_helpers import ENV
from collision_brute import collide

xr = pytest.importorskip("xarray")

ROOT = Path(__file__).resolve().parents[2]

I2 = np.eye(2)
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]])
Z = np.diag([1.0, -1.0]).astype(complex)

COLLISION = """
kind = "collision"
[model]
preset = "pauli"
system_qubits = 1
ancilla_qubits = 1
h_s = [[0.5, "Z"]]
h_e = [[0.6, "Z"]]
h_se = [[0.2, "XX"], [0.2, "YY"]]
beta = 1.3
dt = 0.3
[initial]
bloch = [0.6, 0.0, 0.8]
[solver]
n_collisions = 30
[output]
states = true
"""

TWO_BATHS = """
kind = "gksl"
[model]
preset = "pauli"
qubits = 2
h = [[0.5, "ZI"], [0.6, "IZ"], [0.1, "XX"], [0.1, "YY"]]
[[model.baths]]
op = "XI"
alpha = 0.05
cutoff = 10.0
temperature = 1.0
[[model.baths]]
op = "IX"
alpha = 0.05
cutoff = 10.0
temperature = 0.3
[initial]
thermal_beta = 0.2
[solver]
t_max = 20.0
n_times = {n}
[output]
states = true
"""


def qbath(*args: object) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "qbath", *map(str, args)]
    return subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=300)


def run(
    tmp_path: Path, text: str, name: str, *extra: str
) -> tuple[dict[str, float], subprocess.CompletedProcess]:
    cfg = tmp_path / f"{name}.toml"
    cfg.write_text(text)
    r = qbath("run", cfg, "--out", tmp_path / name, "--no-plots", *extra)
    assert r.returncode == 0, r.stdout + r.stderr
    return totals(r.stdout), r


def totals(stdout: str) -> dict[str, float]:
    """Symbol -> value of the lines after the 'ledger totals' header."""
    block = stdout.split("ledger totals", 1)[1].splitlines()[1:]
    out = {}
    for line in block:
        m = re.match(r"^  (\S+)\s+([+-](?:[0-9.]+(?:e[+-]?\d+)?|nan|inf))\s", line)
        if m is None:
            break
        out[m.group(1)] = float(m.group(2))
    return out


def entropy(rho: np.ndarray) -> float:
    w = np.linalg.eigvalsh(rho)
    w = w[w > 1e-15]
    return float(-(w * np.log(w)).sum())


def test_collision_totals_match_a_brute_force_loop(tmp_path):
    got, r = run(tmp_path, COLLISION, "coll")
    assert "final values (collision 30, t = 9):" in r.stdout
    assert "last collision (k = 30):" in r.stdout
    h_s, h_e = 0.5 * Z, 0.6 * Z
    h_se = 0.2 * (np.kron(X, X) + np.kron(Y, Y))
    eta = np.diag(np.exp(-1.3 * np.diag(h_e).real))
    eta /= np.trace(eta)
    rho = 0.5 * (I2 + 0.6 * X + 0.8 * Z)
    rho0 = rho.copy()
    sums = {"heat": 0.0, "delta_u": 0.0, "switching_work": 0.0, "sigma": 0.0}
    for _ in range(30):
        step = collide(rho, h_s, h_e, h_se, eta, 0.3)
        for k in ("heat", "delta_u", "switching_work"):
            sums[k] += step[k]
        sums["sigma"] += step["mutual_information"] + step["relative_entropy"]
        rho = step["rho"]
    tol = dict(rel=2e-7, abs=1e-9)
    assert got["Q"] == pytest.approx(sums["heat"], **tol)
    assert got["ΔU"] == pytest.approx(sums["delta_u"], **tol)
    assert got["ΔU"] == pytest.approx(np.trace(h_s @ (rho - rho0)).real, **tol)
    assert got["W_sw"] == pytest.approx(sums["switching_work"], **tol)
    assert got["W"] == 0.0
    assert got["Σ"] == pytest.approx(sums["sigma"], rel=1e-6)
    assert abs(got["ΔU-Q-W-W_sw"]) < 1e-12
    # the final state the file holds is the brute-force one
    ds = qb.io.load(tmp_path / "coll" / "coll.nc")
    assert np.allclose(ds["states"].values[-1], rho, atol=1e-12)


def test_two_bath_totals_match_the_first_law_and_a_finer_run(tmp_path):
    got, r = run(tmp_path, TWO_BATHS.format(n=201), "coarse")
    assert "Q_0" in got and "Q_1" in got and "T = 0.3" in r.stdout
    ds = qb.io.load(tmp_path / "coarse" / "coarse.nc")
    H = 0.5 * np.kron(Z, I2) + 0.6 * np.kron(I2, Z) + 0.1 * (np.kron(X, X) + np.kron(Y, Y))
    st = ds["states"].values
    du = np.trace(H @ (st[-1] - st[0])).real  # first law without drive: Q_0 + Q_1 = ΔU
    printed = 1e-7 * max(abs(got["Q_0"]), abs(got["Q_1"]))  # 8 significant digits each
    assert got["Q_0"] + got["Q_1"] == pytest.approx(got["Q"], abs=printed)
    assert got["Q"] == pytest.approx(du, rel=1e-6, abs=1e-8)
    assert got["ΔU"] == pytest.approx(du, rel=1e-7)
    assert got["ΔS"] == pytest.approx(entropy(st[-1]) - entropy(st[0]), abs=1e-7)
    # a run on ten times as many times, integrated by the trapezoid rule
    _, _ = run(tmp_path, TWO_BATHS.format(n=2001), "fine")
    fine = qb.io.load(tmp_path / "fine" / "fine.nc")
    t = fine["time"].values
    Qk = np.trapezoid(fine["heat_current"].values, t, axis=0)
    assert got["Q_0"] == pytest.approx(Qk[0], rel=1e-4)
    assert got["Q_1"] == pytest.approx(Qk[1], rel=1e-4)
    # Σ as the time integral of Spohn's rate (the CLI uses ΔS - Σ Q_k/T_k)
    bath = [
        (np.kron(X, I2), qb.OhmicBath(0.05, 10.0, 1.0)),
        (np.kron(I2, X), qb.OhmicBath(0.05, 10.0, 0.3)),
    ]
    sigma = qb.thermo.entropy_production_rate(qb.davies(H, bath), fine["states"].values)
    assert got["Σ"] == pytest.approx(np.trapezoid(sigma, t), rel=1e-4)
    assert got["Σ"] > 0


DRIVE = """
[[model.drive]]
op = "XI"
shape = "cos"
amplitude = 0.3
frequency = 0.8
"""


def test_driven_two_bath_totals_carry_the_work_of_the_drive(tmp_path):
    text = TWO_BATHS.format(n=401).replace("[initial]", DRIVE + "[initial]")
    got, _ = run(tmp_path, text, "driven")
    ds = qb.io.load(tmp_path / "driven" / "driven.nc")
    t, st = ds["time"].values, ds["states"].values
    H0 = 0.5 * np.kron(Z, I2) + 0.6 * np.kron(I2, Z) + 0.1 * (np.kron(X, X) + np.kron(Y, Y))
    XI = np.kron(X, I2)

    def H(s):
        return H0 + 0.3 * np.cos(0.8 * s) * XI

    # U(t) = Tr[rho H(t)] and P = Tr[rho dH/dt], both written out here from the stored states
    du = np.trace(H(t[-1]) @ st[-1]).real - np.trace(H(t[0]) @ st[0]).real
    p = -0.3 * 0.8 * np.sin(0.8 * t) * np.einsum("ab,tba->t", XI, st).real
    assert np.allclose(ds["power"].values, p, atol=1e-6)
    assert got["W"] == pytest.approx(np.trapezoid(p, t), rel=1e-3, abs=1e-6)
    assert got["W"] != 0.0
    assert got["ΔU"] == pytest.approx(du, rel=1e-7, abs=1e-9)
    assert got["Q"] + got["W"] == pytest.approx(du, rel=1e-5, abs=1e-6)  # the first law


def test_qubit_totals_are_first_law_and_clausius(tmp_path):
    from cli_helpers import QUBIT_TOML

    got, r = run(tmp_path, QUBIT_TOML + "[output]\nstates = true\n", "qubit")
    st = qb.io.load(tmp_path / "qubit" / "qubit.nc")["states"].values
    du = np.trace(0.5 * Z @ (st[-1] - st[0])).real
    ds_ = entropy(st[-1]) - entropy(st[0])
    assert got["Q"] == pytest.approx(du, rel=1e-7)
    assert got["Σ"] == pytest.approx(ds_ - 2.0 * du, rel=1e-6)


def test_a_physics_warning_is_one_qbath_line_with_advice(tmp_path):
    cfg = tmp_path / "so.toml"
    cfg.write_text((ROOT / "examples" / "collision_example2.toml").read_text())
    r = qbath(
        "-q", "run", cfg, "--out", tmp_path / "so", "--no-plots",
        "--set", "solver.map=second_order", "--set", "model.dt=0.4",
        "--set", "model.kappa=1", "--set", "solver.n_collisions=20",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert lines, r.stderr
    assert all(ln.startswith("qbath: WARNING: ") for ln in lines), r.stderr
    assert "warnings.warn" not in r.stderr and ".py:" not in r.stderr
    pos = [ln for ln in lines if "PositivityWarning" in ln]
    assert len(pos) == 1, r.stderr
    assert "lost positivity" in pos[0] and 'solver.map = "exact"' in pos[0] and "model.dt" in pos[0]
    # the run reports the states that are not density matrices
    assert "NOT a density matrix" in r.stdout


def test_warning_advice_names_configuration_keys():
    from qbath.cli._warnings import advice, warning_line

    data = {"solver": {"ntraj": 1, "rtol": 1e-3}, "model": {"dt": 0.1}}
    line = warning_line("rtol is loose: results may be inaccurate", qb.QbathWarning, data)
    assert line.startswith("QbathWarning: rtol is loose") and "solver.rtol (now 0.001)" in line
    assert "solver.ntraj" in advice("mcsolve: ntraj=1 gives no standard error", data)
    assert advice("anything", None) == ""
    assert "(from builtins)" in warning_line("x\ny", RuntimeWarning, data)
    assert "x y" in warning_line("x\ny", RuntimeWarning, data)


def test_every_advice_names_keys_some_configuration_has():
    from qbath.cli._warnings import _KEY, ADVICE, _key_prefixes

    keys = set()
    for path in sorted((ROOT / "examples").glob("*.toml")):
        keys |= _key_prefixes(qb.config.load_config(path).data)
    for _, text in ADVICE:
        named = set(_KEY.findall(text))
        assert not named or named & keys, text
    # the collision advice is not given for a kind without solver.map
    from qbath.cli._warnings import advice

    spins = qb.config.load_config(ROOT / "examples" / "spins_chain.toml").data
    assert "solver.map" not in advice("second-order map lost positivity", spins)
