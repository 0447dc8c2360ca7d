"""Input validation in one place.

Every public function funnels its arguments through these helpers, so a bad input produces one kind
of message everywhere: ``<argument>: expected <what>, got <what was given>``. Operators may be numpy
arrays, nested lists or ``qutip.Qobj`` (anything with a ``.full()`` method); they come back as
complex ``numpy.ndarray``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._errors import InputError

#: Default absolute tolerance for Hermiticity / trace / positivity checks (relative to the norm).
HERMITIAN_TOL = 1e-10
DENSITY_TOL = 1e-8


def describe(a: Any) -> str:
    """A short description of a given value for error messages (shape and dtype of an array)."""
    if isinstance(a, np.ndarray):
        return f"array of shape {a.shape} and dtype {a.dtype}"
    return f"{type(a).__name__} {a!r}"[:200]


def as_operator(name: str, op: Any, dim: int | None = None, *, allow_batch: bool = False) -> np.ndarray:
    """Return ``op`` as a finite complex square matrix (or a stack, with ``allow_batch``).

    Parameters
    ----------
    name : str
        Argument name used in error messages.
    op : array_like or qutip.Qobj
        Operator of shape (d, d) (or (..., d, d) with ``allow_batch``).
    dim : int, optional
        Required dimension d.
    """
    if hasattr(op, "full") and callable(op.full):  # qutip.Qobj and friends
        op = op.full()
    try:
        a = np.asarray(op, dtype=complex)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: expected a square matrix, got {describe(op)}") from exc
    if a.ndim < 2 or (a.ndim > 2 and not allow_batch) or a.shape[-1] != a.shape[-2]:
        want = "(..., d, d)" if allow_batch else "(d, d)"
        raise InputError(f"{name}: expected a square matrix of shape {want}, got shape {a.shape}")
    if dim is not None and a.shape[-1] != dim:
        raise InputError(
            f"{name}: expected dimension {dim} (shape ({dim}, {dim})), got shape {a.shape}"
        )
    check_finite(name, a)
    return a


def check_finite(name: str, a: Any) -> None:
    """Raise if ``a`` contains NaN or infinite entries."""
    arr = np.asarray(a)
    if arr.dtype.kind in "biufc" and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise InputError(f"{name}: expected finite values, got {bad} non-finite entries (NaN or inf)")


def hermiticity_error(a: np.ndarray) -> float:
    """``max |A - A^dag|`` over the last two axes."""
    return float(np.max(np.abs(a - np.conj(np.swapaxes(a, -1, -2))), initial=0.0))


def is_hermitian(a: np.ndarray, tol: float = HERMITIAN_TOL) -> bool:
    """Whether ``a`` (or every matrix of a stack) is Hermitian to ``tol * max(1, max|a|)``."""
    scale = max(1.0, float(np.max(np.abs(a), initial=0.0)))
    return hermiticity_error(a) <= tol * scale


def check_hermitian(name: str, a: np.ndarray, tol: float = HERMITIAN_TOL) -> np.ndarray:
    """Raise unless ``a`` is Hermitian to ``tol * max(1, max|a|)``; return the Hermitian part."""
    scale = max(1.0, float(np.max(np.abs(a), initial=0.0)))
    err = hermiticity_error(a)
    if err > tol * scale:
        raise InputError(
            f"{name}: expected a Hermitian operator, got max|A - A^dag| = {err:.3e} "
            f"(tolerance {tol * scale:.1e})"
        )
    return 0.5 * (a + np.conj(np.swapaxes(a, -1, -2)))


def as_hermitian(name: str, op: Any, dim: int | None = None, tol: float = HERMITIAN_TOL) -> np.ndarray:
    """:func:`as_operator` followed by :func:`check_hermitian`."""
    return check_hermitian(name, as_operator(name, op, dim), tol)


def as_density_matrix(
    name: str, rho: Any, dim: int | None = None, tol: float = DENSITY_TOL, *, allow_ket: bool = False
) -> np.ndarray:
    """Return ``rho`` as a validated density matrix: Hermitian, unit trace, positive semidefinite.

    With ``allow_ket`` a vector of length d (or a (d, 1) column, or a ket ``Qobj``) is accepted and
    turned into ``|psi><psi|`` after checking its norm.
    """
    if hasattr(rho, "full") and callable(rho.full):
        rho = rho.full()
    arr = np.asarray(rho, dtype=complex)
    if allow_ket and (arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1 and arr.shape[0] > 1)):
        psi = as_ket(name, arr, dim)
        return np.outer(psi, psi.conj())
    a = as_operator(name, arr, dim)
    a = check_hermitian(name, a, tol)
    tr = np.trace(a).real
    if abs(tr - 1.0) > tol * a.shape[0]:
        raise InputError(f"{name}: expected a density matrix with unit trace, got trace {tr:.12g}")
    lam_min = float(np.linalg.eigvalsh(a)[0])
    if lam_min < -tol * max(1, a.shape[0]):
        raise InputError(
            f"{name}: expected a positive semidefinite density matrix, got smallest eigenvalue "
            f"{lam_min:.3e}"
        )
    return a


def as_ket(name: str, psi: Any, dim: int | None = None, tol: float = DENSITY_TOL) -> np.ndarray:
    """Return a normalised state vector of shape (d,)."""
    if hasattr(psi, "full") and callable(psi.full):
        psi = psi.full()
    v = np.asarray(psi, dtype=complex)
    if v.ndim == 2 and v.shape[1] == 1:
        v = v[:, 0]
    if v.ndim != 1:
        raise InputError(f"{name}: expected a state vector of shape (d,), got shape {v.shape}")
    if dim is not None and v.shape[0] != dim:
        raise InputError(f"{name}: expected a state vector of length {dim}, got length {v.shape[0]}")
    check_finite(name, v)
    n = np.linalg.norm(v)
    if abs(n - 1.0) > tol:
        raise InputError(f"{name}: expected a normalised state vector, got norm {n:.12g}")
    return v


def as_state(name: str, state: Any, dim: int | None = None) -> np.ndarray:
    """A density matrix from a density matrix or a ket (see :func:`as_density_matrix`)."""
    return as_density_matrix(name, state, dim, allow_ket=True)


def check_real_scalar(
    name: str,
    x: Any,
    *,
    minimum: float | None = None,
    strict: bool = False,
    allow_inf: bool = False,
) -> float:
    """Return ``x`` as float, checking it is real, finite (unless ``allow_inf``) and in range.

    ``minimum`` with ``strict=True`` asks for ``x > minimum``; otherwise ``x >= minimum``.
    """
    if isinstance(x, complex) or (isinstance(x, np.ndarray) and x.dtype.kind == "c"):
        raise InputError(f"{name}: expected a real number, got {x!r}")
    try:
        v = float(x)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: expected a real number, got {describe(x)}") from exc
    if math.isnan(v) or (math.isinf(v) and not (allow_inf and v > 0)):
        raise InputError(f"{name}: expected a finite real number, got {v}")
    if minimum is not None:
        if strict and not v > minimum:
            raise InputError(f"{name}: expected a value > {minimum:g}, got {v}")
        if not strict and not v >= minimum:
            raise InputError(f"{name}: expected a value >= {minimum:g}, got {v}")
    return v


def check_beta(name: str, beta: Any) -> float:
    """An inverse temperature: real, >= 0, ``inf`` allowed (ground state)."""
    return check_real_scalar(name, beta, minimum=0.0, allow_inf=True)


def check_temperature(name: str, temperature: Any) -> float:
    """A temperature: real, finite, >= 0 (0 allowed: the ground state / vacuum)."""
    return check_real_scalar(name, temperature, minimum=0.0)


def check_dt(name: str, dt: Any) -> float:
    """A time step: real, finite, > 0."""
    return check_real_scalar(name, dt, minimum=0.0, strict=True)


def check_int(name: str, n: Any, *, minimum: int = 0) -> int:
    """A Python int >= ``minimum`` (numpy integers accepted, bools and floats refused)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise InputError(f"{name}: expected an integer >= {minimum}, got {describe(n)}")
    if n < minimum:
        raise InputError(f"{name}: expected an integer >= {minimum}, got {n}")
    return int(n)


