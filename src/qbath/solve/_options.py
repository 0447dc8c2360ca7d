r"""The options the solvers share, validated in one place, and their progress meters.

Every solver (:func:`~qbath.mesolve`, :func:`~qbath.sesolve`, :func:`~qbath.mcsolve` and both of its
engines, :func:`~qbath.propagator`) passes its keyword options through :func:`solve_options`, so a
bad value gets the same message everywhere and a new shared option is added once. The
trajectory options (``ntraj``, ``seed``, ``block_size``) have their own :func:`trajectory_options`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_bool, check_choice, check_int
from .._errors import InputError, QbathWarning
from .._progress import Meter, meter
from ..generators import check_args
from ..ode import Method, check_method

__all__ = [
    "SolveOptions",
    "solve_options",
    "TrajectoryOptions",
    "trajectory_options",
    "progress_meter",
    "observing",
]

Observer = Callable[[int, np.ndarray], None]

#: interpolations of array coefficients (:mod:`qbath.generators`)
INTERPOLATIONS = ("cubic", "step")


@dataclass(frozen=True)
class SolveOptions:
    """Validated keyword options of one solver call.

    Attributes
    ----------
    args : dict
        Coefficient arguments (empty when none were given).
    method : qbath.ode.Method or None
        The integration method (the solver's default filled in), None where no method applies.
    store_states : bool
    interpolation : {"cubic", "step"}
    progress : bool
        Show a progress meter (:func:`qbath._progress.meter`).
    """

    args: dict[str, Any]
    method: Method | None
    store_states: bool
    interpolation: str
    progress: bool


def solve_options(
    *,
    args: Any = None,
    method: Any = None,
    store_states: Any = False,
    interpolation: Any = "cubic",
    progress: Any = False,
    default_method: Method | None = None,
    explicit_only: str | None = None,
) -> SolveOptions:
    """Validate the shared keyword options; ``method=None`` becomes ``default_method``.

    ``explicit_only`` names what needs an explicit method (e.g. a block of kets): an implicit
    method is then refused with that reason.
    """
    store_states = check_bool("store_states", store_states)
    progress = check_bool("progress", progress)
    interpolation = check_choice("interpolation", interpolation, INTERPOLATIONS)
    args = check_args(args)
    method = default_method if method is None else check_method(method)
    if explicit_only is not None and method is not None and method.implicit:
        raise InputError(
            f"method: {explicit_only} with an explicit method (qbath.Dopri5(), qbath.DOP853(), "
            f"qbath.RK4(dt=...)), got the implicit {method!r}"
        )
    return SolveOptions(args, method, store_states, interpolation, progress)


def warn_unused_args(args: dict[str, Any], time_dependent: bool, stacklevel: int = 3) -> None:
    """Warn when coefficient arguments were given for a constant problem (nothing uses them)."""
    if args and not time_dependent:
        warnings.warn(
            "args: the Hamiltonian is constant, so its coefficient arguments are not used",
            QbathWarning,
            stacklevel=stacklevel,
        )


@dataclass(frozen=True)
class TrajectoryOptions:
    """Validated options of a trajectory run: ``ntraj`` >= 1, an integer ``seed`` or None, a
    ``block_size`` >= 1 or None."""

    ntraj: int
    seed: int | None
    block_size: int | None


def trajectory_options(
    ntraj: Any, seed: Any, block_size: Any = None, stacklevel: int = 3
) -> TrajectoryOptions:
    """Validate the trajectory options; ``ntraj=1`` warns (its standard error is undefined)."""
    ntraj = check_int("ntraj", ntraj, minimum=1)
    if seed is not None:
        seed = check_int("seed", seed)
    if block_size is not None:
        block_size = check_int("block_size", block_size, minimum=1)
    if ntraj == 1:
        warnings.warn(
            "mcsolve: ntraj=1 gives no standard error (expect_std_err is NaN); use ntraj >= 2",
            QbathWarning,
            stacklevel=stacklevel,
        )
    return TrajectoryOptions(ntraj, seed, block_size)


@contextmanager
def progress_meter(desc: str, total: float, enabled: bool, **kwargs: Any) -> Iterator[Meter | None]:
    """A :func:`qbath._progress.meter` over ``total`` (closed on exit), or None when not asked for."""
    if not enabled:
        yield None
        return
    with meter(total, desc, logger="qbath.solve", **kwargs) as bar:
        yield bar


@contextmanager
def observing(desc: str, times: np.ndarray, enabled: bool, observe: Observer) -> Iterator[Observer]:
    """The observer to hand to the ODE layer: ``observe`` itself, or with ``enabled`` ``observe``
    followed by moving a meter to the fraction of ``times`` covered (the state is only read, so
    no number changes)."""
    if not enabled:
        yield observe
        return
    t0 = float(times[0])
    with progress_meter(desc, float(times[-1]) - t0, True) as bar:
        assert bar is not None

        def observe_and_show(i: int, y: np.ndarray) -> None:
            observe(i, y)
            bar.advance_to(float(times[i]) - t0)

        yield observe_and_show
