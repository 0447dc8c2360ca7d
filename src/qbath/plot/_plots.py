r"""Plot helpers (extra ``plot``: matplotlib). Each takes an optional ``ax`` and returns the Axes.

They accept a qbath result (any result of the protocol in :mod:`qbath._result`) or an
``xarray.Dataset`` made by ``result.to_dataset()``, ``qbath run`` or ``qbath sweep``; results are
read through ``result.dataset_parts()``, so plotting a result does not need xarray.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._checks import check_real_scalar
from .._errors import InputError
from .._optional import require
from .._result import (
    COMPONENTS,
    POSITIVITY_TOL,
    UNPHYSICAL_KEY,
    BaseResult,
    DensityResult,
    flagged_intervals,
    min_eigenvalues,
)
from .._states import bloch_vector

__all__ = ["trajectory", "ledger", "steady_state_map", "bloch_path", "unphysical_intervals"]

#: legend entry of the shaded ranges in which a result is not a density matrix
UNPHYSICAL_LABEL = "unphysical (ρ not positive)"

_LEDGER_DEFAULT = ("delta_u", "heat", "work", "switching_work")
_LEDGER_LABELS = {
    "delta_u": r"$\Delta U$",
    "heat": r"$\Delta Q$",
    "work": r"$\Delta W$",
    "switching_work": r"$W_{\rm sw}$",
    "entropy_production": r"$\Sigma$",
    "delta_entropy": r"$\Delta S_S$",
    "mutual_information": r"$I(S':E')$",
    "relative_entropy": r"$D(\eta'\|\eta)$",
    "first_law_residual": "first-law residual",
}
_SIGMA = {
    "x": r"$\langle\sigma_x\rangle$",
    "y": r"$\langle\sigma_y\rangle$",
    "z": r"$\langle\sigma_z\rangle$",
}
_MEAN = {"x": r"$\bar s_x$", "y": r"$\bar s_y$", "z": r"$\bar s_z$"}
_XLABEL = {"collision": "collision $k$", "time": "time $t$"}
_SYMBOLS = {
    "l1_coherence": r"$C_{\ell_1}$",
    "purity": r"purity Tr$\,\rho^2$",
    "entropy": r"entropy $S$ (nats)",
    "power": r"power $P_T$",
    "work": r"work $W_T$",
    "power_d": r"power $P_D$",
    "work_d": r"work $W_D$",
    "energy": r"energy $E$",
}


def _plt() -> Any:
    return require("matplotlib.pyplot", extra="plot", purpose="plots")


def _new_axes(ax: Any, **subplot_kw: Any) -> Any:
    if ax is not None:
        return ax
    plt = _plt()
    fig = plt.figure()
    return fig.add_subplot(**subplot_kw)


def _dataset_class() -> Any:
    return require("xarray", purpose="plotting a Dataset").Dataset


def _is_dataset(obj: Any) -> bool:
    if isinstance(obj, (BaseResult, np.ndarray, list, tuple)):
        return False
    return isinstance(obj, _dataset_class())


def _math_label(label: str) -> str:
    r"""``⟨O_0⟩`` -> ``$\langle O_{0}\rangle$``; ``⟨Z⟩`` -> ``$\langle$Z$\rangle$`` (mathtext)."""
    m = re.fullmatch(r"[⟨<](.*)[⟩>]", label)
    if m is None:
        return label
    inner = m.group(1)
    k = re.fullmatch(r"O_(\d+)", inner)
    return rf"$\langle O_{{{k.group(1)}}}\rangle$" if k else rf"$\langle${inner}$\rangle$"


class _Table:
    """A uniform read-only view of a Dataset or of a result's numpy parts."""

    def __init__(self, data: Any, expect: Mapping[str, Any] | None = None):
        if isinstance(data, BaseResult):
            coords, variables, meta = data.dataset_parts(expect=expect)
            self.meta: dict[str, Any] = dict(meta)
            if (
                isinstance(data, DensityResult)
                and data.states is not None
                and data.states.shape[-1] == 2
            ):
                dim = next(iter(coords))
                coords["component"] = (COMPONENTS, {"long_name": "Bloch component"})
                variables["bloch"] = ((dim, "component"), data.bloch, {"long_name": "Bloch vector"})
            if isinstance(data, DensityResult) and data.states is not None:
                dim = next(iter(coords))
                lam = min_eigenvalues(np.asarray(data.states))
                variables.setdefault(
                    "min_eigenvalue", ((dim,), lam, {"long_name": "smallest eigenvalue of rho"})
                )
            self.vars, self.coords = variables, coords
        elif _is_dataset(data):
            if expect is not None:
                raise InputError(
                    "expect: observables can be evaluated on a result, not on a Dataset; add them with to_dataset(expect=...)"
                )
            self.vars = {
                k: (tuple(v.dims), np.asarray(v.values), dict(v.attrs))
                for k, v in data.data_vars.items()
            }
            self.meta = dict(data.attrs)
            self.coords = {k: (np.asarray(v.values), dict(v.attrs)) for k, v in data.coords.items()}
        else:
            raise InputError(
                f"data: expected a qbath result or an xarray.Dataset, got {type(data).__name__}"
            )

    def coord(self, dim: str) -> np.ndarray:
        return (
            np.asarray(self.coords[dim][-2]) if dim in self.coords else np.arange(self._size(dim))
        )

    def _size(self, dim: str) -> int:
        for dims, v, _ in self.vars.values():
            if dim in dims:
                return v.shape[dims.index(dim)]
        raise KeyError(dim)

    def label(self, name: str) -> str:
        return str(self.vars[name][2].get("long_name", name))

    def default_variables(self) -> list[str]:
        """Every expectation value; without any, the Bloch components of a qubit, the mean Bloch
        vector of spins, or else the l1 coherence."""
        out = [
            k for k in self.vars if k.startswith("expect_") and not k.startswith("expect_std_err_")
        ]
        out = out or [
            k for k in ("bloch", "mean_bloch") if k in self.vars and len(self.vars[k][0]) == 2
        ]
        return out or ["l1_coherence"]


