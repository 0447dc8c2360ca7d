"""Names of the methods, for configuration files: ``method_from_name("rk4", dt=0.01)``.

A new method is one class (a frozen dataclass subclassing :class:`~qbath.ode.Method`) plus one
line in ``METHODS``.
"""

from __future__ import annotations

from typing import Any

from .._errors import InputError
from ._base import Method
from ._dopri5 import Dopri5
from ._rk4 import RK4
from ._scipy import BDF, DOP853

#: registry name -> method class
METHODS: dict[str, type[Method]] = {
    "dopri5": Dopri5,
    "rk4": RK4,
    "dop853": DOP853,
    "bdf": BDF,
}


def method_from_name(name: Any, **options: Any) -> Method:
    """The method object registered as ``name`` built with ``options``.

    Examples
    --------
    >>> from qbath.ode import method_from_name
    >>> method_from_name("rk4", dt=0.01)
    RK4(dt=0.01)
    """
    if not isinstance(name, str) or name not in METHODS:
        raise InputError(f"method: expected one of {sorted(METHODS)}, got {name!r}")
    cls = METHODS[name]
    try:
        return cls(**options)
    except TypeError as exc:  # unknown or missing option
        raise InputError(f"method {name!r}: bad options {options!r} ({exc})") from exc


def check_method(method: Any) -> Method:
    """``method`` if it is a method object, else an :class:`~qbath.InputError` naming the choices."""
    if isinstance(method, Method):
        return method
    hint = ""
    if isinstance(method, str):
        hint = f" (for a name use qbath.ode.method_from_name({method!r}, ...))"
    raise InputError(
        "method: expected a method object such as qbath.Dopri5(), qbath.RK4(dt=0.01), "
        f"qbath.DOP853() or qbath.BDF(), got {method!r}{hint}"
    )
