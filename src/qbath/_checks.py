"""Input validation in one place.

Every public function funnels its arguments through these helpers, so a bad input produces one kind
of message everywhere: ``<argument>: expected <what>, got <what was given>``. Operators may be numpy
arrays, nested lists or ``qutip.Qobj`` (anything with a ``.full()`` method); they come back as
complex ``numpy.ndarray``.
"""

from __future__ import annotations

import difflib
import math
import numbers
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


def as_operator(
    name: str, op: Any, dim: int | None = None, *, allow_batch: bool = False
) -> np.ndarray:
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
    a = as_numeric_array(name, op, "a square matrix of numbers", allow_complex=True).astype(complex)
    if a.ndim >= 2 and a.shape[-1] == 0:
        raise InputError(f"{name}: expected a non-empty square matrix, got shape {a.shape}")
    if a.ndim < 2 or (a.ndim > 2 and not allow_batch) or a.shape[-1] != a.shape[-2]:
        want = "(..., d, d)" if allow_batch else "(d, d)"
        raise InputError(f"{name}: expected a square matrix of shape {want}, got shape {a.shape}")
    if dim is not None and a.shape[-1] != dim:
        raise InputError(
            f"{name}: expected dimension {dim} (shape ({dim}, {dim})), got shape {a.shape}"
        )
    check_finite(name, a)
    return a


def as_numeric_array(name: str, x: Any, what: str, *, allow_complex: bool) -> np.ndarray:
    """``x`` as a numeric array, refusing strings, bools, objects and (unless allowed) complex.

    Nested lists that numpy cannot make rectangular are refused too.
    """
    if isinstance(x, (str, bytes)):
        raise InputError(f"{name}: expected {what}, got {describe(x)}")
    try:
        a = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: expected {what}, got {describe(x)} ({exc})") from exc
    if a.dtype.kind == "O":
        # e.g. Fractions or mpmath numbers: accept plain numbers only
        flat = a.ravel()
        if not all(
            isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_)) for v in flat
        ):
            raise InputError(f"{name}: expected {what}, got {describe(x)} with non-numeric entries")
        try:
            a = a.astype(
                complex
                if any(
                    isinstance(v, numbers.Complex) and not isinstance(v, numbers.Real) for v in flat
                )
                else float
            )
        except (TypeError, ValueError, OverflowError) as exc:
            raise InputError(f"{name}: expected {what}, got {describe(x)}") from exc
    if a.dtype.kind == "b":
        raise InputError(f"{name}: expected {what}, got booleans ({describe(a)})")
    if a.dtype.kind not in "iufc":
        raise InputError(f"{name}: expected {what}, got {describe(a)}")
    if a.dtype.kind == "c" and not allow_complex:
        raise InputError(f"{name}: expected real values, got complex values ({describe(a)})")
    return a


def check_bool(name: str, flag: Any) -> bool:
    """A flag: ``True`` or ``False`` (numpy bools accepted); truthy strings and numbers refused."""
    if isinstance(flag, (bool, np.bool_)):
        return bool(flag)
    raise InputError(f"{name}: expected True or False, got {describe(flag)}")


def check_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    """One of a fixed set of strings; a near miss gets a "did you mean" suggestion."""
    if isinstance(value, str) and value in choices:
        return value
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, list(choices), n=1)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
    raise InputError(f"{name}: expected one of {tuple(choices)}, got {describe(value)}{hint}")


def check_finite(name: str, a: Any) -> None:
    """Raise if ``a`` contains NaN or infinite entries."""
    arr = np.asarray(a)
    if arr.dtype.kind in "biufc" and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise InputError(
            f"{name}: expected finite values, got {bad} non-finite entries (NaN or inf)"
        )


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


def as_hermitian(
    name: str, op: Any, dim: int | None = None, tol: float = HERMITIAN_TOL
) -> np.ndarray:
    """:func:`as_operator` followed by :func:`check_hermitian`."""
    return check_hermitian(name, as_operator(name, op, dim), tol)


