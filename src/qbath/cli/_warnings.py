"""Warnings inside the ``qbath`` command: one ``qbath:`` log line each, with advice in terms of the
configuration's keys.

In Python a warning names the source file and line; on the command line that is noise. While a
command runs, :func:`routed_warnings` sends every warning (``QbathWarning`` and its subclass
``PositivityWarning`` above all) to the ``qbath.cli`` logger as

``qbath: WARNING: PositivityWarning: <message> [in the configuration: <advice>]``

The advice names the keys to change: a known physics warning gets its own (the second-order
collision map, a trajectory that leaves the physical states, an ill-conditioned steady state, merged
Bohr frequencies, local or Redfield master equations); otherwise the keyword arguments the message
names (``ntraj``, ``rtol``, ``dt``) are looked up among the configuration's keys.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

from .._errors import QbathWarning

__all__ = ["routed_warnings", "warning_line", "config_keys"]

log = logging.getLogger("qbath.cli")

#: (pattern of the message, advice); the first match wins
ADVICE: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"second-order (map|expansion)|dt \* \(E_max"),
        'set solver.map = "exact" (the exact collision map) or a smaller model.dt, '
        "e.g. --set solver.map=exact",
    ),
    (
        re.compile(r"leaves the set of physical states|equations diverge"),
        'set solver.level = "exact" (small model.n) or "meanfield", or a shorter solver.t_max; '
        "the shaded range of the trajectory figure is unphysical",
    ),
    (
        re.compile(r"ill-conditioned|condition estimate|relax slower"),
        "the steady state is ill-conditioned: use final_... outputs (with a longer run: "
        "solver.n_collisions or solver.t_max) instead of steady_...",
    ),
    (
        re.compile(r"merged Bohr frequencies|not the strict secular"),
        "nearly degenerate Bohr frequencies: change the model's couplings or fields (model.*) so that "
        "they separate, or read the result as non-secular",
    ),
    (
        re.compile(r"\blocal\b.*master equation|local approach", re.I),
        "a local master equation may break positivity and the second law: prefer the global "
        "(Davies) generator of the model's baths",
    ),
    (
        re.compile(r"Redfield", re.I),
        "the Redfield tensor need not keep rho positive: prefer the secular (Davies) generator, or "
        "weaker couplings to the baths",
    ),
]


_KEY = re.compile(r"\b(?:model|solver|initial|output)\.[a-z_]+")


def config_keys(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted key -> value of every leaf of a validated configuration (lists of tables indexed)."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(config_keys(v, key + "."))
        elif isinstance(v, list) and v and all(isinstance(x, Mapping) for x in v):
            for i, x in enumerate(v):
                out.update(config_keys(x, f"{key}[{i}]."))
        else:
            out[key] = v
    return out


def _named_keys(message: str, data: Mapping[str, Any]) -> list[str]:
    """Configuration keys whose last part is a word of the message (``dt``, ``method``, ``rtol``)."""
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", message))
    found = []
    for key, value in config_keys(data).items():
        leaf = re.sub(r"\[\d+\]", "", key.rsplit(".", 1)[-1])
        if leaf in words and len(leaf) > 1:
            found.append(f"{key} (now {value!r})")
    return found


def _key_prefixes(data: Mapping[str, Any]) -> set[str]:
    """Every dotted key and its prefixes, list indices dropped (``model.baths``, ``model.baths.op``)."""
    out = set()
    for key in config_keys(data):
        parts = re.sub(r"\[\d+\]", "", key).split(".")
        out.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return out


def advice(message: str, data: Mapping[str, Any] | None) -> str:
    """What a command-line user can change, in terms of the configuration (empty without one)."""
    if data is None:
        return ""
    keys = _key_prefixes(data)
    for pattern, text in ADVICE:
        named = set(_KEY.findall(text))
        # an advice that names keys applies only where the configuration has one of them
        if pattern.search(message) and (not named or named & keys):
            return text
    named_keys = _named_keys(message, data)
    if named_keys:
        return "change " + " or ".join(named_keys) + " (--set KEY=VALUE)"
    return "no configuration key sets this directly; see docs/cli.md, section 'Warnings'"


def warning_line(
    message: Warning | str, category: type[Warning], data: Mapping[str, Any] | None
) -> str:
    """One line: the category, the message with its line breaks folded, and the advice."""
    text = " ".join(str(message).split())
    source = (
        "" if issubclass(category, QbathWarning) else f" (from {category.__module__.split('.')[0]})"
    )
    line = f"{category.__name__}{source}: {text}"
    hint = advice(text, data) if issubclass(category, QbathWarning) else ""
    return f"{line} [in the configuration: {hint}]" if hint else line


@contextlib.contextmanager
def routed_warnings(context: Mapping[str, Any]) -> Iterator[None]:
    """Inside the block every warning is logged as one ``qbath:`` line (each distinct one once).

    ``context["data"]`` (set once the configuration is loaded) is the validated configuration the
    advice refers to.
    """
    seen: set[tuple[str, str]] = set()

    def show(message: Any, category: type[Warning], *_: Any, **__: Any) -> None:
        line = warning_line(message, category, context.get("data"))
        if (category.__name__, line) not in seen:
            seen.add((category.__name__, line))
            log.warning("%s", line)

    with warnings.catch_warnings():
        warnings.simplefilter("default", QbathWarning)  # others keep their filters
        warnings.showwarning = show
        yield
