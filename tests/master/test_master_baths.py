"""Baths: rates (seed Eq. 28), detailed balance, Lamb shift (Eq. 29 with 1/2pi) against closed forms,
an independent Cauchy-weight quadrature, the seed's own mode sum (Eq. 27) and QuTiP's spectra."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate
from scipy.special import expi

import qbath as qb

BATHS = [
    qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5),
    qb.OhmicBath(alpha=0.02, cutoff=1.0, temperature=3.0),
    qb.PowerLawBath(alpha=0.1, cutoff=3.0, exponent=3.0, temperature=2.0),
    qb.PowerLawBath(alpha=0.1, cutoff=2.0, exponent=0.5, temperature=0.3),
    qb.DrudeLorentzBath(reorganization=0.1, cutoff=2.0, temperature=1.0),
]


def test_ohmic_rate_is_seed_eq28_written_out():
    a, wc, T = 0.05, 5.0, 0.5
    bath = qb.OhmicBath(alpha=a, cutoff=wc, temperature=T)
    J = lambda x: 2 * math.pi * a * x * math.exp(-x / wc)  # noqa: E731  (seed Eq. 30)
    n = lambda x: 1.0 / (math.exp(x / T) - 1.0)  # noqa: E731
    for w in (0.1, 0.8, 1.0, 2.5, 9.0):
        assert bath.rate(w) == pytest.approx(J(w) * (1 + n(w)), rel=1e-13)
        assert bath.rate(-w) == pytest.approx(J(w) * n(w), rel=1e-13)
    assert bath.rate(0.0) == pytest.approx(
        2 * math.pi * a * T, rel=1e-14
    )  # gamma(0) = 2 pi alpha T
    # continuity at omega -> 0 from both sides
    assert bath.rate(1e-7) == pytest.approx(bath.rate(0.0), rel=1e-6)
    assert bath.rate(-1e-7) == pytest.approx(bath.rate(0.0), rel=1e-6)
    assert bath.spectral_density(2.0) == pytest.approx(J(2.0))
    assert bath.occupation(1.0) == pytest.approx(n(1.0))


def test_zero_temperature():
    bath = qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.0)
    w = np.array([-2.0, -0.1, 0.0, 0.1, 2.0])
    r = bath.rate(w)
    assert np.all(r[:3] == 0)
    assert r[3:] == pytest.approx(bath.spectral_density(w[3:]))
    assert bath.occupation(1.0) == 0.0


@pytest.mark.parametrize("bath", BATHS, ids=lambda b: type(b).__name__)
def test_detailed_balance(bath):
    w = np.linspace(0.05, 6.0, 37)
    assert np.allclose(bath.rate(-w), np.exp(-w / bath.temperature) * bath.rate(w), rtol=1e-12)


def test_rates_equal_qutip_power_spectrum():
    qt = pytest.importorskip("qutip")
    w = np.array([-3.0, -0.7, 0.4, 1.0, 4.0])
    T = 0.8
    ohm = qb.OhmicBath(alpha=0.03, cutoff=4.0, temperature=T)
    # QuTiP normalises J with pi, qbath (seed Eq. 30) with 2 pi: alpha_qutip = pi alpha
    env = qt.OhmicEnvironment(T=T, alpha=math.pi * 0.03, wc=4.0, s=1)
    assert np.allclose(ohm.rate(w), env.power_spectrum(w), rtol=1e-10)
    dl = qb.DrudeLorentzBath(reorganization=0.2, cutoff=1.5, temperature=T)
    env = qt.DrudeLorentzEnvironment(T=T, lam=0.2, gamma=1.5)
    assert np.allclose(dl.rate(w), env.power_spectrum(w), rtol=1e-10)


def test_lamb_shift_ohmic_zero_temperature_closed_form():
    a, wc = 0.05, 5.0
    bath = qb.OhmicBath(alpha=a, cutoff=wc, temperature=0.0)
    w = np.array([-7.0, -3.0, -0.2, 1e-3, 0.2, 1.0, 4.9, 5.0, 20.0, 60.0])
    exact = a * (-wc + w * np.exp(-w / wc) * expi(w / wc))  # S = alpha[-wc + w e^{-w/wc} Ei(w/wc)]
    assert np.allclose(bath.lamb_shift(w), exact, rtol=1e-9, atol=0)
    assert bath.lamb_shift(0.0) == pytest.approx(-a * wc, rel=1e-12)


def _cauchy_reference(bath, w):
    """(1/2pi) P int gamma(W)/(w - W) dW with QUADPACK's Cauchy weight on [-L, L] plus tails."""
    g = bath._rate_scalar
    L = abs(w) + 40 * max(bath.scale, bath.temperature)
    v = -integrate.quad(g, -L, L, weight="cauchy", wvar=w, limit=1000)[0]
    v += integrate.quad(lambda x: g(x) / (w - x), L, np.inf, limit=200)[0]
    v += integrate.quad(lambda x: g(x) / (w - x), -np.inf, -L, limit=200)[0]
    return v / (2 * math.pi)


