r"""Steady states of a GKSL generator, with detection of non-unique ones.

The stationary states span the null space of :math:`\mathcal L`. Hermiticity is preserved, so the
problem is solved on the real coordinates of Hermitian matrices (:mod:`qbath.generators._nullspace`)
with the trace condition :math:`\mathrm{Tr}\rho = 1`. Methods (``method=``):

``"direct"``
    One sparse LU factorisation (SuperLU, minimum-degree ordering of :math:`A^T+A`) of the real
    Liouvillian with its first diagonal row replaced by the trace row; a 1-norm estimate of the
    inverse from the same factors detects a degenerate null space. Memory grows with the fill of
    the factors: about :math:`2.3\times10^6` entries at d = 64 and :math:`3.8\times10^7` at
    d = 128 on the dissipative Ising chain, so it is the default up to ``DIRECT_MAX`` unknowns.
``"iterative-gmres"``
    Restarted GMRES on :math:`\mathcal L + w\,e\,\tau^T` (Saad & Schultz, "GMRES: a
    generalized minimal residual algorithm", 1986), matrix free: :math:`\mathcal L\rho` is applied
    in matrix form, :math:`X + X^\dagger` with :math:`X = -iH_\mathrm{eff}\rho + \frac12\sum_k
    L_k\rho L_k^\dagger` (the right-hand side of :func:`qbath.mesolve`), so memory is a few
    :math:`d^2` arrays plus the Krylov basis (``restart`` vectors). ``preconditioner="ilu"`` builds
    the sparse matrix and an incomplete LU (SuperLU's ILUTP, drop tolerance 1e-4), which cuts the
    iterations about 5x but costs about as much as the full LU on spin chains; it pays only for
    generators whose LU fill is large but whose ILU is cheap. Uniqueness is checked by a second,
    looser solve with a different trace vector :math:`e'` (the two solutions coincide only for a
    one-dimensional null space); ``check=False`` skips it.
``"iterative-sylvester"``
    Flexible GMRES preconditioned by the exact inverse of the no-jump part
    :math:`\mathcal S\rho = A\rho + \rho A^\dagger`, :math:`A = -iH - \frac12\sum_k L_k^\dagger L_k`,
    from an eigendecomposition of :math:`A` per symmetry block (Schur form where the eigenvectors
    are ill conditioned); see :mod:`qbath.solve._sylvester`. The preconditioned operator is one
    minus the jump-to-jump map of the quantum-jump unravelling, a contraction, so the iteration
    count grows only slowly with size (37 at d = 64, 53 at d = 512, 67 at d = 1024 on the
    dissipative Ising chain, against thousands unpreconditioned). Each iteration costs eight
    single-precision products of the matrices of the two parity blocks (:math:`d_b^3`), memory
    :math:`O(d^2)` (a few dense matrices plus the Krylov basis); the default beyond
    ``DIRECT_MAX`` unknowns from d = ``SYLVESTER_AUTO_DIM`` on, tested to d = 4096.
``"dense"``
    A dense SVD of :math:`\mathcal L`, counting singular values below ``tol`` times the largest.

For a Davies generator (:func:`qbath.davies`) the search is restricted to the matrix entries
:math:`\rho_{ab}` with :math:`\varepsilon_a = \varepsilon_b`: the secular generator maps each Bohr
sector :math:`\varepsilon_a - \varepsilon_b = \omega` to itself and the Hamiltonian part makes
the :math:`\omega \neq 0` sectors rotate, so stationary states live in the :math:`\omega = 0`
sector (for a non-degenerate :math:`H_A` this is the Pauli rate matrix of the populations).

When the null space has dimension :math:`m > 1` the generator conserves quantities (left null
vectors :math:`\ell_i`, :math:`\mathcal L^\dagger\ell_i = 0`), found by shift-invert Arnoldi (or
the dense SVD): without ``rho0`` a :class:`NonUniqueSteadyStateError` names the dimension; with
``rho0`` the result is the spectral projection
:math:`P\rho_0 = \sum_{ij} r_i (M^{-1})_{ij}\langle\ell_j, \rho_0\rangle`,
:math:`M_{ij} = \langle \ell_i, r_j\rangle`, which is :math:`\lim_{t\to\infty}e^{\mathcal L t}\rho_0`
(or its time average if undamped oscillations survive).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from .._checks import as_state, check_int, check_real_scalar
from .._errors import InputError, NonUniqueSteadyStateError
from ..generators import (
    Degenerate,
    HermitianCoordinates,
    LindbladForm,
    as_lindblad,
    coordinates_to_matrix,
    direct_fixed_point,
    krylov_fixed_point,
    liouvillian,
    matrix_to_coordinates,
    null_spaces,
    trace_replaced,
)
from ._blas import blas_threads
from ._mesolve import generator_form
from ._rhs import MatrixFormRHS
from ._sylvester import sylvester_steady_state

__all__ = ["steady_state", "steady_state_space", "METHODS"]

#: accepted values of ``method``
METHODS = ("auto", "direct", "iterative-gmres", "dense", "iterative-sylvester")
#: ``method="auto"``: dense SVD up to this many unknowns, sparse LU up to DIRECT_MAX, GMRES beyond
DENSE_AUTO = 64
DIRECT_MAX = 2500
#: ``method="auto"`` beyond DIRECT_MAX: Sylvester-preconditioned FGMRES from this dimension on
SYLVESTER_AUTO_DIM = 128
#: largest problem for which ``method="dense"`` is accepted
DENSE_LIMIT = 6400
#: largest problem on which a degenerate null space is resolved by shift-invert Arnoldi
SHIFT_INVERT_MAX = 1 << 17


def _working_liouvillian(form: LindbladForm) -> sp.csr_matrix:
    plain = LindbladForm(form.hamiltonian, form.jumps, None, extra_rowmajor=form.extra_rowmajor)
    return liouvillian(plain, sparse=True)


def _sector(form: LindbladForm) -> np.ndarray:
    """Column-stacking indices of the entries that can carry a stationary state."""
    d = form.dim
    mask = form.stationary_mask
    if mask is None:
        return np.arange(d * d)
    return np.flatnonzero(mask.T.ravel())  # column-major order of (a, b)


def steady_state_space(system: Any, *, tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """Basis of the stationary states and of the conserved quantities.

    Returns
    -------
    states : (m, d, d) ndarray
        Basis of the null space of the generator (not necessarily positive matrices).
    conserved : (m, d, d) ndarray
        Operators :math:`Q_i` with :math:`\\mathcal L^\\dagger Q_i = 0` (conserved expectation
        values), the left null space written as matrices.
    """
    tol = check_real_scalar("tol", tol, minimum=0.0, strict=True)
    form = as_lindblad(system)
    idx = _sector(form)
    L = _working_liouvillian(form)
    with blas_threads(1):
        R, Lft, _ = null_spaces(L[idx][:, idx].tocsr(), tol)
    return _unvec(form, idx, R), _unvec(form, idx, Lft.conj())


def _unvec(form: LindbladForm, idx: np.ndarray, cols: np.ndarray) -> np.ndarray:
    d = form.dim
    out = np.zeros((cols.shape[1], d * d), dtype=complex)
    out[:, idx] = cols.T
    mats = out.reshape(-1, d, d).transpose(0, 2, 1)  # column stacking
    return form.to_original(mats)


def _choose(method: str, n: int, d: int) -> str:
    if method != "auto":
        return method
    if n <= DENSE_AUTO:
        return "dense"
    if n <= DIRECT_MAX:
        return "direct"
    return "iterative-sylvester" if d >= SYLVESTER_AUTO_DIM else "iterative-gmres"


def _steady_form(H: Any, c_ops: Any) -> LindbladForm:
    """QuTiP's ``steadystate(H, c_ops)`` arguments, a GKSL generator, or one ``(H, c_ops)`` pair."""
    if c_ops is None and isinstance(H, tuple):
        return as_lindblad(H)
    if isinstance(c_ops, np.ndarray) and c_ops.ndim < 3 or sp.issparse(c_ops):
        raise InputError(
            "c_ops: expected a sequence of (d, d) collapse operators, got a single "
            f"{np.shape(c_ops)} array; a single collapse operator goes in a list, and the initial "
            "state is keyword-only: steady_state(H, c_ops, rho0=rho0)"
        )
    return generator_form(H, c_ops)


