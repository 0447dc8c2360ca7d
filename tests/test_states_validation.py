"""Measures refuse non-states by default (``check=False`` opts out) and obscure inputs get an
InputError naming the argument."""

import numpy as np
import pytest

import qbath as qb


@pytest.mark.parametrize(
    ("func", "arg", "bad"),
    [
        (qb.von_neumann_entropy, "rho", np.diag([1.5, -0.5])),
        (qb.mutual_information, "rho_ab", np.eye(4) / 2),
        (qb.l1_coherence, "rho", np.eye(2)),
        (qb.l1_coherence, "rho", np.diag([1.5, -0.5])),
        (qb.l1_coherence, "rho", np.array([[0.5, 0.4], [0.0, 0.5]])),
        (qb.purity, "rho", np.eye(3)),
    ],
)
def test_measures_refuse_non_states(func, arg, bad):
    with pytest.raises(
        qb.InputError, match=rf"^{arg}: expected a (density matrix|Hermitian|positive)"
    ):
        func(bad)


def test_check_false_is_the_opt_out():
    # the formula applied to the matrix as given: -sum p ln p with 0 ln 0 = 0 and p < 0 counted as 0
    assert qb.von_neumann_entropy(np.diag([1.5, -0.5]), check=False) == pytest.approx(
        -1.5 * np.log(1.5)
    )
    assert qb.l1_coherence(np.array([[1.0, 0.3], [0.3, 1.0]]), check=False) == pytest.approx(0.6)
    with pytest.raises(qb.InputError, match="check: expected True or False"):
        qb.purity(np.eye(2) / 2, check="no")


def test_stacks_are_validated_entry_by_entry():
    good = np.stack([np.eye(2) / 2, np.diag([1.0, 0.0])])
    assert np.allclose(qb.von_neumann_entropy(good), [np.log(2), 0.0])
    bad = np.stack([np.eye(2) / 2, np.eye(2)])
    with pytest.raises(qb.InputError, match=r"unit trace, got trace 2 \(entry \(1,\)\)"):
        qb.von_neumann_entropy(bad)


@pytest.mark.parametrize("base", [0.0, -2.0, 1.0, "2", np.nan, True, 1j])
def test_invalid_log_base(base):
    with pytest.raises(qb.InputError, match="^base: expected"):
        qb.von_neumann_entropy(np.eye(2) / 2, base=base)


def test_entropy_in_bits_matches_log2():
    p = np.array([0.7, 0.2, 0.1])
    assert qb.von_neumann_entropy(np.diag(p), base=2) == pytest.approx(-np.sum(p * np.log2(p)))
    assert qb.mutual_information(
        qb.ket2dm(np.array([1, 0, 0, 1]) / np.sqrt(2)), base=2
    ) == pytest.approx(2.0)


def test_obscure_failures_are_input_errors():
    with pytest.raises(qb.InputError, match="^rho: expected finite values"):
        qb.ptrace(np.full((4, 4), np.nan), [0], [2, 2])
    with pytest.raises(qb.InputError, match="^keep: expected integer subsystem indices"):
        qb.ptrace(np.eye(4) / 4, [1.9], [2, 2])
    with pytest.raises(qb.InputError, match="^H: expected a non-empty square matrix"):
        qb.thermal_state(np.zeros((0, 0)), 1.0)
    with pytest.raises(
        qb.InputError, match="^beta: expected a real number representable as a float"
    ):
        qb.thermal_state(qb.sigmaz(), 10**400)
    with pytest.raises(
        qb.InputError, match="^rho: expected a square matrix of numbers, got array of shape"
    ):
        qb.von_neumann_entropy(np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(qb.InputError, match="^ops\\[1\\]: expected a non-empty matrix"):
        qb.tensor(qb.sigmax(), np.zeros((0, 0)))
    gksl = qb.davies(qb.sigmaz(), [(qb.sigmax(), qb.OhmicBath(0.02, 5.0, temperature=0.5))])
    with pytest.raises(qb.InputError, match="^t: expected a time >= 0 or a non-empty"):
        qb.propagator(gksl, [])


def test_zero_collisions_return_the_initial_state():
    m = qb.collision.structured_example2(1.0, 0.5, 1.5, 1.0, 0.3, beta=1.0, dt=0.1)
    rho = qb.thermal_state(m.h_s, 0.3)
    for method in ("exact", "second_order"):
        r = qb.collision.evolve(m, rho, 0, method=method)
        assert r.states.shape == (1, 2, 2)
        assert np.allclose(r.states[0], rho)
        assert r.heat.shape == (0,)


def test_thermal_state_accepts_temperature_or_beta():
    H = np.diag([0.0, 1.0])
    want = np.diag([1.0, np.exp(-2.0)]) / (1 + np.exp(-2.0))
    assert np.allclose(qb.thermal_state(H, 2.0), want)
    assert np.allclose(qb.thermal_state(H, temperature=0.5), want)
    assert np.allclose(qb.thermal_state(H, temperature=0.0), np.diag([1.0, 0.0]))
    with pytest.raises(qb.InputError, match="^beta: expected beta or temperature .* got both"):
        qb.thermal_state(H, 2.0, temperature=0.5)


def test_coercion_that_changed_meaning_is_refused():
    gksl = qb.davies(qb.sigmaz(), [(qb.sigmax(), qb.OhmicBath(0.02, 5.0, temperature=0.5))])
    rho = np.eye(2) / 2
    with pytest.raises(
        qb.InputError, match="^tlist: expected real times, got an array of dtype complex"
    ):
        qb.mesolve(gksl, rho, [0, 1j, 2])
    with pytest.raises(qb.InputError, match="^store_states: expected True or False, got str 'no'"):
        qb.mesolve(gksl, rho, [0, 1], store_states="no")
    with pytest.raises(qb.InputError, match="^cutoff: expected an integer >= 1, got float 2.7"):
        qb.collision.StructuredAncilla.bosons([1.0, 2.0], 0.1, cutoff=2.7)
    with pytest.raises(qb.InputError, match="^beta: expected a real number, got bool True"):
        qb.thermal_state(qb.sigmaz(), True)
    with pytest.raises(qb.InputError, match="^beta: expected a real number, got str '1.0'"):
        qb.thermal_state(qb.sigmaz(), "1.0")
