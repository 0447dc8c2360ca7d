"""``qbath reproduce three-qubit-davies``: seed 004, the Born--Markov--secular GKSL of three qubits.

Puts every table and formula of the seed beside qbath's independent computation: Table 1
(eigenvalues), Table 2 (the 56 Bohr differences), the set and the matrices of the non-zero
:math:`A(\\omega)` (Eq. 22), the rates (Eq. 28), the Lamb-shift function (Eqs. 27/29), the Lamb-shift
Hamiltonian (Eqs. 31--32), the final master equation (Eq. 34), the Kraus decomposition through the
64 x 64 Choi matrix (Eq. 35), and the non-unique steady state. Then it integrates the master
equation from four initial states (mesolve, and mcsolve for one of them).

The seed gives no numbers; the run uses omega_0 = 1, beta (coupling_zz) = 0.4 and an ohmic bath
(Eq. 30) with alpha = 0.05, Omega_c = 5, T = 0.5. Symbolic equalities (Tables 1-2, Eq. 22) are
checked at two generic parameter points: for expressions linear in (omega_0, beta) without constant
term this is a proof. Writes ``spectra.png``, ``dynamics.png``, ``kraus.png`` and
``three_qubit_davies.nc``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from .._meta import make_meta
from .._operators import embed, sigmam, sigmap, sigmax, sigmay, sigmaz
from .._optional import require
from .._states import purity
from ..io import attrs_from_meta
from ..master import OhmicBath, davies, three_qubits
from ..solve import (
    choi_matrix,
    from_kraus,
    kraus,
    mcsolve,
    mesolve,
    propagator,
    steady_state,
    steady_state_space,
)
from ._report import Check, Reproduction, close

W0, BETA = 1.0, 0.4
BATH = OhmicBath(alpha=0.05, cutoff=5.0, temperature=0.5)
POINTS = ((1.0, 0.4), (0.77, 1.9))  # (omega_0, beta): two generic points for symbolic equalities
SRC = "004_279a158ec2758289.txt"

# seed Table 1 as printed: eps_k = cb * beta + cw * omega_0, state |q1 q2 q3> with g/e labels
TABLE1 = {
    1: (0.25, -1.5),
    2: (0.25, -0.5),
    3: (-0.25, -0.5),
    4: (0.25, 0.5),
    5: (-0.25, -0.5),
    6: (-0.25, 0.5),
    7: (0.25, 0.5),
    8: (0.25, 1.5),
}
# seed Table 2 as printed: eps_i - eps_j = cb * beta + cw * omega_0
TABLE2 = {
    (1, 2): (0, -1),
    (2, 1): (0, 1),
    (3, 1): (-0.5, 1),
    (4, 1): (-0.5, 2),
    (1, 3): (0.5, -1),
    (2, 3): (0.5, 0),
    (3, 2): (-0.5, 0),
    (4, 2): (-0.5, 1),
    (1, 4): (0.5, -2),
    (2, 4): (0.5, -1),
    (3, 4): (0, -1),
    (4, 3): (0, 1),
    (1, 5): (0.5, -1),
    (2, 5): (0.5, 0),
    (3, 5): (0, 0),
    (4, 5): (0, 1),
    (1, 6): (0.5, -2),
    (2, 6): (0.5, -1),
    (3, 6): (0, -1),
    (4, 6): (0, 0),
    (1, 7): (0, -2),
    (2, 7): (0, -1),
    (3, 7): (-0.5, -1),
    (4, 7): (-0.5, 0),
    (1, 8): (0, -3),
    (2, 8): (0, -2),
    (3, 8): (-0.5, -2),
    (4, 8): (-0.5, -1),
    (5, 1): (-0.5, -1),
    (6, 1): (-0.5, 2),
    (7, 1): (0, 2),
    (8, 1): (0, 3),
    (5, 2): (-0.5, 0),
    (6, 2): (-0.5, 1),
    (7, 2): (0, 1),
    (8, 2): (0, 2),
    (5, 3): (0, 0),
    (6, 3): (0, 1),
    (7, 3): (0.5, 1),
    (8, 3): (0.5, 2),
    (5, 4): (0, -1),
    (6, 4): (0, 0),
    (7, 4): (0.5, 0),
    (8, 4): (0.5, 1),
    (5, 6): (0, -1),
    (6, 5): (0, 1),
    (7, 5): (0.5, 1),
    (8, 5): (0.5, 2),
    (5, 7): (-0.5, -1),
    (6, 7): (-0.5, 0),
    (7, 6): (0.5, 0),
    (8, 6): (0.5, 1),
    (5, 8): (-0.5, -2),
    (6, 8): (-0.5, -1),
    (7, 8): (0, -1),
    (8, 7): (0, 1),
}
TABLE1_SLIPS = {4: (-0.25, 0.5)}  # correct coefficients (docs/errata.md)
TABLE2_SLIPS = {(5, 1): (-0.5, 1)}


def seed_index_to_qbath(k: int) -> int:
    """Seed state k = 1..8 (|g g g>, |g g e>, ...; g = ground = down) -> qbath basis index.

    qbath's index 0 is up (= the seed's e), so the seed's binary label (g=0, e=1) is complemented.
    """
    return 7 - (k - 1)


def _dims() -> tuple[int, int, int]:
    return (2, 2, 2)


def _site(op: np.ndarray, k: int) -> np.ndarray:
    return embed(op, k, _dims())


def _energy_checks() -> list[Check]:
    checks = []
    for k, (cb, cw) in TABLE1.items():
        worst = 0.0
        for w0, beta in POINTS:
            H, _ = three_qubits(w0, beta)
            i = seed_index_to_qbath(k)
            worst = max(worst, abs(H[i, i].real - (cb * beta + cw * w0)))
        slip = k in TABLE1_SLIPS
        checks.append(
            close(
                f"Table 1: eps_{k} (max |diff| at 2 points)",
                worst,
                0.0,
                atol=1e-12,
                source="Table 1",
                expect_fail=slip,
                note="printed beta/4 + w0/2, correct w0/2 - beta/4" if slip else "",
            )
        )
    # degeneracies the text relies on: eps_3 = eps_5 and eps_4 = eps_6
    H, _ = three_qubits(W0, BETA)
    e = {k: H[seed_index_to_qbath(k), seed_index_to_qbath(k)].real for k in range(1, 9)}
    checks.append(close("eps_3 = eps_5", e[3], e[5], atol=1e-14, source="Table 1 / conventions"))
    checks.append(
        close(
            "eps_4 = eps_6 (with the corrected eps_4)",
            e[4],
            e[6],
            atol=1e-14,
            source="Table 1 / conventions",
        )
    )
    ok = wrong = 0
    for (i, j), (cb, cw) in TABLE2.items():
        worst = 0.0
        for w0, beta in POINTS:
            H, _ = three_qubits(w0, beta)
            a, b = seed_index_to_qbath(i), seed_index_to_qbath(j)
            d = H[a, a] - H[b, b]
            worst = max(worst, abs(d.real - (cb * beta + cw * w0)))
        if (i, j) in TABLE2_SLIPS:
            checks.append(
                close(
                    f"Table 2: eps_{i} - eps_{j}",
                    worst,
                    0.0,
                    atol=1e-12,
                    source="Table 2",
                    expect_fail=True,
                    note="printed -(beta+2w0)/2, correct -(beta-2w0)/2",
                )
            )
        elif worst < 1e-12:
            ok += 1
        else:
            wrong += 1
    checks.append(
        close("Table 2: other entries that agree (of 55)", ok, 55, atol=0, source="Table 2")
    )
    return checks


def _eq22_operators(w0: float, beta: float, sz_sign: float) -> dict[float, np.ndarray]:
    """Seed Eq. 22 with S_+- the usual ladder operators and S_z = sz_sign * (standard S_z)."""
    Sp = [_site(sigmap(), k) for k in range(3)]
    Sm = [_site(sigmam(), k) for k in range(3)]
    Sz = [sz_sign * _site(sigmaz() / 2, k) for k in range(3)]
    eye = np.eye(8)
    ops = {}
    for s in (1, -1):  # upper / lower sign of Eq. 22
        up = Sp if s == 1 else Sm  # S_{+-}
        dn = Sm if s == 1 else Sp  # S_{-+}
        ops[s * w0] = 0.5 * dn[2]
        ops[s * (beta - 2 * w0) / 2] = 0.5 * up[0] @ (0.5 * (eye + 2 * Sz[1])) + 0.5 * (
            eye + 2 * Sz[0]
        ) @ (0.5 * up[1])
        ops[s * (beta + 2 * w0) / 2] = 0.5 * dn[0] @ (0.5 * (eye - 2 * Sz[1])) + 0.5 * (
            eye - 2 * Sz[0]
        ) @ (0.5 * dn[1])
    return ops


def _jump_checks() -> list[Check]:
    checks = []
    for w0, beta in POINTS:
        H, A = three_qubits(w0, beta)
        gen = davies(H, [(A, BATH)], lamb_shift=False)
        want = sorted(
            [s * x for s in (1, -1) for x in (w0, (beta - 2 * w0) / 2, (beta + 2 * w0) / 2)]
        )
        checks.append(
            close(
                f"non-zero A(omega) at +-w0, +-(beta-+2w0)/2 (w0={w0}, beta={beta})",
                float(np.max(np.abs(np.sort(gen.frequencies) - want))),
                0.0,
                atol=1e-12,
                source="Eq. 22",
            )
        )
        for sign, label, slip in (
            (1.0, "standard S_z (App. 1 labels ignored)", True),
            (-1.0, "S_z = (|g><g| - |e><e|)/2 of App. 1, g = ground", False),
        ):
            ops = _eq22_operators(w0, beta, sign)
            worst = 0.0
            for k, w in enumerate(gen.frequencies):
                key = min(ops, key=lambda x, w=w: abs(x - w))
                worst = max(worst, float(np.abs(gen.jump_operators[k] - ops[key]).max()))
            checks.append(
                close(
                    f"Eq. 22 matrices, {label} (w0={w0})",
                    worst,
                    0.0,
                    atol=1e-13,
                    source="Eq. 22, App. 1",
                    expect_fail=slip,
                    note="projectors (I +- 2 S_z)/2 need the App. 1 sign" if slip else "",
                )
            )
    return checks


def _rate_and_shift_checks(gen: Any) -> list[Check]:
    checks = []
    a, wc, T = BATH.alpha, BATH.cutoff, BATH.temperature
    for w, g in zip(gen.frequencies, gen.rates, strict=True):
        x = abs(w)
        J = 2 * math.pi * a * x * math.exp(-x / wc)
        n = 1 / math.expm1(x / T)
        ref = J * (1 + n) if w > 0 else J * n
        checks.append(close(f"gamma({w:+.2f})", g, ref, rtol=1e-13, source="Eqs. 28, 30"))
    for w in (W0, (2 * W0 - BETA) / 2, (2 * W0 + BETA) / 2):
        checks.append(
            close(
                f"detailed balance gamma(-w)/gamma(w) at w={w:.2f}",
                BATH.rate(-w) / BATH.rate(w),
                math.exp(-w / T),
                rtol=1e-13,
                source="KMS",
            )
        )
    # Lamb shift: Eq. 27 (mode sum) -> corrected Eq. 29; literal Eq. 29 is 2 pi larger
    for w in (W0, -W0):
        dW = 5e-4  # |w| = 2000 dW: the pole sits half-way between two modes (midpoint PV rule)
        Ws = (np.arange(200_000) + 0.5) * dW
        J = BATH.spectral_density(Ws)
        n = BATH.occupation(Ws)
        g2 = J * dW / (2 * math.pi)  # Eq. 30: J = 2 pi sum g^2 delta
        mode_sum = float(np.sum(g2 * (n / (w + Ws) + (1 + n) / (w - Ws))))
        S = float(BATH.lamb_shift(w))
        checks.append(
            close(f"S({w:+.0f}) vs the mode sum of Eq. 27", S, mode_sum, rtol=2e-5, source="Eq. 27")
        )
        checks.append(
            close(
                f"literal Eq. 29 at w={w:+.0f} (Cauchy quadrature) vs Eq. 27",
                _literal_eq29(w),
                mode_sum,
                rtol=1e-3,
                source="Eq. 29",
                expect_fail=True,
                note="Eq. 29 lacks 1/(2 pi): ratio 2 pi",
            )
        )
    T0 = OhmicBath(alpha=a, cutoff=wc, temperature=0.0)
    from scipy.special import expi

    exact = a * (-wc + W0 * math.exp(-W0 / wc) * expi(W0 / wc))
    checks.append(
        close(
            "S(w0) at T=0 vs closed form a[-wc + w e^{-w/wc} Ei(w/wc)]",
            float(T0.lamb_shift(W0)),
            exact,
            rtol=1e-10,
            source="Eq. 29 corrected",
        )
    )
    return checks


def _literal_eq29(w: float) -> float:
    """P int_0^inf dW J(W) [n/(w+W) + (1+n)/(w-W)] exactly as printed (QUADPACK Cauchy weight)."""
    from scipy import integrate

    L = 60 * BATH.cutoff

    def pv(f: Any, pole: float) -> float:  # P int_0^L f(W)/(W - pole) dW
        if 0 < pole < L:
            return integrate.quad(f, 0, L, weight="cauchy", wvar=pole, limit=400)[0]
        return integrate.quad(lambda x: f(x) / (x - pole), 0, L, limit=400)[0]

    def Jn(x: float) -> float:
        return float(BATH.spectral_density(x) * BATH.occupation(x)) if x > 0 else BATH.rate(0.0)

    def J1n(x: float) -> float:
        return float(BATH.rate(x)) if x > 0 else BATH.rate(0.0)

    return pv(Jn, -w) - pv(J1n, w)


def _lamb_hamiltonian_checks(gen: Any) -> tuple[list[Check], dict[str, float]]:
    """Eq. 31-32: H_LS in the basis G_1..G_7; the seed's c_i against the projections."""
    checks = []
    S = lambda op, k: _site(op / 2, k)  # noqa: E731
    r2 = math.sqrt(2)
    G = [
        np.eye(8) / (2 * r2),
        2 * S(sigmaz(), 2),
        2 * S(sigmaz(), 1),
        2 * S(sigmaz(), 0),
        r2 * S(sigmaz(), 0) @ S(sigmaz(), 1),
        r2 * S(sigmax(), 0) @ S(sigmax(), 1),
        r2 * S(sigmay(), 0) @ S(sigmay(), 1),
    ]
    H = gen.lamb_shift
    c = np.array([np.trace(g @ H).real / np.trace(g @ g).real for g in G])
    resid = float(np.abs(H - sum(ci * g for ci, g in zip(c, G, strict=True))).max())
    checks.append(
        close("H_LS lies in span{G_1..G_7} (residual)", resid, 0.0, atol=1e-14, source="Eq. 32")
    )
    checks.append(close("c_3 = c_4", c[2], c[3], atol=1e-14, source="Eq. 31"))
    checks.append(close("c_6 = c_7", c[5], c[6], atol=1e-14, source="Eq. 31"))
    # closed form derived with qbath.master.symbolic_davies (standard S_z; docs/errata.md)
    s = {w: float(BATH.lamb_shift(w)) for w in gen.frequencies}
    Sv = lambda w: s[min(s, key=lambda x: abs(x - w))]  # noqa: E731
    a_, b_ = (2 * W0 + BETA) / 2, (2 * W0 - BETA) / 2
    corrected = [
        r2 / 4 * (Sv(W0) + Sv(-W0) + Sv(a_) + Sv(-a_) + Sv(b_) + Sv(-b_)),
        (Sv(W0) - Sv(-W0)) / 8,
        (Sv(a_) - Sv(-b_)) / 8,
        (Sv(a_) - Sv(-b_)) / 8,
        r2 / 4 * (Sv(a_) + Sv(-b_) - Sv(-a_) - Sv(b_)),
        r2 / 4 * (Sv(-a_) + Sv(b_)),
        r2 / 4 * (Sv(-a_) + Sv(b_)),
    ]
    for i in range(7):
        checks.append(
            close(
                f"c_{i + 1}: projection vs corrected closed form",
                c[i],
                corrected[i],
                rtol=1e-12,
                atol=1e-15,
                source="errata (Eq. 31)",
            )
        )
    # the printed Eq. 31 with hbar = 1, S(w0) literal Eq. 29 and II = P int J (w(1+2n)+W)/(w^2-W^2)
    S29 = 2 * math.pi * float(BATH.lamb_shift(W0))
    II = S29  # the integrand of II is that of Eq. 29: II = 2 pi S(w0)
    printed = [
        (3 * S29 + S29 - 2 * II * W0) / (2 * r2),
        2 * II * W0 / r2,
        (4 * S29 - 4 * II * W0) / (4 * r2),
        (4 * S29 - 4 * II * W0) / (4 * r2),
        -2 * (II * BETA + S29 - 2 * II * W0) / r2,
        (2 * II * BETA + 4 * S29 - 4 * II * W0) / (4 * r2),
        (2 * II * BETA + 4 * S29 - 4 * II * W0) / (4 * r2),
    ]
    for i in range(7):
        checks.append(
            close(
                f"c_{i + 1}: printed Eq. 31 (hbar=1)",
                printed[i],
                c[i],
                rtol=1e-3,
                atol=1e-6,
                source="Eq. 31",
                expect_fail=True,
                note="depends on S at six frequencies, not on S(w0) and II only",
            )
        )
    return checks, {f"c{i + 1}": float(c[i]) for i in range(7)}


