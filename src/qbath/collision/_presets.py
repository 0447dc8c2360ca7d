r"""The two worked examples of seed 001, built literally (Sec. III, App. A/B).

Both use a two-qubit ancilla (Eq. 28)
:math:`H_E = \tfrac{\omega_1}{2}\sigma^z_1 + \tfrac{\omega_2}{2}\sigma^z_2 + \kappa(\sigma_1^+\sigma_2^- + \sigma_1^-\sigma_2^+)`
and a qubit system :math:`H_S = \tfrac{\omega_S}{2}\sigma^z_S` (Eq. 39), with thermal ancillae at
``beta`` (Eq. 41). The bare ancilla levels of App. A are :math:`|E_1\rangle=|{\downarrow\downarrow}\rangle`,
:math:`|E_2\rangle=|{\downarrow\uparrow}\rangle`, :math:`|E_3\rangle=|{\uparrow\downarrow}\rangle`,
:math:`|E_4\rangle=|{\uparrow\uparrow}\rangle` (qubit 1 first; in qbath's basis, index 0 = up, these
are the basis indices 3, 2, 1, 0).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from .._checks import check_beta, check_complex_scalar, check_dt, check_int, check_real_scalar
from .._errors import InputError
from .._operators import sigmam, sigmap, sigmaz
from ._model import CollisionModel, StructuredAncilla

__all__ = ["structured_example1", "structured_example2", "bare_level"]

#: App. A labels -> index in qbath's two-qubit basis (|up up>, |up down>, |down up>, |down down>)
_BARE_INDEX = {1: 3, 2: 2, 3: 1, 4: 0}


def bare_level(k: int) -> np.ndarray:
    r"""Ket :math:`|E_k\rangle` of App. A (Eq. A1) in qbath's basis, shape (4,)."""
    k = check_int("k", k, minimum=1)
    if k not in _BARE_INDEX:
        raise InputError(f"k: expected 1, 2, 3 or 4, got {k!r}")
    v = np.zeros(4, dtype=complex)
    v[_BARE_INDEX[k]] = 1.0
    return v


def _real(name: str, x: float) -> float:
    return check_real_scalar(name, x)


def _complex(name: str, x: complex) -> complex:
    return check_complex_scalar(name, x)


def _reals(**values: Any) -> None:
    """Refuse any argument (by keyword name) that is not a real number."""
    for nm, v in values.items():
        _real(nm, v)


def structured_example1(
    omega_s: float,
    omega_1: float,
    omega_2: float,
    kappa: float,
    alpha_1: complex,
    alpha_2: complex,
    beta: float,
    dt: float,
) -> CollisionModel:
    r"""Example 1 (Sec. III A): the system couples to each ancilla qubit separately (Eq. 40),

    .. math:: H_{SE} = \alpha_1\sigma_S^+\sigma_1^- + \alpha_2\sigma_S^+\sigma_2^- + \mathrm{h.c.}

    (for real :math:`\alpha_k` this is Eq. 40 as printed). The coherence of the thermal ancilla
    has no effect here: :math:`g_k^{(j)}=0` and the steady state is Eq. 51.
    """
    _reals(omega_s=omega_s, omega_1=omega_1, omega_2=omega_2, kappa=kappa)
    a1, a2 = _complex("alpha_1", alpha_1), _complex("alpha_2", alpha_2)
    anc = StructuredAncilla.qubits([omega_1, omega_2], kappa)
    s1m, s2m = anc.lowering(0), anc.lowering(1)
    pairs = [
        (sigmap(), a1 * s1m),
        (sigmam(), np.conj(a1) * s1m.conj().T),
        (sigmap(), a2 * s2m),
        (sigmam(), np.conj(a2) * s2m.conj().T),
    ]
    params = dict(
        omega_s=omega_s,
        omega_1=omega_1,
        omega_2=omega_2,
        kappa=kappa,
        alpha_1=a1,
        alpha_2=a2,
        beta=beta,
    )
    params = {k: (str(v) if isinstance(v, complex) else v) for k, v in params.items()}
    return _qubit_model("structured_example1", omega_s, anc, pairs, dt, beta, params)


def structured_example2(
    omega_s: float,
    omega_1: float,
    omega_2: float,
    kappa: float,
    alpha: complex,
    beta: float,
    dt: float,
    variant: Literal["paper", "resonant"] = "paper",
) -> CollisionModel:
    r"""Example 2 (Sec. III B): the system couples to the joint ancilla transition (Eqs. 52-53),

    .. math:: H_{SE} = \alpha\,\sigma_S^+\sigma_E^- + \alpha^*\sigma_S^-\sigma_E^+ .

    ``variant="paper"`` (default) takes Eq. 53 literally, :math:`\sigma_E^+=|E_3\rangle\langle E_2|`
    with :math:`|E_2\rangle=|{\downarrow\uparrow}\rangle`, :math:`|E_3\rangle=|{\uparrow\downarrow}\rangle`.
    For :math:`\omega_1<\omega_2` (the paper's 0.5 < 1.5) this :math:`\sigma_E^+` *lowers* the bare
    ancilla energy, so :math:`\sigma_S^+\sigma_E^-` raises both system and ancilla: the interaction
    does not conserve the bare energy and drives :math:`\langle\sigma_z\rangle` of the system to
    positive values (see ``docs/errata.md``).

    ``variant="resonant"`` takes :math:`\sigma_E^+` to be the transition that *raises* the bare
    ancilla energy (:math:`|E_2\rangle\langle E_3|` for :math:`\omega_1<\omega_2`), so the coupling is
    energy conserving when :math:`\omega_S = |\omega_2-\omega_1|`. Not in the paper; offered for
    comparison.
    """
    _reals(omega_s=omega_s, omega_1=omega_1, omega_2=omega_2, kappa=kappa)
    a = _complex("alpha", alpha)
    if variant not in ("paper", "resonant"):
        raise InputError(f"variant: expected 'paper' or 'resonant', got {variant!r}")
    anc = StructuredAncilla.qubits([omega_1, omega_2], kappa)
    e2, e3 = bare_level(2), bare_level(3)
    sig_e_plus = np.outer(e3, e2.conj())  # Eq. 53: |E3><E2|
    if variant == "resonant" and omega_1 < omega_2:
        sig_e_plus = sig_e_plus.conj().T
    pairs = [(sigmap(), a * sig_e_plus.conj().T), (sigmam(), np.conj(a) * sig_e_plus)]
    params = dict(
        omega_s=omega_s,
        omega_1=omega_1,
        omega_2=omega_2,
        kappa=kappa,
        alpha=str(a) if a.imag else a.real,
        beta=beta,
        variant=variant,
    )
    return _qubit_model("structured_example2", omega_s, anc, pairs, dt, beta, params)


def _qubit_model(
    name: str, omega_s: float, anc: Any, pairs: Any, dt: Any, beta: Any, params: dict[str, Any]
) -> CollisionModel:
    r"""A system qubit :math:`H_S = \omega_S\sigma_z/2` with the given ancillae and coupling."""
    return CollisionModel(
        h_s=omega_s / 2 * sigmaz(),
        h_e=anc,
        h_se=pairs,
        dt=check_dt("dt", dt),
        beta=check_beta("beta", beta),
        name=name,
        params=params,
    )
