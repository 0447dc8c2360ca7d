r"""Full counting statistics of weighted quantum jumps: the tilted generator, exact cumulants by
perturbation theory, the scaled cumulant generating function, the large-deviation rate function,
the Gallavotti--Cohen symmetry and the thermodynamic uncertainty relation.

Counting the jumps :math:`L_k` with weights :math:`\nu_k` (:math:`N = \sum_k\nu_k n_k`), the
moment generating function obeys :math:`\dot\rho_s = \mathcal L(s)\rho_s` with the tilted generator

.. math::

    \mathcal L(s) = \mathcal L + \sum_k (e^{s\nu_k} - 1)\,\mathcal J_k,\qquad
    \mathcal J_k\rho = L_k\rho L_k^\dagger,

and the scaled cumulant generating function :math:`\theta(s) = \lim_{t\to\infty} t^{-1}\ln
\langle e^{sN}\rangle` is the eigenvalue of :math:`\mathcal L(s)` with the largest real part
(Esposito, Harbola and Mukamel, *Nonequilibrium fluctuations, fluctuation theorems, and counting
statistics in quantum systems*, Rev. Mod. Phys. 81, 1665, 2009). The cumulants per unit time
:math:`c_n = \theta^{(n)}(0)` follow from Rayleigh--Schrödinger perturbation theory of that
eigenvalue (Flindt, Novotný and Jauho, *Current noise spectrum of a quantum shuttle*, 2004;
Flindt et al., *Counting statistics of non-Markovian quantum stochastic processes*, 2008): with
:math:`\mathcal L(s) = \sum_j s^j\mathcal M_j`, :math:`\mathcal M_j = \sum_k\nu_k^j\mathcal J_k/j!`
(:math:`j\ge1`), the stationary state :math:`\rho_0`, the trace :math:`\langle 1|` and the Drazin
pseudo-inverse :math:`\mathcal R` of :math:`\mathcal L`,

.. math::

    \theta_m = \sum_{j=1}^m\langle 1|\mathcal M_j\rho_{m-j}\rangle,\qquad
    \rho_m = \mathcal R\sum_{j=1}^m(\theta_j - \mathcal M_j)\rho_{m-j},\qquad c_m = m!\,\theta_m.

:math:`\mathcal R y` (for :math:`\langle 1|y\rangle = 0`) is the solution of
:math:`\mathcal L x = y` with :math:`\langle 1|x\rangle = 0`, from one sparse LU factorisation of the
bordered matrix :math:`\begin{pmatrix}\mathcal L & \rho_0\\ \langle 1| & 0\end{pmatrix}`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy import optimize

from .._checks import as_real_array, check_int, check_real_scalar, describe
from .._errors import InputError
from ..generators import GKSL, LindbladForm, as_lindblad, liouvillian
from ..solve import steady_state

__all__ = [
    "cumulants",
    "scgf",
    "rate_function",
    "gallavotti_cohen",
    "tur",
    "energy_counting",
    "GallavottiCohen",
    "TUR",
]

#: largest d^2 for which the leading eigenvalue is taken from a dense eigen-decomposition
DENSE_EIG = 1600


@dataclass(frozen=True, eq=False)
class _Tilted:
    L0: sp.csr_matrix  # working-basis Liouvillian, column stacking
    jumps: list[tuple[sp.csr_matrix, float]]  # (J_k superoperator, weight)
    dim: int
    form: LindbladForm
    source: Any


def _tilted(model: Any, counted: Any) -> _Tilted:
    if isinstance(model, (tuple, list)) and len(model) == 2 and isinstance(model[1], Mapping):
        raise InputError(
            "model: expected (H, c_ops) with c_ops a list (counted indexes it), got a dict of baths"
        )
    if not (isinstance(model, (LindbladForm, tuple, list)) or hasattr(model, "_lindblad_form")):
        raise InputError(
            "model: expected a GKSL generator or a pair (H, c_ops), got " + describe(model)
        )
    form = as_lindblad(model)
    d = form.dim
    if not isinstance(counted, Mapping) or not counted:
        raise InputError(
            "counted: expected a non-empty dict {jump index: weight}, got " + describe(counted)
        )
    K = form.jumps.count
    jumps = []
    for k, w in counted.items():
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k < K:
            raise InputError(f"counted: expected jump indices in [0, {K}), got key {k!r}")
        w = check_real_scalar(f"counted[{k}]", w)
        L = form.jumps.operator(int(k))
        jumps.append((sp.kron(L.conj(), L).tocsr(), w))
    plain = LindbladForm(form.hamiltonian, form.jumps, None, None, form.extra_rowmajor)
    L0 = liouvillian(plain, sparse=True).tocsr()
    return _Tilted(L0, jumps, d, form, model)


def _steady_working(t: _Tilted) -> np.ndarray:
    rho = steady_state(t.source)
    return t.form.to_working(rho).ravel(order="F")


def cumulants(model: Any, counted: Mapping[int, float], order: int = 3) -> np.ndarray:
    r"""Cumulants per unit time of the weighted jump count :math:`N = \sum_k\nu_k n_k`, exactly.

    Parameters
    ----------
    model : (H, c_ops), GKSL or BathGenerator of GKSL form
        The jump index refers to the collapse operators of ``(H, c_ops)`` (for a ``GKSL``: the
        channels with non-zero rate, in the order of ``gen.c_ops()``; see
        :func:`energy_counting`).
    counted : dict {int: float}
        Weight :math:`\nu_k` of each counted jump (e.g. ``{0: +1, 1: -1}``: jumps of 0 add one,
        jumps of 1 remove one).
    order : int
        Highest cumulant, >= 1.

    Returns
    -------
    (order,) ndarray
        :math:`c_1` (mean current), :math:`c_2` (noise), :math:`c_3`, ... per unit time,
        :math:`c_n = \lim_{t\to\infty}\langle\langle N^n\rangle\rangle/t`.
    """
    order = check_int("order", order, minimum=1)
    t = _tilted(model, counted)
    n = t.dim * t.dim
    rho0 = _steady_working(t)
    one = np.eye(t.dim).ravel(order="F")  # <1|x> = Tr x
    border = sp.bmat(
        [[t.L0, sp.csr_matrix(rho0[:, None])], [sp.csr_matrix(one[None, :]), None]], format="csc"
    )
    lu = spla.splu(border)

    def drazin(y: np.ndarray) -> np.ndarray:
        x = lu.solve(np.concatenate([y, [0.0]]).astype(complex))
        return x[:n]

    M = []
    for j in range(1, order + 1):
        Mj = sum((w**j / math.factorial(j)) * J for J, w in t.jumps)
        M.append(sp.csr_matrix(Mj))
    rhos = [rho0]
    theta = []
    for m in range(1, order + 1):
        th = sum(one @ (M[j - 1] @ rhos[m - j]) for j in range(1, m + 1))
        theta.append(th)
        if m == order:
            break
        y = sum((theta[j - 1] * rhos[m - j] - M[j - 1] @ rhos[m - j]) for j in range(1, m + 1))
        rhos.append(drazin(y))
    c = np.array([math.factorial(m) * theta[m - 1] for m in range(1, order + 1)])
    return c.real


def _leading(A: sp.csr_matrix) -> complex:
    n = A.shape[0]
    if n <= DENSE_EIG:
        ev = np.linalg.eigvals(A.toarray())
        return complex(ev[np.argmax(ev.real)])
    ev = spla.eigs(A.tocsc(), k=1, which="LR", return_eigenvectors=False)
    return complex(ev[0])


def scgf(model: Any, counted: Mapping[int, float], s: Any) -> Any:
    r"""Scaled cumulant generating function :math:`\theta(s)`: the eigenvalue of the tilted
    generator :math:`\mathcal L(s)` with the largest real part (real for real s).

    Parameters
    ----------
    s : float or (S,) array_like
        Counting fields.
    """
    t = _tilted(model, counted)
    ss = as_real_array("s", s, max_ndim=1)
    out = []
    for x in np.atleast_1d(ss):
        A = t.L0 + sum((np.expm1(x * w)) * J for J, w in t.jumps)
        out.append(_leading(sp.csr_matrix(A)).real)
    out = np.asarray(out)
    return float(out[0]) if np.ndim(ss) == 0 else out


def rate_function(
    model: Any,
    counted: Mapping[int, float],
    j: Any,
    *,
    s_bounds: tuple[float, float] = (-10.0, 10.0),
) -> Any:
    r"""Large-deviation rate function :math:`I(j) = \sup_s[sj - \theta(s)]` of the current
    :math:`N/t` (Gärtner--Ellis; Touchette, *The large deviation approach to statistical
    mechanics*, 2009), maximised over ``s_bounds``.

    Parameters
    ----------
    j : float or (J,) array_like
        Currents.

    Returns
    -------
    float or (J,) ndarray
        >= 0, zero at the mean current.
    """
    t = _tilted(model, counted)
    jj = as_real_array("j", j, max_ndim=1)
    lo, hi = (check_real_scalar("s_bounds", x) for x in s_bounds)

    def theta(x: float) -> float:
        A = t.L0 + sum((np.expm1(x * w)) * J for J, w in t.jumps)
        return _leading(sp.csr_matrix(A)).real

    out = []
    for v in np.atleast_1d(jj):
        r = optimize.minimize_scalar(
            lambda x, v=v: theta(x) - x * v,
            bounds=(lo, hi),
            method="bounded",
            options={"xatol": 1e-10},
        )
        out.append(-float(r.fun))
    out = np.maximum(np.asarray(out), 0.0)
    return float(out[0]) if np.ndim(jj) == 0 else out


@dataclass(frozen=True)
class GallavottiCohen:
    r"""Check of :math:`\theta(s) = \theta(-s - A)`.

    Attributes
    ----------
    affinity : float
        :math:`A` (given, or :math:`-2s^*` with :math:`\theta'(s^*) = 0`).
    residual : float
        :math:`\max_s|\theta(s) - \theta(-s-A)|` over the grid.
    holds : bool
        ``residual <= tol * max|theta|``.
    """

    affinity: float
    residual: float
    holds: bool


def gallavotti_cohen(
    model: Any,
    counted: Mapping[int, float],
    *,
    affinity: float | None = None,
    s: Any = None,
    tol: float = 1e-8,
) -> GallavottiCohen:
    r"""Test the Gallavotti--Cohen symmetry :math:`\theta(s) = \theta(-s-A)` of the counted current
    (Lebowitz and Spohn, *A Gallavotti--Cohen-type symmetry in the large deviation functional for
    stochastic dynamics*, 1999; Esposito et al. 2009).

    Parameters
    ----------
    affinity : float, optional
        The thermodynamic affinity A conjugate to the count (e.g. :math:`\beta_c - \beta_h` for the
        energy given to a cold bath); found as :math:`-2s^*`, :math:`s^*` the minimum of
        :math:`\theta`, when omitted.
    s : (S,) array_like, optional
        Grid on which the symmetry is checked (default 21 points in [-2, 2] around :math:`-A/2`).
    """
    t = _tilted(model, counted)
    del t

    def th(x: float) -> float:
        return float(scgf(model, counted, x))

    if affinity is None:
        r = optimize.minimize_scalar(
            th, bounds=(-20.0, 20.0), method="bounded", options={"xatol": 1e-12}
        )
        A = -2.0 * float(r.x)
    else:
        A = check_real_scalar("affinity", affinity)
    grid = -A / 2 + np.linspace(-2, 2, 21) if s is None else as_real_array("s", s, max_ndim=1)
    a = scgf(model, counted, grid)
    b = scgf(model, counted, -grid - A)
    res = float(np.max(np.abs(a - b)))
    scale = max(1e-300, float(np.max(np.abs(a))))
    return GallavottiCohen(A, res, res <= max(tol, 1e-6 if affinity is None else tol) * scale)


@dataclass(frozen=True)
class TUR:
    r"""Thermodynamic uncertainty relation :math:`Q = \sigma\,c_2/c_1^2 \ge 2`.

    Attributes
    ----------
    ratio : float
        :math:`Q`.
    holds : bool
    mean, noise, entropy_production : float
    """

    ratio: float
    holds: bool
    mean: float
    noise: float
    entropy_production: float


def tur(model: Any, counted: Mapping[int, float], entropy_production: float) -> TUR:
    r"""The thermodynamic uncertainty relation :math:`\sigma\,\mathrm{Var}/\langle J\rangle^2 \ge 2`
    (Barato and Seifert, *Thermodynamic uncertainty relation for biomolecular processes*, 2015;
    Gingrich et al., 2016), with :math:`\mathrm{Var} = c_2`, :math:`\langle J\rangle = c_1` (k_B = 1).

    Parameters
    ----------
    entropy_production : float
        Steady-state entropy production rate :math:`\sigma` (e.g. from
        :func:`qbath.thermo.entropy_production_rate`).

    Notes
    -----
    Classical Markov jump processes obey it; quantum coherent transport can violate it (Ptaszyński,
    *Coherence-enhanced constancy of a quantum thermoelectric generator*, 2018), so ``holds`` is a
    finding, not an assertion.
    """
    sigma = check_real_scalar("entropy_production", entropy_production, minimum=0.0)
    c = cumulants(model, counted, order=2)
    Q = sigma * c[1] / c[0] ** 2 if c[0] != 0 else np.inf
    return TUR(float(Q), bool(Q >= 2 - 1e-9), float(c[0]), float(c[1]), sigma)


def energy_counting(gen: GKSL, bath: int) -> dict[int, float]:
    r"""Weights that count the energy a Davies generator's bath ``bath`` receives.

    Each channel :math:`A(\omega)` of that bath hands :math:`\omega` to the bath (:math:`\omega>0`:
    emission). The keys index the channels with non-zero rate, the jump operators of
    ``as_lindblad(gen)`` (and of ``gen.c_ops()``).

    Returns
    -------
    dict {int: float}
        For :func:`cumulants`: ``cumulants(gen, energy_counting(gen, k))`` are the cumulants of the
        energy flowing into bath k (:math:`c_1 = -J_k`).
    """
    if not isinstance(gen, GKSL):
        raise InputError(f"gen: expected a GKSL generator (qbath.davies), got {describe(gen)}")
    bath = check_int("bath", bath)
    if bath >= gen.n_baths:
        raise InputError(f"bath: expected an index < {gen.n_baths}, got {bath}")
    keep = np.flatnonzero(gen.rates > 0)
    cb = gen.channel_coupling if gen.channel_bath is None else gen.channel_bath
    return {i: float(gen.frequencies[k]) for i, k in enumerate(keep) if cb[k] == bath}
