r"""Master-equation solver: :func:`mesolve`."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._checks import as_operator, as_state, is_hermitian
from .._errors import InputError
from .._meta import make_meta
from ..generators import LindbladForm, as_lindblad
from ..ode import Dopri5, Method, check_times
from ._blas import blas_threads
from ._options import observing, solve_options, warn_unused_args
from ._results import Result
from ._rhs import LiouvillianRHS, MatrixFormRHS
from ._tdsolve import density_problem

__all__ = ["mesolve"]


#: the default method of :func:`mesolve` (the layer's default tolerances, QuTiP's)
DEFAULT_METHOD = Dopri5()


class ExpectOps:
    """Observables prepared for fast evaluation on states of the working basis.

    ``values(rho)`` returns one number per observable, :math:`\\mathrm{Tr}[O\\rho]` computed as a
    single matrix-vector product with the stacked, transposed observables. ``e_ops`` may be one
    operator, a sequence of operators, or a mapping name -> operator (then :meth:`finish` returns
    a dict with the same keys, in the same order).
    """

    def __init__(self, e_ops: Any, form: LindbladForm):
        d = form.dim
        self.names: list[Any] | None = None
        if e_ops is None:
            e_ops = []
        if (
            sp.issparse(e_ops)
            or (isinstance(e_ops, np.ndarray) and e_ops.ndim == 2)
            or (hasattr(e_ops, "full") and callable(e_ops.full))
        ):
            e_ops = [e_ops]
        if isinstance(e_ops, Mapping):
            self.names = list(e_ops)
            labels = [f"e_ops[{k!r}]" for k in self.names]
            e_ops = list(e_ops.values())
        else:
            labels = [f"e_ops[{k}]" for k in range(len(e_ops))]
        mats = []
        herm = []
        for label, O in zip(labels, e_ops, strict=True):
            if callable(O) and not hasattr(O, "full"):
                raise InputError(f"{label}: expected a (d, d) operator, got a callable")
            m = as_operator(label, O.toarray() if sp.issparse(O) else O, d)
            herm.append(is_hermitian(m))
            mats.append(form.to_working(m))
        self.count = len(mats)
        self.hermitian = herm
        self._flat = (
            np.stack([m.T.ravel() for m in mats]) if mats else np.zeros((0, d * d), dtype=complex)
        )
        self._mats = mats

    def values(self, rho: np.ndarray) -> np.ndarray:
        """Tr[O rho] for every observable, shape (E,)."""
        return self._flat @ rho.reshape(-1)

    def ket_values(self, psi: np.ndarray) -> np.ndarray:
        """<psi|O|psi> for kets given as columns of ``psi`` (d, n); returns (E, n)."""
        if not self._mats:
            return np.zeros((0, psi.shape[1]), dtype=complex)
        return np.stack([np.einsum("in,in->n", psi.conj(), m @ psi) for m in self._mats])

    def finish(self, data: np.ndarray) -> list[np.ndarray] | dict[Any, np.ndarray]:
        """Rows of ``data`` as a list (a dict for named observables), real for Hermitian ones."""
        rows = [
            data[k].real.copy() if self.hermitian[k] else data[k].copy() for k in range(self.count)
        ]
        return rows if self.names is None else dict(zip(self.names, rows, strict=True))


def generator_form(H: Any, c_ops: Any) -> LindbladForm:
    """The Lindblad form of QuTiP's ``(H, c_ops)`` arguments, or of a ``GKSL`` generator ``H``.

    A ``GKSL`` (or :class:`~qbath.generators.LindbladForm`) already contains its dissipators, so
    ``c_ops`` must then be empty.
    """
    if isinstance(H, LindbladForm) or hasattr(H, "_lindblad_form"):
        if c_ops is not None and (sp.issparse(c_ops) or len(c_ops) > 0):
            raise InputError(
                "c_ops: expected None or [] when H is a GKSL generator (its dissipators are part "
                f"of it), got {len(c_ops) if not sp.issparse(c_ops) else 1} collapse operator(s)"
            )
        return as_lindblad(H)
    if isinstance(H, tuple) and len(H) == 2 and (H[1] is None or isinstance(H[1], (list, tuple))):
        raise InputError(
            "H: expected a (d, d) Hamiltonian or a GKSL generator, got a pair (H, c_ops); pass "
            "the collapse operators as the fourth argument, as QuTiP: mesolve(H, rho0, tlist, c_ops)"
        )
    return as_lindblad((H, c_ops))


def _constant_rhs(method: Method) -> Any:
    """``form -> (rhs, jac)`` for a constant generator: the matrix form for explicit methods, the
    sparse Liouvillian (also the Jacobian) for implicit ones."""

    def build(form: LindbladForm) -> tuple[Any, Any]:
        if method.implicit:
            rhs = LiouvillianRHS(form)
            return rhs, rhs.matrix
        return MatrixFormRHS(form), None

    return build


def mesolve(
    H: Any,
    rho0: Any,
    tlist: Sequence[float] | np.ndarray,
    c_ops: Sequence[Any] | None = None,
    *,
    e_ops: Any = None,
    args: Mapping[str, Any] | None = None,
    method: Method = DEFAULT_METHOD,
    store_states: bool = True,
    interpolation: str = "cubic",
    progress: bool = False,
) -> Result:
    r"""Solve the GKSL master equation :math:`\dot\rho = \mathcal L\rho` (QuTiP's signature).

    .. math::

        \dot\rho = -i[H,\rho] + \sum_k \left(L_k\rho L_k^\dagger - \tfrac12\{L_k^\dagger L_k,\rho\}
        \right)

    (Lindblad, *On the generators of quantum dynamical semigroups*, 1976; Gorini, Kossakowski &
    Sudarshan, 1976). The explicit methods apply the right-hand side in matrix form (see
    :mod:`qbath.solve._rhs`, no :math:`d^2\times d^2` matrix of the Hamiltonian part is built);
    :class:`~qbath.BDF` uses the sparse Liouvillian as right-hand side and Jacobian.

    Parameters
    ----------
    H : (d, d) operator or GKSL
        Hamiltonian (array, scipy sparse or ``qutip.Qobj``), or a generator from
        :func:`qbath.davies` (then ``c_ops`` must be empty).
    rho0 : (d, d) or (d,) array_like
        Initial density matrix, or a ket (turned into :math:`|\psi\rangle\langle\psi|`).
    tlist : (T,) array_like
        Strictly increasing output times (:func:`qbath.ode.check_times`); ``tlist[0]`` is the time
        of ``rho0``.
    c_ops : sequence of (d, d) operators, optional
        QuTiP-style collapse operators, the rate folded in: :math:`L_k = \sqrt{\gamma_k}A_k`.
    e_ops : operator, sequence of operators, or dict name -> operator, optional
        Observables; ``result.expect[k][i]`` is :math:`\mathrm{Tr}[O_k\rho(t_i)]` (real for
        Hermitian :math:`O_k`). With a dict, ``result.expect`` is a dict with the same keys.
    args : dict, optional
        Coefficient arguments of a time-dependent Hamiltonian (QuTiP's ``args``); a constant
        ``H`` has none, so non-empty ``args`` warn.
    method : qbath.ode.Method
        Integration method: ``Dopri5()`` (default, rtol 1e-6, atol 1e-8 as QuTiP),
        ``DOP853(...)``, ``RK4(dt=...)`` or ``BDF(...)`` for stiff problems.
    store_states : bool
        Keep the density matrix at every output time (``result.states``, memory T d^2).
    interpolation : {"cubic", "step"}
        Interpolation of array coefficients of a time-dependent ``H`` or ``c_ops``.
    progress : bool
        Show how much of ``tlist`` is covered: a tqdm bar (extra ``progress``), or ``INFO`` lines
        of the ``qbath.solve`` logger at every tenth when tqdm is missing. Changes no number.

    Returns
    -------
    Result
        ``.times``, ``.states`` (T, d, d) or None, ``.expect`` (list of (T,) or dict),
        ``.final_state``, ``.stats`` (``nfev``, ``nsteps``, ``nrejected``, ``njev``, ``nlu``,
        ``method``, ``wall_time``), ``.meta``.
    """
    t = check_times(tlist, "tlist")
    opts = solve_options(
        args=args, method=method, store_states=store_states, interpolation=interpolation,
        progress=progress, default_method=DEFAULT_METHOD,
    )  # fmt: skip
    method = opts.method
    assert method is not None
    form, rhs, jac, driven = density_problem(
        H,
        c_ops,
        args=opts.args,
        tlist=t,
        implicit=method.implicit,
        constant_rhs=_constant_rhs(method),
        interpolation=opts.interpolation,
    )
    if form is None:
        form = generator_form(H, c_ops)
    d = form.dim
    rho = as_state("rho0", rho0, d)
    rho = form.to_working(0.5 * (rho + rho.conj().T))
    rho = np.ascontiguousarray(0.5 * (rho + rho.conj().T))
    eops = ExpectOps(e_ops, form)
    warn_unused_args(opts.args, driven)
    store_states = opts.store_states

    T = len(t)
    ex = np.zeros((eops.count, T), dtype=complex)
    states = np.empty((T, d, d), dtype=complex) if store_states else None
    final = np.empty((d, d), dtype=complex)

    def observe(i: int, y: np.ndarray) -> None:
        if eops.count:
            ex[:, i] = eops.values(y)
        if states is not None:
            states[i] = y
        if i == T - 1:
            final[...] = y

    if rhs is None:
        rhs, jac = _constant_rhs(method)(form)
    start = time.perf_counter()
    with blas_threads(1), observing("mesolve", t, opts.progress, observe) as obs:
        stats = method.integrate(rhs, rho, t, obs, jac=jac)
    wall = time.perf_counter() - start
    if states is not None and form.basis is not None:
        states = form.to_original(states)
    final = form.to_original(final)
    options = method.options()
    return Result(
        times=t,
        states=states,
        expect=eops.finish(ex),  # type: ignore[arg-type]
        final_state=final,
        stats={**stats.as_dict(), "wall_time": wall},
        meta=make_meta(
            "mesolve",
            method=options.pop("name"),
            **options,
            dim=d,
            n_jumps=form.jumps.count,
            time_dependent=driven,
            t0=float(t[0]),
            t1=float(t[-1]),
            n_times=T,
        ),
    )