def as_density_matrix(
    name: str,
    rho: Any,
    dim: int | None = None,
    tol: float = DENSITY_TOL,
    *,
    allow_ket: bool = False,
) -> np.ndarray:
    """Return ``rho`` as a validated density matrix: Hermitian, unit trace, positive semidefinite.

    With ``allow_ket`` a vector of length d (or a (d, 1) column, or a ket ``Qobj``) is accepted and
    turned into ``|psi><psi|`` after checking its norm.
    """
    if hasattr(rho, "full") and callable(rho.full):
        rho = rho.full()
    arr = as_numeric_array(name, rho, "a density matrix", allow_complex=True).astype(complex)
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
    v = as_numeric_array(name, psi, "a state vector", allow_complex=True).astype(complex)
    if v.size == 0:
        raise InputError(f"{name}: expected a non-empty state vector, got shape {v.shape}")
    if v.ndim == 2 and v.shape[1] == 1:
        v = v[:, 0]
    if v.ndim != 1:
        raise InputError(f"{name}: expected a state vector of shape (d,), got shape {v.shape}")
    if dim is not None and v.shape[0] != dim:
        raise InputError(
            f"{name}: expected a state vector of length {dim}, got length {v.shape[0]}"
        )
    check_finite(name, v)
    n = np.linalg.norm(v)
    if abs(n - 1.0) > tol:
        raise InputError(f"{name}: expected a normalised state vector, got norm {n:.12g}")
    return v


def as_density_stack(
    name: str, rho: Any, dim: int | None = None, tol: float = DENSITY_TOL, *, eigvals: bool = False
) -> Any:
    """A density matrix or a stack (..., d, d) of them, each Hermitian, of unit trace and positive.

    Tolerances as in :func:`as_density_matrix`; returns the Hermitian part (and, with
    ``eigvals``, also its ascending eigenvalues, shape (..., d), computed once for the check).
    """
    a = check_hermitian(name, as_operator(name, rho, dim, allow_batch=True), tol)
    d = a.shape[-1]
    tr = np.trace(a, axis1=-2, axis2=-1).real
    bad = np.abs(tr - 1.0) > tol * d
    if np.any(bad):
        k = np.unravel_index(int(np.argmax(bad)), tr.shape) if tr.ndim else ()
        where = f" (entry {tuple(int(i) for i in k)})" if tr.ndim else ""
        raise InputError(
            f"{name}: expected a density matrix with unit trace, got trace {float(tr[k]):.12g}{where}"
        )
    w = np.linalg.eigvalsh(a)
    lam = w[..., 0]
    if np.any(lam < -tol * max(1, d)):
        raise InputError(
            f"{name}: expected a positive semidefinite density matrix, got smallest eigenvalue "
            f"{float(np.min(lam)):.3e}"
        )
    return (a, w) if eigvals else a


def check_log_base(name: str, base: Any) -> float | None:
    """A logarithm base: ``None`` (natural log) or a real number > 0 and != 1."""
    if base is None:
        return None
    b = check_real_scalar(name, base, minimum=0.0, strict=True)
    if b == 1.0:
        raise InputError(f"{name}: expected a logarithm base > 0 other than 1, got 1")
    return b


def resolve_temperature(
    owner: str, *, beta: Any = None, temperature: Any = None, required: bool = True
) -> float | None:
    """One inverse temperature from either ``beta`` (>= 0, ``inf`` allowed) or ``temperature``
    (>= 0, :math:`\beta = 1/T`); giving both is refused. Returns ``beta`` (``None`` when neither
    is given and not ``required``)."""
    if beta is not None and temperature is not None:
        raise InputError(
            f"beta: expected beta or temperature for {owner}, got both (beta={beta!r}, temperature={temperature!r})"
        )
    if beta is not None:
        return check_beta("beta", beta)
    if temperature is not None:
        t = check_temperature("temperature", temperature)
        return math.inf if t == 0.0 else 1.0 / t
    if required:
        raise InputError(
            f"beta: expected beta (inverse temperature) or temperature for {owner}, got neither"
        )
    return None


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
    if isinstance(x, (bool, np.bool_)):
        raise InputError(f"{name}: expected a real number, got bool {x!r}")
    if isinstance(x, (complex, np.complexfloating)) or (
        isinstance(x, np.ndarray) and x.dtype.kind == "c"
    ):
        raise InputError(f"{name}: expected a real number, got complex {x!r}")
    if isinstance(x, np.ndarray):
        if x.ndim != 0 or x.dtype.kind not in "iuf":
            raise InputError(f"{name}: expected a real number, got {describe(x)}")
        x = x.item()
    if not isinstance(x, numbers.Real):
        raise InputError(f"{name}: expected a real number, got {describe(x)}")
    try:
        v = float(x)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(
            f"{name}: expected a real number representable as a float, got {describe(x)}"
        ) from exc
    if math.isnan(v) or (math.isinf(v) and not (allow_inf and v > 0)):
        raise InputError(f"{name}: expected a finite real number, got {v}")
    if minimum is not None:
        if strict and not v > minimum:
            raise InputError(f"{name}: expected a value > {minimum:g}, got {v}")
        if not strict and not v >= minimum:
            raise InputError(f"{name}: expected a value >= {minimum:g}, got {v}")
    return v


