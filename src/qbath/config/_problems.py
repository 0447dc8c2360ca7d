r"""The base classes of the model kinds of ``qbath run`` / ``qbath sweep``, and the solver keys
they share.

Each kind is a :class:`Problem` subclass in its own module of :mod:`qbath.config.kinds`: class
attributes give the schema of ``[model]``, ``[initial]`` and ``[solver]``; an instance builds the
model from a validated configuration and computes, lazily and at most once, the trajectory and
(where defined) the steady state. From these :mod:`qbath.config._run` makes an ``xarray.Dataset``
(``qbath run``) or a few named scalars per point (``qbath sweep``).

The physics modules are imported inside the methods, so validating a configuration never imports
them (and ``qbath --help`` stays fast).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property, partial
from typing import Any, ClassVar

import numpy as np

from .._states import (
    l1_coherence,
    purity,
    von_neumann_entropy,
)
from ..ode import METHODS, method_from_name
from ._pauli import observable, observable_string
from ._schema import (
    Choice,
    ConfigError,
    Real,
    Spec,
    Table,
)
from ._sections import QUBIT_INITIAL, check_initial, initial_state

__all__ = ["Problem", "DensityProblem", "ODE_METHODS", "ode_fields", "ode_options"]

_FUNCTIONALS = {
    # trajectories of maps that are not completely positive (second order) are reported as computed
    "l1_coherence": (
        "l1 norm of coherence in the computational basis",
        partial(l1_coherence, check=False),
    ),
    "purity": ("purity Tr rho^2", partial(purity, check=False)),
    "entropy": ("von Neumann entropy (nats)", partial(von_neumann_entropy, check=False)),
}


class Problem:
    """Base class of a model kind.

    A subclass sets ``kind``, ``description``, the table specs ``model_spec``, ``initial_spec``,
    ``solver_spec`` (see :mod:`qbath.config._schema`) and the defaults of ``[output] expect`` and
    ``[sweep] outputs``; implements :meth:`solve` (build the model from the validated ``self.data``
    and return the solver's result, which :func:`qbath.io.to_dataset` understands), :meth:`scalar`
    and the class methods :meth:`check_observable`, :meth:`check_output`, :meth:`output_help`.
    :class:`DensityProblem` implements the scalar outputs for density-matrix results.
    Register it with :func:`qbath.config.register_kind`. Instances are cheap: nothing is computed
    before :attr:`result` (or :meth:`scalar`) is asked for, and at most once.
    """

    #: registry name (``kind = "..."`` in the configuration)
    kind: ClassVar[str] = ""
    description: ClassVar[str] = ""
    model_spec: ClassVar[Spec] = Table()
    initial_spec: ClassVar[Spec] = QUBIT_INITIAL
    solver_spec: ClassVar[Spec] = Table()
    default_expect: ClassVar[tuple[str, ...]] = ()
    default_outputs: ClassVar[tuple[str, ...]] = ()
    #: kind-specific scalar outputs: name -> description
    extra_outputs: ClassVar[dict[str, str]] = {}

    def __init__(self, data: Mapping[str, Any]):
        self.data = data

    # ---- validation across tables (no physics imported) ------------------------------------------
    @classmethod
    def check(cls, data: Mapping[str, Any]) -> None:
        """Cross-table checks; raise :class:`ConfigError` naming the key."""
        for i, name in enumerate(data["output"]["expect"]):
            cls.check_observable(f"output.expect[{i}]", name, data)
        for i, name in enumerate(data["sweep"]["outputs"]):
            cls.check_output(f"sweep.outputs[{i}]", name, data)

    @classmethod
    def check_observable(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        raise NotImplementedError

    @classmethod
    def output_help(cls, data: Mapping[str, Any]) -> str:
        raise NotImplementedError

    @classmethod
    def check_output(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        raise NotImplementedError

    # ---- computation ---------------------------------------------------------------------------
    @cached_property
    def result(self) -> Any:
        """The solver's result (computed on first use)."""
        return self.solve()

    def solve(self) -> Any:
        """Build the model and run the solver; returns its result object."""
        raise NotImplementedError

    def scalar(self, name: str) -> float:
        """The value of one (validated) scalar output."""
        raise NotImplementedError


# =================================================================================================
# kinds whose state is a density matrix of qubits
# =================================================================================================
class DensityProblem(Problem):
    """A kind whose trajectory is a stack of density matrices of ``n`` qubits.

    Scalar outputs: ``final_<f>`` (last state of the trajectory) and ``steady_<f>`` (steady state),
    with ``<f>`` an observable name (``Z``, ``Z0``, ``XZ``) or ``l1_coherence``, ``purity``,
    ``entropy``; plus the kind's :attr:`extra_outputs`.
    """

    has_steady_state: ClassVar[bool] = True
    #: short description of :attr:`extra_outputs` for error messages (default: their list)
    extra_help: ClassVar[str] = ""

    @classmethod
    def n_qubits(cls, data: Mapping[str, Any]) -> int:
        raise NotImplementedError

    @classmethod
    def check(cls, data: Mapping[str, Any]) -> None:
        check_initial(data["initial"], cls.n_qubits(data))
        super().check(data)

    @classmethod
    def check_observable(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        observable_string(key, name, cls.n_qubits(data))

    @classmethod
    def output_help(cls, data: Mapping[str, Any]) -> str:
        n = cls.n_qubits(data)
        prefixes = "final_ or steady_" if cls.has_steady_state else "final_"
        extra = cls.extra_help or ", ".join(cls.extra_outputs)
        return (
            f"{prefixes} followed by l1_coherence, purity, entropy or an observable on {n} qubit(s) "
            f"(e.g. {'Z' if n == 1 else 'Z0'})" + (f"; or {extra}" if extra else "")
        )

    @classmethod
    def check_output(cls, key: str, name: str, data: Mapping[str, Any]) -> None:
        if name in cls.extra_outputs:
            return
        m = re.fullmatch(r"(final|steady)_(.+)", name)
        ok = m is not None and (m.group(1) == "final" or cls.has_steady_state)
        if ok and m is not None and m.group(2) not in _FUNCTIONALS:
            try:
                observable_string(key, m.group(2), cls.n_qubits(data))
            except ConfigError:
                ok = False
        if not ok:
            raise ConfigError(key, cls.output_help(data), repr(name))

    @property
    def n(self) -> int:
        return self.n_qubits(self.data)

    @cached_property
    def rho0(self) -> np.ndarray:
        return initial_state(self.data["initial"], self.n, hamiltonian=self.system_hamiltonian)

    def system_hamiltonian(self) -> np.ndarray:
        """The system Hamiltonian (for ``initial.thermal_beta``)."""
        raise NotImplementedError

    @cached_property
    def steady(self) -> np.ndarray:
        return self.compute_steady_state()

    def compute_steady_state(self) -> np.ndarray:
        raise NotImplementedError

    def extra(self, name: str) -> float:
        raise NotImplementedError

    def scalar(self, name: str) -> float:
        if name in self.extra_outputs:
            return float(self.extra(name))
        prefix, what = name.split("_", 1)
        rho = np.asarray(self.result.states[-1]) if prefix == "final" else self.steady
        if what in _FUNCTIONALS:
            return float(_FUNCTIONALS[what][1](rho))
        return float(np.real(np.trace(observable(what, self.n) @ rho)))


# ---- the ODE layer's keys, shared by the integrating kinds ---------------------------------------
#: names of the integration methods of the ODE layer (its registry, ``qbath.ode.METHODS``)
ODE_METHODS = tuple(METHODS)


def _check_ode(key: str, solver: dict[str, Any], method_key: str) -> None:
    method, dt = solver.get(method_key), solver.get("dt")
    if method == "rk4" and dt is None:
        raise ConfigError(
            f"{key}.dt" if key else "dt", "a step dt > 0 for the fixed-step method 'rk4'", "nothing"
        )
    for tol in ("rtol", "atol"):
        if method == "rk4" and solver.get(tol) is not None:
            raise ConfigError(
                f"{key}.{tol}" if key else tol,
                f"no {tol} with the fixed-step method 'rk4' (it takes dt)",
                repr(solver[tol]),
            )
    if dt is not None and method != "rk4":
        raise ConfigError(
            f"{key}.dt" if key else "dt",
            f"no dt unless {method_key} = 'rk4' (adaptive methods choose their steps)",
            repr(dt),
        )


def ode_fields(
    method_key: str = "method", hints: Mapping[str, str] | None = None
) -> dict[str, Spec]:
    """``[solver]`` keys of a kind that integrates an ODE: the method, its tolerances and step.

    ``method_key`` names the method's key (``"method"`` in every built-in kind). ``hints`` maps
    values the key no longer takes (e.g. a kind's former ``method = "cumulant"``) to the advice its
    error gives ("did you mean solver.level = 'cumulant'?"). Omitted keys leave the ODE layer's
    defaults.
    """
    return {
        method_key: Choice(
            ODE_METHODS,
            default=None,
            doc="integration method of the ODE layer",
            hints=dict(hints or {}),
        ),
        "rtol": Real(
            minimum=0.0, strict_min=True, default=None, doc="relative tolerance of the ODE solver"
        ),
        "atol": Real(
            minimum=0.0, strict_min=True, default=None, doc="absolute tolerance of the ODE solver"
        ),
        "dt": Real(
            minimum=0.0, strict_min=True, default=None, doc="step of the fixed-step method 'rk4'"
        ),
    }


def ode_check(method_key: str = "method") -> Any:
    """The cross-key check of :func:`ode_fields` (``dt`` exactly when the method is ``rk4``)."""
    return lambda key, solver: _check_ode(key, solver, method_key)


def ode_options(
    solver: Mapping[str, Any], method_key: str = "method", default: str = "dopri5"
) -> dict[str, Any]:
    """``{"method": method object}`` for the solver from the validated keys of :func:`ode_fields`.

    The name (one of :data:`ODE_METHODS`, else ``default`` when only tolerances are given) becomes
    a method object of :mod:`qbath.ode` carrying ``rtol``/``atol`` or ``dt``; with no key given the
    result is empty, so the solver's own default method applies.
    """
    opts = {k: solver[k] for k in ("rtol", "atol", "dt") if solver.get(k) is not None}
    name = solver.get(method_key)
    if name is None and not opts:
        return {}
    return {"method": method_from_name(name or default, **opts)}
