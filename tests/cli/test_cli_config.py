"""Configuration validation: every bad config names the key, what it accepts and the value given."""

import numpy as np
import pytest

import qbath as qb
from cli_helpers import QUBIT_TOML
from qbath.config import ConfigError, parse_config, resolve_key

COLLISION = {
    "kind": "collision",
    "model": {
        "preset": "structured_example2",
        "omega_s": 1.0,
        "omega_1": 0.5,
        "omega_2": 1.5,
        "kappa": 0.3,
        "alpha": 0.2,
        "beta": 1.0,
        "dt": 0.1,
    },
    "initial": {"bloch": [0, 0, 1]},
    "solver": {"n_collisions": 10},
}


def with_(base, key, value):
    import copy

    d = copy.deepcopy(base)
    node = d
    parts = key.split(".")
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    if value is _DELETE:
        del node[parts[-1]]
    else:
        node[parts[-1]] = value
    return d


_DELETE = object()


def error_of(data):
    with pytest.raises(ConfigError) as exc:
        parse_config(data)
    return exc.value


def test_defaults_are_filled_and_values_normalised():
    cfg = parse_config(COLLISION)
    assert cfg.kind == "collision"
    assert cfg.get("solver.map") == "exact" and cfg.get("solver.method") is None
    assert cfg.get("model.variant") == "paper"
    assert cfg.get("output.expect") == ["X", "Y", "Z"]
    assert cfg.get("sweep.outputs") == [
        "steady_Z",
        "steady_l1_coherence",
        "steady_heat",
        "steady_switching_work",
    ]
    assert cfg.get("initial.bloch") == [0.0, 0.0, 1.0]
    assert isinstance(cfg.get("model.omega_s"), float)
    # canonical JSON: equal configs give equal text whatever the key order
    shuffled = dict(reversed(list(COLLISION.items())))
    assert parse_config(shuffled).to_json() == cfg.to_json()


@pytest.mark.parametrize(
    ("key", "value", "expected", "got"),
    [
        ("model.kappa", "0.3", "a real number", "'0.3' (str)"),
        ("model.dt", 0.0, "a real number > 0", "0.0 (float)"),
        ("model.dt", -1, "a real number > 0", "-1 (int)"),
        ("model.beta", -0.5, "a real number >= 0 (inf allowed)", "-0.5 (float)"),
        ("model.beta", float("nan"), "a real number >= 0 (inf allowed)", "nan (float)"),
        ("model.variant", "resonnant", "one of 'paper', 'resonant'", "'resonnant' (str)"),
        ("output.states", 1, "true or false", "1 (int)"),
        ("solver.n_collisions", 0, "an integer >= 1", "0 (int)"),
        ("solver.n_collisions", 2.5, "an integer >= 1", "2.5 (float)"),
        ("solver.n_collisions", True, "an integer >= 1", "True (bool)"),
        ("solver.map", "rk4", "one of 'exact', 'second_order'", "'rk4' (str)"),
        (
            "solver.method",
            "rk4",
            "no solver.method in the collision kind",
            "'rk4'; the collision kind",
        ),
        (
            "solver.method",
            "exact",
            "no solver.method in the collision kind",
            "'exact'; did you mean solver.map = 'exact'?",
        ),
        (
            "model.preset",
            "example3",
            "one of 'structured_example1', 'structured_example2', 'pauli'",
            "'example3' (str)",
        ),
        ("initial.bloch", [0, 0, 2], "a Bloch vector [x, y, z] with |s| <= 1", "[0, 0, 2] (list)"),
        ("initial.bloch", [0, 1], "a Bloch vector [x, y, z] with |s| <= 1", "shape (2,)"),
        ("output.expect", ["Q"], "an observable on 1 qubit", "'Q'"),
        ("sweep.outputs", ["steady_bogus"], "final_ or steady_ followed by", "'steady_bogus'"),
    ],
)
def test_bad_values_name_key_expectation_and_value(key, value, expected, got):
    err = error_of(with_(COLLISION, key, value))
    assert err.key.startswith(key), err
    assert expected in err.expected, err
    assert got in err.got, err
    assert str(err).startswith(f"{err.key}: expected ")


def test_missing_required_key():
    err = error_of(with_(COLLISION, "model.kappa", _DELETE))
    assert (
        str(err)
        == "model.kappa: expected a real number (required), got nothing (the key is missing)"
    )


