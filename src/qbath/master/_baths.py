r"""Bosonic baths: spectral densities, rates :math:`\gamma(\omega)` and Lamb shifts :math:`S(\omega)`.

Normalisation (seed 004, Eq. 30): :math:`J(\Omega) = 2\pi\sum_k g_k^2\,\delta(\Omega-\Omega_k)` for a
coupling :math:`A\otimes\sum_k g_k(b_k + b_k^\dagger)`. Then (seed Eq. 28)

.. math::

    \gamma(\omega) = \begin{cases} J(\omega)\,[1 + n(\omega)] & \omega > 0 \\
                                   J(|\omega|)\, n(|\omega|) & \omega < 0 \end{cases},
    \qquad n(\Omega) = \frac{1}{e^{\Omega/T} - 1},

with :math:`\omega > 0` the energy given to the bath (emission). With the odd extension
:math:`J(-\Omega) = -J(\Omega)` both cases are :math:`\gamma(\omega) = J(\omega)/(1 - e^{-\omega/T})`,
which also gives the limit :math:`\gamma(0) = T\,J'(0)` (ohmic: :math:`2\pi\alpha T`). This
:math:`\gamma` is what QuTiP calls the *power spectrum* (QuTiP's spectral densities are half of
these :math:`J`).

The Lamb-shift function is seed Eq. 29 *with the factor* :math:`1/2\pi` *that the seed omits*
(``docs/errata.md``):

.. math::

    S(\omega) = \frac{1}{2\pi}\,\mathcal P\!\!\int_0^\infty d\Omega\, J(\Omega)
        \left[\frac{n(\Omega)}{\omega + \Omega} + \frac{1 + n(\Omega)}{\omega - \Omega}\right]
      = \frac{1}{2\pi}\,\mathcal P\!\!\int_{-\infty}^{\infty} d\Omega\,
        \frac{\gamma(\Omega)}{\omega - \Omega}.

It is evaluated without a principal-value rule, by folding the integrand about the pole:

.. math::

    2\pi S(\omega) = \int_0^\infty \frac{\gamma(\omega - u) - \gamma(\omega + u)}{u}\,du,

whose integrand is finite at :math:`u = 0` (it tends to :math:`-2\gamma'(\omega)`). QUADPACK
integrates it on :math:`[0, |\omega|]` (the kink of :math:`\gamma` at :math:`\Omega = 0` sits at
:math:`u = |\omega|`), on a finite stretch of a few cut-offs and on the tail to infinity, with
``epsrel = 1e-12``. Tests compare it with the closed form at :math:`T = 0` (exponential integrals)
and with an independent Cauchy-weight quadrature, to 1e-9 relative.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field, fields
from typing import Any

import numpy as np
from scipy import integrate

from .._checks import as_real_array, check_beta, check_bool, check_real_scalar, check_temperature
from .._errors import InputError

__all__ = ["Bath", "OhmicBath", "PowerLawBath", "DrudeLorentzBath", "CustomBath"]

_QUAD = {"epsrel": 1e-12, "limit": 400}


def _omega_array(name: str, omega: Any) -> np.ndarray:
    return as_real_array(name, omega)


def _scalar_or_array(x: np.ndarray, like: Any) -> Any:
    return float(x) if np.ndim(like) == 0 else x


class Bath:
    r"""Base class of the bosonic baths.

    Subclasses define the spectral density on :math:`\Omega \ge 0` (``_J_scalar``,
    ``_J_array``), its slope at zero ``_zero_slope`` (:math:`\lim J(\Omega)/\Omega`, may be
    ``inf``), a frequency ``scale`` used to split the integration range, and a ``temperature``.
    """

    temperature: float
    scale: float

    # -- to be provided by subclasses --------------------------------------------------------
    def _J_scalar(self, x: float) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def _J_array(self, x: np.ndarray) -> np.ndarray:
        return np.array([self._J_scalar(float(v)) for v in np.ravel(x)]).reshape(np.shape(x))

    def _zero_slope(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- public ------------------------------------------------------------------------------
    def spectral_density(self, omega: Any) -> Any:
        r""":math:`J(\omega)` for :math:`\omega \ge 0` (0 for :math:`\omega \le 0`).

        Parameters
        ----------
        omega : float or array_like of any shape
        """
        w = _omega_array("omega", omega)
        out = np.zeros_like(w)
        pos = w > 0
        out[pos] = self._J_array(w[pos])
        return _scalar_or_array(out, omega)

    def occupation(self, omega: Any) -> Any:
        r"""Bose occupation :math:`n(\omega) = 1/(e^{\omega/T} - 1)` for :math:`\omega > 0`.

        ``inf`` at :math:`\omega = 0` for :math:`T > 0`; 0 for every :math:`\omega > 0` at
        :math:`T = 0`. Negative frequencies raise :class:`InputError`.
        """
        w = _omega_array("omega", omega)
        if np.any(w < 0):
            raise InputError(f"omega: expected frequencies >= 0, got min {float(w.min())}")
        T = self.temperature
        with np.errstate(divide="ignore", over="ignore"):
            out = np.zeros_like(w) if T == 0 else 1.0 / np.expm1(w / T)
        if T == 0:
            out[w == 0] = np.inf
        return _scalar_or_array(out, omega)

    def rate(self, omega: Any) -> Any:
        r"""Rate :math:`\gamma(\omega)` (seed Eq. 28) for any real :math:`\omega`.

        :math:`\omega > 0`: emission into the bath, :math:`J(\omega)(1 + n(\omega))`;
        :math:`\omega < 0`: absorption, :math:`J(|\omega|)\,n(|\omega|)`;
        :math:`\omega = 0`: the limit :math:`T J'(0)`. Detailed balance
        :math:`\gamma(-\omega) = e^{-\omega/T}\gamma(\omega)` holds by construction.

        Parameters
        ----------
        omega : float or array_like of any shape

        Returns
        -------
        float or ndarray of the shape of ``omega``
        """
        w = _omega_array("omega", omega)
        T = self.temperature
        out = np.zeros_like(w)
        pos, neg = w > 0, w < 0
        Jabs = np.zeros_like(w)
        nz = pos | neg
        Jabs[nz] = self._J_array(np.abs(w[nz]))
        if T == 0:
            out[pos] = Jabs[pos]
        else:
            with np.errstate(over="ignore"):
                out[pos] = Jabs[pos] / -np.expm1(-w[pos] / T)
                out[neg] = Jabs[neg] / np.expm1(-w[neg] / T)
            out[w == 0] = T * self._zero_slope()
        return _scalar_or_array(out, omega)

    def _rate_scalar(self, w: float) -> float:
        T = self.temperature
        if w > 0:
            J = self._J_scalar(w)
            return J if T == 0 else J / -math.expm1(-w / T)
        if w < 0:
            if T == 0:
                return 0.0
            x = -w / T
            return 0.0 if x > 700 else self._J_scalar(-w) / math.expm1(x)
        return 0.0 if T == 0 else T * self._zero_slope()

    def lamb_shift(self, omega: Any) -> Any:
        r"""Lamb-shift function :math:`S(\omega)` (seed Eq. 29 corrected by :math:`1/2\pi`).

        Accurate to about 1e-10 relative to :math:`\max(|S(\omega)|, |S(0)|)`; see the module
        docstring for the method. Each distinct frequency costs one adaptive quadrature.

        Parameters
        ----------
        omega : float or array_like of any shape
        """
        w = _omega_array("omega", omega)
        uniq, inv = np.unique(w.ravel(), return_inverse=True)
        vals = np.array([self._lamb_shift_scalar(float(x)) for x in uniq])
        out = vals[inv].reshape(w.shape)
        return _scalar_or_array(out, omega)

    def _lamb_shift_scalar(self, w: float) -> float:
        g = self._rate_scalar

        def f(u: float) -> float:
            return (g(w - u) - g(w + u)) / u

        a = abs(w)
        s = self.scale
        T = self.temperature
        # absolute tolerance from the size of the result (|S(0)| ~ int J/u)
        eps = 1e-13 * max(self._size_hint(), 1e-300)
        total = 0.0
        if a > 0:
            total += integrate.quad(f, 0.0, a, epsabs=eps, **_QUAD)[0]
        b = a + 60.0 * max(s, T)
        pts = [p for p in (a + s, a + 5 * s, a + T, a + 5 * T) if a < p < b]
        total += integrate.quad(f, a, b, points=sorted(set(pts)) or None, epsabs=eps, **_QUAD)[0]
        total += integrate.quad(f, b, np.inf, epsabs=eps, **_QUAD)[0]
        return total / (2 * math.pi)

    def _size_hint(self) -> float:
        """|2 pi S(0)| = int_0^inf J(u)/u du, a scale for the absolute quadrature tolerance."""
        v = integrate.quad(
            lambda u: self._J_scalar(u) / u if u > 0 else 0.0, 0.0, np.inf, limit=200
        )[0]
        return abs(v) if np.isfinite(v) and v > 0 else 1.0


def _as_density_value(v: Any) -> float:
    """One value returned by a user's J: a real number (not bool, str or complex)."""
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v.item()
    if isinstance(v, (bool, np.bool_, str, bytes)) or not isinstance(
        v, (int, float, np.integer, np.floating)
    ):
        raise InputError(
            f"spectral_density_function: expected J(omega) to return a real number, got {type(v).__name__} {v!r}"[
                :200
            ]
        )
    return float(v)


