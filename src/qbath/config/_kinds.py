"""The registry of model kinds known to ``qbath run`` and ``qbath sweep``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._errors import InputError
from ._problems import Problem
from ._schema import Choice, Str, Table
from ._sections import output_table, sweep_table
from .kinds import BUILTIN

__all__ = ["KINDS", "register_kind", "top_level_schema", "kind_problem", "batch_evaluator"]


#: kind name -> :class:`Problem` subclass; extend with :func:`register_kind`
KINDS: dict[str, type[Problem]] = {p.kind: p for p in BUILTIN}


def register_kind(problem: type[Problem], *, replace: bool = False) -> None:
    """Make a :class:`Problem` subclass available as ``kind = problem.kind`` in configurations.

    The class must be importable by name (defined at module level) for ``qbath sweep`` to ship it
    to Dask workers.
    """
    if not (isinstance(problem, type) and issubclass(problem, Problem)) or not problem.kind:
        raise InputError(
            f"problem: expected a Problem subclass with a non-empty .kind, got {problem!r}"
        )
    if problem.kind in KINDS and not replace:
        raise InputError(
            f"problem: expected a new kind name, got {problem.kind!r} (already registered)"
        )
    KINDS[problem.kind] = problem


def kind_problem(kind: str) -> type[Problem]:
    """The :class:`Problem` subclass registered as ``kind``."""
    if kind not in KINDS:
        raise InputError(f"kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    return KINDS[kind]


def top_level_schema(kind: str) -> Table:
    """The schema of a whole configuration of the given kind."""
    p = kind_problem(kind)
    return Table(
        fields={
            "kind": Choice(tuple(KINDS)),
            "title": Str(default=None),
            "model": p.model_spec,
            "initial": p.initial_spec,
            "solver": p.solver_spec,
            "output": output_table(p.default_expect),
            "sweep": sweep_table(p.default_outputs),
        }
    )


def batch_evaluator(problem: type[Problem]) -> Callable[..., list[Any]] | None:
    """The kind's batched evaluation of many sweep points, or None when it has none.

    A kind that can solve many points in one vectorised call defines a classmethod
    ``evaluate_batch(datas, names)``: ``datas`` are validated configurations of the kind,
    ``names`` validated scalar outputs; it returns one entry per point, ``{name: value}`` for the
    points it solved and ``None`` for those it leaves to the per-point path
    (:func:`qbath.config.evaluate_data`, which also records their errors). Its values equal the
    per-point ones to the solver's tolerance, and depend only on the set of points passed.
    """
    hook = getattr(problem, "evaluate_batch", None)
    return hook if callable(hook) else None
