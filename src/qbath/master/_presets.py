"""Model presets of seed 004."""

from __future__ import annotations

import numpy as np

from .._checks import check_real_scalar
from .._operators import embed, sigmax, sigmaz

__all__ = ["three_qubits"]


def three_qubits(omega0: float, coupling_zz: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Seed 004's model: three qubits, two of them coupled, all coupled collectively to one bath.

    .. math::

        H_A = \omega_0 (S_{1z} + S_{2z} + S_{3z}) + \beta\, S_{1z} S_{2z}, \qquad
        A = S_{1x} + S_{2x} + S_{3x},\qquad S = \sigma/2,

    with :math:`\beta` = ``coupling_zz`` (the seed's "intercoupling constant", not an inverse
    temperature). Qubit 1 is the leftmost tensor factor; index 0 of each qubit is spin up
    (:math:`S_z = +1/2`), so for :math:`\omega_0 > 0` the state :math:`|{\downarrow\downarrow\downarrow}\rangle`
    (index 7) is the ground state, the seed's :math:`|ggg\rangle` of Table 1.

    Parameters
    ----------
    omega0 : float
        Qubit frequency :math:`\omega_0`.
    coupling_zz : float
        :math:`\beta`.

    Returns
    -------
    H, A : (8, 8) ndarray
    """
    w0 = check_real_scalar("omega0", omega0)
    beta = check_real_scalar("coupling_zz", coupling_zz)
    dims = (2, 2, 2)
    Sz = [embed(sigmaz() / 2, k, dims) for k in range(3)]
    Sx = [embed(sigmax() / 2, k, dims) for k in range(3)]
    H = w0 * (Sz[0] + Sz[1] + Sz[2]) + beta * Sz[0] @ Sz[1]
    A = Sx[0] + Sx[1] + Sx[2]
    return H, A
