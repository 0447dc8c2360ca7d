"""Run a validated configuration: a trajectory Dataset (``qbath run``) or named scalars (``sweep``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from ._config import Config
from ._kinds import kind_problem
from ._pauli import observable
from ._problems import DensityProblem, Problem

__all__ = ["run_config", "evaluate_outputs", "evaluate_data", "make_problem"]

log = logging.getLogger("qbath.config")


def make_problem(cfg: Config) -> Problem:
    """The model kind's :class:`Problem` for a validated configuration (nothing computed yet)."""
    return kind_problem(cfg.kind)(cfg.data)


def run_config(cfg: Config) -> Any:
    """Solve the configuration's model and return an ``xarray.Dataset``.

    Variables: ``expect_<obs>`` for each ``output.expect`` observable; for density-matrix kinds
    ``l1_coherence``, ``purity`` and ``entropy`` along the trajectory; the kind's own variables (the
    collision ledger, spin Bloch vectors, ...); with ``output.states = true`` the complex ``states``.
    Attributes: the result's provenance (``qbath_version``, ``conventions``, parameters, method),
    ``config`` (the validated configuration as JSON), ``config_kind`` and ``title``.
    """
    from ..io import to_dataset

    log.info("running %s (kind %s)", cfg.name, cfg.kind)
    problem = make_problem(cfg)
    expect = None
    if isinstance(problem, DensityProblem):
        expect = {name: observable(name, problem.n) for name in cfg.data["output"]["expect"]}
    attrs = {"config": cfg.to_json(), "config_kind": cfg.kind, "title": cfg.name}
    return to_dataset(problem.result, expect=expect, states=cfg.data["output"]["states"], attrs=attrs)


def evaluate_outputs(cfg: Config, outputs: Sequence[str] | None = None) -> dict[str, float]:
    """Named scalar outputs of one configuration (default: its ``sweep.outputs``).

    Names are validated (a ``ConfigError`` names ``sweep.outputs[i]`` for an unknown one); the model
    is solved at most once for all of them.
    """
    names = list(cfg.data["sweep"]["outputs"] if outputs is None else outputs)
    problem_cls = kind_problem(cfg.kind)
    for i, name in enumerate(names):
        problem_cls.check_output(f"sweep.outputs[{i}]", name, cfg.data)
    return evaluate_data(problem_cls, cfg.data, names)


def evaluate_data(problem_cls: type[Problem], data: Mapping[str, Any], names: Sequence[str]) -> dict[str, float]:
    """Scalars of already validated ``data`` (what a sweep worker runs)."""
    problem = problem_cls(data)
    return {name: problem.scalar(name) for name in names}
