r"""Continuous-time D-S-T dynamics in three pictures, and the energy delivered through T.

Pictures (``docs/drive.md`` has the derivations):

``"prescribed"`` (the seed's)
    D and T follow the protocol exactly, :math:`|\psi_{D,T}(t)\rangle = |\psi(\theta_{D,T}(t),
    \phi_{D,T}(t))\rangle`; S evolves under the mean field
    :math:`H_S(t) = g\,\alpha(t)\sigma_+ + \mathrm{h.c.}`. The power delivered through T (the seed's
    sign, the continuum limit of :func:`~qbath.drive.dst_work`) is

    .. math:: P_T = -\mathrm{Tr}\left[\rho_S\,\partial_t H_S\big|_T\right]
        = -2g\,\mathrm{Re}\left(\dot\tau_T\langle\sigma_+\rangle_S\right),\qquad
        \dot\tau_T = \tfrac12 e^{i\phi_T}(\cos\theta_T\dot\theta_T + i\sin\theta_T\dot\phi_T).

``"mean_field"`` (self-consistent)
    D, S and T stay in a product state; each evolves under the mean field of its neighbours plus,
    for D and T, a control Hamiltonian :math:`H_c^X(t)` that would move a free qubit along the
    protocol (below).

``"exact"``
    The three qubits evolve unitarily under :math:`H(t) = gH_{DST} + H_c^D(t) + H_c^T(t)`, so D and T
    feel S's back-action and correlations build up.

Control of D and T: with :math:`\vec n(t)` the Bloch vector of :math:`|\psi(\theta(t),\phi(t))\rangle`,

.. math:: H_c(t) = \tfrac12(\vec n\times\dot{\vec n})\cdot\vec\sigma - \tfrac{\Omega}{2}\,\vec n\cdot
    \vec\sigma,

the minimal transport Hamiltonian (:math:`\dot{\vec n} = (\vec n\times\dot{\vec n})\times\vec n`)
plus an optional pinning field of strength :math:`\Omega` (``pinning``) that makes
:math:`|\psi(t)\rangle` the ground state. A free qubit follows :math:`|\psi(t)\rangle` exactly (up to
a phase) for any :math:`\Omega`; as :math:`\Omega\to\infty` the back-action of S is suppressed and
both the mean-field and the exact picture tend to the prescribed one.

Energy delivered through T: the total energy of the chain is :math:`E = \langle gH_{DST}\rangle`
(no local terms); the controls change it at the rate :math:`\dot E = i\langle[H_c^D + H_c^T,
gH_{DST}]\rangle`. The part due to T's control, with the seed's sign, is

.. math:: P_T = -i\,\mathrm{Tr}\left(\rho\,[H_c^T, gH_{DST}]\right), \qquad
    W_T(t) = \int_{t_0}^t P_T\,dt',

and likewise :math:`P_D`; so :math:`E(t) - E(t_0) = -(W_T + W_D)` in every picture (the first law
that the tests check). In the mean-field picture the trace is over the product state; in the
prescribed picture it reduces to :math:`-\mathrm{Tr}[\rho_S\,\partial_tH_S|_T]` above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np

from .._checks import as_density_matrix, check_real_scalar
from .._errors import InputError
from .._meta import make_meta
from .._operators import ptrace, sigmam, sigmap, sigmax, sigmay, sigmaz, tensor
from .._result import COMPONENTS, Coords, DensityResult, Variables
from ..ode import DOP853, Method, check_method
from ._protocol import (
    SmoothProtocol,
    bloch_direction,
    bloch_direction_rate,
    dst_ket,
    smooth_protocol,
)
from ._stepwise import SEED_RHO0

__all__ = ["DSTDynamics", "dst_dynamics", "dst_power", "dst_hamiltonian"]

#: default method of the D-S-T dynamics (tight: the first law and the work are checked at 1e-9)
DEFAULT_METHOD = DOP853(rtol=1e-10, atol=1e-12)

Picture = Literal["prescribed", "mean_field", "exact"]
PICTURES = ("prescribed", "mean_field", "exact")
_PAULIS = np.stack([sigmax(), sigmay(), sigmaz()])
_I2 = np.eye(2, dtype=complex)


def dst_hamiltonian(coupling: float = 1.0) -> np.ndarray:
    r""":math:`g H_{DST} = g(H_I\otimes 1 + 1\otimes H_I)`, :math:`H_I = \sigma_+\otimes\sigma_- +
    \sigma_-\otimes\sigma_+`, on D (x) S (x) T (D leftmost), shape (8, 8). Basis independent."""
    g = check_real_scalar("coupling", coupling)
    h_i = tensor(sigmap(), sigmam()) + tensor(sigmam(), sigmap())
    return g * (tensor(h_i, _I2) + tensor(_I2, h_i))


@dataclass(frozen=True, eq=False, repr=False)
class DSTDynamics(DensityResult):
    """Result of :func:`dst_dynamics` / :func:`dst_power`.

    Attributes
    ----------
    picture : {"prescribed", "mean_field", "exact"}
    times : numpy.ndarray, shape (m,)
    rho_d, rho_s, rho_t : numpy.ndarray, shape (m, 2, 2)
        (Reduced) states of D, S, T in qbath's basis.
    power, work : numpy.ndarray, shape (m,)
        :math:`P_T(t)` and :math:`W_T(t) = \\int_{t_0}^t P_T` (seed's sign: energy given away
        through T).
    power_d, work_d : numpy.ndarray, shape (m,)
        The same through D.
    energy : numpy.ndarray, shape (m,)
        :math:`E = \\langle gH_{DST}\\rangle` (product-state value in the mean-field pictures).
    rho : numpy.ndarray of shape (m, 8, 8) or None
        Full D (x) S (x) T state (``"exact"`` only).
    meta : dict
    expect : list
        Empty (no observables are asked for).
    stats : dict

    Protocol properties: ``states`` (m, 8, 8) is ``rho`` in the exact picture and the product
    :math:`\\rho_D\\otimes\\rho_S\\otimes\\rho_T` in the two mean-field pictures;
    ``final_state`` its last entry; ``bloch`` (m, 3, 3) the Bloch vectors of D, S, T.
    """

    picture: str
    times: np.ndarray
    rho_d: np.ndarray
    rho_s: np.ndarray
    rho_t: np.ndarray
    power: np.ndarray
    work: np.ndarray
    power_d: np.ndarray
    work_d: np.ndarray
    energy: np.ndarray
    rho: np.ndarray | None
    meta: dict[str, Any]
    expect: list[np.ndarray] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def total_work(self) -> float:
        """:math:`W_T` at the last time."""
        return float(self.work[-1])

    @cached_property
    def states(self) -> np.ndarray:
        """D (x) S (x) T states (m, 8, 8): exact, or the mean-field product state (built once)."""
        if self.rho is not None:
            return self.rho
        ds = np.einsum("tij,tkl->tikjl", self.rho_d, self.rho_s).reshape(-1, 4, 4)
        return np.einsum("tij,tkl->tikjl", ds, self.rho_t).reshape(-1, 8, 8)

    @property
    def final_state(self) -> np.ndarray:
        """The D (x) S (x) T state at ``times[-1]``, shape (8, 8)."""
        if self.rho is not None:
            return self.rho[-1]
        return tensor(self.rho_d[-1], self.rho_s[-1], self.rho_t[-1])

    @property
    def bloch(self) -> np.ndarray:
        """Bloch vectors of D, S and T, shape (m, 3, 3) (time, qubit, component)."""
        return _dm_to_bloch(np.stack([self.rho_d, self.rho_s, self.rho_t], axis=1))

    def _coords(self) -> Coords:
        coords = super()._coords()
        coords["qubit"] = (np.array(["D", "S", "T"]), {"long_name": "qubit of the chain"})
        coords["component"] = (COMPONENTS, {"long_name": "Bloch component"})
        return coords

    def _variables(self, expect: Any, states: bool) -> Variables:
        out = super()._variables(expect, states)
        out["bloch"] = (
            ("time", "qubit", "component"),
            self.bloch,
            {"long_name": "Bloch vectors of D, S, T"},
        )
        for name, desc in (
            ("power", "power delivered through T (seed's sign)"),
            ("work", "work delivered through T (seed's sign)"),
            ("power_d", "power delivered through D (seed's sign)"),
            ("work_d", "work delivered through D (seed's sign)"),
            ("energy", "energy <g H_DST>"),
        ):
            out[name] = (
                ("time",),
                np.asarray(getattr(self, name), dtype=float),
                {"long_name": desc},
            )
        return out

    def _summary(self) -> list[str]:
        return [
            f"picture: {self.picture}, W_T = {self.total_work:.6g}, W_D = {float(self.work_d[-1]):.6g} (seed's sign)"
        ]


def _bloch_to_dm(s: np.ndarray) -> np.ndarray:
    return 0.5 * (_I2 + np.einsum("...a,aij->...ij", s, _PAULIS))


def _dm_to_bloch(rho: np.ndarray) -> np.ndarray:
    return np.einsum("aij,...ji->...a", _PAULIS, rho).real


def _control_fields(proto: SmoothProtocol, t: np.ndarray, pinning: float) -> tuple[np.ndarray, ...]:
    """Bloch fields h of H_c^D and H_c^T (H_c = h . sigma), shape (..., 3) each."""
    th_d, ph_d, th_t, ph_t = proto.angles(t)
    r_d = proto.rates(t)
    out = []
    for th, ph, dth, dph in ((th_d, ph_d, r_d[0], r_d[1]), (th_t, ph_t, r_d[2], r_d[3])):
        n = bloch_direction(th, ph)
        n_dot = bloch_direction_rate(th, ph, dth, dph)
        out.append(0.5 * np.cross(n, n_dot) - 0.5 * pinning * n)
    return tuple(out)


def _solve(rhs: Any, y0: np.ndarray, times: np.ndarray, method: Method) -> np.ndarray:
    """The states at ``times`` (T, n) of ``dy/dt = rhs(t, y)`` (small states: all are kept)."""
    ys = np.empty((times.size, y0.size), dtype=y0.dtype)

    def f(t: float, y: np.ndarray, out: np.ndarray) -> None:
        out[...] = rhs(t, y)

    def observe(i: int, y: np.ndarray) -> None:
        ys[i] = y

    method.integrate(f, y0, times, observe)
    return ys


@dataclass(frozen=True)
class _Inputs:
    """The validated inputs of one :func:`dst_dynamics` call, shared by the three pictures."""

    proto: SmoothProtocol
    t: np.ndarray  # (m,) output times
    rho0: np.ndarray  # (2, 2) initial state of S
    g: float  # coupling
    pin: float  # pinning Omega of the control Hamiltonian
    method: Method


def _prescribed(run: _Inputs) -> dict:
    """S in the prescribed mean field; y = (s_S, W_T, W_D)."""
    proto, t, g = run.proto, run.t, run.g

    def fields(tt: Any) -> tuple[np.ndarray, ...]:
        tau_d, dtau_d = proto.tau_d(tt)
        tau_t, dtau_t = proto.tau_t(tt)
        return g * (tau_d + tau_t), g * dtau_d, g * dtau_t

    def rhs(tt: float, y: np.ndarray) -> np.ndarray:
        alpha, dd, dt_ = fields(np.asarray(tt))
        s = y[:3]
        b = np.array([alpha.real, -alpha.imag, 0.0])
        sp = 0.5 * (s[0] + 1j * s[1])  # <sigma_+> = rho[1, 0]
        return np.concatenate([2 * np.cross(b, s), [-2 * (dt_ * sp).real, -2 * (dd * sp).real]])

    y = _solve(rhs, np.concatenate([_dm_to_bloch(run.rho0), [0.0, 0.0]]), t, run.method)
    s = y[:, :3]
    alpha, dd, dt_ = fields(t)
    sp = 0.5 * (s[:, 0] + 1j * s[:, 1])
    th_d, ph_d, th_t, ph_t = proto.angles(t)
    ket_d, ket_t = dst_ket(th_d, ph_d), dst_ket(th_t, ph_t)
    return dict(
        rho_d=np.einsum("ti,tj->tij", ket_d, ket_d.conj()),
        rho_s=_bloch_to_dm(s),
        rho_t=np.einsum("ti,tj->tij", ket_t, ket_t.conj()),
        power=-2 * (dt_ * sp).real,
        power_d=-2 * (dd * sp).real,
        work=y[:, 3],
        work_d=y[:, 4],
        energy=2 * (alpha * sp).real,
        rho=None,
    )


def _mean_field(run: _Inputs) -> dict:
    """Product state D (x) S (x) T under mutual mean fields; y = (s_D, s_S, s_T, W_T, W_D)."""
    proto, t, g = run.proto, run.t, run.g
    perp = np.array([1.0, 1.0, 0.0])

    def derivs(tt: Any, s_d: np.ndarray, s_s: np.ndarray, s_t: np.ndarray):
        hc_d, hc_t = _control_fields(proto, tt, run.pin)
        # H_I = (XX + YY)/2: the mean field of a neighbour with Bloch vector s is (g/2)(s_x, s_y, 0)
        h_d = 0.5 * g * s_s * perp + hc_d
        h_s = 0.5 * g * (s_d + s_t) * perp
        h_t = 0.5 * g * s_s * perp + hc_t
        # P_X = -(g/2) s_S_perp . (2 h_c^X x s_X)_perp
        p_t = -0.5 * g * np.sum(s_s * perp * 2 * np.cross(hc_t, s_t), axis=-1)
        p_d = -0.5 * g * np.sum(s_s * perp * 2 * np.cross(hc_d, s_d), axis=-1)
        ds = [2 * np.cross(h_d, s_d), 2 * np.cross(h_s, s_s), 2 * np.cross(h_t, s_t)]
        return ds, p_t, p_d

    def rhs(tt: float, y: np.ndarray) -> np.ndarray:
        ds, p_t, p_d = derivs(np.asarray(tt), y[0:3], y[3:6], y[6:9])
        return np.concatenate(ds + [[p_t, p_d]])

    th_d, ph_d, th_t, ph_t = proto.angles(t[:1])
    y0 = np.concatenate(
        [
            bloch_direction(th_d, ph_d)[0],
            _dm_to_bloch(run.rho0),
            bloch_direction(th_t, ph_t)[0],
            [0, 0],
        ]
    )
    y = _solve(rhs, y0, t, run.method)
    s_d, s_s, s_t = y[:, 0:3], y[:, 3:6], y[:, 6:9]
    _, p_t, p_d = derivs(t, s_d, s_s, s_t)
    energy = 0.5 * g * np.sum((s_d + s_t) * s_s * perp, axis=-1)
    return dict(
        rho_d=_bloch_to_dm(s_d),
        rho_s=_bloch_to_dm(s_s),
        rho_t=_bloch_to_dm(s_t),
        power=p_t,
        power_d=p_d,
        work=y[:, 9],
        work_d=y[:, 10],
        energy=energy,
        rho=None,
    )


def _exact(run: _Inputs) -> dict:
    """Kets of D (x) S (x) T (one per eigenvector of rho0) under H(t); y = (Psi (8 x r), W_T, W_D)."""
    proto, t = run.proto, run.t
    H0 = dst_hamiltonian(run.g)
    sig_d = np.stack([tensor(p, _I2, _I2) for p in _PAULIS])
    sig_t = np.stack([tensor(_I2, _I2, p) for p in _PAULIS])
    p, v = np.linalg.eigh(run.rho0)
    keep = p > 1e-14
    p, v = p[keep], v[:, keep]
    r = p.size
    th_d, ph_d, th_t, ph_t = proto.angles(t[:1])
    ket_d, ket_t = dst_ket(th_d, ph_d)[0], dst_ket(th_t, ph_t)[0]
    psi0 = np.einsum("a,bk,c->abck", ket_d, v, ket_t).reshape(8, r)

    def powers(tt: Any, psi: np.ndarray) -> tuple[Any, Any, np.ndarray]:
        """P_T, P_D = 2 sum_k p_k Im <H_c psi_k | g H_DST psi_k>, and H(t)."""
        hc_d, hc_t = _control_fields(proto, tt, run.pin)
        Hc_d = np.tensordot(hc_d, sig_d, axes=(-1, 0))
        Hc_t = np.tensordot(hc_t, sig_t, axes=(-1, 0))
        h0psi = H0 @ psi
        p_t = 2 * np.sum(p * np.imag(np.sum(np.conj(Hc_t @ psi) * h0psi, axis=-2)), axis=-1)
        p_d = 2 * np.sum(p * np.imag(np.sum(np.conj(Hc_d @ psi) * h0psi, axis=-2)), axis=-1)
        return p_t, p_d, H0 + Hc_d + Hc_t

    def rhs(tt: float, y: np.ndarray) -> np.ndarray:
        psi = y[: 8 * r].reshape(8, r)
        p_t, p_d, H = powers(np.asarray(tt), psi)
        return np.concatenate([(-1j * (H @ psi)).ravel(), [p_t, p_d]])

    y0 = np.concatenate([psi0.ravel(), [0.0, 0.0]]).astype(complex)
    y = _solve(rhs, y0, t, run.method)
    psi = y[:, : 8 * r].reshape(-1, 8, r)
    rho = np.einsum("tak,k,tbk->tab", psi, p, psi.conj())
    p_t, p_d, _ = powers(t, psi)
    dims = (2, 2, 2)
    return dict(
        rho_d=ptrace(rho, [0], dims),
        rho_s=ptrace(rho, [1], dims),
        rho_t=ptrace(rho, [2], dims),
        power=p_t,
        power_d=p_d,
        work=y[:, 8 * r].real,
        work_d=y[:, 8 * r + 1].real,
        energy=np.einsum("ab,tba->t", H0, rho).real,
        rho=rho,
    )


_PICTURE_RUNS = {"prescribed": _prescribed, "mean_field": _mean_field, "exact": _exact}


def dst_dynamics(
    theta_d: Any,
    phi_d: Any,
    theta_t: Any,
    phi_t: Any,
    times: Any,
    *,
    picture: Picture = "exact",
    rho0: Any = None,
    coupling: float = 1.0,
    pinning: float = 0.0,
    method: Method = DEFAULT_METHOD,
) -> DSTDynamics:
    r"""D-S-T dynamics under a smooth protocol in one of three pictures, with the work through T.

    See the module docstring (and ``docs/drive.md``) for the pictures, the control Hamiltonian
    :math:`H_c = \tfrac12(\vec n\times\dot{\vec n})\cdot\vec\sigma - \tfrac{\Omega}{2}\vec n\cdot
    \vec\sigma` and the definition :math:`P_T = -i\,\mathrm{Tr}(\rho[H_c^T, gH_{DST}])`.

    Parameters
    ----------
    theta_d, phi_d, theta_t, phi_t : float, callable, (callable, callable) or array_like (m,)
        The protocol in the seed's parametrisation. A scalar is held fixed; a callable ``f(t)`` is
        differentiated numerically (fourth-order central difference, step 1e-3); a pair
        ``(f, df)`` supplies the derivative; an array of samples at ``times`` is interpolated by a
        cubic spline. Protocols must be smooth.
    times : array_like, shape (m,)
        Strictly increasing output times; the dynamics starts at ``times[0]`` with D and T in
        :math:`|\psi(\theta(t_0), \phi(t_0))\rangle`.
    picture : {"exact", "mean_field", "prescribed"}
    rho0 : array_like (2, 2), optional
        Initial state of S in qbath's basis; default the seed's :math:`|0\rangle\langle0|` = qbath's
        :math:`|\downarrow\rangle\langle\downarrow|`.
    coupling : float
        :math:`g` multiplying :math:`H_{DST}` (the seed has :math:`g = 1`).
    pinning : float
        :math:`\Omega \ge 0` of the control Hamiltonian (no effect in the prescribed picture).
    method : qbath.ode.Method
        Integration method (default ``DOP853(rtol=1e-10, atol=1e-12)``).

    Returns
    -------
    DSTDynamics
    """
    if picture not in PICTURES:
        raise InputError(f"picture: expected one of {PICTURES}, got {picture!r}")
    proto, t = smooth_protocol(theta_d, phi_d, theta_t, phi_t, times)
    rho0 = SEED_RHO0 if rho0 is None else as_density_matrix("rho0", rho0, 2)
    g = check_real_scalar("coupling", coupling)
    pin = check_real_scalar("pinning", pinning, minimum=0.0)
    method = check_method(method)
    out = _PICTURE_RUNS[picture](_Inputs(proto, t, rho0, g, pin, method))
    options = method.options()
    meta = make_meta(
        "drive.dst_dynamics",
        picture=picture,
        t0=float(t[0]),
        t1=float(t[-1]),
        n_times=t.size,
        rho0=rho0,
        coupling=g,
        pinning=pin,
        method=options.pop("name"),
        **options,
        work_sign="seed: P_T = -i Tr(rho [H_c^T, g H_DST]) (energy given away through T)",
    )
    return DSTDynamics(picture=picture, times=t, meta=meta, **out)


def dst_power(
    theta_d: Any,
    phi_d: Any,
    theta_t: Any,
    phi_t: Any,
    times: Any,
    *,
    rho0: Any = None,
    coupling: float = 1.0,
    method: Method = DEFAULT_METHOD,
) -> DSTDynamics:
    r"""Continuous-time power delivered through T in the seed's (prescribed) picture.

    The continuum limit of :func:`~qbath.drive.dst_work`:

    .. math::

        \dot\rho_S = -i[H_S(t), \rho_S],\qquad
        P_T(t) = -\mathrm{Tr}\left[\rho_S\,\partial_t H_S\big|_T\right]
               = -2g\,\mathrm{Re}\left\{\langle\sigma_+\rangle_S\, e^{i\phi_T}
                 \left(\tfrac12\cos\theta_T\,\dot\theta_T
                 + \tfrac{i}{2}\sin\theta_T\,\dot\phi_T\right)\right\},

    and ``.work`` is :math:`W_T(t) = \int_{t_0}^t P_T`, integrated with the state (default ``DOP853(rtol=1e-10, atol=1e-12)``).
    The seed's first display prints :math:`\sin(\theta/2)` for :math:`\sin(\theta)/2` and the
    opposite overall sign (``docs/errata.md``). Same as ``dst_dynamics(..., picture="prescribed")``;
    arguments as there.

    Examples
    --------
    >>> import numpy as np, qbath as qb
    >>> t = np.linspace(0.0, 2.0, 201)
    >>> res = qb.drive.dst_power(np.pi / 2, 0.0, np.pi / 2, lambda t: 0.5 * t, t)
    >>> res.power.shape, res.work.shape
    ((201,), (201,))
    """
    return dst_dynamics(
        theta_d,
        phi_d,
        theta_t,
        phi_t,
        times,
        picture="prescribed",
        rho0=rho0,
        coupling=coupling,
        method=method,
    )
