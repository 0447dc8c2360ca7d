r"""Stepwise mean-field work on S (seed 000): the recursion and the seed's two-step closed form.

Step :math:`i = 0,\dots,n-1` of length :math:`\Delta t`:

.. math::

    H^i = H_S(D^i, T^i) = \alpha_i\sigma_+ + \alpha_i^*\sigma_-, \qquad
    \rho^{i+1} = U^i\rho^i U^{i\dagger}, \qquad U^i = e^{-iH^i\Delta t},

then T jumps from :math:`T^i` to :math:`T^{i+1}` while D is still at :math:`D^i`:

.. math::

    dH^i = H_S(D^i, T^{i+1}) - H_S(D^i, T^i) = (\tau_T^{i+1} - \tau_T^i)\sigma_+ + \mathrm{h.c.},
    \qquad W_i = -\mathrm{Tr}\left[\rho^{i+1}\, dH^i\right].

The work of step i is evaluated on the state *after* the step's evolution, the state at the moment
of the jump. With :math:`\rho^0 = |0\rangle\langle 0|` and one step this gives the seed's closed form
:math:`W = \sin(2|\alpha|\Delta t)/|\alpha|\;\mathrm{Im}\{(\tau'-\tau)\alpha^*\}` exactly (the seed's
general sum prints :math:`\rho^i`, which would give :math:`W = 0` there; see ``docs/errata.md``).

Sign: :math:`W` is the seed's, the energy S gives away through T's jumps (minus the work done *on* S
by moving T); qbath's usual sign (work > 0 done on the system) is :math:`-W`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._checks import as_density_matrix, as_real_array, check_dt
from .._meta import make_meta
from .._result import DensityResult, Variables
from ._protocol import angle_arrays, hamiltonian_from_alpha, tau

__all__ = ["DSTWorkResult", "dst_work", "dst_two_step_work"]

#: The seed's rho0 = |0><0| is qbath's |down><down|.
SEED_RHO0 = np.array([[0, 0], [0, 1]], dtype=complex)


@dataclass(frozen=True, eq=False, repr=False)
class DSTWorkResult(DensityResult):
    """Result of :func:`dst_work`.

    Attributes
    ----------
    times : numpy.ndarray, shape (n+1,)
        :math:`t_i = i\\,\\Delta t`.
    states : numpy.ndarray, shape (n+1, 2, 2)
        :math:`\\rho^0, \\dots, \\rho^n` in qbath's basis (index 0 = up).
    work_steps : numpy.ndarray, shape (n,)
        :math:`W_i = -\\mathrm{Tr}[\\rho^{i+1} dH^i]`.
    work : numpy.ndarray, shape (n,)
        Cumulative :math:`\\sum_{j\\le i} W_j`.
    hamiltonians : numpy.ndarray, shape (n, 2, 2)
        :math:`H^i = H_S(D^i, T^i)`, qbath's basis.
    dt : float
    meta : dict
        Provenance (:func:`qbath._meta.make_meta`).
    expect : list
        Empty (no observables are asked for; ``bloch`` and :func:`qbath.expect` on ``states``).
    stats : dict

    Also ``final_state``, ``total_work``, ``bloch`` (n+1, 3) and ``coherence`` (n+1,).
    """

    times: np.ndarray
    states: np.ndarray
    work_steps: np.ndarray
    work: np.ndarray
    hamiltonians: np.ndarray
    dt: float
    meta: dict[str, Any]
    expect: list[np.ndarray] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def final_state(self) -> np.ndarray:
        """:math:`\\rho^n`, shape (2, 2)."""
        return self.states[-1]

    @property
    def total_work(self) -> float:
        """:math:`W = \\sum_i W_i` (0.0 for no steps)."""
        return float(self.work[-1]) if self.work.size else 0.0

    def _variables(self, expect: Any, states: bool) -> Variables:
        out = super()._variables(expect, states)
        note = "value of the step ending at this time; NaN at index 0"
        for name, desc in (
            ("work_steps", "work of each step W_i (seed's sign)"),
            ("work", "cumulative work (seed's sign)"),
        ):
            out[name] = (
                ("time",),
                np.concatenate([[np.nan], np.asarray(getattr(self, name), dtype=float)]),
                {"long_name": desc, "note": note},
            )
        return out

    def _summary(self) -> list[str]:
        return [
            f"steps: {self.work.size}, dt = {self.dt:g}, total work W = {self.total_work:.6g} (seed's sign)"
        ]


def _compose(
    a1: np.ndarray, b1: np.ndarray, a2: np.ndarray, b2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pair of ``U1 @ U2`` for ``U = [[a, b], [-b*, a*]]`` (U1 later, U2 earlier)."""
    return a1 * a2 - b1 * np.conj(b2), a1 * b2 + b1 * np.conj(a2)