def steady_state(
    H: Any,
    c_ops: Any = None,
    *,
    rho0: Any = None,
    method: str = "auto",
    tol: float = 1e-9,
    rtol: float = 1e-12,
    maxiter: int = 200,
    restart: int | None = None,
    preconditioner: str | None = None,
    check: bool = True,
) -> np.ndarray:
    r"""Stationary state :math:`\mathcal L\rho_\infty = 0` of a GKSL generator.

    The call is QuTiP's ``steadystate(H, c_ops)``; ``H`` may also be a GKSL generator (then
    ``c_ops`` must be empty) or one ``(H, c_ops)`` pair.

    Parameters
    ----------
    H : (d, d) Hamiltonian, GKSL generator or (H, c_ops) pair
    c_ops : sequence of (d, d) collapse operators, optional
    rho0 : (d, d) or (d,) array_like, optional, keyword-only
        Initial state. Required when the steady state is not unique: the result is then the state
        reached from ``rho0`` (spectral projection onto the null space).
    method : {"auto", "direct", "iterative-gmres", "dense", "iterative-sylvester"}
        Solver (module docstring). ``"auto"``: dense SVD for at most ``DENSE_AUTO`` unknowns
        (entries of :math:`\rho` that can be stationary), sparse LU up to ``DIRECT_MAX``
        (d = 50 without symmetry), beyond that matrix-free GMRES below d = ``SYLVESTER_AUTO_DIM``
        and Sylvester-preconditioned FGMRES from there on (tested to d = 4096).
    tol : float
        Relative threshold below which a singular value of :math:`\mathcal L` (or the estimated
        smallest singular value of the trace-constrained matrix) counts as zero.
    rtol : float
        Relative residual of the iterative methods.
    maxiter : int
        Restart cycles of GMRES.
    restart : int, optional
        Krylov basis size of GMRES; default 50, fewer when the basis would exceed ~1 GB
        (``"iterative-sylvester"``: ~3 GB, at least 20).
    preconditioner : {None, "ilu"}
        Preconditioner of the iterative methods.
    check : bool
        Iterative methods: test uniqueness by a second solve.

    Returns
    -------
    (d, d) ndarray
        Hermitian, unit trace.

    Raises
    ------
    NonUniqueSteadyStateError
        Without ``rho0`` when the null space has dimension > 1 (``err.dimension``; for a
        matrix-free solve of more than ``SHIFT_INVERT_MAX`` unknowns only "at least 2" is known).
    """
    tol = check_real_scalar("tol", tol, minimum=0.0, strict=True)
    rtol = check_real_scalar("rtol", rtol, minimum=0.0, strict=True)
    if rtol >= 1.0:
        raise InputError(f"rtol: expected a value < 1, got {rtol}")
    maxiter = check_int("maxiter", maxiter, minimum=1)
    if restart is not None:
        restart = check_int("restart", restart, minimum=1)
    if method not in METHODS:
        raise InputError(f"method: expected one of {METHODS}, got {method!r}")
    if preconditioner not in (None, "ilu"):
        raise InputError(f"preconditioner: expected None or 'ilu', got {preconditioner!r}")
    if preconditioner is not None and method == "iterative-sylvester":
        raise InputError(
            f"preconditioner: 'iterative-sylvester' has its own (the inverse no-jump Sylvester "
            f"operator); expected None, got {preconditioner!r}"
        )
    if not isinstance(check, bool):
        raise InputError(f"check: expected a bool, got {type(check).__name__} {check!r}")
    form = _steady_form(H, c_ops)
    d = form.dim
    r0 = None if rho0 is None else as_state("rho0", rho0, d)
    idx = _sector(form)
    n = idx.size
    method = _choose(method, n, d)
    if method == "dense" and n > DENSE_LIMIT:
        raise InputError(
            f"method: 'dense' is limited to {DENSE_LIMIT} unknowns, got {n} (d = {d}); use "
            "'direct' or 'iterative-gmres'"
        )
    with blas_threads(1):
        x = None
        if method != "dense":
            try:
                x = _unique_solve(
                    form, idx, method, tol, rtol, maxiter, restart, preconditioner, check
                )
            except Degenerate:
                if n > SHIFT_INVERT_MAX:
                    if r0 is None:
                        raise NonUniqueSteadyStateError(
                            f"steady_state: the generator has an at least 2-dimensional space of "
                            f"steady states (two {method} solves with different trace vectors "
                            f"differ; d = {d} is too large to count them by shift-invert); pass "
                            "rho0 to get the steady state reached from it",
                            2,
                        ) from None
                    raise InputError(
                        f"rho0: the steady state reached from rho0 needs the null space of L, "
                        f"too large at d = {d} (more than {SHIFT_INVERT_MAX} unknowns)"
                    ) from None
        if x is None:
            x = _projected(form, idx, r0, tol)
    full = np.zeros(d * d, dtype=complex)
    full[idx] = x
    rho = full.reshape(d, d, order="F")
    tr = np.trace(rho)
    if abs(tr) < 1e-300:
        raise RuntimeError("steady_state: the null vector has zero trace")  # pragma: no cover
    rho = rho / tr
    rho = 0.5 * (rho + rho.conj().T)
    return form.to_original(rho)


