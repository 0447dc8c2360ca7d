"""Collective observables: one-axis twisting against the Kitagawa-Ueda closed form (exact solver,
N = 6), coherent spin states, and the covariance against a direct sum over the correlations."""

from __future__ import annotations

import numpy as np

import qbath.spins as qs
from qbath.spins import kitagawa_ueda, oat_model


def test_one_axis_twisting_against_kitagawa_ueda():
    n = 6
    t = np.linspace(0, 1.2, 13)
    ex = qs.exact(oat_model(n), [1.0, 0.0, 0.0], t)
    sx, xi = kitagawa_ueda(n, 1.0, t)
    np.testing.assert_allclose(qs.total_spin(ex)[:, 0], sx, atol=1e-8)
    np.testing.assert_allclose(qs.squeezing_parameter(ex), xi, rtol=1e-6)
    assert np.min(xi) < 0.5  # the closed form does squeeze here: the test is not vacuous


def test_coherent_spin_state(rng):
    n = 5
    d = rng.normal(size=3)
    d /= np.linalg.norm(d)
    r = qs.meanfield(qs.SpinModel(np.zeros((n, 3))), d, [0.0])
    np.testing.assert_allclose(qs.total_spin(r)[0], n / 2 * d, atol=1e-14)
    cov = qs.spin_covariance(r)[0]
    np.testing.assert_allclose(cov, n / 4 * (np.eye(3) - np.outer(d, d)), atol=1e-13)
    np.testing.assert_allclose(qs.squeezing_parameter(r), [1.0], atol=1e-12)


def test_covariance_from_correlations_and_unsqueezed_mean_field(rng):
    n = 4
    m = qs.SpinModel(rng.normal(size=(n, 3)), 0.4 * rng.normal(size=(n, n, 3, 3)), 0.1, 0.1, 0.1)
    s = rng.normal(size=(n, 3))
    s /= 1.3 * np.linalg.norm(s, axis=1)[:, None]
    t = np.linspace(0, 1, 5)
    ex = qs.exact(m, s, t)
    S = 0.5 * ex.bloch.sum(axis=1)
    second = np.zeros((t.size, 3, 3))
    for i in range(n):
        for j in range(n):
            second += 0.25 * (ex.correlations[:, i, j] if i != j else np.eye(3))
    np.testing.assert_allclose(
        qs.spin_covariance(ex), second - S[:, :, None] * S[:, None, :], atol=1e-12
    )
    # product states are never squeezed: xi_R^2 >= 1 along any mean-field trajectory
    assert np.all(qs.squeezing_parameter(qs.meanfield(m, s, t)) >= 1 - 1e-12)


def test_zero_mean_spin_gives_infinite_parameter():
    r = qs.meanfield(qs.SpinModel(np.zeros((2, 3))), [0.0, 0.0, 0.0], [0.0])
    assert np.isinf(qs.squeezing_parameter(r)[0])
