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

Trajectories run in blocks: a block of n trajectories is one (d, n) array, the no-jump evolution
and norms are matrix-matrix products over the block, and jumps are handled per column. The jump
times are found by safeguarded Newton iteration on :math:`f(\tau) = c(\tau)^\dagger G c(\tau) - r`
(:math:`G = R^\dagger R`), whose derivative :math:`2\,\mathrm{Re}[(-i\lambda c)^\dagger G c]`
comes from the same product :math:`Gc`, so each iteration costs one product and converges
quadratically. Random numbers are counter based: number k of trajectory j is a SplitMix64 hash
(Steele, Lea & Flood, "Fast splittable pseudorandom number generators", 2014) of (seed, j, k), so a
trajectory is the same whatever block it runs in, and results do not depend on ``block_size``.

A mixed initial state :math:`\rho_0 = \sum_i p_i|v_i\rangle\langle v_i|` is unravelled by
stratification, as QuTiP 5 does: :math:`n_i \approx p_i\,n_\mathrm{traj}` trajectories start in
:math:`|v_i\rangle` and carry weight :math:`p_i/n_i`, so the average starts exactly at
:math:`\rho_0`; the standard error is that of a stratified mean,
:math:`\sqrt{\sum_i p_i^2 s_i^2/n_i}` (:math:`s_i^2` the sample variance within stratum i). The
strata and the estimator (:mod:`qbath.solve._strata`) are shared with the time-dependent engine.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.linalg as sla

from .._errors import InputError
from .._meta import make_meta
from ..generators import LindbladForm
from ..ode import Dopri5, check_times
from ._blas import blas_threads
from ._mcsolve_td import mcsolve_td
from ._mesolve import ExpectOps, generator_form
from ._options import (
    SolveOptions,
    TrajectoryOptions,
    progress_meter,
    solve_options,
    trajectory_options,
    warn_unused_args,
)
from ._results import MCResult
from ._strata import StratifiedAverage, initial_strata
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


