r"""The result protocol shared by every qbath solver, and the helpers behind it.

Every result (:func:`qbath.mesolve`, :func:`qbath.mcsolve`, :func:`qbath.collision.evolve`, the
spin solvers, the drive dynamics, the configuration kinds) is a frozen dataclass deriving from
:class:`BaseResult` and has

``times`` : (T,) ndarray
    The times (for a collision run: the elapsed interaction time :math:`k\,\delta t`).
``states`` : (T, ...) ndarray or None
    The states at ``times`` (density matrices (T, d, d)), None when they were not stored or the
    solver does not track a density matrix.
``final_state`` : ndarray or None
    The state at ``times[-1]`` (kept even when ``states`` is not), None for solvers that do not
    track a density matrix (mean-field and cumulant spin solvers).
``expect`` : list of (T,) ndarray, or dict name -> (T,) ndarray
    Expectation values of the observables ``e_ops`` asked for, in their order, or by name when
    ``e_ops`` was a dict; real for Hermitian observables. Always data, never a method:
    observables chosen later are :func:`qbath.expect` ``(op, result.states)``.
``stats`` : dict
    Solver work (function evaluations, steps, wall time ...).
``meta`` : dict
    Provenance (:func:`qbath._meta.make_meta`): ``kind`` (the solver), parameters, version.
``to_dataset(*, expect=None, states=False, attrs=None)``
    An ``xarray.Dataset`` (xarray is imported only here).
``repr(result)``
    A summary of a few lines (solver, number of times, dimension, what is stored, observables).

Results that hold more add fields whose names mean the same everywhere: ``bloch`` (Bloch vectors,
(T, 3) for one qubit, (T, N, 3) for N spins), ``coherence`` (:math:`C_{\ell_1}`, (T,)), ``heat``,
``work``, ``entropy_production`` (collision ledger), ``correlations`` (spins).

This module also turns provenance dictionaries into netCDF attributes (:func:`attrs_from_meta`)
so that a result can build its own Dataset without the ``io`` layer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np

from ._checks import as_operator
from ._errors import InputError
from ._optional import require
from ._states import bloch_vector, l1_coherence, purity, von_neumann_entropy
from ._states import expect as _expect

__all__ = [
    "ResultProtocol",
    "BaseResult",
    "DensityResult",
    "Coords",
    "Variables",
    "compute_expect",
    "expect_label",
    "expect_items",
    "dataset_from_parts",
    "attrs_from_meta",
    "meta_from_attrs",
    "to_jsonable",
    "META_ATTR",
    "POSITIVITY_TOL",
    "UNPHYSICAL_KEY",
    "flagged_intervals",
    "min_eigenvalues",
]

#: name -> (values, attrs) for a dimension coordinate, or (dims, values, attrs) for another one
Coords = dict[str, tuple[Any, ...]]
#: name -> (dims, values, attrs)
Variables = dict[str, tuple[tuple[str, ...], np.ndarray, dict[str, Any]]]
#: e_ops / expect: a sequence of operators or a mapping name -> operator
Observables = Mapping[str, Any] | Sequence[Any]

COMPONENTS = np.array(["x", "y", "z"])
META_ATTR = "qbath_meta"
#: a state whose smallest eigenvalue is below ``-POSITIVITY_TOL`` is not a density matrix: above the
#: integration noise of the ODE layer's default tolerances, below the positivity losses of
#: second-order collision maps and local or Redfield master equations
POSITIVITY_TOL = 1e-8
#: ``meta`` key (Dataset attribute) of the ranges ``[[start, stop], ...]`` of the first coordinate
#: (time, or collision index) in which a solver flags its result unphysical (in a Dataset: the flat
#: array ``[start0, stop0, start1, stop1, ...]``)
UNPHYSICAL_KEY = "unphysical"


@runtime_checkable
class ResultProtocol(Protocol):
    """What every qbath result provides (for type hints; the classes derive from :class:`BaseResult`)."""

    times: np.ndarray
    states: np.ndarray | None
    final_state: np.ndarray | None
    expect: list[np.ndarray] | dict[str, np.ndarray]
    stats: dict[str, Any]
    meta: dict[str, Any]

    def to_dataset(
        self,
        *,
        expect: Observables | None = None,
        states: bool = False,
        attrs: Mapping[str, Any] | None = None,
    ) -> Any: ...


# ------------------------------------------------------------------------------- observables
def compute_expect(
    e_ops: Observables | None, states: np.ndarray, what: str = "e_ops"
) -> list[np.ndarray] | dict[str, np.ndarray]:
    r""":math:`\mathrm{Tr}[O_k\rho(t)]` for every observable of ``e_ops`` over a stack of states.

    Parameters
    ----------
    e_ops : sequence of (d, d) operators, or mapping name -> operator, or None
    states : (T, d, d) ndarray
    what : str
        Argument name used in error messages.

    Returns
    -------
    list of (T,) ndarray, or dict name -> (T,) ndarray (when ``e_ops`` is a mapping)
        Real for Hermitian observables (:func:`qbath.expect`).
    """
    if e_ops is None:
        return []
    d = states.shape[-1]
    if isinstance(e_ops, Mapping):
        return {
            str(k): np.asarray(_expect(as_operator(f"{what}[{k!r}]", op, d), states))
            for k, op in e_ops.items()
        }
    if isinstance(e_ops, str):
        raise InputError(
            f"{what}: expected a list of operators or a dict name -> operator, got a string"
        )
    if not isinstance(e_ops, (list, tuple)) and not (
        isinstance(e_ops, np.ndarray) and e_ops.ndim == 3
    ):
        e_ops = [e_ops]  # one operator (array or Qobj), as QuTiP accepts
    return [
        np.asarray(_expect(as_operator(f"{what}[{k}]", op, d), states))
        for k, op in enumerate(e_ops)
    ]


def expect_label(name: str | int) -> str:
    """Human label of an observable: ``"⟨Z⟩"`` for a named one, ``"⟨O_0⟩"`` for ``e_ops[0]``."""
    name = str(name)
    if name.startswith(("<", "⟨")):
        return name
    return f"⟨O_{name}⟩" if name.isdigit() else f"⟨{name}⟩"


def expect_items(expect: list[np.ndarray] | dict[str, np.ndarray]) -> list[tuple[str, np.ndarray]]:
    """``(name, values)`` pairs of a result's ``expect``: dict keys, or ``"0"``, ``"1"``, ... for a list."""
    if isinstance(expect, Mapping):
        return [(str(k), np.asarray(v)) for k, v in expect.items()]
    return [(str(k), np.asarray(v)) for k, v in enumerate(expect)]