def check_complex_scalar(name: str, z: Any) -> complex:
    """A finite complex number (real numbers accepted; bools, strings and arrays refused)."""
    if isinstance(z, np.ndarray) and z.ndim == 0 and z.dtype.kind in "iufc":
        z = z.item()
    if isinstance(z, (bool, np.bool_)) or not isinstance(z, numbers.Complex):
        raise InputError(f"{name}: expected a complex number, got {describe(z)}")
    try:
        c = complex(z)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"{name}: expected a complex number, got {describe(z)}") from exc
    if not (math.isfinite(c.real) and math.isfinite(c.imag)):
        raise InputError(f"{name}: expected a finite complex number, got {c}")
    return c


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
    if isinstance(n, np.ndarray) and n.ndim == 0 and n.dtype.kind in "iu":
        n = n.item()
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise InputError(f"{name}: expected an integer >= {minimum}, got {describe(n)}")
    if n < minimum:
        raise InputError(f"{name}: expected an integer >= {minimum}, got {n}")
    return int(n)


def check_dims(name: str, dims: Any) -> tuple[int, ...]:
    """A tuple of positive subsystem dimensions."""
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, (bool, np.bool_)):
        dims = (dims,)
    if (
        isinstance(dims, (str, bytes))
        or not isinstance(dims, Sequence)
        and not isinstance(dims, np.ndarray)
    ):
        raise InputError(f"{name}: expected a sequence of positive integers, got {describe(dims)}")
    out = []
    for d in dims:
        if isinstance(d, (bool, np.bool_)) or not isinstance(d, (int, np.integer)) or d < 1:
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
    arr = as_numeric_array(name, x, "real numbers", allow_complex=False).astype(float)
    if max_ndim is not None and arr.ndim > max_ndim:
        raise InputError(f"{name}: expected at most {max_ndim} dimension(s), got {describe(arr)}")
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


def as_real_shaped(
    name: str, a: Any, shape: tuple[int, ...], *, what: str = "real values"
) -> np.ndarray:
    """:func:`as_real_array` of exactly ``shape``; ``what`` describes the expected content."""
    arr = as_numeric_array(name, a, f"{what} of shape {shape}", allow_complex=False)
    if arr.shape != shape:
        raise InputError(f"{name}: expected {what} of shape {shape}, got shape {arr.shape}")
    return as_real_array(name, arr)


def as_rate_vector(name: str, rate: Any, n: int) -> np.ndarray:
    """A non-negative rate: a scalar (the same for all ``n`` elements) or an array of shape (n,)."""
    if isinstance(rate, (str, bytes, bool, np.bool_)):
        raise InputError(
            f"{name}: expected a non-negative rate (a scalar or one per element), got {describe(rate)}"
        )
    arr = np.asarray(rate)
    if arr.ndim == 0:
        return np.full(n, check_real_scalar(name, rate, minimum=0.0))
    out = as_real_shaped(name, arr, (n,), what="non-negative rates (a scalar or one per element)")
    if np.any(out < 0):
        raise InputError(f"{name}: expected non-negative rates, got minimum {float(out.min()):.6g}")
    return out
