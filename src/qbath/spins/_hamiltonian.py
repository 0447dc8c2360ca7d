r"""Dense Hamiltonians of N spins from Pauli strings, built by bit arithmetic on basis indices.

:math:`H = \sum_i \vec h_i\cdot\vec\sigma_i + \sum_{i<j}K_{ij}^{ab}\sigma_i^a\sigma_j^b` on
:math:`2^N` basis states, spin 0 the leftmost tensor factor (most significant bit); a Pauli
string flips the bits of its :math:`\sigma^x, \sigma^y` factors and multiplies by a phase.
This module takes any object with the attributes of a :class:`~qbath.spins.SpinModel`
(``n_spins``, ``fields``, ``coupling``, ``effective_couplings()``) and imports no model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["hamiltonian_matrix"]


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


def hamiltonian_matrix(model: Any) -> np.ndarray:
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
