"""Unphysical baths are refused where they are used; the default freq_tol keeps distinct Bohr
frequencies of a truncated displaced oscillator apart."""

import warnings

import numpy as np
import pytest

import qbath as qb


def test_custom_bath_negative_somewhere_is_refused():
    with pytest.raises(
        qb.InputError, match=r"spectral_density_function: expected a finite J\(omega\) >= 0"
    ):
        qb.CustomBath(lambda w: w * np.cos(w), temperature=0.5)


def test_custom_bath_negative_at_a_bohr_frequency_is_refused_by_davies():
    # J < 0 only on a narrow band around 3.05, between the construction probes
    def J(w):
        return w * np.exp(-w) - (0.5 if abs(w - 3.05) < 0.01 else 0.0)

    bath = qb.CustomBath(J, temperature=0.5)
    H = np.diag([3.05, 0.0])
    with pytest.raises(qb.InputError, match=r"J\(3\.05\) = "):
        qb.davies(H, [(qb.sigmax(), bath)])


def test_custom_bath_bad_return_types():
    with pytest.raises(
        qb.InputError, match="expected J\\(omega\\) to return a real number, got complex"
    ):
        qb.CustomBath(lambda w: 1j * w)
    with pytest.raises(qb.InputError, match="raised ZeroDivisionError"):
        qb.CustomBath(lambda w: 1 / 0)
    with pytest.raises(qb.InputError, match="vectorized: expected True or False"):
        qb.CustomBath(lambda w: w * np.exp(-w), vectorized="yes")


def test_bath_accepts_beta_or_temperature():
    a = qb.OhmicBath(0.01, 5.0, temperature=0.5)
    b = qb.OhmicBath(0.01, 5.0, beta=2.0)
    assert a == b
    # detailed balance gamma(-w)/gamma(w) = exp(-beta w), written independently
    assert b.rate(-1.3) / b.rate(1.3) == pytest.approx(np.exp(-2.0 * 1.3), rel=1e-12)
    assert qb.DrudeLorentzBath(0.1, 1.0, beta=np.inf).temperature == 0.0
    with pytest.raises(qb.InputError, match="beta: expected beta or temperature, got both"):
        qb.OhmicBath(0.01, 5.0, temperature=0.5, beta=2.0)
    with pytest.raises(qb.InputError, match="beta: expected beta > 0"):
        qb.PowerLawBath(0.01, 5.0, 2.0, beta=0.0)


def test_default_freq_tol_keeps_distinct_frequencies_of_displaced_oscillator():
    N = 10
    a = qb.destroy(N)
    H = a.conj().T @ a + 0.3 * (a + a.conj().T)
    E = np.linalg.eigvalsh(H)
    w = np.sort((E[None, :] - E[:, None]).ravel())
    gaps = np.diff(w)
    assert np.any((gaps > 1e-9) & (gaps < 1e-8))  # near-degenerate Bohr frequencies exist
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        G = qb.davies(H, [(a + a.conj().T, qb.OhmicBath(0.01, 10.0, temperature=1.0))])
    assert G.strict_secular
    # no cluster wider than the noise level 1e-10 (E_max - E_min)
    assert float(np.max(G.clusters.spread)) <= 1e-10 * (E[-1] - E[0])
    assert G.freq_tol == pytest.approx(1e-10 * (E[-1] - E[0]))
    # an explicit coarse tolerance still merges them and says so
    with pytest.warns(qb.QbathWarning, match="not the strict secular"):
        qb.davies(H, [(a + a.conj().T, qb.OhmicBath(0.01, 10.0, temperature=1.0))], freq_tol=1e-7)


def test_davies_flags_are_bools():
    with pytest.raises(qb.InputError, match="lamb_shift: expected True or False, got str 'no'"):
        qb.davies(
            qb.sigmaz(), [(qb.sigmax(), qb.OhmicBath(0.01, 5.0, temperature=0.5))], lamb_shift="no"
        )


def test_davies_refuses_a_negative_rate_from_any_bath():
    """A Bath subclass whose rate is negative at a Bohr frequency: refused, never dropped."""

    class Antibath(qb.master.Bath):
        temperature = 0.5
        scale = 1.0

        def rate(self, omega):
            return -np.abs(np.asarray(omega, dtype=float)) - 0.1

        def __repr__(self):
            return "Antibath()"

    with pytest.raises(
        qb.InputError, match=r"couplings: expected a bath rate gamma\(omega\) >= 0 .* Antibath"
    ):
        qb.davies(qb.sigmaz(), [(qb.sigmax(), Antibath())], lamb_shift=False)