def _component_label(name: str, comp: str) -> str:
    if name == "bloch" and comp in _SIGMA:
        return _SIGMA[comp]
    if name == "mean_bloch" and comp in _MEAN:
        return _MEAN[comp]
    return f"{name}[{comp}]"


def _table_intervals(t: _Table, tol: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    flag = t.meta.get(UNPHYSICAL_KEY)
    if flag is not None and np.size(flag):
        pairs = np.asarray(flag, dtype=float).reshape(-1, 2)
        out += [(float(a), float(b)) for a, b in pairs]
    if "min_eigenvalue" in t.vars:
        dims, lam, _ = t.vars["min_eigenvalue"]
    elif "states" in t.vars:
        dims, st, _ = t.vars["states"]
        lam = min_eigenvalues(st)
    else:
        return sorted(out)
    x = t.coord(dims[0])
    return sorted(out + flagged_intervals(x, np.asarray(lam, dtype=float) < -tol))


def unphysical_intervals(data: Any, *, tol: float = POSITIVITY_TOL) -> list[tuple[float, float]]:
    r"""Ranges ``[(start, stop), ...]`` of the time-like coordinate in which a result is unphysical.

    A stored state is flagged when its smallest eigenvalue is below ``-tol`` (it is then not a
    density matrix: a second-order collision map, a local or Redfield master equation can do
    this; R. Alicki and K. Lendi, *Quantum Dynamical Semigroups and Applications*, 1987, on complete
    positivity); ``start`` and ``stop`` are the first and last flagged sample of each run of
    consecutive flagged samples. Where the data keep no density matrices, the solver's own flag is
    used: ``meta["unphysical"]`` (Dataset attribute ``unphysical``), e.g. from the time a spin
    cumulant trajectory leaves the physical states.

    Parameters
    ----------
    data : result or xarray.Dataset
        A result with stored states, or a Dataset with ``min_eigenvalue`` (``qbath run``) or
        ``states``, or either carrying the ``unphysical`` flag.
    tol : float
        Tolerance on the smallest eigenvalue (default :data:`qbath._result.POSITIVITY_TOL`).

    Returns
    -------
    list of (float, float)
        In the units of the first coordinate (time, or collision index for a collision run);
        empty when nothing is flagged.
    """
    tol = check_real_scalar("tol", tol, minimum=0.0)
    return _table_intervals(_Table(data), tol)


def _shade_unphysical(ax: Any, intervals: Sequence[tuple[float, float]], x: np.ndarray) -> None:
    """axvspan over each range (a single flagged sample: half a step on each side), one legend entry."""
    step = float(np.min(np.diff(x))) / 2 if np.size(x) > 1 else 0.5
    for i, (a, b) in enumerate(intervals):
        if b <= a:
            a, b = a - step, b + step
        label = {"label": UNPHYSICAL_LABEL} if i == 0 else {}
        ax.axvspan(a, b, color="tab:red", alpha=0.15, lw=0, **label)


def trajectory(
    data: Any,
    variables: Sequence[str] | None = None,
    *,
    expect: Mapping[str, Any] | None = None,
    ax: Any = None,
    shade_unphysical: bool = True,
    **plot_kw: Any,
) -> Any:
    r"""Plot quantities against time (or collision index).

    Parameters
    ----------
    data : result or xarray.Dataset
        Any qbath result (:mod:`qbath._result`), or a Dataset with one time-like dimension.
    variables : sequence of str, optional
        Variables to plot. Default: every expectation value (``expect_*``: the result's ``e_ops``
        and ``expect``, labelled by their names or :math:`\langle O_k\rangle`, with a band of one
        standard error for :func:`qbath.mcsolve`); when there are none, the Bloch components
        :math:`\langle\sigma_a\rangle` of a qubit result (``"bloch"``), the mean Bloch vector
        :math:`\bar s_a` of a spin result (``"mean_bloch"``), else ``"l1_coherence"``.
    expect : mapping name -> operator, optional
        More observables to evaluate on a result's states (as ``result.to_dataset(expect=...)``).
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    shade_unphysical : bool
        Shade (``axvspan``, legend entry "unphysical (ρ not positive)") the ranges returned by
        :func:`unphysical_intervals`, in which the states are not density matrices.
    **plot_kw
        Passed to ``ax.plot``.

    Returns
    -------
    matplotlib.axes.Axes
        x axis labelled "time $t$" (or "collision $k$"), a legend naming every curve. The ledger
        of a collision run is drawn by :func:`ledger`.
    """
    t = _Table(data, expect)
    ax = _new_axes(ax)
    if variables is None:
        variables = t.default_variables()
    for name in variables:
        if name not in t.vars:
            raise InputError(
                f"variables: expected names of variables in the data ({', '.join(t.vars)}), got {name!r}"
            )
        dims, v, _ = t.vars[name]
        x = t.coord(dims[0])
        if v.ndim == 1:
            label = (
                _math_label(t.label(name))
                if name.startswith("expect_")
                else _SYMBOLS.get(name, name)
            )
            (line,) = ax.plot(x, np.real(v), label=label, **plot_kw)
            err = t.vars.get(f"expect_std_err_{name[7:]}") if name.startswith("expect_") else None
            if err is not None:
                y = np.real(v)
                ax.fill_between(x, y - err[1], y + err[1], color=line.get_color(), alpha=0.2, lw=0)
        elif v.ndim == 2:
            comps = t.coord(dims[1])
            for j in range(v.shape[1]):
                ax.plot(x, v[:, j], label=_component_label(name, str(comps[j])), **plot_kw)
        else:
            raise InputError(
                f"variables: expected one- or two-dimensional variables, got {name!r} with dims {dims}"
            )
    xdim = t.vars[variables[0]][0][0]
    if shade_unphysical:
        _shade_unphysical(ax, _table_intervals(t, POSITIVITY_TOL), t.coord(xdim))
    ax.set_xlabel(_XLABEL.get(xdim, xdim))
    plotted = set(variables)
    if plotted <= {k for k in t.vars if k.startswith("expect_")} | {"bloch", "mean_bloch"}:
        ax.set_ylabel("expectation value")
    elif len(plotted) == 1:
        ax.set_ylabel(_SYMBOLS.get(variables[0], t.label(variables[0])))
    ax.legend()
    return ax


def ledger(
    data: Any,
    quantities: Sequence[str] = _LEDGER_DEFAULT,
    *,
    cumulative: bool = False,
    ax: Any = None,
    **plot_kw: Any,
) -> Any:
    r"""The thermodynamic ledger of a collision run, per collision (or summed up to it).

    Plots :math:`\Delta U`, :math:`\Delta Q`, :math:`\Delta W` and :math:`W_{\rm sw}` (or any
    ledger arrays named in ``quantities``) against the collision index; quantities the data lacks
    are skipped. With ``cumulative`` the running sums are drawn, so the first law reads
    :math:`\sum\Delta U = \sum(\Delta Q + \Delta W + W_{\rm sw})` on the plot.

    Parameters
    ----------
    data : CollisionResult or xarray.Dataset
        What :func:`qbath.collision.evolve` returned, or its Dataset.
    quantities : sequence of str
        Ledger arrays to draw.
    cumulative : bool
        Draw running sums.
    ax : matplotlib Axes, optional
    """
    t = _Table(data)
    present = [q for q in quantities if q in t.vars]
    if not present:
        raise InputError(
            f"data: expected a collision result or Dataset with ledger arrays ({', '.join(quantities)}), got none of them"
        )
    ax = _new_axes(ax)
    for q in present:
        dims, v, _ = t.vars[q]
        x = t.coord(dims[0])
        ok = np.isfinite(v)
        y = np.cumsum(v[ok]) if cumulative else v[ok]
        ax.plot(x[ok], y, label=_LEDGER_LABELS.get(q, q), **plot_kw)
    ax.axhline(0.0, color="0.7", lw=0.8)
    ax.set_xlabel("collision $k$")
    what = "energy" if set(present) <= set(_LEDGER_DEFAULT) | {"first_law_residual"} else "value"
    ax.set_ylabel(f"cumulative {what}" if cumulative else f"{what} per collision")
    ax.legend()
    return ax


def steady_state_map(
    data: Any,
    variable: str | None = None,
    *,
    x: str | Sequence[float] | None = None,
    y: str | Sequence[float] | None = None,
    ax: Any = None,
    cmap: str = "viridis",
    colorbar: bool = True,
    **kw: Any,
) -> Any:
    """A map of a scalar over a two-parameter sweep (a line for a one-parameter sweep).

    Parameters
    ----------
    data : xarray.Dataset or (nx, ny) / (nx,) array
        A sweep Dataset (``qbath sweep``, :func:`qbath.sweep.run_sweep`) or a plain array, whose
        first axis runs along ``x`` and second along ``y``.
    variable : str, optional
        The Dataset variable to draw (default: the first one).
    x, y : str or array, optional
        Coordinate names (Dataset) or values (array). Default: the variable's own dimensions.
    ax : matplotlib Axes, optional
    cmap : str
        Colour map of the 2-D map.
    colorbar : bool
        Add a colour bar labelled with the variable.
    **kw
        Passed to ``pcolormesh`` (2-D) or ``plot`` (1-D).
    """
    if _is_dataset(data):
        names = list(data.data_vars)
        var = variable or next((n for n in names if n != "error"), None)
        if var not in data.data_vars:
            raise InputError(f"variable: expected one of {', '.join(names)}, got {var!r}")
        da = data[var]
        dims = list(da.dims)
        if isinstance(x, str) or isinstance(y, str):
            order = [d for d in (x, y) if isinstance(d, str)]
            dims = order + [d for d in dims if d not in order]
            da = da.transpose(*dims)
        values = np.asarray(da.values, dtype=float)
        xs = np.asarray(data[dims[0]].values)
        ys = np.asarray(data[dims[1]].values) if len(dims) > 1 else None
        xlabel, ylabel, label = dims[0], (dims[1] if len(dims) > 1 else var), var
    else:
        values = np.asarray(data, dtype=float)
        xs = np.asarray(x) if x is not None else np.arange(values.shape[0])
        ys = (
            (np.asarray(y) if y is not None else np.arange(values.shape[1]))
            if values.ndim == 2
            else None
        )
        xlabel, ylabel, label = "x", ("y" if values.ndim == 2 else ""), variable or ""
    if values.ndim not in (1, 2):
        raise InputError(
            f"data: expected a one- or two-parameter sweep, got {values.ndim} dimensions"
        )
    ax = _new_axes(ax)
    if values.ndim == 1:
        ax.plot(xs, values, **kw)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(label)
        return ax
    mesh = ax.pcolormesh(xs, ys, values.T, shading="auto", cmap=cmap, **kw)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if colorbar:
        ax.figure.colorbar(mesh, ax=ax, label=label)
    return ax


def _bloch_vectors(data: Any, spin: int) -> np.ndarray:
    if isinstance(data, BaseResult) or _is_dataset(data):
        t = _Table(data)
        if "bloch" in t.vars:
            b = np.asarray(t.vars["bloch"][1], dtype=float)
            return b if b.ndim == 2 else b[:, spin, :]
        if "states" in t.vars:
            return bloch_vector(np.asarray(t.vars["states"][1]))
        if all(f"expect_{c}" in t.vars for c in "XYZ"):
            return np.stack([np.real(t.vars[f"expect_{c}"][1]) for c in "XYZ"], axis=-1)
        raise InputError(
            "data: expected a qubit or spin result, or a Dataset with bloch, states, or expect_X/expect_Y/expect_Z, got none of them"
        )
    arr = np.asarray(data)
    if arr.ndim == 3 and arr.shape[1:] == (2, 2):
        return bloch_vector(arr)
    if arr.ndim == 2 and arr.shape[1] == 3:
        return arr.astype(float)
    raise InputError(
        f"data: expected qubit states (T, 2, 2), Bloch vectors (T, 3) or a qubit result, got shape {arr.shape}"
    )


def bloch_path(
    data: Any,
    *,
    spin: int = 0,
    ax: Any = None,
    sphere: bool = True,
    label: str | None = None,
    **plot_kw: Any,
) -> Any:
    """The path of a qubit's Bloch vector on (or inside) the Bloch sphere, in a 3-D Axes.

    Parameters
    ----------
    data : result, Dataset, (T, 2, 2) states or (T, 3) Bloch vectors
        A one-qubit trajectory, or a spin result / Dataset (then ``spin`` picks the spin).
    spin : int
        Which spin of a spin result.
    ax : matplotlib 3-D Axes, optional
        Must have ``projection="3d"``; default: a new figure.
    sphere : bool
        Draw the unit sphere's wire frame and axes.
    label : str, optional
        Legend label of the path.

    The start is marked with a circle, the end with a square.
    """
    s = _bloch_vectors(data, spin)
    if ax is not None and getattr(ax, "name", "") != "3d":
        raise InputError(
            f"ax: expected a 3-D Axes (projection='3d'), got a {getattr(ax, 'name', type(ax).__name__)!r} Axes"
        )
    ax = _new_axes(ax, projection="3d")
    if sphere:
        u, v = np.meshgrid(np.linspace(0, 2 * np.pi, 25), np.linspace(0, np.pi, 13))
        ax.plot_wireframe(
            np.cos(u) * np.sin(v), np.sin(u) * np.sin(v), np.cos(v), color="0.85", lw=0.5
        )
        for axis in np.eye(3):
            ax.plot(*np.stack([-axis, axis], axis=1), color="0.6", lw=0.8)
    (line,) = ax.plot(s[:, 0], s[:, 1], s[:, 2], label=label, **plot_kw)
    ax.scatter(*s[0], color=line.get_color(), marker="o")
    ax.scatter(*s[-1], color=line.get_color(), marker="s")
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.set_zlim(-1, 1)
    for setter in (ax.set_xticks, ax.set_yticks, ax.set_zticks):
        setter([-1, 0, 1])
    ax.set_xlabel(r"$\langle\sigma_x\rangle$")
    ax.set_ylabel(r"$\langle\sigma_y\rangle$")
    ax.set_zlabel(r"$\langle\sigma_z\rangle$")
    if hasattr(ax, "set_box_aspect"):
        ax.set_box_aspect((1, 1, 1))
    if label is not None:
        ax.legend()
    return ax


# ---- reduced Bloch vectors of the qubits of a multi-qubit trajectory ------------------------------
__all__ += ["bloch_reduced"]

_PAULIS = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex)