def min_eigenvalues(states: np.ndarray) -> np.ndarray:
    """Smallest eigenvalue of the Hermitian part of each state of a (T, d, d) stack, shape (T,)."""
    st = np.asarray(states)
    return np.linalg.eigvalsh(0.5 * (st + np.conj(np.swapaxes(st, -1, -2))))[:, 0]


def flagged_intervals(x: np.ndarray, flags: np.ndarray) -> list[tuple[float, float]]:
    """``[(x[a], x[b]), ...]``: the first and last coordinate of each run of consecutive flagged samples.

    >>> flagged_intervals(np.arange(6.0), np.array([0, 1, 1, 0, 0, 1], bool))
    [(1.0, 2.0), (5.0, 5.0)]
    """
    f = np.concatenate([[False], np.asarray(flags, dtype=bool), [False]])
    edges = np.flatnonzero(np.diff(f.astype(np.int8)))
    xs = np.asarray(x, dtype=float)
    return [(float(xs[a]), float(xs[b - 1])) for a, b in zip(edges[::2], edges[1::2], strict=True)]


# --------------------------------------------------------------------------- netCDF attributes
def to_jsonable(v: Any) -> Any:
    """A JSON-serialisable copy: numpy -> Python, complex -> ``{"re", "im"}``, non-finite -> str."""
    if isinstance(v, Mapping):
        return {str(k): to_jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_jsonable(x) for x in v]
    if isinstance(v, np.ndarray):
        return to_jsonable(v.tolist())
    if isinstance(v, np.generic):
        return to_jsonable(v.item())
    if isinstance(v, complex):
        return {"re": to_jsonable(v.real), "im": to_jsonable(v.imag)}
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)  # 'inf', '-inf', 'nan'
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return repr(v)


def _attr_value(v: Any) -> Any:
    """A netCDF-storable attribute value."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float, str)):
        return v
    if isinstance(v, (list, tuple, np.ndarray)):
        arr = np.asarray(v) if not isinstance(v, np.ndarray) else v
        if arr.ndim == 1 and arr.size and arr.dtype.kind in "iuf":
            return arr
    return json.dumps(to_jsonable(v), sort_keys=True)


def attrs_from_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """netCDF attributes for a provenance dictionary (``result.meta``, :func:`qbath._meta.make_meta`).

    netCDF attributes hold strings, numbers and 1-D arrays of numbers only: such values are kept
    (booleans become 0/1), anything else (nested dicts, lists of strings, complex numbers, ``None``)
    is written as a JSON string, and the whole dictionary is stored losslessly as JSON under
    ``qbath_meta`` (read back by :func:`meta_from_attrs`).
    """
    attrs = {str(k): _attr_value(v) for k, v in meta.items()}
    attrs[META_ATTR] = json.dumps(to_jsonable(dict(meta)), sort_keys=True)
    return attrs


def meta_from_attrs(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The provenance dictionary stored by :func:`attrs_from_meta` (``ds.attrs`` in, dict out)."""
    if META_ATTR in attrs:
        return json.loads(attrs[META_ATTR])
    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in attrs.items()}


