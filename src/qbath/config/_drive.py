r"""``[[model.drive]]`` tables: time-dependent Hamiltonian terms a TOML file can hold.

TOML cannot hold callables, so a drive is an operator (the Pauli-string syntax of the other keys)
times one of a few named shapes :math:`f(t)`, added to the Hamiltonian as
:math:`H(t) = H_0 + \sum_k f_k(t)\,O_k`:

============  ==================================================================================
shape         :math:`f(t)`
============  ==================================================================================
``cos``       :math:`A\cos(\omega t + \varphi)`
``sin``       :math:`A\sin(\omega t + \varphi)`
``gaussian``  :math:`A\exp(-(t - t_c)^2 / 2\sigma^2)\cos(\omega t + \varphi)` (``center``, ``width``)
``ramp``      :math:`A` times 0 before ``start``, rising linearly to 1 at ``stop``, 1 after
``piecewise`` ``values[i]`` on ``[times[i], times[i+1])`` (the last value after the last time,
              ``values[0]`` before the first), times :math:`A`
============  ==================================================================================

Every parameter is a number, so ``qbath sweep --param model.drive[0].amplitude=0:1:11`` sweeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ._pauli import check_pauli_lengths, pauli_operator
from ._schema import Choice, ConfigError, PauliSum, Real, RealArray, Table, TableList

__all__ = ["DRIVES", "drive_coefficient", "drive_terms", "check_drives"]

SHAPES = ("cos", "sin", "gaussian", "ramp", "piecewise")

#: the ``[[model.drive]]`` list of a kind's model table
DRIVES = TableList(
    item=Table(
        fields={
            "op": PauliSum(doc="driven operator (Pauli strings)"),
            "shape": Choice(SHAPES, doc="time profile f(t)"),
            "amplitude": Real(default=1.0, doc="A"),
            "frequency": Real(default=0.0, minimum=0.0, doc="angular frequency omega"),
            "phase": Real(default=0.0, doc="phase phi"),
            "center": Real(default=0.0, doc="gaussian centre t_c"),
            "width": Real(default=1.0, minimum=0.0, strict_min=True, doc="gaussian width sigma"),
            "start": Real(default=0.0, doc="ramp start time"),
            "stop": Real(default=1.0, doc="ramp end time"),
            "times": RealArray(default=[0.0], doc="piecewise: switching times, increasing"),
            "values": RealArray(default=[1.0], doc="piecewise: value from each switching time"),
        }
    ),
    default=[],
)


def drive_coefficient(key: str, d: Mapping[str, Any]) -> Callable[[float], float]:
    """The coefficient :math:`f(t)` of one validated ``[[model.drive]]`` table."""
    A, w, phi = float(d["amplitude"]), float(d["frequency"]), float(d["phase"])
    shape = d["shape"]
    if shape == "cos":
        return lambda t: A * np.cos(w * t + phi)
    if shape == "sin":
        return lambda t: A * np.sin(w * t + phi)
    if shape == "gaussian":
        tc, s = float(d["center"]), float(d["width"])
        return lambda t: A * np.exp(-((t - tc) ** 2) / (2 * s * s)) * np.cos(w * t + phi)
    if shape == "ramp":
        t0, t1 = float(d["start"]), float(d["stop"])
        if not t1 > t0:
            raise ConfigError(f"{key}.stop", f"a ramp end time > start = {t0:g}", repr(t1))
        return lambda t: A * float(np.clip((t - t0) / (t1 - t0), 0.0, 1.0))
    times = np.asarray(d["times"], dtype=float)
    values = np.asarray(d["values"], dtype=float)
    if times.shape != values.shape:
        raise ConfigError(
            f"{key}.values", f"one value per switching time ({times.size})", f"{values.size} values"
        )
    if np.any(np.diff(times) <= 0):
        raise ConfigError(f"{key}.times", "strictly increasing switching times", str(d["times"]))

    def piecewise(t: float) -> float:
        i = int(np.searchsorted(times, t, side="right")) - 1
        return A * float(values[max(i, 0)])

    return piecewise


def check_drives(key: str, drives: Sequence[Mapping[str, Any]], n_qubits: int) -> None:
    """Operators of the right length and consistent shape parameters."""
    for i, d in enumerate(drives):
        check_pauli_lengths(f"{key}[{i}].op", d["op"], n_qubits)
        drive_coefficient(f"{key}[{i}]", d)


def drive_terms(key: str, drives: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """QuTiP's list-form terms ``[[O_k, f_k], ...]`` of validated drive tables."""
    return [
        [pauli_operator(d["op"]), drive_coefficient(f"{key}[{i}]", d)] for i, d in enumerate(drives)
    ]
