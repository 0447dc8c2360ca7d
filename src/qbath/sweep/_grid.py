"""Sweep grids: ``--param KEY=SPEC`` parsing and the Cartesian product of the axes.

A value SPEC is parsed by :func:`qbath.config.parse_grid_values` (``start:stop:num``,
``start:stop:num:log``, ``a,b,c`` or a number), the same grammar as a ``[sweep.params]`` table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..config import GRID_SPEC_HELP, ConfigError
from ..config import parse_grid_values as parse_values

__all__ = ["Axis", "Grid", "parse_values", "parse_param"]


def parse_param(text: str) -> tuple[str, list[float]]:
    """``"kappa=0:2:41"`` -> ``("kappa", [0.0, 0.05, ..., 2.0])``."""
    if "=" not in text:
        raise ConfigError("--param", f"KEY=SPEC with SPEC {GRID_SPEC_HELP}", repr(text))
    key, spec = text.split("=", 1)
    key = key.strip()
    if not key:
        raise ConfigError("--param", "a key before '='", repr(text))
    return key, parse_values(key, spec)


@dataclass(frozen=True)
class Axis:
    """One sweep axis: the full dotted config ``key``, its coordinate ``name`` and its ``values``."""

    key: str
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Grid:
    """The Cartesian product of the axes; point ``p`` enumerates it in C (row-major) order."""

    axes: tuple[Axis, ...]

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a.values) for a in self.axes)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape)) if self.axes else 1

    def point(self, p: int) -> dict[str, float]:
        """``{key: value}`` of point ``p``."""
        idx = np.unravel_index(p, self.shape) if self.axes else ()
        return {a.key: a.values[i] for a, i in zip(self.axes, idx, strict=True)}

    def points(self, indices: Sequence[int]) -> list[dict[str, float]]:
        return [self.point(int(p)) for p in indices]
