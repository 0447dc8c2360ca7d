r"""A. M. Rey and E. C. Chaparro, "Mean-field approximation and cumulant expansion for a generic
spin Hamiltonian" (2021), written literally in the paper's own conventions (for checks, not for
computing).

Nothing here uses the solvers of qbath: the master equation is assembled from Kronecker products
exactly as the paper prints it (its Eqs. 1, 7-14, with *its* :math:`\sigma^\pm = \sigma_x \pm
i\sigma_y` and its dissipator form), and the paper's final mean-field equations (Eqs. 230-236) are
transcribed term by term, so that both can be held against qbath (``docs/errata.md``).
"""

from __future__ import annotations

import numpy as np

from .._errors import InputError
from .._operators import embed, sigmax, sigmay, sigmaz

__all__ = [
    "seed_hamiltonian",
    "seed_liouvillian",
    "seed_meanfield_rhs",
    "SEED_SIGMA_PLUS",
    "SEED_SIGMA_MINUS",
]

#: the paper's Eqs. 8-9: sigma^+ = [[0, 2], [0, 0]], sigma^- = [[0, 0], [2, 0]]
SEED_SIGMA_PLUS = sigmax() + 1j * sigmay()
SEED_SIGMA_MINUS = sigmax() - 1j * sigmay()


def seed_hamiltonian(h: np.ndarray, A: np.ndarray) -> np.ndarray:
    r"""Eq. 1: :math:`\sum_i\vec h_i\cdot\vec\sigma_i + \sum_{jk\beta\varepsilon}A_{jk}
    \sigma_j^\beta\sigma_k^\varepsilon` *including* the terms :math:`j = k` (dense, small N)."""
    n = h.shape[0]
    dims = [2] * n
    sig = [[embed(p, i, dims) for p in (sigmax(), sigmay(), sigmaz())] for i in range(n)]
    ups = [sig[i][0] + sig[i][1] + sig[i][2] for i in range(n)]  # the paper's Upsilon_i
    H = sum(h[i, a] * sig[i][a] for i in range(n) for a in range(3))
    H = H + sum(A[j, k] * ups[j] @ ups[k] for j in range(n) for k in range(n))
    return np.asarray(H)


def seed_liouvillian(
    h: np.ndarray, A: np.ndarray, gamma_plus: float, gamma_minus: float, gamma_z: float
) -> np.ndarray:
    r"""Eq. 13 as a (4^N, 4^N) column-stacking superoperator (small N only):

    .. math:: \mathcal L\rho = -i[H,\rho] - \sum_{i,\eta}\gamma_\eta\big(\rho A_i^{\eta\dagger}A_i^\eta
              + A_i^{\eta\dagger}A_i^\eta\rho - 2A_i^\eta\rho A_i^{\eta\dagger}\big),
              \quad A^\eta\in\{\sigma^+, \sigma^-, \sigma^z\}\ \text{(the paper's)}.
    """
    n = h.shape[0]
    dims = [2] * n
    D = 2**n
    H = seed_hamiltonian(h, A)
    eye = np.eye(D)
    # column stacking: vec(X rho Y) = (Y^T kron X) vec(rho)
    L = -1j * (np.kron(eye, H) - np.kron(H.T, eye))
    for i in range(n):
        for g, local in (
            (gamma_plus, SEED_SIGMA_PLUS),
            (gamma_minus, SEED_SIGMA_MINUS),
            (gamma_z, sigmaz()),
        ):
            a = embed(local, i, dims)
            ada = a.conj().T @ a
            L -= g * (np.kron(ada.T, eye) + np.kron(eye, ada) - 2.0 * np.kron(a.conj(), a))
    return L


def seed_meanfield_rhs(
    h: np.ndarray,
    A: np.ndarray,
    gamma_plus: float,
    gamma_minus: float,
    gamma_z: float,
    bloch: np.ndarray,
    *,
    terms: str = "printed",
) -> np.ndarray:
    r"""The paper's final mean-field equations (Eqs. 230-236) at Bloch vectors ``bloch`` (N, 3).

    With :math:`P_i = \langle\sigma_i^+\rangle = s_x + is_y` (the seed's :math:`\sigma^+`), returns
    ``(Re dP, Im dP, dZ)`` = the implied :math:`\dot{\vec s}_i`, shape (N, 3).

    ``terms="printed"`` transcribes the equations as printed. ``terms="corrected"`` applies the
    corrections established in ``docs/errata.md``: the commutator :math:`[\sigma^+,\Upsilon] =
    2(1+i)\sigma^z - 2\sigma^+` in Eq. 230, the factor 2 on the Hamiltonian part of Eq. 236, no
    inter-spin dissipative terms, and :math:`8(\gamma_+-\gamma_-)` for the constant of Eq. 236.
    """
    P = bloch[:, 0] + 1j * bloch[:, 1]
    M = np.conj(P)
    Z = bloch[:, 2].astype(complex)
    hx, hy, hz = h[:, 0], h[:, 1], h[:, 2]
    Ks = A + A.T
    np.fill_diagonal(Ks, 0.0)
    z_others = Z.sum() - Z  # sum_{j != i} <sigma_j^z>
    gp, gm, gz = gamma_plus, gamma_minus, gamma_z
    # Eq. 230: v+ . (P_j, M_j, Z_j) with v+ = (1 - i, 1 + i, 2)
    v_plus = (1 - 1j) * P + (1 + 1j) * M + 2 * Z
    # Eq. 234: v_z . (P_j, M_j, Z_j) with v_z = ((1 - i)/2, (1 + i)/2, 1)  (= <Upsilon_j>)
    v_z = (1 - 1j) / 2 * P + (1 + 1j) / 2 * M + Z
    field_p = hx * Z + hy * 1j * Z - hz * P
    if terms == "printed":
        coupling_p = -(1 + 1j) * P * (Ks @ v_plus)
        dP = -2j * (field_p + coupling_p) - 4 * P * (gp + gm + gz) + 8 * P * (gp - gm) * z_others
        ham_z = (
            hx * (P - M) / 2
            + hy * (-1j) * (P + M) / 2
            + ((1 - 1j) / 2 * P - (1 + 1j) / 2 * M) * (Ks @ v_z)
        )
        dZ = -1j * ham_z - 8 * Z * (gp + gm) + 8 * (gp - gm) * Z * z_others + 6 * (gp - gm)
    elif terms == "corrected":
        # -i <[sigma+, Upsilon_i]> sum_j (A_ji + A_ij) <Upsilon_j>, [sigma+, Upsilon] = 2(1+i) sz - 2 s+
        dP = -2j * field_p - 1j * (2 * (1 + 1j) * Z - 2 * P) * (Ks @ v_z) - 4 * P * (gp + gm + gz)
        ham_z = (
            hx * (P - M) / 2
            + hy * (-1j) * (P + M) / 2
            + ((1 - 1j) / 2 * P - (1 + 1j) / 2 * M) * (Ks @ v_z)
        )
        dZ = -2j * ham_z - 8 * Z * (gp + gm) + 8 * (gp - gm)
    else:
        raise InputError(f"terms: expected 'printed' or 'corrected', got {terms!r}")
    return np.stack([dP.real, dP.imag, dZ.real], axis=1)