def _scan_last_axis(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hillis-Steele inclusive scan along the last axis (in place on copies)."""
    s = 1
    while s < a.shape[-1]:
        a_new, b_new = _compose(a[..., s:], b[..., s:], a[..., :-s], b[..., :-s])
        a[..., s:], b[..., s:] = a_new, b_new
        s *= 2
    return a, b


def su2_prefix_products(
    a: np.ndarray, b: np.ndarray, block: int = 32
) -> tuple[np.ndarray, np.ndarray]:
    r"""All prefix products :math:`P_k = U_k U_{k-1}\cdots U_0` of SU(2) matrices.

    Each :math:`U = \begin{pmatrix} a & b \\ -b^* & a^*\end{pmatrix}` is stored as the pair
    ``(a, b)``; the product of two such matrices is again of this form, with
    :math:`a = a_1a_2 - b_1b_2^*`, :math:`b = a_1b_2 + b_1a_2^*`. The scan is blocked: a
    Hillis-Steele scan inside blocks of ``block`` steps (all blocks at once), a recursive scan of the
    block totals, and one product to join them -- about :math:`(\log_2 B + 2)\,n` elementwise
    operations instead of n sequential 2x2 products, with round-off growing like
    :math:`\log n` rather than n.

    Parameters
    ----------
    a, b : numpy.ndarray, shape (n,)
        Entries of :math:`U_0, \dots, U_{n-1}`.
    block : int
        Block length B.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Entries of :math:`P_0, \dots, P_{n-1}`, shape (n,) each.
    """
    a = np.array(a, dtype=complex)
    b = np.array(b, dtype=complex)
    n, block = a.size, max(2, int(block))
    if n <= 2 * block:
        return _scan_last_axis(a, b)
    m = -(-n // block)
    pad = m * block - n
    A = np.concatenate([a, np.ones(pad, dtype=complex)]).reshape(m, block)
    B = np.concatenate([b, np.zeros(pad, dtype=complex)]).reshape(m, block)
    A, B = _scan_last_axis(A, B)
    ta, tb = su2_prefix_products(A[:, -1], B[:, -1], block)
    A[1:], B[1:] = _compose(A[1:], B[1:], ta[:-1, None], tb[:-1, None])
    return A.ravel()[:n], B.ravel()[:n]


def step_unitaries(alpha: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Closed form of :math:`e^{-iH\Delta t}` for :math:`H = \alpha\sigma_+ + \alpha^*\sigma_-`.

    :math:`H^2 = |\alpha|^2`, so :math:`e^{-iH\Delta t} = \cos(|\alpha|\Delta t) - i\,
    \frac{\sin(|\alpha|\Delta t)}{|\alpha|}H`, i.e. the pair ``(a, b)`` with
    :math:`a = \cos(|\alpha|\Delta t)` and :math:`b = -i\Delta t\,\mathrm{sinc}(|\alpha|\Delta t)\,
    \alpha` (finite at :math:`\alpha = 0`). Shapes follow ``alpha``.
    """
    x = np.abs(alpha) * dt
    a = np.cos(x) + 0j
    b = -1j * dt * np.sinc(x / np.pi) * alpha
    return a, b


def pairs_to_matrices(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Stack of matrices ``[[a, b], [-b*, a*]]``, shape (n, 2, 2)."""
    U = np.empty(a.shape + (2, 2), dtype=complex)
    U[..., 0, 0] = a
    U[..., 0, 1] = b
    U[..., 1, 0] = -np.conj(b)
    U[..., 1, 1] = np.conj(a)
    return U


def conjugate_by_pairs(a: np.ndarray, b: np.ndarray, rho0: np.ndarray) -> np.ndarray:
    r""":math:`P\rho_0P^\dagger` for every :math:`P = [[a, b], [-b^*, a^*]]`, shape (n, 2, 2).

    Written out elementwise (a batched 2x2 ``matmul`` is several times slower); the result is
    Hermitian by construction.
    """
    r00, r01, r10, r11 = rho0[0, 0], rho0[0, 1], rho0[1, 0], rho0[1, 1]
    x00, x01 = a * r00 + b * r10, a * r01 + b * r11  # first row of P rho0
    x10, x11 = np.conj(a) * r10 - np.conj(b) * r00, np.conj(a) * r11 - np.conj(b) * r01
    out = np.empty(a.shape + (2, 2), dtype=complex)
    out[..., 0, 0] = (x00 * np.conj(a) + x01 * np.conj(b)).real
    out[..., 0, 1] = x01 * a - x00 * b
    out[..., 1, 0] = np.conj(out[..., 0, 1])
    out[..., 1, 1] = (x11 * a - x10 * b).real
    return out


def dst_work(
    theta_d: Any,
    phi_d: Any,
    theta_t: Any,
    phi_t: Any,
    dt: float,
    rho0: Any = None,
) -> DSTWorkResult:
    r"""Stepwise evolution of S in the mean field of D and T, and the work delivered through T.

    See the module docstring for the recursion. The per-step unitaries are built at once in closed
    form; the states come from all prefix products :math:`U^{i}\cdots U^{0}` (a log-depth scan, see
    :func:`su2_prefix_products`), :math:`\rho^{i+1} = P_i\rho^0P_i^\dagger`.

    Parameters
    ----------
    theta_d, phi_d, theta_t, phi_t : float or array_like of shape (n+1,)
        The angles of D and T at :math:`t_0, \dots, t_n` in the seed's parametrisation
        :math:`|\psi\rangle = \cos(\theta/2)|0\rangle + e^{i\phi}\sin(\theta/2)|1\rangle`. A scalar
        holds that angle fixed; all arrays must have the same length n+1 >= 2. Only
        :math:`D^0..D^{n-1}` enter (D's last sample is accepted for symmetry).
    dt : float
        Step length :math:`\Delta t > 0`.
    rho0 : array_like of shape (2, 2), optional
        Initial state of S in **qbath's** basis (index 0 = up). Default: the seed's
        :math:`|0\rangle\langle 0|`, which is qbath's :math:`|\downarrow\rangle\langle\downarrow|`.

    Returns
    -------
    DSTWorkResult
        ``.states`` (n+1, 2, 2), ``.work_steps`` (n,), ``.work`` (n,), ``.hamiltonians`` (n, 2, 2).

    Raises
    ------
    InputError
        Angle arrays of different lengths (or none of length >= 2), non-finite angles, ``dt <= 0``,
        ``rho0`` not a 2x2 density matrix.

    Examples
    --------
    >>> import numpy as np, qbath as qb
    >>> res = qb.drive.dst_work(np.pi / 2, 0.0, np.pi / 2, [0.0, 0.3], dt=0.5)
    >>> round(res.total_work, 12) == round(float(qb.drive.dst_two_step_work(
    ...     np.pi / 2, 0.0, np.pi / 2, 0.0, np.pi / 2, 0.3, 0.5)), 12)
    True
    """
    th_d, ph_d, th_t, ph_t = angle_arrays(
        theta_d=theta_d, phi_d=phi_d, theta_t=theta_t, phi_t=phi_t
    )
    dt = check_dt("dt", dt)
    rho0 = SEED_RHO0 if rho0 is None else as_density_matrix("rho0", rho0, 2)
    n = th_d.size - 1

    tau_d = tau(th_d[:-1], ph_d[:-1])
    tau_t = tau(th_t, ph_t)
    alpha = tau_d + tau_t[:-1]
    a, b = su2_prefix_products(*step_unitaries(alpha, dt))
    states = np.empty((n + 1, 2, 2), dtype=complex)
    states[0] = rho0
    states[1:] = conjugate_by_pairs(a, b, rho0)

    # W_i = -Tr[rho^{i+1} (delta sigma_+ + h.c.)] = -2 Re(delta <sigma_+>), <sigma_+> = rho[1, 0]
    delta = np.diff(tau_t)
    work_steps = -2.0 * np.real(delta * states[1:, 1, 0])
    meta = make_meta(
        "drive.dst_work",
        n_steps=n,
        dt=dt,
        rho0=rho0,
        rho0_basis="qbath (index 0 = up; the seed's |0> is index 1)",
        work_sign="seed: W = -sum_i Tr[rho^{i+1} dH^i] (energy given away by S through T)",
    )
    return DSTWorkResult(
        times=dt * np.arange(n + 1),
        states=states,
        work_steps=work_steps,
        work=np.cumsum(work_steps),
        hamiltonians=hamiltonian_from_alpha(alpha),
        dt=dt,
        meta=meta,
    )


def dst_two_step_work(
    theta_d: Any,
    phi_d: Any,
    theta_t0: Any,
    phi_t0: Any,
    theta_t1: Any,
    phi_t1: Any,
    dt: float,
) -> np.ndarray | float:
    r"""The seed's closed form for one step from :math:`\rho^0 = |0\rangle\langle 0|` ("N = 2").

    .. math::

        W = \frac{\sin(2|\alpha|\Delta t)}{|\alpha|}\,\mathrm{Im}\{(\tau'-\tau)\alpha^*\},\quad
        \alpha = \tfrac12(\sin\theta_D e^{i\phi_D} + \sin\theta_{T0} e^{i\phi_{T0}}),\quad
        \tau^{(\prime)} = \tfrac12\sin\theta_{T0(1)} e^{i\phi_{T0(1)}},

    with the limit :math:`2\Delta t\,\mathrm{Im}\{(\tau'-\tau)\alpha^*\}\to 0` at :math:`\alpha = 0`.
    Implemented from the formula alone (no propagation); equals ``dst_work(...).total_work`` for
    two samples.

    Parameters
    ----------
    theta_d, phi_d, theta_t0, phi_t0, theta_t1, phi_t1 : float or array_like
        Angles (broadcast together), shape (...).
    dt : float
        :math:`\Delta t > 0`.

    Returns
    -------
    float or numpy.ndarray of shape (...)
    """
    names = ("theta_d", "phi_d", "theta_t0", "phi_t0", "theta_t1", "phi_t1")
    vals = (theta_d, phi_d, theta_t0, phi_t0, theta_t1, phi_t1)
    th_d, ph_d, th0, ph0, th1, ph1 = np.broadcast_arrays(
        *(as_real_array(n, v) for n, v in zip(names, vals, strict=True))
    )
    dt = check_dt("dt", dt)
    t0 = 0.5 * np.sin(th0) * np.exp(1j * ph0)
    t1 = 0.5 * np.sin(th1) * np.exp(1j * ph1)
    alpha = 0.5 * np.sin(th_d) * np.exp(1j * ph_d) + t0
    # sin(2|a|dt)/|a| = 2 dt sinc(2|a|dt/pi) with numpy's normalised sinc
    w = 2 * dt * np.sinc(2 * np.abs(alpha) * dt / np.pi) * np.imag((t1 - t0) * np.conj(alpha))
    return float(w) if w.ndim == 0 else w
