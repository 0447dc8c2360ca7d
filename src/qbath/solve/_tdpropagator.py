r"""Propagators of constant and time-dependent problems with QuTiP's call signature.

``propagator(H, t, c_ops=None, *, args=None)``:

* ``H`` a Hamiltonian (constant or QuTiP's list form) and no ``c_ops``: the unitary
  :math:`U(t, t_0)`, solving :math:`i\dot U = H(t)U`, shape (d, d);
* with ``c_ops``, or ``H`` a GKSL generator: the dynamical map :math:`\Lambda(t, t_0)` as a
  column-stacking superoperator, shape (d^2, d^2), solving :math:`\dot\Lambda = \mathcal L(t)\Lambda`.

Constant problems use the matrix exponential; time-dependent ones integrate with the ODE layer
(the superoperators of every term are built once, sparse).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

from .._checks import check_real_scalar
from .._errors import InputError
from ..generators import KetRHS, LindbladForm, as_lindblad, liouvillian
from ..ode import Dopri5
from ._blas import blas_threads
from ._options import observing, progress_meter, solve_options
from ._tdsolve import is_time_dependent, td_generator, td_liouvillian_parts

__all__ = ["propagator"]

#: largest Hilbert-space dimension for which dense (d^2, d^2) maps are built
MAX_DENSE_DIM = 64


def _times(t: Any) -> tuple[np.ndarray, bool]:
    arr = np.asarray(t)
    if arr.dtype.kind not in "iuf" or arr.ndim > 1:
        raise InputError(
            f"t: expected a time >= 0 or a 1-D array of them (real), got {arr.dtype} of shape "
            f"{arr.shape}"
        )
    ts = np.atleast_1d(arr).astype(float)
    if ts.size == 0:
        raise InputError(
            "t: expected a time >= 0 or a non-empty 1-D array of them, got an empty array"
        )
    if not np.all(np.isfinite(ts)) or np.any(ts < 0):
        raise InputError(f"t: expected a time >= 0 or a 1-D array of them, got {ts[:6]}")
    return ts, arr.ndim == 0


def _is_generator(H: Any) -> bool:
    return hasattr(H, "_lindblad_form") or isinstance(H, LindbladForm)


def _check_pair(H: Any) -> None:
    if isinstance(H, tuple) and len(H) == 2 and (H[1] is None or isinstance(H[1], (list, tuple))):
        raise InputError(
            "H: expected a Hamiltonian or a GKSL generator, got a pair (H, c_ops); pass the "
            "collapse operators as the third argument, as QuTiP: propagator(H, t, c_ops)"
        )


def _check_dense(d: int) -> None:
    if d > MAX_DENSE_DIM:
        raise InputError(
            f"H: expected dimension <= {MAX_DENSE_DIM} for a dense (d^2, d^2) map, got {d}; use "
            "qbath.mesolve for the action on states"
        )


def _constant(H: Any, c_ops: Any, ts: np.ndarray, t0: float, progress: bool) -> np.ndarray:
    if _is_generator(H) or c_ops:
        form = as_lindblad(H) if _is_generator(H) else as_lindblad((H, list(c_ops)))
        _check_dense(form.dim)
        G = liouvillian(form)
    else:
        G = -1j * as_lindblad((H, [])).hamiltonian.toarray()
    out = []
    with progress_meter("propagator", ts.size, progress) as bar:
        for x in ts:
            out.append(sla.expm(G * (x - t0)))
            if bar is not None:
                bar.advance_to(len(out))
    return np.stack(out)


def _integrate(
    rhs: Any, y0: np.ndarray, grid: np.ndarray, method: Any, progress: bool
) -> np.ndarray:
    out = np.empty((len(grid),) + y0.shape, dtype=complex)

    def save(i: int, y: np.ndarray) -> None:
        out[i] = y

    with blas_threads(1), observing("propagator", grid, progress, save) as obs:
        method.integrate(rhs, y0, grid, obs)
    return out


def propagator(
    H: Any,
    t: Any,
    c_ops: Any = None,
    *,
    args: Mapping[str, Any] | None = None,
    t0: float = 0.0,
    method: Any = None,
    coeff_tlist: Any = None,
    interpolation: str = "cubic",
    progress: bool = False,
) -> np.ndarray:
    r"""The propagator of a closed or open system from ``t0`` to ``t`` (QuTiP's signature).

    Parameters
    ----------
    H : (d, d) operator, QuTiP's list form ``[H0, [H1, f1], ...]``, or a GKSL generator
    t : float or (T,) array_like
        Final time(s) >= ``t0``.
    c_ops : list of collapse operators (constant or ``[L, g]`` pairs), optional
    args : dict, optional
        Arguments of two-argument coefficient functions.
    t0 : float
        Initial time (default 0).
    method : qbath.ode method, optional
        For time-dependent problems (default ``Dopri5(rtol=1e-10, atol=1e-12)``).
    coeff_tlist : (N,) array_like, optional
        Sample times of array coefficients.
    interpolation : {"cubic", "step"}
        Interpolation of array coefficients (cubic spline, or piecewise constant).
    progress : bool
        Show how far the integration got (time-dependent problems: the fraction of the time span
        covered; constant ones: the times done), a tqdm bar or ``INFO`` log lines. Changes no
        number.

    Returns
    -------
    (d, d) unitary, or (d^2, d^2) column-stacking superoperator (with ``c_ops`` or a GKSL); a
    leading (T,) axis for an array of times. ``(P @ rho0.ravel(order="F")).reshape(d, d,
    order="F")`` is :math:`\rho(t)`.
    """
    _check_pair(H)
    ts, scalar = _times(t)
    t0 = check_real_scalar("t0", t0)
    opts = solve_options(
        args=args, method=method, interpolation=interpolation, progress=progress,
        default_method=Dopri5(rtol=1e-10, atol=1e-12),
    )  # fmt: skip
    if np.any(ts < t0):
        raise InputError(f"t: expected times >= t0 = {t0:g}, got {ts.min():g}")
    if _is_generator(H) and c_ops:
        raise InputError(
            "c_ops: expected none when H is a GKSL generator (its dissipators are in it)"
        )
    if not is_time_dependent(H, c_ops):
        out = _constant(H, c_ops, ts, t0, opts.progress)
        return out[0] if scalar else out
    method = opts.method
    order = np.argsort(ts, kind="stable")
    uniq, inv = np.unique(ts[order], return_inverse=True)
    grid = np.concatenate([[t0], uniq]) if uniq[0] > t0 else uniq
    form, terms = td_generator(
        H, c_ops, args=opts.args, tlist=coeff_tlist, interpolation=opts.interpolation
    )
    d = form.dim
    has_dissipation = form.jumps.count > 0 or terms.jumps or _is_generator(H)
    if not has_dissipation:
        if form.basis is not None:  # pragma: no cover - a GKSL always has dissipation
            raise InputError("H: internal error, rotated basis without dissipation")
        U = _integrate(
            KetRHS(form.hamiltonian, terms), np.eye(d, dtype=complex), grid, method, opts.progress
        )
    else:
        _check_dense(d)
        L0, Lh, Ld = td_liouvillian_parts(form, terms)

        def rhs(tt: float, y: np.ndarray, out: np.ndarray) -> None:
            M = L0
            for f, S in zip(terms.h_coeffs, Lh, strict=True):
                M = M + f(tt) * S
            for g, S in zip(terms.c_coeffs, Ld, strict=True):
                M = M + abs(g(tt)) ** 2 * S
            out[...] = sp.csr_matrix(M) @ y

        U = _integrate(rhs, np.eye(d * d, dtype=complex), grid, method, opts.progress)
        if form.basis is not None:
            W = np.kron(form.basis.conj(), form.basis)
            U = W @ U @ W.conj().T
    U = U[len(grid) - len(uniq) :][inv]
    res = np.empty_like(U)
    res[order] = U
    return res[0] if scalar else res
