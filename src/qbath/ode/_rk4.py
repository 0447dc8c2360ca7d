r"""The classical fixed-step fourth-order Runge--Kutta method: :class:`RK4`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ._base import (
    RHS,
    IntegrationError,
    Jacobian,
    Method,
    Observer,
    Stats,
    StepSizeError,
    check_positive,
    set_fields,
    spectral_radius,
)

#: RK4 is stable for h|lambda| up to 2.785 on the negative real axis (2.828 on the imaginary one)
STABILITY_LIMIT = 2.785
#: a state that grew by more than this factor since the start is checked for instability
GROWTH_ALARM = 1e8
#: the size of the state is checked every this many steps (and at every output time)
CHECK_EVERY = 16


@dataclass(frozen=True)
class RK4(Method):
    r"""Classical Runge--Kutta of order 4 with a fixed step.

    Between two output times :math:`t_{i-1}, t_i` the step is
    :math:`(t_i - t_{i-1}) / \lceil (t_i - t_{i-1})/\mathrm{dt}\rceil \le \mathrm{dt}`, so every
    output time is hit exactly.

    Parameters
    ----------
    dt : float
        Largest step, > 0.

    Notes
    -----
    The state is watched during the integration: if it becomes non-finite, or grows by more than
    1e8 while the step is beyond the stability limit :math:`h|\lambda_\max| \lesssim 2.785`
    (:math:`|\lambda_\max|` estimated by power iteration on the right-hand side), a
    :class:`~qbath.ode.StepSizeError` (an :class:`~qbath.InputError`) names the step and the limit.
    Kutta, *Beitrag zur näherungsweisen Integration totaler Differentialgleichungen* (1901).
    """

    dt: float

    name: ClassVar[str] = "rk4"
    order: ClassVar[int] = 4

    def __post_init__(self) -> None:
        set_fields(self, dt=check_positive("dt", self.dt))

    def _diverged(self, f: RHS, t: float, y0: np.ndarray, h: float, what: str) -> None:
        """Raise the right error for a state that ``what`` (blew up / is not finite) at ``t``."""
        lam = spectral_radius(f, t, np.array(y0, copy=True))
        if lam > 0 and h * lam > STABILITY_LIMIT:
            raise StepSizeError(
                f"dt: RK4(dt={self.dt:g}) is unstable for this problem: the state {what} at "
                f"t={t:.6g}; the step h={h:.4g} gives h*|lambda_max| = {h * lam:.3g} > "
                f"{STABILITY_LIMIT} (RK4's stability limit; |lambda_max| ~ {lam:.4g}), so dt must "
                f"be below ~{STABILITY_LIMIT / lam:.4g}; or use an adaptive method (Dopri5()) or "
                "BDF() for stiff problems",
                t,
            )
        if what != "grew beyond 1e8 of its initial size":
            raise IntegrationError(
                f"RK4(dt={self.dt:g}): the state {what} at t={t:.6g}, although the step "
                f"h={h:.4g} is within the stability limit (h*|lambda_max| ~ {h * lam:.3g} <= "
                f"{STABILITY_LIMIT}): the solution itself diverges",
                t,
            )

    def _run(self, f: RHS, y0: Any, times: Any, observe: Observer, jac: Jacobian) -> Stats:
        stats = Stats(method=self.name)
        y = np.array(y0, copy=True, order="C")
        k = [np.empty_like(y) for _ in range(4)]
        tmp = np.empty_like(y)
        scale0 = max(1.0, float(np.max(np.abs(y)))) if y.size else 1.0
        alarm = GROWTH_ALARM * scale0
        observe(0, y)
        for i in range(1, len(times)):
            t = float(times[i - 1])
            span = float(times[i]) - t
            m = max(1, math.ceil(span / self.dt - 1e-12))
            h = span / m
            for j in range(m):
                s = t + j * h
                f(s, y, k[0])
                np.multiply(k[0], 0.5 * h, out=tmp)
                tmp += y
                f(s + 0.5 * h, tmp, k[1])
                np.multiply(k[1], 0.5 * h, out=tmp)
                tmp += y
                f(s + 0.5 * h, tmp, k[2])
                np.multiply(k[2], h, out=tmp)
                tmp += y
                f(s + h, tmp, k[3])
                k[1] += k[2]
                k[1] *= 2.0
                k[1] += k[0]
                k[1] += k[3]
                k[1] *= h / 6.0
                y += k[1]
                stats.nfev += 4
                stats.nsteps += 1
                if (j + 1) % CHECK_EVERY == 0 or j == m - 1:
                    size = float(np.max(np.abs(y))) if y.size else 0.0
                    if not math.isfinite(size):
                        self._diverged(f, s + h, y0, h, "is no longer finite")
                    elif size > alarm:
                        self._diverged(f, s + h, y0, h, "grew beyond 1e8 of its initial size")
                        alarm = GROWTH_ALARM * size  # a genuinely growing solution: watch on
            observe(i, y)
        return stats
