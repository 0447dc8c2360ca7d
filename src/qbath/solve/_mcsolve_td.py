r"""Quantum-jump trajectories of time-dependent problems (QuTiP 5's list form).

A trajectory follows the no-jump equation

.. math::

    i\,\partial_t\psi = H_\mathrm{eff}(t)\,\psi, \qquad
    H_\mathrm{eff}(t) = H(t) - \tfrac i2\sum_j |g_j(t)|^2 L_j^\dagger L_j,

whose norm decreases, :math:`\partial_t\|\psi\|^2 = -\sum_j|g_j(t)|^2\|L_j\psi\|^2 \le 0`. A jump
happens when :math:`\|\psi\|^2` falls to a uniform random number r; operator j is chosen with
probability :math:`\propto |g_j(t)|^2\|L_j\psi\|^2`, the state becomes :math:`L_j\psi/\|L_j\psi\|`
and a new r is drawn (Dalibard, Castin & Mølmer, "Wave-function approach to dissipative processes
in quantum optics", PRL 68, 580 (1992); the waiting-time scheme of QuTiP 5's ``mcsolve``).

How the jump times are found
----------------------------
All trajectories are integrated together, as the columns of one (d, ntraj) block, by the ODE layer
(one right-hand side: a matrix product with :math:`-iH_\mathrm{eff}(t)` assembled in place from
constant pieces). The block is stopped at *synchronisation points*: the output times plus a uniform
refinement so that a trajectory makes about a quarter of a jump per interval at the largest jump
rate :math:`\Gamma(t) = \sum_j|g_j(t)|^2\|L_j^\dagger L_j\|` (sampled once on the time span). Since
the norm only decreases, a column has jumped in an interval exactly when its norm at the interval's
end is at or below its r. For the columns that have, the crossing
:math:`\ln\|\psi(\tau)\|^2 = \ln r` is located by a safeguarded Newton iteration (the logarithm
makes the function nearly linear, exactly so for a constant rate; its derivative, minus the total
jump rate over the norm, comes with each iterate's state). Each iterate is a fresh integration of
those columns, together, over the whole interval, reading every column at its own guess from the
ODE layer's dense output; its steps depend neither on the guesses nor on which columns have
converged, so every iterate sees the same smooth function and the iteration converges
quadratically (three or four iterates). The iteration stops at
:math:`|\ln(\|\psi\|^2/r)| \le 10^{-10}` or a bracket of a few ulps, and the state used for the
jump is the one integrated to that time, so the jump times are as accurate as the ODE tolerance
allows and depend neither on the output grid nor on the synchronisation grid, which only sets the
cost. The trajectories that have jumped continue from their jump times to the next
synchronisation point (where they rejoin the block) as one more block, each column with its own
clock :math:`t_k = a_k + \sigma(e - a_k)`, :math:`\sigma\in[0, 1]`, jumping again if a norm falls to
its new r on the way. Coefficients needed at one time per column (these continuations, the choice
of the jump operator) are called once with the array of times when they accept arrays and agree
with their scalar values (see :class:`_VectorCoefficient`), else once per column.

Reproducibility
---------------
A density-matrix ``psi0`` is unravelled by stratification over its eigenvectors, as for constant
problems (:mod:`qbath.solve._strata`: no random numbers, the average starts at ``psi0``, the
standard errors are those of a stratified mean). ``numpy.random.default_rng(seed)`` then draws, in
this order: the ``ntraj`` initial thresholds r, then for each group of jumps the uniform numbers
choosing the operators and the new thresholds. The same seed, problem and method give the same
trajectories.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._meta import make_meta
from ..generators import Coefficient, TimeDependentTerms
from ..ode import Method
from ._blas import blas_threads
from ._mesolve import ExpectOps
from ._options import SolveOptions, TrajectoryOptions, progress_meter
from ._results import MCResult
from ._strata import StratifiedAverage, initial_strata
from ._tdsolve import is_time_dependent, td_generator

__all__ = ["mcsolve_td"]

#: operators of at most this dimension are applied as dense matrices
_DENSE_DIM = 48
#: expected number of jumps per trajectory in one synchronisation interval (cost only)
_JUMPS_PER_SYNC = 0.25
#: at most this many synchronisation intervals (cost only: the jump times do not depend on it)
_MAX_SYNC = 200_000
#: stopping rule of the jump-time iteration: |ln(||psi||^2 / r)| below this
_LOG_TOL = 1e-10
_MAX_ITER = 60


def _dense(m: Any) -> np.ndarray:
    return np.asarray(m.toarray() if sp.issparse(m) else m, dtype=complex)


def _operator_norm_bound(m: Any) -> float:
    """The largest absolute row sum: an upper bound on the spectral norm of a Hermitian matrix."""
    a = abs(sp.csr_matrix(m))
    return float(a.sum(axis=1).max()) if a.nnz else 0.0


class _VectorCoefficient:
    """A :class:`Coefficient` evaluated at an array of times, shape (m,) complex.

    The first evaluation at two or more times calls the coefficient once per time and also once
    with the whole array; if that gives the same values (to 1e-13 relative), later evaluations at
    four or more times make a single call with the array, checked against scalar calls at the
    earliest and the latest time, and fall back for good to one call per time if that check fails,
    the call raises or returns another shape. Callables written for scalars only (``math.cos``,
    ``if t < 1``) or reducing their argument (``np.max(t)``) thus keep their meaning, and
    numpy-style ones cost three calls per block instead of one per trajectory.
    """

    def __init__(self, c: Coefficient):
        self.c = c
        self.mode = "constant" if c.kind == "constant" else "unknown"
        self.value = complex(c(0.0)) if c.kind == "constant" else 0j

    def _scalar(self, ts: np.ndarray) -> np.ndarray:
        return np.array([self.c(float(x)) for x in ts], dtype=complex)

    def _vector(self, ts: np.ndarray) -> np.ndarray | None:
        try:
            v = np.asarray(self.c(ts.copy()), dtype=complex)
        except Exception:  # noqa: BLE001 - a scalar-only callable: evaluate per time instead
            return None
        return v if v.shape == ts.shape else None

    def __call__(self, ts: np.ndarray) -> np.ndarray:
        if self.mode == "constant":
            return np.full(ts.shape, self.value)
        if self.mode == "vector" and ts.size >= 4:
            v = self._vector(ts)
            ends = [int(np.argmin(ts)), int(np.argmax(ts))]
            if v is not None and self._agree(v[ends], self._scalar(ts[ends])):
                return v
            self.mode = "scalar"
        out = self._scalar(ts)
        if self.mode == "unknown" and ts.size >= 2:
            v = self._vector(ts)
            self.mode = "vector" if v is not None and self._agree(v, out) else "scalar"
        return out

    @staticmethod
    def _agree(v: np.ndarray, ref: np.ndarray) -> bool:
        scale = float(np.abs(ref).max()) if ref.size else 0.0
        return bool(np.allclose(v, ref, rtol=1e-13, atol=1e-13 * scale))


class _NoJumpRHS:
    r"""``f(t, Y, out)``: ``out = -i H_eff(t) Y`` for a block of kets Y of shape (d, n).

    :math:`-iH_\mathrm{eff}(t) = M_0 + \sum_k f_k(t)(-iH_k) + \sum_j|g_j(t)|^2(-\tfrac12
    L_j^\dagger L_j)`, with every constant coefficient folded into :math:`M_0` once. For small d the
    matrix is assembled in a preallocated buffer, for large sparse problems on a sparsity pattern
    fixed once (the union of the pieces' patterns); either way it is applied as one product.
    """

    def __init__(self, heff0: sp.csr_matrix, terms: TimeDependentTerms):
        d = heff0.shape[0]
        pieces: list[tuple[Any, Coefficient, bool]] = [
            (-1j * _as_op(Hk), f, False)
            for Hk, f in zip(terms.hamiltonians, terms.h_coeffs, strict=True)
        ]
        pieces += [
            (-0.5 * _as_op(P), g, True)
            for P, g in zip(terms.jump_products, terms.c_coeffs, strict=True)
        ]
        m0 = -1j * heff0.tocsr()
        varying = []
        for A, c, is_rate in pieces:
            if c.kind == "constant":
                v = c(0.0)
                m0 = m0 + (abs(v) ** 2 if is_rate else v) * sp.csr_matrix(A)
            else:
                varying.append((A, c, is_rate))
        self.dense = d <= _DENSE_DIM or any(not sp.issparse(A) for A, _, _ in varying)
        if self.dense:
            self._m0 = _dense(m0)
            self._pieces = [(_dense(A), c, r) for A, c, r in varying]
            self._m = np.empty((d, d), dtype=complex)
            self._tmp = np.empty((d, d), dtype=complex)
        else:
            self._m0 = sp.csr_matrix(m0)
            self._pieces = [(sp.csr_matrix(A), c, r) for A, c, r in varying]
            # the sum on one fixed sparsity pattern: a call updates its entries, one product
            mats = [self._m0] + [A for A, _, _ in self._pieces]
            pattern = sp.csr_matrix(sum(abs(m) for m in mats))
            pattern.sum_duplicates()
            pattern.sort_indices()
            rows = np.repeat(np.arange(d), np.diff(pattern.indptr))
            cols = pattern.indices
            self._vals = [np.asarray(m.tocsr()[rows, cols], dtype=complex).ravel() for m in mats]
            self._pattern = sp.csr_matrix(
                (self._vals[0].copy(), cols.copy(), pattern.indptr.copy()), shape=(d, d)
            )
        self._vpieces = [(A, _VectorCoefficient(c), r) for A, c, r in self._pieces]
        # [M0; A_1; ...; A_P] stacked, for blocks whose columns need different weights
        blocks = [self._m0] + [A for A, _, _ in self._pieces]
        self._stack = (
            np.ascontiguousarray(np.vstack(blocks))
            if self.dense
            else sp.vstack([sp.csr_matrix(m) for m in blocks]).tocsr()
        )
        self.nfev = 0

    def matrix(self, t: float) -> np.ndarray:
        """:math:`-iH_\\mathrm{eff}(t)` (dense path only)."""
        m = self._m
        np.copyto(m, self._m0)
        for A, c, is_rate in self._pieces:
            v = c(t)
            w = abs(v) ** 2 if is_rate else v
            if w != 0:
                np.multiply(A, w, out=self._tmp)
                m += self._tmp
        return m

    def __call__(self, t: float, y: np.ndarray, out: np.ndarray) -> None:
        self.nfev += 1
        if self.dense:
            np.matmul(self.matrix(t), y, out=out)
            return
        data = self._pattern.data
        np.copyto(data, self._vals[0])
        for (_, c, is_rate), vals in zip(self._pieces, self._vals[1:], strict=True):
            v = c(t)
            w = abs(v) ** 2 if is_rate else v
            if w != 0:
                data += w * vals
        out[...] = self._pattern @ y


class _ClockedRHS:
    r"""``f(sigma, Y, out)`` for columns that each keep their own clock, :math:`t_k = a_k + \sigma b_k`.

    :math:`\partial_\sigma\psi_k = b_k(-iH_\mathrm{eff}(t_k))\psi_k`, so integrating
    :math:`\sigma` from 0 to 1 takes column k from :math:`a_k` to :math:`a_k + b_k`. Used for the
    trajectories that have jumped inside a synchronisation interval (each at its own time), which
    are thus still integrated as one block; the coefficients are called once per column.
    """

    def __init__(self, base: _NoJumpRHS, a: np.ndarray, b: np.ndarray):
        self.base = base
        self.a = a
        self.b = b

    def times(self, sigma: np.ndarray | float) -> np.ndarray:
        return self.a + sigma * self.b

    def __call__(self, sigma: float, y: np.ndarray, out: np.ndarray) -> None:
        base = self.base
        base.nfev += 1
        ts = self.a + sigma * self.b
        d, m = y.shape
        W = np.empty((len(base._vpieces) + 1, m), dtype=complex)
        W[0] = self.b
        for p, (_, c, is_rate) in enumerate(base._vpieces):
            v = c(ts)
            W[p + 1] = (np.abs(v) ** 2 if is_rate else v) * self.b
        Z = (base._stack @ y).reshape(W.shape[0], d, m)
        np.einsum("pim,pm->im", Z, W, out=out)


def _as_op(m: Any) -> Any:
    return m if sp.issparse(m) else np.asarray(m, dtype=complex)


def _norm2(Y: np.ndarray) -> np.ndarray:
    return np.einsum("in,in->n", Y.conj(), Y).real


class _Jumps:
    """The jump operators (constant ones, then time-dependent ones) and the choice among them."""

    def __init__(self, form: Any, terms: TimeDependentTerms, labels: np.ndarray):
        d = form.dim
        self.d = d
        self.K0 = form.jumps.count
        S = form.jumps.stacked()
        self.stack0 = _dense(S) if d <= _DENSE_DIM else S.tocsr()
        self.ops1 = [_as_op(L) for L in terms.jumps]
        self.coeffs1 = [_VectorCoefficient(g) for g in terms.c_coeffs]
        self.K = self.K0 + len(self.ops1)
        self.labels = labels

    def candidates(self, tau: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All :math:`g_j(\\tau)L_j\\psi` (K, d, m) and their weights :math:`\\|\\cdot\\|^2` (K, m)."""
        m = Y.shape[1]
        out = np.empty((self.K, self.d, m), dtype=complex)
        if self.K0:
            out[: self.K0] = (self.stack0 @ Y).reshape(self.K0, self.d, m)
        for j, (L, g) in enumerate(zip(self.ops1, self.coeffs1, strict=True)):
            gv = g(np.asarray(tau, dtype=float))
            out[self.K0 + j] = (L @ Y) * gv[None, :]
        w = np.einsum("kin,kin->kn", out.conj(), out).real
        return out, w


class _Engine:
    """State shared by the integrations of one run: right-hand side, method, thresholds, records."""

    def __init__(self, rhs: _NoJumpRHS, method: Method, jumps: _Jumps, rng: Any, ntraj: int):
        self.rhs = rhs
        self.method = method
        self.jumps = jumps
        self.rng = rng
        self.r = rng.random(ntraj)
        if jumps.K == 0:  # no jump operator: the norm is conserved, nothing can be triggered
            self.r[:] = 0.0
        self.jt: list[list[float]] = [[] for _ in range(ntraj)]
        self.jw: list[list[int]] = [[] for _ in range(ntraj)]
        self.n_integrations = 0
        self.n_root_iterations = 0
        self.nsteps = 0
        self.nrejected = 0

    def _integrate(self, rhs: Any, Y0: np.ndarray, times: np.ndarray, observe: Any) -> None:
        stats = self.method.integrate(rhs, Y0, times, observe)
        self.n_integrations += 1
        self.nsteps += stats.nsteps
        self.nrejected += stats.nrejected

    def evolve(self, rhs: Any, Y0: np.ndarray, s: float, e: float) -> np.ndarray:
        """The no-jump states at ``e`` of the columns of ``Y0`` (given at ``s``)."""
        out = np.empty_like(Y0)

        def observe(i: int, y: np.ndarray) -> None:
            if i == 1:
                out[...] = y

        self._integrate(rhs, Y0, np.array([s, e]), observe)
        return out

    def states_at(self, rhs: Any, Y0: np.ndarray, s: float, x: np.ndarray, e: float) -> np.ndarray:
        """Column k of ``Y0`` (given at ``s``) evolved to its own time ``x[k]`` in [s, e], (d, m).

        The integration always runs to ``e`` and reads the states at ``x`` from the dense output,
        so its steps do not depend on ``x``: the result is a smooth function of ``x``.
        """
        grid, pos = np.unique(np.concatenate([[s, e], x]), return_inverse=True)
        pos = pos[2:]
        out = np.empty_like(Y0)
        at_start = pos == 0
        if at_start.any():
            out[:, at_start] = Y0[:, at_start]
        if grid.size == 1:
            return out
        order = np.argsort(pos, kind="stable")
        bounds = np.searchsorted(pos[order], np.arange(grid.size + 1))

        def observe(i: int, y: np.ndarray) -> None:
            cols = order[bounds[i] : bounds[i + 1]]
            if i and cols.size:
                out[:, cols] = y[:, cols]

        self._integrate(rhs, Y0, grid, observe)
        return out

    def crossings(
        self,
        rhs: Any,
        Y0: np.ndarray,
        s: float,
        e: float,
        r: np.ndarray,
        n2_end: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        r"""Times ``tau`` in (s, e] where ``||psi||^2 = r`` and the states there.

        Safeguarded Newton iteration on :math:`g(t) = \ln\|\psi(t)\|^2 - \ln r`, whose derivative
        :math:`g' = -\sum_j|g_j(t)|^2\|L_j\psi\|^2/\|\psi\|^2` comes with each iterate's state;
        the first guess is the secant of the bracket [s, e], a step leaving the bracket is replaced
        by bisection. With a :class:`_ClockedRHS` the variable is the clock parameter
        :math:`\sigma` and the returned times are :math:`a_k + \sigma_k b_k`.
        """
        clocked = isinstance(rhs, _ClockedRHS)
        m = Y0.shape[1]
        lr = np.log(np.maximum(r, 1e-300))
        a = np.full(m, s)
        b = np.full(m, e)
        ga = np.log(np.maximum(_norm2(Y0), 1e-300)) - lr  # > 0
        gb = np.minimum(np.log(np.maximum(n2_end, 1e-300)) - lr, 0.0)  # <= 0
        x = np.clip(a + (b - a) * (ga / (ga - gb)), a, b)
        tau = b.copy()
        states = np.empty_like(Y0)
        act = np.arange(m)
        width_tol = 4 * np.finfo(float).eps * max(abs(s), abs(e), e - s)
        for _ in range(_MAX_ITER):
            # every column is integrated at every iterate (converged ones at their root), so the
            # block and hence the step sequence, and the iterated function, stay the same
            y = self.states_at(rhs, Y0, s, x, e)
            self.n_root_iterations += 1
            xa, y = x[act], y[:, act]
            n2 = _norm2(y)
            gx = np.log(np.maximum(n2, 1e-300)) - lr[act]
            _, w = self.jumps.candidates(rhs.times(x)[act] if clocked else xa, y)
            slope = -w.sum(axis=0) / np.maximum(n2, 1e-300)
            if clocked:
                slope = slope * rhs.b[act]
            tau[act] = xa
            states[:, act] = y
            right = gx > 0  # the norm is still above r: the crossing is later than x
            a[act] = np.where(right, xa, a[act])
            b[act] = np.where(right, b[act], xa)
            aa, bb = a[act], b[act]
            done = (np.abs(gx) <= _LOG_TOL) | (bb - aa <= width_tol)
            with np.errstate(divide="ignore", invalid="ignore"):
                newton = xa - gx / slope
            inside = (slope < 0) & (newton > aa) & (newton < bb)
            x[act] = np.where(done, xa, np.where(inside, newton, 0.5 * (aa + bb)))
            act = act[~done]
            if not act.size:
                break
        return (rhs.times(tau) if clocked else tau), states

    def jump(self, cols: np.ndarray, tau: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """Apply one jump to each column of ``Y`` (trajectories ``cols`` at times ``tau``)."""
        m = cols.size
        cand, w = self.jumps.candidates(tau, Y)
        cum = np.cumsum(w, axis=0)
        total = cum[-1]
        u = self.rng.random(m) * total
        # the first operator whose cumulative weight exceeds u (never one of zero weight)
        which = np.minimum((cum <= u[None, :]).sum(axis=0), self.jumps.K - 1)
        new = cand[which, :, np.arange(m)].T
        ok = total > 0  # a vanishing total rate at the crossing: renormalise without a jump
        new[:, ~ok] = Y[:, ~ok]
        new /= np.sqrt(_norm2(new))[None, :]
        self.r[cols] = self.rng.random(m)
        for j, tj, kj, okj in zip(cols, tau, which, ok, strict=True):
            if okj:
                self.jt[j].append(float(tj))
                self.jw[j].append(int(self.jumps.labels[kj]))
        return new

    def advance(self, cols: np.ndarray, Y: np.ndarray, s: float, e: float) -> np.ndarray:
        """States at ``e`` of the trajectories ``cols`` whose states at ``s`` are the columns of
        ``Y``, with every jump in (s, e].

        The block is integrated with the common clock; the columns that jumped continue, together,
        each from its own jump time (:class:`_ClockedRHS`), until none jumps again before ``e``.
        """
        out = np.empty_like(Y)
        stack: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = [
            (np.arange(cols.size), Y, None)
        ]
        while stack:
            idx, Yb, starts = stack.pop()
            if starts is None:
                rhs: Any = self.rhs
                s0, e0 = s, e
            else:
                rhs = _ClockedRHS(self.rhs, starts, e - starts)
                s0, e0 = 0.0, 1.0
            Ye = self.evolve(rhs, Yb, s0, e0)
            n2 = _norm2(Ye)
            jumped = n2 <= self.r[cols[idx]]
            out[:, idx[~jumped]] = Ye[:, ~jumped]
            if not jumped.any():
                continue
            J = idx[jumped]
            sub = (
                rhs if starts is None else _ClockedRHS(self.rhs, starts[jumped], e - starts[jumped])
            )
            tau, Yt = self.crossings(sub, Yb[:, jumped], s0, e0, self.r[cols[J]], n2[jumped])
            Ynew = self.jump(cols[J], tau, Yt)
            done = tau >= e - 4 * np.finfo(float).eps * max(1.0, abs(e))  # a + 1*(e - a)
            out[:, J[done]] = Ynew[:, done]
            if not done.all():
                stack.append((J[~done], np.ascontiguousarray(Ynew[:, ~done]), tau[~done]))
        return out


def _sync_grid(t: np.ndarray, rate: Any) -> np.ndarray:
    """The output times refined so that ``rate * spacing <= _JUMPS_PER_SYNC`` (at most _MAX_SYNC)."""
    if t.size < 2:
        return t
    probe = np.union1d(t, np.linspace(t[0], t[-1], 257))
    gmax = max(rate(float(x)) for x in probe)
    if not np.isfinite(gmax) or gmax <= 0:
        return t
    h = _JUMPS_PER_SYNC / gmax
    n = np.maximum(1, np.ceil(np.diff(t) / h)).astype(np.int64)
    if n.sum() > _MAX_SYNC:
        n = np.maximum(1, np.floor(n * (_MAX_SYNC / n.sum()))).astype(np.int64)
    pieces = [t[:1]]
    for a, b, k in zip(t[:-1], t[1:], n, strict=True):
        pieces.append(np.linspace(a, b, k + 1)[1:-1])
        pieces.append(np.array([b]))
    return np.concatenate(pieces)


def _jump_labels(c_ops: Any, n_generator: int) -> tuple[list[int], list[int]]:
    """Positions, among [generator jumps..., c_ops...], of the constant and time-dependent ones."""
    const, td = list(range(n_generator)), []
    for k, e in enumerate([] if c_ops is None else c_ops):
        (td if is_time_dependent(None, [e]) else const).append(n_generator + k)
    return const, td


def _rate_bound(form: Any, terms: Any) -> Any:
    """An upper bound of the total jump rate at time t (sizes the internal grid)."""
    gamma0 = _operator_norm_bound(form.jumps.sum_dag_product())
    bounds = [_operator_norm_bound(P) for P in terms.jump_products]

    def rate(x: float) -> float:
        return gamma0 + sum(b * abs(g(x)) ** 2 for b, g in zip(bounds, terms.c_coeffs, strict=True))

    return rate


def _provenance(
    wall: float,
    engine: Any,
    rhs: Any,
    method: Any,
    sync: np.ndarray,
    jumps: Any,
    ntraj: int,
    seed: int | None,
    d: int,
    t: np.ndarray,
) -> tuple[dict, dict]:
    """Work counters and provenance of a time-dependent trajectory run."""
    stats = {
        "wall_time": wall,
        "exact_no_jump": False,
        "n_jumps": int(sum(len(x) for x in engine.jt)),
        "method": method.name,
        "nfev": rhs.nfev,
        "nsteps": engine.nsteps,
        "nrejected": engine.nrejected,
        "n_integrations": engine.n_integrations,
        "n_root_iterations": engine.n_root_iterations,
        "n_sync": int(sync.size - 1),
    }
    meta = make_meta(
        "mcsolve",
        ntraj=ntraj,
        seed=seed,
        dim=d,
        n_jumps=jumps.K,
        time_dependent=True,
        method=repr(method),
        t0=float(t[0]),
        t1=float(t[-1]),
        n_times=len(t),
    )
    return stats, meta


def mcsolve_td(
    H: Any,
    psi0: Any,
    t: np.ndarray,
    c_ops: Sequence[Any] | None,
    e_ops: Any,
    opts: SolveOptions,
    traj: TrajectoryOptions,
) -> MCResult:
    r"""Quantum-jump trajectories of a time-dependent problem in QuTiP 5's list form.

    Called by :func:`qbath.mcsolve` (which documents the arguments and validates them: ``t`` by
    :func:`qbath.ode.check_times`, the options by :func:`~qbath.solve._options.solve_options` and
    :func:`~qbath.solve._options.trajectory_options`) when ``H`` or ``c_ops`` is time dependent; see
    the module docstring for the algorithm (Dalibard, Castin & Mølmer, PRL 68, 580 (1992)).

    Returns
    -------
    MCResult
        ``jump_which`` indexes the list of jump operators ``[generator's jumps..., c_ops...]``
        (the ``c_ops`` index itself when ``H`` holds no GKSL generator).
    """
    ntraj, seed, method = traj.ntraj, traj.seed, opts.method
    form, terms = td_generator(H, c_ops, args=opts.args, tlist=t, interpolation=opts.interpolation)
    d = form.dim
    n_const_c = sum(1 for e in (c_ops or []) if not is_time_dependent(None, [e]))
    const_pos, td_pos = _jump_labels(c_ops, form.jumps.count - n_const_c)
    labels = np.asarray(const_pos + td_pos, dtype=int)
    rng = np.random.default_rng(seed)
    eops = ExpectOps(e_ops, form)
    strata = initial_strata(psi0, form, ntraj, stacklevel=4)
    psi = np.ascontiguousarray(strata.kets)

    heff0 = (form.hamiltonian - 0.5j * form.jumps.sum_dag_product()).tocsr()
    rhs = _NoJumpRHS(heff0, terms)
    jumps = _Jumps(form, terms, labels)
    engine = _Engine(rhs, method, jumps, rng, ntraj)
    sync = _sync_grid(t, _rate_bound(form, terms))
    is_output = np.isin(sync, t)
    avg = StratifiedAverage(strata, eops, len(t), d, opts.store_states)
    record = avg.block(np.arange(ntraj))

    start = time.perf_counter()
    cols = np.arange(ntraj)
    record(0, psi)
    i_out = 1
    span = float(t[-1] - t[0])
    meter = progress_meter("mcsolve", ntraj, opts.progress, ticks=ntraj, unit="traj")
    with blas_threads(1), meter as bar:
        for k in range(1, sync.size):
            psi = engine.advance(cols, psi, float(sync[k - 1]), float(sync[k]))
            if is_output[k]:
                record(i_out, psi)
                i_out += 1
            if bar is not None:
                bar.advance_to(ntraj * float(sync[k] - t[0]) / span)
    wall = time.perf_counter() - start
    mean, err = avg.statistics()
    avg_states = avg.states
    if avg_states is not None and form.basis is not None:
        avg_states = form.to_original(avg_states)
    stats, meta = _provenance(wall, engine, rhs, method, sync, jumps, ntraj, seed, d, t)
    return MCResult(
        times=t,
        expect=eops.finish(mean),
        expect_std_err=eops.finish(err),  # type: ignore[arg-type]
        states=avg_states,
        final_state=form.to_original(avg.final),
        ntraj=ntraj,
        seed=seed,
        jump_times=tuple(np.asarray(x) for x in engine.jt),
        jump_which=tuple(np.asarray(x, dtype=int) for x in engine.jw),
        stats=stats,
        meta=meta,
    )
