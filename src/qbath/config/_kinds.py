"""The registry of model kinds known to ``qbath run`` and ``qbath sweep``."""

from __future__ import annotations

from .._errors import InputError
from ._problems import Problem
from ._schema import Choice, Str, Table
from ._sections import output_table, sweep_table
from .kinds import BUILTIN

__all__ = ["KINDS", "register_kind", "top_level_schema", "kind_problem"]


#: kind name -> :class:`Problem` subclass; extend with :func:`register_kind`
KINDS: dict[str, type[Problem]] = {p.kind: p for p in BUILTIN}


def register_kind(problem: type[Problem], *, replace: bool = False) -> None:
    """Make a :class:`Problem` subclass available as ``kind = problem.kind`` in configurations.

    The class must be importable by name (defined at module level) for ``qbath sweep`` to ship it
    to Dask workers.
    """
    if not (isinstance(problem, type) and issubclass(problem, Problem)) or not problem.kind:
        raise InputError(f"problem: expected a Problem subclass with a non-empty .kind, got {problem!r}")
    if problem.kind in KINDS and not replace:
        raise InputError(f"problem: expected a new kind name, got {problem.kind!r} (already registered)")
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