def dataset_from_parts(coords: Coords, variables: Variables, meta: Mapping[str, Any]) -> Any:
    """An ``xarray.Dataset`` from numpy parts: ``coords[name] = (values, attrs)`` (a dimension
    coordinate) or ``(dims, values, attrs)``, ``variables[name] = (dims, values, attrs)``,
    attributes from ``meta`` (:func:`attrs_from_meta`). xarray is imported here, lazily."""
    xr = require("xarray", purpose="results as Datasets and netCDF files")
    return xr.Dataset(
        {k: xr.Variable(dims, np.asarray(v), attrs) for k, (dims, v, attrs) in variables.items()},
        coords={
            k: xr.Variable(c[0] if len(c) == 3 else (k,), np.asarray(c[-2]), c[-1])
            for k, c in coords.items()
        },
        attrs=attrs_from_meta(meta),
    )


def state_variables(
    dim: str, states: np.ndarray, expect: Observables | None, keep_states: bool
) -> Variables:
    """Variables of a density-matrix trajectory (T, d, d): ``expect_<name>`` for the observables
    ``expect``, ``l1_coherence``, ``purity``, ``entropy`` (nats), and the states themselves with
    ``keep_states``."""
    out: Variables = {}
    if expect is not None:
        named = (
            expect if isinstance(expect, Mapping) else {str(i): op for i, op in enumerate(expect)}
        )
        for name, val in expect_items(compute_expect(named, states, "expect")):
            out[f"expect_{name}"] = ((dim,), val, {"long_name": expect_label(name)})
    out["l1_coherence"] = (
        (dim,),
        np.asarray(l1_coherence(states, check=False), dtype=float),
        {"long_name": "l1 norm of coherence (computational basis)", "symbol": "C_l1"},
    )
    out["purity"] = (
        (dim,),
        np.asarray(purity(states, check=False), dtype=float),
        {"long_name": "purity Tr rho^2"},
    )
    out["entropy"] = (
        (dim,),
        np.asarray(von_neumann_entropy(states, check=False), dtype=float),
        {"long_name": "von Neumann entropy", "units": "nats"},
    )
    if keep_states:
        out["states"] = ((dim, "row", "col"), states, {"long_name": "density matrix"})
    return out


