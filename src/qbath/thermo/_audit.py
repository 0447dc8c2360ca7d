r"""Verdicts on the laws of thermodynamics and on complete positivity: :func:`audit`.

For a master equation (GKSL, Redfield, local, or ``(H, c_ops)`` with the baths named):

* **first law** — :math:`\max|dU/dt - \sum_k J_k|` over the steady state and random states, with
  :math:`dU/dt` from the whole generator's superoperator;
* **second law** — at the steady state :math:`\sigma = -\sum_k\beta_k J_k \ge 0` (Clausius), and
  for each bath Spohn's :math:`\sigma_k = -\mathrm{Tr}[\mathcal L_k(\rho)\ln\rho] - \beta_k J_k \ge 0`
  at the steady state and at random states (Spohn 1978: guaranteed for a Davies generator, not for
  a local master equation or a Redfield tensor);
* **Gibbs stationarity** — when all baths share one temperature (and chemical potential),
  :math:`\mathcal L\,e^{-\beta(H_S-\mu N)}/Z = 0`;
* **complete positivity** — the generator is of GKSL form iff it preserves Hermiticity and its
  Choi matrix is positive on the complement of the maximally entangled vector
  :math:`|\Omega\rangle = \sum_i|ii\rangle` (conditional complete positivity; Lindblad 1976,
  Gorini, Kossakowski and Sudarshan 1976; Wolf and Cirac, *Dividing quantum channels*, 2008).

For a collision model (:class:`qbath.collision.CollisionModel`) the same verdicts come from the
collision ledger (Cusumano and De Chiara): first-law residual, :math:`\Sigma = I + D \ge 0` and the
Clausius form per collision, Gibbs stationarity for thermal ancillae with an energy-conserving
interaction, and positivity of the collision map's Choi matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._checks import as_operator, check_int, check_real_scalar
from .._errors import InputError, NonUniqueSteadyStateError
from .._states import thermal_state
from ..generators import liouvillian
from ..solve import steady_state
from ._currents import (
    _energy_operators,
    _sigma_parts,
    _trace_with,
    as_bath_model,
    first_law_residual,
)

__all__ = ["Verdict", "Audit", "audit", "generator_positivity"]


@dataclass(frozen=True)
class Verdict:
    """One line of an audit.

    Attributes
    ----------
    name : str
    status : {"pass", "fail", "n/a"}
    value : float
        The number checked (a residual, a minimum, an eigenvalue).
    tolerance : float
    note : str
    """

    name: str
    status: str
    value: float
    tolerance: float
    note: str = ""


@dataclass(frozen=True, eq=False)
class Audit:
    """The verdicts of :func:`audit`, with the numbers behind them.

    Attributes
    ----------
    verdicts : tuple of Verdict
    kind : str
        ``"davies"``, ``"local"``, ``"redfield"``, ``"partial-secular"``, ``"lindblad"``,
        ``"collision"``.
    steady_state : (d, d) ndarray or None
    heat_currents : (K,) ndarray
        At the steady state (collision model: heat per collision).
    entropy_production : float
        At the steady state.
    temperatures : (K,) ndarray
    """

    verdicts: tuple[Verdict, ...]
    kind: str
    steady_state: np.ndarray | None
    heat_currents: np.ndarray
    entropy_production: float
    temperatures: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True when no verdict failed."""
        return all(v.status != "fail" for v in self.verdicts)

    @property
    def failures(self) -> list[str]:
        return [v.name for v in self.verdicts if v.status == "fail"]

    def __getitem__(self, name: str) -> Verdict:
        for v in self.verdicts:
            if v.name == name:
                return v
        raise KeyError(name)

    def table(self) -> str:
        """A plain-text table: check, verdict, value, tolerance, note."""
        w = max(len(v.name) for v in self.verdicts)
        lines = [f"{'check':<{w}}  verdict  value        tolerance  note"]
        for v in self.verdicts:
            lines.append(
                f"{v.name:<{w}}  {v.status:<7s}  {v.value: .3e}  {v.tolerance:.1e}    {v.note}"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return f"audit of a {self.kind} generator\n" + self.table()

    def __repr__(self) -> str:
        return f"Audit(kind={self.kind!r}, passed={self.passed}, failures={self.failures})"


def generator_positivity(L: np.ndarray) -> float:
    r"""Smallest eigenvalue of the Choi matrix of a Liouvillian projected off :math:`|\Omega\rangle`.

    >= 0 (up to rounding) iff :math:`e^{t\mathcal L}` is completely positive for all t >= 0, for a
    Hermiticity-preserving, trace-preserving :math:`\mathcal L` (column stacking).
    """
    if sp.issparse(L):
        L = L.toarray()
    L = as_operator("L", L)
    d = int(round(np.sqrt(L.shape[0])))
    if d * d != L.shape[0] or d < 1:
        raise InputError(f"L: expected a d^2 x d^2 superoperator, got shape {L.shape}")
    C = L.reshape(d, d, d, d).transpose(3, 1, 2, 0).reshape(d * d, d * d)  # as solve.choi_matrix
    C = 0.5 * (C + C.conj().T)
    omega = np.eye(d).reshape(-1) / np.sqrt(d)
    Q = np.eye(d * d) - np.outer(omega, omega)
    return float(np.linalg.eigvalsh(Q @ C @ Q)[0])


def _status(ok: bool) -> str:
    return "pass" if ok else "fail"


def _positivity(lam: float, atol: float, what: str) -> Verdict:
    """The complete-positivity verdict from the smallest eigenvalue ``lam`` of a Choi matrix."""
    return Verdict(
        "complete positivity", _status(lam >= -atol), lam, atol, f"min eigenvalue of {what}"
    )


def audit(
    model: Any,
    *,
    n_states: int = 8,
    seed: int = 0,
    tol: float = 1e-9,
    **bath_info: Any,
) -> Audit:
    r"""Check a generator (or a collision model) against the first and second laws, Gibbs
    stationarity and complete positivity.

    Parameters
    ----------
    model : GKSL, BathGenerator, (H, c_ops) with the baths named, or CollisionModel
    n_states : int
        Random states (Haar-random eigenvectors, uniform spectra) at which the first law and
        Spohn's inequality are also checked.
    seed : int
        Seed of those states.
    tol : float
        Relative tolerance (multiplied by the largest rate :math:`\max|\mathcal L|`).
    **bath_info
        ``baths``, ``temperatures``, ``chemical_potentials``, ``number_operator`` for an
        ``(H, c_ops)`` model (see :func:`qbath.thermo.heat_currents`).

    Returns
    -------
    Audit
        ``.verdicts``, ``.passed``, ``.failures``, ``.table()``; ``audit["second law (total)"]``.
    """
    n_states = check_int("n_states", n_states)
    seed = check_int("seed", seed)
    tol = check_real_scalar("tol", tol, minimum=0.0, strict=True)
    if _is_collision(model):
        return _audit_collision(model, tol=tol, seed=seed)
    m = as_bath_model(model, **bath_info)
    d = m.dim
    L = liouvillian(m.source)
    scale = max(1e-300, float(np.abs(L - _unitary(m.hamiltonian)).max()))
    atol = tol * max(1.0, scale)
    try:
        rho = steady_state(m.source)
    except NonUniqueSteadyStateError:
        rho = steady_state(m.source, rho0=np.eye(d) / d)
    rng = np.random.default_rng(seed)
    states = [rho] + [_random_state(d, rng) for _ in range(n_states)]
    st = np.stack(states)
    verdicts = []
    res = np.abs(np.atleast_1d(first_law_residual(m.source, st)))
    verdicts.append(
        Verdict(
            "first law",
            _status(float(res.max()) <= atol),
            float(res.max()),
            atol,
            "max |dU/dt - sum_k J_k| over the steady state and random states",
        )
    )
    J = _trace_with(_energy_operators(m), rho[None])[0]
    temps = np.array([np.nan if p.temperature is None else p.temperature for p in m.parts])
    sigma_ss = _thermal_verdicts(m, st, J, temps, L, atol, verdicts)
    lam = generator_positivity(L)
    verdicts.append(
        _positivity(lam, atol, "the generator's Choi matrix off |Omega> (GKSL form iff >= 0)")
    )
    return Audit(
        verdicts=tuple(verdicts),
        kind=m.kind,
        steady_state=rho,
        heat_currents=J,
        entropy_production=sigma_ss,
        temperatures=temps,
        meta={"n_states": n_states, "seed": seed, "tol": tol, "scale": scale},
    )


def _thermal_verdicts(
    m: Any,
    st: np.ndarray,
    J: np.ndarray,
    temps: np.ndarray,
    L: np.ndarray,
    atol: float,
    verdicts: list,
) -> float:
    """Append the second-law, Spohn and Gibbs verdicts (they need every bath temperature) to
    ``verdicts``; return the steady entropy production :math:`-\\sum_k\\beta_k J_k` (NaN when a
    temperature is unknown)."""
    if not np.all(np.isfinite(temps)):
        verdicts.append(
            Verdict("second law (total)", "n/a", np.nan, atol, "a bath temperature is unknown")
        )
        verdicts.append(
            Verdict("Gibbs stationarity", "n/a", np.nan, atol, "a bath temperature is unknown")
        )
        return np.nan
    with np.errstate(invalid="ignore"):
        sk = _sigma_parts(m, st)
    betas = m.betas
    with np.errstate(invalid="ignore"):
        bj = np.where(J == 0, 0.0, betas * J)
    sigma_ss = float(-bj.sum())
    verdicts.append(
        Verdict(
            "second law (total)",
            _status(sigma_ss >= -atol),
            sigma_ss,
            atol,
            "steady state: sigma = -sum_k beta_k J_k >= 0",
        )
    )
    for k, p in enumerate(m.parts):
        verdicts.append(
            Verdict(
                f"second law (bath {p.name})",
                _status(sk[0, k] >= -atol),
                float(sk[0, k]),
                atol,
                f"steady state: sigma_k = -Tr[L_k(rho) ln rho] - beta_k J_k >= 0 (T = {p.temperature:g})",
            )
        )
    smin = float(sk.min())
    verdicts.append(
        Verdict(
            "Spohn inequality",
            _status(smin >= -atol),
            smin,
            atol,
            "min over baths, steady and random states, of sigma_k",
        )
    )
    same_T = np.allclose(temps, temps[0], rtol=1e-12, atol=0)
    mus = np.array([p.chemical_potential for p in m.parts])
    if same_T and np.allclose(mus, mus[0]) and temps[0] > 0:
        X = m.hamiltonian
        if mus[0] != 0:
            X = X - mus[0] * m.parts[0].number_operator
        g = thermal_state(X, 1.0 / temps[0])
        r = float(np.abs(L @ g.ravel(order="F")).max())
        verdicts.append(
            Verdict(
                "Gibbs stationarity",
                _status(r <= atol),
                r,
                atol,
                f"max |L rho_Gibbs| at the common T = {temps[0]:g}",
            )
        )
    else:
        verdicts.append(
            Verdict("Gibbs stationarity", "n/a", np.nan, atol, "the baths' temperatures differ")
        )
    return sigma_ss


def _collision_gibbs_verdict(model: Any, scale: float, atol: float) -> Verdict:
    """Whether one collision leaves the Gibbs state (thermal ancillae, energy-conserving coupling)."""
    from ..collision import evolve

    comm = model.h_se @ model.total_hamiltonian() - model.total_hamiltonian() @ model.h_se
    conserving = float(np.abs(comm).max()) <= 1e-10 * scale
    if model.is_thermal and conserving and model.beta is not None and np.isfinite(model.beta):
        g = thermal_state(model.h_s, model.beta)
        one = evolve(model, g, 1)
        r = float(np.abs(one.states[-1] - g).max())
        return Verdict(
            "Gibbs stationarity",
            _status(r <= atol),
            r,
            atol,
            "thermal ancillae, [H_SE, H] = 0: one collision leaves the Gibbs state",
        )
    return Verdict(
        "Gibbs stationarity",
        "n/a",
        np.nan,
        atol,
        "needs thermal ancillae and an energy-conserving interaction",
    )


def _unitary(H: np.ndarray) -> np.ndarray:
    d = H.shape[0]
    eye = np.eye(d)
    return -1j * (np.kron(eye, H) - np.kron(H.T, eye))


def _random_state(d: int, rng: np.random.Generator) -> np.ndarray:
    z = (rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))) / np.sqrt(2)
    q, r = np.linalg.qr(z)
    q = q * (np.diag(r) / np.abs(np.diag(r)))
    p = rng.dirichlet(np.ones(d))
    return (q * p) @ q.conj().T


