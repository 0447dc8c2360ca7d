r"""Dormand--Prince 5(4) for big arrays: :class:`Dopri5`.

Every array operation is one pass over memory: BLAS ``gemv`` for the stage combinations (the
stages are rows of one (8, n) array), in-place updates, no per-step allocations. First same as last,
the step-size control of Hairer, Norsett & Wanner (*Solving Ordinary Differential Equations I*,
1993, II.4) and Shampine's 4th-order dense output (Shampine, *Some practical Runge--Kutta
formulas*, 1986), so output times do not constrain the steps. The error norm is the RMS of
``err / (atol + rtol * max(|y_old|, |y_new|))`` over all entries (complex entries by modulus), as in
SciPy's ``RK45`` and close to the weighted norm of QuTiP's default ``adams`` integrator, so equal
``rtol``/``atol`` mean comparable accuracy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ._base import RHS, AdaptiveMethod, IntegrationError, Jacobian, Observer, Stats

# Dormand--Prince 5(4) tableau (Dormand & Prince, "A family of embedded Runge-Kutta formulae", 1980)
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


def _first_step(
    f: RHS,
    t: float,
    Y: np.ndarray,
    rows: list[np.ndarray],
    y_new: np.ndarray,
    y_new_m: np.ndarray,
    span: float,
    rtol: float,
    atol: float,
) -> float:
    """Initial step of Hairer, Norsett & Wanner (II.4); uses rows[2] as scratch (one f call)."""
    scale = atol + rtol * np.abs(Y[0])
    d0 = math.sqrt(float(np.mean(np.abs(Y[0] / scale) ** 2)))
    d1 = math.sqrt(float(np.mean(np.abs(Y[1] / scale) ** 2)))
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    h0 = min(h0, span)
    np.add(Y[0], h0 * Y[1], out=y_new)
    f(t + h0, y_new_m, rows[2])
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
    observe: Observer,
) -> int:
    """Call ``observe`` for the output times in ``(t, t_new]`` of an accepted step, with the
    fourth-order continuous extension between its ends; return the next output index."""
    while i_out < len(times) and times[i_out] <= t_new:
        if times[i_out] == t_new:
            observe(i_out, y_new_m)
        else:
            th = (times[i_out] - t) / h
            coef[1:8] = h * (_P @ np.array([th, th * th, th**3, th**4]))
            np.dot(coef, Y, out=y_out)
            observe(i_out, y_out.reshape(y_new_m.shape))
        i_out += 1
    return i_out


@dataclass(frozen=True)
class Dopri5(AdaptiveMethod):
    r"""Adaptive Dormand--Prince 5(4) with dense output (the default of :func:`qbath.mesolve`).

    Parameters
    ----------
    rtol : float
        Relative tolerance, 0 < rtol < 1 (default 1e-6).
    atol : float
        Absolute tolerance, > 0 (default 1e-8), per entry of the state.
    max_steps : int
        Budget of accepted plus rejected steps (default 100000); exceeding it raises
        :class:`~qbath.ode.IntegrationError` (the problem may be stiff: try :class:`BDF`).

    Notes
    -----
    Dormand & Prince, *A family of embedded Runge-Kutta formulae* (1980); step control and
    starting step of Hairer, Norsett & Wanner, *Solving Ordinary Differential Equations I* (1993).
    """

    name: ClassVar[str] = "dopri5"
    order: ClassVar[int] = 5

    def _run(self, f: RHS, y0: Any, times: Any, observe: Observer, jac: Jacobian) -> Stats:
        rtol, atol, max_steps = self.rtol, self.atol, self.max_steps
        stats = Stats(method=self.name)
        y0 = np.ascontiguousarray(y0)
        shape = y0.shape
        n = y0.size
        Y = np.empty((8, n), dtype=y0.dtype)  # row 0: y, rows 1..7: the stages K_0..K_6
        Y[0] = y0.ravel()
        y_new = np.empty(n, dtype=Y.dtype)
        err = np.empty(n, dtype=Y.dtype)
        y_out = np.empty(n, dtype=Y.dtype)
        b1, b2 = np.empty(n), np.empty(n)  # scratch of the error norm
        rows = [Y[i].reshape(shape) for i in range(8)]
        y_new_m = y_new.reshape(shape)
        nfev = 0

        t = float(times[0])
        observe(0, rows[0])
        i_out = 1
        if i_out == len(times):
            return stats
        t_end = float(times[-1])
        f(t, rows[0], rows[1])
        nfev += 1
        h = _first_step(f, t, Y, rows, y_new, y_new_m, t_end - t, rtol, atol)
        nfev += 1

        rejected = False
        coef = np.zeros(8)
        coef[0] = 1.0
        while t < t_end:
            if stats.nsteps + stats.nrejected >= max_steps:
                raise IntegrationError(
                    f"Dopri5: reached max_steps={max_steps} at t={t:.6g} (t_end={t_end:.6g}); "
                    "the problem may be stiff (try qbath.ode.BDF()) or the tolerances too tight",
                    t,
                )
            h = min(h, t_end - t)
            last = h >= t_end - t
            for i in range(1, 6):  # stages 2..6
                np.multiply(_A[i], h, out=coef[1 : i + 1])
                np.dot(coef[: i + 1], Y[: i + 1], out=y_new)
                f(t + _C[i] * h, y_new_m, rows[i + 1])
            np.multiply(_B, h, out=coef[1:7])
            np.dot(coef[:7], Y[:7], out=y_new)
            t_new = t_end if last else t + h
            f(t_new, y_new_m, rows[7])
            nfev += 6
            np.dot(h * _E, Y[1:8], out=err)
            en = _rms_scaled(err, Y[0], y_new, rtol, atol, b1, b2)
            if en <= 1.0:  # also False for NaN: a non-finite trial step is rejected
                i_out = _dense_output(times, i_out, t, t_new, h, Y, coef, y_out, y_new_m, observe)
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
                h *= max(0.2, 0.9 * en**-0.2) if math.isfinite(en) else 0.2
                rejected = True
                if h < 1e-14 * max(1.0, abs(t)):
                    raise IntegrationError(
                        f"Dopri5: step size underflow at t={t:.6g} (h={h:.3g}); the solution "
                        "diverges or is not finite there",
                        t,
                    )
            coef[1:] = 0.0
        stats.nfev = nfev
        return stats