@pytest.mark.parametrize(
    "bath", [BATHS[0], BATHS[1], BATHS[2], BATHS[4]], ids=lambda b: type(b).__name__
)
def test_lamb_shift_against_cauchy_weight_quadrature(bath):
    for w in (-2.0, -0.3, 0.45, 2.0):  # (omega = 0 has its exact value in the next test)
        ref = _cauchy_reference(bath, w)
        assert bath.lamb_shift(w) == pytest.approx(ref, rel=1e-9, abs=1e-12)


def test_lamb_shift_zero_frequency_is_temperature_independent():
    # 2 pi S(0) = -int J(u)/u du, independent of T
    for T in (0.0, 0.3, 5.0):
        assert qb.OhmicBath(alpha=0.05, cutoff=5.0, temperature=T).lamb_shift(0.0) == pytest.approx(
            -0.25, rel=1e-11
        )
        assert qb.DrudeLorentzBath(reorganization=0.1, cutoff=2.0, temperature=T).lamb_shift(
            0.0
        ) == pytest.approx(-0.1, rel=1e-10)


def test_lamb_shift_equals_seed_mode_sum_eq27():
    """Eq. 27 (a sum over discrete modes) with g_k^2 = J(W_k) dW / (2 pi) (Eq. 30) converges to
    qbath's S, i.e. to Eq. 29 *with* 1/(2 pi); the literal Eq. 29 is 2 pi times larger."""
    bath = qb.OhmicBath(alpha=0.05, cutoff=2.0, temperature=0.7)
    w = 1.0
    dW = 1e-3
    W = (np.arange(1, 40_000) - 0.5) * dW  # w sits half-way between two modes: midpoint PV rule
    J = bath.spectral_density(W)
    n = bath.occupation(W)
    g2 = J * dW / (2 * math.pi)
    mode_sum = np.sum(g2 * (n / (w + W) + (1 + n) / (w - W)))
    S = bath.lamb_shift(w)
    assert mode_sum == pytest.approx(S, rel=2e-5)
    assert abs(2 * math.pi * S - mode_sum) > 1.0 * abs(mode_sum)  # literal Eq. 29 is off by 2 pi


def test_custom_bath_reproduces_ohmic():
    a, wc, T = 0.05, 5.0, 0.5
    ohm = qb.OhmicBath(alpha=a, cutoff=wc, temperature=T)
    cus = qb.CustomBath(
        lambda x: 2 * np.pi * a * x * np.exp(-x / wc), temperature=T, scale=wc, vectorized=True
    )
    w = np.array([-1.5, -0.2, 0.0, 0.3, 2.0])
    assert np.allclose(cus.rate(w), ohm.rate(w), rtol=1e-6)  # gamma(0) uses J(h)/h
    assert np.allclose(cus.rate(w[w != 0]), ohm.rate(w[w != 0]), rtol=1e-13)
    assert np.allclose(cus.lamb_shift(w), ohm.lamb_shift(w), rtol=1e-10)


def test_subohmic_zero_frequency_rate_is_infinite():
    b = qb.PowerLawBath(alpha=0.1, cutoff=2.0, exponent=0.5, temperature=0.3)
    assert b.rate(0.0) == math.inf
    assert np.isfinite(b.lamb_shift(0.0))


def test_bad_bath_input():
    with pytest.raises(qb.InputError, match="temperature: expected a value >= 0"):
        qb.OhmicBath(alpha=0.1, cutoff=1.0, temperature=-0.1)
    with pytest.raises(qb.InputError, match="cutoff: expected a value > 0"):
        qb.OhmicBath(alpha=0.1, cutoff=0.0, temperature=1.0)
    with pytest.raises(qb.InputError, match="alpha"):
        qb.OhmicBath(alpha=float("nan"), cutoff=1.0)
    with pytest.raises(qb.InputError, match="spectral_density_function: expected a callable"):
        qb.CustomBath(3.0)
    with pytest.raises(qb.InputError, match="omega: expected finite"):
        BATHS[0].rate(np.nan)
    with pytest.raises(qb.InputError, match="omega: expected frequencies >= 0"):
        BATHS[0].occupation(-1.0)