# ------------------------------------------------------------------------------------- classes
class BaseResult:
    """Common behaviour of every qbath result (a mixin of frozen dataclasses).

    A subclass provides the protocol attributes ``times``, ``states``, ``final_state``, ``expect``,
    ``stats``, ``meta`` (fields or properties) and may override the hooks :meth:`_coords`,
    :meth:`_variables` and :meth:`_summary`. Dataclasses deriving from it pass ``repr=False`` so
    that the short :meth:`__repr__` here is used.
    """

    #: name of the time-like dimension of the Dataset
    _dim: ClassVar[str] = "time"

    # ---- protocol helpers -------------------------------------------------------------------
    @property
    def solver(self) -> str:
        """Name of the function that produced the result (``meta["kind"]``)."""
        return str(self.meta.get("kind", type(self).__name__))  # type: ignore[attr-defined]

    @property
    def expect_labels(self) -> list[str]:
        """Labels of ``expect``: ``"⟨Z⟩"`` for ``e_ops={"Z": ...}``, ``"⟨O_k⟩"`` for ``e_ops[k]``."""
        return [expect_label(k) for k, _ in expect_items(self.expect)]  # type: ignore[attr-defined]

    # ---- Dataset ------------------------------------------------------------------------------
    def _coords(self) -> Coords:
        return {"time": (np.asarray(self.times, dtype=float), {"long_name": "time", "symbol": "t"})}  # type: ignore[attr-defined]

    def _variables(self, expect: Observables | None, states: bool) -> Variables:
        """Variables beyond the result's own ``expect`` (hook)."""
        if expect is not None and len(expect) > 0:
            raise InputError(
                f"expect: {type(self).__name__} stores no density matrices to evaluate observables on"
            )
        return {}

    def dataset_parts(
        self, expect: Observables | None = None, states: bool = False
    ) -> tuple[Coords, Variables, dict[str, Any]]:
        """Coordinates, variables and provenance of the result as plain numpy (no xarray needed).

        Variables: ``expect_<name>`` for each of ``self.expect`` (``<name>`` the dict key or the
        index), then what the result type adds (see :meth:`to_dataset`).
        """
        coords = self._coords()
        variables: Variables = {}
        for name, val in expect_items(self.expect):  # type: ignore[attr-defined]
            variables[f"expect_{name}"] = (
                (self._dim,),
                val,
                {"long_name": expect_label(name), "source": "e_ops"},
            )
        for name, var in self._variables(expect, states).items():
            if name in variables:
                raise InputError(
                    f"expect: the name {name[7:]!r} is already used by the result's own e_ops; choose another"
                )
            variables[name] = var
        return coords, variables, dict(self.meta)  # type: ignore[attr-defined]

    def to_dataset(
        self,
        *,
        expect: Observables | None = None,
        states: bool = False,
        attrs: Mapping[str, Any] | None = None,
    ) -> Any:
        """The result as an ``xarray.Dataset`` (xarray imported lazily).

        Parameters
        ----------
        expect : mapping name -> (d, d) operator, or a sequence of operators, optional
            More observables to evaluate on the stored states: variables ``expect_<name>``.
        states : bool
            Also store the states (complex variable ``states`` (T, d, d)).
        attrs : mapping, optional
            Extra attributes, merged into the provenance ``meta``.

        Returns
        -------
        xarray.Dataset
            Dimension ``time`` (``collision`` for a collision run); ``expect_<name>`` for the
            result's ``e_ops`` and for ``expect``; for density-matrix trajectories
            ``l1_coherence``, ``purity``, ``entropy``; the type's
            own fields (collision ledger, spin Bloch vectors and correlations, drive work);
            attributes from ``meta`` (:func:`attrs_from_meta`).
        """
        coords, variables, meta = self.dataset_parts(expect, states)
        meta.update(attrs or {})
        return dataset_from_parts(coords, variables, meta)

    # ---- repr ---------------------------------------------------------------------------------
    def _summary(self) -> list[str]:
        """Extra lines of the repr (hook)."""
        return []

    def __repr__(self) -> str:
        t = np.asarray(self.times)  # type: ignore[attr-defined]
        span = f" in [{t[0]:.4g}, {t[-1]:.4g}]" if t.size else ""
        fs = self.final_state  # type: ignore[attr-defined]
        d = f", d = {fs.shape[-1]}" if fs is not None and np.ndim(fs) >= 2 else ""
        method = self.meta.get("method")  # type: ignore[attr-defined]
        st = self.states  # type: ignore[attr-defined]
        labels = self.expect_labels
        lines = [
            f"<{type(self).__name__} from {self.solver}"
            + (f" ({method})" if isinstance(method, str) else ""),
            f"  times: {t.size}{span}{d}",
            "  states: " + (f"stored {tuple(np.shape(st))}" if st is not None else "not stored"),
            "  expect: "
            + (
                ", ".join(labels[:8]) + (f", ... ({len(labels)})" if len(labels) > 8 else "")
                if labels
                else "none"
            ),
            *("  " + line for line in self._summary()),
        ]
        return "\n".join(lines) + ">"


class DensityResult(BaseResult):
    """A result whose states are density matrices (T, d, d): adds ``bloch``, ``coherence`` and the
    Dataset variables of a density-matrix trajectory."""

    def _stack(self, what: str) -> np.ndarray:
        st = self.states  # type: ignore[attr-defined]
        if st is None:
            raise InputError(
                f"{what}: the states were not stored (run with store_states=True), got states=None"
            )
        return np.asarray(st)

    @property
    def bloch(self) -> np.ndarray:
        r"""Bloch vectors :math:`(\langle\sigma_x\rangle, \langle\sigma_y\rangle, \langle\sigma_z\rangle)`
        of a qubit result, shape (T, 3)."""
        return bloch_vector(self._stack("bloch"))

    @property
    def coherence(self) -> np.ndarray:
        r""":math:`C_{\ell_1}(\rho) = \sum_{i\neq j}|\rho_{ij}|` in the computational basis, shape (T,)
        (Baumgratz, Cramer, Plenio, "Quantifying coherence", 2014); another basis:
        :func:`qbath.l1_coherence` ``(result.states, basis)``."""
        return np.asarray(l1_coherence(self._stack("coherence"), check=False), dtype=float)

    def _variables(self, expect: Observables | None, states: bool) -> Variables:
        st = self.states  # type: ignore[attr-defined]
        if st is None:
            if expect is not None and len(expect) > 0:
                raise InputError(
                    "expect: observables need the states, which were not stored (store_states=False)"
                )
            return {}
        return state_variables(self._dim, np.asarray(st), expect, states)
