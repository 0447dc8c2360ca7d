r"""The ODE layer's shared pieces: the method base class, work counters, the time grid, errors.

A right-hand side is a callable ``f(t, y, out)`` that writes :math:`\dot y = f(t, y)` into ``out``
(same shape and dtype as ``y``); it must not keep references to ``y`` or ``out``. An *observer*
``observe(i, y)`` is called once for every output time ``times[i]`` with the state there; ``y`` is a
view that the method overwrites afterwards, so an observer copies what it keeps. Nothing of size
``len(times) x state`` is stored by the layer itself.
"""

from __future__ import annotations

import dataclasses
import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from .._checks import check_int, check_real_scalar
from .._checks import check_times as _check_time_grid
from .._errors import InputError

RHS = Callable[[float, np.ndarray, np.ndarray], None]
Observer = Callable[[int, np.ndarray], None]
#: a Jacobian: a constant (n, n) matrix (dense or scipy sparse) or a callable ``jac(t, y)``
Jacobian = Any

#: the one set of default tolerances of the adaptive methods (QuTiP's defaults, so a
#: ``qb.mesolve`` and a ``qutip.mesolve`` with default options work to the same accuracy)
DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-8
#: default step budget (accepted plus rejected steps) of the adaptive methods
DEFAULT_MAX_STEPS = 100_000


class IntegrationError(RuntimeError):
    """The integration could not continue: step budget spent, step-size underflow, a diverging
    solution or a failed implicit solve.

    Attributes
    ----------
    t : float
        Time reached when the integration stopped.
    """

    def __init__(self, message: str, t: float):
        super().__init__(message)
        self.t = float(t)


class StepSizeError(InputError, IntegrationError):
    """A fixed step is beyond the method's stability limit for this problem (the state diverged).

    Both an :class:`~qbath.InputError` (the argument ``dt`` is wrong) and an
    :class:`IntegrationError` (carries the time ``t`` reached).
    """

    def __init__(self, message: str, t: float):  # ValueError.__init__ would come first in the MRO
        IntegrationError.__init__(self, message, t)


@dataclass
class Stats:
    """Work counters of one integration.

    Attributes
    ----------
    method : str
        Registry name of the method.
    nfev : int
        Right-hand-side evaluations.
    nsteps, nrejected : int
        Accepted and rejected steps.
    njev, nlu : int
        Jacobian evaluations and LU decompositions (implicit methods).
    """

    method: str
    nfev: int = 0
    nsteps: int = 0
    nrejected: int = 0
    njev: int = 0
    nlu: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def check_times(times: Any, name: str = "times") -> np.ndarray:
    """The output-time grid of every integration: 1-D, real, finite, strictly increasing.

    A single time is allowed (the result holds the initial state only); repeated times are refused
    (a time grid, not a list of requests). Complex, boolean and string entries are refused, not
    converted. ``times[0]`` is the time of the initial state.

    Returns
    -------
    (T,) float ndarray
    """
    arr = np.asarray(times)
    if arr.dtype.kind not in "iuf":
        raise InputError(
            f"{name}: expected real times, got an array of dtype {arr.dtype} and shape {arr.shape}"
        )
    return _check_time_grid(name, arr, min_length=1)


class Method(ABC):
    """An integration method: a small immutable options object with an ``integrate`` routine.

    Subclasses are frozen dataclasses that validate their options in ``__post_init__`` and set
    the class attributes ``name`` (the registry name) and ``implicit``.
    """

    name: ClassVar[str]
    #: implicit methods use a Jacobian (solvers hand one over when they know it)
    implicit: ClassVar[bool] = False

    def integrate(
        self,
        f: RHS,
        y0: np.ndarray,
        times: np.ndarray,
        observe: Observer,
        *,
        jac: Jacobian = None,
    ) -> Stats:
        """Integrate :math:`\\dot y = f(t, y)` from ``y(times[0]) = y0``.

        Parameters
        ----------
        f : callable ``f(t, y, out)``
            Writes dy/dt into ``out`` (shape and dtype of ``y0``).
        y0 : ndarray
            Initial state, any shape, real or complex (not modified).
        times : (T,) ndarray
            Output times (:func:`check_times`); ``times[0]`` is the initial time.
        observe : callable ``observe(i, y)``
            Called for every ``i`` in ``range(T)`` with :math:`y(t_i)` (a view; copy to keep).
        jac : matrix or callable, optional
            :math:`\\partial f/\\partial y` on the flattened state, constant or ``jac(t, y)``;
            used by implicit methods only.

        Returns
        -------
        Stats

        Raises
        ------
        IntegrationError
            If the integration cannot reach ``times[-1]``.
        """
        return self._run(f, y0, times, observe, jac)

    @abstractmethod
    def _run(self, f: RHS, y0: Any, times: Any, observe: Observer, jac: Jacobian) -> Stats:
        """The method's integration loop (arguments as :meth:`integrate`)."""

    def options(self) -> dict[str, Any]:
        """The method's name and options, for provenance records."""
        return {"name": self.name, **dataclasses.asdict(self)}  # type: ignore[call-overload]