def test_missing_kind_and_unknown_kind():
    d = dict(COLLISION)
    del d["kind"]
    assert error_of(d).key == "kind"
    err = error_of({**COLLISION, "kind": "lindblad"})
    assert err.key == "kind" and "'collision'" in err.expected and "'lindblad' (str)" in err.got


def test_unknown_key_suggests_the_close_one():
    err = error_of(with_(COLLISION, "model.kapa", 0.3))
    assert err.key == "model.kapa"
    assert "an unknown key" in err.got and "did you mean 'kappa'?" in err.got
    assert "omega_s" in err.expected


def test_initial_needs_exactly_one_form():
    err = error_of(with_(COLLISION, "initial.basis", [0]))
    assert err.key == "initial" and err.got == "bloch and basis"
    err = error_of({**COLLISION, "initial": {}})
    assert err.got == "none of them"


def test_pauli_strings_checked_against_qubit_counts():
    model = {
        "preset": "pauli",
        "system_qubits": 1,
        "ancilla_qubits": 2,
        "h_s": [[0.5, "Z"]],
        "h_e": [[0.25, "ZI"], [0.75, "IZ"]],
        "h_se": [[0.2, "XXI"], [0.2, "YY"]],
        "beta": 1.0,
        "dt": 0.1,
    }
    err = error_of({**COLLISION, "model": model})
    assert (
        err.key == "model.h_se[1][1]"
        and "3 letters" in err.expected
        and "'YY' (2 letters)" == err.got
    )
    bad = dict(model, h_s=[[0.5, "Q"]])
    assert error_of({**COLLISION, "model": bad}).key == "model.h_s[0][1]"
    bad = dict(model, h_s=[["half", "Z"]])
    assert error_of({**COLLISION, "model": bad}).key == "model.h_s[0][0]"
    ok = dict(model, h_se=[[0.2, "XXI"], [[0.0, 0.1], "YYI"], "ZZZ"])
    cfg = parse_config({**COLLISION, "model": ok})
    assert cfg.get("model.h_se") == [[0.2, 0.0, "XXI"], [0.0, 0.1, "YYI"], [1.0, 0.0, "ZZZ"]]


def test_pauli_operator_is_the_sum_of_kronecker_products():
    from qbath.config._pauli import pauli_operator

    op = pauli_operator([[0.5, 0.0, "ZI"], [0.0, 0.25, "+-"]])
    want = 0.5 * np.kron(qb.sigmaz(), np.eye(2)) + 0.25j * np.kron(qb.sigmap(), qb.sigmam())
    assert np.allclose(op, want)


def test_gksl_needs_one_generator_and_checks_bath_ops():
    base = {
        "kind": "gksl",
        "model": {"preset": "pauli", "qubits": 1, "h": [[0.5, "Z"]]},
        "initial": {"basis": [0]},
        "solver": {"t_max": 1.0},
    }
    err = error_of(base)
    assert err.key == "model.lindblad" and err.got == "neither"
    both = with_(base, "model.lindblad", [{"rate": 0.1, "op": "-"}])
    both["model"]["baths"] = [{"op": "X", "alpha": 0.1, "cutoff": 5.0, "temperature": 1.0}]
    assert error_of(both).got == "both"
    bad = with_(
        base, "model.baths", [{"op": "XX", "alpha": 0.1, "cutoff": 5.0, "temperature": 1.0}]
    )
    assert error_of(bad).key == "model.baths[0].op[0][1]"
    bad = with_(base, "model.baths", [{"op": "X", "alpha": 0.1, "cutoff": 0.0, "temperature": 1.0}])
    err = error_of(bad)
    assert err.key == "model.baths[0].cutoff" and err.expected == "a real number > 0"
    three = {**base, "model": {"preset": "three_qubits", "omega0": 1.0, "coupling_zz": 0.1}}
    assert error_of(three).key == "model.bath"
    three["model"]["bath"] = {"alpha": 0.01, "cutoff": 10.0, "temperature": 0.5}
    err = error_of(three)  # basis [0] is one qubit, the preset has three
    assert err.key == "initial.basis" and "3 basis indices" in err.expected


