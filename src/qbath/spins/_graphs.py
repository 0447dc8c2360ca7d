r"""Adjacency matrices of common spin graphs and seeded random local fields.

These are the building blocks of :meth:`SpinModel.from_graph`, :math:`J_{ij}^{ab} = A_{ij}M^{ab}`,
and the functions behind the ``topology`` and ``random_fields`` keys of the ``spins`` kind of
``qbath run``: the same name gives the same matrix, the same seed the same fields.

Every adjacency matrix is symmetric with entries 0 or 1 and a zero diagonal. With
:meth:`SpinModel.from_graph` the Hamiltonian is
:math:`H_{\rm int} = \sum_{i\neq j} A_{ij} M^{ab}\sigma_i^a\sigma_j^b`: both orderings of a bond
appear, so a symmetric :math:`M` puts :math:`2M^{ab}` on each bond.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from .._checks import check_bool, check_int, check_real_scalar
from .._errors import InputError

__all__ = ["all_to_all", "chain", "ring", "lattice", "random_fields", "TOPOLOGIES"]

#: names of the graphs of one size ``n`` (the ``topology`` values of the ``spins`` kind besides
#: ``"lattice"``, which takes ``rows`` and ``cols``)
TOPOLOGIES = ("all", "chain", "ring")


def _from_bonds(n: int, bonds: np.ndarray, sparse: bool) -> Any:
    """Symmetric 0/1 adjacency (n, n) with the given (E, 2) bonds (duplicates counted once)."""
    a = sp.coo_matrix(
        (
            np.ones(2 * len(bonds)),
            (np.r_[bonds[:, 0], bonds[:, 1]], np.r_[bonds[:, 1], bonds[:, 0]]),
        ),
        shape=(n, n),
    ).tocsr()
    a.data[:] = 1.0  # a bond listed twice (a ring of two, a periodic side of two) counts once
    return a if sparse else a.toarray()


def _line_bonds(n: int, periodic: bool) -> np.ndarray:
    i = np.arange(n - 1)
    bonds = np.stack([i, i + 1], axis=1)
    if periodic and n > 2:
        bonds = np.vstack([bonds, [[n - 1, 0]]])
    return bonds.reshape(-1, 2)


_ONE_SIZE_DOC = """
    Parameters
    ----------
    n : int
        Number of spins, >= 1 (one spin has no bond).
    sparse : bool
        Return a ``scipy.sparse`` CSR matrix instead of a dense array.

    Returns
    -------
    (n, n) ndarray or scipy.sparse.csr_matrix
    """


def _one_size(f: Any) -> Any:
    """Append the shared Parameters and Returns sections to a one-size graph's docstring."""
    f.__doc__ = (f.__doc__ or "").rstrip() + "\n" + _ONE_SIZE_DOC
    return f


@_one_size
def all_to_all(n: int, *, sparse: bool = False) -> Any:
    r"""Adjacency of ``n`` spins all coupled to each other: :math:`A_{ij} = 1 - \delta_{ij}`."""
    n = check_int("n", n, minimum=1)
    if check_bool("sparse", sparse):
        return sp.csr_matrix(np.ones((n, n)) - np.eye(n))
    return np.ones((n, n)) - np.eye(n)


@_one_size
def chain(n: int, *, sparse: bool = False) -> Any:
    r"""Adjacency of an open chain: :math:`A_{i,i+1} = A_{i+1,i} = 1` for :math:`i = 0..n-2`."""
    n = check_int("n", n, minimum=1)
    return _from_bonds(n, _line_bonds(n, periodic=False), check_bool("sparse", sparse))


@_one_size
def ring(n: int, *, sparse: bool = False) -> Any:
    r"""Adjacency of a closed chain: the :func:`chain` plus the bond :math:`(n-1, 0)`.

    For ``n <= 2`` the ring is the chain (the closing bond would repeat the only bond).

    """
    n = check_int("n", n, minimum=1)
    return _from_bonds(n, _line_bonds(n, periodic=True), check_bool("sparse", sparse))


