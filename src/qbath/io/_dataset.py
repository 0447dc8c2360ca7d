r"""qbath results as ``xarray.Dataset`` objects, written to and read from netCDF.

Every qbath result builds its own Dataset (``result.to_dataset()``, the result protocol of
:mod:`qbath._result`); :func:`to_dataset` delegates to it and passes Datasets through:

* a collision result: dimension ``collision`` (0..n); the ledger arrays (entry k = collision
  k + 1) are placed at index k + 1, with NaN at 0;
* a spin result: dimensions ``time``, ``spin``, ``component`` (and ``spin_b``, ``component_b`` for
  ``.correlations``);
* any other result: dimension ``time``.

Every result's own expectation values (``e_ops``) become ``expect_<name>`` (the dict key, or the
index 0, 1, ...). Density-matrix trajectories also get ``l1_coherence``, ``purity``, ``entropy``
(nats), and ``expect_<name>`` for each further observable asked for.
Attributes come from the result's ``.meta`` (:func:`attrs_from_meta`). netCDF has no complex type:
:func:`save` writes a complex variable ``v`` as ``v_real`` and ``v_imag`` and :func:`load` joins
them again.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import InputError, QbathWarning
from .._files import process_umask
from .._optional import require
from .._result import BaseResult, Coords, Variables, dataset_from_parts
from ..collision import LEDGER
from ._attrs import META_ATTR

__all__ = [
    "to_dataset",
    "to_dataset_parts",
    "result_parts",
    "save",
    "load",
    "write_netcdf",
    "LEDGER",
]

_COMPLEX_ATTR = "qbath_complex_part"

#: an ``xarray.Dataset`` from numpy parts (see :func:`qbath._result.dataset_from_parts`)
to_dataset_parts = dataset_from_parts


def _xr() -> Any:
    return require("xarray", purpose="results as Datasets and netCDF files")


def _not_a_result(result: Any) -> InputError:
    return InputError(
        "result: expected a qbath result (what mesolve, mcsolve, collision.evolve, the spin solvers or "
        f"the drive dynamics return) or an xarray.Dataset, got {type(result).__name__}"
    )


def result_parts(
    result: Any, expect: Mapping[str, Any] | Sequence[Any] | None = None, states: bool = False
) -> tuple[Coords, Variables, dict[str, Any]]:
    """Coordinates, variables and provenance of a result, as plain numpy (no xarray needed):
    ``result.dataset_parts(expect, states)``."""
    if not isinstance(result, BaseResult):
        raise _not_a_result(result)
    return result.dataset_parts(expect, states)


def to_dataset(
    result: Any,
    *,
    expect: Mapping[str, Any] | Sequence[Any] | None = None,
    states: bool = False,
    attrs: Mapping[str, Any] | None = None,
) -> Any:
    """A qbath result as an ``xarray.Dataset``: ``result.to_dataset(...)``.

    Parameters
    ----------
    result : qbath result or xarray.Dataset
        What :func:`qbath.mesolve`, :func:`qbath.mcsolve`, :func:`qbath.collision.evolve`,
        :mod:`qbath.spins` or :mod:`qbath.drive` returned (a Dataset is returned unchanged).
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
    if isinstance(result, BaseResult):
        return result.to_dataset(expect=expect, states=states, attrs=attrs)
    if isinstance(result, _xr().Dataset):
        return result
    raise _not_a_result(result)


def _split_complex(ds: Any) -> Any:
    out = ds.copy()
    for name in list(ds.data_vars):
        var = ds[name]
        if np.iscomplexobj(var.values):
            out = out.drop_vars(name)
            out[f"{name}_real"] = var.real.assign_attrs(
                {**var.attrs, _COMPLEX_ATTR: "real", "qbath_complex_of": name}
            )
            out[f"{name}_imag"] = var.imag.assign_attrs(
                {**var.attrs, _COMPLEX_ATTR: "imag", "qbath_complex_of": name}
            )
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
                keep = {
                    k: v for k, v in attrs.items() if k not in (_COMPLEX_ATTR, "qbath_complex_of")
                }
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
        os.chmod(
            tmp, 0o666 & ~process_umask()
        )  # mkstemp makes 0600; a saved file follows the umask
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


#: first bytes of netCDF classic (CDF1, CDF2, CDF5) and of netCDF-4 (HDF5) files
_NETCDF_MAGIC = (b"CDF\x01", b"CDF\x02", b"CDF\x05", b"\x89HDF\r\n\x1a\n")


def load(path: str | Path) -> Any:
    """Read a netCDF file written by :func:`save` into memory (complex variables joined again).

    The file is closed on return, also when reading fails. ``xarray.open_dataset`` reads the same
    files (with the complex variables as their two real parts).

    Raises
    ------
    InputError
        Naming the file and what is wrong: missing, a directory, not netCDF (e.g. a text file),
        truncated or corrupt, not readable as a Dataset, or with invalid qbath metadata JSON.

    Warns
    -----
    QbathWarning
        For a netCDF file without qbath's provenance attribute (a foreign file); it is still read.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(
            f"path: expected a file path (str or pathlib.Path), got {type(path).__name__} {path!r}"[
                :200
            ]
        )
    p = Path(path)
    if not p.exists():
        raise InputError(f"path: expected an existing netCDF file, got {str(p)!r} (no such file)")
    if p.is_dir():
        raise InputError(f"path: expected a netCDF file, got {str(p)!r}, which is a directory")
    try:
        with open(p, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise InputError(
            f"path: expected a readable netCDF file, got {str(p)!r} ({exc.strerror})"
        ) from None
    if not head.startswith(_NETCDF_MAGIC):
        raise InputError(
            f"path: expected a netCDF file written by qbath.io.save, got {str(p)!r}, which is not netCDF "
            f"(it starts with {head!r})"
        )
    xr = _xr()
    store = None
    try:
        if importlib.util.find_spec("netCDF4") is not None:
            # open the store ourselves so that it is closed even when decoding fails
            store = xr.backends.NetCDF4DataStore.open(str(p), mode="r")
            with xr.open_dataset(store) as ds:
                loaded = ds.load()
        else:
            with xr.open_dataset(p) as ds:
                loaded = ds.load()
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes one message naming the file
        first = str(exc).splitlines()[0] if str(exc) else ""
        raise InputError(
            f"path: expected a readable netCDF Dataset, got {str(p)!r}, which could not be read "
            f"(truncated or corrupt?): {type(exc).__name__}: {first}"[:400]
        ) from None
    finally:
        if store is not None:
            store.close()
    raw = loaded.attrs.get(META_ATTR)
    if raw is None:
        warnings.warn(
            f"{str(p)!r} has no {META_ATTR!r} attribute: not written by qbath.io.save from a qbath "
            "result, so it is returned as a plain Dataset without qbath provenance",
            QbathWarning,
            stacklevel=2,
        )
    else:
        try:
            json.loads(raw)
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"path: expected valid JSON in the {META_ATTR!r} attribute of {str(p)!r}, got {str(raw)[:60]!r} ({exc})"
            ) from None
    try:
        return _join_complex(loaded)
    except KeyError as exc:
        raise InputError(
            f"path: expected the complex-variable attributes qbath.io.save writes, got {str(p)!r} "
            f"with a variable missing {exc}"
        ) from None
