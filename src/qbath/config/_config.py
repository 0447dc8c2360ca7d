"""Loading, validating and addressing TOML configurations.

A configuration file names its model ``kind`` at the top level and has the tables ``[model]``,
``[initial]``, ``[solver]``, ``[output]`` and ``[sweep]`` (the kind decides what each holds; see
``docs/cli.md``). Keys are addressed by dotted paths: ``model.kappa``, ``solver.n_collisions``,
``model.baths[0].temperature`` (``model.baths.0.temperature`` is accepted too).
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._optional import require
from ._schema import ConfigError, Int, Real, Spec, _shown, spec_at

__all__ = [
    "Config",
    "load_config",
    "parse_config",
    "split_key",
    "format_key",
    "resolve_key",
    "parse_value",
]


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    return require("tomli", extra="io", purpose="reading TOML configurations on Python 3.10")


def split_key(key: str) -> list[str | int]:
    """``"model.baths[0].alpha"`` (or ``"model.baths.0.alpha"``) -> ``["model", "baths", 0, "alpha"]``."""
    parts: list[str | int] = []
    for piece in key.replace("[", ".").replace("]", "").split("."):
        if piece == "":
            raise ConfigError(key, "a dotted key such as 'model.kappa'", repr(key))
        parts.append(int(piece) if piece.isdigit() else piece)
    return parts


def format_key(parts: list[str | int]) -> str:
    """Inverse of :func:`split_key`: ``["model", "baths", 0, "alpha"]`` -> ``"model.baths[0].alpha"``."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _get(tree: Any, parts: list[str | int]) -> Any:
    for p in parts:
        if isinstance(p, int) and isinstance(tree, list) and p < len(tree):
            tree = tree[p]
        elif isinstance(p, str) and isinstance(tree, Mapping) and p in tree:
            tree = tree[p]
        else:
            raise KeyError(format_key(parts))
    return tree


