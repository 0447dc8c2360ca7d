r"""Mean-field (product-state) dynamics of the N-spin model.

Derivation (qbath conventions, :math:`\hbar = 1`; details in ``docs/spins.md``). For any operator,
:math:`\tfrac{d}{dt}\langle O\rangle = \langle i[H, O]\rangle + \sum_L \gamma_L\langle
L^\dagger O L - \tfrac12\{L^\dagger L, O\}\rangle`. With :math:`[\sigma^a,\sigma^b] =
2i\epsilon_{abc}\sigma^c`:

- field: :math:`i[\vec h_i\cdot\vec\sigma_i, \sigma_i^a] = 2(\vec h_i\times\vec\sigma_i)^a`;
- coupling (:math:`K_{ij}^{ab} = J_{ij}^{ab} + J_{ji}^{ba}`): :math:`i[H_{\rm int}, \sigma_i^a] =
  2\sum_{j\neq i}\epsilon_{abd}K_{ij}^{bc}\sigma_i^d\sigma_j^c`;
- dissipation: :math:`-\Gamma_i^a\sigma_i^a + d_i^a` (:attr:`SpinModel.decay_rates`,
  :attr:`SpinModel.drive`); dissipators on other spins do not act on :math:`\sigma_i^a`.

Closing with :math:`\langle\sigma_i^d\sigma_j^c\rangle = s_i^d s_j^c` (a product state) gives

.. math:: \dot{\vec s}_i = 2(\vec h_i + \vec B_i)\times\vec s_i - \Gamma_i\odot\vec s_i + \vec d_i,
          \qquad B_i^a = \sum_{j\neq i}\sum_b K_{ij}^{ab}s_j^b ,

3N equations, with :math:`\vec B = K\vec s` one dense matrix-vector product, one sparse one, or
:math:`A\,s\,M^T` for product couplings. Their Jacobian is

.. math:: \mathcal J = 2[\vec h + \vec B]_\times - 2[\vec s]_\times K - \mathrm{diag}(\Gamma),

with :math:`[\vec v]_\times\vec x = \vec v\times\vec x` acting block-diagonally (spin by spin).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import root

from .._checks import check_int, check_real_scalar
from .._meta import make_meta
from ..ode import Method, check_times
from ._model import SpinModel
from ._ode import DEFAULT_METHOD, as_bloch0, cross3, integrate, solver_meta
from ._results import MeanFieldSteadyState, PhysicalityTracker, SpinResult
from ._validate import check_model

__all__ = ["meanfield", "meanfield_steady_state", "meanfield_rhs"]


class _MeanFieldRHS:
    """:math:`\\dot s` in component-major layout (y = s3.ravel(), s3 of shape (3, N))."""

    def __init__(self, model: SpinModel):
        self.n = model.n_spins
        self.coupling = model.coupling
        self.h3 = np.ascontiguousarray(model.fields.T)
        self.g3 = np.ascontiguousarray(model.decay_rates.T)
        self.d3 = np.ascontiguousarray(model.drive.T)

    def __call__(self, t: float, y: np.ndarray) -> np.ndarray:
        s3 = y.reshape(3, self.n)
        w = self.coupling.matvec(s3)
        w += self.h3
        out = cross3(w, s3)
        out *= 2.0
        out -= self.g3 * s3
        out += self.d3
        return out.reshape(-1)

    def jacobian(self, y: np.ndarray) -> Any:
        """(3N, 3N) Jacobian, component-major: sparse for sparse or no couplings, else dense."""
        n = self.n
        s3 = y.reshape(3, n)
        w = self.coupling.matvec(s3) + self.h3
        if self.coupling.kind in ("sparse", "none"):
            J = 2 * _cross_matrix_sparse(w) - sp.diags(self.g3.ravel())
            if self.coupling.kind == "sparse":
                J = J - 2 * (_cross_matrix_sparse(s3) @ self.coupling.matrix)
            return J.tocsr()
        K = self.coupling.dense()
        # -2 [s]_x K = 2 (K column x s_i): (v x s) = -[s]_x v, applied to every column of K
        Kb = K.reshape(3, n, 3 * n)
        J = 2.0 * cross3(Kb, s3[:, :, None]).reshape(3 * n, 3 * n)
        J += _cross_matrix_dense(2.0 * w)
        J[np.arange(3 * n), np.arange(3 * n)] -= self.g3.ravel()
        return J


def _cross_matrix_dense(w3: np.ndarray) -> np.ndarray:
    """Block-diagonal (component-major) matrix of x -> w_i x x_i, shape (3N, 3N)."""
    n = w3.shape[1]
    M = np.zeros((3, n, 3, n))
    ar = np.arange(n)
    for a, b, c in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):  # (w x x)_a = w_b x_c - w_c x_b
        M[a, ar, c, ar] = w3[b]
        M[a, ar, b, ar] = -w3[c]
    return M.reshape(3 * n, 3 * n)


def _cross_matrix_sparse(w3: np.ndarray) -> sp.csr_matrix:
    n = w3.shape[1]
    ar = np.arange(n)
    rows, cols, vals = [], [], []
    for a, b, c in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
        rows += [a * n + ar, a * n + ar]
        cols += [c * n + ar, b * n + ar]
        vals += [w3[b], -w3[c]]
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(3 * n, 3 * n)
    )


def meanfield_rhs(model: SpinModel, bloch: Any) -> np.ndarray:
    r"""The mean-field right-hand side :math:`\dot{\vec s}_i` at Bloch vectors ``bloch`` (N, 3).

    Returns shape (N, 3). Useful to compare with other equations of motion at one state.
    """
    model = check_model(model)
    s = as_bloch0(bloch, model.n_spins)
    return _MeanFieldRHS(model)(0.0, np.ascontiguousarray(s.T).ravel()).reshape(3, -1).T


def meanfield(
    model: SpinModel,
    bloch0: Any,
    times: Any,
    *,
    method: Method = DEFAULT_METHOD,
) -> SpinResult:
    r"""Integrate the mean-field equations :math:`\dot{\vec s}_i = 2(\vec h_i + \vec B_i)\times
    \vec s_i - \Gamma_i\odot\vec s_i + \vec d_i` (module docstring).

    Parameters
    ----------
    model : SpinModel
    bloch0 : (N, 3) or (3,) array_like
        Initial Bloch vectors (:math:`|\vec s_i|\le 1`; a (3,) vector is used for every spin).
    times : (T,) array_like
        Output times, strictly increasing; ``times[0]`` is the initial time.
    method : qbath.ode.Method
        Integration method (default ``DOP853(rtol=1e-8, atol=1e-10)``); :class:`~qbath.BDF` uses
        the analytic Jacobian of the mean-field equations.

    Returns
    -------
    SpinResult
        ``bloch`` (T, N, 3); ``correlations`` is ``None`` (a product state: use
        ``s_i^a s_j^b``); ``pair_sum`` holds the product-state sums for the collective helpers.
    """
    model = check_model(model)
    times = check_times(times)
    n = model.n_spins
    s0 = as_bloch0(bloch0, n)
    rhs = _MeanFieldRHS(model)
    tracker = PhysicalityTracker()

    def observe(y: np.ndarray) -> np.ndarray:
        s = y.reshape(3, n).T.copy()
        tracker.add(s, None)
        return s

    def jac(t: float, y: np.ndarray) -> Any:
        return rhs.jacobian(y)

    obs, stats = integrate(method, rhs, np.ascontiguousarray(s0.T).ravel(), times, observe, jac=jac)
    bloch = np.stack(obs)
    tot = bloch.sum(axis=1)
    pair_sum = np.einsum("ta,tb->tab", tot, tot) - np.einsum("tia,tib->tab", bloch, bloch)
    meta = solver_meta("meanfield", model, method, stats)
    return SpinResult(
        times, bloch, None, pair_sum, tracker.finish(times, "meanfield"), meta, stats=dict(stats)
    )


def meanfield_steady_state(
    model: SpinModel,
    guess: Any,
    *,
    t_relax: float = 0.0,
    tol: float = 1e-10,
    jacobian_max_n: int = 400,
    method: Method = DEFAULT_METHOD,
) -> MeanFieldSteadyState:
    r"""A fixed point of the mean-field equations, by root finding from a trajectory's end point.

    Parameters
    ----------
    model : SpinModel
    guess : SpinResult or (N, 3) / (3,) array_like
        Start of the search: a trajectory (its last Bloch vectors are used) or Bloch vectors.
    t_relax : float
        If > 0, first integrate the mean-field equations for this time from ``guess``.
    tol : float
        Required :math:`\max|\dot s|` at the root.
    jacobian_max_n : int
        Up to this N the analytic Jacobian is used (Powell's hybrid method) and its spectrum is
        returned as ``max_growth_rate``; above it a Jacobian-free Newton--Krylov method is used.
    method : qbath.ode.Method
        Integration method of the relaxation run (default ``DOP853(rtol=1e-8, atol=1e-10)``).

    Returns
    -------
    MeanFieldSteadyState
    """
    model = check_model(model)
    n = model.n_spins
    t_relax = check_real_scalar("t_relax", t_relax, minimum=0.0)
    tol = check_real_scalar("tol", tol, minimum=0.0, strict=True)
    jacobian_max_n = check_int("jacobian_max_n", jacobian_max_n)
    start = guess.final_bloch if isinstance(guess, SpinResult) else guess
    s0 = as_bloch0(start, n)
    if t_relax > 0:
        s0 = meanfield(model, s0, [0.0, t_relax], method=method).final_bloch
    rhs = _MeanFieldRHS(model)
    y0 = np.ascontiguousarray(s0.T).ravel()

    def f(y: np.ndarray) -> np.ndarray:
        return rhs(0.0, y)

    if n <= jacobian_max_n:

        def jac(y: np.ndarray) -> np.ndarray:
            J = rhs.jacobian(y)
            return J.toarray() if sp.issparse(J) else J

        sol = root(f, y0, jac=jac, method="hybr", options={"xtol": 1e-13})
    else:
        with np.errstate(invalid="ignore"):  # scipy's first convergence test divides inf by inf
            sol = root(f, y0, method="krylov", options={"fatol": tol})
    y = sol.x
    residual = float(np.max(np.abs(f(y))))
    growth = None
    if n <= jacobian_max_n:
        J = rhs.jacobian(y)
        J = J.toarray() if sp.issparse(J) else J
        growth = float(np.max(np.linalg.eigvals(J).real))
    converged = bool(sol.success or residual <= tol) and residual <= tol
    meta = make_meta(
        "meanfield_steady_state",
        n_spins=n,
        t_relax=t_relax,
        tol=tol,
        solver_message=str(sol.message),
        method="hybr" if n <= jacobian_max_n else "krylov",
    )
    bloch = y.reshape(3, n).T.copy()
    if np.any(np.linalg.norm(bloch, axis=1) > 1 + 1e-8):
        converged = False
        meta["note"] = "root outside the Bloch ball (|s_i| > 1): not a physical fixed point"
    return MeanFieldSteadyState(
        bloch, residual, converged, growth, None if growth is None else growth < 0, meta
    )
