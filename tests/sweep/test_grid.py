"""Sweep grid specs: ``start:stop:num``, ``:log``, lists; errors name the parameter."""

import numpy as np
import pytest

from qbath.config import ConfigError
from qbath.sweep import Axis, Grid, parse_param, parse_values


def test_linspace_is_inclusive():
    key, vals = parse_param("kappa=0:2:41")
    assert key == "kappa" and len(vals) == 41 and vals[0] == 0.0 and vals[-1] == 2.0
    assert np.allclose(np.diff(vals), 0.05)


def test_log_list_single_and_toml_list():
    assert np.allclose(parse_values("b", "0.1:10:3:log"), [0.1, 1.0, 10.0])
    assert parse_values("b", "1, 2.5,4") == [1.0, 2.5, 4.0]
    assert parse_values("b", "3") == [3.0]
    assert parse_values("b", [1, 2]) == [1.0, 2.0]
    assert parse_values("b", 7) == [7.0]
    assert parse_param("model.baths[0].alpha=1:2:2") == ("model.baths[0].alpha", [1.0, 2.0])


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("0:1", "expected a grid 'start:stop:num'"),
        ("0:1:2:lin", "expected a grid 'start:stop:num'"),
        ("a:1:3", "got 'a' (not a number)"),
        ("0:1:2.5", "expected a number of grid points >= 1"),
        ("0:1:0", "expected a number of grid points >= 1"),
        ("0:1:3:log", "expected positive start and stop"),
        ("1,1", "expected distinct grid values"),
        ("1,nan", "expected finite grid values"),
        (",", "expected a grid"),
    ],
)
def test_bad_specs_name_the_parameter(spec, fragment):
    with pytest.raises(ConfigError) as exc:
        parse_values("beta", spec)
    assert str(exc.value).startswith("beta: expected") and fragment in str(exc.value)


def test_param_needs_key_and_equals():
    with pytest.raises(ConfigError, match="--param: expected KEY=SPEC"):
        parse_param("kappa")
    with pytest.raises(ConfigError, match="--param: expected a key before '='"):
        parse_param("=1:2:3")
    with pytest.raises(ConfigError, match=r"b: expected a non-empty list of numbers"):
        parse_values("b", ["x"])


def test_grid_enumerates_points_in_c_order():
    g = Grid((Axis("model.a", "a", (1.0, 2.0)), Axis("model.b", "b", (10.0, 20.0, 30.0))))
    assert g.shape == (2, 3) and g.size == 6
    assert g.point(0) == {"model.a": 1.0, "model.b": 10.0}
    assert g.point(4) == {"model.a": 2.0, "model.b": 20.0}
    assert [p["model.b"] for p in g.points(range(6))] == [10.0, 20.0, 30.0] * 2
