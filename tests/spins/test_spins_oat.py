"""One-axis twisting helpers: bad input is refused with a message naming the argument."""

from __future__ import annotations

import numpy as np
import pytest

import qbath as qb
import qbath.spins as qs


@pytest.mark.parametrize("n", [1, 2.0, True, "4"])
def test_oat_helpers_refuse_bad_spin_numbers(n):
    with pytest.raises(qb.InputError, match="n: expected an integer"):
        qs.oat_model(n)
    with pytest.raises(qb.InputError, match="n: expected an integer"):
        qs.kitagawa_ueda(n, 1.0, [0.0, 0.1])


def test_oat_helpers_refuse_complex_input():
    with pytest.raises(qb.InputError, match="chi: expected a real"):
        qs.oat_model(4, 1j)
    with pytest.raises(qb.InputError, match="t: expected real"):
        qs.kitagawa_ueda(4, 1.0, [0.0, 1j])


def test_kitagawa_ueda_starts_coherent():
    sx, xi = qs.kitagawa_ueda(10, 0.7, np.array([0.0]))
    np.testing.assert_allclose(sx, [5.0])
    np.testing.assert_allclose(xi, [1.0])
