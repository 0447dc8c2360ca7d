r"""The thermodynamic ledger of a driven system: energy, heat, power and entropy with :math:`H_S(t)`.

For :math:`\dot\rho = -i[H_S(t),\rho] + \sum_k\mathcal D_k\rho` (Alicki, *The quantum open system
as a model of the heat engine*, 1979):

.. math::

    U = \mathrm{Tr}[\rho H_S(t)],\qquad
    J_k = \mathrm{Tr}\big[(H_S(t)-\mu_k N)\,\mathcal D_k\rho\big],\qquad
    P = \mathrm{Tr}[\rho\,\partial_t H_S(t)],\qquad
    \frac{dU}{dt} = \sum_k J_k + \sum_k\mu_k\mathrm{Tr}[N\mathcal D_k\rho] + P,

    \sigma = \frac{dS}{dt} - \sum_k\beta_k J_k
    = -\sum_k\mathrm{Tr}\big[\mathcal D_k(\rho)\,(\ln\rho + \beta_k(H_S(t) - \mu_k N))\big].

Models:

* QuTiP's list form ``[H0, [H1, f1], ...]`` with ``c_ops`` (a pair ``(H_list, c_ops)``, the baths
  named as for :func:`qbath.thermo.as_bath_model`) or without (a closed system, no bath);
* the list form with a generator as its constant part, ``[gen, [H1, f1], ...]`` (``gen`` from
  :func:`qbath.davies` or a :class:`qbath.generators.BathGenerator`): :math:`H_S(t)` is the
  generator's system Hamiltonian plus the other terms, and :math:`\mathcal D_k` the generator's bath
  parts, built from the *static* Hamiltonian;
* :func:`qbath.adiabatic_davies`: :math:`H_S(t)` and the instantaneous Davies dissipators
  :math:`\mathcal D_k(t)` of :math:`H_S(t)`.

:math:`\partial_t H_S = \sum_j \dot f_j(t) H_j`: numbers give 0; an array coefficient (sampled on
the solver's ``tlist``) gives the derivative of the same cubic spline the solvers use (0 for
``interpolation="step"``: the work done at the jumps is then not in :math:`P`); a callable gives the
centred difference :math:`(f(t+h)-f(t-h))/2h` with :math:`h = 6\times10^{-6}\max(1,|t|)`
(``derivative_step`` replaces the factor :math:`6\times10^{-6} \approx \epsilon^{1/3}`, which
balances truncation and rounding at a relative error near :math:`10^{-10}`). ``dH_dt``, a callable
``t -> (d, d)``, gives the exact derivative instead.

Spohn's inequality :math:`\sigma_k\ge0` needs :math:`\mathcal D_k(e^{-\beta_k H_S(t)}) = 0`: it
holds at every time for the adiabatic master equation (the Davies generator of :math:`H_S(t)`;
Albash, Boixo, Lidar and Zanardi, *Quantum adiabatic Markovian master equations*, 2012), but a bath
built from the static Hamiltonian under a drive that is not weak, or a drive fast compared with the
relaxation, can give :math:`\sigma < 0` (the dissipator no longer knows the instantaneous energy
levels; Kosloff, *Quantum thermodynamics: a dynamical viewpoint*, 2013).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .._checks import as_hermitian, check_bool, check_real_scalar, describe
from .._errors import InputError
from ..generators import (
    GKSL,
    BathGenerator,
    as_coefficient,
    check_args,
    is_list_form,
)
from ..master import AdiabaticDavies, FloquetGKSL
from . import _currents as static
from ._currents import (
    Ledger,
    _generator_apply,
    _log_state,
    _make_ledger,
    _Model,
    _states,
    _trace_with,
)
from ._floquet import floquet_entropy_production_rate, floquet_heat_currents

__all__ = [
    "DrivenModel",
    "as_driven_model",
    "entropy_production_rate",
    "first_law_residual",
    "heat_currents",
    "ledger",
    "power",
]

#: default relative step of the centred difference of callable coefficients (about eps^(1/3))
DERIVATIVE_STEP = 6e-6


def _centred(f: Callable[[float], complex], factor: float) -> Callable[[float], complex]:
    def df(t: float) -> complex:
        h = factor * max(1.0, abs(t))
        return (f(t + h) - f(t - h)) / (2 * h)

    return df


def _spline_derivative(
    name: str, values: Any, tlist: Any, interpolation: str
) -> Callable[[float], complex]:
    coeff = as_coefficient(name, values, tlist=tlist, interpolation=interpolation)
    if coeff.kind == "step":
        return lambda t: 0.0
    from scipy.interpolate import CubicSpline

    tl = np.asarray(tlist, dtype=float)
    v = np.asarray(values)
    spline = CubicSpline(tl, v.real if coeff.real else v.astype(complex), bc_type="not-a-knot")
    dspl = spline.derivative()
    t0, t1 = float(tl[0]), float(tl[-1])
    # the solvers hold the end value outside the samples: no slope there
    return lambda t: dspl(t)[()] if t0 <= t <= t1 else 0.0


@dataclass(frozen=True, eq=False)
class DrivenModel:
    r""":math:`H_S(t) = H_\mathrm{static} + \sum_j f_j(t) H_j` and the baths of a driven system.

    Attributes
    ----------
    static : the bath model of the constant part (``hamiltonian``: :math:`H_\mathrm{static}`,
        ``parts``: the dissipators :math:`\mathcal D_k`, ``source``: the constant generator);
        for an adiabatic generator, that of :math:`H_S(0)`.
    source_hamiltonian : (d, d) ndarray
        The Hamiltonian inside ``static.source`` (the rest of :math:`H_S(t)` is added as a
        commutator).
    ops : (J, d, d) ndarray
        The driven operators :math:`H_j`.
    coefficients, derivatives : tuple of callables t -> complex
        :math:`f_j` and :math:`\dot f_j`.
    adiabatic : AdiabaticDavies or None
    dH_dt : callable t -> (d, d) or None
        The exact :math:`\partial_t H_S` given by the user.
    step : float
        Relative step of the centred differences.
    """

    static: _Model
    source_hamiltonian: np.ndarray
    ops: np.ndarray
    coefficients: tuple[Callable[[float], complex], ...]
    derivatives: tuple[Callable[[float], complex], ...]
    adiabatic: AdiabaticDavies | None = None
    dH_dt: Callable[[float], Any] | None = None
    step: float = DERIVATIVE_STEP
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def dim(self) -> int:
        return self.static.dim

    def _values(self, fs: Sequence[Callable], times: np.ndarray) -> np.ndarray:
        return np.array([[f(float(t)) for f in fs] for t in times], dtype=complex).reshape(
            len(times), len(fs)
        )

    def hamiltonians(self, times: np.ndarray) -> np.ndarray:
        r""":math:`H_S(t)` at each time, (T, d, d)."""
        if self.adiabatic is not None:
            return np.stack([self.adiabatic.hamiltonian_at(t) for t in times])
        c = self._values(self.coefficients, times)
        return self.static.hamiltonian[None] + np.einsum("tj,jab->tab", c, self.ops)

    def derivative(self, times: np.ndarray) -> np.ndarray:
        r""":math:`\partial_t H_S(t)` at each time, (T, d, d)."""
        d = self.dim
        if self.dH_dt is not None:
            return np.stack([as_hermitian("dH_dt(t)", self.dH_dt(float(t)), d) for t in times])
        if self.adiabatic is not None:
            H = self.adiabatic.hamiltonian_at
            hs = [self.step * max(1.0, abs(float(t))) for t in times]
            return np.stack(
                [(H(t + h) - H(t - h)) / (2 * h) for t, h in zip(times, hs, strict=True)]
            )
        c = self._values(self.derivatives, times)
        return np.einsum("tj,jab->tab", c, self.ops)

    def at(self, t: float) -> _Model:
        """The bath model at time t (the instantaneous Davies generator when adiabatic)."""
        if self.adiabatic is None:
            return self.static
        key = float(t)
        if key not in self._cache:  # one Davies generator per time, shared by the ledger's parts
            self._cache[key] = static.as_bath_model(self.adiabatic.at(key))
        return self._cache[key]


def _terms(
    H: list, args: dict, tlist: Any, interpolation: str, step: float
) -> tuple[list[Any], list[tuple[int, Any, Callable, Callable]]]:
    """Constant entries and (index, operator, f, df) of the list form."""
    if is_list_form([H]) and not is_list_form(H):
        H = [H]  # one [op, coeff] pair without the enclosing list
    consts, terms = [], []
    for k, entry in enumerate(H):
        if not is_list_form([entry]):
            consts.append(entry)
            continue
        op, c = entry
        name = f"H[{k}][1]"
        f = as_coefficient(name, c, args=args, tlist=tlist, interpolation=interpolation)
        if f.kind == "constant":
            df: Callable = lambda t: 0.0  # noqa: E731
        elif f.kind == "function":
            df = _centred(f, step)
        else:
            df = _spline_derivative(name, c, tlist, interpolation)
        terms.append((k, op, f, df))
    return consts, terms


def _static_part(
    consts: list[Any], c_ops: Any, d: int, bath_info: dict
) -> tuple[_Model, np.ndarray]:
    """The bath model of the constant entries (its ``hamiltonian`` their sum) and the Hamiltonian
    inside its generator."""
    gens = [c for c in consts if isinstance(c, (GKSL, BathGenerator))]
    ops = [c for c in consts if not isinstance(c, (GKSL, BathGenerator))]
    if len(gens) > 1:
        raise InputError("H: expected at most one generator in the list form, got several")
    if gens:
        if c_ops is not None:
            raise InputError(
                "c_ops: expected none with a generator in the list form (its baths are the "
                f"generator's), got {describe(c_ops)}"
            )
        m = static.as_bath_model(gens[0], **bath_info)
        extra = sum(
            (as_hermitian(f"H[{k}]", _dense(o), m.dim) for k, o in enumerate(ops)),
            0 * m.hamiltonian,
        )
        return replace(m, hamiltonian=m.hamiltonian + extra), m.hamiltonian
    h0 = sum(
        (as_hermitian(f"H[{k}]", _dense(o), d) for k, o in enumerate(ops)),
        np.zeros((d, d), complex),
    )
    if c_ops is None or (isinstance(c_ops, (list, tuple, dict)) and len(c_ops) == 0):
        return _Model(h0, (), None, "closed"), h0
    if isinstance(c_ops, (list, tuple)):
        for k, e in enumerate(c_ops):
            if is_list_form([e]):
                raise InputError(
                    f"c_ops[{k}]: expected a constant collapse operator (the ledger's baths are "
                    "time independent), got a time-dependent pair [L, g]"
                )
    return static.as_bath_model((h0, c_ops), **bath_info), h0


def as_driven_model(
    model: Any,
    *,
    args: Any = None,
    coeff_tlist: Any = None,
    interpolation: str = "cubic",
    derivative_step: Any = None,
    dH_dt: Any = None,
    **bath_info: Any,
) -> DrivenModel | None:
    """The driven model of ``model``, or None when ``model`` has no time dependence.

    Parameters
    ----------
    model : list form, (list form, c_ops), AdiabaticDavies, or a static model
    args : dict, optional
        The ``args`` given to the solver (two-argument coefficients).
    coeff_tlist : (T,) array_like, optional
        Sample times of array coefficients (the solver's ``tlist``).
    interpolation : {"cubic", "step"}
        As given to the solver.
    derivative_step : float, optional
        Relative step of the centred differences (default ``DERIVATIVE_STEP``).
    dH_dt : callable t -> (d, d), optional
        The exact :math:`\\partial_t H_S(t)`.
    """
    step = DERIVATIVE_STEP
    if derivative_step is not None:
        step = check_real_scalar("derivative_step", derivative_step, minimum=0.0, strict=True)
    if dH_dt is not None and not callable(dH_dt):
        raise InputError(
            "dH_dt: expected a callable t -> (d, d) for a driven model, got " + describe(dH_dt)
        )
    if isinstance(model, AdiabaticDavies):
        m0 = static.as_bath_model(model.at(0.0))
        empty = np.zeros((0, m0.dim, m0.dim), complex)
        return DrivenModel(m0, m0.hamiltonian, empty, (), (), model, dH_dt, step)
    H, c_ops = model, None
    if isinstance(model, tuple) and len(model) == 2 and is_list_form(model[0]):
        H, c_ops = model
    if not is_list_form(H):
        return None
    a = check_args(args)
    consts, terms = _terms(H, a, coeff_tlist, interpolation, step)
    k0, op0 = terms[0][:2]
    d = as_hermitian(f"H[{k0}][0]", _dense(op0)).shape[0]
    m, h_src = _static_part(consts, c_ops, d, bath_info)
    ops = np.stack([as_hermitian(f"H[{k}][0]", _dense(op), m.dim) for k, op, _, _ in terms])
    fs, dfs = tuple(t[2] for t in terms), tuple(t[3] for t in terms)
    return DrivenModel(m, h_src, ops, fs, dfs, None, dH_dt, step)


def _dense(op: Any) -> Any:
    return op.toarray() if hasattr(op, "toarray") else op.full() if hasattr(op, "full") else op


def _times(name: str, rho: Any, times: Any, n: int) -> np.ndarray:
    if times is None:
        times = getattr(rho, "times", None)
    if times is None:
        raise InputError(
            f"times: expected the times of the states for a driven model ({name} has none), "
            "got None"
        )
    t = np.atleast_1d(np.asarray(times))
    if t.dtype.kind not in "iuf" or t.shape != (n,):
        raise InputError(f"times: expected {n} real times, one per state, got {describe(times)}")
    return t.astype(float)


def _currents(dm: DrivenModel, st: np.ndarray, times: np.ndarray) -> np.ndarray:
    """(T, K) heat currents Tr[(H_S(t) - mu_k N) D_k rho]: for time-independent baths the operators
    D_k^dag(H_static - mu_k N) and D_k^dag(H_j) are built once."""
    if dm.adiabatic is not None:
        out = [
            _trace_with(static._energy_operators(dm.at(t)), r[None])[0]
            for t, r in zip(times, st, strict=True)
        ]
        return np.array(out).reshape(len(times), -1)
    m = dm.static
    if not m.parts:
        return np.zeros((len(times), 0))
    q0 = _trace_with(static._energy_operators(m), st)  # (T, K)
    if not len(dm.ops):
        return q0
    qj = np.stack([[p.adjoint(h) for h in dm.ops] for p in m.parts])  # (K, J, d, d)
    c = dm._values(dm.coefficients, times)  # (T, J)
    return q0 + np.einsum("tj,kjab,tba->tk", c, qj, st).real


def _sigma(dm: DrivenModel, st: np.ndarray, times: np.ndarray, J: np.ndarray) -> np.ndarray:
    """(T, K) entropy production of each bath: -Tr[D_k(rho) ln rho] - beta_k J_k."""
    out = np.empty(J.shape)
    for i, (t, r) in enumerate(zip(times, st, strict=True)):
        m = dm.at(t)
        betas = m.betas
        lnr = _log_state(r)
        for k, p in enumerate(m.parts):
            bj = 0.0 if J[i, k] == 0 else betas[k] * J[i, k]
            out[i, k] = -np.trace(p(r) @ lnr).real - bj
    return out


def _generator_rate(
    dm: DrivenModel, st: np.ndarray, times: np.ndarray, Ht: np.ndarray
) -> np.ndarray:
    r""":math:`\mathrm{Tr}[H_S(t)\,\mathcal L(t)\rho]` from the whole generator (its superoperator
    plus :math:`-i[H_S(t) - H_\mathrm{static}, \cdot]`), independent of the split into baths."""
    if dm.adiabatic is not None:
        Lr = np.stack([_generator_apply(dm.at(t), r) for t, r in zip(times, st, strict=True)])
    else:
        m, h0 = dm.static, dm.source_hamiltonian
        Lr = _generator_apply(m, st) if m.source is not None else -1j * (h0 @ st - st @ h0)
        hd = Ht - h0
        Lr = Lr - 1j * (hd @ st - st @ hd)
    return np.einsum("tab,tba->t", Ht, Lr).real


_OPTIONS = ("args", "coeff_tlist", "interpolation", "derivative_step", "dH_dt")


def _resolve(
    model: Any, rho: Any, times: Any, options: dict[str, Any]
) -> tuple[DrivenModel | None, np.ndarray, bool, np.ndarray]:
    """(driven model or None, (T, d, d) states, single-state flag, (T,) times)."""
    drive = {k: options.pop(k) for k in _OPTIONS if k in options}
    t_given = times if times is not None else getattr(rho, "times", None)
    if drive.get("coeff_tlist") is None:
        drive["coeff_tlist"] = t_given
    dm = as_driven_model(model, **drive, **options)
    if dm is None:
        extra = [k for k in _OPTIONS if drive.get(k) is not None and k != "coeff_tlist"]
        if extra:
            static.as_bath_model(model, **options)  # a model that is neither is named first
            raise InputError(
                f"{extra[0]}: expected no drive options for a time-independent model, got "
                f"{describe(drive[extra[0]])}"
            )
        return None, np.zeros(0), False, np.zeros(0)
    st, single = _states("rho", rho, dm.dim)
    return dm, st, single, _times("rho", rho, t_given, len(st))


def _out(x: np.ndarray, single: bool) -> Any:
    return x[0] if single else x


def _floquet_takes_nothing_more(**given: Any) -> None:
    """A Floquet generator knows its drive, baths and energies: refuse what it would ignore."""
    for name, value in given.items():
        if value is not None:
            raise InputError(
                f"{name}: expected nothing for a FloquetGKSL (its drive, baths and sideband "
                f"energies are part of it), got {describe(value)}"
            )


def heat_currents(
    model: Any, rho: Any, *, energy: Any = None, times: Any = None, **options: Any
) -> Any:
    r"""Heat current into the system from each bath, :math:`J_k = \mathrm{Tr}[(H_S(t)-\mu_k N)
    \mathcal D_k\rho]`, for a time-independent or a driven model.

    Parameters
    ----------
    model : GKSL, BathGenerator, (H, c_ops), QuTiP's list form (with a generator or paired with
        ``c_ops``), AdiabaticDavies or FloquetGKSL
        A FloquetGKSL (:func:`qbath.master.floquet_davies`) counts the quanta of its sideband
        jumps (:func:`qbath.thermo.floquet_heat_currents`); its states are the stroboscopic ones.
    rho : (d, d), (T, d, d) array_like or a solver result with stored states
    energy : (d, d) or (K, d, d), optional
        Time-independent models only: the energy operator counted instead of :math:`H_S` (for
        all baths, or one per bath), e.g. the local Hamiltonians :math:`H_k` of a local master
        equation, :math:`\mathrm{Tr}[H_k\mathcal L_k\rho]` (which does not add up to
        :math:`dU/dt`).
    times : (T,) array_like, optional
        Driven models: the times of the states (a result's own ``times`` by default).
    **options
        ``args``, ``coeff_tlist``, ``interpolation`` (as given to the solver), and the bath
        information of :func:`qbath.thermo.as_bath_model`.

    Returns
    -------
    (K,) or (T, K) ndarray
    """
    if isinstance(model, FloquetGKSL):
        _floquet_takes_nothing_more(energy=energy, times=times, **options)
        return floquet_heat_currents(model, rho)
    dm, st, single, t = _resolve(model, rho, times, options)
    if dm is None:
        return static.heat_currents(model, rho, energy=energy, **options)
    if energy is not None:
        raise InputError(
            "energy: expected None for a driven model (the energy is H_S(t)), got "
            + describe(energy)
        )
    return _out(_currents(dm, st, t), single)


def _bath_energy_rate(dm: DrivenModel, st: np.ndarray, t: np.ndarray, J: np.ndarray) -> np.ndarray:
    r""":math:`\sum_k \mathrm{Tr}[H_S(t)\mathcal D_k\rho] = \sum_k (J_k + \mu_k\dot N_k)`, (T,)."""
    out = J.sum(axis=1)
    for i, ti in enumerate(t):
        for p in dm.at(ti).parts:
            if p.chemical_potential != 0:
                out[i] += p.chemical_potential * np.trace(p.adjoint(p.number_operator) @ st[i]).real
    return out


def first_law_residual(model: Any, rho: Any, *, times: Any = None, **options: Any) -> Any:
    r""":math:`dU/dt - \sum_k (J_k + \mu_k\dot N_k) - P`, zero up to rounding for every generator.

    :math:`dU/dt = \mathrm{Tr}[H_S(t)\mathcal L(t)\rho] + P` with :math:`\mathcal L(t)` the whole
    generator (its superoperator plus the commutator with the driven terms), a computation
    independent of the split into baths; :math:`P` appears on both sides, so the residual checks
    that the dissipators add up to the generator and the Hamiltonian part conserves
    :math:`H_S(t)`. For :math:`dU/dt` from the states themselves, differentiate
    ``ledger(...).energy``. Arguments as :func:`heat_currents`. Scalar or (T,).
    """
    dm, st, single, t = _resolve(model, rho, times, options)
    if dm is None:
        return static.first_law_residual(model, rho, **options)
    Ht = dm.hamiltonians(t)
    J = _currents(dm, st, t)
    return _out(_generator_rate(dm, st, t, Ht) - _bath_energy_rate(dm, st, t, J), single)


def entropy_production_rate(
    model: Any, rho: Any, *, per_bath: bool = False, times: Any = None, **options: Any
) -> Any:
    r"""Entropy production rate :math:`\sigma = dS/dt - \sum_k\beta_k J_k` (Spohn 1978), for a
    time-independent or a driven model (then with :math:`J_k` of :math:`H_S(t)`; see the module
    text for when it can be negative). Arguments as :func:`heat_currents`; ``per_bath`` returns
    the :math:`\sigma_k`."""
    per_bath = check_bool("per_bath", per_bath)
    if isinstance(model, FloquetGKSL):
        _floquet_takes_nothing_more(times=times, **options)
        return floquet_entropy_production_rate(model, rho, per_bath=per_bath)
    dm, st, single, t = _resolve(model, rho, times, options)
    if dm is None:
        return static.entropy_production_rate(model, rho, per_bath=per_bath, **options)
    with np.errstate(invalid="ignore"):
        s = _sigma(dm, st, t, _currents(dm, st, t))
    return _out(s if per_bath else s.sum(axis=1), single)


def power(dH_dt: Any, rho: Any, *, times: Any = None, **options: Any) -> Any:
    r"""Power delivered to the system by a drive, :math:`P = \mathrm{Tr}[\rho\,\partial_t H_S]`.

    Parameters
    ----------
    dH_dt : (d, d) or (T, d, d) array_like, a callable t -> (d, d), or a driven model
        :math:`\partial_t H_S` at each time, or a model (QuTiP's list form, a pair
        ``(H_list, c_ops)``, an AdiabaticDavies) whose :math:`\partial_t H_S(t)` is taken from
        the coefficients (module text).
    rho : (d, d), (T, d, d) or a solver result with stored states
    times : (T,) array_like, optional
        For a callable or a model: the times of the states (a result's own by default).
    **options
        ``args``, ``coeff_tlist``, ``interpolation``, ``derivative_step`` for a model.
    """
    if callable(dH_dt) and not _is_driven(dH_dt):
        raw = rho.states if hasattr(rho, "states") and hasattr(rho, "times") else rho
        single = np.ndim(raw) == 2
        t = _times(
            "rho",
            rho,
            [times] if single and times is not None else times,
            1 if single else len(raw),
        )
        D = np.stack([np.asarray(dH_dt(float(x)), dtype=complex) for x in t])
        return static.power(D[0] if single else D, raw)
    dm, st, single, t = _resolve(dH_dt, rho, times, dict(options))
    if dm is None:
        return static.power(dH_dt, rho)
    return _out(np.einsum("tab,tba->t", dm.derivative(t), st).real, single)


def ledger(model: Any, result: Any, *, dH_dt: Any = None, **options: Any) -> Ledger:
    r"""Heat, work, energy, entropy and entropy production at every stored time of a result.

    For a time-independent model :math:`H_S` is the generator's (``dH_dt``, an array (d, d) or
    (T, d, d), gives the power of a drive the model does not know). For a driven model (QuTiP's
    list form ``[gen, [H1, f1], ...]``, a pair ``(H_list, c_ops)``, an AdiabaticDavies) every
    quantity uses :math:`H_S(t)` at the stored times: :math:`U = \mathrm{Tr}[\rho H_S(t)]`,
    :math:`J_k = \mathrm{Tr}[H_S(t)\mathcal D_k\rho]`, :math:`P = \mathrm{Tr}[\rho\,\partial_t
    H_S]` (module text for :math:`\partial_t H_S`; a callable ``dH_dt`` gives it exactly), so
    that :math:`dU/dt = \sum_k J_k + P`.

    Parameters
    ----------
    model : as :func:`heat_currents`
    result : a solver result with ``.times`` and stored ``.states``
    dH_dt : (d, d), (T, d, d) array_like or callable t -> (d, d), optional
    **options
        ``args``, ``coeff_tlist``, ``interpolation``, ``derivative_step`` (driven models) and the
        bath information of :func:`qbath.thermo.as_bath_model`.

    Returns
    -------
    Ledger
        ``integrated_work`` and ``integrated_heat`` are the running integrals
        :math:`\int_{t_0}^t P\,dt'`, :math:`\int_{t_0}^t J_k\,dt'` of the cubic spline through the
        stored rates (error :math:`O(\Delta t^4)` for smooth rates).
    """
    if not _is_driven(model):
        _resolve(model, result, None, options)  # refuses drive options for a static model
        if callable(dH_dt):  # evaluate it at the stored times
            tt = np.asarray(result.times, dtype=float)
            dH_dt = np.stack([np.asarray(dH_dt(float(x)), dtype=complex) for x in tt])
        return static.ledger(model, result, dH_dt=dH_dt, **options)
    if dH_dt is not None and not callable(dH_dt):
        raise InputError(
            "dH_dt: expected None or a callable for a driven model (its derivative is known), "
            "got " + describe(dH_dt)
        )
    dm, st, _, t = _resolve(model, result, None, {**options, "dH_dt": dH_dt})
    assert dm is not None
    Ht = dm.hamiltonians(t)
    J = _currents(dm, st, t)
    P = np.einsum("tab,tba->t", dm.derivative(t), st).real
    U = np.einsum("tab,tba->t", Ht, st).real
    res = _generator_rate(dm, st, t, Ht) - _bath_energy_rate(dm, st, t, J)
    return _make_ledger(
        t,
        st,
        (J, P, U, res),
        lambda: _sigma(dm, st, t, J),
        lambda: [p.temperature for p in dm.at(t[0]).parts],
        dm.static.names,
        {"kind": dm.static.kind, "driven": True},
    )


def _is_driven(model: Any) -> bool:
    """A list form, a pair (list form, c_ops) or an adiabatic generator."""
    if isinstance(model, AdiabaticDavies) or is_list_form(model):
        return True
    return isinstance(model, tuple) and len(model) == 2 and is_list_form(model[0])
