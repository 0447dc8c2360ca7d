"""The ``[solver]`` keys of the integration method, shared by the kinds that integrate an ODE."""

import numpy as np
import pytest

from qbath.config import ODE_METHODS, ConfigError, parse_config
from qbath.config._problems import ode_options
from qbath.config.kinds import BUILTIN
from qbath.ode import DOP853, Dopri5, method_from_name

GKSL = {
    "kind": "gksl",
    "model": {
        "preset": "pauli",
        "qubits": 1,
        "h": [[0.5, "Z"]],
        "lindblad": [{"rate": 0.1, "op": "-"}],
    },
    "initial": {"basis": [0]},
    "solver": {"t_max": 1.0},
}
SPINS = {
    "kind": "spins",
    "model": {"n": 2, "field": [0.0, 0.0, 0.5]},
    "initial": {"bloch": [1.0, 0.0, 0.0]},
    "solver": {"t_max": 1.0},
}


COLLISION = {
    "kind": "collision",
    "model": {
        "preset": "structured_example2",
        **dict(omega_s=1.0, omega_1=0.5, omega_2=1.5, kappa=0.3, alpha=0.2, beta=1.0, dt=0.1),
    },
    "initial": {"thermal_beta": 1.0},
    "solver": {"n_collisions": 5},
}
QUBIT = {
    "kind": "qubit",
    "model": {"omega": 1.0, "gamma": 0.2, "beta": 2.0},
    "initial": {"bloch": [1.0, 0.0, 0.0]},
    "solver": {"t_max": 20.0, "n_times": 41},
    "output": {"expect": ["X", "Y", "Z"]},
}


def with_solver(base, **solver):
    return {**base, "solver": {**base["solver"], **solver}}


def test_the_method_names_are_those_of_the_ode_layer():
    assert ODE_METHODS == ("dopri5", "rk4", "dop853", "bdf")


def test_every_kind_has_a_solver_method():
    for kind in BUILTIN:
        assert kind.solver_spec.lookup("method") is not None, kind.kind


@pytest.mark.parametrize("name", ODE_METHODS)
def test_gksl_spins_and_qubit_method_pass_the_name(name):
    extra = {"dt": 0.01} if name == "rk4" else {"rtol": 1e-7}
    cfg = parse_config(with_solver(GKSL, method=name, **extra))
    assert ode_options(cfg.data["solver"]) == {"method": method_from_name(name, **extra)}
    extra = {"dt": 0.01} if name == "rk4" else {}
    cfg = parse_config(with_solver(SPINS, method=name, **extra))
    assert ode_options(cfg.data["solver"]) == {"method": method_from_name(name, **extra)}
    assert cfg.data["solver"]["level"] == "cumulant"
    cfg = parse_config(with_solver(QUBIT, method=name, **extra))
    assert ode_options(cfg.data["solver"]) == {"method": method_from_name(name, **extra)}


def test_omitted_keys_leave_the_solver_defaults():
    assert ode_options(parse_config(GKSL).data["solver"]) == {}


def test_tolerances_alone_go_to_the_kind_default_method():
    cfg = parse_config(with_solver(GKSL, rtol=1e-9))
    assert ode_options(cfg.data["solver"]) == {"method": Dopri5(rtol=1e-9)}
    cfg = parse_config(with_solver(SPINS, atol=1e-11))
    assert ode_options(cfg.data["solver"], default="dop853") == {"method": DOP853(atol=1e-11)}


@pytest.mark.parametrize(
    ("solver", "key", "expected"),
    [
        ({"method": "adams"}, "solver.method", "one of 'dopri5', 'rk4', 'dop853', 'bdf'"),
        ({"method": "rk4"}, "solver.dt", "a step dt > 0 for the fixed-step method 'rk4'"),
        ({"method": "dopri5", "dt": 0.1}, "solver.dt", "no dt unless method = 'rk4'"),
        ({"dt": 0.1}, "solver.dt", "no dt unless method = 'rk4'"),
        (
            {"method": "rk4", "dt": 0.1, "atol": 1e-9},
            "solver.atol",
            "no atol with the fixed-step method",
        ),
    ],
)
def test_bad_ode_keys_name_the_key(solver, key, expected):
    with pytest.raises(ConfigError) as exc:
        parse_config(with_solver(GKSL, **solver))
    assert exc.value.key == key and exc.value.expected.startswith(expected)


def test_spins_method_is_checked_as_in_gksl():
    with pytest.raises(ConfigError) as exc:
        parse_config(with_solver(SPINS, method="rk4"))
    assert exc.value.key == "solver.dt" and "fixed-step method 'rk4'" in exc.value.expected
    with pytest.raises(ConfigError) as exc:
        parse_config(with_solver(SPINS, dt=0.1))
    assert "method = 'rk4'" in exc.value.expected


@pytest.mark.parametrize("level", ["meanfield", "cumulant", "exact"])
def test_old_spins_method_names_the_level_key(level):
    """A configuration written for solver.method = level stops with the new key, never runs."""
    with pytest.raises(ConfigError) as exc:
        parse_config(with_solver(SPINS, method=level))
    assert exc.value.key == "solver.method"
    assert f"did you mean solver.level = '{level}'?" in str(exc.value)
    assert parse_config(with_solver(SPINS, level=level)).data["solver"]["level"] == level


def test_old_spins_integrator_names_the_method_key():
    with pytest.raises(ConfigError) as exc:
        parse_config(with_solver(SPINS, integrator="dop853"))
    assert exc.value.key == "solver.integrator" and "did you mean 'method'?" in str(exc.value)


@pytest.mark.parametrize("name", ["exact", "second_order", "dopri5", "bdf"])
def test_collision_refuses_solver_method_and_names_solver_map(name):
    """The collision kind integrates no ODE: solver.method is refused, pointing to solver.map."""
    with pytest.raises(ConfigError) as exc:
        parse_config(with_solver(COLLISION, method=name))
    assert exc.value.key == "solver.method" and "integrates no ODE" in str(exc.value)
    assert "solver.map" in str(exc.value)
    if name in ("exact", "second_order"):
        assert f"did you mean solver.map = '{name}'?" in str(exc.value)
        assert parse_config(with_solver(COLLISION, map=name)).data["solver"]["map"] == name


def test_qubit_closed_form_takes_no_tolerances():
    assert parse_config(QUBIT).data["solver"]["method"] == "closed_form"
    for key in ("rtol", "atol", "dt"):
        with pytest.raises(ConfigError) as exc:
            parse_config(with_solver(QUBIT, **{key: 0.1}))
        assert exc.value.key == f"solver.{key}" and "'closed_form'" in exc.value.expected


@pytest.mark.parametrize(
    ("name", "opts"),
    [
        ("dopri5", {"rtol": 1e-10, "atol": 1e-12}),
        ("dop853", {"rtol": 1e-10, "atol": 1e-12}),
        ("bdf", {"rtol": 1e-10, "atol": 1e-12}),
        ("rk4", {"dt": 0.01}),
    ],
)
def test_qubit_ode_methods_agree_with_the_closed_form(name, opts):
    """mesolve on sigma_- at gamma (n+1), sigma_+ at gamma n against the closed-form relaxation."""
    pytest.importorskip("xarray")
    from qbath.config import run_config

    closed = run_config(parse_config(QUBIT))
    ode = run_config(parse_config(with_solver(QUBIT, method=name, **opts)))
    assert ode.attrs["method"] == name
    for comp in ("X", "Y", "Z"):
        v = f"expect_{comp}"
        assert np.allclose(ode[v].values, closed[v].values, atol=1e-7), (name, comp)