_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _splitmix(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser of a uint64 array (wrapping arithmetic)."""
    z = z + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


class _Streams:
    """Counter-based uniform numbers: draw k of trajectory j depends only on (key, j, k)."""

    def __init__(self, key: int, ntraj: int):
        self.base = _splitmix(np.uint64(key) ^ _splitmix(np.arange(ntraj, dtype=np.uint64)))
        self.count = np.zeros(ntraj, dtype=np.uint64)

    def draw(self, traj: np.ndarray) -> np.ndarray:
        """One number in (0, 1] for each trajectory index in ``traj`` (advances their counters)."""
        z = _splitmix(self.base[traj] ^ _splitmix(self.count[traj] * _GOLDEN))
        self.count[traj] += np.uint64(1)
        return 1.0 - (z >> np.uint64(11)).astype(float) * 2.0**-53


def _jump_times_newton(
    ev: _NoJumpEvolution,
    c: np.ndarray,
    r: np.ndarray,
    span: np.ndarray,
    f_end: np.ndarray,
    n0: np.ndarray | None = None,
) -> np.ndarray:
    r"""Roots tau in (0, span] of ||psi(tau)||^2 = r.

    Newton's method on :math:`\log\|\psi(\tau)\|^2 - \log r` (nearly linear in tau: the norm
    decays about exponentially), started from the log-linear interpolation between the interval
    ends, every step kept inside a shrinking bracket (bisection otherwise); converged columns drop
    out of the block. A Newton step below 1e-9 is accepted without another evaluation (the next
    error would be ~1e-18). ``n0`` is the squared norm at tau = 0 if known.
    """
    n0 = ev.norm2(c) if n0 is None else n0
    a = np.zeros_like(span)
    b = span.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        guess = span * np.log(n0 / r) / np.log(n0 / f_end)
    x = np.where(np.isfinite(guess) & (guess > 0) & (guess < span), guess, 0.5 * span)
    lam = ev.lam[:, None]
    todo = np.arange(span.size)
    for _ in range(100):
        xs = x[todo]
        cx = np.exp(-1j * lam * xs) * c[:, todo]
        y = ev.G @ cx
        nx = np.einsum("in,in->n", cx.conj(), y).real
        dn = 2.0 * np.einsum("in,in->n", (-1j * lam * cx).conj(), y).real
        rt = r[todo]
        left = nx > rt  # root right of x
        a[todo] = np.where(left, xs, a[todo])
        b[todo] = np.where(left, b[todo], xs)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = -(np.log(nx) - np.log(rt)) * nx / dn
        new = xs + step
        at, bt = a[todo], b[todo]
        bad = ~np.isfinite(new) | (new <= at) | (new >= bt)
        new = np.where(bad, 0.5 * (at + bt), new)
        tiny = ~bad & (np.abs(step) <= 1e-9 * np.maximum(1.0, bt))
        fin = tiny | (nx == rt) | (bt - at <= 1e-14 * np.maximum(1.0, bt))
        x[todo] = np.where(tiny, new, np.where(fin, xs, new))
        todo = todo[~fin]
        if not todo.size:
            break
    return x


def mcsolve(
    H: Any,
    psi0: Any,
    tlist: Sequence[float] | np.ndarray,
    c_ops: Sequence[Any] | None = (),
    *,
    e_ops: Any = None,
    ntraj: int = 500,
    seed: int | None = None,
    store_states: bool = False,
    block_size: int | None = None,
    args: Any = None,
    method: Any = None,
    interpolation: str = "cubic",
    progress: bool = False,
) -> MCResult:
    r"""Monte Carlo quantum-jump trajectories (QuTiP's signature).

    Parameters
    ----------
    H : (d, d) operator, GKSL generator, or QuTiP's list form ``[H0, [H1, f1], ...]``
        With a GKSL generator, ``c_ops`` must be empty.
    psi0 : (d,) array_like or (d, d) density matrix
        Initial ket; a density matrix is unravelled over its eigenvectors, with trajectories spread
        in proportion to the eigenvalues (module docstring), so the average starts at ``psi0``;
        the same for constant and time-dependent problems.
    tlist : (T,) array_like
        Strictly increasing output times, ``tlist[0]`` the initial time.
    c_ops : sequence of (d, d) operators or ``[L, g]`` pairs, optional
        QuTiP-style collapse operators (rate folded in; ``[L, g]``: rate :math:`|g(t)|^2`);
        default none (``()``, QuTiP 5's default; ``None`` means the same).
    e_ops : operator, sequence or dict of operators, optional
    ntraj : int
        Number of trajectories (>= 2 for a standard error; with 1 it is NaN and a
        :class:`~qbath.QbathWarning` says so).
    seed : int, optional
        Key of the random numbers; the same seed gives the same trajectories (for constant
        problems for any ``block_size``).
    store_states : bool
        Keep the trajectory-averaged density matrix at every output time.
    block_size : int, optional
        Trajectories of a constant problem evolved together as one (d, n) block (default: all,
        capped so that a block holds about 2**22 amplitudes). Changes speed and memory, not
        results. Time-dependent problems integrate all trajectories as one block.
    args : dict, optional
        Arguments of two-argument coefficient functions (time-dependent problems).
    method : explicit qbath.ode method, optional
        Integrator of the no-jump evolution of time-dependent problems (default
        :class:`qbath.Dopri5`); constant problems are evolved exactly and take none.
    interpolation : {"cubic", "step"}
        Interpolation of array coefficients (time-dependent problems).
    progress : bool
        Show how many trajectories are done (trajectories evolved together count by the fraction
        of ``tlist`` they cover): a tqdm bar, or ``INFO`` lines of the ``qbath.solve`` logger when
        tqdm is missing. Changes no number.

    Returns
    -------
    MCResult
        ``.expect`` (means), ``.expect_std_err``, ``.states``, ``.final_state``, ``.ntraj``,
        ``.seed``, ``.jump_times``, ``.jump_which``.
    """
    traj = trajectory_options(ntraj, seed, block_size)
    t = check_times(tlist, "tlist")
    if is_time_dependent(H, c_ops):
        opts = solve_options(
            args=args, method=method, store_states=store_states, interpolation=interpolation,
            progress=progress, default_method=Dopri5(),
            explicit_only="mcsolve integrates a block of kets",
        )  # fmt: skip
        return mcsolve_td(H, psi0, t, c_ops, e_ops, opts, traj)
    opts = _constant_options(args, method, store_states, interpolation, progress)
    return _mcsolve_constant(_constant_form(H, c_ops), psi0, t, e_ops, opts, traj)


def _mcsolve_constant(
    form: LindbladForm,
    psi0: Any,
    t: np.ndarray,
    e_ops: Any,
    opts: SolveOptions,
    traj: TrajectoryOptions,
) -> MCResult:
    """The engine of constant problems (exact no-jump evolution; module docstring): the
    generator's Lindblad form and the arguments validated by :func:`mcsolve`."""
    ntraj, seed, d = traj.ntraj, traj.seed, form.dim
    key = seed if seed is not None else int(np.random.default_rng().integers(0, 2**63))
    streams = _Streams(key, ntraj)
    eops = ExpectOps(e_ops, form)
    strata = initial_strata(psi0, form, ntraj, stacklevel=4)
    jumps = form.jumps
    ev = _NoJumpEvolution((form.hamiltonian - 0.5j * jumps.sum_dag_product()).toarray())
    Lstack, K, T = jumps.stacked(), jumps.count, len(t)
    avg = StratifiedAverage(strata, eops, T, d, opts.store_states)
    jt: list[list[float]] = [[] for _ in range(ntraj)]
    jw: list[list[int]] = [[] for _ in range(ntraj)]
    start = time.perf_counter()
    block = traj.block_size or max(1, min(ntraj, (1 << 22) // max(d, 1)))
    meter = progress_meter("mcsolve", ntraj, opts.progress, ticks=ntraj, unit="traj")
    with blas_threads(1), meter as bar:
        for b0 in range(0, ntraj, block):
            ids = np.arange(b0, min(ntraj, b0 + block))
            shown = None if bar is None else _block_progress(bar, b0, ids.size, t)
            record = avg.block(ids, ev.to_ket)
            _run_block(
                ev, Lstack, K, d, t, ids, strata.kets[:, ids], streams, record, jt, jw, shown
            )
    mean, err = avg.statistics()
    avg_states = avg.states
    if avg_states is not None and form.basis is not None:
        avg_states = form.to_original(avg_states)
    wall = time.perf_counter() - start
    return MCResult(
        times=t,
        expect=eops.finish(mean),
        expect_std_err=eops.finish(err),
        states=avg_states,
        final_state=form.to_original(avg.final),
        ntraj=ntraj,
        seed=seed,
        jump_times=tuple(np.asarray(x) for x in jt),
        jump_which=tuple(np.asarray(x, dtype=int) for x in jw),
        stats={
            "wall_time": wall,
            "exact_no_jump": ev.exact,
            "n_jumps": int(sum(len(x) for x in jt)),
            "block_size": block,
            "key": key,
            "strata": strata.p.size,
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


def _constant_options(
    args: Any, method: Any, store_states: Any, interpolation: Any, progress: Any
) -> SolveOptions:
    """The validated options of a constant problem (no ODE method: the evolution is exact)."""
    if method is not None:
        raise InputError(
            "method: the no-jump evolution of a constant problem is exact (no ODE method), got "
            f"{method!r}; a method applies to time-dependent H or c_ops in QuTiP's list form"
        )
    opts = solve_options(
        args=args, store_states=store_states, interpolation=interpolation, progress=progress
    )
    warn_unused_args(opts.args, False, stacklevel=4)
    return opts


def _constant_form(H: Any, c_ops: Any) -> LindbladForm:
    """The Lindblad form of a constant problem, refused when it has a non-GKSL part."""
    form = generator_form(H, c_ops)
    if form.extra_rowmajor is not None:
        raise InputError(
            "H: expected a generator of GKSL form for quantum trajectories, got one with a "
            "non-GKSL part (a Bloch--Redfield tensor has no jump operators); use mesolve"
        )
    return form


def _block_progress(bar: Any, done: int, n: int, t: np.ndarray) -> Any:
    """``shown(i)``: the meter at ``done`` trajectories plus the block's ``n`` times the fraction
    of ``t`` covered at output time ``i``."""
    span = float(t[-1] - t[0])

    def shown(i: int) -> None:
        frac = 1.0 if span <= 0 else float(t[i] - t[0]) / span
        bar.advance_to(done + n * frac)

    return shown


def _run_block(ev, Lstack, K, d, t, ids, psi, streams, record, jt, jw, shown=None) -> None:
    """Evolve the trajectories ``ids`` (one (d, n) block) over all output times; ``record(i, c)``
    accumulates them at output time i, ``shown(i)`` (optional) moves a progress meter."""
    n = ids.size
    T = len(t)
    c = ev.to_coeff(psi)
    r = streams.draw(ids)
    now = np.full(n, t[0])
    nrm = ev.norm2(c)  # current squared norms
    record(0, c)
    for i in range(1, T):
        target = t[i]
        active = np.arange(n)
        while active.size:
            span = target - now[active]
            c_end = ev.evolve(c[:, active], span)
            n_end = ev.norm2(c_end)
            jumping = n_end <= r[active]
            quiet = active[~jumping]
            c[:, quiet] = c_end[:, ~jumping]
            nrm[quiet] = n_end[~jumping]
            now[quiet] = target
            active = active[jumping]
            if not active.size or K == 0:
                break
            if ev.exact:
                tau = _jump_times_newton(
                    ev, c[:, active], r[active], span[jumping], n_end[jumping], nrm[active]
                )
            else:
                tau = _jump_times(ev, c[:, active], r[active], span[jumping], n_end[jumping])
            kets = ev.to_ket(ev.evolve(c[:, active], tau))
            lk = (Lstack @ kets).reshape(K, d, -1)
            wk = np.einsum("kin,kin->kn", lk.conj(), lk).real  # ||L_k psi||^2
            cum = np.cumsum(wk, axis=0)
            u = streams.draw(ids[active]) * cum[-1]
            which = np.minimum((cum < u[None, :]).sum(axis=0), K - 1)
            new = lk[which, :, np.arange(active.size)].T
            new = new / np.linalg.norm(new, axis=0)
            c[:, active] = ev.to_coeff(new)
            nrm[active] = ev.norm2(c[:, active]) if not ev.exact else 1.0
            now[active] = now[active] + tau
            r[active] = streams.draw(ids[active])
            for j, tj, kj in zip(ids[active], now[active], which, strict=False):
                jt[j].append(float(tj))
                jw[j].append(int(kj))
        record(i, c)
        if shown is not None:
            shown(i)