def _eq34_dissipator(beta: float, w0: float, swap: bool) -> np.ndarray:
    """Seed Eq. 34 (sigma_pm = sigma_x pm i sigma_y), as a superoperator; ``swap`` exchanges the
    rate labels of its 4th and 6th terms."""
    sp = [2 * _site(sigmap(), k) for k in range(3)]
    sm = [2 * _site(sigmam(), k) for k in range(3)]
    L3 = sp[0] @ (sm[1] @ sp[1] / 2) + (sm[0] @ sp[0] / 2) @ sp[1]
    L4 = sm[0] @ (sm[1] @ sp[1] / 2) + (sm[0] @ sp[0] / 2) @ sm[1]
    L5 = sm[0] @ (sp[1] @ sm[1] / 2) + (sp[0] @ sm[0] / 2) @ sm[1]
    L6 = sp[0] @ (sp[1] @ sm[1] / 2) + (sp[0] @ sm[0] / 2) @ sp[1]
    w4, w6 = (-beta - 2 * w0) / 2, (-beta + 2 * w0) / 2
    if swap:
        w4, w6 = w6, w4
    terms = [
        (BATH.rate(w0) / 16, sm[2]),
        (BATH.rate(-w0) / 16, sp[2]),
        (BATH.rate((beta - 2 * w0) / 2) / 64, L3),
        (BATH.rate(w4) / 64, L4),
        (BATH.rate((beta + 2 * w0) / 2) / 64, L5),
        (BATH.rate(w6) / 64, L6),
    ]
    eye = np.eye(8)
    D = np.zeros((64, 64), dtype=complex)
    for g, L in terms:
        LdL = L.conj().T @ L
        D += g * (np.kron(L.conj(), L) - 0.5 * np.kron(eye, LdL) - 0.5 * np.kron(LdL.T, eye))
    return D


