"""Provenance dictionaries <-> netCDF attributes.

netCDF attributes hold strings, numbers and 1-D arrays of numbers only. :func:`attrs_from_meta`
keeps such values as they are (booleans become 0/1), writes anything else (nested dicts, lists of
strings, complex numbers, ``None``) as a JSON string, and stores the whole dictionary losslessly as
JSON under ``qbath_meta``; :func:`meta_from_attrs` reads it back.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["attrs_from_meta", "meta_from_attrs", "to_jsonable"]

META_ATTR = "qbath_meta"


def to_jsonable(v: Any) -> Any:
    """A JSON-serialisable copy: numpy -> Python, complex -> ``{"re", "im"}``, non-finite -> str."""
    if isinstance(v, Mapping):
        return {str(k): to_jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_jsonable(x) for x in v]
    if isinstance(v, np.ndarray):
        return to_jsonable(v.tolist())
    if isinstance(v, np.generic):
        return to_jsonable(v.item())
    if isinstance(v, complex):
        return {"re": to_jsonable(v.real), "im": to_jsonable(v.imag)}
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)  # 'inf', '-inf', 'nan'
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return repr(v)


def _attr_value(v: Any) -> Any:
    """A netCDF-storable attribute value."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float, str)):
        return v
    if isinstance(v, (list, tuple, np.ndarray)):
        arr = np.asarray(v) if not isinstance(v, np.ndarray) else v
        if arr.ndim == 1 and arr.size and arr.dtype.kind in "iuf":
            return arr
    return json.dumps(to_jsonable(v), sort_keys=True)


def attrs_from_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """netCDF attributes for a provenance dictionary (``result.meta``, :func:`qbath._meta.make_meta`).

    Each key becomes one attribute; ``qbath_meta`` holds the whole dictionary as JSON.
    """
    attrs = {str(k): _attr_value(v) for k, v in meta.items()}
    attrs[META_ATTR] = json.dumps(to_jsonable(dict(meta)), sort_keys=True)
    return attrs


def meta_from_attrs(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The provenance dictionary stored by :func:`attrs_from_meta` (``ds.attrs`` in, dict out)."""
    if META_ATTR in attrs:
        return json.loads(attrs[META_ATTR])
    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in attrs.items()}
