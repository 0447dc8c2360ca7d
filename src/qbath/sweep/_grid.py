"""Sweep grids: ``--param KEY=SPEC`` parsing and the Cartesian product of the axes.

A value SPEC is one of

* ``start:stop:num`` -- ``num`` evenly spaced values from ``start`` to ``stop`` inclusive
  (``numpy.linspace``); ``start:stop:num:log`` spaces them geometrically (``numpy.geomspace``);
* ``a,b,c`` -- an explicit list;
* a single number.

In a ``[sweep.params]`` table the value may also be a TOML list of numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config._schema import ConfigError, _is_real, _shown

__all__ = ["Axis", "Grid", "parse_values", "parse_param"]

_SPEC_HELP = "'start:stop:num' (inclusive linspace), 'start:stop:num:log', 'a,b,c' or a number"


def _number(key: str, text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise ConfigError(key, f"a grid {_SPEC_HELP}", f"{text!r} (not a number)") from None
    if not math.isfinite(v):
        raise ConfigError(key, "finite grid values", repr(text))
    return v


def parse_values(key: str, spec: Any) -> list[float]:
    """The grid values of one sweep axis (see the module docstring for the forms)."""
    if _is_real(spec):
        if not math.isfinite(spec):
            raise ConfigError(key, "finite grid values", _shown(spec))
        return [float(spec)]
    if isinstance(spec, list):
        if not spec or not all(_is_real(v) for v in spec):
            raise ConfigError(key, "a non-empty list of numbers", _shown(spec))
        if not all(math.isfinite(v) for v in spec):
            raise ConfigError(key, "finite grid values", _shown(spec))
        vals = [float(v) for v in spec]
    elif isinstance(spec, str):
        text = spec.strip()
        if ":" in text:
            parts = text.split(":")
            log = len(parts) == 4 and parts[3].strip() == "log"
            if len(parts) not in (3, 4) or (len(parts) == 4 and not log):
                raise ConfigError(key, f"a grid {_SPEC_HELP}", repr(spec))
            start, stop = _number(key, parts[0]), _number(key, parts[1])
            num_f = _number(key, parts[2])
            if not num_f.is_integer() or num_f < 1:
                raise ConfigError(
                    key, "a number of grid points >= 1 after the second ':'", repr(parts[2])
                )
            num = int(num_f)
            if log:
                if start <= 0 or stop <= 0:
                    raise ConfigError(key, "positive start and stop for a ':log' grid", repr(spec))
                vals = np.geomspace(start, stop, num).tolist()
            else:
                vals = np.linspace(start, stop, num).tolist()
        else:
            vals = [_number(key, t) for t in text.split(",") if t.strip()]
            if not vals:
                raise ConfigError(key, f"a grid {_SPEC_HELP}", repr(spec))
    else:
        raise ConfigError(key, f"a grid {_SPEC_HELP}", _shown(spec))
    if len(set(vals)) != len(vals):
        raise ConfigError(key, "distinct grid values", _shown(spec))
    return vals


def parse_param(text: str) -> tuple[str, list[float]]:
    """``"kappa=0:2:41"`` -> ``("kappa", [0.0, 0.05, ..., 2.0])``."""
    if "=" not in text:
        raise ConfigError("--param", f"KEY=SPEC with SPEC {_SPEC_HELP}", repr(text))
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
