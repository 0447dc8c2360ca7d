r"""The N-spin model: local fields, two-spin couplings, local dissipation.

.. math::

    H = \sum_i \vec h_i\cdot\vec\sigma_i
        + \sum_{i\neq j}\sum_{a,b\in\{x,y,z\}} J_{ij}^{ab}\,\sigma_i^a\sigma_j^b ,

    \dot\rho = -i[H,\rho] + \sum_i\Big(\gamma^-_i D[\sigma_i^-] + \gamma^+_i D[\sigma_i^+]
        + \gamma^z_i D[\sigma_i^z]\Big)\rho ,

with qbath's conventions: :math:`\sigma_\pm = (\sigma_x\pm i\sigma_y)/2`,
:math:`D[L]\rho = L\rho L^\dagger - \tfrac12\{L^\dagger L,\rho\}`, :math:`\hbar = 1`, index 0 = up.

The dissipators act on one spin each, so on single-spin expectations they give the affine map
:math:`\dot s_i^a|_{\rm diss} = -\Gamma_i^a s_i^a + d_i^a` with

.. math::

    \Gamma_i^{x} = \Gamma_i^{y} = \tfrac12(\gamma_i^- + \gamma_i^+) + 2\gamma_i^z,\qquad
    \Gamma_i^{z} = \gamma_i^- + \gamma_i^+,\qquad d_i = (0, 0, \gamma_i^+ - \gamma_i^-)

(:attr:`SpinModel.decay_rates`, :attr:`SpinModel.drive`; derivation in ``docs/spins.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from .._checks import as_rate_vector, as_real_shaped
from .._errors import InputError
from .._meta import make_meta
from ._coupling import SymmetricCoupling, make_coupling, product_coupling
from ._hamiltonian import hamiltonian_matrix

__all__ = ["SpinModel"]


def _fields_array(fields: Any) -> np.ndarray:
    arr = np.asarray(fields)
    if arr.ndim != 2 or arr.shape[1:] != (3,):
        raise InputError(f"fields: expected local fields of shape (N, 3), got shape {arr.shape}")
    if arr.shape[0] < 1:
        raise InputError("fields: expected at least one spin (shape (N, 3) with N >= 1), got N = 0")
    return as_real_shaped(
        "fields", arr, arr.shape, what="real local fields (a complex field makes H non-Hermitian)"
    )


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, init=False, eq=False)
class SpinModel:
    r"""N spins 1/2 with local fields, two-spin couplings and local dissipation.

    Parameters
    ----------
    fields : (N, 3) array_like
        Local fields :math:`\vec h_i` (real).
    couplings : optional
        :math:`J_{ij}^{ab}` in one of these forms (the diagonal ``i == j`` is ignored):

        - an (N, N, 3, 3) array ``J[i, j, a, b]``;
        - a ``scipy.sparse`` (3N, 3N) matrix with ``J[3*i + a, 3*j + b]``;
        - a dict ``{"xx": Jxx, "yz": Jyz, ...}`` of (N, N) dense or sparse matrices, one per
          component pair (keys may also be ``("x", "z")`` or ``(0, 2)``);
        - an edge list ``(edges, values)`` with ``edges`` (E, 2) integer spin pairs and ``values``
          (E, 3, 3);
        - ``None`` (no coupling).

        Only :math:`K_{ij}^{ab} = J_{ij}^{ab} + J_{ji}^{ba}` matters; a complex ``K`` (non-Hermitian
        H) is refused. For all-to-all models with one coupling tensor use :meth:`from_graph` (N^2
        storage instead of 9 N^2).
    gamma_minus, gamma_plus, gamma_z : float or (N,) array_like
        Rates of :math:`D[\sigma^-_i]`, :math:`D[\sigma^+_i]`, :math:`D[\sigma^z_i]` (qbath's
        :math:`\sigma_\pm`), scalar or one per spin, all :math:`\ge 0`.

    Attributes
    ----------
    fields : (N, 3) ndarray
    gamma_minus, gamma_plus, gamma_z : (N,) ndarray
    coupling : the symmetric coupling operator (private storage object)
    meta : dict
        Provenance (:func:`qbath._meta.make_meta`).
    """

    fields: np.ndarray
    gamma_minus: np.ndarray
    gamma_plus: np.ndarray
    gamma_z: np.ndarray
    coupling: SymmetricCoupling = field(repr=False)
    meta: dict = field(repr=False)

    def __init__(
        self,
        fields: Any,
        couplings: Any = None,
        gamma_minus: Any = 0.0,
        gamma_plus: Any = 0.0,
        gamma_z: Any = 0.0,
    ) -> None:
        h = _fields_array(fields)
        n = h.shape[0]
        coupling = make_coupling(n, couplings)
        self._set(h, coupling, gamma_minus, gamma_plus, gamma_z, source="SpinModel")

    def _set(
        self, h: np.ndarray, coupling: SymmetricCoupling, gm: Any, gp: Any, gz: Any, **meta: Any
    ) -> None:
        n = h.shape[0]
        object.__setattr__(self, "fields", _readonly(h))
        object.__setattr__(self, "gamma_minus", _readonly(as_rate_vector("gamma_minus", gm, n)))
        object.__setattr__(self, "gamma_plus", _readonly(as_rate_vector("gamma_plus", gp, n)))
        object.__setattr__(self, "gamma_z", _readonly(as_rate_vector("gamma_z", gz, n)))
        object.__setattr__(self, "coupling", coupling)
        object.__setattr__(
            self,
            "meta",
            make_meta(
                "SpinModel",
                n_spins=n,
                coupling_storage=coupling.kind,
                gamma_minus=self.gamma_minus,
                gamma_plus=self.gamma_plus,
                gamma_z=self.gamma_z,
                **meta,
            ),
        )

    # ------------------------------------------------------------------ alternative constructors
    @classmethod
    def _product(
        cls, h: np.ndarray, adjacency: Any, tensor: Any, rates: tuple[Any, Any, Any], **meta: Any
    ) -> SpinModel:
        """A model with :math:`J_{ij}^{ab} = A_{ij}M^{ab}`; ``rates`` = (gamma_minus, gamma_plus,
        gamma_z) in qbath's convention; ``meta["name"]`` names ``adjacency`` in errors."""
        coupling = product_coupling(h.shape[0], adjacency, tensor, name=meta.pop("name"))
        self = object.__new__(cls)
        self._set(h, coupling, *rates, **meta)
        return self

    @classmethod
    def from_graph(
        cls,
        fields: ArrayLike,
        adjacency: ArrayLike | sp.spmatrix,
        tensor: ArrayLike,
        gamma_minus: float | ArrayLike = 0.0,
        gamma_plus: float | ArrayLike = 0.0,
        gamma_z: float | ArrayLike = 0.0,
    ) -> SpinModel:
        r"""Couplings of product form :math:`J_{ij}^{ab} = A_{ij} M^{ab}`.

        With the model's :math:`H_{\rm int} = \sum_{i\neq j} J_{ij}^{ab}\sigma_i^a\sigma_j^b`
        both orderings of a bond appear: a symmetric :math:`A` and :math:`M` put
        :math:`2A_{ij}M^{ab}` on the bond :math:`i<j`. :func:`qbath.spins.chain`,
        :func:`~qbath.spins.ring`, :func:`~qbath.spins.lattice` and :func:`~qbath.spins.all_to_all`
        build :math:`A` (the graphs of the ``spins`` configuration kind, with the same meaning).

        Parameters
        ----------
        fields : (N, 3) array_like
        adjacency : (N, N) array_like or scipy.sparse matrix
            :math:`A_{ij}` (diagonal ignored). Dense ``A`` keeps N^2 storage (all-to-all models);
            sparse ``A`` gives a sparse model (lattices).
        tensor : (3, 3) array_like
            :math:`M^{ab}`, e.g. ``np.diag([Jx, Jy, Jz])`` for XYZ/XXZ couplings.
        gamma_minus, gamma_plus, gamma_z : float or (N,) array_like
        """
        rates = (gamma_minus, gamma_plus, gamma_z)
        h = _fields_array(fields)
        return cls._product(h, adjacency, tensor, rates, name="adjacency", source="from_graph")

    @classmethod
    def from_seed003(
        cls,
        h: ArrayLike,
        A: ArrayLike,
        gamma_plus: float | ArrayLike = 0.0,
        gamma_minus: float | ArrayLike = 0.0,
        gamma_z: float | ArrayLike = 0.0,
    ) -> SpinModel:
        r"""Seed 003's model exactly as written there (its Eqs. 1, 7-14).

        The seed writes :math:`H = \sum_i \vec h_i\cdot\vec\sigma_i + \sum_{jk\beta\varepsilon}
        A_{jk}\sigma_j^\beta\sigma_k^\varepsilon` and
        :math:`\dot\rho = -i[H,\rho] - \sum_{i,\eta}\gamma_\eta(\rho A^\dagger A + A^\dagger A\rho
        - 2A\rho A^\dagger)` with :math:`A\in\{\sigma^+,\sigma^-,\sigma^z\}` and *its*
        :math:`\sigma^\pm = \sigma_x \pm i\sigma_y` (twice qbath's). Hence, in qbath's terms:

        - :math:`J_{jk}^{ab} = A_{jk}` for every component pair (``tensor = ones((3, 3))``); the
          seed's diagonal terms :math:`j = k` add the constant :math:`3\sum_j A_{jj}` and are dropped;
        - the seed's dissipator equals :math:`\sum 2\gamma_\eta D[A]`, so the qbath rates are
          ``gamma_plus = 8 * gamma_plus_seed``, ``gamma_minus = 8 * gamma_minus_seed``,
          ``gamma_z = 2 * gamma_z_seed``.

        Parameters
        ----------
        h : (N, 3) array_like
            The seed's fields :math:`\vec h_i`.
        A : (N, N) array_like
            The seed's real coupling matrix.
        gamma_plus, gamma_minus, gamma_z : float or (N,) array_like
            The seed's rates :math:`\gamma_+, \gamma_-, \gamma_z` (note the seed's argument order).
        """
        hh = _fields_array(h)
        n = hh.shape[0]
        gp = as_rate_vector("gamma_plus", gamma_plus, n)
        gm = as_rate_vector("gamma_minus", gamma_minus, n)
        gz = as_rate_vector("gamma_z", gamma_z, n)
        return cls._product(
            hh,
            A,
            np.ones((3, 3)),
            (8.0 * gm, 8.0 * gp, 2.0 * gz),
            name="A",
            source="from_seed003",
            seed_gamma_plus=gp,
            seed_gamma_minus=gm,
            seed_gamma_z=gz,
            seed_mapping="sigma_pm(seed)=2 sigma_pm(qbath); rates 8 gamma_pm, 2 gamma_z; J_jk^ab = A_jk",
        )

    # ------------------------------------------------------------------ derived quantities
    @property
    def n_spins(self) -> int:
        return int(self.fields.shape[0])

    @property
    def decay_rates(self) -> np.ndarray:
        r"""(N, 3) linear decay rates :math:`\Gamma_i^a` of :math:`\langle\sigma_i^a\rangle`."""
        perp = 0.5 * (self.gamma_minus + self.gamma_plus) + 2.0 * self.gamma_z
        return np.stack([perp, perp, self.gamma_minus + self.gamma_plus], axis=1)

    @property
    def drive(self) -> np.ndarray:
        r"""(N, 3) constant term :math:`d_i = (0, 0, \gamma^+_i - \gamma^-_i)`."""
        out = np.zeros((self.n_spins, 3))
        out[:, 2] = self.gamma_plus - self.gamma_minus
        return out

    def effective_couplings(self) -> np.ndarray:
        r"""Dense (N, N, 3, 3) symmetric couplings :math:`K_{ij}^{ab} = J_{ij}^{ab} + J_{ji}^{ba}`
        (zero for ``i == j``), so that :math:`H_{\rm int} = \sum_{i<j} K_{ij}^{ab}\sigma_i^a\sigma_j^b`."""
        return self.coupling.spin_major()

    def hamiltonian(self) -> np.ndarray:
        """The dense (2^N, 2^N) Hamiltonian (N <= 14), first spin leftmost in the tensor product."""
        if self.n_spins > 14:
            raise InputError(
                f"model: expected N <= 14 spins for a dense Hamiltonian, got N = {self.n_spins}"
            )
        return hamiltonian_matrix(self)

    def __repr__(self) -> str:
        return (
            f"SpinModel(N={self.n_spins}, coupling_storage={self.coupling.kind!r}, "
            f"source={self.meta.get('source')!r})"
        )
