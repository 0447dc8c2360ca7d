r"""Methods that drive SciPy's steppers: :class:`DOP853` (explicit, order 8) and :class:`BDF`.

Both step a :class:`scipy.integrate.OdeSolver` and evaluate its dense output at the output times,
so the step size is chosen by the error control alone and nothing of size ``len(times) x state`` is
stored. Both accept complex states directly (SciPy's ``DOP853`` and ``BDF`` work in the complex
domain), so a density matrix is integrated as it is.

* ``DOP853`` is SciPy's implementation of Hairer's ``dop853`` (Hairer, Norsett & Wanner, *Solving
  Ordinary Differential Equations I*, 1993, II.10): the 12-stage order-8 pair of Dormand & Prince
  with its 3-stage order-7 dense output. A wrapper rather than our own tableau: the coefficients
  are long irrational numbers (easy to mistype, hard to test beyond the fitted order), the spin
  solvers' published numbers come from exactly this stepper, and at the small state sizes where an
  order-8 method pays off the per-step Python overhead is what matters, not the array passes.
* ``BDF`` is SciPy's variable-order (1..5) backward differentiation formula in the quasi-constant
  step-size form of Shampine & Reichelt, *The MATLAB ODE Suite* (1997). With a constant sparse
  Jacobian (for a GKSL problem the sparse Liouvillian) every Newton matrix :math:`I - c\,hJ` is
  factorised by a sparse LU, so a stiff problem costs a few hundred steps instead of the
  :math:`10^7` of an explicit method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import scipy.integrate as si

from ._base import (
    RHS,
    AdaptiveMethod,
    IntegrationError,
    Jacobian,
    Observer,
    Stats,
    as_sparse_jacobian,
)


def _run_stepper(
    method: Any,
    stepper: type,
    f: RHS,
    y0: np.ndarray,
    times: np.ndarray,
    observe: Observer,
    extra: dict[str, Any],
) -> Stats:
    """Step ``stepper`` from times[0] to times[-1], observing the dense output at every time."""
    stats = Stats(method=method.name)
    shape = y0.shape
    y_init = np.array(y0, copy=True).ravel()
    observe(0, y_init.reshape(shape))
    if times.size == 1:
        return stats

    def fun(t: float, y: np.ndarray) -> np.ndarray:
        y = np.ascontiguousarray(y)  # finite-difference Jacobians pass columns of a matrix
        out = np.empty_like(y)  # a fresh array: the steppers keep the returned derivatives
        f(t, y.reshape(shape), out.reshape(shape))
        return out

    solver = stepper(
        fun,
        float(times[0]),
        y_init,
        float(times[-1]),
        rtol=method.rtol,
        atol=method.atol,
        **extra,
    )
    k = 1
    while k < times.size:
        if stats.nsteps >= method.max_steps:
            raise IntegrationError(
                f"{type(method).__name__}: reached max_steps={method.max_steps} at "
                f"t={solver.t:.6g} (t_end={times[-1]:.6g}); the problem may be stiff or the "
                "tolerances too tight",
                solver.t,
            )
        message = solver.step()
        stats.nsteps += 1
        if solver.status == "failed" or not np.all(np.isfinite(solver.y)):
            raise IntegrationError(
                f"{type(method).__name__}: integration failed at t={solver.t:.6g}: "
                f"{message or 'the state is no longer finite'}",
                solver.t,
            )
        if times[k] <= solver.t:
            interp = solver.dense_output()
            while k < times.size and times[k] <= solver.t:
                y = solver.y if times[k] == solver.t else interp(times[k])
                observe(k, y.reshape(shape))
                k += 1
    stats.nfev = int(solver.nfev)
    stats.njev = int(getattr(solver, "njev", 0))
    stats.nlu = int(getattr(solver, "nlu", 0))
    return stats


@dataclass(frozen=True)
class DOP853(AdaptiveMethod):
    r"""Adaptive explicit Runge--Kutta of order 8 (Dormand--Prince 8(5,3), SciPy's ``DOP853``).

    For smooth problems at tight tolerances (rtol below ~1e-8) it takes far fewer steps than
    :class:`Dopri5`.

    Parameters
    ----------
    rtol : float
        Relative tolerance, 0 < rtol < 1 (default 1e-6).
    atol : float
        Absolute tolerance, > 0 (default 1e-8).
    max_steps : int
        Budget of steps (default 100000).

    Notes
    -----
    Hairer, Norsett & Wanner, *Solving Ordinary Differential Equations I* (1993), II.10.
    """

    name: ClassVar[str] = "dop853"
    order: ClassVar[int] = 8

    def _run(self, f: RHS, y0: Any, times: Any, observe: Observer, jac: Jacobian) -> Stats:
        return _run_stepper(self, si.DOP853, f, y0, times, observe, {})


@dataclass(frozen=True)
class BDF(AdaptiveMethod):
    r"""Implicit variable-order backward differentiation formulas for stiff problems (SciPy's
    ``BDF``).

    Parameters
    ----------
    rtol, atol, max_steps : float, float, int
        Tolerances and step budget, as for :class:`DOP853` (defaults 1e-6, 1e-8 and 100000).

    Notes
    -----
    A solver that knows the Jacobian hands it over (``mesolve``: the sparse Liouvillian, so the
    Newton matrices are sparse LU factorisations); otherwise SciPy estimates a dense one by finite
    differences. Shampine & Reichelt, *The MATLAB ODE Suite* (1997).
    """

    name: ClassVar[str] = "bdf"
    implicit: ClassVar[bool] = True
    order: ClassVar[int] = 5

    def _run(self, f: RHS, y0: Any, times: Any, observe: Observer, jac: Jacobian) -> Stats:
        extra = {} if jac is None else {"jac": as_sparse_jacobian(jac)}
        return _run_stepper(self, si.BDF, f, y0, times, observe, extra)
