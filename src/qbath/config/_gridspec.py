"""The values of one sweep axis, as written in ``--param KEY=SPEC`` or a ``[sweep.params]`` table.

A value SPEC is one of

* ``start:stop:num`` -- ``num`` evenly spaced values from ``start`` to ``stop`` inclusive
  (``numpy.linspace``); ``start:stop:num:log`` spaces them geometrically (``numpy.geomspace``);
* ``a,b,c`` -- an explicit list;
* a single number.

In a ``[sweep.params]`` table the value may also be a TOML list of numbers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._schema import ConfigError, _is_real, _shown

__all__ = ["GRID_SPEC_HELP", "parse_grid_values"]

#: the forms of a grid SPEC, for error messages
GRID_SPEC_HELP = "'start:stop:num' (inclusive linspace), 'start:stop:num:log', 'a,b,c' or a number"


def _number(key: str, text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise ConfigError(key, f"a grid {GRID_SPEC_HELP}", f"{text!r} (not a number)") from None
    if not math.isfinite(v):
        raise ConfigError(key, "finite grid values", repr(text))
    return v


def parse_grid_values(key: str, spec: Any) -> list[float]:
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
                raise ConfigError(key, f"a grid {GRID_SPEC_HELP}", repr(spec))
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
                raise ConfigError(key, f"a grid {GRID_SPEC_HELP}", repr(spec))
    else:
        raise ConfigError(key, f"a grid {GRID_SPEC_HELP}", _shown(spec))
    if len(set(vals)) != len(vals):
        raise ConfigError(key, "distinct grid values", _shown(spec))
    return vals