def check_dims(name: str, dims: Any) -> tuple[int, ...]:
    """A tuple of positive subsystem dimensions."""
    if isinstance(dims, (int, np.integer)):
        dims = (dims,)
    if not isinstance(dims, Sequence) and not isinstance(dims, np.ndarray):
        raise InputError(f"{name}: expected a sequence of positive integers, got {describe(dims)}")
    out = []
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
            raise InputError(f"{name}: expected positive integer dimensions, got {tuple(dims)!r}")
        out.append(int(d))
    if not out:
        raise InputError(f"{name}: expected at least one subsystem dimension, got ()")
    return tuple(out)


def check_same_dim(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    """Raise unless two square operators act on spaces of the same dimension."""
    if a.shape[-1] != b.shape[-1]:
        raise InputError(
            f"{name_b}: expected dimension {a.shape[-1]} to match {name_a}, got dimension {b.shape[-1]}"
        )


def as_real_array(name: str, x: Any, *, max_ndim: int | None = None) -> np.ndarray:
    """Return ``x`` as a finite float array (at most ``max_ndim`` dimensions); complex is refused."""
    arr = np.asarray(x)
    if arr.dtype.kind == "c":
        raise InputError(f"{name}: expected real values, got {describe(arr)}")
    try:
        arr = arr.astype(float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: expected real numbers, got {describe(x)}") from exc
    if max_ndim is not None and arr.ndim > max_ndim:
        raise InputError(
            f"{name}: expected at most {max_ndim} dimension(s), got {describe(arr)}"
        )
    check_finite(name, arr)
    return arr


def check_times(name: str, t: Any, *, min_length: int = 2) -> np.ndarray:
    """A 1-D, finite, strictly increasing array of times with at least ``min_length`` entries."""
    arr = as_real_array(name, t, max_ndim=1)
    if arr.ndim != 1 or arr.size < min_length:
        raise InputError(
            f"{name}: expected a 1-D array of at least {min_length} times, got {describe(arr)}"
        )
    steps = np.diff(arr)
    if np.any(steps <= 0):
        i = int(np.argmax(steps <= 0))
        raise InputError(
            f"{name}: expected strictly increasing times, got t[{i}] = {arr[i]} >= t[{i + 1}] = "
            f"{arr[i + 1]}"
        )
    return arr


# --- shaped real arrays and rates (spins area) ----------------------------------------------------


def as_real_shaped(name: str, a: Any, shape: tuple[int, ...], *, what: str = "real values") -> np.ndarray:
    """:func:`as_real_array` of exactly ``shape``; ``what`` describes the expected content."""
    arr = np.asarray(a)
    if arr.dtype.kind not in "biufc":
        raise InputError(f"{name}: expected {what} of shape {shape}, got {describe(a)}")
    if arr.dtype.kind == "c":
        raise InputError(f"{name}: expected {what}, got complex values ({describe(arr)})")
    if arr.shape != shape:
        raise InputError(f"{name}: expected {what} of shape {shape}, got shape {arr.shape}")
    return as_real_array(name, arr)


def as_rate_vector(name: str, rate: Any, n: int) -> np.ndarray:
    """A non-negative rate: a scalar (the same for all ``n`` elements) or an array of shape (n,)."""
    arr = np.asarray(rate)
    if arr.ndim == 0:
        return np.full(n, check_real_scalar(name, rate, minimum=0.0))
    out = as_real_shaped(name, arr, (n,), what="non-negative rates (a scalar or one per element)")
    if np.any(out < 0):
        raise InputError(f"{name}: expected non-negative rates, got minimum {float(out.min()):.6g}")
    return out
