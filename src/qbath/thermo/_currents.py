r"""Heat currents, power, the first law and entropy production of a multi-bath master equation.

For :math:`\dot\rho = -i[H_S,\rho] + \sum_k\mathcal L_k\rho` (one part per bath, see
:class:`qbath.generators.BathGenerator`):

.. math::

    J_k = \mathrm{Tr}\big[(H_S - \mu_k N)\,\mathcal L_k\rho\big],\qquad
    \frac{dU}{dt} = \sum_k J_k + \sum_k \mu_k\,\mathrm{Tr}[N\mathcal L_k\rho] + P,\qquad
    P = \mathrm{Tr}[\rho\,\partial_t H_S],

    \sigma = \frac{dS}{dt} - \sum_k \beta_k J_k = \sum_k\sigma_k,\qquad
    \sigma_k = -\mathrm{Tr}[\mathcal L_k(\rho)\ln\rho] - \beta_k J_k
    = -\mathrm{Tr}\big[\mathcal L_k(\rho)\,(\ln\rho - \ln\rho_k^{\mathrm{th}})\big],

with :math:`S = -\mathrm{Tr}\rho\ln\rho` and :math:`\rho_k^{\mathrm{th}}\propto
e^{-\beta_k(H_S - \mu_k N)}`. Spohn's inequality makes every :math:`\sigma_k \ge 0` when
:math:`\mathcal L_k` is a GKSL generator that keeps :math:`\rho_k^{\mathrm{th}}` stationary (the
Davies generator); a local master equation or a Redfield tensor need not (Spohn, *Entropy production
for quantum dynamical semigroups*, 1978; Alicki, *The quantum open system as a model of the heat
engine*, 1979; Levy and Kosloff, *The local approach to quantum transport may violate the second
law of thermodynamics*, 2014).

The Lamb shift: :math:`\mathcal L_k` contains the bath's share :math:`-i[H_{LS,k},\cdot]`, so that
the currents add up to :math:`dU/dt` for every kind of generator. For a Davies generator
:math:`[H_{LS,k}, H_S] = 0`, so that share contributes nothing to :math:`J_k` or :math:`\sigma_k`;
for a local master equation or a Redfield tensor it does not commute with :math:`H_S` and without it
the first law would fail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._checks import (
    as_density_matrix,
    as_density_stack,
    as_hermitian,
    as_operator,
    check_real_scalar,
    check_temperature,
    describe,
    hermiticity_error,
    is_hermitian,
)
from .._errors import InputError
from ..generators import GKSL, BathGenerator, Dissipator, LindbladForm, as_lindblad, liouvillian

__all__ = [
    "as_bath_model",
    "heat_currents",
    "particle_currents",
    "energy_rate",
    "first_law_residual",
    "entropy_production_rate",
    "power",
    "Ledger",
    "ledger",
]


@dataclass(frozen=True, eq=False)
class _Model:
    """A generator resolved bath by bath: H_S (original basis), one Dissipator per bath, and the
    generator itself (``source``: an object every solver accepts)."""

    hamiltonian: np.ndarray
    parts: tuple[Dissipator, ...]
    source: Any
    kind: str

    @property
    def dim(self) -> int:
        return self.hamiltonian.shape[0]

    @property
    def betas(self) -> np.ndarray:
        out = []
        for k, p in enumerate(self.parts):
            if p.temperature is None:
                raise InputError(
                    f"temperatures: expected a temperature for bath {k} ({p.name!r}), got none "
                    "(name the baths with their temperatures)"
                )
            out.append(p.beta)
        return np.asarray(out, dtype=float)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parts]


def _lookup(values: Any, name: str, k: int, what: str) -> Any:
    if values is None:
        return None
    if isinstance(values, Mapping):
        if name not in values:
            raise InputError(
                f"{what}: expected an entry for bath {name!r}, got keys {list(values)}"
            )
        return values[name]
    if isinstance(values, (list, tuple, np.ndarray)):
        return values[k]
    raise InputError(f"{what}: expected a dict name -> value or a sequence, got {describe(values)}")


def as_bath_model(
    model: Any,
    *,
    baths: Sequence[Any] | None = None,
    temperatures: Any = None,
    chemical_potentials: Any = None,
    number_operator: Any = None,
) -> _Model:
    r"""Resolve a generator into its system Hamiltonian and one part per bath.

    Parameters
    ----------
    model : GKSL, BathGenerator or (H, c_ops)
        ``c_ops`` may be a dict ``{name: [L, ...]}`` (one entry per bath) or a list of collapse
        operators; a list needs ``baths`` (the bath name of each operator) or counts every
        operator as its own bath.
    baths : sequence, optional
        For a list of ``c_ops``: the bath (any hashable label) of each operator.
    temperatures, chemical_potentials : dict name -> float or sequence, optional
        Of each bath of an ``(H, c_ops)`` model (temperatures needed for entropy production).
    number_operator : (d, d) array_like, optional
        :math:`N` for baths with a chemical potential.
    """
    if isinstance(model, GKSL):
        parts = tuple(model.dissipator(k) for k in range(model.n_baths))
        return _Model(model.system_hamiltonian, parts, model, "davies")
    if isinstance(model, BathGenerator):
        return _Model(model.system_hamiltonian, model.parts, model, model.kind)
    if not isinstance(model, (tuple, list)) or len(model) != 2:
        raise InputError(
            "model: expected a GKSL, a BathGenerator or a pair (H, c_ops), got " + describe(model)
        )
    H, c_ops = model
    Hm = as_hermitian("H", H)
    d = Hm.shape[0]
    N = None if number_operator is None else as_hermitian("number_operator", number_operator, d)
    if isinstance(c_ops, Mapping):
        groups = [(str(name), list(ops)) for name, ops in c_ops.items()]
        if baths is not None:
            raise InputError("baths: expected None when c_ops is a dict of baths, got a value")
    else:
        if c_ops is None or isinstance(c_ops, np.ndarray) and c_ops.ndim == 2:
            raise InputError(
                "c_ops: expected a list of (d, d) collapse operators or a dict name -> list, got "
                + describe(c_ops)
            )
        ops = list(c_ops)
        labels = list(range(len(ops))) if baths is None else list(baths)
        if len(labels) != len(ops):
            raise InputError(
                f"baths: expected one label per collapse operator ({len(ops)}), got {len(labels)}"
            )
        order: list[Any] = []
        for lab in labels:
            if lab not in order:
                order.append(lab)
        groups = [
            (str(lab), [ops[i] for i in range(len(ops)) if labels[i] == lab]) for lab in order
        ]
    pieces = []
    for k, (name, ops) in enumerate(groups):
        mats = [as_operator(f"c_ops[{name!r}][{j}]", L, d) for j, L in enumerate(ops)]
        T = _lookup(temperatures, name, k, "temperatures")
        T = None if T is None else check_temperature(f"temperatures[{name!r}]", T)
        mu = _lookup(chemical_potentials, name, k, "chemical_potentials")
        mu = 0.0 if mu is None else check_real_scalar(f"chemical_potentials[{name!r}]", mu)
        if mu != 0 and N is None:
            raise InputError(
                f"number_operator: expected N for bath {name!r} with chemical potential {mu}, "
                "got None"
            )
        pieces.append((name, mats, T, mu))
    gen = BathGenerator.from_c_ops(Hm, pieces, number_operator=N)
    return _Model(Hm, gen.parts, gen, "lindblad")


def _states(name: str, rho: Any, d: int) -> tuple[np.ndarray, bool]:
    """(T, d, d) stack from a matrix, a stack or a solver result; flag: single state."""
    if hasattr(rho, "states") and hasattr(rho, "times"):
        st = rho.states
        if st is None:
            raise InputError(
                f"{name}: expected a result with stored states (store_states=True), got none"
            )
        return np.asarray(st, dtype=complex), False
    a = as_operator(name, rho, d, allow_batch=True)
    if a.ndim not in (2, 3):
        raise InputError(f"{name}: expected shape (d, d) or (T, d, d), got {a.shape}")
    if a.ndim == 2:
        return as_density_matrix(name, a, d)[None], True
    return as_density_stack(name, a, d), False


def _out(x: np.ndarray, single: bool) -> Any:
    return x[0] if single else x


def _energy_operators(m: _Model, energy: Any = None) -> np.ndarray:
    """Q_k = L_k^dag(H_S - mu_k N), (K, d, d): J_k = Tr[Q_k rho]; ``energy`` replaces H_S (one
    operator for all baths, or one per bath)."""
    K = len(m.parts)
    if energy is not None:
        E = as_operator("energy", energy, m.dim, allow_batch=True)
        if E.ndim == 2:
            E = np.broadcast_to(E, (K, m.dim, m.dim))
        if E.shape != (K, m.dim, m.dim):
            raise InputError(
                f"energy: expected a (d, d) operator or one per bath ({K}, d, d), got {E.shape}"
            )
    ops = []
    for k, p in enumerate(m.parts):
        X = m.hamiltonian if energy is None else E[k]
        if p.chemical_potential != 0:
            X = X - p.chemical_potential * p.number_operator
        ops.append(p.adjoint(X))
    return np.stack(ops) if ops else np.zeros((0, m.dim, m.dim), complex)


def _trace_with(ops: np.ndarray, states: np.ndarray) -> np.ndarray:
    """Re Tr[O_k rho_t], (T, K)."""
    return np.einsum("kab,tba->tk", ops, states).real


def heat_currents(model: Any, rho: Any, *, energy: Any = None, **bath_info: Any) -> np.ndarray:
    r"""Heat current into the system from each bath, :math:`J_k = \mathrm{Tr}[(H_S-\mu_k N)\mathcal
    L_k\rho]`.

    Parameters
    ----------
    model : GKSL, BathGenerator or (H, c_ops)
        See :func:`as_bath_model` (keyword arguments ``baths``, ``temperatures``,
        ``chemical_potentials``, ``number_operator`` are passed on).
    rho : (d, d), (T, d, d) array_like or a solver result with stored states
    energy : (d, d) or (K, d, d) array_like, optional
        The energy operator counted instead of :math:`H_S` (for all baths, or one per bath): e.g.
        the local Hamiltonians :math:`H_k`, the bookkeeping often used with a local master
        equation, :math:`J_k^{loc} = \mathrm{Tr}[H_k\mathcal L_k\rho]` (it does not add up to
        :math:`dU/dt`).

    Returns
    -------
    (K,) or (T, K) ndarray
        In bath (coupling) order; positive when energy flows into the system.
    """
    m = as_bath_model(model, **bath_info)
    st, single = _states("rho", rho, m.dim)
    return _out(_trace_with(_energy_operators(m, energy), st), single)


def particle_currents(model: Any, rho: Any, **bath_info: Any) -> np.ndarray:
    r"""Particle current into the system from each bath, :math:`\mathrm{Tr}[N\mathcal L_k\rho]`."""
    m = as_bath_model(model, **bath_info)
    st, single = _states("rho", rho, m.dim)
    ops = []
    for k, p in enumerate(m.parts):
        if p.number_operator is None:
            raise InputError(f"number_operator: expected N for bath {k}, got None")
        ops.append(p.adjoint(p.number_operator))
    return _out(_trace_with(np.stack(ops), st), single)


def _generator_apply(m: _Model, rho: np.ndarray) -> np.ndarray:
    """L rho from the whole generator's sparse superoperator in its working basis (a code path
    independent of the split into baths); ``rho`` (d, d) or a stack (T, d, d), the superoperator
    built once."""
    form = as_lindblad(m.source)
    plain = LindbladForm(form.hamiltonian, form.jumps, None, None, form.extra_rowmajor)
    L = liouvillian(plain, sparse=True)
    d = m.dim
    r = np.asarray(form.to_working(rho))
    stack = r.reshape(-1, d, d)
    vecs = stack.transpose(0, 2, 1).reshape(len(stack), d * d).T  # column stacking, (d^2, T)
    out = np.asarray(L @ vecs).T.reshape(len(stack), d, d).transpose(0, 2, 1)
    return form.to_original(out.reshape(r.shape))


def energy_rate(model: Any, rho: Any, **bath_info: Any) -> Any:
    r""":math:`dU/dt = \mathrm{Tr}[H_S\mathcal L\rho]` from the whole generator's superoperator
    (independent of the split into baths). Scalar or (T,)."""
    m = as_bath_model(model, **bath_info)
    st, single = _states("rho", rho, m.dim)
    out = _trace_with(m.hamiltonian[None], _generator_apply(m, st))[:, 0]
    return _out(out, single)


def first_law_residual(model: Any, rho: Any, **bath_info: Any) -> Any:
    r""":math:`dU/dt - \sum_k (J_k + \mu_k\,\dot N_k)`, with :math:`dU/dt` from the full
    Liouvillian (zero up to rounding for every generator). Scalar or (T,)."""
    m = as_bath_model(model, **bath_info)
    st, single = _states("rho", rho, m.dim)
    dU = _trace_with(m.hamiltonian[None], _generator_apply(m, st))[:, 0]
    ops = []
    for p in m.parts:
        ops.append(p.adjoint(m.hamiltonian))  # J_k + mu_k dN_k = Tr[H_S L_k rho]
    parts = _trace_with(np.stack(ops), st).sum(axis=1)
    return _out(dU - parts, single)


def _log_state(r: np.ndarray) -> np.ndarray:
    """ln rho of a Hermitian matrix, eigenvalues clipped at 1e-300 (rank-deficient states)."""
    r = 0.5 * (r + r.conj().T)
    p, V = np.linalg.eigh(r)
    lp = np.log(np.clip(p, 1e-300, None))
    return (V * lp) @ V.conj().T


def _sigma_parts(m: _Model, st: np.ndarray) -> np.ndarray:
    """(T, K) entropy production of each bath."""
    betas = m.betas
    J = _trace_with(_energy_operators(m), st)
    out = np.empty((st.shape[0], len(m.parts)))
    for t, r in enumerate(st):
        lnr = _log_state(r)
        for k, p in enumerate(m.parts):
            dS = -np.trace(p(r) @ lnr).real
            bj = 0.0 if J[t, k] == 0 else betas[k] * J[t, k]
            out[t, k] = dS - bj
    return out


def entropy_production_rate(
    model: Any, rho: Any, *, per_bath: bool = False, **bath_info: Any
) -> Any:
    r"""Entropy production rate :math:`\sigma = dS/dt - \sum_k\beta_k J_k` (Spohn 1978).

    Parameters
    ----------
    model : GKSL, BathGenerator or (H, c_ops) with temperatures
    rho : (d, d), (T, d, d) or a solver result with stored states
    per_bath : bool
        Return the (K,) contributions :math:`\sigma_k = -\mathrm{Tr}[\mathcal L_k(\rho)\ln\rho] -
        \beta_k J_k` instead of their sum (each >= 0 for a Davies generator).

    Returns
    -------
    float, (K,), (T,) or (T, K)
        A bath at T = 0 gives :math:`\pm\infty` unless its current vanishes.
    """
    m = as_bath_model(model, **bath_info)
    st, single = _states("rho", rho, m.dim)
    with np.errstate(invalid="ignore"):
        s = _sigma_parts(m, st)
    return _out(s if per_bath else s.sum(axis=1), single)


def power(dH_dt: Any, rho: Any) -> Any:
    r"""Power delivered to the system by a drive, :math:`P = \mathrm{Tr}[\rho\,\partial_t H]`.

    Parameters
    ----------
    dH_dt : (d, d) or (T, d, d) array_like
        :math:`\partial_t H_S` (at each time).
    rho : (d, d) or (T, d, d)
    """
    D = as_operator("dH_dt", dH_dt, allow_batch=True)
    if not is_hermitian(D):
        raise InputError(
            f"dH_dt: expected a Hermitian operator (the derivative of a Hamiltonian), got "
            f"anti-Hermitian part {hermiticity_error(D):.3e}"
        )
    st, single = _states("rho", rho, D.shape[-1])
    if D.ndim == 2:
        D = np.broadcast_to(D, st.shape)
    if D.shape != st.shape:
        raise InputError(f"dH_dt: expected shape {st.shape[1:]} or {st.shape}, got {D.shape}")
    return _out(np.einsum("tab,tba->t", D, st).real, single)


@dataclass(frozen=True, eq=False)
class Ledger:
    r"""The thermodynamic ledger of a master-equation trajectory (rates at every stored time).

    Attributes
    ----------
    times : (T,)
    heat : (T, K)
        :math:`J_k(t)`, heat current from each bath (same name as the collision ledger).
    work : (T,)
        Power :math:`P(t)` (zero for an undriven generator).
    energy : (T,)
        :math:`U = \mathrm{Tr}[H_S\rho]`.
    entropy : (T,)
        von Neumann entropy of the system.
    entropy_production : (T,)
        :math:`\sigma(t)` (NaN when a temperature is unknown).
    entropy_production_per_bath : (T, K)
    first_law_residual : (T,)
        :math:`dU/dt - \sum_k J_k - P` (with :math:`dU/dt` from the full generator).
    bath_names : list of str
    temperatures : (K,)
    integrated_work : (T,)
        :math:`W(t) = \int_{t_0}^t P\,dt'` (work done on the system by the drive), the
        integral of the cubic spline through the stored ``work`` (error :math:`O(\Delta t^4)`).
    integrated_heat : (T, K)
        :math:`Q_k(t) = \int_{t_0}^t J_k\,dt'`, likewise.
    """

    times: np.ndarray
    heat: np.ndarray
    work: np.ndarray
    energy: np.ndarray
    entropy: np.ndarray
    entropy_production: np.ndarray
    entropy_production_per_bath: np.ndarray
    first_law_residual: np.ndarray
    bath_names: list[str]
    temperatures: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)
    integrated_work: np.ndarray | None = None
    integrated_heat: np.ndarray | None = None


def ledger(model: Any, result: Any, *, dH_dt: Any = None, **bath_info: Any) -> Ledger:
    """Heat, work, energy, entropy and entropy production at every stored time of a result.

    Parameters
    ----------
    model : GKSL, BathGenerator or (H, c_ops)
    result : a solver result with ``.times`` and stored ``.states``
    dH_dt : (d, d) or (T, d, d), optional
        For a driven system, :math:`\\partial_t H_S` at the stored times.
    """
    m = as_bath_model(model, **bath_info)
    st, _ = _states("result", result, m.dim)
    times = np.asarray(getattr(result, "times", np.arange(len(st))), dtype=float)
    J = _trace_with(_energy_operators(m), st)
    P = np.zeros(len(st)) if dH_dt is None else np.atleast_1d(power(dH_dt, st))
    U = np.einsum("ab,tba->t", m.hamiltonian, st).real
    res = np.atleast_1d(first_law_residual(model, st, **bath_info))
    return _make_ledger(
        times,
        st,
        (J, P, U, res),
        lambda: _sigma_parts(m, st),
        lambda: [p.temperature for p in m.parts],
        m.names,
        {"kind": m.kind},
    )


def _make_ledger(
    times: np.ndarray,
    st: np.ndarray,
    rates: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    sigma: Any,
    temperatures: Any,
    names: list[str],
    meta: dict[str, Any],
) -> Ledger:
    """The ledger from (J, P, U, first-law residual); ``sigma()`` gives the (T, K) entropy
    production and ``temperatures()`` the bath temperatures (NaN where one is unknown)."""
    J, P, U, res = rates
    S = np.array([-np.sum(_xlogx(np.linalg.eigvalsh(0.5 * (r + r.conj().T)))) for r in st])
    try:
        with np.errstate(invalid="ignore"):
            sk = sigma()
        temps = np.array(temperatures(), dtype=float)
    except InputError:
        sk = np.full(J.shape, np.nan)
        temps = np.full(J.shape[1], np.nan)
    return Ledger(
        times=times,
        heat=J,
        work=P,
        energy=U,
        entropy=S,
        entropy_production=sk.sum(axis=1),
        entropy_production_per_bath=sk,
        first_law_residual=res,
        bath_names=names,
        temperatures=temps,
        meta=meta,
        integrated_work=_cumulative(times, P),
        integrated_heat=_cumulative(times, J),
    )


def _cumulative(times: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Running integral from times[0] of the cubic spline through the samples (along axis 0)."""
    if len(times) < 2:
        return np.zeros_like(y)
    from scipy.interpolate import CubicSpline

    anti = CubicSpline(times, y, axis=0, bc_type="not-a-knot").antiderivative()
    return anti(times) - anti(times[0])


def _xlogx(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 0.0, None)
    out = np.zeros_like(p)
    nz = p > 0
    out[nz] = p[nz] * np.log(p[nz])
    return out