def _set(tree: dict[str, Any], parts: list[str | int], value: Any) -> None:
    node: Any = tree
    for i, p in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        if isinstance(node, list):
            if not isinstance(p, int) or p >= len(node):
                raise ConfigError(format_key(parts), "an existing list index", repr(p))
            node = node[p]
            continue
        if p not in node:
            node[p] = [] if isinstance(nxt, int) else {}
        node = node[p]
    last = parts[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or last >= len(node):
            raise ConfigError(format_key(parts), "an existing list index", repr(last))
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ConfigError(format_key(parts[:-1]), "a table", _shown(node))


def parse_value(text: str) -> Any:
    """A command-line value as TOML reads it (``1.5``, ``true``, ``[0, 0, 1]``, ``"exact"``);
    anything TOML cannot read is taken as a plain string (so ``exact`` works unquoted)."""
    try:
        return _toml().loads(f"v = {text}")["v"]
    except Exception:  # noqa: BLE001 - any TOML error: treat as a bare string
        return text


@dataclass(frozen=True)
class Config:
    """A validated configuration.

    Attributes
    ----------
    kind : str
        The model kind (``"collision"``, ``"gksl"``, ``"spins"``, ``"qubit"``).
    data : dict
        Validated values with defaults filled in (plain Python values, JSON-serialisable).
    raw : dict
        The values as given (what overrides are applied to before re-validation).
    source : str or None
        The file it came from.
    """

    kind: str
    data: dict[str, Any]
    raw: dict[str, Any] = field(repr=False)
    source: str | None = None

    @property
    def name(self) -> str:
        """``title`` if given, else the file's stem, else the kind."""
        title = self.data.get("title")
        if title:
            return str(title)
        return Path(self.source).stem if self.source else self.kind

    def get(self, key: str) -> Any:
        """The validated value at a dotted key (``cfg.get("model.kappa")``)."""
        try:
            return _get(self.data, split_key(key))
        except KeyError:
            raise ConfigError(key, "a key of this configuration", "no such key") from None

    def with_values(self, overrides: Mapping[str, Any]) -> Config:
        """A new configuration with dotted keys set to new values (re-validated)."""
        raw = copy.deepcopy(self.raw)
        for key, value in overrides.items():
            _set(raw, split_key(key), value)
        return parse_config(raw, source=self.source)

    def to_json(self) -> str:
        """Canonical JSON of the validated values (sorted keys): equal configs give equal text."""
        return json.dumps(self.data, sort_keys=True, separators=(",", ":"))

    def spec(self, key: str) -> Spec | None:
        """The field spec at a dotted key (``None`` if the key is not a field)."""
        from ._kinds import top_level_schema

        return spec_at(top_level_schema(self.kind), self.data, split_key(key))


def parse_config(data: Mapping[str, Any] | str, source: str | None = None) -> Config:
    """Validate a configuration given as a mapping (or TOML text).

    Raises
    ------
    ConfigError
        Naming the key, what it accepts and the value given (and ``source``, when given).
    """
    from ._kinds import KINDS, top_level_schema

    try:
        if isinstance(data, str):
            try:
                data = _toml().loads(data)
            except Exception as exc:  # tomllib.TOMLDecodeError (or tomli's)
                raise ConfigError("", "valid TOML", f"a syntax error: {exc}") from None
        if not isinstance(data, Mapping):
            raise ConfigError("", "a table of keys", _shown(data))
        raw = copy.deepcopy(dict(data))
        kind = raw.get("kind")
        if kind not in KINDS:
            from ._schema import Choice

            Choice(tuple(KINDS)).validate("kind", kind if "kind" in raw else None)
            raise ConfigError("kind", "a model kind", _shown(kind))  # pragma: no cover
        validated = top_level_schema(kind).validate("", raw)
        KINDS[kind].check(validated)
    except ConfigError as exc:
        raise exc.with_source(source) from None
    return Config(kind=kind, data=validated, raw=raw, source=source)


def load_config(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Config:
    """Read and validate a TOML configuration file.

    ``overrides`` maps dotted keys to values set before validation (``qbath run --set``).
    """
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as exc:
        raise ConfigError("", "a readable TOML file", f"{p}: {exc.strerror}", str(p)) from None
    try:
        raw = _toml().loads(text)
    except Exception as exc:  # tomllib.TOMLDecodeError (or tomli's)
        raise ConfigError("", "valid TOML", f"a syntax error: {exc}", str(p)) from None
    for key, value in (overrides or {}).items():
        try:
            _set(raw, split_key(key), value)
        except ConfigError as exc:
            raise exc.with_source(str(p)) from None
    return parse_config(raw, source=str(p))


def _leaves(tree: Any, prefix: list[str | int]) -> list[list[str | int]]:
    out: list[list[str | int]] = []
    if isinstance(tree, Mapping):
        for k, v in tree.items():
            out += _leaves(v, prefix + [k])
    elif isinstance(tree, list) and tree and all(isinstance(v, Mapping) for v in tree):
        for i, v in enumerate(tree):
            out += _leaves(v, prefix + [i])
    else:
        out.append(prefix)
    return out


#: the tables a bare sweep-parameter name is looked up in
_PARAM_SECTIONS = ("model", "initial", "solver")


def resolve_key(cfg: Config, name: str, *, numeric: bool = True) -> str:
    """The full dotted key a sweep parameter ``name`` addresses.

    ``name`` is either a dotted key (``model.kappa``) or a bare name (``kappa``) that must match the
    last part of exactly one key of the ``[model]``, ``[initial]`` and ``[solver]`` tables (defaults
    included). With ``numeric`` the key
    must hold a real or integer field.
    """
    if "." in name or "[" in name:
        parts = split_key(name)
        try:
            _get(cfg.data, parts)
        except KeyError:
            raise ConfigError(
                name, "a key of this configuration (e.g. 'model.kappa')", "no such key"
            ) from None
        key = format_key(parts)
    else:
        searched = {k: cfg.data[k] for k in _PARAM_SECTIONS if k in cfg.data}
        matches = [p for p in _leaves(searched, []) if p and p[-1] == name]
        if not matches:
            raise ConfigError(
                name,
                "a key of this configuration (a bare name or a dotted key like 'model.kappa')",
                "no such key",
            )
        if len(matches) > 1:
            raise ConfigError(
                name,
                "a name that matches one key; write the dotted key",
                "an ambiguous name matching " + ", ".join(format_key(m) for m in matches),
            )
        key = format_key(matches[0])
    if numeric:
        spec = cfg.spec(key)
        if not isinstance(spec, (Real, Int)):
            what = spec.expected() if spec is not None else "not a field"
            raise ConfigError(
                key, "a numeric key (real or integer) to sweep over", f"a key that takes {what}"
            )
    return key
