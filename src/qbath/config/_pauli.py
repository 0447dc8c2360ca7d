r"""Operators written in configurations: Pauli strings and observable names.

A Pauli string has one letter per qubit, first letter = first qubit (leftmost tensor factor):
``I``, ``X``, ``Y``, ``Z`` (Pauli matrices), ``+`` (:math:`\sigma_+ = |\uparrow\rangle\langle\downarrow|`)
and ``-`` (:math:`\sigma_-`). An observable name is a Hermitian Pauli string (``"ZI"``), a single
letter for a one-qubit system (``"Z"``), or a letter with a qubit index (``"Z1"`` = Z on qubit 1,
counted from 0).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import reduce

import numpy as np

from .._operators import qeye, sigmam, sigmap, sigmax, sigmay, sigmaz
from ._schema import ConfigError

_LETTERS = {"I": qeye(2), "X": sigmax(), "Y": sigmay(), "Z": sigmaz(), "+": sigmap(), "-": sigmam()}


def pauli_string(s: str) -> np.ndarray:
    """The operator of one Pauli string (shape (2^n, 2^n))."""
    return reduce(np.kron, [_LETTERS[c] for c in s])


def check_pauli_lengths(key: str, terms: Sequence[Sequence[object]], n_qubits: int) -> None:
    """Raise :class:`ConfigError` unless every string of a validated Pauli sum has ``n_qubits`` letters."""
    for i, (_, _, s) in enumerate(terms):
        if len(str(s)) != n_qubits:
            raise ConfigError(
                f"{key}[{i}][1]",
                f"a Pauli string of {n_qubits} letter{'s' if n_qubits != 1 else ''} (one per qubit)",
                f"{s!r} ({len(str(s))} letters)",
            )


def pauli_operator(terms: Sequence[Sequence[object]]) -> np.ndarray:
    r""":math:`\sum_k c_k P_k` for validated terms ``[[re, im, "XZ"], ...]`` (shape (2^n, 2^n))."""
    return sum(complex(re_, im_) * pauli_string(str(s)) for re_, im_, s in terms)  # type: ignore[return-value]


def observable_string(key: str, name: str, n_qubits: int) -> str:
    """The full Pauli string of an observable name, or a :class:`ConfigError` naming ``key``."""
    if re.fullmatch(r"[IXYZ]+", name) and len(name) == n_qubits:
        return name
    m = re.fullmatch(r"([XYZ])(\d+)", name)
    if m and int(m.group(2)) < n_qubits:
        i = int(m.group(2))
        return "I" * i + m.group(1) + "I" * (n_qubits - i - 1)
    if n_qubits == 1:
        want = "an observable on 1 qubit: X, Y or Z (or X0, Y0, Z0)"
    else:
        want = (
            f"an observable on {n_qubits} qubits: a string of {n_qubits} letters from I, X, Y, Z "
            f"(e.g. {'Z' + 'I' * (n_qubits - 1)!r}), or X/Y/Z followed by a qubit index 0..{n_qubits - 1} (e.g. 'Z0')"
        )
    raise ConfigError(key, want, repr(name))


def observable(name: str, n_qubits: int) -> np.ndarray:
    """The matrix of a validated observable name."""
    return pauli_string(observable_string("observable", name, n_qubits))