def _qubit_dims(d: int, dims: Any) -> tuple[int, ...]:
    from .._checks import check_dims

    if dims is None:
        n = d.bit_length() - 1
        if d < 2 or 2**n != d:
            raise InputError(
                f"dims: expected the subsystem dimensions (states of dimension {d} are not a "
                f"register of qubits), got None"
            )
        return (2,) * n
    dims = check_dims("dims", dims)
    if int(np.prod(dims)) != d:
        raise InputError(f"dims: expected dimensions whose product is {d}, got {dims}")
    return dims


def _qubit_list(qubits: Any, dims: tuple[int, ...]) -> list[int]:
    default = [k for k, dk in enumerate(dims) if dk == 2]
    if qubits is None:
        return default
    items = [qubits] if isinstance(qubits, (int, np.integer)) else qubits
    ok = isinstance(items, (list, tuple, np.ndarray)) and len(items) > 0
    ok = ok and all(
        isinstance(q, (int, np.integer)) and not isinstance(q, (bool, np.bool_)) for q in items
    )
    if (
        not ok
        or len(set(int(q) for q in items)) != len(items)
        or any(int(q) not in default for q in items)
    ):
        raise InputError(
            f"qubits: expected distinct indices of two-level subsystems among {default}, "
            f"got {qubits!r}"
        )
    return [int(q) for q in items]


