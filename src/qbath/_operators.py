r"""Operators on qubits, truncated bosonic modes, fermionic modes and composite spaces.

Conventions (``docs/conventions.md``): basis index 0 is :math:`|\uparrow\rangle`,
:math:`\sigma_z = \mathrm{diag}(1, -1)`, :math:`\sigma_\pm = (\sigma_x \pm i\sigma_y)/2` so that
:math:`\sigma_+ = |\uparrow\rangle\langle\downarrow|`. Tensor products put the first factor
leftmost in the Kronecker product. All functions return dense complex ``numpy.ndarray``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any, Literal

import numpy as np

from ._checks import (
    as_numeric_array,
    as_operator,
    check_choice,
    check_dims,
    check_finite,
    check_int,
    check_same_dim,
)
from ._errors import InputError

__all__ = [
    "sigmax",
    "sigmay",
    "sigmaz",
    "sigmap",
    "sigmam",
    "qeye",
    "destroy",
    "create",
    "num",
    "tensor",
    "embed",
    "ptrace",
    "commutator",
    "dag",
    "Subsystem",
    "CompositeSpace",
]


def sigmax() -> np.ndarray:
    r"""Pauli :math:`\sigma_x`, shape (2, 2)."""
    return np.array([[0, 1], [1, 0]], dtype=complex)


def sigmay() -> np.ndarray:
    r"""Pauli :math:`\sigma_y`, shape (2, 2)."""
    return np.array([[0, -1j], [1j, 0]], dtype=complex)


def sigmaz() -> np.ndarray:
    r"""Pauli :math:`\sigma_z = \mathrm{diag}(1, -1)` (index 0 is spin up), shape (2, 2)."""
    return np.array([[1, 0], [0, -1]], dtype=complex)


def sigmap() -> np.ndarray:
    r""":math:`\sigma_+ = (\sigma_x + i\sigma_y)/2 = |\uparrow\rangle\langle\downarrow|`, shape (2, 2)."""
    return np.array([[0, 1], [0, 0]], dtype=complex)


def sigmam() -> np.ndarray:
    r""":math:`\sigma_- = (\sigma_x - i\sigma_y)/2 = |\downarrow\rangle\langle\uparrow|`, shape (2, 2)."""
    return np.array([[0, 0], [1, 0]], dtype=complex)


def qeye(d: int) -> np.ndarray:
    """Identity of dimension ``d``, shape (d, d)."""
    return np.eye(check_int("d", d, minimum=1), dtype=complex)


def destroy(n: int) -> np.ndarray:
    r"""Bosonic annihilation operator truncated to ``n`` Fock states: :math:`a|k\rangle = \sqrt{k}|k-1\rangle`."""
    n = check_int("n", n, minimum=1)
    return np.diag(np.sqrt(np.arange(1, n, dtype=float)), 1).astype(complex)


def create(n: int) -> np.ndarray:
    r"""Bosonic creation operator :math:`a^\dagger` truncated to ``n`` Fock states."""
    return destroy(n).conj().T


def num(n: int) -> np.ndarray:
    r"""Number operator :math:`a^\dagger a` truncated to ``n`` Fock states."""
    n = check_int("n", n, minimum=1)
    return np.diag(np.arange(n, dtype=float)).astype(complex)


def _indices(name: str, idx: Any, n: int) -> tuple[int, ...]:
    """Distinct subsystem indices in 0..n-1 (an int or a sequence of ints; floats, bools refused)."""
    if isinstance(idx, (int, np.integer)) and not isinstance(idx, (bool, np.bool_)):
        items: tuple[Any, ...] = (idx,)
    elif isinstance(idx, (str, bytes)) or not isinstance(idx, (Sequence, np.ndarray)):
        raise InputError(
            f"{name}: expected a subsystem index or a sequence of them, got {type(idx).__name__} {idx!r}"[
                :200
            ]
        )
    else:
        items = tuple(np.asarray(idx).ravel()) if isinstance(idx, np.ndarray) else tuple(idx)
    out = []
    for k in items:
        if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
            raise InputError(
                f"{name}: expected integer subsystem indices in 0..{n - 1}, got {type(k).__name__} {k!r} in {idx!r}"[
                    :200
                ]
            )
        out.append(int(k))
    if len(set(out)) != len(out) or any(k < 0 or k >= n for k in out):
        raise InputError(f"{name}: expected distinct indices in 0..{n - 1}, got {tuple(out)}")
    return tuple(out)


def dag(a: np.ndarray) -> np.ndarray:
    """Conjugate transpose over the last two axes; ``a`` of shape (..., m, n)."""
    if hasattr(a, "full") and callable(a.full):
        a = a.full()
    arr = as_numeric_array("a", a, "a matrix or a stack of matrices", allow_complex=True)
    if arr.ndim < 2 or arr.size == 0:
        raise InputError(
            f"a: expected a non-empty matrix or a stack of matrices (ndim >= 2), got shape {arr.shape}"
        )
    check_finite("a", arr)
    return np.conj(np.swapaxes(arr, -1, -2))


def commutator(
    a: np.ndarray, b: np.ndarray, kind: Literal["normal", "anti"] = "normal"
) -> np.ndarray:
    """``[a, b] = ab - ba`` (or ``{a, b}`` with ``kind="anti"``); square operators of equal dimension."""
    kind = check_choice("kind", kind, ("normal", "anti"))
    A = as_operator("a", a, allow_batch=True)
    B = as_operator("b", b, allow_batch=True)
    check_same_dim("a", A, "b", B)
    return A @ B + B @ A if kind == "anti" else A @ B - B @ A


def tensor(*ops: np.ndarray) -> np.ndarray:
    """Kronecker product, first factor leftmost. ``tensor(A, B)[i*dB+k, j*dB+l] = A[i,j] B[k,l]``."""
    if len(ops) == 1 and isinstance(ops[0], (list, tuple)):
        ops = tuple(ops[0])
    if not ops:
        raise InputError("ops: expected at least one operator, got none")
    mats = []
    for k, o in enumerate(ops):
        if hasattr(o, "full") and callable(o.full):
            o = o.full()
        a = as_numeric_array(f"ops[{k}]", o, "a matrix or a vector", allow_complex=True).astype(
            complex
        )
        if a.ndim not in (1, 2) or a.size == 0:
            raise InputError(
                f"ops[{k}]: expected a non-empty matrix or vector, got shape {a.shape}"
            )
        check_finite(f"ops[{k}]", a)
        mats.append(a)
    return reduce(np.kron, mats)


def embed(op: np.ndarray, targets: int | Sequence[int], dims: Sequence[int]) -> np.ndarray:
    r"""Embed ``op`` acting on subsystems ``targets`` into the space with subsystem ``dims``.

    ``op`` has dimension :math:`\prod_{t} d_t` with its factors ordered as ``targets`` is. The
    targets need not be adjacent or sorted. Returns shape (D, D) with :math:`D = \prod_k d_k`.
    """
    dims = check_dims("dims", dims)
    n = len(dims)
    tgt = _indices("targets", targets, n)
    if not tgt:
        raise InputError("targets: expected at least one subsystem index, got none")
    d_op = int(np.prod([dims[t] for t in tgt]))
    op = as_operator("op", op, d_op)
    if list(tgt) == list(range(tgt[0], tgt[0] + len(tgt))):  # adjacent, in order: 1 (x) op (x) 1
        left = int(np.prod(dims[: tgt[0]], dtype=int))
        right = int(np.prod(dims[tgt[-1] + 1 :], dtype=int))
        out = op
        if right > 1:
            out = (out[:, None, :, None] * np.eye(right)[None, :, None, :]).reshape(
                d_op * right, d_op * right
            )
        if left > 1:
            dr = out.shape[0]
            out = (np.eye(left)[:, None, :, None] * out[None, :, None, :]).reshape(
                left * dr, left * dr
            )
        return out.astype(complex, copy=False)
    rest = [k for k in range(n) if k not in tgt]
    d_rest = int(np.prod([dims[k] for k in rest])) if rest else 1
    full = np.kron(op, np.eye(d_rest, dtype=complex))
    order = list(tgt) + rest  # subsystem order of ``full``
    if order == list(range(n)):
        return full
    shape = [dims[k] for k in order]
    t = full.reshape(shape + shape)
    perm = [order.index(k) for k in range(n)]
    t = t.transpose(perm + [n + p for p in perm])
    D = int(np.prod(dims))
    return t.reshape(D, D)


def ptrace(rho: np.ndarray, keep: int | Sequence[int], dims: Sequence[int]) -> np.ndarray:
    r"""Partial trace keeping subsystems ``keep`` (in the given order).

    ``rho`` has shape (..., D, D) with :math:`D = \prod d_k`; leading axes are batch axes. Returns
    shape (..., d_keep, d_keep). ``keep`` may be empty (returns the trace as shape (..., 1, 1)).
    """
    dims = check_dims("dims", dims)
    D = int(np.prod(dims))
    if hasattr(rho, "full") and callable(rho.full):
        rho = rho.full()
    rho = as_numeric_array("rho", rho, f"an operator of shape (..., {D}, {D})", allow_complex=True)
    if rho.ndim < 2 or rho.shape[-1] != D or rho.shape[-2] != D:
        raise InputError(f"rho: expected shape (..., {D}, {D}) for dims {dims}, got {rho.shape}")
    check_finite("rho", rho)
    n = len(dims)
    keep_t = _indices("keep", keep, n)
    batch = rho.shape[:-2]
    nb = len(batch)
    t = rho.reshape(batch + dims + dims)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    bl = letters[:nb]
    rows = list(letters[nb : nb + n])
    cols = list(letters[nb + n : nb + 2 * n])
    for k in range(n):
        if k not in keep_t:
            cols[k] = rows[k]
    out = bl + "".join(rows[k] for k in keep_t) + "".join(cols[k] for k in keep_t)
    res = np.einsum(bl + "".join(rows) + "".join(cols) + "->" + out, t)
    dk = int(np.prod([dims[k] for k in keep_t])) if keep_t else 1
    return res.reshape(batch + (dk, dk))


SubsystemKind = Literal["qubit", "boson", "fermion", "qudit"]


@dataclass(frozen=True)
class Subsystem:
    """One named factor of a composite space.

    Attributes
    ----------
    name : str
        Label, unique within a :class:`CompositeSpace`.
    dim : int
        Hilbert-space dimension (2 for qubits and fermionic modes, the Fock cut-off for bosons).
    kind : {"qubit", "boson", "fermion", "qudit"}
        Determines which local operators make sense (``sigma*`` for qubits, ``destroy`` for bosons,
        Jordan--Wigner ``fermion_destroy`` for fermions).
    """

    name: str
    dim: int
    kind: SubsystemKind = "qudit"

    def __post_init__(self) -> None:
        check_int(f"dim of subsystem {self.name!r}", self.dim, minimum=1)
        if self.kind in ("qubit", "fermion") and self.dim != 2:
            raise InputError(f"dim of {self.kind} {self.name!r}: expected 2, got {self.dim}")


@dataclass(frozen=True)
class CompositeSpace:
    """A tensor product of named subsystems, first factor leftmost.

    Examples
    --------
    >>> sp = CompositeSpace.qubits("S", "E1", "E2")
    >>> sp.dims
    (2, 2, 2)
    >>> sp.op(sigmaz(), "E1").shape
    (8, 8)
    """

    subsystems: tuple[Subsystem, ...]

    def __post_init__(self) -> None:
        names = [s.name for s in self.subsystems]
        if len(set(names)) != len(names):
            raise InputError(f"subsystems: expected unique names, got {names}")
        if not names:
            raise InputError("subsystems: expected at least one subsystem, got none")

    # constructors -----------------------------------------------------------------------------
    @classmethod
    def qubits(cls, *names: str) -> CompositeSpace:
        """A space of qubits with the given names."""
        return cls(tuple(Subsystem(n, 2, "qubit") for n in names))

    @classmethod
    def of(cls, *parts: tuple[str, int] | tuple[str, int, str] | Subsystem) -> CompositeSpace:
        """Build from ``("name", dim)`` or ``("name", dim, kind)`` tuples or :class:`Subsystem` s."""
        subs = []
        for p in parts:
            subs.append(p if isinstance(p, Subsystem) else Subsystem(*p))
        return cls(tuple(subs))

    def __add__(self, other: CompositeSpace) -> CompositeSpace:
        """Concatenate two spaces (``system + ancilla``)."""
        return CompositeSpace(self.subsystems + other.subsystems)

    # properties -------------------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.subsystems)

    @property
    def dims(self) -> tuple[int, ...]:
        return tuple(s.dim for s in self.subsystems)

    @property
    def dim(self) -> int:
        """Total dimension :math:`\\prod_k d_k`."""
        return int(np.prod(self.dims))

    def index(self, name: str | int) -> int:
        """Position of a subsystem given by name (or index)."""
        if isinstance(name, (int, np.integer)):
            if not 0 <= name < len(self.subsystems):
                raise InputError(
                    f"subsystem: expected an index in 0..{len(self.subsystems) - 1}, got {name}"
                )
            return int(name)
        try:
            return self.names.index(name)
        except ValueError:
            raise InputError(f"subsystem: expected one of {self.names}, got {name!r}") from None

    # operators --------------------------------------------------------------------------------
    def op(self, local: np.ndarray, *where: str | int) -> np.ndarray:
        """Embed a local operator acting on the named subsystem(s) into the full space."""
        if not where:
            raise InputError("where: expected at least one subsystem name, got none")
        return embed(local, [self.index(w) for w in where], self.dims)

    def identity(self) -> np.ndarray:
        return np.eye(self.dim, dtype=complex)

    def sigma(self, which: Literal["x", "y", "z", "+", "-"], name: str | int) -> np.ndarray:
        """Pauli or ladder operator of a qubit subsystem, embedded."""
        table = {
            "x": sigmax,
            "y": sigmay,
            "z": sigmaz,
            "+": sigmap,
            "-": sigmam,
            "p": sigmap,
            "m": sigmam,
        }
        if which not in table:
            raise InputError(f"which: expected one of 'x', 'y', 'z', '+', '-', got {which!r}")
        i = self.index(name)
        if self.subsystems[i].dim != 2:
            raise InputError(f"name: expected a two-level subsystem, got {self.subsystems[i]}")
        return self.op(table[which](), i)

    def destroy(self, name: str | int) -> np.ndarray:
        """Annihilation operator of a bosonic subsystem (Fock truncation = its dim), embedded."""
        i = self.index(name)
        return self.op(destroy(self.subsystems[i].dim), i)

    def fermion_destroy(self, name: str | int) -> np.ndarray:
        r"""Jordan--Wigner annihilation operator of a fermionic mode.

        :math:`c_j = \left(\prod_{k<j,\ k\ \mathrm{fermionic}} (-\sigma^z_k)\right) \sigma^-_j`
        with occupied = index 0 (:math:`|\uparrow\rangle`): :math:`c_j^\dagger c_j = (1+\sigma_z^j)/2`.
        Non-fermionic subsystems are skipped by the string, so fermions and spins/bosons commute.
        """
        i = self.index(name)
        if self.subsystems[i].kind != "fermion":
            raise InputError(f"name: expected a fermionic subsystem, got {self.subsystems[i]}")
        ops = []
        for k, s in enumerate(self.subsystems):
            if k < i and s.kind == "fermion":
                ops.append(-sigmaz())
            elif k == i:
                ops.append(sigmam())
            else:
                ops.append(np.eye(s.dim, dtype=complex))
        return tensor(*ops)

    def ptrace(self, rho: np.ndarray, keep: str | int | Sequence[str | int]) -> np.ndarray:
        """Partial trace keeping the named subsystem(s); ``rho`` of shape (..., D, D)."""
        if isinstance(keep, (str, int, np.integer)):
            keep = [keep]
        return ptrace(rho, [self.index(k) for k in keep], self.dims)