# ---- option validators ------------------------------------------------------------------------


def check_positive(name: str, x: Any) -> float:
    """A real option > 0; strings, bools and complex numbers are refused, not converted."""
    if isinstance(x, (str, bytes, bool, np.bool_)):
        raise InputError(f"{name}: expected a real number, got {type(x).__name__} {x!r}")
    return check_real_scalar(name, x, minimum=0.0, strict=True)


def check_rtol(rtol: Any) -> float:
    """A relative tolerance: real, 0 < rtol < 1."""
    v = check_positive("rtol", rtol)
    if not v < 1.0:
        raise InputError(f"rtol: expected a relative tolerance 0 < rtol < 1, got {v}")
    return v


def check_atol(atol: Any) -> float:
    """An absolute tolerance: real, > 0."""
    return check_positive("atol", atol)


def check_max_steps(max_steps: Any) -> int:
    """A step budget: a positive Python/numpy integer (floats and bools refused)."""
    return check_int("max_steps", max_steps, minimum=1)


def set_fields(obj: Any, **values: Any) -> None:
    """Store validated values on a frozen dataclass instance."""
    for k, v in values.items():
        object.__setattr__(obj, k, v)


# ---- divergence diagnostics ---------------------------------------------------------------------


def spectral_radius(f: RHS, t: float, y: np.ndarray, iterations: int = 40) -> float:
    r"""Estimate the largest :math:`|\lambda|` of :math:`\partial f/\partial y` at ``(t, y)``.

    Power iteration on finite differences :math:`J v \approx (f(y + \epsilon v) - f(y))/\epsilon`
    (exact for linear problems); the largest ratio :math:`\|Jv\|/\|v\|` of the last iterations is
    returned, which also bounds a complex pair of eigenvalues from below.
    """
    rng = np.random.default_rng(0)
    v = rng.standard_normal(y.shape)
    if np.iscomplexobj(y):
        v = v + 1j * rng.standard_normal(y.shape)
    v = v.astype(y.dtype)
    f0 = np.empty_like(y)
    f1 = np.empty_like(y)
    f(t, y, f0)
    scale = max(1.0, float(np.max(np.abs(y)))) if y.size else 1.0
    best = 0.0
    for k in range(iterations):
        v /= np.linalg.norm(v)
        eps = 1e-7 * scale
        f(t, y + eps * v, f1)
        jv = (f1 - f0) / eps
        r = float(np.linalg.norm(jv))
        if not math.isfinite(r) or r == 0.0:
            break
        if k >= iterations // 2:
            best = max(best, r)
        v = jv
    return best


def as_sparse_jacobian(jac: Jacobian) -> Jacobian:
    """A constant Jacobian as CSC (what SciPy's implicit steppers factorise), callables unchanged."""
    if jac is None or callable(jac):
        return jac
    return sp.csc_matrix(jac)


@dataclass(frozen=True)
class AdaptiveMethod(Method):
    """An adaptive method: its options are the tolerances ``rtol``, ``atol`` and a budget of
    ``max_steps`` (accepted plus rejected steps), validated once."""

    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL
    max_steps: int = DEFAULT_MAX_STEPS

    def __post_init__(self) -> None:
        set_fields(
            self,
            rtol=check_rtol(self.rtol),
            atol=check_atol(self.atol),
            max_steps=check_max_steps(self.max_steps),
        )
