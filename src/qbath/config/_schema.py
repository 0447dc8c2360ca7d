"""Typed, range-checked fields for TOML configurations.

A configuration is validated against a tree of *specs*: :class:`Table` (a TOML table with known
keys), :class:`Variant` (a table whose keys depend on one selector key, e.g. ``preset``),
:class:`TableList` (an array of tables) and leaf specs (:class:`Real`, :class:`Int`, :class:`Bool`,
:class:`Choice`, :class:`Str`, :class:`RealArray`, :class:`PauliSum`, :class:`ListOf`, ...).

Validation returns plain Python values (``float``, ``int``, ``str``, ``bool``, nested ``list``,
``dict``) with defaults filled in, so a validated configuration is JSON-serialisable and hashes the
same way every time. Every failure raises :class:`ConfigError` whose message names the dotted key,
what was expected and the value given::

    model.kappa: expected a real number >= 0, got -1 (int)
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

import numpy as np

from .._errors import InputError

__all__ = [
    "REQUIRED",
    "ConfigError",
    "Spec",
    "Real",
    "Int",
    "Bool",
    "Str",
    "Choice",
    "RealArray",
    "PauliSum",
    "ListOf",
    "Table",
    "Variant",
    "TableList",
    "Any_",
]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: Marker default: the key must be given.
REQUIRED: Any = _Required()


def _shown(value: Any) -> str:
    """``repr`` of a value with its TOML-ish type, shortened."""
    if value is _MISSING:
        return "nothing (the key is missing)"
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"


class _Missing:
    pass


_MISSING: Any = _Missing()


class ConfigError(InputError):
    """A configuration key is missing, unknown, of the wrong type or out of range.

    The message reads ``<source>: <key>: expected <what>, got <value given>``.

    Attributes
    ----------
    key : str
        Dotted path of the offending key (``"model.kappa"``, ``"model.baths[0].alpha"``).
    expected : str
        What the key accepts (type and range).
    got : str
        The value given, with its type.
    source : str or None
        The configuration file, when known.
    """

    def __init__(self, key: str, expected: str, got: str, source: str | None = None):
        self.key = key
        self.expected = expected
        self.got = got
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{key or '<top level>'}: expected {expected}, got {got}")

    def with_source(self, source: str | None) -> ConfigError:
        """The same error, naming the file it came from."""
        return ConfigError(self.key, self.expected, self.got, source)


def _fail(key: str, expected: str, value: Any) -> ConfigError:
    return ConfigError(key, expected, _shown(value))


def _join(key: str, sub: str | int) -> str:
    if isinstance(sub, int):
        return f"{key}[{sub}]"
    return f"{key}.{sub}" if key else sub


@dataclass(frozen=True)
class Spec:
    """Base class of a field spec: ``validate(key, value) -> plain value``.

    Every spec takes the keywords ``default`` (the value of a missing key; :data:`REQUIRED`, the
    default, makes the key mandatory) and ``doc`` (a one-line description).
    """

    _: KW_ONLY
    default: Any = REQUIRED
    doc: str = ""

    def expected(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def validate(self, key: str, value: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def fill_default(self, key: str) -> Any:
        """The default for a missing key, or a :class:`ConfigError` if the key is required."""
        if self.default is REQUIRED:
            raise ConfigError(key, f"{self.expected()} (required)", _shown(_MISSING))
        return self.default


def _is_real(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_)
    )


def _range_text(
    minimum: float | None, maximum: float | None, strict_min: bool, strict_max: bool
) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if strict_min else '>='} {minimum:g}")
    if maximum is not None:
        parts.append(f"{'<' if strict_max else '<='} {maximum:g}")
    return " and ".join(parts)


@dataclass(frozen=True)
class Real(Spec):
    """A real number in ``[minimum, maximum]`` (strict bounds on request; ``inf`` on request)."""

    minimum: float | None = None
    maximum: float | None = None
    strict_min: bool = False
    strict_max: bool = False
    allow_inf: bool = False

    def expected(self) -> str:
        rng = _range_text(self.minimum, self.maximum, self.strict_min, self.strict_max)
        text = "a real number" + (f" {rng}" if rng else "")
        return text + (" (inf allowed)" if self.allow_inf else "")

    def validate(self, key: str, value: Any) -> float:
        if not _is_real(value):
            raise _fail(key, self.expected(), value)
        v = float(value)
        if math.isnan(v) or (math.isinf(v) and not (self.allow_inf and v > 0)):
            raise _fail(key, self.expected(), value)
        lo, hi = self.minimum, self.maximum
        if lo is not None and (v <= lo if self.strict_min else v < lo):
            raise _fail(key, self.expected(), value)
        if hi is not None and (v >= hi if self.strict_max else v > hi):
            raise _fail(key, self.expected(), value)
        return v


@dataclass(frozen=True)
class Int(Spec):
    """An integer in ``[minimum, maximum]``; an integral float (``10.0``, from a sweep grid) is accepted."""

    minimum: int | None = None
    maximum: int | None = None

    def expected(self) -> str:
        rng = _range_text(self.minimum, self.maximum, False, False)
        return "an integer" + (f" {rng}" if rng else "")

    def validate(self, key: str, value: Any) -> int:
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)):
            raise _fail(key, self.expected(), value)
        v = int(value)
        if (self.minimum is not None and v < self.minimum) or (
            self.maximum is not None and v > self.maximum
        ):
            raise _fail(key, self.expected(), value)
        return v


@dataclass(frozen=True)
class Bool(Spec):
    """``true`` or ``false``."""

    def expected(self) -> str:
        return "true or false"

    def validate(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise _fail(key, self.expected(), value)
        return value


@dataclass(frozen=True)
class Str(Spec):
    """A string (optionally matching ``pattern``)."""

    pattern: str | None = None
    what: str = "a string"

    def expected(self) -> str:
        return self.what

    def validate(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or (
            self.pattern is not None and re.fullmatch(self.pattern, value) is None
        ):
            raise _fail(key, self.expected(), value)
        return value


@dataclass(frozen=True)
class Choice(Spec):
    """One of a fixed set of strings."""

    options: tuple[str, ...] = ()
    #: value -> advice for a value this key no longer takes (e.g. one that moved to another key)
    hints: Mapping[str, str] = field(default_factory=dict)

    def expected(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)

    def validate(self, key: str, value: Any) -> str:
        if isinstance(value, str) and value in self.hints and value not in self.options:
            raise ConfigError(key, self.expected(), f"{_shown(value)}; {self.hints[value]}")
        if not isinstance(value, str) or value not in self.options:
            raise _fail(key, self.expected(), value)
        return value


@dataclass(frozen=True)
class RealArray(Spec):
    """A nested list of real numbers of a given shape (``None`` = any length along that axis).

    ``shapes`` lists the accepted shapes, e.g. ``((3,), (None, 3))`` for one Bloch vector or one per
    qubit. Returns nested lists of floats.
    """

    shapes: tuple[tuple[int | None, ...], ...] = ((None,),)
    minimum: float | None = None
    maximum: float | None = None
    what: str = ""

    def expected(self) -> str:
        if self.what:
            return self.what
        shapes = " or ".join(
            "("
            + ", ".join("n" if s is None else str(s) for s in shp)
            + ("," if len(shp) == 1 else "")
            + ")"
            for shp in self.shapes
        )
        rng = _range_text(self.minimum, self.maximum, False, False)
        return f"an array of real numbers of shape {shapes}" + (
            f" with entries {rng}" if rng else ""
        )

    def validate(self, key: str, value: Any) -> list[Any]:
        if isinstance(value, (str, bool)) or value is None:
            raise _fail(key, self.expected(), value)
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):
            raise _fail(key, self.expected(), value) from None
        if arr.dtype == object or arr.dtype.kind not in "iuf" or not np.all(np.isfinite(arr)):
            raise _fail(key, self.expected(), value)
        ok = any(
            arr.ndim == len(shp)
            and all(s is None or s == n for s, n in zip(shp, arr.shape, strict=True))
            for shp in self.shapes
        )
        if not ok:
            raise ConfigError(key, self.expected(), f"shape {arr.shape}: {_shown(value)}")
        if (self.minimum is not None and np.any(arr < self.minimum)) or (
            self.maximum is not None and np.any(arr > self.maximum)
        ):
            raise _fail(key, self.expected(), value)
        return arr.astype(float).tolist()


_PAULI_TERM = "a list of terms [coefficient, 'pauli string'] with letters I, X, Y, Z, +, - (coefficient a real number or [re, im])"


@dataclass(frozen=True)
class PauliSum(Spec):
    r"""An operator written as a sum of Pauli strings: ``[[0.5, "ZI"], [0.2, "XX"]]``.

    Each term is ``[c, s]`` with ``c`` a real number or ``[re, im]`` and ``s`` a string over
    ``I X Y Z + -`` (``+`` = :math:`\sigma_+`, ``-`` = :math:`\sigma_-`), one letter per qubit, first
    letter = first qubit. A bare string ``"ZI"`` means coefficient 1. The number of qubits is checked
    by the model builder (:func:`pauli_operator`). Returns ``[[re, im, s], ...]``.
    """

    def expected(self) -> str:
        return _PAULI_TERM

    def validate(self, key: str, value: Any) -> list[list[Any]]:
        if isinstance(value, str):
            value = [[1.0, value]]
        if not isinstance(value, list) or not value:
            raise _fail(key, self.expected(), value)
        out = []
        for i, term in enumerate(value):
            k = _join(key, i)
            if isinstance(term, str):
                term = [1.0, term]
            if not isinstance(term, list) or len(term) != 2 or not isinstance(term[1], str):
                raise _fail(k, "a term [coefficient, 'pauli string']", term)
            c, s = term
            if _is_real(c):
                re_, im_ = float(c), 0.0
            elif isinstance(c, list) and len(c) == 2 and all(_is_real(x) for x in c):
                re_, im_ = float(c[0]), float(c[1])
            else:
                raise _fail(_join(k, 0), "a real coefficient or [re, im]", c)
            if not (math.isfinite(re_) and math.isfinite(im_)):
                raise _fail(_join(k, 0), "a finite coefficient", c)
            if not s or re.fullmatch(r"[IXYZ+\-]+", s) is None:
                raise _fail(_join(k, 1), "a Pauli string over the letters I, X, Y, Z, +, -", s)
            out.append([re_, im_, s])
        return out


@dataclass(frozen=True)
class ListOf(Spec):
    """A list whose items all validate against ``item``."""

    item: Spec = field(default_factory=lambda: Str())
    min_length: int = 0

    def expected(self) -> str:
        n = f" of at least {self.min_length}" if self.min_length else ""
        return f"a list{n} of items, each {self.item.expected()}"

    def validate(self, key: str, value: Any) -> list[Any]:
        if not isinstance(value, list) or len(value) < self.min_length:
            raise _fail(key, self.expected(), value)
        return [self.item.validate(_join(key, i), v) for i, v in enumerate(value)]


@dataclass(frozen=True)
class Any_(Spec):
    """Anything that passes ``check(key, value) -> value`` (for one-off shapes)."""

    check: Callable[[str, Any], Any] = lambda k, v: v
    what: str = "a value"

    def expected(self) -> str:
        return self.what

    def validate(self, key: str, value: Any) -> Any:
        return self.check(key, value)


def _unknown_key(
    key: str, name: str, allowed: Sequence[str], value: Any, renamed: str | None = None
) -> ConfigError:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    if renamed is not None:
        hint = f"; {renamed}"
    return ConfigError(
        _join(key, name),
        "one of the keys " + ", ".join(allowed) if allowed else "no keys here",
        f"an unknown key (value {_shown(value)}){hint}",
    )


@dataclass(frozen=True)
class Table(Spec):
    """A TOML table with known keys; unknown keys are errors (typos do not pass silently).

    ``check`` (optional) runs on the validated dict for cross-key rules (e.g. "exactly one of").
    """

    fields: Mapping[str, Spec] = field(default_factory=dict)
    check: Callable[[str, dict[str, Any]], None] | None = None
    #: old key -> advice (e.g. "did you mean 'method'?") for keys this table no longer takes
    renamed: Mapping[str, str] = field(default_factory=dict)

    def expected(self) -> str:
        return "a table with keys " + ", ".join(self.fields) if self.fields else "a table"

    def fill_default(self, key: str) -> Any:
        """A missing table: filled from its fields' defaults when it has no required key; else
        ``default`` (``None`` for an optional table) or an error when it is required."""
        if any(s.default is REQUIRED for s in self.fields.values()):
            if self.default is REQUIRED:
                raise ConfigError(key, f"{self.expected()} (required)", _shown(_MISSING))
            return self.default
        return self.validate(key, {})

    def validate(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise _fail(key, self.expected(), value)
        for name in value:
            if name not in self.fields:
                raise _unknown_key(
                    key, str(name), list(self.fields), value[name], self.renamed.get(str(name))
                )
        out: dict[str, Any] = {}
        for name, spec in self.fields.items():
            k = _join(key, name)
            if name in value:
                out[name] = spec.validate(k, value[name])
            else:
                out[name] = spec.fill_default(k)
        if self.check is not None:
            self.check(key, out)
        return out

    def lookup(self, name: str) -> Spec | None:
        return self.fields.get(name)


@dataclass(frozen=True)
class Variant(Spec):
    """A table whose other keys depend on the value of ``selector`` (e.g. ``preset``)."""

    selector: str = "preset"
    options: Mapping[str, Table] = field(default_factory=dict)
    default_option: str | None = None

    def expected(self) -> str:
        return f"a table with {self.selector} = " + " or ".join(repr(o) for o in self.options)

    def fill_default(self, key: str) -> Any:
        if self.default_option is None:
            raise ConfigError(key, f"{self.expected()} (required)", _shown(_MISSING))
        return self.validate(key, {})

    def validate(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise _fail(key, self.expected(), value)
        choice = Choice(tuple(self.options))
        sel_key = _join(key, self.selector)
        if self.selector in value:
            option = choice.validate(sel_key, value[self.selector])
        elif self.default_option is not None:
            option = self.default_option
        else:
            raise ConfigError(sel_key, f"{choice.expected()} (required)", _shown(_MISSING))
        rest = {k: v for k, v in value.items() if k != self.selector}
        out = {self.selector: option}
        out.update(self.options[option].validate(key, rest))
        return out

    def table_for(self, value: Mapping[str, Any]) -> Table:
        return self.options[value.get(self.selector, self.default_option)]


@dataclass(frozen=True)
class TableList(Spec):
    """An array of tables (``[[model.baths]]`` in TOML), each validated by ``item``."""

    item: Table = field(default_factory=Table)
    min_length: int = 0

    def expected(self) -> str:
        return f"an array of tables ({self.item.expected()})"

    def validate(self, key: str, value: Any) -> list[dict[str, Any]]:
        if isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, list) or len(value) < self.min_length:
            raise _fail(
                key,
                self.expected() + (f", at least {self.min_length}" if self.min_length else ""),
                value,
            )
        return [self.item.validate(_join(key, i), v) for i, v in enumerate(value)]


def spec_at(root: Spec, value: Any, path: Sequence[str | int]) -> Spec | None:
    """The leaf spec addressed by ``path`` inside a validated ``value`` (``None`` if not a field)."""
    spec: Spec | None = root
    for part in path:
        if isinstance(spec, Variant):
            spec = (
                spec.table_for(value).lookup(str(part))
                if part != spec.selector
                else Choice(tuple(spec.options))
            )
            value = value.get(part) if isinstance(value, Mapping) else None
        elif isinstance(spec, Table):
            spec = spec.lookup(str(part))
            value = value.get(part) if isinstance(value, Mapping) else None
        elif isinstance(spec, (TableList, ListOf)) and isinstance(part, int):
            spec = spec.item
            value = value[part] if isinstance(value, list) and part < len(value) else None
        else:
            return None
        if spec is None:
            return None
    return spec
