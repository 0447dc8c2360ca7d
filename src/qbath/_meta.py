"""Provenance attached to every result: parameters, qbath version and conventions."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._version import __version__

CONVENTIONS = (
    "hbar=k_B=1; qubit index 0 = up, sigma_z=diag(1,-1); sigma_pm=(sigma_x pm i sigma_y)/2; "
    "first tensor factor leftmost (system first); D[L]rho=L rho L^dag - {L^dag L, rho}/2; "
    "column-stacking vec; heat > 0 into the system, work > 0 done on the system; entropies in nats"
)


def _plain(v: Any) -> Any:
    """Turn numpy scalars/small arrays into plain Python values (netCDF/JSON friendly)."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray) and v.size <= 64:
        return v.tolist()
    if isinstance(v, (list, tuple)) and len(v) <= 64:
        return [_plain(x) for x in v]
    return v


def make_meta(kind: str, **params: Any) -> dict[str, Any]:
    """Provenance dictionary: ``{"kind", "qbath_version", "conventions", **params}``.

    Large arrays are not copied in (only their shape is recorded).
    """
    meta: dict[str, Any] = {"kind": kind, "qbath_version": __version__, "conventions": CONVENTIONS}
    for k, v in params.items():
        if isinstance(v, np.ndarray) and v.size > 64:
            meta[k] = f"<array shape {v.shape}>"
        else:
            meta[k] = _plain(v)
    return meta