def _projected(
    form: LindbladForm, idx: np.ndarray, r0: np.ndarray | None, tol: float
) -> np.ndarray:
    """Null space by SVD / shift-invert; the unique null vector or the projection of rho0."""
    Ls = _working_liouvillian(form)[idx][:, idx].tocsr()
    R, Lft, gap = null_spaces(Ls, tol)
    m = R.shape[1]
    if m == 0:
        raise RuntimeError(  # pragma: no cover - a GKSL generator always has a steady state
            "steady_state: no null space found; lower tol"
        )
    if m > 1 and r0 is None:
        raise NonUniqueSteadyStateError(
            f"steady_state: the generator has a {m}-dimensional space of steady states (it "
            f"conserves {m - 1} independent quantities besides the trace; smallest non-zero "
            f"|eigenvalue| ~ {gap:.3g}); pass rho0 to get the steady state reached from it",
            m,
        )
    if m == 1:
        return R[:, 0]
    w = form.to_working(r0).ravel(order="F")[idx]
    M = Lft.conj().T @ R
    return R @ np.linalg.solve(M, Lft.conj().T @ w)


def _unique_solve(
    form: LindbladForm,
    idx: np.ndarray,
    method: str,
    tol: float,
    rtol: float,
    maxiter: int,
    restart: int | None,
    preconditioner: str | None,
    check: bool,
) -> np.ndarray:
    """vec(rho)[idx] of the unique steady state; raises Degenerate otherwise."""
    d = form.dim
    n = idx.size
    if n == 1:
        return np.ones(1, dtype=complex)
    if method == "iterative-sylvester":
        rho, _ = sylvester_steady_state(
            form,
            rtol=rtol,
            restart=restart,
            maxiter=maxiter,
            check=check,
        )
        return rho.ravel(order="F")[idx]
    full = n == d * d
    matrix_free = method.startswith("iterative") and full and preconditioner is None
    coords = None if matrix_free else HermitianCoordinates.build(d, idx)
    if method == "direct":
        M = coords.real_matrix(_working_liouvillian(form)[idx][:, idx])
        return coords.T @ direct_fixed_point(M, coords.diag, tol)[0]
    restart = restart or int(np.clip(1e9 / (8 * n), 10, 50))
    if matrix_free:
        rhs = MatrixFormRHS(form)
        out = np.empty((d, d), dtype=complex)

        def apply(x: np.ndarray) -> np.ndarray:
            rhs(0.0, coordinates_to_matrix(x.reshape(d, d)), out)
            return matrix_to_coordinates(out).reshape(-1)

        def trace(x: np.ndarray) -> float:
            return float(np.trace(x.reshape(d, d)))

        e1 = (np.eye(d) / d).reshape(-1)
        p = np.random.default_rng(12345).random(d) + 0.5
        e2 = np.diag(p / p.sum()).reshape(-1)
        heff = form.hamiltonian - 0.5j * form.jumps.sum_dag_product()
        weight = float(np.abs(heff.data).mean()) if heff.nnz else 1.0
        M = pre = None
    else:
        M = coords.real_matrix(_working_liouvillian(form)[idx][:, idx]).tocsr()
        diag = coords.diag

        def apply(x: np.ndarray) -> np.ndarray:
            return M @ x

        def trace(x: np.ndarray) -> float:
            return float(x[diag].sum())

        e1 = np.zeros(n)
        e1[diag] = 1.0 / diag.size
        p = np.random.default_rng(12345).random(diag.size) + 0.5
        e2 = np.zeros(n)
        e2[diag] = p / p.sum()
        weight = float(np.abs(M.data).mean()) if M.nnz else 1.0
        pre = None
        if preconditioner == "ilu":
            A, _, _ = trace_replaced(M.tocsc(), diag)
            ilu = spla.spilu(A, drop_tol=1e-4, fill_factor=10, permc_spec="MMD_AT_PLUS_A")
            pre = spla.LinearOperator((n, n), matvec=ilu.solve, dtype=float)
    x, _ = krylov_fixed_point(
        apply,
        n,
        trace,
        (e1, e2),
        weight=weight,
        rtol=rtol,
        restart=restart,
        maxiter=maxiter,
        check=check,
        preconditioner=pre,
    )
    if matrix_free:
        return coordinates_to_matrix(x.reshape(d, d)).ravel(order="F")
    return coords.T @ x
