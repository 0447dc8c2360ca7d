"""Provenance dictionaries <-> netCDF attributes (defined with the result protocol,
:mod:`qbath._result`, which builds Datasets itself; re-exported here).

netCDF attributes hold strings, numbers and 1-D arrays of numbers only. :func:`attrs_from_meta`
keeps such values as they are (booleans become 0/1), writes anything else (nested dicts, lists of
strings, complex numbers, ``None``) as a JSON string, and stores the whole dictionary losslessly as
JSON under ``qbath_meta``; :func:`meta_from_attrs` reads it back.
"""

from __future__ import annotations

from .._result import META_ATTR as META_ATTR
from .._result import attrs_from_meta as attrs_from_meta
from .._result import meta_from_attrs as meta_from_attrs
from .._result import to_jsonable as to_jsonable

__all__ = ["attrs_from_meta", "meta_from_attrs", "to_jsonable"]