def _is_collision(model: Any) -> bool:
    return type(model).__name__ == "CollisionModel" and hasattr(model, "h_se")


def _audit_collision(model: Any, *, tol: float, seed: int, n: int = 40) -> Audit:
    from ..collision import choi, evolve
    from ..collision import steady_state as collision_steady

    d = model.d_s
    rng = np.random.default_rng(seed)
    rho0 = _random_state(d, rng)
    res = evolve(model, rho0, n)
    scale = max(1.0, float(np.abs(model.total_hamiltonian()).max()))
    atol = tol * scale
    verdicts = []
    fl = float(np.abs(res.first_law_residual).max())
    verdicts.append(
        Verdict(
            "first law",
            _status(fl <= atol),
            fl,
            atol,
            f"max |dU - dQ - dW - W_sw| over {n} collisions (Eq. 67)",
        )
    )
    smin = float(res.entropy_production.min())
    verdicts.append(
        Verdict(
            "second law (total)",
            _status(smin >= -atol),
            smin,
            atol,
            "min over collisions of Sigma = I(S':E') + S(eta_out || eta) (Eq. 70)",
        )
    )
    if model.is_thermal:
        cl = res.entropy_production_clausius - res.entropy_production
        c = float(np.abs(cl).max())
        verdicts.append(
            Verdict(
                "second law (Clausius form)",
                _status(c <= 1e3 * atol),
                c,
                1e3 * atol,
                "max |(dS - beta dQ) - Sigma| (Eq. 72, thermal ancillae)",
            )
        )
    verdicts.append(_collision_gibbs_verdict(model, scale, atol))
    lam = float(np.linalg.eigvalsh(0.5 * (choi(model) + choi(model).conj().T))[0])
    verdicts.append(_positivity(lam, atol, "the collision map's Choi matrix"))
    rho = collision_steady(model)
    ss = evolve(model, rho, 1)
    return Audit(
        verdicts=tuple(verdicts),
        kind="collision",
        steady_state=rho,
        heat_currents=np.atleast_1d(ss.heat[-1]),
        entropy_production=float(ss.entropy_production[-1]),
        temperatures=np.array([np.inf if not model.beta else 1.0 / model.beta]),
        meta={"n_collisions": n, "seed": seed, "tol": tol},
    )