def lattice(rows: int, cols: int, *, periodic: bool = False, sparse: bool = False) -> Any:
    r"""Adjacency of a ``rows`` x ``cols`` square lattice with nearest-neighbour bonds.

    Spin :math:`i = r\,\mathrm{cols} + c` sits at row :math:`r`, column :math:`c` (row-major, as
    ``np.arange(rows * cols).reshape(rows, cols)``). ``periodic=True`` closes each row and column
    into a ring (a torus); a side of length <= 2 is never closed twice.

    Parameters
    ----------
    rows, cols : int
        Lattice size, each >= 1 (``rows = 1`` is a :func:`chain` of ``cols`` spins).
    periodic : bool
        Periodic boundary conditions in both directions.
    sparse : bool
        Return a ``scipy.sparse`` CSR matrix (advisable for large lattices) instead of a dense array.

    Returns
    -------
    (rows*cols, rows*cols) ndarray or scipy.sparse.csr_matrix
    """
    rows = check_int("rows", rows, minimum=1)
    cols = check_int("cols", cols, minimum=1)
    periodic = check_bool("periodic", periodic)
    idx = np.arange(rows * cols).reshape(rows, cols)
    along_rows = _line_bonds(cols, periodic)  # bonds inside one row, as column pairs
    along_cols = _line_bonds(rows, periodic)
    bonds = np.vstack(
        [
            np.stack([idx[:, along_rows[:, 0]].ravel(), idx[:, along_rows[:, 1]].ravel()], axis=1),
            np.stack([idx[along_cols[:, 0], :].ravel(), idx[along_cols[:, 1], :].ravel()], axis=1),
        ]
    ).astype(int)
    return _from_bonds(rows * cols, bonds, check_bool("sparse", sparse))


def _check_axes(axes: Any) -> list[int]:
    if (
        not isinstance(axes, str)
        or not axes
        or any(c not in "xyz" for c in axes)
        or len(set(axes)) != len(axes)
    ):
        raise InputError(
            f"axes: expected a non-empty string of distinct letters from 'xyz' (e.g. 'z' or 'xz'), "
            f"got {axes!r}"
        )
    return ["xyz".index(c) for c in axes]


def random_fields(n: int, scale: float, seed: int, *, axes: str = "z") -> np.ndarray:
    r"""Seeded random local fields, uniform in :math:`[-W, W]` along the chosen axes.

    .. math:: h_i^a = W\,u_i^a,\qquad u_i^a \sim \mathcal U[-1, 1]\ \text{independent},
              \quad a \in \texttt{axes};\qquad h_i^a = 0 \text{ otherwise},

    the disorder of the random-field Heisenberg chain (A. Pal and D. A. Huse, "Many-body
    localization phase transition", Phys. Rev. B 82, 174411, 2010). The draws are
    ``numpy.random.default_rng(seed).uniform(-1, 1, size=(n, 3))``, so a component's values do not
    depend on which other axes are chosen, and the same ``seed`` gives the same fields in Python
    and in a configuration file.

    Parameters
    ----------
    n : int
        Number of spins, >= 1.
    scale : float
        Disorder strength :math:`W \ge 0`.
    seed : int
        Seed of the random generator, >= 0.
    axes : str
        Components that get a random field: a string of distinct letters from ``"xyz"``.

    Returns
    -------
    (n, 3) ndarray
        Fields :math:`\vec h_i`, ready for :class:`SpinModel` (add a uniform field to them if needed).
    """
    n = check_int("n", n, minimum=1)
    scale = check_real_scalar("scale", scale, minimum=0.0)
    seed = check_int("seed", seed, minimum=0)
    keep = _check_axes(axes)
    u = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, 3))
    out = np.zeros((n, 3))
    out[:, keep] = scale * u[:, keep]
    return out