def _reduced_source(data: Any) -> tuple[np.ndarray, str, np.ndarray | None, np.ndarray | None]:
    """(x, x-dimension name, states (T, D, D) or None, per-spin Bloch vectors (T, N, 3) or None)."""
    if isinstance(data, BaseResult) and data.states is not None and np.ndim(data.states) == 3:
        x = np.asarray(data.times, dtype=float)
        return x, str(getattr(data, "_dim", "time")), np.asarray(data.states), None
    t = _Table(data)
    if "states" in t.vars:
        dims, v, _ = t.vars["states"]
        return t.coord(dims[0]), dims[0], np.asarray(v), None
    if "bloch" in t.vars and t.vars["bloch"][1].ndim == 3:
        dims, v, _ = t.vars["bloch"]
        return t.coord(dims[0]), dims[0], None, np.asarray(v, dtype=float)
    raise InputError(
        "data: expected a result with stored states (store_states=True), a Dataset with a states "
        "variable, or a spin result, got none of them"
    )


def bloch_reduced(
    data: Any,
    qubits: int | Sequence[int] | None = None,
    *,
    dims: Sequence[int] | None = None,
    axes: Sequence[Any] | None = None,
    **plot_kw: Any,
) -> np.ndarray:
    r"""Each qubit's reduced Bloch vector against time, one panel per component.

    For qubit :math:`q` of an N-qubit state :math:`\rho(t)`, the reduced state is the partial
    trace :math:`\rho_q = \mathrm{Tr}_{\bar q}\,\rho` (:func:`qbath.ptrace`) and its Bloch vector
    :math:`s_q^a(t) = \mathrm{Tr}[\sigma_a\rho_q(t)] = \langle\sigma_q^a\rangle`, :math:`a = x, y, z`
    (M. A. Nielsen and I. L. Chuang, "Quantum Computation and Quantum Information", 2000, Sec. 2.4.3).
    :math:`|\vec s_q| < 1` shows that qubit :math:`q` is mixed, e.g. entangled with the others.

    Parameters
    ----------
    data : result or xarray.Dataset
        A trajectory with stored states (T, D, D) (``mesolve(..., store_states=True)``, a collision
        run, a Dataset with a ``states`` variable), or a spin result / Dataset with per-spin
        ``bloch`` (T, N, 3), whose rows are already the reduced Bloch vectors.
    qubits : int or sequence of int, optional
        Which qubits to draw (default: every two-level subsystem).
    dims : sequence of int, optional
        Subsystem dimensions of the states (default: ``(2,) * N`` for ``D = 2**N``); only the
        two-level subsystems can be drawn.
    axes : sequence of three matplotlib Axes, optional
        Where to draw :math:`\langle\sigma_x\rangle`, :math:`\langle\sigma_y\rangle`,
        :math:`\langle\sigma_z\rangle` (default: a new figure with three rows sharing the time axis).
    **plot_kw
        Passed to ``ax.plot``.

    Returns
    -------
    (3,) ndarray of matplotlib Axes
        y axes labelled :math:`\langle\sigma_a\rangle` in [-1, 1], x axis "time $t$" (or
        "collision $k$"), a legend naming each qubit.
    """
    x, xdim, states, spin_bloch = _reduced_source(data)
    if states is not None:
        from .._operators import ptrace

        sub = _qubit_dims(states.shape[-1], dims)
        chosen = _qubit_list(qubits, sub)
        vectors = [np.einsum("tij,aji->ta", ptrace(states, [q], sub), _PAULIS).real for q in chosen]
    else:
        assert spin_bloch is not None
        if dims is not None:
            raise InputError(
                f"dims: expected None for a spin result (one qubit per spin), got {dims!r}"
            )
        chosen = _qubit_list(qubits, (2,) * spin_bloch.shape[1])
        vectors = [spin_bloch[:, q, :] for q in chosen]
    if axes is None:
        _, axes = _plt().subplots(3, 1, sharex=True, figsize=(6.4, 6.4))
    if len(axes) != 3:
        raise InputError(f"axes: expected three Axes (one per Bloch component), got {len(axes)}")
    for a, ax in enumerate(axes):
        for q, s in zip(chosen, vectors, strict=True):
            ax.plot(x, s[:, a], label=f"qubit {q}", **plot_kw)
        ax.set_ylabel(_SIGMA["xyz"[a]])
        ax.set_ylim(-1.05, 1.05)
    axes[-1].set_xlabel(_XLABEL.get(xdim, xdim))
    axes[0].legend(loc="best", fontsize="small", ncol=min(len(chosen), 4))
    axes[0].set_title("reduced Bloch vectors $s_q^a = \\langle\\sigma_q^a\\rangle$")
    return np.asarray(axes)
