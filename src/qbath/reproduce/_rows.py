"""Check rows shared by the reproductions: residuals that must vanish, and one row per entry of a
coordinate (a time, an initial state, a parameter point) built from a small table."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._report import Check, close

__all__ = ["vanishes", "along", "Parts"]


def vanishes(
    name: str,
    value: float | complex,
    atol: float,
    source: str,
    *,
    note: str = "",
    expect_fail: bool = False,
) -> Check:
    """A row for a residual that must vanish: :func:`close` of ``value`` against 0, ``|value| <= atol``.

    With ``expect_fail=True`` the paper's printed formula is known to be wrong, so a non-zero
    residual is an ``"erratum"`` row (see :func:`close`).
    """
    return close(name, value, 0.0, atol=atol, source=source, note=note, expect_fail=expect_fail)


class _At(dict):  # type: ignore[type-arg]
    """``str.format_map`` namespace at index ``k`` of a coordinate: ``x`` is the coordinate's
    value, any other name is ``ds[name].values[k]``."""

    def __init__(self, ds: Any, k: int, x: Any) -> None:
        super().__init__(x=x)
        self._ds, self._k = ds, k

    def __missing__(self, key: str) -> Any:
        return self._ds[key].values[self._k]


def along(ds: Any, dim: str, rows: Sequence[Mapping[str, Any]], **common: Any) -> list[Check]:
    """:func:`close` rows for every entry of the coordinate ``dim`` of ``ds``, in the order
    (entry, row).

    Each row holds :func:`close`'s keywords with ``value`` the name of a variable along ``dim``
    (compared at that entry) and ``reference`` either a number (default 0) or such a name;
    ``name`` and ``note`` are :meth:`str.format` templates in ``x`` (the coordinate's value) and
    the variables along ``dim`` at that entry. ``common`` keywords apply to every row.
    """
    out = []
    for k, x in enumerate(ds[dim].values):
        at = _At(ds, k, x)
        for row in rows:
            kw = {**common, **row}
            name, value, ref = kw.pop("name"), kw.pop("value"), kw.pop("reference", 0.0)
            if isinstance(ref, str):
                ref = float(ds[ref][k])
            if "note" in kw:
                kw["note"] = kw["note"].format_map(at)
            out.append(close(name.format_map(at), float(ds[value][k]), ref, **kw))
    return out


class Parts:
    """The parts of a reproduction's ``checks``, kept in the order they are defined.

    Decorate each ``part(ds) -> list[Check]`` with the instance; :meth:`rows` returns the rows of
    every part in that order, so no part can be left out of the summary::

        part = Parts()

        @part
        def _energy_checks(ds): ...

        def checks(ds):
            return part.rows(ds)
    """

    def __init__(self) -> None:
        self._parts: list[Callable[[Any], list[Check]]] = []

    def __call__(self, fn: Callable[[Any], list[Check]]) -> Callable[[Any], list[Check]]:
        self._parts.append(fn)
        return fn

    def rows(self, ds: Any) -> list[Check]:
        """Every part's rows for ``ds``, part after part."""
        return [row for fn in self._parts for row in fn(ds)]
