"""The closed-form relaxing qubit against mesolve of the same master equation."""

import numpy as np
import pytest

import qbath as qb


@pytest.mark.parametrize("beta", [0.7, 3.0, np.inf])
def test_qubit_relaxation_matches_mesolve(beta):
    omega, gamma = 1.3, 0.25
    nbar = 0.0 if np.isinf(beta) else 1.0 / np.expm1(beta * omega)
    H = 0.5 * omega * qb.sigmaz()
    c_ops = [np.sqrt(gamma * (nbar + 1)) * qb.sigmam(), np.sqrt(gamma * nbar) * qb.sigmap()]
    s0 = np.array([0.6, -0.3, 0.5])
    times = np.linspace(0.0, 12.0, 25)
    out = qb.mesolve(H, qb.bloch_state(s0), times, c_ops, method=qb.Dopri5(rtol=1e-10, atol=1e-12))
    expected = qb.bloch_vector(out.states)
    assert np.allclose(
        qb.master.qubit_relaxation(omega, gamma, beta, s0, times), expected, atol=1e-8
    )


def test_qubit_relaxation_reaches_the_thermal_state():
    omega, beta = 1.0, 2.0
    s = qb.master.qubit_relaxation(omega, 0.5, beta, [0, 0, 1], [0.0, 200.0])
    assert np.allclose(
        qb.bloch_state(s[-1]), qb.thermal_state(0.5 * omega * qb.sigmaz(), beta), atol=1e-12
    )


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((0.0, 0.1, 1.0, [0, 0, 1], [0, 1]), "omega"),
        ((1.0, -0.1, 1.0, [0, 0, 1], [0, 1]), "gamma"),
        ((1.0, 0.1, 0.0, [0, 0, 1], [0, 1]), "beta"),
        ((1.0, 0.1, 1.0, [0, 0, 2], [0, 1]), "bloch0"),
        ((1.0, 0.1, 1.0, [0, 1], [0, 1]), "bloch0"),
        ((1.0, 0.1, 1.0, [0, 0, 1], [1, 0]), "times"),
    ],
)
def test_qubit_relaxation_bad_input(args, name):
    with pytest.raises(qb.InputError, match=f"^{name}:"):
        qb.master.qubit_relaxation(*args)
