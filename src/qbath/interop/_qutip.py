r"""Conversion between qbath's numpy arrays and ``qutip.Qobj`` (extra ``qutip``).

qbath accepts a ``Qobj`` wherever it takes an operator or a state (validation calls ``.full()``);
these helpers go the other way. Conventions agree with QuTiP's: ``basis(2, 0)`` is spin up,
:math:`\sigma_z = \mathrm{diag}(1, -1)`, first tensor factor leftmost, column-stacking
vectorisation, so a qbath Liouvillian or collision map (shape (d^2, d^2)) becomes a QuTiP
super-operator without reordering.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._checks import as_numeric_array, check_bool, check_dims, check_finite
from .._errors import InputError
from .._optional import require
from .._result import BaseResult

__all__ = ["to_qutip", "from_qutip"]


def _qutip() -> Any:
    return require("qutip", purpose="QuTiP interoperability")


def _dims_for(d: int, dims: Sequence[int] | int | None, what: str) -> list[int]:
    if dims is None:
        return [d]
    dd = list(check_dims("dims", dims))
    if int(np.prod(dd)) != d:
        raise InputError(
            f"dims: expected subsystem dimensions whose product is {d} ({what}), got {tuple(dd)}"
        )
    return dd


def _result_dims(result: BaseResult) -> Sequence[int] | None:
    meta = result.meta  # type: ignore[attr-defined]
    for key in ("system_dims", "dims"):
        v = meta.get(key)
        if isinstance(v, (list, tuple)) and v and all(isinstance(x, int) for x in v):
            return v
    return None


def to_qutip(
    obj: Any, dims: Sequence[int] | int | None = None, *, superoperator: bool = False
) -> Any:
    """A ``qutip.Qobj`` (or a list of them) from a qbath array or result.

    Parameters
    ----------
    obj : array_like or result
        (d,) ket; (d, d) operator or density matrix; (T, d, d) stack -> list of T ``Qobj``;
        (d^2, d^2) with ``superoperator=True`` -> super-operator (column stacking, QuTiP's ``super``
        representation); a result with ``.states`` -> list of ``Qobj`` of its states.
    dims : sequence of int, optional
        Subsystem dimensions, first factor leftmost (default: one subsystem of dimension d; for a
        result, ``result.meta["system_dims"]`` when present).
    superoperator : bool
        Treat a square matrix of side d^2 as a super-operator on d x d matrices.

    Returns
    -------
    qutip.Qobj or list of qutip.Qobj
    """
    superoperator = check_bool("superoperator", superoperator)
    qt = _qutip()
    if isinstance(obj, qt.Qobj):
        return obj
    if isinstance(obj, BaseResult):
        if obj.states is None:
            raise InputError(
                f"obj: expected a result with stored states, got a {type(obj).__name__} with states=None"
            )
        return to_qutip(np.asarray(obj.states), dims if dims is not None else _result_dims(obj))
    a = as_numeric_array(
        "obj", obj, "a ket, an operator or a qbath result", allow_complex=True
    ).astype(complex)
    if a.size == 0:
        raise InputError(f"obj: expected a non-empty ket or operator, got shape {a.shape}")
    check_finite("obj", a)
    if a.ndim == 1:
        return qt.Qobj(a.reshape(-1, 1), dims=[_dims_for(a.shape[0], dims, "a ket"), [1]])
    if a.ndim == 2 and a.shape[0] == a.shape[1]:
        d = a.shape[0]
        if superoperator:
            n = int(round(np.sqrt(d)))
            if n * n != d:
                raise InputError(
                    f"obj: expected a super-operator of shape (d^2, d^2), got shape {a.shape}"
                )
            sd = _dims_for(n, dims, "the space the super-operator acts on")
            return qt.Qobj(a, dims=[[sd, sd], [sd, sd]])
        dd = _dims_for(d, dims, "an operator")
        return qt.Qobj(a, dims=[dd, dd])
    if a.ndim == 2 and a.shape[1] == 1:
        return qt.Qobj(a, dims=[_dims_for(a.shape[0], dims, "a ket"), [1]])
    if a.ndim == 3 and a.shape[1] == a.shape[2]:
        dd = _dims_for(a.shape[1], dims, "each operator of the stack")
        return [qt.Qobj(m, dims=[dd, dd]) for m in a]
    raise InputError(
        f"obj: expected a ket (d,), an operator (d, d) or a stack (T, d, d), got shape {a.shape}"
    )


def from_qutip(obj: Any) -> np.ndarray:
    """A numpy array from a ``Qobj`` (``.full()``), or a stacked array from a list of them.

    Kets come back as vectors of shape (d,); operators as (d, d); a list of T operators as (T, d, d).
    """
    if isinstance(obj, (list, tuple)):
        if not obj:
            raise InputError("obj: expected a Qobj or a non-empty list of Qobj, got an empty list")
        return np.stack([from_qutip(o) for o in obj])
    if not (hasattr(obj, "full") and callable(obj.full)):
        raise InputError(f"obj: expected a qutip.Qobj, got {type(obj).__name__}")
    a = np.asarray(obj.full(), dtype=complex)
    if getattr(obj, "type", "") in ("ket", "operator-ket"):
        return a[:, 0]
    return a
