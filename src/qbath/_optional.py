"""Lazy imports of optional dependencies, with an error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

# module name -> extra of qbath that provides it
_EXTRAS = {
    "qutip": "qutip",
    "matplotlib": "plot",
    "xarray": "io",
    "netCDF4": "io",
    "dask": "sweep",
    "distributed": "sweep",
    "sympy": "symbolic",
    "tqdm": "progress",
}


def require(module: str, extra: str | None = None, purpose: str = "") -> ModuleType:
    """Import ``module`` or raise :class:`ImportError` naming the qbath extra that provides it.

    >>> np = require("numpy")  # doctest: +SKIP
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - exercised with a fake module name in tests
        top = module.split(".")[0]
        extra = extra or _EXTRAS.get(top, top)
        why = f" for {purpose}" if purpose else ""
        raise ImportError(
            f"qbath needs the optional package '{top}'{why}; install it with "
            f'`pip install "qbath[{extra}]"` (or `pip install {top}`).'
        ) from exc