def test_spins_shapes_and_outputs():
    base = {
        "kind": "spins",
        "model": {
            "n": 3,
            "field": [0, 0, 1],
            "coupling": {"matrix": [1, 1, 0], "topology": "chain"},
        },
        "initial": {"bloch": [1, 0, 0]},
        "solver": {"t_max": 2.0},
    }
    cfg = parse_config(base)
    assert cfg.get("solver.level") == "cumulant" and cfg.get("model.coupling.strength") == 1.0
    assert cfg.get("solver.method") is None
    assert error_of(with_(base, "model.field", [[0, 0, 1]] * 2)).key == "model.field"
    assert error_of(with_(base, "initial.bloch", [[1, 0, 0]] * 2)).key == "initial.bloch"
    assert error_of(with_(base, "sweep.outputs", ["final_z3"])).key == "sweep.outputs[0]"
    assert (
        error_of(with_(base, "model.coupling.matrix", [[1, 0], [0, 1]])).key
        == "model.coupling.matrix"
    )
    assert error_of(with_(base, "solver.order", 4)).key == "solver.order"
    assert parse_config(with_(base, "sweep.outputs", ["final_z2", "final_mean_x"]))


def test_toml_text_syntax_error_and_source_named(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text("kind = 'qubit'\n[model\n")
    with pytest.raises(ConfigError) as exc:
        qb.config.load_config(p)
    assert str(exc.value).startswith(f"{p}: <top level>: expected valid TOML, got a syntax error")
    p.write_text(QUBIT_TOML.replace("gamma = 0.2", "gamma = -0.2"))
    with pytest.raises(
        ConfigError,
        match=r"bad\.toml: model\.gamma: expected a real number >= 0, got -0\.2 \(float\)",
    ):
        qb.config.load_config(p)
    with pytest.raises(ConfigError, match="expected a readable TOML file"):
        qb.config.load_config(tmp_path / "missing.toml")


def test_overrides_and_with_values_revalidate(tmp_path):
    p = tmp_path / "q.toml"
    p.write_text(QUBIT_TOML)
    cfg = qb.config.load_config(p, {"model.beta": 0.5, "solver.n_times": 11})
    assert cfg.get("model.beta") == 0.5 and cfg.get("solver.n_times") == 11
    assert cfg.with_values({"model.gamma": 1.0}).get("model.gamma") == 1.0
    assert cfg.get("model.gamma") == 0.2  # immutable
    with pytest.raises(ConfigError, match="model.gamma: expected a real number >= 0, got -1.0"):
        cfg.with_values({"model.gamma": -1.0})
    assert cfg.name == "relaxing qubit"


def test_parse_value_reads_toml_or_falls_back_to_text():
    pv = qb.config.parse_value
    assert pv("1.5") == 1.5 and pv("3") == 3 and pv("true") is True
    assert pv("[0, 0, 1]") == [0, 0, 1] and pv('"exact"') == "exact" and pv("exact") == "exact"
    assert pv("inf") == float("inf")


def test_resolve_key_bare_dotted_ambiguous_and_non_numeric():
    cfg = parse_config(COLLISION)
    assert resolve_key(cfg, "kappa") == "model.kappa"
    assert resolve_key(cfg, "model.dt") == "model.dt"
    assert resolve_key(cfg, "n_collisions") == "solver.n_collisions"
    with pytest.raises(ConfigError, match="kapa: expected a key of this configuration"):
        resolve_key(cfg, "kapa")
    with pytest.raises(ConfigError, match="solver.method: expected a numeric key"):
        resolve_key(cfg, "method")
    gk = parse_config(
        {
            "kind": "gksl",
            "model": {
                "preset": "pauli",
                "qubits": 1,
                "h": [[0.5, "Z"]],
                "baths": [
                    {"op": "X", "alpha": 0.1, "cutoff": 5.0, "temperature": 1.0},
                    {"op": "Z", "alpha": 0.1, "cutoff": 5.0, "temperature": 2.0},
                ],
            },
            "initial": {"basis": [0]},
            "solver": {"t_max": 1.0},
        }
    )
    with pytest.raises(
        ConfigError,
        match="ambiguous name matching model.baths\\[0\\].temperature, model.baths\\[1\\].temperature",
    ):
        resolve_key(gk, "temperature")
    assert resolve_key(gk, "model.baths.1.temperature") == "model.baths[1].temperature"
    assert (
        gk.with_values({"model.baths[1].temperature": 3.0}).get("model.baths[1].temperature") == 3.0
    )


def test_register_kind_rejects_non_problems_and_duplicates():
    with pytest.raises(qb.InputError, match="expected a Problem subclass"):
        qb.config.register_kind(dict)
    with pytest.raises(qb.InputError, match="already registered"):
        qb.config.register_kind(qb.config.KINDS["qubit"])
