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

from .._checks import check_times
from .._errors import InputError
from .._operators import tensor
from .._states import bloch_state
from ._meanfield import _check_model
from ._model import SpinModel
from ._ode import as_bloch0, integrate, solver_meta
from ._results import PhysicalityTracker, SpinResult

__all__ = ["exact", "hamiltonian_matrix"]

#: largest N accepted by :func:`exact` (a 4^N complex state: 4 GiB at N = 14)
EXACT_MAX_N = 12


def _bits(n: int) -> np.ndarray:
    """(2^N, N) array of bit values; spin 0 is the most significant bit (leftmost factor)."""
    x = np.arange(2**n)
    return (x[:, None] >> (n - 1 - np.arange(n))[None, :]) & 1


class _PauliStrings:
    """Masks and phases of the one-spin strings sigma_i^a and two-spin strings sigma_i^a sigma_j^b."""

    def __init__(self, n: int):
        self.n = n
        bits = _bits(n)  # (D, N)
        sign = 1 - 2 * bits  # (-1)^bit
        one = np.ones_like(sign, dtype=complex)
        # phase[a][:, i]: phase of sigma^a on spin i for each basis state; flips[a]: does it flip
        self.phase1 = np.stack([one, 1j * sign, sign.astype(complex)])  # (3, D, N)
        flip = np.array([1, 1, 0])
        bitval = 1 << (n - 1 - np.arange(n))  # (N,)
        self.mask1 = flip[:, None] * bitval[None, :]  # (3, N)
        iu, ju = np.triu_indices(n, 1)
        self.iu, self.ju = iu, ju
        # two-spin strings, ordered (a, b, pair)
        self.mask2 = self.mask1[:, None, iu] ^ self.mask1[None, :, ju]  # (3, 3, P)

    def phase2(self) -> np.ndarray:
        """(3, 3, D, P) phases of sigma_i^a sigma_j^b (i < j)."""
        p1 = self.phase1
        return p1[:, None, :, self.iu] * p1[None, :, :, self.ju]

    def expectations(self, rho: np.ndarray, phase2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Bloch vectors (N, 3) and pair moments (3, 3, P) of a density matrix."""
        D = rho.shape[0]
        y = np.arange(D)
        g1 = rho[y[None, :, None], y[None, :, None] ^ self.mask1[:, None, :]]  # (3, D, N)
        s = np.einsum("ayi,ayi->ia", self.phase1, g1).real
        if self.iu.size == 0:
            return s, np.zeros((3, 3, 0))
        g2 = rho[y[None, None, :, None], y[None, None, :, None] ^ self.mask2[:, :, None, :]]
        c = np.einsum("abyp,abyp->abp", phase2, g2).real
        return s, c


def hamiltonian_matrix(model: SpinModel) -> np.ndarray:
    r"""Dense :math:`H = \sum_i \vec h_i\cdot\vec\sigma_i + \sum_{i<j}K_{ij}^{ab}\sigma_i^a\sigma_j^b`."""
    n = model.n_spins
    ps = _PauliStrings(n)
    D = 2**n
    x = np.arange(D)
    H = np.zeros((D, D), dtype=complex)
    # one-spin terms: H[x ^ m, x] += h_i^a phase(x)
    rows = x[None, :, None] ^ ps.mask1[:, None, :]  # (3, D, N)
    vals = ps.phase1 * model.fields.T[:, None, :]
    flat = (rows * D + x[None, :, None]).ravel()
    acc = np.bincount(flat, weights=vals.real.ravel(), minlength=D * D) + 1j * np.bincount(
        flat, weights=vals.imag.ravel(), minlength=D * D
    )
    H += acc.reshape(D, D)
    if n > 1 and not model.coupling.is_zero:
        K = model.effective_couplings()[ps.iu, ps.ju]  # (P, 3, 3)
        Kab = K.transpose(1, 2, 0)  # (3, 3, P)
        rows2 = x[None, None, :, None] ^ ps.mask2[:, :, None, :]  # (3, 3, D, P)
        vals2 = ps.phase2() * Kab[:, :, None, :]
        flat2 = (rows2 * D + x[None, None, :, None]).ravel()
        H += (
            np.bincount(flat2, weights=vals2.real.ravel(), minlength=D * D)
            + 1j * np.bincount(flat2, weights=vals2.imag.ravel(), minlength=D * D)
        ).reshape(D, D)
    return 0.5 * (H + H.conj().T)


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
    method: str = "DOP853",
    rtol: float = 1e-9,
    atol: float = 1e-11,
) -> SpinResult:
    r"""Integrate the full Lindblad equation from a product state (N <= 12).

    Parameters
    ----------
    model : SpinModel
    bloch0 : (N, 3) or (3,) array_like
        Initial Bloch vectors of the product state :math:`\bigotimes_i(1 + \vec s_i\cdot\vec\sigma)/2`.
    times : (T,) array_like
        Output times, strictly increasing; ``times[0]`` is the initial time.
    method, rtol, atol
        Integrator (:mod:`scipy.integrate` name) and tolerances (on the real and imaginary parts
        of :math:`\rho`).

    Returns
    -------
    SpinResult
        ``bloch`` (T, N, 3) and ``correlations`` (T, N, N, 3, 3) from the exact state; the
        physicality flags check every two-spin marginal (a test of the integration itself).
    """
    model = _check_model(model)
    n = model.n_spins
    if n > EXACT_MAX_N:
        raise InputError(
            f"model: expected at most {EXACT_MAX_N} spins for the exact solver, got N = {n}"
        )
    times = check_times("times", times, min_length=1)
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
    obs, stats = integrate(
        rhs, rho0.reshape(-1).view(float), times, observe, method=method, rtol=rtol, atol=atol
    )
    bloch = np.stack([o[0] for o in obs])
    T = times.size
    corr = np.zeros((T, n, n, 3, 3))
    if n > 1:
        c = np.stack([o[1] for o in obs])  # (T, 3, 3, P)
        corr[:, ps.iu, ps.ju] = c.transpose(0, 3, 1, 2)
        corr[:, ps.ju, ps.iu] = c.transpose(0, 3, 2, 1)
    pair_sum = corr.sum(axis=(1, 2))
    meta = solver_meta("exact", model, method, rtol, atol, stats)
    final = last[0].copy()
    final = 0.5 * (final + final.conj().T)
    return SpinResult(times, bloch, corr, pair_sum, tracker.finish(times, "exact"), meta, final, dict(stats))
