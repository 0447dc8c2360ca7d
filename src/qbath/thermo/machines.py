r"""Models of quantum thermal machines and their figures of merit.

* :func:`absorption_refrigerator` — three qubits c, r, h with :math:`\omega_r = \omega_c + \omega_h`
  and :math:`H_{int} = g(\sigma_+^c\sigma_-^r\sigma_+^h + \mathrm{h.c.})` (Linden, Popescu and
  Skrzypczyk, *How small can thermal machines be? The smallest possible refrigerator*, PRL 105,
  130401, 2010);
* :func:`two_qubits_xx` — two detuned qubits with an XX (flip-flop) coupling (Levy and Kosloff,
  *The local approach to quantum transport may violate the second law of thermodynamics*, EPL 107,
  20004, 2014);
* :func:`xx_chain` — N qubits with nearest-neighbour flip-flop couplings, baths at the ends;
* :func:`coupled_oscillators` and :func:`exact_oscillator_current` — two coupled harmonic modes
  (Hofer et al., *Markovian master equations for quantum thermal machines: local versus global
  approach*, New J. Phys. 19, 123037, 2017) and the exact (Landauer) current of the quadratic model;
* :func:`otto_cycle` — a four-stroke Otto cycle of a qubit with finite-time strokes;
* :func:`two_stream_collisions` — a system meeting alternately ancillae of a hot and a cold stream.

Conventions: index 0 = spin up = excited, :math:`\sigma_+ = |0\rangle\langle 1|`, a qubit of
frequency :math:`\omega` has :math:`H = \omega\sigma_z/2`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as sla
from scipy import integrate

from .._checks import check_int, check_real_scalar
from .._operators import embed, sigmam, sigmax, sigmaz
from ..master import Bath
from ..master import davies as _davies
from ..ode import Dopri5
from ..solve import propagator

__all__ = [
    "absorption_refrigerator",
    "two_qubits_xx",
    "xx_chain",
    "coupled_oscillators",
    "exact_oscillator_current",
    "carnot_cop_absorption",
    "OttoResult",
    "otto_cycle",
    "TwoStreamResult",
    "two_stream_collisions",
]

SZ, SM, SX = sigmaz(), sigmam(), sigmax()
SP = SM.conj().T


def _site(op: np.ndarray, i: int, n: int) -> np.ndarray:
    return embed(op, i, [2] * n)


def absorption_refrigerator(
    omega_c: float, omega_h: float, g: float
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    r"""The three-qubit absorption refrigerator (order c, r, h; :math:`\omega_r = \omega_c+\omega_h`).

    .. math::

        H = \sum_{k=c,r,h}\frac{\omega_k}2\sigma_z^k
            + g\,(\sigma_+^c\sigma_-^r\sigma_+^h + \sigma_-^c\sigma_+^r\sigma_-^h)

    Returns
    -------
    H : (8, 8)
    couplings : list of 3 (8, 8)
        :math:`\sigma_x^k`, the operator through which bath k touches qubit k.
    local : list of 3 (8, 8)
        The local Hamiltonians :math:`\omega_k\sigma_z^k/2`.
    """
    wc = check_real_scalar("omega_c", omega_c, minimum=0.0, strict=True)
    wh = check_real_scalar("omega_h", omega_h, minimum=0.0, strict=True)
    g = check_real_scalar("g", g)
    w = [wc, wc + wh, wh]
    local = [0.5 * w[k] * _site(SZ, k, 3) for k in range(3)]
    V = _site(SP, 0, 3) @ _site(SM, 1, 3) @ _site(SP, 2, 3)
    H = sum(local) + g * (V + V.conj().T)
    return H, [_site(SX, k, 3) for k in range(3)], local


def carnot_cop_absorption(T_c: float, T_r: float, T_h: float) -> float:
    r"""Carnot coefficient of performance of an absorption refrigerator,
    :math:`(1 - T_r/T_h)/(T_r/T_c - 1)`."""
    return (1 - T_r / T_h) / (T_r / T_c - 1)


def two_qubits_xx(
    omega_h: float, omega_c: float, g: float
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    r"""Two qubits with a flip-flop coupling, :math:`H = \frac{\omega_h}2\sigma_z^h + \frac{\omega_c}2
    \sigma_z^c + g(\sigma_+^h\sigma_-^c + \sigma_-^h\sigma_+^c)` (order h, c).

    Returns (H, [sigma_x^h, sigma_x^c], [local H_h, local H_c]).
    """
    H, cps, loc = xx_chain(2, g, omegas=[omega_h, omega_c])
    return H, cps, loc


def xx_chain(
    n: int, g: float, omega: float = 1.0, omegas: Sequence[float] | None = None
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    r"""XX chain :math:`H = \sum_i\frac{\omega_i}2\sigma_z^i + g\sum_i(\sigma_+^i\sigma_-^{i+1}
    + \mathrm{h.c.})` with baths on the first and the last site.

    Returns (H, [sigma_x^0, sigma_x^{n-1}], [local H_0, local H_{n-1}]) with (2^n, 2^n) matrices.
    """
    n = check_int("n", n, minimum=2)
    g = check_real_scalar("g", g)
    w = [check_real_scalar("omega", omega)] * n if omegas is None else [float(x) for x in omegas]
    local = [0.5 * w[i] * _site(SZ, i, n) for i in range(n)]
    H = sum(local)
    hop = np.kron(SP, SM)  # sigma_+^i sigma_-^{i+1} on two neighbouring sites
    for i in range(n - 1):
        V = np.kron(np.kron(np.eye(2**i), hop), np.eye(2 ** (n - i - 2)))
        H = H + g * (V + V.conj().T)
    return H, [_site(SX, 0, n), _site(SX, n - 1, n)], [local[0], local[-1]]


def _destroy(n: int) -> np.ndarray:
    return np.diag(np.sqrt(np.arange(1, n)), 1).astype(complex)


def coupled_oscillators(
    omega_h: float, omega_c: float, g: float, levels: int
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    r"""Two modes :math:`H = \omega_h a^\dagger a + \omega_c b^\dagger b + g(a^\dagger b + a b^\dagger)`
    truncated to ``levels`` Fock states each, coupled to the baths through :math:`a + a^\dagger`
    and :math:`b + b^\dagger` (Hofer et al. 2017).

    Returns (H, [a + a^dag, b + b^dag], [omega_h a^dag a, omega_c b^dag b]).
    """
    n = check_int("levels", levels, minimum=2)
    a1 = _destroy(n)
    eye = np.eye(n)
    a, b = np.kron(a1, eye), np.kron(eye, a1)
    Hh, Hc = omega_h * a.conj().T @ a, omega_c * b.conj().T @ b
    H = Hh + Hc + g * (a.conj().T @ b + a @ b.conj().T)
    return H, [a + a.conj().T, b + b.conj().T], [Hh, Hc]


def exact_oscillator_current(
    omega_h: float,
    omega_c: float,
    g: float,
    kappa_h: float,
    kappa_c: float,
    T_h: float,
    T_c: float,
) -> float:
    r"""Exact steady heat current from the hot bath of two coupled modes with wide-band baths.

    For :math:`H = \omega_h a^\dagger a + \omega_c b^\dagger b + g(a^\dagger b + ab^\dagger)` with each
    mode damped at rate :math:`\kappa_k` by a flat (Markovian, rotating-wave) bath, the quantum
    Langevin equations are linear and the current is the Landauer integral

    .. math::

        J = \int_{-\infty}^{\infty}\frac{d\omega}{2\pi}\,\omega\,\mathcal T(\omega)
            [n_h(\omega) - n_c(\omega)],\qquad
        \mathcal T(\omega) = \frac{\kappa_h\kappa_c g^2}
            {|(\omega-\omega_h+i\kappa_h/2)(\omega-\omega_c+i\kappa_c/2) - g^2|^2}

    (Hofer et al. 2017, Sec. 5; the negative frequencies, where the wide-band model has no
    physical bath, contribute :math:`O(\kappa^2 g^2/\omega^4)` and are dropped here: the integral
    runs over :math:`\omega > 0`).
    """

    def T(w: float) -> float:
        z = (w - omega_h + 0.5j * kappa_h) * (w - omega_c + 0.5j * kappa_c) - g * g
        return kappa_h * kappa_c * g * g / abs(z) ** 2

    def n(w: float, temp: float) -> float:
        x = w / temp
        return 0.0 if x > 700 else 1.0 / np.expm1(x)

    def f(w: float) -> float:
        return w * T(w) * (n(w, T_h) - n(w, T_c)) / (2 * np.pi)

    lam = np.linalg.eigvalsh(np.array([[omega_h, g], [g, omega_c]]))
    width = max(kappa_h, kappa_c, abs(g), 1e-3)
    pts = sorted({float(x) for x in lam} | {float(x) + s * width for x in lam for s in (-3, 3)})
    pts = [p for p in pts if p > 0]
    top = max(lam) + 200 * width + 10 * max(T_h, T_c)
    val = integrate.quad(f, 1e-12, top, points=pts, limit=2000, epsabs=1e-15, epsrel=1e-11)[0]
    val += integrate.quad(f, top, np.inf, limit=200)[0]
    return float(val)


@dataclass(frozen=True)
class OttoResult:
    r"""Ledger of one limit cycle of :func:`otto_cycle`.

    Attributes
    ----------
    heat_hot, heat_cold : float
        Heat absorbed from each bath in one cycle.
    work : float
        Work done on the system in one cycle (< 0: an engine).
    efficiency : float
        :math:`-W/Q_h` when the cycle runs as an engine (:math:`W < 0 < Q_h`), NaN otherwise.
    power : float
        :math:`-W/\tau_{cycle}`.
    cycle_time : float
    entropy_production : float
        :math:`-Q_h/T_h - Q_c/T_c` per cycle (>= 0).
    """

    heat_hot: float
    heat_cold: float
    work: float
    efficiency: float
    power: float
    cycle_time: float
    entropy_production: float


def otto_cycle(
    omega_h: float,
    omega_c: float,
    hot: Bath,
    cold: Bath,
    tau_hot: float,
    tau_cold: float,
    tau_unitary: float,
    *,
    delta: float = 0.0,
    steps: int | None = None,
) -> OttoResult:
    r"""Four-stroke quantum Otto cycle of a qubit, at its limit cycle.

    Strokes: (1) thermalisation with the hot bath at :math:`H_h = \frac{\omega_h}2\sigma_z +
    \frac\delta2\sigma_x` for ``tau_hot`` (the Davies generator of :func:`qbath.davies` with its
    Lamb shift, propagated by :func:`qbath.propagator`); (2) unitary compression
    :math:`H_h\to H_c` by a linear ramp of :math:`\omega` over ``tau_unitary``, integrated by the
    driven solver (:func:`qbath.propagator` with QuTiP's list form :math:`H(t) = \frac\delta2
    \sigma_x + \frac{\omega(t)}2\sigma_z`), or with an integer ``steps`` in that many
    piecewise-constant steps (each :math:`e^{-iH\delta t}`); (3) thermalisation with the cold bath at
    :math:`H_c`; (4) the reverse ramp. Heat is the energy change during a thermalisation stroke,
    work the energy change during a unitary one (Kosloff and Rezek, *The quantum harmonic Otto
    cycle*, Entropy 19, 136, 2017). With :math:`\delta = 0` the ramps commute with :math:`H` and the
    efficiency is :math:`1 - \omega_c/\omega_h` for every cycle time; :math:`\delta \ne 0` adds
    quantum friction at short ``tau_unitary``.
    """
    if steps is not None:
        steps = check_int("steps", steps, minimum=1)

    def Hof(w: float) -> np.ndarray:
        return 0.5 * w * SZ + 0.5 * delta * SX

    Hh, Hc = Hof(omega_h), Hof(omega_c)
    Ph = propagator(_davies(Hh, [(SX, hot)]), tau_hot)
    Pc = propagator(_davies(Hc, [(SX, cold)]), tau_cold)

    def ramp(w0: float, w1: float) -> np.ndarray:
        U = np.eye(2, dtype=complex)
        if tau_unitary == 0:
            return U
        if steps is None:  # the driven solver: a continuous linear ramp of omega
            H = [0.5 * delta * SX, [0.5 * SZ, lambda t: w0 + (w1 - w0) * t / tau_unitary]]
            return propagator(H, tau_unitary, method=Dopri5(rtol=1e-13, atol=1e-15))
        dt = tau_unitary / steps
        for j in range(steps):
            w = w0 + (w1 - w0) * (j + 0.5) / steps
            U = sla.expm(-1j * dt * Hof(w)) @ U
        return U

    U1, U2 = ramp(omega_h, omega_c), ramp(omega_c, omega_h)
    S1 = np.kron(U1.conj(), U1)
    S2 = np.kron(U2.conj(), U2)
    cycle = S2 @ Pc @ S1 @ Ph  # column stacking, acting on the state before the hot stroke
    w, v = np.linalg.eig(cycle)
    r0 = v[:, np.argmin(np.abs(w - 1))].reshape(2, 2, order="F")
    r0 = r0 / np.trace(r0)
    r0 = 0.5 * (r0 + r0.conj().T)

    def step(S: np.ndarray, r: np.ndarray) -> np.ndarray:
        out = (S @ r.ravel(order="F")).reshape(2, 2, order="F")
        return 0.5 * (out + out.conj().T)

    def E(H: np.ndarray, r: np.ndarray) -> float:
        return float(np.trace(H @ r).real)

    r1 = step(Ph, r0)
    r2 = step(S1, r1)
    r3 = step(Pc, r2)
    r4 = step(S2, r3)
    Qh = E(Hh, r1) - E(Hh, r0)
    W1 = E(Hc, r2) - E(Hh, r1)
    Qc = E(Hc, r3) - E(Hc, r2)
    W2 = E(Hh, r4) - E(Hc, r3)
    W = W1 + W2
    tau = tau_hot + tau_cold + 2 * tau_unitary
    eff = -W / Qh if (W < 0 and Qh > 0) else np.nan  # an efficiency only when it is an engine
    sigma = -Qh / hot.temperature - Qc / cold.temperature
    return OttoResult(Qh, Qc, W, eff, -W / tau, tau, sigma)


@dataclass(frozen=True)
class TwoStreamResult:
    r"""Steady-state ledger of :func:`two_stream_collisions`, per pair of collisions.

    Attributes
    ----------
    heat : (2,) heat from the hot and the cold stream (:math:`-\mathrm{Tr}[H_E\Delta\eta]`)
    switching_work : (2,) work of switching each interaction on and off
    delta_u : (2,) system energy change in each collision
    entropy_production : (2,) :math:`\Sigma = I(S':E') + S(\eta'\|\eta)` of each collision
    first_law_residual : float
    steady_state : (d, d) the state before the hot collision
    """

    heat: np.ndarray
    switching_work: np.ndarray
    delta_u: np.ndarray
    entropy_production: np.ndarray
    first_law_residual: float
    steady_state: np.ndarray


def two_stream_collisions(model_hot: Any, model_cold: Any) -> TwoStreamResult:
    r"""A system that meets, alternately, a fresh ancilla of a hot stream and of a cold stream.

    Both collision models (:class:`qbath.collision.CollisionModel`) share the system Hamiltonian.
    The limit cycle is the fixed point of :math:`\Phi_c\Phi_h`; the ledger of each collision is
    qbath's collision ledger (Cusumano and De Chiara, *Structured quantum collision models:
    generating coherence with thermal resources*).
    """
    from ..collision import evolve, superoperator

    S = superoperator(model_cold) @ superoperator(model_hot)
    w, v = np.linalg.eig(S)
    d = model_hot.d_s
    r = v[:, np.argmin(np.abs(w - 1))].reshape(d, d, order="F")
    r = r / np.trace(r)
    r = 0.5 * (r + r.conj().T)
    a = evolve(model_hot, r, 1)
    b = evolve(model_cold, a.states[-1], 1)
    heat = np.array([a.heat[0], b.heat[0]])
    sw = np.array([a.switching_work[0], b.switching_work[0]])
    du = np.array([a.delta_u[0], b.delta_u[0]])
    sig = np.array([a.entropy_production[0], b.entropy_production[0]])
    res = float(abs(a.first_law_residual[0]) + abs(b.first_law_residual[0]))
    return TwoStreamResult(heat, sw, du, sig, res, r)
