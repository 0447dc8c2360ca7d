r"""Explicit Runge--Kutta integrators for autonomous linear ODEs :math:`\dot y = f(y)` on big arrays.

Two methods, both written so that every array operation is one pass over memory (BLAS ``gemv``
for the stage combinations, in-place updates, no per-step allocations):

* ``"adaptive"``: Dormand--Prince 5(4) with first-same-as-last, the step-size control of Hairer,
  Norsett & Wanner (Solving ODEs I, II.4) and Shampine's 4th-order dense output, so output times
  do not constrain the steps. The error norm is the RMS of
  ``err / (atol + rtol * max(|y_old|, |y_new|))`` over all entries, as in SciPy's ``RK45`` and close
  to the weighted norm of QuTiP's default ``adams`` integrator, so equal ``rtol``/``atol`` mean
  comparable accuracy.
* ``"rk4"``: the classical fixed-step 4th-order method (the method suggested by seed 004), with the
  step shortened so that every output time is hit exactly.

The integrators call ``f(y, out)``, which must write :math:`f(y)` into ``out`` (same shape).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._checks import as_real_array
from .._errors import InputError

# Dormand--Prince 5(4) tableau (Dormand & Prince 1980); these are the published constants.
_C = np.array([0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0])
_A = [
    np.array(row)
    for row in (
        [],
        [1 / 5],
        [3 / 40, 9 / 40],
        [44 / 45, -56 / 15, 32 / 9],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    )
]
_B = np.array([35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84])
# error weights b - b_hat (7 entries: the 7th multiplies f(y_new))
_E = np.array([71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40])
# Shampine's dense-output polynomial: y(t + theta h) = y + h * sum_j K_j (P @ [theta..theta^4])_j
_P = np.array(
    [
        [1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
        [0, 0, 0, 0],
        [0, 131558114200 / 32700410799, -68118460800 / 10900136933, 87487479700 / 32700410799],
        [0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
        [0, 127303824393 / 49829197408, -318862633887 / 49829197408, 701980252875 / 199316789632],
        [0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
        [0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
    ]
)

RHS = Callable[[np.ndarray, np.ndarray], None]
Output = Callable[[int, np.ndarray], None]


@dataclass
class IntegratorStats:
    """Work counters: right-hand-side evaluations, accepted and rejected steps."""

    nfev: int = 0
    nsteps: int = 0
    nrejected: int = 0
    method: str = ""


def check_times(times: np.ndarray) -> np.ndarray:
    """Output times: a 1-D finite, non-decreasing array with at least one entry."""
    t = as_real_array("times", times)
    if t.ndim != 1 or t.size == 0:
        raise InputError(f"times: expected a 1-D array with at least one time, got shape {t.shape}")
    if not np.all(np.isfinite(t)):
        raise InputError("times: expected finite values, got NaN or inf")
    if np.any(np.diff(t) < 0):
        raise InputError(f"times: expected non-decreasing times, got {t[:6]}...")
    return t


class _Stages:
    """Row 0 holds y, rows 1..7 the stage derivatives K_0..K_6, as a (8, n) array."""

    def __init__(self, y0: np.ndarray):
        self.shape = y0.shape
        self.Y = np.empty((8, y0.size), dtype=y0.dtype)
        self.Y[0] = y0.ravel()

    def row(self, i: int) -> np.ndarray:
        return self.Y[i].reshape(self.shape)


def _rms_scaled(
    err: np.ndarray,
    y: np.ndarray,
    y_new: np.ndarray,
    rtol: float,
    atol: float,
    buf1: np.ndarray,
    buf2: np.ndarray,
) -> float:
    np.abs(y, out=buf1)
    np.abs(y_new, out=buf2)
    np.maximum(buf1, buf2, out=buf1)
    buf1 *= rtol
    buf1 += atol
    np.abs(err, out=buf2)
    buf2 /= buf1
    return math.sqrt(float(np.dot(buf2, buf2)) / buf2.size)


def _initial_step(
    f: RHS, Y: np.ndarray, rows: list[np.ndarray], y_new: np.ndarray, span: float, rtol: float, atol: float
) -> float:
    """The first step size (Hairer, Norsett & Wanner, "Solving Ordinary Differential Equations I",
    1993, Sec. II.4); evaluates ``f`` once, into stage row 2."""
    scale = atol + rtol * np.abs(Y[0])
    d0 = math.sqrt(float(np.mean(np.abs(Y[0] / scale) ** 2)))
    d1 = math.sqrt(float(np.mean(np.abs(Y[1] / scale) ** 2)))
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    h0 = min(h0, span)
    np.add(Y[0], h0 * Y[1], out=y_new)
    f(y_new.reshape(rows[0].shape), rows[2])
    d2 = math.sqrt(float(np.mean(np.abs((Y[2] - Y[1]) / scale) ** 2))) / h0
    dm = max(d1, d2)
    h1 = max(1e-6, h0 * 1e-3) if dm <= 1e-15 else (0.01 / dm) ** (1 / 5)
    return min(100 * h0, h1)


def _dense_output(
    times: np.ndarray,
    i_out: int,
    t: float,
    t_new: float,
    h: float,
    Y: np.ndarray,
    coef: np.ndarray,
    y_out: np.ndarray,
    y_new_m: np.ndarray,
    output: Output,
) -> int:
    """Call ``output`` for the output times in ``(t, t_new]`` of an accepted step, with the
    fourth-order continuous extension between its ends; return the next output index."""
    while i_out < len(times) and times[i_out] <= t_new:
        if times[i_out] == t_new:
            output(i_out, y_new_m)
        else:
            th = (times[i_out] - t) / h
            coef[1:8] = h * (_P @ np.array([th, th * th, th**3, th**4]))
            np.dot(coef, Y, out=y_out)
            output(i_out, y_out.reshape(y_new_m.shape))
        i_out += 1
    return i_out


def dopri5(
    f: RHS,
    y0: np.ndarray,
    times: np.ndarray,
    output: Output,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    max_steps: int = 100_000,
    first_step: float | None = None,
) -> IntegratorStats:
    """Integrate from ``times[0]`` and call ``output(i, y(times[i]))`` for every output time.

    ``y0`` is not modified. ``output`` receives a view that is overwritten afterwards: copy it if
    it is kept.
    """
    stats = IntegratorStats(method="dopri5")
    st = _Stages(np.ascontiguousarray(y0))
    Y = st.Y
    n = Y.shape[1]
    y_new = np.empty(n, dtype=Y.dtype)
    err = np.empty(n, dtype=Y.dtype)
    y_out = np.empty(n, dtype=Y.dtype)
    b1 = np.empty(n)
    b2 = np.empty(n)

    rows = [st.row(i) for i in range(8)]
    y_new_m = y_new.reshape(st.shape)
    nfev = 0

    t = float(times[0])
    i_out = 0
    while i_out < len(times) and times[i_out] <= t:
        output(i_out, st.row(0))
        i_out += 1
    if i_out == len(times):
        return stats
    t_end = float(times[-1])
    f(rows[0], rows[1])
    nfev += 1

    # initial step (Hairer, Norsett & Wanner, II.4)
    if first_step is None:
        h = _initial_step(f, Y, rows, y_new, t_end - t, rtol, atol)
        nfev += 1
    else:
        h = float(first_step)

    rejected = False
    coef = np.zeros(8)
    coef[0] = 1.0
    while t < t_end:
        if stats.nsteps + stats.nrejected >= max_steps:
            raise RuntimeError(
                f"dopri5: reached max_steps={max_steps} at t={t:.6g} (t_end={t_end:.6g}); "
                "the problem may be stiff or the tolerances too tight"
            )
        h = min(h, t_end - t)
        last = h >= t_end - t
        # stages 2..6
        for i in range(1, 6):
            np.multiply(_A[i], h, out=coef[1 : i + 1])
            np.dot(coef[: i + 1], Y[: i + 1], out=y_new)
            f(y_new_m, rows[i + 1])
        np.multiply(_B, h, out=coef[1:7])
        np.dot(coef[:7], Y[:7], out=y_new)
        f(y_new_m, rows[7])
        nfev += 6
        np.dot(h * _E, Y[1:8], out=err)
        en = _rms_scaled(err, Y[0], y_new, rtol, atol, b1, b2)
        if en <= 1.0:
            t_new = t_end if last else t + h
            i_out = _dense_output(times, i_out, t, t_new, h, Y, coef, y_out, y_new_m, output)
            t = t_new
            Y[0] = y_new
            Y[1] = Y[7]
            stats.nsteps += 1
            fac = 10.0 if en == 0 else min(10.0, 0.9 * en**-0.2)
            if rejected:
                fac = min(1.0, fac)
            h *= fac
            rejected = False
        else:
            stats.nrejected += 1
            h *= max(0.2, 0.9 * en**-0.2)
            rejected = True
            if h < 1e-14 * max(1.0, abs(t)):
                raise RuntimeError(f"dopri5: step size underflow at t={t:.6g}")
        coef[1:] = 0.0
    stats.nfev = nfev
    return stats


def rk4(f: RHS, y0: np.ndarray, times: np.ndarray, output: Output, *, dt: float) -> IntegratorStats:
    """Classical fixed-step RK4; between two output times the step is ``Delta / ceil(Delta/dt)``."""
    stats = IntegratorStats(method="rk4")
    shape = y0.shape
    y = np.array(y0, dtype=complex, copy=True)
    k = [np.empty_like(y) for _ in range(4)]
    tmp = np.empty_like(y)
    output(0, y)
    for i in range(1, len(times)):
        span = float(times[i] - times[i - 1])
        m = max(1, math.ceil(span / dt - 1e-12)) if span > 0 else 0
        h = span / m if m else 0.0
        for _ in range(m):
            f(y, k[0])
            np.multiply(k[0], 0.5 * h, out=tmp)
            tmp += y
            f(tmp, k[1])
            np.multiply(k[1], 0.5 * h, out=tmp)
            tmp += y
            f(tmp, k[2])
            np.multiply(k[2], h, out=tmp)
            tmp += y
            f(tmp, k[3])
            k[1] += k[2]
            k[1] *= 2.0
            k[1] += k[0]
            k[1] += k[3]
            k[1] *= h / 6.0
            y += k[1]
            stats.nfev += 4
            stats.nsteps += 1
        output(i, y.reshape(shape))
    return stats
