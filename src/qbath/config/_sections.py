"""Configuration tables shared by several model kinds: initial qubit states, output, sweep."""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from typing import Any

import numpy as np

from .._states import basis, bloch_state, thermal_state
from ._gridspec import parse_grid_values
from ._schema import Any_, Bool, ConfigError, ListOf, Real, RealArray, Str, Table, _shown

__all__ = [
    "QUBIT_INITIAL",
    "initial_state",
    "initial_bloch",
    "check_initial",
    "output_table",
    "sweep_table",
]


def _basis_list(key: str, value: Any) -> list[int]:
    vals = [value] if isinstance(value, int) and not isinstance(value, bool) else value
    if (
        not isinstance(vals, list)
        or not vals
        or any(isinstance(v, bool) or not isinstance(v, int) or v not in (0, 1) for v in vals)
    ):
        raise ConfigError(
            key,
            "a list of computational-basis indices, 0 (up) or 1 (down), one per qubit",
            _shown(value),
        )
    return list(vals)


def _exactly_one(key: str, table: dict[str, Any]) -> None:
    given = [k for k in ("bloch", "basis", "thermal_beta") if table.get(k) is not None]
    given += ["mixed"] if table.get("mixed") else []
    if len(given) != 1:
        raise ConfigError(
            key or "initial",
            "exactly one of bloch = [x, y, z] (or one vector per qubit), basis = [0, 1, ...], "
            "thermal_beta = b, mixed = true",
            "none of them" if not given else " and ".join(given),
        )


#: ``[initial]`` for kinds whose state is a register of qubits.
QUBIT_INITIAL = Table(
    fields={
        "bloch": RealArray(
            shapes=((3,), (None, 3)),
            default=None,
            minimum=-1.0,
            maximum=1.0,
            what="a Bloch vector [x, y, z] with |s| <= 1, or a list of them (one per qubit)",
        ),
        "basis": Any_(
            check=_basis_list,
            what="a list of basis indices 0 (up) / 1 (down), one per qubit",
            default=None,
        ),
        "thermal_beta": Real(
            minimum=0.0, allow_inf=True, default=None, doc="Gibbs state of the system Hamiltonian"
        ),
        "mixed": Bool(default=False),
    },
    check=_exactly_one,
    doc="Initial state: a product of Bloch states, a computational basis state, the Gibbs state of the "
    "system Hamiltonian at thermal_beta, or the maximally mixed state.",
)


def initial_bloch(section: Mapping[str, Any], n: int, key: str = "initial") -> np.ndarray:
    """Bloch vectors of shape (n, 3) of the product initial state (validated section)."""
    if section.get("thermal_beta") is not None:
        raise ConfigError(
            f"{key}.thermal_beta",
            "bloch, basis or mixed here (a product initial state)",
            repr(section["thermal_beta"]),
        )
    if section.get("mixed"):
        return np.zeros((n, 3))
    if section.get("basis") is not None:
        idx = section["basis"]
        if len(idx) != n:
            raise ConfigError(f"{key}.basis", f"{n} basis indices (one per qubit)", _shown(idx))
        return np.array([[0.0, 0.0, 1.0 - 2.0 * i] for i in idx])
    s = np.asarray(section["bloch"], dtype=float)
    if s.ndim == 1:
        s = np.tile(s, (n, 1))
    if s.shape[0] != n:
        raise ConfigError(
            f"{key}.bloch",
            f"one Bloch vector, or {n} of them (one per qubit)",
            f"{s.shape[0]} vectors",
        )
    norms = np.linalg.norm(s, axis=1)
    if np.any(norms > 1 + 1e-12):
        raise ConfigError(
            f"{key}.bloch", "Bloch vectors with |s| <= 1", f"|s| = {float(norms.max()):.6g}"
        )
    return s


def check_initial(section: Mapping[str, Any], n: int, key: str = "initial") -> None:
    """Validate the initial-state table against ``n`` qubits (a Gibbs state needs no check)."""
    if section.get("thermal_beta") is None:
        initial_bloch(section, n, key)


def initial_state(
    section: Mapping[str, Any], n: int, key: str = "initial", hamiltonian: Any = None
) -> np.ndarray:
    """Density matrix (2^n, 2^n) of the initial state of ``n`` qubits.

    ``hamiltonian`` (a callable returning the system Hamiltonian) is called for ``thermal_beta``.
    """
    if section.get("thermal_beta") is not None:
        if hamiltonian is None:
            raise ConfigError(
                f"{key}.thermal_beta", "bloch, basis or mixed here", repr(section["thermal_beta"])
            )
        return thermal_state(hamiltonian(), section["thermal_beta"])
    if section.get("mixed"):
        return np.eye(2**n, dtype=complex) / 2**n
    if section.get("basis") is not None:
        initial_bloch(section, n, key)  # length check
        psi = reduce(np.kron, [basis(2, i) for i in section["basis"]])
        return np.outer(psi, psi.conj())
    s = initial_bloch(section, n, key)
    return reduce(np.kron, list(bloch_state(s)))


def output_table(default_expect: tuple[str, ...]) -> Table:
    """``[output]``: what ``qbath run`` writes."""
    return Table(
        fields={
            "file": Str(default=None, pattern=r"[^/\\]+\.nc", what="a file name ending in .nc"),
            "expect": ListOf(item=Str(), default=list(default_expect)),
            "states": Bool(default=False),
            "plots": Bool(default=True),
        },
        default=None,
    )


def _params(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(
            key, 'a table of sweep parameters, e.g. {"model.kappa" = "0:2:41"}', _shown(value)
        )
    return {str(k): parse_grid_values(f"{key}.{k}", v) for k, v in value.items()}


def sweep_table(default_outputs: tuple[str, ...]) -> Table:
    """``[sweep]``: the scalar outputs computed per grid point, and optional default parameters."""
    return Table(
        fields={
            "outputs": ListOf(item=Str(), default=list(default_outputs), min_length=1),
            "params": Any_(check=_params, what="a table of sweep parameters", default={}),
        },
        default=None,
    )