def _eq34_checks() -> list[Check]:
    H, A = three_qubits(W0, BETA)
    gen = davies(H, [(A, BATH)], lamb_shift=False)
    eye = np.eye(8)
    LH = -1j * (np.kron(eye, H) - np.kron(H.T, eye))
    D = gen.liouvillian() - LH
    out = []
    for swap, slip in ((False, True), (True, False)):
        diff = float(np.abs(_eq34_dissipator(BETA, W0, swap) - D).max())
        label = "as printed" if not swap else "rate labels of terms 4 and 6 exchanged"
        out.append(
            close(
                f"Eq. 34 dissipator, {label}",
                diff,
                0.0,
                atol=1e-14,
                source="Eq. 34",
                expect_fail=slip,
                note="gamma((-beta-2w0)/2) and gamma((2w0-beta)/2) swapped" if slip else "",
            )
        )
    return out


def _initial_states() -> dict[str, np.ndarray]:
    up, dn = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    singlet = (np.kron(up, dn) - np.kron(dn, up)) / math.sqrt(2)
    rng = np.random.default_rng(2026)
    v = rng.normal(size=8) + 1j * rng.normal(size=8)
    plus = np.array([1.0, 1.0]) / math.sqrt(2)
    return {
        "uuu": np.kron(np.kron(up, up), up).astype(complex),
        "singlet12_u3": np.kron(singlet, up).astype(complex),
        "product_plus": np.kron(np.kron(plus, plus), plus).astype(complex),
        "random_pure": v / np.linalg.norm(v),
    }


