r"""Exact Lindblad dynamics of the N-spin model (the reference for mean field and cumulants).

The density matrix (2^N x 2^N, spin 0 the leftmost tensor factor, i.e. the most significant bit of
the basis index, bit value 0 = up) is integrated directly; no 4^N x 4^N superoperator is formed:

.. math:: \dot\rho = X + X^\dagger + \sum_i\big(\gamma^-_i\sigma^-_i\rho\sigma^+_i
          + \gamma^+_i\sigma^+_i\rho\sigma^-_i\big) + F\odot\rho,
          \qquad X = -iH_{\rm eff}\rho,

with :math:`H_{\rm eff} = H - \tfrac i2\sum_i(\gamma^-_i\sigma^+_i\sigma^-_i +
\gamma^+_i\sigma^-_i\sigma^+_i)` (diagonal correction) and the dephasing factor
:math:`F_{xy} = -2\sum_i\gamma^z_i[x_i\neq y_i]` (from :math:`\gamma^z(\sigma^z\rho\sigma^z - \rho)`).

- :math:`H_{\rm eff}\rho` is one dense complex matrix product (BLAS). Applying the
  :math:`9N(N-1)/2` two-spin terms one by one on the (2,)*2N tensor costs one pass over
  :math:`\rho` per term, which is slower than the single product for every N this solver is meant
  for (N <= ~10; ``docs/spins.md`` gives timings).
- The jump terms act on one spin each: :math:`\rho` is reshaped to
  ``(2**i, 2, 2**(N-1-i), 2**i, 2, 2**(N-1-i))`` and the ``down, down`` block receives the
  ``up, up`` block (and vice versa).
- :math:`H` is assembled from Pauli strings: :math:`P|x\rangle = \phi_P(x)|x\oplus m_P\rangle`
  (bit-flip mask :math:`m_P`, phase :math:`\phi_P`), so no Kronecker products are needed, and
  :math:`\langle P\rangle = \sum_y\phi_P(y)\rho_{y,y\oplus m_P}` gives all one- and two-spin
  expectations in one gather.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._errors import InputError
from .._operators import tensor
from .._states import bloch_state
from ..ode import Method, check_times
from ._hamiltonian import _bits, _PauliStrings, hamiltonian_matrix
from ._model import SpinModel
from ._ode import EXACT_METHOD, as_bloch0, integrate, solver_meta
from ._results import PhysicalityTracker, SpinResult
from ._validate import check_model

__all__ = ["exact", "hamiltonian_matrix"]

#: largest N accepted by :func:`exact` (a 4^N complex state: 4 GiB at N = 14)
EXACT_MAX_N = 12


class _ExactRHS:
    def __init__(self, model: SpinModel):
        n = model.n_spins
        self.n = n
        D = 2**n
        self.D = D
        bits = _bits(n).astype(float)
        up = 1.0 - bits
        # sigma^+ sigma^- = |up><up|, sigma^- sigma^+ = |down><down|
        loss = up @ model.gamma_minus + bits @ model.gamma_plus
        self.Heff = hamiltonian_matrix(model) - 0.5j * np.diag(loss)
        bz = bits @ model.gamma_z  # sum_i gamma_z_i bit_i(x)
        self.F = -2.0 * (bz[:, None] + bz[None, :] - 2.0 * (bits * model.gamma_z) @ bits.T)
        self.has_dephasing = bool(np.any(model.gamma_z))
        self.jumps = [
            (i, float(model.gamma_minus[i]), float(model.gamma_plus[i]))
            for i in range(n)
            if model.gamma_minus[i] or model.gamma_plus[i]
        ]

    def __call__(self, t: float, y: np.ndarray) -> np.ndarray:
        D, n = self.D, self.n
        rho = y.view(complex).reshape(D, D)
        X = self.Heff @ rho
        X *= -1j
        out = X + X.conj().T
        if self.has_dephasing:
            out += self.F * rho
        # local jumps: a loop over the (few) spins of this small-N reference, each a block copy
        for i, gm, gp in self.jumps:
            shape = (2**i, 2, 2 ** (n - 1 - i), 2**i, 2, 2 ** (n - 1 - i))
            r6 = rho.reshape(shape)
            o6 = out.reshape(shape)
            if gm:
                o6[:, 1, :, :, 1, :] += gm * r6[:, 0, :, :, 0, :]
            if gp:
                o6[:, 0, :, :, 0, :] += gp * r6[:, 1, :, :, 1, :]
        return out.reshape(-1).view(float)


def _product_state(s: np.ndarray) -> np.ndarray:
    return tensor(*bloch_state(s))


def exact(
    model: SpinModel,
    bloch0: Any,
    times: Any,
    *,
    method: Method = EXACT_METHOD,
) -> SpinResult:
    r"""Integrate the full Lindblad equation from a product state (N <= 12).

    Parameters
    ----------
    model : SpinModel
    bloch0 : (N, 3) or (3,) array_like
        Initial Bloch vectors of the product state :math:`\bigotimes_i(1 + \vec s_i\cdot\vec\sigma)/2`.
    times : (T,) array_like
        Output times, strictly increasing; ``times[0]`` is the initial time.
    method : qbath.ode.Method
        Integration method (default ``DOP853(rtol=1e-9, atol=1e-11)``); the tolerances apply to
        the real and imaginary parts of :math:`\rho` separately.

    Returns
    -------
    SpinResult
        ``bloch`` (T, N, 3) and ``correlations`` (T, N, N, 3, 3) from the exact state; the
        physicality flags check every two-spin marginal (a test of the integration itself).
    """
    model = check_model(model)
    n = model.n_spins
    if n > EXACT_MAX_N:
        raise InputError(
            f"model: expected at most {EXACT_MAX_N} spins for the exact solver, got N = {n}"
        )
    times = check_times(times)
    s0 = as_bloch0(bloch0, n)
    rhs = _ExactRHS(model)
    ps = _PauliStrings(n)
    phase2 = ps.phase2() if n > 1 else None
    tracker = PhysicalityTracker()
    D = 2**n

    last: list[np.ndarray] = []

    def observe(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rho = y.view(complex).reshape(D, D)
        last[:] = [rho]
        s, c = ps.expectations(rho, phase2)
        tracker.add(s, (s[ps.iu], s[ps.ju], c.transpose(2, 0, 1)) if n > 1 else None)
        return s, c

    rho0 = np.ascontiguousarray(_product_state(s0))
    obs, stats = integrate(method, rhs, rho0.reshape(-1).view(float), times, observe)
    bloch = np.stack([o[0] for o in obs])
    T = times.size
    corr = np.zeros((T, n, n, 3, 3))
    if n > 1:
        c = np.stack([o[1] for o in obs])  # (T, 3, 3, P)
        corr[:, ps.iu, ps.ju] = c.transpose(0, 3, 1, 2)
        corr[:, ps.ju, ps.iu] = c.transpose(0, 3, 2, 1)
    pair_sum = corr.sum(axis=(1, 2))
    meta = solver_meta("exact", model, method, stats)
    final = last[0].copy()
    final = 0.5 * (final + final.conj().T)
    return SpinResult(
        times, bloch, corr, pair_sum, tracker.finish(times, "exact"), meta, final, dict(stats)
    )