def _set_temperature(bath: Any, beta: Any) -> None:
    """Resolve ``temperature`` / ``beta`` (either keyword; both refused) into ``bath.temperature``."""
    T = bath.temperature
    if beta is not None:
        if T is not None:
            raise InputError(
                f"beta: expected beta or temperature, got both (beta={beta!r}, temperature={T!r})"
            )
        b = check_beta("beta", beta)
        if b == 0:
            raise InputError(
                "beta: expected beta > 0 for a bath (beta = 0 is an infinite temperature), got 0"
            )
        T = 0.0 if math.isinf(b) else 1.0 / b
    object.__setattr__(
        bath, "temperature", 0.0 if T is None else check_temperature("temperature", T)
    )


def _check_positive(name: str, x: Any) -> float:
    return check_real_scalar(name, x, minimum=0.0, strict=True)


# field metadata of a closed-form bath's parameters: the keywords of ``check_real_scalar``
_NONNEGATIVE = {"minimum": 0.0}
_POSITIVE = {"minimum": 0.0, "strict": True}


class _CutoffBath(Bath):
    r"""A bath whose :math:`J(\Omega)` is a closed formula with a cut-off frequency ``cutoff``.

    Subclasses are frozen dataclasses whose fields are the parameters of :math:`J` (each declared
    with ``field(metadata=_NONNEGATIVE)`` or ``field(metadata=_POSITIVE)``, checked in order),
    ``temperature`` and the init-only ``beta``. They write :math:`J` once, ``_density(x, exp)``,
    for a float ``x`` with ``exp = math.exp`` and for an array with ``exp = np.exp``. The
    cut-off is the frequency ``scale`` that splits the Lamb-shift integral.
    """

    cutoff: float

    def __post_init__(self, beta: float | None = None) -> None:
        _set_temperature(self, beta)
        for f in fields(self):  # type: ignore[arg-type]
            if f.metadata:
                value = check_real_scalar(f.name, getattr(self, f.name), **f.metadata)
                object.__setattr__(self, f.name, value)

    @property
    def scale(self) -> float:  # type: ignore[override]
        return self.cutoff

    def _density(self, x: Any, exp: Callable[[Any], Any]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _J_scalar(self, x: float) -> float:
        return self._density(x, math.exp)

    def _J_array(self, x: np.ndarray) -> np.ndarray:
        return self._density(x, np.exp)


@dataclass(frozen=True)
class OhmicBath(_CutoffBath):
    r"""Ohmic bath with exponential cut-off (seed Eq. 30): :math:`J(\Omega) = 2\pi\alpha\,\Omega\,
    e^{-\Omega/\Omega_c}`.

    Parameters
    ----------
    alpha : float
        Dimensionless coupling strength, >= 0.
    cutoff : float
        Cut-off frequency :math:`\Omega_c > 0`.
    temperature : float
        Bath temperature :math:`T \ge 0` (:math:`k_B = 1`). Default 0 (the vacuum).
    beta : float, optional, keyword
        The inverse temperature instead of ``temperature`` (:math:`T = 1/\beta`; giving both is
        refused).

    Notes
    -----
    :math:`\gamma(0) = 2\pi\alpha T`; :math:`S(0) = -\alpha\Omega_c` at every temperature; at
    :math:`T = 0`, :math:`S(\omega) = \alpha[-\Omega_c + \omega e^{-\omega/\Omega_c}
    \mathrm{Ei}(\omega/\Omega_c)]`.
    """

    alpha: float = field(metadata=_NONNEGATIVE)
    cutoff: float = field(metadata=_POSITIVE)
    temperature: float | None = None
    beta: InitVar[float | None] = None

    def _density(self, x: Any, exp: Callable[[Any], Any]) -> Any:
        return 2 * math.pi * self.alpha * x * exp(-x / self.cutoff)

    def _zero_slope(self) -> float:
        return 2 * math.pi * self.alpha

    def _size_hint(self) -> float:
        return 2 * math.pi * self.alpha * self.cutoff


@dataclass(frozen=True)
class PowerLawBath(_CutoffBath):
    r"""Power-law bath with exponential cut-off:
    :math:`J(\Omega) = 2\pi\alpha\,\Omega_c^{1-s}\,\Omega^s\,e^{-\Omega/\Omega_c}`.

    ``exponent`` s < 1 is sub-ohmic (:math:`\gamma(0)` infinite for :math:`T > 0`), s = 1 ohmic,
    s > 1 super-ohmic (:math:`\gamma(0) = 0`).

    Parameters
    ----------
    alpha : float
        Coupling strength, >= 0.
    cutoff : float
        :math:`\Omega_c > 0`.
    exponent : float
        s > 0.
    temperature, beta : float, optional
        The temperature :math:`T \ge 0` (default 0, the vacuum) or, keyword only, its inverse
        :math:`\beta = 1/T` (giving both is refused), as for :class:`OhmicBath`.
    """

    alpha: float = field(metadata=_NONNEGATIVE)
    cutoff: float = field(metadata=_POSITIVE)
    exponent: float = field(metadata=_POSITIVE)
    temperature: float | None = None
    beta: InitVar[float | None] = None

    def _density(self, x: Any, exp: Callable[[Any], Any]) -> Any:
        wc, s = self.cutoff, self.exponent
        return 2 * math.pi * self.alpha * wc ** (1 - s) * x**s * exp(-x / wc)

    def _zero_slope(self) -> float:
        if self.alpha == 0:
            return 0.0
        if self.exponent < 1:
            return math.inf
        return 2 * math.pi * self.alpha if self.exponent == 1 else 0.0

    def _size_hint(self) -> float:
        # int_0^inf J/u du = 2 pi alpha wc Gamma(s)
        return 2 * math.pi * self.alpha * self.cutoff * math.gamma(self.exponent)


@dataclass(frozen=True)
class DrudeLorentzBath(_CutoffBath):
    r"""Drude--Lorentz bath, :math:`J(\Omega) = 4\lambda\gamma_c\Omega/(\Omega^2 + \gamma_c^2)`.

    This is twice QuTiP's ``DrudeLorentzEnvironment`` spectral density (QuTiP normalises
    :math:`J` with :math:`\pi` instead of :math:`2\pi`), so that :meth:`rate` equals QuTiP's
    ``power_spectrum`` for the same ``reorganization`` :math:`\lambda` and ``cutoff``
    :math:`\gamma_c`.

    Parameters
    ----------
    reorganization : float
        Reorganisation energy :math:`\lambda \ge 0`.
    cutoff : float
        Drude width :math:`\gamma_c > 0`.
    temperature, beta : float, optional
        The temperature :math:`T \ge 0` (default 0, the vacuum) or, keyword only, its inverse
        :math:`\beta = 1/T` (giving both is refused), as for :class:`OhmicBath`.
    """

    reorganization: float = field(metadata=_NONNEGATIVE)
    cutoff: float = field(metadata=_POSITIVE)
    temperature: float | None = None
    beta: InitVar[float | None] = None

    def _density(self, x: Any, exp: Callable[[Any], Any]) -> Any:
        g = self.cutoff
        return 4 * self.reorganization * g * x / (x * x + g * g)

    def _zero_slope(self) -> float:
        return 4 * self.reorganization / self.cutoff

    def _size_hint(self) -> float:
        return 2 * math.pi * self.reorganization


@dataclass(frozen=True)
class CustomBath(Bath):
    r"""A bath with a user-supplied spectral density :math:`J(\Omega)`, :math:`\Omega > 0`.

    Parameters
    ----------
    spectral_density_function : callable
        ``J(x)`` for a float ``x > 0``, returning a finite float >= 0, same normalisation as
        :class:`OhmicBath` (:math:`\gamma(\omega) = J(\omega)(1 + n(\omega))`). It must vanish
        at :math:`\Omega \to 0` and decay fast enough for :math:`\int J(\Omega)/\Omega` to exist.
    temperature : float
        :math:`T \ge 0`. Default 0 (the vacuum).
    beta : float, optional, keyword
        The inverse temperature instead of ``temperature`` (:math:`T = 1/\beta`; giving both is
        refused).
    scale : float
        A characteristic frequency of ``J`` (its cut-off), used to split the Lamb-shift integral.
    zero_slope : float, optional
        :math:`\lim_{\Omega\to 0} J(\Omega)/\Omega` (gives :math:`\gamma(0) = T J'(0)`); estimated
        as :math:`J(h)/h` with :math:`h = 10^{-7}\,\mathrm{scale}` when omitted.
    vectorized : bool
        Set when ``J`` also accepts numpy arrays (faster rates).
    """

    spectral_density_function: Callable[[Any], Any]
    temperature: float | None = None
    scale: float = 1.0
    zero_slope: float | None = None
    vectorized: bool = False
    beta: InitVar[float | None] = None

    def __post_init__(self, beta: float | None = None) -> None:
        if not callable(self.spectral_density_function):
            raise InputError(
                "spectral_density_function: expected a callable J(omega), got "
                f"{type(self.spectral_density_function).__name__}"
            )
        _set_temperature(self, beta)
        object.__setattr__(self, "scale", _check_positive("scale", self.scale))
        object.__setattr__(self, "vectorized", check_bool("vectorized", self.vectorized))
        if self.zero_slope is not None:
            object.__setattr__(
                self,
                "zero_slope",
                check_real_scalar("zero_slope", self.zero_slope, minimum=0.0, allow_inf=True),
            )
        # J must be >= 0 everywhere; probe a logarithmic grid around the scale (every frequency
        # actually used, e.g. each Bohr frequency of a Davies generator, is checked when evaluated)
        grid = self.scale * np.logspace(-4, 3, 141)
        self._J_array(grid)

    def _J_scalar(self, x: float) -> float:
        return float(self._J_array(np.array([x]))[0])

    def _J_array(self, x: np.ndarray) -> np.ndarray:
        f = self.spectral_density_function
        try:
            if self.vectorized:
                raw = np.asarray(f(x)) * np.ones_like(x)
            else:
                raw = np.array([f(float(v)) for v in np.ravel(x)], dtype=object).reshape(
                    np.shape(x)
                )
            vals = np.array([_as_density_value(v) for v in np.ravel(raw)], dtype=float).reshape(
                np.shape(x)
            )
        except InputError:
            raise
        except Exception as exc:  # the user's function failed: say where
            raise InputError(
                f"spectral_density_function: expected J(omega) to return a finite float >= 0, but it "
                f"raised {type(exc).__name__}: {exc}"
            ) from exc
        bad = ~np.isfinite(vals) | (vals < 0)
        if np.any(bad):
            k = int(np.flatnonzero(bad.ravel())[0])
            raise InputError(
                "spectral_density_function: expected a finite J(omega) >= 0 at every frequency "
                f"used, got J({float(np.ravel(x)[k]):.6g}) = {float(vals.ravel()[k]):.6g}"
            )
        return vals

    def _zero_slope(self) -> float:
        if self.zero_slope is not None:
            return float(self.zero_slope)
        h = 1e-7 * self.scale
        return self._J_scalar(h) / h
