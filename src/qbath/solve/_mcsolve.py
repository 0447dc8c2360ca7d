r"""Quantum-jump (Monte Carlo wave-function) unravelling: :func:`mcsolve`.

Between jumps a trajectory follows :math:`i\dot\psi = H_\mathrm{eff}\psi`,
:math:`H_\mathrm{eff} = H - \tfrac i2\sum_k L_k^\dagger L_k`, whose norm decreases; a jump happens when
:math:`\|\psi\|^2` falls to a uniform random number r, with operator k chosen with probability
:math:`\propto\|L_k\psi\|^2` (Dalibard, Castin & Mølmer 1992; the scheme of QuTiP's ``mcsolve``).

Because the generator is time independent, the no-jump evolution is exact: with
:math:`H_\mathrm{eff} = R\,\mathrm{diag}(\lambda)R^{-1}`, a state :math:`\psi = Rc` evolves as
:math:`c \to e^{-i\lambda\tau}c`, for a different :math:`\tau` per trajectory in one array
operation. All trajectories advance together from one output time to the next; the jump times are
roots of the monotone :math:`\|\psi(\tau)\|^2 - r`, found by a vectorised Illinois (regula falsi)
iteration to 1e-13 relative. If :math:`H_\mathrm{eff}` is too close to defective
(:math:`\kappa(R) > 10^{8}`), the evolution falls back to ``scipy.linalg.expm`` per trajectory.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.linalg as sla

from .._checks import as_density_matrix, as_ket, as_numeric_array, check_bool, check_int
from .._errors import InputError
from .._meta import make_meta
from ..ode import check_times
from ._mcsolve_td import mcsolve_td
from ._mesolve import ExpectOps, generator_form
from ._results import MCResult
from ._tdsolve import is_time_dependent

__all__ = ["mcsolve"]


class _NoJumpEvolution:
    """Exact no-jump propagation of a batch of kets with per-column durations."""

    def __init__(self, heff: np.ndarray):
        self.heff = heff
        lam, R = np.linalg.eig(heff)
        cond = np.linalg.cond(R) if R.size else 1.0
        self.exact = bool(np.isfinite(cond) and cond < 1e8)
        if self.exact:
            self.lam = lam
            self.R = R
            self.Rinv = np.linalg.inv(R)
            self.G = R.conj().T @ R

    def to_coeff(self, psi: np.ndarray) -> np.ndarray:
        return self.Rinv @ psi if self.exact else psi.copy()

    def to_ket(self, c: np.ndarray) -> np.ndarray:
        return self.R @ c if self.exact else c

    def evolve(self, c: np.ndarray, tau: np.ndarray) -> np.ndarray:
        """Coefficients after durations ``tau`` (one per column)."""
        if self.exact:
            return np.exp(-1j * np.outer(self.lam, tau)) * c
        out = np.empty_like(c)
        for j in range(c.shape[1]):
            out[:, j] = sla.expm(-1j * self.heff * tau[j]) @ c[:, j]
        return out

    def norm2(self, c: np.ndarray) -> np.ndarray:
        if self.exact:
            return np.einsum("in,in->n", c.conj(), self.G @ c).real
        return np.einsum("in,in->n", c.conj(), c).real


def _jump_times(
    ev: _NoJumpEvolution, c: np.ndarray, r: np.ndarray, span: np.ndarray, f_end: np.ndarray
) -> np.ndarray:
    """Roots tau in (0, span] of ||psi(tau)||^2 = r (vectorised Illinois iteration)."""
    a = np.zeros_like(span)
    b = span.copy()
    fa = ev.norm2(c) - r
    fb = f_end - r
    side = np.zeros(span.shape, dtype=int)
    x = b.copy()
    for _ in range(200):
        denom = fb - fa  # regula falsi: the secant through (a, fa), (b, fb) crosses zero at x
        x = np.where(
            denom != 0, (a * fb - b * fa) / np.where(denom != 0, denom, 1.0), 0.5 * (a + b)
        )
        x = np.clip(x, a, b)
        fx = ev.norm2(ev.evolve(c, x)) - r
        left = fx > 0  # root is right of x (norm still above r)
        a = np.where(left, x, a)
        fa = np.where(left, fx, fa)
        b = np.where(left, b, x)
        fb = np.where(left, fb, fx)
        # Illinois: halve the retained end point's value when the same side is kept twice
        fb = np.where(left & (side == 1), 0.5 * fb, fb)
        fa = np.where(~left & (side == -1), 0.5 * fa, fa)
        side = np.where(left, 1, -1)
        if np.all((b - a <= 1e-13 * np.maximum(1.0, b)) | (fx == 0)):
            break
    return np.where(fx == 0, x, 0.5 * (a + b))


def _initial_kets(psi0: Any, form: Any, ntraj: int, rng: np.random.Generator) -> np.ndarray:
    """Initial kets of the trajectories as columns (d, ntraj), in the working basis; a density
    matrix is unravelled by drawing each ket from its eigen-decomposition."""
    d = form.dim
    arr = as_numeric_array(
        "psi0", psi0.full() if hasattr(psi0, "full") else psi0, "a ket or a density matrix", allow_complex=True
    ).astype(complex)
    if arr.ndim == 2 and arr.shape[1] != 1:
        rho0 = form.to_working(as_density_matrix("psi0", arr, d))
        p, vecs = np.linalg.eigh(0.5 * (rho0 + rho0.conj().T))
        p = np.clip(p, 0, None)
        p /= p.sum()
        pick = rng.choice(d, size=ntraj, p=p)
        psi = vecs[:, pick]
    else:
        v = form.ket_to_working(as_ket("psi0", arr, d))
        psi = np.repeat(v[:, None], ntraj, axis=1)
    return psi


def _advance(
    ev: _NoJumpEvolution,
    c: np.ndarray,
    now: np.ndarray,
    r: np.ndarray,
    target: float,
    rng: np.random.Generator,
    Lstack: Any,
    jt: list[list[float]],
    jw: list[list[int]],
) -> None:
    """Advance every trajectory to ``target``, in place: no-jump evolution until the norm falls to
    the trajectory's random threshold ``r``, then a jump chosen with weights ``||L_k psi||^2``
    (Dalibard, Castin & Molmer, "Wave-function approach to dissipative processes in quantum
    optics", 1992). Jump times and channels are appended to ``jt`` and ``jw``."""
    d = c.shape[0]
    K = Lstack.shape[0] // d
    active = np.arange(c.shape[1])
    while active.size:
        span = target - now[active]
        c_end = ev.evolve(c[:, active], span)
        n_end = ev.norm2(c_end)
        jumping = n_end <= r[active]
        quiet = active[~jumping]
        c[:, quiet] = c_end[:, ~jumping]
        now[quiet] = target
        active = active[jumping]
        if not active.size:
            break
        tau = _jump_times(ev, c[:, active], r[active], span[jumping], n_end[jumping])
        c_jump = ev.evolve(c[:, active], tau)
        kets = ev.to_ket(c_jump)
        if K == 0:  # pragma: no cover - norm is conserved without jump operators
            break
        lk = (Lstack @ kets).reshape(K, d, -1)
        w = np.einsum("kin,kin->kn", lk.conj(), lk).real  # ||L_k psi||^2
        cum = np.cumsum(w, axis=0)
        u = rng.random(active.size) * cum[-1]
        which = np.minimum((cum < u[None, :]).sum(axis=0), K - 1)
        new = lk[which, :, np.arange(active.size)].T
        new = new / np.linalg.norm(new, axis=0)
        c[:, active] = ev.to_coeff(new)
        now[active] = now[active] + tau
        r[active] = rng.random(active.size)
        for j, tj, kj in zip(active, now[active], which, strict=False):
            jt[j].append(float(tj))
            jw[j].append(int(kj))


class _Averages:
    r"""Sums over the trajectories, per output time: :math:`\langle O_k\rangle`,
    :math:`|\langle O_k\rangle|^2` and (when stored, and at the last time) the density matrix."""

    def __init__(self, eops: ExpectOps, T: int, d: int, ntraj: int, store_states: bool):
        E = eops.count
        self.eops, self.T, self.ntraj = eops, T, ntraj
        self.sums = np.zeros((E, T), dtype=complex)
        self.sq = np.zeros((E, T))
        self.states = np.zeros((T, d, d), dtype=complex) if store_states else None
        self.final = np.zeros((d, d), dtype=complex)

    def record(self, i: int, kets: np.ndarray) -> None:
        """Add the kets (d, ntraj) of every trajectory at output time ``i``, normalising them."""
        kets = kets / np.linalg.norm(kets, axis=0)
        if self.eops.count:
            vals = self.eops.ket_values(kets)
            self.sums[:, i] = vals.sum(axis=1)
            self.sq[:, i] = (np.abs(vals) ** 2).sum(axis=1)
        if self.states is not None or i == self.T - 1:
            rho = kets @ kets.conj().T / self.ntraj
            if self.states is not None:
                self.states[i] = rho
            if i == self.T - 1:
                self.final[...] = rho


def _standard_error(mean: np.ndarray, sq: np.ndarray, ntraj: int) -> np.ndarray:
    """Standard error of the trajectory mean from the sums of squares (NaN for one trajectory)."""
    if ntraj > 1:
        var = np.maximum(sq / ntraj - np.abs(mean) ** 2, 0.0) * ntraj / (ntraj - 1)
        return np.sqrt(var / ntraj)
    return np.full(mean.shape, np.nan)


def mcsolve(
    H: Any,
    psi0: Any,
    tlist: Sequence[float] | np.ndarray,
    c_ops: Sequence[Any] | None = None,
    *,
    e_ops: Any = None,
    ntraj: int = 500,
    seed: int | None = None,
    store_states: bool = False,
    args: dict[str, Any] | None = None,
    method: Any = None,
    interpolation: str = "cubic",
) -> MCResult:
    r"""Monte Carlo quantum-jump trajectories of a GKSL generator (QuTiP's signature).

    Parameters
    ----------
    H : (d, d) operator or GKSL
        Hamiltonian, or a generator from :func:`qbath.davies` (then ``c_ops`` must be empty).
    psi0 : (d,) array_like or (d, d) density matrix
        Initial ket; a density matrix is unravelled by drawing each trajectory's initial ket from
        its eigen-decomposition.
    tlist : (T,) array_like
        Strictly increasing output times, ``tlist[0]`` the initial time.
    c_ops : sequence of (d, d) operators, optional
        Collapse operators :math:`L_k = \sqrt{\gamma_k}A_k`.
    e_ops : operator, sequence of operators, or dict name -> operator, optional
        With a dict, ``expect`` and ``expect_std_err`` are dicts with the same keys.
    ntraj : int
        Number of trajectories (>= 2 for a standard error).
    seed : int, optional
        Seed of ``numpy.random.default_rng``; the same seed gives the same trajectories.
    store_states : bool
        Keep the trajectory-averaged density matrix at every output time.
    args : dict, optional
        Arguments of two-argument coefficient functions (time-dependent problems).
    method : explicit qbath.ode method, optional
        Integrator of the no-jump evolution of time-dependent problems (default
        :class:`qbath.Dopri5`); constant problems are evolved exactly and take none.
    interpolation : {"cubic", "step"}
        Interpolation of array coefficients (time-dependent problems).

    Returns
    -------
    MCResult
        ``.expect`` (means), ``.expect_std_err``, ``.states``, ``.final_state``, ``.ntraj``,
        ``.seed``, ``.jump_times``, ``.jump_which``.
    """
    if is_time_dependent(H, c_ops):
        return mcsolve_td(
            H, psi0, tlist, c_ops, e_ops=e_ops, ntraj=ntraj, seed=seed,
            store_states=store_states, args=args, method=method, interpolation=interpolation,
        )  # fmt: skip
    if method is not None:
        raise InputError(
            "method: the no-jump evolution of a constant problem is exact (no ODE method), got "
            f"{method!r}; a method applies to time-dependent H or c_ops in QuTiP's list form"
        )
    form = generator_form(H, c_ops)
    if form.extra_rowmajor is not None:
        raise InputError(
            "H: expected a generator of GKSL form for quantum trajectories, got one with a "
            "non-GKSL part (a Bloch--Redfield tensor has no jump operators); use mesolve"
        )
    d = form.dim
    t = check_times(tlist, "tlist")
    ntraj = check_int("ntraj", ntraj, minimum=1)
    store_states = check_bool("store_states", store_states)
    if seed is not None:
        seed = check_int("seed", seed)
    rng = np.random.default_rng(seed)
    eops = ExpectOps(e_ops, form)

    psi = _initial_kets(psi0, form, ntraj, rng)

    jumps = form.jumps
    heff = (form.hamiltonian - 0.5j * jumps.sum_dag_product()).toarray()
    ev = _NoJumpEvolution(heff)
    Lstack = jumps.stacked()
    K = jumps.count

    c = ev.to_coeff(psi)
    r = rng.random(ntraj)
    T = len(t)
    avg = _Averages(eops, T, d, ntraj, store_states)
    jt: list[list[float]] = [[] for _ in range(ntraj)]
    jw: list[list[int]] = [[] for _ in range(ntraj)]
    start = time.perf_counter()
    now = np.full(ntraj, t[0])

    avg.record(0, ev.to_ket(c))
    for i in range(1, T):
        _advance(ev, c, now, r, t[i], rng, Lstack, jt, jw)
        avg.record(i, ev.to_ket(c))

    mean = avg.sums / ntraj
    avg_states, final = avg.states, avg.final
    err = _standard_error(mean, avg.sq, ntraj)
    if avg_states is not None and form.basis is not None:
        avg_states = form.to_original(avg_states)
    final = form.to_original(final)
    wall = time.perf_counter() - start
    return MCResult(
        times=t,
        expect=eops.finish(mean),
        expect_std_err=eops.finish(err),
        states=avg_states,
        final_state=final,
        ntraj=ntraj,
        seed=seed,
        jump_times=tuple(np.asarray(x) for x in jt),
        jump_which=tuple(np.asarray(x, dtype=int) for x in jw),
        stats={
            "wall_time": wall,
            "exact_no_jump": ev.exact,
            "n_jumps": int(sum(len(x) for x in jt)),
        },
        meta=make_meta(
            "mcsolve",
            ntraj=ntraj,
            seed=seed,
            dim=d,
            n_jumps=K,
            t0=float(t[0]),
            t1=float(t[-1]),
            n_times=T,
        ),
    )
