r"""Collision-model objects: the structured ancilla (seed 001, Eqs. 3-5) and the collision model.

A collision couples the system S (dimension :math:`d_S`) to a fresh ancilla E (dimension
:math:`d_E`) for a time :math:`\delta t` under

.. math:: H = H_S\otimes 1 + 1\otimes H_E + H_{SE},\qquad H_{SE} = \sum_\alpha A_\alpha\otimes B_\alpha

(Eq. 10, with :math:`\alpha` running over the pairs :math:`(k, j)` of the paper). The joint space
is ordered system first, then the ancilla's subsystems (``docs/conventions.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from .._checks import (
    as_density_matrix,
    as_hermitian,
    as_numeric_array,
    as_operator,
    as_real_array,
    check_beta,
    check_dims,
    check_dt,
    check_hermitian,
    check_int,
    check_real_scalar,
)
from .._errors import InputError, QbathWarning
from .._operators import CompositeSpace, Subsystem, sigmaz
from .._states import thermal_state

__all__ = ["StructuredAncilla", "CollisionModel", "operator_schmidt"]


@dataclass(frozen=True, eq=False)
class StructuredAncilla:
    r"""An ancilla made of :math:`K` interacting subsystems (seed 001, Eqs. 3-5).

    .. math::
        H_E = \sum_k \omega_k h_k + \sum_{j<k} \left(\kappa_{jk} D_j D_k^\dagger + \mathrm{h.c.}\right)

    with :math:`h_k = \sigma^z_k/2` for qubits (as in Eq. 28), :math:`a_k^\dagger a_k` for bosonic
    modes and :math:`c_k^\dagger c_k` for fermionic modes (Jordan--Wigner), and the "raising"
    operators :math:`D_k = \sigma_k^+,\ a_k^\dagger,\ c_k^\dagger`. For two qubits this is exactly
    Eq. 28: :math:`\kappa_{12}(\sigma_1^+\sigma_2^- + \sigma_1^-\sigma_2^+)`.

    Each unordered pair is counted once: Eq. 5's sum over ordered pairs :math:`j\neq k` plus h.c.
    would count it twice; Eq. 28 (one :math:`\kappa_{12}`) fixes the normalisation used here.

    Attributes
    ----------
    space : CompositeSpace
        The ancilla's subsystems (names ``"E1"``, ``"E2"``, ... unless given).
    frequencies : (K,) ndarray
        :math:`\omega_k`.
    kappa : (K, K) ndarray
        Couplings; only the strict upper triangle :math:`j<k` is used. A non-zero lower triangle
        must mirror it (:math:`\kappa_{kj} = \kappa_{jk}^*`).
    """

    space: CompositeSpace
    frequencies: np.ndarray
    kappa: np.ndarray

    def __post_init__(self) -> None:
        K = len(self.space.subsystems)
        w = as_real_array("frequencies", self.frequencies).reshape(-1)
        if w.shape != (K,):
            raise InputError(
                f"frequencies: expected {K} finite real values, got {self.frequencies!r}"
            )
        kap = as_numeric_array("kappa", self.kappa, "a coupling matrix", allow_complex=True).astype(
            complex
        )
        if kap.shape == () and K == 2:
            kap = np.array([[0, kap], [0, 0]], dtype=complex)
        if kap.shape != (K, K) or not np.all(np.isfinite(kap)):
            raise InputError(f"kappa: expected a finite ({K}, {K}) matrix, got shape {kap.shape}")
        low = np.tril(kap, -1)
        if np.any(low != 0) and not np.allclose(low, np.triu(kap, 1).conj().T):
            raise InputError(
                "kappa: expected an upper-triangular matrix (kappa[j, k] for j < k) or a Hermitian "
                "one, got a lower triangle that does not mirror the upper one"
            )
        object.__setattr__(self, "frequencies", w)
        object.__setattr__(self, "kappa", np.triu(kap, 1))

    @classmethod
    def qubits(
        cls, frequencies: Sequence[float], kappa: Any, names: Sequence[str] | None = None
    ) -> StructuredAncilla:
        """``K`` interacting qubits (``kappa`` a (K, K) matrix, or a scalar for K = 2)."""
        names = names or [f"E{k + 1}" for k in range(len(frequencies))]
        return cls(CompositeSpace.qubits(*names), np.asarray(frequencies), np.asarray(kappa))

    @classmethod
    def bosons(
        cls,
        frequencies: Sequence[float],
        kappa: Any,
        cutoff: int,
        names: Sequence[str] | None = None,
    ) -> StructuredAncilla:
        """``K`` coupled bosonic modes truncated to ``cutoff`` Fock states each."""
        names = names or [f"E{k + 1}" for k in range(len(frequencies))]
        cutoff = check_int("cutoff", cutoff, minimum=1)
        space = CompositeSpace(tuple(Subsystem(n, cutoff, "boson") for n in names))
        return cls(space, np.asarray(frequencies), np.asarray(kappa))

    @classmethod
    def fermions(
        cls, frequencies: Sequence[float], kappa: Any, names: Sequence[str] | None = None
    ) -> StructuredAncilla:
        """``K`` fermionic modes (Jordan--Wigner; occupied = index 0)."""
        names = names or [f"E{k + 1}" for k in range(len(frequencies))]
        space = CompositeSpace(tuple(Subsystem(n, 2, "fermion") for n in names))
        return cls(space, np.asarray(frequencies), np.asarray(kappa))

    @property
    def dims(self) -> tuple[int, ...]:
        return self.space.dims

    def lowering(self, k: int | str) -> np.ndarray:
        r"""Lowering operator of subsystem ``k`` (:math:`\sigma^-`, :math:`a` or :math:`c`), shape (d_E, d_E)."""
        i = self.space.index(k)
        kind = self.space.subsystems[i].kind
        if kind == "qubit":
            return self.space.sigma("-", i)
        if kind == "fermion":
            return self.space.fermion_destroy(i)
        return self.space.destroy(i)

    def raising(self, k: int | str) -> np.ndarray:
        """Hermitian conjugate of :meth:`lowering`."""
        return self.lowering(k).conj().T

    def number_like(self, k: int) -> np.ndarray:
        r""":math:`h_k`: :math:`\sigma^z_k/2` for qubits, :math:`a^\dagger a` or :math:`c^\dagger c` otherwise."""
        i = self.space.index(k)
        if self.space.subsystems[i].kind == "qubit":
            return self.space.op(sigmaz() / 2, i)
        lo = self.lowering(i)
        return lo.conj().T @ lo

    @property
    def hamiltonian(self) -> np.ndarray:
        """:math:`H_E` of shape (d_E, d_E) (Eqs. 3-5)."""
        K = len(self.space.subsystems)
        H = sum(self.frequencies[k] * self.number_like(k) for k in range(K))
        for j in range(K):
            for k in range(j + 1, K):
                if self.kappa[j, k] != 0:
                    t = self.kappa[j, k] * self.raising(j) @ self.lowering(k)
                    H = H + t + t.conj().T
        return np.asarray(H, dtype=complex)


def operator_schmidt(
    op: np.ndarray, d_a: int, d_b: int, tol: float = 1e-13
) -> list[tuple[np.ndarray, np.ndarray]]:
    r"""Operator-Schmidt decomposition :math:`O = \sum_k A_k\otimes B_k` of a (d_a d_b)-square matrix.

    Reshapes ``op`` to the (d_a^2, d_b^2) realignment matrix and takes its SVD; terms with singular
    value below ``tol * max`` are dropped. Returns a list of (A_k (d_a, d_a), B_k (d_b, d_b)).
    """
    d_a = check_int("d_a", d_a, minimum=1)
    d_b = check_int("d_b", d_b, minimum=1)
    op = as_operator("op", op, d_a * d_b)
    tol = check_real_scalar("tol", tol, minimum=0.0)
    t = op.reshape(d_a, d_b, d_a, d_b).transpose(0, 2, 1, 3).reshape(d_a * d_a, d_b * d_b)
    u, s, vh = np.linalg.svd(t, full_matrices=False)
    keep = s > tol * max(s[0], 1e-300) if s.size else np.zeros(0, bool)
    return [
        (np.sqrt(s[k]) * u[:, k].reshape(d_a, d_a), np.sqrt(s[k]) * vh[k].reshape(d_b, d_b))
        for k in np.flatnonzero(keep)
    ]


@dataclass(frozen=True, eq=False)
class CollisionModel:
    r"""A collision model: system, structured ancilla, interaction, ancilla state and collision time.

    Parameters
    ----------
    h_s : (d_S, d_S) array_like
        System Hamiltonian :math:`H_S` (Hermitian).
    h_e : (d_E, d_E) array_like or StructuredAncilla
        Ancilla Hamiltonian :math:`H_E` (Hermitian), or a :class:`StructuredAncilla` (then
        ``ancilla_dims`` come from it).
    h_se : (d_S d_E, d_S d_E) array_like, or list of (A_S, B_E) pairs
        Interaction :math:`H_{SE}=\sum_\alpha A_\alpha\otimes B_\alpha` (Eq. 10). As a matrix it is
        split into pairs by an operator-Schmidt decomposition; as pairs, their sum must be
        Hermitian (each pair need not be).
    dt : float
        Collision time :math:`\delta t > 0`.
    eta : (d_E, d_E) array_like, optional
        Ancilla state :math:`\eta` (any density matrix: thermal, coherent, ...). Default: the Gibbs
        state of :math:`H_E` at ``beta``.
    beta : float, optional
        Inverse temperature of the ancillae. Needed when ``eta`` is omitted; when both are given,
        ``eta`` is used and ``beta`` only enters the Clausius form of the entropy production
        :math:`\Sigma = \Delta S_S - \beta\,\delta Q` (Eq. 72), which is exact only for a thermal
        ``eta`` (a warning is issued otherwise).
    system_dims, ancilla_dims : tuple of int, optional
        Subsystem dimensions (default: one factor each).
    name : str
        Free-form label; presets store their parameters in ``params``.
    """

    h_s: np.ndarray
    h_e: np.ndarray
    h_se: np.ndarray
    dt: float
    eta: np.ndarray | None = None
    beta: float | None = None
    system_dims: tuple[int, ...] | None = None
    ancilla_dims: tuple[int, ...] | None = None
    terms: tuple[tuple[np.ndarray, np.ndarray], ...] = field(default=(), repr=False)
    name: str = "collision model"
    params: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        put = object.__setattr__
        h_s = as_hermitian("h_s", self.h_s)
        d_s = h_s.shape[0]
        h_e_in = self.h_e
        ancilla_dims = self.ancilla_dims
        if isinstance(h_e_in, StructuredAncilla):
            ancilla_dims = ancilla_dims or h_e_in.dims
            h_e_in = h_e_in.hamiltonian
        h_e = as_hermitian("h_e", h_e_in)
        d_e = h_e.shape[0]
        sys_dims = check_dims("system_dims", self.system_dims or (d_s,))
        anc_dims = check_dims("ancilla_dims", ancilla_dims or (d_e,))
        if int(np.prod(sys_dims)) != d_s:
            raise InputError(
                f"system_dims: expected dimensions whose product is {d_s} (h_s), got {sys_dims}"
            )
        if int(np.prod(anc_dims)) != d_e:
            raise InputError(
                f"ancilla_dims: expected dimensions whose product is {d_e} (h_e), got {anc_dims}"
            )
        D = d_s * d_e
        # interaction: a matrix or a list of (A_S, B_E) pairs
        if (
            isinstance(self.h_se, (list, tuple))
            and len(self.h_se) > 0
            and isinstance(self.h_se[0], (list, tuple))
        ):
            pairs = []
            for i, pr in enumerate(self.h_se):
                if len(pr) != 2:
                    raise InputError(f"h_se[{i}]: expected a pair (A_S, B_E), got {len(pr)} items")
                pairs.append(
                    (
                        as_operator(f"h_se[{i}][0] (A_S)", pr[0], d_s),
                        as_operator(f"h_se[{i}][1] (B_E)", pr[1], d_e),
                    )
                )
            h_se = sum(np.kron(a, b) for a, b in pairs)
            h_se = check_hermitian("h_se (sum of the pairs A_S (x) B_E)", h_se)
        else:
            h_se = as_hermitian("h_se", self.h_se, D)
            pairs = operator_schmidt(h_se, d_s, d_e)
        dt = check_dt("dt", self.dt)
        beta = None if self.beta is None else check_beta("beta", self.beta)
        if self.eta is None:
            if beta is None:
                raise InputError(
                    "eta: expected an ancilla density matrix or a beta for a thermal ancilla, got neither"
                )
            eta = thermal_state(h_e, beta)
        else:
            eta = as_density_matrix("eta", self.eta, d_e)
            if beta is not None and not np.allclose(eta, thermal_state(h_e, beta), atol=1e-8):
                import warnings

                warnings.warn(
                    "beta was given together with a non-thermal eta: the Clausius form "
                    "Sigma = dS - beta dQ (Eq. 72) does not equal I + D for this ancilla state",
                    QbathWarning,
                    stacklevel=3,
                )
        put(self, "h_s", h_s)
        put(self, "h_e", h_e)
        put(self, "h_se", h_se)
        put(self, "terms", tuple(pairs))
        put(self, "dt", dt)
        put(self, "eta", eta)
        put(self, "beta", beta)
        put(self, "system_dims", sys_dims)
        put(self, "ancilla_dims", anc_dims)
        put(self, "params", dict(self.params))

    # ------------------------------------------------------------------------------------------
    @property
    def d_s(self) -> int:
        return self.h_s.shape[0]

    @property
    def d_e(self) -> int:
        return self.h_e.shape[0]

    @property
    def is_thermal(self) -> bool:
        """True when ``eta`` is the Gibbs state of ``h_e`` at ``beta``."""
        return self.beta is not None and bool(
            np.allclose(self.eta, thermal_state(self.h_e, self.beta), atol=1e-8)
        )

    def total_hamiltonian(self, h_s: np.ndarray | None = None) -> np.ndarray:
        r""":math:`H_S\otimes 1 + 1\otimes H_E + H_{SE}`, shape (d_S d_E, d_S d_E)."""
        hs = self.h_s if h_s is None else h_s
        return np.kron(hs, np.eye(self.d_e)) + np.kron(np.eye(self.d_s), self.h_e) + self.h_se

    def replace(self, **changes: Any) -> CollisionModel:
        """A copy with some fields changed (e.g. ``model.replace(dt=0.05)``)."""
        kw = dict(
            h_s=self.h_s,
            h_e=self.h_e,
            h_se=list(self.terms) if self.terms else self.h_se,
            dt=self.dt,
            eta=self.eta,
            beta=self.beta,
            system_dims=self.system_dims,
            ancilla_dims=self.ancilla_dims,
            name=self.name,
            params=self.params,
        )
        if "h_e" in changes or "beta" in changes:
            kw["eta"] = None  # re-derive the thermal state unless given explicitly
        kw.update(changes)
        return CollisionModel(**kw)

    def describe(self) -> dict[str, Any]:
        """Parameters for provenance (``.meta`` of results)."""
        return {
            "model": self.name,
            "d_s": self.d_s,
            "d_e": self.d_e,
            "system_dims": list(self.system_dims),
            "ancilla_dims": list(self.ancilla_dims),
            "dt": self.dt,
            "beta": self.beta,
            **self.params,
        }


Method = Literal["exact", "second_order"]
