r"""Closed forms printed in seed 001 (Eqs. 29-37, 51; App. A, B and C), as separate functions.

They are transcribed *literally*, so the tests can compare each with the numerical engine and
``docs/errata.md`` can say which printed formulas are right. Where a printed formula is wrong, a
corrected version sits beside it (suffix ``_corrected``).

Notation (App. A/B): :math:`x=(\omega_1+\omega_2)/2`, :math:`y=(\omega_1-\omega_2)/2`;
:math:`a=g^{(-,+)}`, :math:`b=g^{(+,-)}`, :math:`g=g^{(+)}`, :math:`s=a+b`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "example1_eigenvalues",
    "example1_mixing",
    "example1_unitary",
    "example1_eigenvectors_printed",
    "example1_coefficients",
    "example1_steady_state",
    "Example2Coefficients",
    "example2_coefficients",
    "example2_map",
    "example2_steady_state_printed",
    "example2_steady_state_corrected",
    "example2_ledger",
]


def example1_eigenvalues(omega_1: float, omega_2: float, kappa: float) -> np.ndarray:
    r"""Eqs. 31-34: :math:`E'_{1..4} = -x,\ -\sqrt{y^2+\kappa^2},\ +\sqrt{y^2+\kappa^2},\ +x` (the
    roots of Eq. 29), shape (4,)."""
    x, y = (omega_1 + omega_2) / 2, (omega_1 - omega_2) / 2
    r = np.sqrt(y**2 + kappa**2)
    return np.array([-x, -r, r, x])


def example1_mixing(
    omega_1: float, omega_2: float, kappa: float
) -> tuple[float, float, float, float]:
    r"""Eq. A6: :math:`(a_-, b_-, a_+, b_+)`, :math:`a_\mp = \kappa/N_\mp`, :math:`b_\mp=(E'_{2,3}-y)/N_\mp`."""
    y = (omega_1 - omega_2) / 2
    E = example1_eigenvalues(omega_1, omega_2, kappa)
    nm = np.sqrt(kappa**2 + (E[1] - y) ** 2)
    npl = np.sqrt(kappa**2 + (E[2] - y) ** 2)
    return kappa / nm, (E[1] - y) / nm, kappa / npl, (E[2] - y) / npl


def example1_unitary(omega_1: float, omega_2: float, kappa: float) -> np.ndarray:
    r"""Eq. A8: :math:`V` with :math:`|E'_k\rangle=\sum_i V_{ik}|E_i\rangle`, rows/columns in App. A's
    labels 1..4 (shape (4, 4)). Column 2 is :math:`b_-|E_2\rangle + a_-|E_3\rangle`."""
    am, bm, ap, bp = example1_mixing(omega_1, omega_2, kappa)
    return np.array([[1, 0, 0, 0], [0, bm, bp, 0], [0, am, ap, 0], [0, 0, 0, 1]], dtype=float)


def example1_eigenvectors_printed(omega_1: float, omega_2: float, kappa: float) -> np.ndarray:
    r"""Eqs. 36-37 / A3-A4 as printed: :math:`|E'_2\rangle = a_-|E_2\rangle + b_-|E_3\rangle`,
    :math:`|E'_3\rangle = a_+|E_2\rangle + b_+|E_3\rangle` (columns, labels 1..4). These disagree with
    Eq. A8 (a and b swapped) and are *not* eigenvectors of Eq. 28 unless
    :math:`\omega_1=\omega_2`; see ``docs/errata.md``."""
    am, bm, ap, bp = example1_mixing(omega_1, omega_2, kappa)
    return np.array([[1, 0, 0, 0], [0, am, ap, 0], [0, bm, bp, 0], [0, 0, 0, 1]], dtype=float)


def _boltzmann(omega_1, omega_2, kappa, beta):
    E = example1_eigenvalues(omega_1, omega_2, kappa)
    w = np.exp(-beta * (E - E.min()))
    return w / w.sum()  # e^{-beta E'_k} / Z


def example1_coefficients(
    omega_1: float, omega_2: float, kappa: float, alpha_1: float, alpha_2: float, beta: float
) -> dict[str, complex]:
    r"""App. A, Eqs. A10-A18 (the :math:`\alpha` factors included, as the appendix does).

    Keys: ``g1_plus``, ``g1_minus``, ``g2_plus``, ``g2_minus`` (A10: all zero), ``g11_pm``
    (A11, :math:`\mathrm{Tr}[\sigma_1^-\sigma_1^+\eta]\alpha_1^2`), ``g11_mp`` (A12), ``g22_pm``
    (A13), ``g22_mp`` (A14), ``g12_pm`` (A15), ``g12_mp`` (A16), ``g12_pp``, ``g12_mm`` (A17-A18,
    zero), and ``g21_pm`` / ``g21_mp`` as the complex conjugates.
    """
    p = _boltzmann(omega_1, omega_2, kappa, beta)
    am, bm, ap, bp = example1_mixing(omega_1, omega_2, kappa)
    a1, a2 = alpha_1, alpha_2
    out = {
        "g1_plus": 0.0,
        "g1_minus": 0.0,
        "g2_plus": 0.0,
        "g2_minus": 0.0,
        "g11_pm": a1**2 * (p[0] + abs(bm) ** 2 * p[1] + abs(bp) ** 2 * p[2]),
        "g11_mp": a1**2 * (abs(am) ** 2 * p[1] + abs(ap) ** 2 * p[2] + p[3]),
        "g22_pm": a2**2 * (p[0] + abs(am) ** 2 * p[1] + abs(ap) ** 2 * p[2]),
        "g22_mp": a2**2 * (abs(bm) ** 2 * p[1] + abs(bp) ** 2 * p[2] + p[3]),
        "g12_pm": a1 * a2 * (p[1] * am * np.conj(bm) + p[2] * ap * np.conj(bp)),
        "g12_mp": a1 * a2 * (p[1] * bm * np.conj(am) + p[2] * bp * np.conj(ap)),
        "g12_pp": 0.0,
        "g12_mm": 0.0,
    }
    out["g21_pm"] = np.conj(out["g12_pm"])
    out["g21_mp"] = np.conj(out["g12_mp"])
    return out


def example1_steady_state(
    omega_1: float, omega_2: float, kappa: float, alpha_1: float, alpha_2: float, beta: float
) -> np.ndarray:
    r"""Eq. 51: :math:`\rho_S^{ss} = \mathrm{diag}(\sum_{ij}g_{ij}^{(-,+)}, \sum_{ij}g_{ij}^{(+,-)})/\sum`
    (index 0 = up), shape (2, 2)."""
    c = example1_coefficients(omega_1, omega_2, kappa, alpha_1, alpha_2, beta)
    up = (c["g11_mp"] + c["g22_mp"] + c["g12_mp"] + c["g21_mp"]).real
    down = (c["g11_pm"] + c["g22_pm"] + c["g12_pm"] + c["g21_pm"]).real
    return np.diag([up, down]).astype(complex) / (up + down)


@dataclass(frozen=True)
class Example2Coefficients:
    r"""App. B coefficients: ``g_plus`` :math:`g^{(+)}` (B1), ``g_minus`` :math:`g^{(-)}` (B2),
    ``g_mp`` :math:`g^{(-,+)}` (B3), ``g_pm`` :math:`g^{(+,-)}` (B4); :math:`g^{(\pm,\pm)}=0` (B5-B6).
    ``eta23``, ``eta32``: :math:`\langle E_2|\eta|E_3\rangle` and its conjugate (App. C)."""

    g_plus: complex
    g_minus: complex
    g_mp: float
    g_pm: float
    eta23: complex
    eta32: complex


def example2_coefficients(
    omega_1: float, omega_2: float, kappa: float, alpha: complex, beta: float
) -> Example2Coefficients:
    """Eqs. B1-B4 with Eqs. 31-34 and A6, transcribed literally."""
    p = _boltzmann(omega_1, omega_2, kappa, beta)
    am, bm, ap, bp = example1_mixing(omega_1, omega_2, kappa)
    g_plus = alpha * (p[1] * am * np.conj(bm) + p[2] * ap * np.conj(bp))
    g_minus = np.conj(alpha) * (p[1] * np.conj(am) * bm + p[2] * np.conj(ap) * bp)
    g_mp = abs(alpha) ** 2 * (p[1] * abs(am) ** 2 + p[2] * abs(ap) ** 2)
    g_pm = abs(alpha) ** 2 * (p[1] * abs(bm) ** 2 + p[2] * abs(bp) ** 2)
    # <E2|eta|E3> = sum_k p_k V_2k V_3k^*  (Eq. A9 with V of Eq. A8)
    eta23 = p[1] * bm * np.conj(am) + p[2] * bp * np.conj(ap)
    return Example2Coefficients(
        complex(g_plus),
        complex(g_minus),
        float(g_mp),
        float(g_pm),
        complex(eta23),
        complex(np.conj(eta23)),
    )


def example2_map(rho: np.ndarray, omega_s: float, dt: float, c: Example2Coefficients) -> np.ndarray:
    r"""Eqs. B7-B10: one step of the second-order map on the matrix elements (index 1 of the paper =
    qbath index 0 = up). ``rho`` of shape (2, 2); returns (2, 2)."""
    r11, r12, r21, r22 = rho[0, 0], rho[0, 1], rho[1, 0], rho[1, 1]
    a, b, gp, gm = c.g_mp, c.g_pm, c.g_plus, c.g_minus
    d11 = (
        dt**2 * (a * r22 - b * r11)
        + dt**2 / 2 * omega_s * (gp * r12 + gm * r21)
        + 1j * dt * (gp * r12 - gm * r21)
    )
    n12 = (
        r12
        + dt**2 / 2 * omega_s * gm * (r11 - r22)
        + 1j * dt * gm * (r11 - r22)
        - 1j * dt * omega_s * r12
        - dt**2 / 2 * r12 * (b + a + omega_s**2)
    )
    n21 = (
        r21
        + dt**2 / 2 * omega_s * gp * (r11 - r22)
        - 1j * dt * gp * (r11 - r22)
        + 1j * dt * omega_s * r21
        - dt**2 / 2 * r21 * (b + a + omega_s**2)
    )
    return np.array([[r11 + d11, n12], [n21, r22 - d11]])


def example2_steady_state_printed(omega_s: float, dt: float, c: Example2Coefficients) -> np.ndarray:
    r"""Eqs. B11-B14 exactly as printed: :math:`(\langle\sigma_x\rangle, \langle\sigma_y\rangle,
    \langle\sigma_z\rangle)`, shape (3,). Known to be slightly off (``docs/errata.md``)."""
    a, b, gm, gp, w = c.g_mp, c.g_pm, c.g_minus, c.g_plus, omega_s
    s = a + b
    gg = (gm * gp).real
    K = (
        8 * gg * (s - w**2)
        + 4 * w**2 * s
        + dt**2 * s * (s**2 + 2 * w**2 * (s - gg) + w**4 * (1 - 2 * gg))
    )
    sz = (a - b) * (4 * w**2 + dt**2 * (a + b * w**2) ** 2) / K
    inner = gm * (4 * w + 2j * dt * s + dt**2 * w * (s + w**2))
    sx = (a - b) * 2 * inner.real / K
    sy = -(a - b) * 2 * inner.imag / K
    return np.array([sx, sy, sz], dtype=float)


def example2_steady_state_corrected(
    omega_s: float, dt: float, c: Example2Coefficients
) -> np.ndarray:
    r"""The fixed point of Eqs. B7-B10 in closed form (derived in ``docs/errata.md``):

    .. math::
        K &= 8|g|^2(s-\omega_S^2) + 4\omega_S^2 s + \delta t^2\left[s(s+\omega_S^2)^2 - 2\omega_S^2|g|^2(s+\omega_S^2)\right],\\
        \langle\sigma_z\rangle &= (a-b)\left[4\omega_S^2 + \delta t^2(s+\omega_S^2)^2\right]/K,\\
        \langle\sigma_x\rangle - i\langle\sigma_y\rangle &= 2(a-b)\,g^{(-)}\left[4\omega_S + 2i\delta t\,s + \delta t^2\omega_S(s+\omega_S^2)\right]/K,

    with :math:`|g|^2 = g^{(+)}g^{(-)}`. B12-B13's numerators are right; B11's numerator has
    :math:`(a+b\,\omega_S^2)^2` for :math:`(a+b+\omega_S^2)^2`, and B14's K multiplies the last term by an
    extra :math:`s` and :math:`\omega_S^4(1-2|g|^2)` instead of :math:`\omega_S^4 s`.
    """
    a, b, gm, gp, w = c.g_mp, c.g_pm, c.g_minus, c.g_plus, omega_s
    s = a + b
    gg = (gm * gp).real
    K = (
        8 * gg * (s - w**2)
        + 4 * w**2 * s
        + dt**2 * (s * (s + w**2) ** 2 - 2 * w**2 * gg * (s + w**2))
    )
    sz = (a - b) * (4 * w**2 + dt**2 * (s + w**2) ** 2) / K
    z = 2 * (a - b) * gm * (4 * w + 2j * dt * s + dt**2 * w * (s + w**2)) / K
    return np.array([z.real, -z.imag, sz], dtype=float)


def example2_ledger(
    rho: np.ndarray,
    omega_s: float,
    omega_1: float,
    omega_2: float,
    kappa: float,
    alpha: complex,
    dt: float,
    c: Example2Coefficients,
) -> dict[str, float]:
    r"""Eqs. C4-C6 (second-order :math:`\Delta U`, :math:`\delta Q`, :math:`W_{sw}` of one collision of
    Example 2 from ``rho``), with C6's stray "t" dropped. :math:`E_3-E_2` are the bare levels,
    :math:`(\omega_1-\omega_2)` here."""
    r12, r21 = rho[0, 1], rho[1, 0]
    sz = (rho[0, 0] - rho[1, 1]).real
    a, b, gp, gm = c.g_mp, c.g_pm, c.g_plus, c.g_minus
    e3_minus_e2 = omega_1 - omega_2  # E3 = (w1 - w2)/2, E2 = (w2 - w1)/2
    pop = sz * (b + a) + (b - a)
    coh2 = gp * r12 + gm * r21
    coh1 = gp * r12 - gm * r21
    du = -(dt**2) / 2 * omega_s * pop + dt**2 / 2 * omega_s**2 * coh2 + 1j * dt * omega_s * coh1
    dq = -(dt**2) / 2 * e3_minus_e2 * pop + dt**2 / 2 * kappa * abs(alpha) ** 2 * (
        c.eta23 + c.eta32
    )
    wsw = (
        dt**2 / 2 * (e3_minus_e2 - omega_s) * pop
        - dt**2 / 2 * kappa * abs(alpha) ** 2 * (c.eta23 + c.eta32)
        + dt**2 / 2 * omega_s**2 * coh2
        + 1j * dt * omega_s * coh1
    )
    return {
        "delta_u": complex(du).real,
        "heat": complex(dq).real,
        "switching_work": complex(wsw).real,
    }
