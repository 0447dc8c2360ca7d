"""qb.plot.bloch_reduced: each qubit's reduced Bloch vector, against Tr[(1 x sigma_a x 1) rho]
built with Kronecker products, and on every kind of data it accepts."""

from functools import reduce

import numpy as np
import pytest

import qbath as qb
from conftest import rand_dm

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PAULI = [qb.sigmax(), qb.sigmay(), qb.sigmaz()]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def embedded(p, q, dims):
    return reduce(np.kron, [p if k == q else np.eye(d) for k, d in enumerate(dims)])


def by_hand(states, q, dims):
    """(T, 3): <sigma_a on subsystem q> = Tr[(1 x .. x sigma_a x .. x 1) rho(t)]."""
    return np.stack(
        [np.real(np.einsum("ij,tji->t", embedded(p, q, dims), states)) for p in PAULI], axis=1
    )


def drawn(axes):
    """{label: (T, 3)} of the curves in the three panels."""
    out = {}
    for a, ax in enumerate(axes):
        for line in ax.get_lines():
            out.setdefault(line.get_label(), [None] * 3)[a] = np.asarray(line.get_ydata())
    return {k: np.stack(v, axis=1) for k, v in out.items()}


def run(states, times=None):
    times = np.linspace(0.0, 1.0, len(states)) if times is None else times
    return qb.solve.Result(times=times, states=states, expect=[], final_state=states[-1])


def test_reduced_vectors_of_random_three_qubit_states_match_the_hand_computation(rng):
    states = np.stack([rand_dm(8, rng) for _ in range(5)])
    axes = qb.plot.bloch_reduced(run(states))
    assert axes.shape == (3,)
    curves = drawn(axes)
    assert sorted(curves) == ["qubit 0", "qubit 1", "qubit 2"]
    for q in range(3):
        assert np.allclose(curves[f"qubit {q}"], by_hand(states, q, (2, 2, 2)), atol=1e-13)
    assert [ax.get_ylabel() for ax in axes] == [
        r"$\langle\sigma_x\rangle$",
        r"$\langle\sigma_y\rangle$",
        r"$\langle\sigma_z\rangle$",
    ]
    assert axes[-1].get_xlabel() == "time $t$"
    assert [t.get_text() for t in axes[0].get_legend().get_texts()] == [
        "qubit 0",
        "qubit 1",
        "qubit 2",
    ]


def test_product_and_bell_states():
    s = np.array([[0.3, -0.4, 0.5], [0.0, 0.9, -0.1]])
    prod = np.kron(qb.bloch_state(s[0]), qb.bloch_state(s[1]))
    bell = np.zeros((4, 4))
    bell[np.ix_([0, 3], [0, 3])] = 0.5  # (|00> + |11>)/sqrt 2: maximally mixed halves
    curves = drawn(qb.plot.bloch_reduced(run(np.stack([prod, bell]))))
    for q in range(2):
        assert np.allclose(curves[f"qubit {q}"][0], s[q], atol=1e-14)
        assert np.allclose(curves[f"qubit {q}"][1], 0.0, atol=1e-14)


def test_mixed_dimensions_select_and_a_dataset_gives_the_same_curves(rng):
    dims = (2, 3, 2)
    states = np.stack([rand_dm(12, rng) for _ in range(4)])
    curves = drawn(qb.plot.bloch_reduced(run(states), qubits=[2], dims=dims))
    assert list(curves) == ["qubit 2"]
    assert np.allclose(curves["qubit 2"], by_hand(states, 2, dims), atol=1e-13)
    pytest.importorskip("xarray")
    ds = run(states).to_dataset(states=True)
    again = drawn(qb.plot.bloch_reduced(ds, qubits=2, dims=dims))
    assert np.allclose(again["qubit 2"], curves["qubit 2"], atol=1e-15)


def test_a_mesolve_trajectory_and_given_axes():
    """Two qubits, sigma_x sigma_x coupling, decay of qubit 0 only: drawn on the caller's Axes."""
    H = 0.5 * np.kron(qb.sigmax(), qb.sigmax()) + 0.3 * np.kron(qb.sigmaz(), np.eye(2))
    c_ops = [np.sqrt(0.2) * np.kron(qb.sigmam(), np.eye(2))]
    rho0 = np.kron(qb.bloch_state([0.0, 0.0, 1.0]), qb.bloch_state([1.0, 0.0, 0.0]))
    t = np.linspace(0.0, 5.0, 26)
    res = qb.mesolve(H, rho0, t, c_ops)
    fig, axes = plt.subplots(1, 3)
    out = qb.plot.bloch_reduced(res, axes=axes, lw=2)
    assert all(a is b for a, b in zip(out, axes, strict=True))
    curves = drawn(axes)
    states = np.asarray(res.states)
    for q in range(2):
        assert np.allclose(curves[f"qubit {q}"], by_hand(states, q, (2, 2)), atol=1e-13)
    assert axes[0].get_lines()[0].get_linewidth() == 2


def test_a_spin_result_draws_its_per_spin_bloch_vectors(rng):
    bloch = rng.uniform(-0.5, 0.5, size=(6, 4, 3))
    physical = qb.spins.Physicality(True, 0.87, None, 0, None)
    res = qb.spins.SpinResult(np.arange(6.0), bloch, None, np.zeros((6, 3, 3)), physical, {})
    curves = drawn(qb.plot.bloch_reduced(res, qubits=(1, 3)))
    assert np.array_equal(curves["qubit 1"], bloch[:, 1]) and np.array_equal(
        curves["qubit 3"], bloch[:, 3]
    )


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"qubits": 3}, "qubits"),
        ({"qubits": [0, 0]}, "qubits"),
        ({"qubits": True}, "qubits"),
        ({"qubits": [1.0]}, "qubits"),
        ({"qubits": []}, "qubits"),
        ({"dims": (2, 3)}, "dims"),
        ({"dims": (2, 2.0)}, "dims"),
        ({"dims": (4,), "qubits": 0}, "qubits"),
    ],
)
def test_bad_arguments_are_refused_by_name(rng, kwargs, name):
    states = np.stack([rand_dm(4, rng) for _ in range(3)])
    with pytest.raises(qb.InputError, match=f"^{name}: expected"):
        qb.plot.bloch_reduced(run(states), **kwargs)


def test_no_states_or_not_qubits_or_wrong_axes(rng):
    res = qb.mesolve(0.5 * qb.sigmaz(), qb.bloch_state([1, 0, 0]), [0, 1], store_states=False)
    with pytest.raises(qb.InputError, match="^data: expected a result with stored states"):
        qb.plot.bloch_reduced(res)
    with pytest.raises(qb.InputError, match="^dims: expected the subsystem dimensions"):
        qb.plot.bloch_reduced(run(np.stack([rand_dm(3, rng)] * 2)))
    with pytest.raises(qb.InputError, match="^axes: expected three Axes"):
        qb.plot.bloch_reduced(run(np.stack([rand_dm(4, rng)] * 2)), axes=plt.subplots(1, 2)[1])
    with pytest.raises(qb.InputError, match="^data: expected a qbath result"):
        qb.plot.bloch_reduced(np.zeros((2, 4, 4)))
