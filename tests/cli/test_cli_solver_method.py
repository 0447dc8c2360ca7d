"""The ``[solver]`` keys of the integration method, shared by the kinds that integrate an ODE."""

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


def with_solver(base, **solver):
    return {**base, "solver": {**base["solver"], **solver}}


def test_the_method_names_are_those_of_the_ode_layer():
    assert ODE_METHODS == ("dopri5", "rk4", "dop853", "bdf")


def test_every_kind_has_a_solver_method():
    for kind in BUILTIN:
        assert kind.solver_spec.lookup("method") is not None, kind.kind


@pytest.mark.parametrize("name", ODE_METHODS)
def test_gksl_method_and_spins_integrator_pass_the_name(name):
    extra = {"dt": 0.01} if name == "rk4" else {"rtol": 1e-7}
    cfg = parse_config(with_solver(GKSL, method=name, **extra))
    assert ode_options(cfg.data["solver"]) == {"method": method_from_name(name, **extra)}
    extra = {"dt": 0.01} if name == "rk4" else {}
    cfg = parse_config(with_solver(SPINS, integrator=name, **extra))
    assert ode_options(cfg.data["solver"], "integrator") == {"method": method_from_name(name, **extra)}
    assert cfg.data["solver"]["method"] == "cumulant"


def test_omitted_keys_leave_the_solver_defaults():
    assert ode_options(parse_config(GKSL).data["solver"]) == {}


def test_tolerances_alone_go_to_the_kind_default_method():
    cfg = parse_config(with_solver(GKSL, rtol=1e-9))
    assert ode_options(cfg.data["solver"]) == {"method": Dopri5(rtol=1e-9)}
    cfg = parse_config(with_solver(SPINS, atol=1e-11))
    assert ode_options(cfg.data["solver"], "integrator", default="dop853") == {"method": DOP853(atol=1e-11)}


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


def test_spins_integrator_is_checked_under_its_own_name():
    with pytest.raises(ConfigError) as exc:
        parse_config(with_solver(SPINS, integrator="rk4"))
    assert exc.value.key == "solver.dt" and "integrator = 'rk4'" not in exc.value.expected
    with pytest.raises(ConfigError) as exc:
        parse_config(with_solver(SPINS, dt=0.1))
    assert "integrator = 'rk4'" in exc.value.expected