def reproduce(out: Path, quick: bool = False) -> Reproduction:
    """Run the seed-004 reproduction into ``out`` (see the module docstring)."""
    plt = require("matplotlib.pyplot", purpose="figures")
    xr = require("xarray", purpose="the data file")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rep = Reproduction(
        name="three-qubit-davies",
        title="Markovian master equation for three interacting qubits (seed 004)",
        seed=SRC,
        quick=quick,
    )
    rep.notes.append(
        f"Parameters (the seed gives none): omega_0 = {W0}, beta = coupling_zz = {BETA}, ohmic bath "
        f"alpha = {BATH.alpha}, Omega_c = {BATH.cutoff}, T = {BATH.temperature}. The seed's |g> is "
        "qbath's |down> (index 1); seed state k (|ggg>, |gge>, ...) is qbath index 8 - k."
    )
    rep.checks += _energy_checks()
    rep.checks += _jump_checks()
    H, A = three_qubits(W0, BETA)
    gen = davies(H, [(A, BATH)], lamb_shift=True)
    rep.checks += _rate_and_shift_checks(gen)
    lamb_checks, coeffs = _lamb_hamiltonian_checks(gen)
    rep.checks += lamb_checks
    rep.checks += _eq34_checks()

    # steady states: the null space is 2-dimensional (collective coupling conserves the singlet)
    states, conserved = steady_state_space(gen)
    rep.checks.append(
        close(
            "dimension of the steady-state space",
            states.shape[0],
            2,
            atol=0,
            source="conventions.md (degenerate model)",
        )
    )
    up, dn = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    singlet = (np.kron(up, dn) - np.kron(dn, up)) / math.sqrt(2)
    P_s = np.kron(np.outer(singlet, singlet), np.eye(2)).astype(complex)

    # Kraus decomposition (Eq. 35) through the 64 x 64 Choi matrix
    kraus_t = (0.5, 2.0, 10.0)
    choi_eigs = []
    g = np.random.default_rng(5).normal(size=(8, 8)) + 1j * np.random.default_rng(6).normal(
        size=(8, 8)
    )
    rho_test = g @ g.conj().T / np.trace(g @ g.conj().T)
    for t in kraus_t:
        Ks = kraus(gen, t)
        P = propagator(gen, t)
        C = choi_matrix(P)
        choi_eigs.append(np.sort(np.linalg.eigvalsh(0.5 * (C + C.conj().T)))[::-1])
        rep.checks.append(
            close(
                f"sum K^dag K = 1 at t={t}",
                float(np.abs(sum(K.conj().T @ K for K in Ks) - np.eye(8)).max()),
                0.0,
                atol=1e-12,
                source="Eq. 35",
            )
        )
        rep.checks.append(
            close(
                f"from_kraus(kraus) = exp(L t) at t={t}",
                float(np.abs(from_kraus(Ks) - P).max()),
                0.0,
                atol=1e-12,
                source="Eq. 35",
            )
        )
        rho_k = sum(K @ rho_test @ K.conj().T for K in Ks)
        rho_m = mesolve(gen, rho_test, [0.0, t], rtol=1e-11, atol=1e-13).final_state
        rep.checks.append(
            close(
                f"Kraus map vs mesolve on a random state at t={t}",
                float(np.abs(rho_k - rho_m).max()),
                0.0,
                atol=1e-9,
                source="Eq. 35",
                note=f"{len(Ks)} Kraus operators (non-zero Choi eigenvalues of 64)",
            )
        )

    # dynamics
    T_end = 60.0
    times = np.linspace(0, T_end, 121 if quick else 481)
    Stot = sum(_site(sigmaz() / 2, k) for k in range(3))
    e_ops = [H, Stot, P_s]
    names = ["energy", "sz_total", "singlet_population"]
    inits = _initial_states()
    dyn = np.zeros((len(inits), len(names) + 1, len(times)))
    ss_pop = []
    for i, (label, psi) in enumerate(inits.items()):
        r = mesolve(gen, psi, times, e_ops=e_ops, rtol=1e-9, atol=1e-11)
        for k in range(len(names)):
            dyn[i, k] = r.expect[k]
        dyn[i, -1] = purity(r.states)
        rho0 = np.outer(psi, psi.conj())
        ss = steady_state(gen, rho0)
        long = (propagator(gen, 4000.0) @ rho0.ravel(order="F")).reshape(8, 8, order="F")
        rep.checks.append(
            close(
                f"steady_state(rho0) = lim exp(L t) rho0, {label}",
                float(np.abs(ss - long).max()),
                0.0,
                atol=1e-9,
                source="spectral projection",
            )
        )
        pop0 = float(np.trace(P_s @ rho0).real)
        ss_pop.append(float(np.trace(P_s @ ss).real))
        rep.checks.append(
            close(
                f"singlet population conserved, {label}",
                ss_pop[-1],
                pop0,
                atol=1e-9,
                source="collective coupling",
            )
        )
    ntraj = 300 if quick else 2000
    mc = mcsolve(gen, inits["uuu"], times[::20], e_ops=[H], ntraj=ntraj, seed=4)
    z = np.abs(mc.expect[0][1:] - dyn[0, 0, ::20][1:]) / mc.expect_std_err[0][1:]
    rep.checks.append(
        close(
            f"mcsolve vs mesolve <H_A>, |z| max over times ({ntraj} traj.)",
            float(z.max()),
            0.0,
            atol=4.5,
            source="unravelling",
            note="z = |mc - me| / standard error",
        )
    )

    # figures
    fig, ax = plt.subplots(1, 2, figsize=(10, 3.8))
    w = np.linspace(-4, 4, 401)
    ax[0].plot(w, BATH.rate(w), label=r"$\gamma(\omega)$")
    ax[0].plot(gen.frequencies, gen.rates, "o", label="channels")
    ax[0].set_xlabel(r"$\omega$")
    ax[0].legend()
    wl = np.linspace(-4, 4, 81)
    ax[1].plot(wl, BATH.lamb_shift(wl), label=r"$S(\omega)$ (Eq. 29 with $1/2\pi$)")
    ax[1].plot(gen.frequencies, gen.shifts, "o")
    ax[1].set_xlabel(r"$\omega$")
    ax[1].legend()
    fig.tight_layout()
    figs = [out / "spectra.png"]
    fig.savefig(figs[-1], dpi=120)
    plt.close(fig)
    fig, ax = plt.subplots(2, 2, figsize=(10, 7), sharex=True)
    for i, label in enumerate(inits):
        for k, title in enumerate(
            [
                r"$\langle H_A\rangle$",
                r"$\langle S_z^{tot}\rangle$",
                "singlet(1,2) population",
                "purity",
            ]
        ):
            a = ax.flat[k]
            a.plot(times, dyn[i, k], label=label)
            a.set_title(title)
    ax.flat[0].errorbar(
        mc.times, mc.expect[0], yerr=mc.expect_std_err[0], fmt="k.", label=f"mcsolve ({ntraj})"
    )
    ax.flat[0].legend(fontsize=7)
    for a in ax[1]:
        a.set_xlabel("t")
    fig.tight_layout()
    figs.append(out / "dynamics.png")
    fig.savefig(figs[-1], dpi=120)
    plt.close(fig)
    fig, a = plt.subplots(figsize=(5, 3.5))
    for t, ev in zip(kraus_t, choi_eigs, strict=True):
        a.semilogy(np.arange(1, 65), np.clip(ev, 1e-18, None), ".-", label=f"t = {t}")
    a.set_xlabel("Choi eigenvalue index")
    a.set_ylabel("eigenvalue")
    a.legend()
    fig.tight_layout()
    figs.append(out / "kraus.png")
    fig.savefig(figs[-1], dpi=120)
    plt.close(fig)
    rep.figures += figs

    # data file
    bohr = np.array([[H[i, i].real - H[j, j].real for j in range(8)] for i in range(8)])
    ds = xr.Dataset(
        {
            "energies": ("level", gen.energies),
            "bohr_difference": (("row", "col"), bohr),
            "channel_frequency": ("channel", gen.frequencies),
            "channel_rate": ("channel", gen.rates),
            "channel_lamb_shift": ("channel", gen.shifts),
            "lamb_hamiltonian_coefficient": ("g_index", np.array(list(coeffs.values()))),
            "expect": (("initial_state", "observable", "time"), dyn),
            "steady_singlet_population": ("initial_state", np.array(ss_pop)),
            "choi_eigenvalues": (("kraus_time", "choi_index"), np.array(choi_eigs)),
            "mc_energy": ("mc_time", mc.expect[0]),
            "mc_energy_std_err": ("mc_time", mc.expect_std_err[0]),
        },
        coords={
            "time": times,
            "mc_time": mc.times,
            "initial_state": list(inits),
            "observable": names + ["purity"],
            "kraus_time": np.array(kraus_t),
            "level": np.arange(8),
            "row": np.arange(8),
            "col": np.arange(8),
            "channel": np.arange(len(gen.frequencies)),
            "g_index": np.arange(1, 8),
            "choi_index": np.arange(64),
        },
        attrs=attrs_from_meta(
            make_meta(
                "reproduction three-qubit-davies",
                omega0=W0,
                coupling_zz=BETA,
                bath=repr(BATH),
                quick=quick,
                seed_file=SRC,
                basis="qbath computational basis, index 0 = up",
            )
        ),
    )
    path = out / "three_qubit_davies.nc"
    ds.to_netcdf(path)
    rep.data_files.append(path)
    rep.notes.append(
        "Stationary states: a 2-dimensional space (the singlet of qubits 1, 2 is invisible to "
        "S1x + S2x); steady_state(gen) raises NonUniqueSteadyStateError, steady_state(gen, rho0) "
        "returns the limit reached from rho0."
    )
    return rep
