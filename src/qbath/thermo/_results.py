r"""A master-equation result that carries its thermodynamic ledger, on request.

:func:`with_ledger` adds to a :func:`qbath.mesolve` result the fields the collision ledger has,
with the same names: ``heat`` (the heat current :math:`J_k(t)` from each bath), ``work`` (the
power :math:`P(t)` of a drive), ``entropy_production`` (Spohn's rate :math:`\sigma(t)`), and the
:class:`~qbath.thermo.Ledger` itself; ``to_dataset()`` and :func:`qbath.io.save` keep them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from .._checks import describe
from .._errors import InputError
from .._result import Coords, Observables, Variables
from ..solve import Result
from ._currents import Ledger
from ._driven import ledger

__all__ = ["ThermoResult", "with_ledger"]


@dataclass(frozen=True, eq=False, repr=False)
class ThermoResult(Result):
    r"""A :class:`qbath.solve.Result` with its thermodynamic ledger.

    Attributes (beyond those of ``Result``)
    ----------------------------------------
    heat : (T, K) ndarray
        :math:`J_k(t) = \mathrm{Tr}[H_S\mathcal D_k\rho]`, heat current into the system from bath k.
    work : (T,) ndarray
        :math:`P(t) = \mathrm{Tr}[\rho\,\partial_t H_S]` (zero without a drive).
    entropy_production : (T,) ndarray
        :math:`\sigma(t) = dS/dt - \sum_k\beta_k J_k`.
    ledger : Ledger
        Everything else (energy, entropy, per-bath entropy production, first-law residual,
        running integrals), :func:`qbath.thermo.ledger`.
    """

    heat: np.ndarray | None = None
    work: np.ndarray | None = None
    entropy_production: np.ndarray | None = None
    ledger: Ledger | None = field(default=None, repr=False)

    def _coords(self) -> Coords:
        coords = super()._coords()
        names = [str(n) for n in self.ledger.bath_names] if self.ledger is not None else []
        coords["bath"] = (np.array(names), {"long_name": "bath"})
        return coords

    def _variables(self, expect: Observables | None, states: bool) -> Variables:
        out = super()._variables(expect, states)
        led = self.ledger
        if led is None:
            return out
        out["heat"] = (
            ("time", "bath"),
            np.asarray(led.heat, float),
            {"long_name": "heat current into the system from each bath", "symbol": "J_k"},
        )
        out["work"] = (
            ("time",),
            np.asarray(led.work, float),
            {"long_name": "power", "symbol": "P"},
        )
        out["entropy_production"] = (
            ("time",),
            np.asarray(led.entropy_production, float),
            {"long_name": "entropy production rate", "symbol": "sigma"},
        )
        out["first_law_residual"] = (
            ("time",),
            np.asarray(led.first_law_residual, float),
            {"long_name": "dU/dt - sum_k J_k - P"},
        )
        out["bath_temperature"] = (
            ("bath",),
            np.asarray(led.temperatures, float),
            {"long_name": "bath temperature", "symbol": "T_k"},
        )
        return out

    def _summary(self) -> list[str]:
        k = 0 if self.heat is None else np.shape(self.heat)[-1]
        return [*super()._summary(), f"ledger: heat ({k} baths), work, entropy_production"]


def with_ledger(result: Any, model: Any, **options: Any) -> ThermoResult:
    r"""The result of :func:`qbath.mesolve` with its thermodynamic ledger attached.

    Parameters
    ----------
    result : Result
        From :func:`qbath.mesolve`, with stored states.
    model : as :func:`qbath.thermo.ledger`
        The generator (or driven model) the result was computed with.
    **options
        As :func:`qbath.thermo.ledger` (``args``, ``dH_dt``, bath information, ...).

    Returns
    -------
    ThermoResult
        The same times, states, expectation values, stats and meta, plus ``heat`` (T, K),
        ``work`` (T,), ``entropy_production`` (T,) and ``ledger``.
    """
    if not isinstance(result, Result):
        raise InputError("result: expected a result of qbath.mesolve, got " + describe(result))
    led = ledger(model, result, **options)
    base = {f.name: getattr(result, f.name) for f in fields(Result)}
    return ThermoResult(
        **base,
        heat=np.asarray(led.heat),
        work=np.asarray(led.work),
        entropy_production=np.asarray(led.entropy_production),
        ledger=led,
    )
