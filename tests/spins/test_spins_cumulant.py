"""Second-order cumulants: exact for N = 2, the RHS against a brute-force term-by-term expansion,
short-time error orders, factorisation without coupling, storage options and physicality flags."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import qbath as qb
import qbath.spins as qs
from qbath import InputError, PositivityWarning
from qbath.spins._cumulant import _CumulantRHS
from spins_brute import brute_rhs


def random_model(n, rng, coupling=0.5, storage="dense"):
    h = rng.normal(size=(n, 3))
    J = coupling * rng.normal(size=(n, n, 3, 3))
    rates = [rng.uniform(0.05, 0.4, size=n) for _ in range(3)]
    return qs.SpinModel(h, J, *rates)


def random_bloch(n, rng):
    v = rng.normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1)[:, None] * rng.uniform(0.5, 1.0, size=(n, 1))


def test_cumulant_equals_exact_for_two_spins(rng):
    m = random_model(2, rng, coupling=0.8)
    s = random_bloch(2, rng)
    t = np.linspace(0, 4, 17)
    cu, ex = qs.cumulant(m, s, t), qs.exact(m, s, t)
    np.testing.assert_allclose(cu.bloch, ex.bloch, atol=2e-8)
    np.testing.assert_allclose(cu.correlations, ex.correlations, atol=2e-8)
    np.testing.assert_allclose(cu.pair_sum, ex.pair_sum, atol=4e-8)
    assert cu.physical.ok and ex.physical.ok


@pytest.mark.parametrize("n", [3, 5])
def test_rhs_matches_brute_force_expansion(rng, n):
    """At an arbitrary (correlated, not necessarily physical) point: every term, including the
    closure and the k = j corrections, against an independent term-by-term expansion."""
    m = random_model(n, rng)
    s = rng.normal(size=(n, 3))
    C = rng.normal(size=(n, n, 3, 3))
    C = C + C.transpose(1, 0, 3, 2)  # <s_i^a s_j^b> = <s_j^b s_i^a>
    C[np.arange(n), np.arange(n)] = 0
    rhs = _CumulantRHS(m)
    iu, ju = np.triu_indices(n, 1)
    y = rhs.pack(s, C[iu, ju].transpose(1, 2, 0))
    ds, dc = rhs.split(rhs(0.0, y))
    rates = (m.gamma_minus, m.gamma_plus, m.gamma_z)
    bds, bdC = brute_rhs(m.fields, m.effective_couplings(), rates, s, C)
    assert np.max(np.abs(bdC.imag)) < 1e-12 and np.max(np.abs(bds.imag)) < 1e-12
    np.testing.assert_allclose(ds, bds.real, atol=1e-11)
    np.testing.assert_allclose(dc, bdC.real[iu, ju].transpose(1, 2, 0), atol=1e-11)
    # the mean-field RHS is the same expansion with C = s s^T
    sb = random_bloch(n, rng)
    Cp = np.einsum("ia,jb->ijab", sb, sb)
    np.testing.assert_allclose(
        qs.meanfield_rhs(m, sb),
        brute_rhs(m.fields, m.effective_couplings(), rates, sb, Cp)[0].real,
        atol=1e-12,
    )


def test_short_time_error_orders(rng):
    """From a product state, 2-spin cumulants grow ~ t and 3-spin ones ~ t^2, so the errors are
    mean field t^2, cumulant correlations t^3 and cumulant Bloch vectors t^4."""
    m = random_model(4, rng)
    s = random_bloch(4, rng)
    t = np.concatenate([[0.0], np.geomspace(2e-3, 4e-2, 6)])
    kw = dict(method=qb.DOP853(rtol=1e-13, atol=1e-15))
    ex, mf, cu = qs.exact(m, s, t, **kw), qs.meanfield(m, s, t, **kw), qs.cumulant(m, s, t, **kw)
    errs = {
        2: np.abs(mf.bloch - ex.bloch).max(axis=(1, 2))[1:],
        3: np.abs(cu.correlations - ex.correlations).max(axis=(1, 2, 3, 4))[1:],
        4: np.abs(cu.bloch - ex.bloch).max(axis=(1, 2))[1:],
    }
    for order, e in errs.items():
        slope = np.polyfit(np.log(t[1:]), np.log(e), 1)[0]
        assert abs(slope - order) < 0.2, (order, slope)


def test_uncoupled_spins_stay_uncorrelated_and_follow_bloch_equations(rng):
    n = 3
    gm, gp, gz = (rng.uniform(0.1, 1, n) for _ in range(3))
    h = np.zeros((n, 3))
    h[:, 2] = rng.normal(size=n)  # fields along z: closed form
    m = qs.SpinModel(h, None, gm, gp, gz)
    s0 = random_bloch(n, rng)
    t = np.linspace(0, 3, 13)
    cu = qs.cumulant(m, s0, t)
    # closed form: transverse rotates at 2 h_z and decays at (gm + gp)/2 + 2 gz; s_z relaxes
    gperp = (gm + gp) / 2 + 2 * gz
    gpar = gm + gp
    seq = (gp - gm) / gpar
    z = seq + (s0[:, 2] - seq) * np.exp(-np.outer(t, gpar))
    phase = 2 * np.outer(t, h[:, 2])
    amp = np.exp(-np.outer(t, gperp))
    x = amp * (s0[:, 0] * np.cos(phase) - s0[:, 1] * np.sin(phase))
    yv = amp * (s0[:, 0] * np.sin(phase) + s0[:, 1] * np.cos(phase))
    np.testing.assert_allclose(cu.bloch, np.stack([x, yv, z], axis=-1), atol=1e-8)
    prod = np.einsum("tia,tjb->tijab", cu.bloch, cu.bloch)
    prod[:, np.arange(n), np.arange(n)] = 0
    np.testing.assert_allclose(cu.correlations, prod, atol=1e-8)


def test_store_correlations_false_keeps_collective_data(rng):
    m = random_model(4, rng, coupling=0.3)
    s = random_bloch(4, rng)
    t = np.linspace(0, 1, 5)
    full = qs.cumulant(m, s, t)
    lean = qs.cumulant(m, s, t, store_correlations=False)
    assert lean.correlations is None and full.correlations is not None
    np.testing.assert_allclose(lean.bloch, full.bloch, atol=1e-14)
    np.testing.assert_allclose(lean.pair_sum, full.pair_sum, atol=1e-13)
    np.testing.assert_allclose(full.pair_sum, full.correlations.sum(axis=(1, 2)), atol=1e-12)
    # symmetry <s_i^a s_j^b> = <s_j^b s_i^a> of the stored array
    np.testing.assert_allclose(
        full.correlations, full.correlations.transpose(0, 2, 1, 4, 3), atol=0
    )
    assert lean.meta["store_correlations"] is False and "nfev" in lean.meta


def test_unphysical_trajectory_is_flagged():
    """Strong random couplings without dissipation drive the second-order cumulants out of the
    state space (negative two-spin marginals); the exact solution of the same model
    stays inside."""
    rng = np.random.default_rng(0)
    n = 4
    m = qs.SpinModel(rng.normal(size=(n, 3)), 0.5 * rng.normal(size=(n, n, 3, 3)))
    t = np.linspace(0, 1.5, 16)
    with pytest.warns(PositivityWarning, match="leaves the set of physical states"):
        cu = qs.cumulant(m, [0, 0, 1.0], t)
    assert not cu.physical.ok and cu.physical.diverged_at is None
    assert cu.physical.first_violation is not None and cu.physical.first_violation > 0
    assert cu.physical.min_pair_eigenvalue < -1e-3
    with warnings.catch_warnings():
        warnings.simplefilter("error", PositivityWarning)
        ex = qs.exact(m, [0, 0, 1.0], t)
    assert ex.physical.ok and ex.physical.min_pair_eigenvalue > -1e-8
    assert ex.physical.max_bloch_norm <= 1 + 1e-8


def test_diverging_closure_returns_nan_and_warns():
    rng = np.random.default_rng(0)
    rng.normal(size=(4, 3)), rng.normal(size=(4, 4, 3, 3))  # same stream as the case above
    n = 5
    m = qs.SpinModel(rng.normal(size=(n, 3)), 0.5 * rng.normal(size=(n, n, 3, 3)))
    t = np.linspace(0, 3, 31)
    with pytest.warns(PositivityWarning, match="diverge"):
        cu = qs.cumulant(m, [0, 0, 1.0], t)
    d = cu.physical.diverged_at
    assert d is not None and 0 < d < 3 and not cu.physical.ok
    after = t > d
    assert np.all(np.isnan(cu.bloch[after])) and np.all(np.isfinite(cu.bloch[~after]))
    assert np.all(np.isnan(cu.correlations[after])) and np.all(np.isnan(cu.pair_sum[after]))
    assert cu.meta["failed_at"] == d


def test_cumulant_input_errors(rng):
    m = random_model(2, rng)
    with pytest.raises(InputError, match="order"):
        qs.cumulant(m, [0, 0, 1], [0, 1], order=3)
    with pytest.raises(InputError, match="store_correlations"):
        qs.cumulant(m, [0, 0, 1], [0, 1], store_correlations="yes")
    with pytest.raises(InputError, match="bloch0"):
        qs.cumulant(m, [0, 0, 1.1], [0, 1])
    with pytest.raises(InputError, match="times"):
        qs.cumulant(m, [0, 0, 1], [0, 1, 1])
    with pytest.raises(InputError, match="method"):
        qs.cumulant(m, [0, 0, 1], [0, 1], method="Euler")
    with pytest.raises(InputError, match="model"):
        qs.cumulant("model", [0, 0, 1], [0, 1])
