r"""qbath results as ``xarray.Dataset`` objects, written to and read from netCDF.

:func:`to_dataset` recognises the result types by what they hold:

* a collision result (``.states`` and ``.heat``): dimension ``collision`` (0..n); the ledger
  arrays (entry k = collision k + 1) are placed at index k + 1, with NaN at 0;
* a spin result (``.bloch``): dimensions ``time``, ``spin``, ``component`` (and ``spin_b``,
  ``component_b`` for ``.correlations``);
* a solver result (``.times`` and ``.states`` or ``.expect``): dimension ``time``.

Density-matrix trajectories also get ``l1_coherence``, ``purity`` and ``entropy`` (nats), and
``expect_<name>`` for each observable asked for. Attributes come from the result's ``.meta``
(:func:`attrs_from_meta`). netCDF has no complex type: :func:`save` writes a complex variable ``v``
as ``v_real`` and ``v_imag`` and :func:`load` joins them again.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._checks import as_operator
from .._errors import InputError
from .._optional import require
from .._states import expect_values, l1_coherence, purity, von_neumann_entropy
from ..collision import LEDGER
from ._attrs import attrs_from_meta

__all__ = ["to_dataset", "to_dataset_parts", "result_parts", "save", "load", "write_netcdf"]

#: name -> (values, attrs) for a dimension coordinate, or (dims, values, attrs) for another one
Coords = dict[str, tuple[Any, ...]]
Variables = dict[str, tuple[tuple[str, ...], np.ndarray, dict[str, Any]]]

#: ledger arrays of a collision result (entry k = collision k + 1) and their descriptions
_COMPONENTS = np.array(["x", "y", "z"])
_COMPLEX_ATTR = "qbath_complex_part"


def _xr() -> Any:
    return require("xarray", purpose="results as Datasets and netCDF files")


def _named_ops(expect: Mapping[str, Any] | Sequence[Any] | None) -> dict[str, np.ndarray]:
    if expect is None:
        return {}
    items = expect.items() if isinstance(expect, Mapping) else ((str(i), op) for i, op in enumerate(expect))
    return {str(name): as_operator(f"expect[{name!r}]", op) for name, op in items}


def _state_variables(dim: str, states: np.ndarray, expect: Mapping[str, Any] | Sequence[Any] | None, keep_states: bool) -> Variables:
    out: Variables = {}
    for name, op in _named_ops(expect).items():
        if op.shape[-1] != states.shape[-1]:
            raise InputError(f"expect[{name!r}]: expected dimension {states.shape[-1]} to match the states, got shape {op.shape}")
        val = expect_values(op, states)
        out[f"expect_{name}"] = ((dim,), val, {"long_name": name if name.startswith("<") else f"<{name}>"})
    out["l1_coherence"] = ((dim,), np.asarray(l1_coherence(states), dtype=float), {"long_name": "l1 norm of coherence (computational basis)"})
    out["purity"] = ((dim,), np.asarray(purity(states), dtype=float), {"long_name": "purity Tr rho^2"})
    out["entropy"] = ((dim,), np.asarray(von_neumann_entropy(states), dtype=float), {"long_name": "von Neumann entropy", "units": "nats"})
    if keep_states:
        out["states"] = ((dim, "row", "col"), states, {"long_name": "density matrix"})
    return out


def result_parts(
    result: Any, expect: Mapping[str, Any] | Sequence[Any] | None = None, states: bool = False
) -> tuple[Coords, Variables, dict[str, Any]]:
    """Coordinates, variables and provenance of a result, as plain numpy (no xarray needed)."""
    meta = dict(getattr(result, "meta", None) or {})
    coords: Coords = {}
    variables: Variables = {}
    st = getattr(result, "states", None)
    st = None if st is None else np.asarray([s.full() if hasattr(s, "full") else s for s in st] if isinstance(st, list) else st)
    if st is not None and hasattr(result, "heat"):
        n = st.shape[0] - 1
        coords["collision"] = (np.arange(n + 1), {"long_name": "collision index"})
        variables.update(_state_variables("collision", st, expect, states))
        for name, desc in LEDGER.items():
            v = getattr(result, name, None)
            if v is not None:
                col = np.concatenate([[np.nan], np.asarray(v, dtype=float)])
                variables[name] = (("collision",), col, {"long_name": desc, "note": "value of the collision ending at this index; NaN at index 0"})
        t = getattr(result, "times", None)
        if t is not None and not callable(t) and np.shape(t) == (n + 1,):
            coords["time"] = (("collision",), np.asarray(t, dtype=float), {"long_name": "elapsed interaction time k dt"})
        if "method" not in meta and hasattr(result, "method"):
            meta["method"] = result.method
        return coords, variables, meta
    if hasattr(result, "bloch") and not callable(result.bloch):
        bloch = np.asarray(result.bloch, dtype=float)
        if bloch.ndim != 3 or bloch.shape[-1] != 3:
            raise InputError(f"result.bloch: expected shape (T, N, 3), got {bloch.shape}")
        n = bloch.shape[1]
        coords["time"] = (np.asarray(result.times, dtype=float), {"long_name": "time"})
        coords["spin"] = (np.arange(n), {"long_name": "spin index"})
        coords["component"] = (_COMPONENTS, {"long_name": "Bloch component"})
        variables["bloch"] = (("time", "spin", "component"), bloch, {"long_name": "Bloch vector of each spin"})
        variables["mean_bloch"] = (("time", "component"), bloch.mean(axis=1), {"long_name": "Bloch vector averaged over the spins"})
        corr = getattr(result, "correlations", None)
        if corr is not None:
            coords["spin_b"] = (np.arange(n), {"long_name": "second spin index"})
            coords["component_b"] = (_COMPONENTS, {"long_name": "second Bloch component"})
            variables["correlations"] = (
                ("time", "spin", "spin_b", "component", "component_b"),
                np.asarray(corr, dtype=float),
                {"long_name": "two-spin correlations", "note": "as defined by qbath.spins"},
            )
        return coords, variables, meta
    if hasattr(result, "times"):
        coords["time"] = (np.asarray(result.times, dtype=float), {"long_name": "time"})
        if st is not None and st.ndim == 3:
            variables.update(_state_variables("time", st, expect, states))
        e_ops = getattr(result, "expect", None)
        for i, e in enumerate([] if e_ops is None or callable(e_ops) else e_ops):
            variables[f"e_ops_{i}"] = (("time",), np.asarray(e), {"long_name": f"expectation value of e_ops[{i}]"})
        return coords, variables, meta
    raise InputError(
        "result: expected a qbath result (with .states and .heat, .bloch, or .times), "
        f"got {type(result).__name__}"
    )


def to_dataset_parts(coords: Coords, variables: Variables, meta: Mapping[str, Any]) -> Any:
    """An ``xarray.Dataset`` from numpy parts: ``coords[name] = (values, attrs)`` (a dimension
    coordinate) or ``(dims, values, attrs)``, ``variables[name] = (dims, values, attrs)``,
    attributes from ``meta``."""
    xr = _xr()
    ds = xr.Dataset(
        {k: xr.Variable(dims, np.asarray(v), attrs) for k, (dims, v, attrs) in variables.items()},
        coords={k: xr.Variable(c[0] if len(c) == 3 else (k,), np.asarray(c[-2]), c[-1]) for k, c in coords.items()},
        attrs=attrs_from_meta(meta),
    )
    return ds


def to_dataset(
    result: Any,
    *,
    expect: Mapping[str, Any] | Sequence[Any] | None = None,
    states: bool = False,
    attrs: Mapping[str, Any] | None = None,
) -> Any:
    """A qbath result as an ``xarray.Dataset`` with coordinates and provenance attributes.

    Parameters
    ----------
    result : CollisionResult, solver result or spin result
        What :func:`qbath.collision.evolve`, :func:`qbath.mesolve` or :mod:`qbath.spins` returned
        (an ``xarray.Dataset`` is returned unchanged).
    expect : mapping name -> (d, d) operator, or a sequence of operators, optional
        Observables to evaluate on the states; variables ``expect_<name>`` (real for Hermitian ones).
    states : bool
        Also store the states as a complex variable ``states`` of shape (T, d, d).
    attrs : mapping, optional
        Extra attributes (merged into the provenance).

    Returns
    -------
    xarray.Dataset
    """
    xr = _xr()
    if isinstance(result, xr.Dataset):
        return result
    coords, variables, meta = result_parts(result, expect, states)
    meta.update(attrs or {})
    return to_dataset_parts(coords, variables, meta)


def _split_complex(ds: Any) -> Any:
    out = ds.copy()
    for name in list(ds.data_vars):
        var = ds[name]
        if np.iscomplexobj(var.values):
            out = out.drop_vars(name)
            out[f"{name}_real"] = var.real.assign_attrs({**var.attrs, _COMPLEX_ATTR: "real", "qbath_complex_of": name})
            out[f"{name}_imag"] = var.imag.assign_attrs({**var.attrs, _COMPLEX_ATTR: "imag", "qbath_complex_of": name})
    return out


def _join_complex(ds: Any) -> Any:
    for name in list(ds.data_vars):
        if name not in ds:
            continue
        attrs = ds[name].attrs
        if attrs.get(_COMPLEX_ATTR) == "real":
            base = attrs["qbath_complex_of"]
            imag = f"{base}_imag"
            if imag in ds:
                joined = ds[name] + 1j * ds[imag]
                keep = {k: v for k, v in attrs.items() if k not in (_COMPLEX_ATTR, "qbath_complex_of")}
                ds = ds.drop_vars([name, imag])
                ds[base] = joined.assign_attrs(keep)
    return ds


def save(obj: Any, path: str | Path, **to_dataset_kwargs: Any) -> Path:
    """Write a result or Dataset to a netCDF file (atomically: a temporary file, then a rename).

    Non-Dataset objects go through :func:`to_dataset` first (keyword arguments are passed on).
    Complex variables are split into ``<name>_real`` / ``<name>_imag``.
    """
    return write_netcdf(_split_complex(to_dataset(obj, **to_dataset_kwargs)), path)


def write_netcdf(ds: Any, path: str | Path) -> Path:
    """``ds.to_netcdf(path)`` through a temporary file and a rename, so a reader (or a resumed
    sweep) never sees a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        ds.to_netcdf(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def load(path: str | Path) -> Any:
    """Read a netCDF file written by :func:`save` into memory (complex variables joined again).

    The file is closed on return. ``xarray.open_dataset`` reads the same files (with the complex
    variables as their two real parts).
    """
    xr = _xr()
    with xr.open_dataset(path) as ds:
        loaded = ds.load()
    return _join_complex(loaded)
