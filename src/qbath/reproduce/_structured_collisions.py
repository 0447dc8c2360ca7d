"""``qbath reproduce structured-collisions``: Figs. 3-8 and Apps. A-C of Cusumano & De Chiara.

S. Cusumano and G. De Chiara, *Structured quantum collision models: generating coherence with
thermal resources* (2022). Every closed form of the appendices is put beside the collision engine
(:mod:`qbath.collision`), and the figures are redrawn with both maps: the exact collision map and
the second-order map (Eq. 56). Parameters follow the captions: Δt = 0.1, ω_S = 1, ω_1 = 0.5,
ω_2 = 1.5, α = 0.1 (Fig. 3) or 0.2 (Figs. 4-8), initial state thermal at β_S = 1. The captions
give neither the β and κ of each curve nor the number of collisions; the values used here are in
the legends and in the data file's attributes.

Outputs: ``fig3.png`` ... ``fig8.png``, ``fig5_map.png``, ``structured_collisions.nc``.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import QbathWarning
from .._meta import make_meta
from .._operators import sigmaz
from .._optional import require
from .._states import bloch_vector, l1_coherence, thermal_state
from ..collision import closed_forms as cf
from ..collision import (
    coefficients,
    evolve,
    second_order_ledger,
    steady_state,
    structured_example1,
    structured_example2,
)
from ..io import attrs_from_meta
from ._figures import legend, new_figure, save, style_key, sym, title
from ._report import Check, Paper, close, holds
from ._rows import vanishes
from ._runner import run, track

NAME = "structured-collisions"
DATA_FILE = "structured_collisions.nc"
# The year is that of the arXiv version read (its latest references are from 2022).
PAPER = Paper(
    authors="S. Cusumano and G. De Chiara",
    title="Structured quantum collision models: generating coherence with thermal resources",
    year=2022,
    reference="arXiv preprint; text read from seed 001_5ffc5efe42331fb3.txt",
)

BASE = dict(omega_s=1.0, omega_1=0.5, omega_2=1.5, dt=0.1)
METHODS = ("exact", "second_order")
STYLE = {"exact": "-", "second_order": "--"}
BETAS = (0.5, 1.0, 2.0, 4.0)  # curves of Figs. 3, 4 and 8
KAPPAS = (0.1, 0.3, 0.6, 1.0)
BETAS5 = (0.5, 1.0, 2.0, 5.0, 10.0)  # curves of Figs. 5 and 7
KAPPAS5 = (0.3, 0.6, 1.0, 1.5, 3.0)
BIG_BETA = 30.0  # the "large beta" of the text on Fig. 5(b)
LEDGER = ("delta_u", "heat", "switching_work")
_SYM = {"beta": r"\beta", "kappa": r"\kappa"}

Data = dict[str, tuple[tuple[str, ...], np.ndarray]]
Coords = dict[str, np.ndarray]


def _model(kappa: float, alpha: float, beta: float) -> Any:
    return structured_example2(kappa=kappa, alpha=alpha, beta=beta, **BASE)


def _rho0() -> np.ndarray:
    return thermal_state(0.5 * sigmaz(), 1.0)  # beta_S = 1


# ================================================================================================
# compute
# ================================================================================================
def _trajectories(
    fig: str, alpha: float, n: int, data: Data, coords: Coords, keep_trace: bool
) -> None:
    """Figs. 3 and 4: <sigma_z> and C_l1 over ``n`` collisions, sweeping beta (kappa = 0.3) and
    kappa (beta = 1). The data keep mean/min/max over windows of whole Larmor periods (C_l1
    oscillates with period 2 pi / (omega_S dt) ~ 63 collisions: no aliasing); with ``keep_trace``
    also the full <sigma_z>(i)."""
    period = 2 * np.pi / (BASE["omega_s"] * BASE["dt"])
    w = int(round(max(1, round(n / (200 * period))) * period))
    nw = n // w
    coords[f"{fig}_window_center"] = (np.arange(nw) + 0.5) * w
    coords[f"{fig}_beta"] = np.array(BETAS)
    coords[f"{fig}_kappa"] = np.array(KAPPAS)
    if keep_trace:
        coords[f"{fig}_collision"] = np.arange(n + 1)
    for sweep, values, fixed in (
        ("beta", BETAS, dict(kappa=0.3)),
        ("kappa", KAPPAS, dict(beta=1.0)),
    ):
        sz = np.empty((len(METHODS), len(values), n + 1))
        cl = np.empty_like(sz)
        jobs = [(a, b) for a in range(len(METHODS)) for b in range(len(values))]
        for a, b in track(jobs, f"Fig. {fig[3:]} trajectories vs {sweep}"):
            res = evolve(
                _model(alpha=alpha, **{sweep: values[b]}, **fixed),
                _rho0(),
                n,
                METHODS[a],
                e_ops=[sigmaz()],
            )
            sz[a, b] = res.expect[0]
            cl[a, b] = res.coherence
        for q, arr in (("sigma_z", sz), ("coherence", cl)):
            win = arr[..., 1 : nw * w + 1].reshape(len(METHODS), len(values), nw, w)
            stats = np.stack([win.mean(-1), win.min(-1), win.max(-1)], axis=-1)
            data[f"{fig}_{q}_vs_{sweep}"] = (
                ("method", f"{fig}_{sweep}", f"{fig}_window_center", "stat"),
                stats,
            )
        if keep_trace:
            data[f"{fig}_sigma_z_trace_vs_{sweep}"] = (
                ("method", f"{fig}_{sweep}", f"{fig}_collision"),
                sz,
            )


def _steady_summary(model: Any, method: str) -> np.ndarray:
    """C_l1, W_sw, dQ and Sigma of one collision started from the steady state."""
    ss = steady_state(model, method)
    r = evolve(model, ss, 1, method)
    return np.array(
        [l1_coherence(ss), r.switching_work[0], r.heat[0], r.entropy_production_clausius[0]]
    )


def _steady_states(quick: bool, data: Data, coords: Coords) -> None:
    """Figs. 5 and 7: steady-state C_l1, W_sw, dQ and Sigma against kappa and beta; the C_l1 map;
    C_l1 at beta = 30 for the claims of the text on Fig. 5(b)."""
    n5 = 31 if quick else 61  # points on each curve (the kappa and beta grids have the same size)
    kgrid = np.linspace(0.0, 3.0, n5)
    bgrid = np.geomspace(0.1, 10.0, n5)
    coords.update(
        fig5_kappa=kgrid,
        fig5_beta=bgrid,
        fig5_beta_curves=np.array(BETAS5),
        fig5_kappa_curves=np.array(KAPPAS5),
    )
    ss_k = np.empty((len(METHODS), len(BETAS5), kgrid.size, 4))
    ss_b = np.empty((len(METHODS), len(KAPPAS5), bgrid.size, 4))
    for b in track(range(len(BETAS5)), "Figs. 5, 7 steady states (per curve pair)"):
        for k in range(n5):
            m_k, m_b = _model(kgrid[k], 0.2, BETAS5[b]), _model(KAPPAS5[b], 0.2, bgrid[k])
            for a, method in enumerate(METHODS):
                ss_k[a, b, k] = _steady_summary(m_k, method)
                ss_b[a, b, k] = _steady_summary(m_b, method)
    for i, q in enumerate(("coherence", "switching_work", "heat", "entropy_production")):
        data[f"steady_{q}_vs_kappa"] = (("method", "fig5_beta_curves", "fig5_kappa"), ss_k[..., i])
        data[f"steady_{q}_vs_beta"] = (("method", "fig5_kappa_curves", "fig5_beta"), ss_b[..., i])
    km = np.linspace(0.0, 2.0, 21 if quick else 41)
    bm = np.linspace(0.1, 10.0, 21 if quick else 41)
    cmap = np.array(
        [
            [l1_coherence(steady_state(_model(k, 0.2, b))) for b in bm]
            for k in track(km, "C_l1 map rows")
        ]
    )
    coords.update(map_kappa=km, map_beta=bm)
    data["steady_coherence_map"] = (("map_kappa", "map_beta"), cmap)
    with (
        warnings.catch_warnings()
    ):  # kappa = 0.3 relaxes at ~2e-9 per collision: still accurate to ~1e-7
        warnings.simplefilter("ignore", QbathWarning)
        cz = np.array([l1_coherence(steady_state(_model(k, 0.2, BIG_BETA))) for k in KAPPAS5])
    data["fig5b_coherence_big_beta"] = (("fig5_kappa_curves",), cz)


def _ledger(data: Data, coords: Coords) -> None:
    """Fig. 6: Delta U, dQ, W_sw over the first 300 collisions (Fig. 3 parameters), first-law
    residuals, and the paper's second-order ledger (Eqs. 61-66) on the exact trajectory."""
    n6 = 300
    coords["fig6_collision"] = np.arange(1, n6 + 1)
    coords["ledger_quantity"] = np.array(LEDGER)
    led = np.empty((len(METHODS), 3, n6))
    resid = np.empty(len(METHODS))
    m6 = _model(0.3, 0.1, 1.0)
    for a, method in enumerate(METHODS):
        r = evolve(m6, _rho0(), n6, method)
        led[a] = [r.delta_u, r.heat, r.switching_work]
        resid[a] = float(np.max(np.abs(r.first_law_residual)))
        if method == "exact":
            paper = second_order_ledger(m6, r.states)
            dev = max(float(np.max(np.abs(paper[k] - getattr(r, k)))) for k in LEDGER)
    data["fig6_ledger"] = (("method", "ledger_quantity", "fig6_collision"), led)
    data["fig6_first_law_residual_max"] = (("method",), resid)
    data["fig6_second_order_ledger_deviation"] = ((), np.array(dev))


def _entropy_production(n8: int, data: Data, coords: Coords) -> None:
    """Fig. 8: Sigma(i) per collision (Clausius form Delta S - beta Q), every s8-th collision kept;
    the minimum of Sigma (Eq. 73) over all exact runs and its largest gap to the Clausius form."""
    s8 = max(1, n8 // 3000)
    coords["fig8_collision"] = np.arange(1, n8 + 1)[::s8]
    sig = {s: np.empty((len(METHODS), 4, coords["fig8_collision"].size)) for s in ("beta", "kappa")}
    min_sigma, gap = np.inf, 0.0
    jobs = [(a, s, b) for a in range(len(METHODS)) for s in ("beta", "kappa") for b in range(4)]
    for a, sweep, b in track(jobs, "Fig. 8 entropy production"):
        model = _model(0.3, 0.2, BETAS[b]) if sweep == "beta" else _model(KAPPAS[b], 0.2, 1.0)
        r = evolve(model, _rho0(), n8, METHODS[a])
        sig[sweep][a, b] = r.entropy_production_clausius[::s8]
        if METHODS[a] == "exact":
            min_sigma = min(min_sigma, float(np.min(r.entropy_production)))
            gap = max(
                gap, float(np.max(np.abs(r.entropy_production - r.entropy_production_clausius)))
            )
    data["fig8_sigma_vs_beta"] = (("method", "fig4_beta", "fig8_collision"), sig["beta"])
    data["fig8_sigma_vs_kappa"] = (("method", "fig4_kappa", "fig8_collision"), sig["kappa"])
    data["fig8_min_sigma_exact"] = ((), np.array(min_sigma))
    data["fig8_sigma_clausius_gap_exact"] = ((), np.array(gap))


def compute(quick: bool = False) -> Any:
    """Every number of the reproduction as an ``xarray.Dataset`` (dimension ``method`` = exact,
    second_order), with the run's parameters and provenance in its attributes."""
    xr = require("xarray", purpose="the reproduction's data set")
    n3, n4, n8 = (6000, 1500, 1500) if quick else (100000, 4000, 30000)
    data: Data = {}
    coords: Coords = {"method": np.array(METHODS), "stat": np.array(["mean", "min", "max"])}
    _trajectories("fig3", 0.1, n3, data, coords, keep_trace=False)
    _trajectories("fig4", 0.2, n4, data, coords, keep_trace=True)
    _steady_states(quick, data, coords)
    _ledger(data, coords)
    _entropy_production(n8, data, coords)
    ds = xr.Dataset(dict(data), coords=coords)
    attrs = make_meta(
        "reproduce.structured-collisions",
        quick=quick,
        n_fig3=n3,
        n_fig4=n4,
        n_fig8=n8,
        alpha_fig3=0.1,
        alpha_other=0.2,
        beta_s=1.0,
        **BASE,
    )
    ds.attrs.update(attrs_from_meta(attrs))
    return ds


# ================================================================================================
# checks
# ================================================================================================
def _eigen_checks() -> list[Check]:
    """Eqs. 31-37, A3-A4 and A8: eigen-decomposition of the ancilla Hamiltonian H_E."""
    checks: list[Check] = []
    w1, w2, kappa = 0.5, 1.5, 0.3
    m = _model(kappa, 0.2, 1.0)
    E = cf.example1_eigenvalues(w1, w2, kappa)
    num = np.linalg.eigvalsh(m.h_e)
    checks.append(
        vanishes(
            "ancilla eigenvalues E'_1..4 (max |diff|)",
            float(np.max(np.abs(np.sort(E) - num))),
            1e-12,
            "Eqs. 31-34",
        )
    )
    B = np.stack([np.eye(4)[[3, 2, 1, 0][k]] for k in range(4)], axis=1).astype(complex)
    V = cf.example1_unitary(w1, w2, kappa)
    resid_a8 = max(np.linalg.norm(m.h_e @ (B @ V[:, k]) - E[k] * (B @ V[:, k])) for k in range(4))
    checks.append(
        vanishes("Eq. A8 columns are eigenvectors of H_E (residual)", resid_a8, 1e-12, "Eq. A8")
    )
    P = cf.example1_eigenvectors_printed(w1, w2, kappa)
    resid_36 = max(np.linalg.norm(m.h_e @ (B @ P[:, k]) - E[k] * (B @ P[:, k])) for k in (1, 2))
    checks.append(
        vanishes(
            "Eqs. 36-37 / A3-A4 eigenvectors (residual)",
            resid_36,
            1e-12,
            "Eqs. 36-37, A3-A4",
            note="a and b swapped; A8 is right",
            expect_fail=True,
        )
    )
    return checks


def _example1_checks() -> list[Check]:
    """Example 1 (Eqs. A10-A16, Eq. 51): the engine's coefficients and steady state."""
    checks: list[Check] = []
    w1, w2 = 0.5, 1.5
    p1 = dict(omega_1=w1, omega_2=w2, kappa=0.7, alpha_1=0.3, alpha_2=0.2, beta=0.8)
    m1 = structured_example1(omega_s=1.0, dt=0.1, **p1)
    c1 = cf.example1_coefficients(**p1)
    co1 = coefficients(m1)
    pairs = {
        "g11_mp (A12)": (0, 0),
        "g11_pm (A11)": (1, 1),
        "g22_mp (A14)": (2, 2),
        "g22_pm (A13)": (3, 3),
        "g12_pm (A15)": (0, 2),
        "g12_mp (A16)": (1, 3),
    }
    for key, (i, j) in pairs.items():
        checks.append(
            close(
                f"Example 1 {key}",
                co1.g_pair[i, j].real,
                np.real(c1[key.split()[0]]),
                rtol=1e-12,
                source=key.split()[1].strip("()"),
            )
        )
    checks.append(
        vanishes("Example 1 g_k^(j) (A10), max |g|", float(np.max(np.abs(co1.g))), 1e-14, "A10")
    )
    ss1 = steady_state(m1, "second_order")
    checks.append(
        close(
            "Example 1 steady-state population (up)",
            ss1[0, 0].real,
            cf.example1_steady_state(**p1)[0, 0].real,
            rtol=1e-10,
            source="Eq. 51",
        )
    )
    return checks


def _appendix_bc_checks() -> list[Check]:
    """Apps. B and C (Example 2): coefficients, the map, its steady state, the ledger; Sec. IV's
    exact steady state of the literal preset."""
    checks: list[Check] = []
    w1, w2, kappa, alpha, beta = 0.5, 1.5, 0.3, 0.2, 1.0
    m = _model(kappa, alpha, beta)
    c2 = cf.example2_coefficients(w1, w2, kappa, alpha, beta)
    co2 = coefficients(m)
    checks.append(close("g^(+)", co2.g[1].real, c2.g_plus.real, rtol=1e-12, source="Eq. B1"))
    checks.append(close("g^(-,+)", co2.g_pair[0, 0].real, c2.g_mp, rtol=1e-12, source="Eq. B3"))
    checks.append(close("g^(+,-)", co2.g_pair[1, 1].real, c2.g_pm, rtol=1e-12, source="Eq. B4"))
    rho = thermal_state(m.h_s, 1.0) * 0.8 + 0.2 * np.array([[0.5, 0.3 - 0.2j], [0.3 + 0.2j, 0.5]])
    one = evolve(m, rho, 1, "second_order")
    diff = float(np.max(np.abs(one.states[1] - cf.example2_map(rho, 1.0, 0.1, c2))))
    checks.append(
        vanishes(
            "one step of the map (max |diff|)",
            diff,
            1e-15,
            "Eqs. B7-B10",
            note="vs the general L0+L1+L2 (Eqs. 21-27)",
        )
    )
    ss2 = bloch_vector(steady_state(m, "second_order"))
    printed = cf.example2_steady_state_printed(1.0, 0.1, c2)
    corrected = cf.example2_steady_state_corrected(1.0, 0.1, c2)
    refs = (
        ("printed B11-B14", printed, dict(rtol=1e-6, source="Eqs. B11-B14", expect_fail=True)),
        (
            "corrected closed form",
            corrected,
            dict(rtol=1e-10, source="Eqs. B11-B14 corrected in docs/errata.md"),
        ),
    )
    for i, lab in ((2, "z"), (0, "x")):
        for what, ref, kw in refs:
            name = f"steady <sigma_{lab}>: second-order map vs {what}"
            checks.append(close(name, ss2[i], ref[i], **kw))
    led = cf.example2_ledger(rho, 1.0, w1, w2, kappa, alpha, 0.1, c2)
    for key, src in (("delta_u", "Eq. C4"), ("heat", "Eq. C5"), ("switching_work", "Eq. C6")):
        checks.append(
            close(
                f"second-order {key}",
                float(getattr(one, key)[0]),
                led[key],
                atol=1e-15,
                source=src,
                note="vs Eqs. 61, 63, 66",
            )
        )
    sz = float(np.trace(sigmaz() @ steady_state(m)).real)
    checks.append(
        close(
            "exact steady <sigma_z>, kappa=0.3, beta=1, alpha=0.2",
            sz,
            0.457,
            atol=1e-3,
            source="docs/conventions.md",
            note="literal sigma_E^+ = |E3><E2|: not energy conserving",
        )
    )
    return checks


def checks(ds: Any) -> list[Check]:
    """The appendices' closed forms beside the engine, and the claims of Secs. III-IV and Figs. 5-8."""
    return (
        _eigen_checks()
        + _example1_checks()
        + _appendix_bc_checks()
        + _dynamics_checks(ds)
        + _steady_checks(ds)
    )


def _dynamics_checks(ds: Any) -> list[Check]:
    """Eq. 67 (first law), Eqs. 61-66 on the exact trajectory, Eq. 73 (Sigma >= 0)."""
    out: list[Check] = []
    resid = ds["fig6_first_law_residual_max"].values
    dev = float(ds["fig6_second_order_ledger_deviation"])
    out.append(vanishes("first-law residual, exact (max |.|)", float(resid[0]), 1e-12, "Eq. 67"))
    out.append(
        holds(
            "second-order ledger (Eqs. 61, 63, 66) on the exact trajectory: max |diff| to exact",
            dev,
            "O(dt^3) = 1e-3 x scale",
            bool(dev < 1e-4),
            tolerance="< 1e-4",
            source="Eqs. 61-66",
            note="how far the paper's expressions sit from the exact ledger",
        )
    )
    out.append(
        vanishes("first-law residual, second order (max |.|)", float(resid[1]), 1e-12, "Eq. 67")
    )
    min_sigma = float(ds["fig8_min_sigma_exact"])
    out.append(
        holds(
            "entropy production Sigma(i) >= 0 (min over all exact runs)",
            min_sigma,
            ">= 0",
            bool(min_sigma >= -1e-14),
            tolerance="1e-14",
            source="Eq. 73",
            note="Fig. 8's claim",
        )
    )
    out.append(
        vanishes(
            "Sigma(i) (Eq. 73) equals Delta S - beta Q (max |diff|, exact runs)",
            float(ds["fig8_sigma_clausius_gap_exact"]),
            1e-10,
            "Eqs. 72-73",
        )
    )
    return out


def _steady_checks(ds: Any) -> list[Check]:
    """Sec. IV B (first law and work at the steady state) and the text on Fig. 5(b)."""
    out: list[Check] = []
    wsw = ds["steady_switching_work_vs_kappa"].sel(method="exact").values
    dq = ds["steady_heat_vs_kappa"].sel(method="exact").values
    out.append(
        vanishes(
            "steady state: W_sw + dQ (max |.|, exact, Fig. 7 grid)",
            float(np.max(np.abs(wsw + dq))),
            1e-12,
            "Sec. IV B",
            note="first law with Delta U = 0: W_sw = -dQ",
        )
    )
    out.append(
        holds(
            "steady state: work injected W_sw >= 0 (min over Fig. 7 grid)",
            float(wsw.min()),
            ">= 0",
            bool(wsw.min() >= -1e-15),
            tolerance="1e-15",
            source="Sec. IV B / Fig. 7",
        )
    )
    cz = ds["fig5b_coherence_big_beta"].values
    out.append(
        holds(
            f"Fig. 5(b): at beta={BIG_BETA:g}, C_l1 largest at kappa=1 among {KAPPAS5}",
            float(cz[2]),
            f"max = {float(cz.max()):.4g}",
            bool(np.argmax(cz) == 2),
            source="Fig. 5(b) text",
        )
    )
    out.append(
        holds(
            f"Fig. 5(b): at beta={BIG_BETA:g}, C_l1(kappa=0.3) -> 0, C_l1(kappa=3) stays finite",
            f"{cz[0]:.3g}, {cz[-1]:.3g}",
            "< 1e-3, > 1e-2",
            bool(cz[0] < 1e-3 and cz[-1] > 1e-2),
            source="Fig. 5(b) text",
        )
    )
    return out


def notes(ds: Any) -> list[str]:
    """Lines for the summary: the gap between the two maps, what the curves are, the preset."""
    coh = ds["steady_coherence_vs_kappa"].values
    gap = float(np.max(np.abs(coh[0] - coh[1])))
    return [
        f"Largest difference of steady-state C_l1 between the exact map and the second-order map on the "
        f"Fig. 5 grid: {gap:.3g}.",
        "Curves in the figures: solid = exact collision map, dashed = second-order map (Eq. 56). "
        "The beta/kappa values of each curve and the number of collisions are not in the captions; "
        "the values used are in the figure legends and the data file.",
        "The preset takes Eq. 53 literally (sigma_E^+ = |E3><E2|); with omega_1 < omega_2 this coupling "
        "does not conserve the bare energy and drives <sigma_z> positive. See docs/errata.md.",
    ]


# ================================================================================================
# figures
# ================================================================================================
_METHOD_KEY = (("-", "exact collision map"), ("--", "second-order map (Eq. 56)"))
_UNIT = r"[$\hbar\omega_S$]"


def _params(alpha: float | str) -> str:
    a = alpha if isinstance(alpha, str) else f"{alpha:g}"
    return (
        rf"$\omega_S$ = 1, $\omega_1$ = 0.5, $\omega_2$ = 1.5, $\Delta t$ = 0.1, $\alpha$ = {a}; "
        r"$\rho_S(0)$ thermal at $\beta_S$ = 1; $\hbar = k_B = 1$"
    )


def _both_maps(
    draw: Any, x: np.ndarray, arr: np.ndarray, sweep: str, values: np.ndarray, **kw: Any
) -> None:
    """One curve per map (line style) and swept value (colour ``C{b}``): ``arr[a, b]`` is map
    ``METHODS[a]`` at the ``b``-th value of ``sweep``; each value is named once in the legend."""
    for b, v in enumerate(values):
        for a, method in enumerate(METHODS):
            label = sym(sweep, v) if a == 0 else None
            draw(x, arr[a, b], STYLE[method], color=f"C{b}", label=label, **kw)


def _fig3(ds: Any, out: Path) -> Path:
    fig, axs = new_figure(2, 2, figsize=(11, 7.6), sharex=True)
    centers = ds["fig3_window_center"].values
    for col, sweep, fixed in ((0, "beta", r"$\kappa$ = 0.3"), (1, "kappa", r"$\beta$ = 1")):
        values = ds[f"fig3_{sweep}"].values
        for row, q in ((0, "sigma_z"), (1, "coherence")):
            ax = axs[row, col]
            stats = ds[f"fig3_{q}_vs_{sweep}"].values  # (method, value, window, mean/min/max)
            _both_maps(ax.plot, centers, stats[..., 0], sweep, values, lw=1)
            if q == "coherence":  # band: min-max within each window, exact map
                for b in range(len(values)):
                    lo, hi = stats[0, b, :, 1], stats[0, b, :, 2]
                    ax.fill_between(centers, lo, hi, color=f"C{b}", alpha=0.15, lw=0)
            ax.set_ylabel(r"$\langle\sigma_z\rangle$" if q == "sigma_z" else r"$C_{\ell_1}$")
            legend(ax, style_key(_METHOD_KEY))
        axs[0, col].set_title(f"({'ac'[col]}) {fixed}, varying ${_SYM[sweep]}$", fontsize=9)
        axs[1, col].set_title(f"({'bd'[col]}) {fixed}, varying ${_SYM[sweep]}$", fontsize=9)
        axs[1, col].set_xlabel("collision $i$")
    title(
        fig,
        "Fig. 3: window means over whole Larmor periods (63 collisions); "
        r"band: min-max of $C_{\ell_1}$ within a window (exact map)",
        _params(0.1),
    )
    return save(fig, out / "fig3.png")


def _kappa_difference(ax: Any, k: np.ndarray, arr: np.ndarray, kappas: np.ndarray) -> None:
    """Fig. 4(b) magnified: <sigma_z>_kappa - <sigma_z>_{kappa_0}, mean over each Larmor period
    (lines, both maps) and its min-max within the period (band, exact map)."""
    w = int(round(2 * np.pi / (BASE["omega_s"] * BASE["dt"])))
    nw = (k.size - 1) // w
    centers = k[1 : nw * w + 1].reshape(nw, w).mean(-1)
    for b, v in enumerate(kappas[1:], start=1):
        diff = (arr[:, b] - arr[:, 0])[:, 1 : nw * w + 1].reshape(len(METHODS), nw, w)
        for a, method in enumerate(METHODS):
            label = sym("kappa", v) if a == 0 else None
            ax.plot(centers, diff[a].mean(-1), STYLE[method], color=f"C{b}", lw=1.2, label=label)
        ax.fill_between(centers, diff[0].min(-1), diff[0].max(-1), color=f"C{b}", alpha=0.15, lw=0)
    ax.set_title(
        rf"(c) = (b) magnified: $\langle\sigma_z\rangle_\kappa - \langle\sigma_z\rangle_{{\kappa={kappas[0]:g}}}$;"
        "\nline: mean over each Larmor period, band: min-max within it (exact map)",
        fontsize=9,
    )
    ax.set_ylabel(r"$\Delta\langle\sigma_z\rangle$")
    legend(ax, style_key(_METHOD_KEY), outside=True)


def _fig4(ds: Any, out: Path) -> Path:
    fig, axs = new_figure(1, 3, figsize=(16, 4.6))
    k = ds["fig4_collision"].values
    for col, sweep, fixed in ((0, "beta", r"$\kappa$ = 0.3"), (1, "kappa", r"$\beta$ = 1")):
        arr = ds[f"fig4_sigma_z_trace_vs_{sweep}"].values
        _both_maps(axs[0, col].plot, k, arr, sweep, ds[f"fig4_{sweep}"].values, lw=1)
        axs[0, col].set_title(f"({'ab'[col]}) {fixed}, varying ${_SYM[sweep]}$", fontsize=9)
        axs[0, col].set_ylabel(r"$\langle\sigma_z\rangle$")
        legend(axs[0, col], style_key(_METHOD_KEY))
    arr = ds["fig4_sigma_z_trace_vs_kappa"].values
    spread = float(np.max(np.abs(arr - arr[:, :1])))
    _kappa_difference(axs[0, 2], k, arr, ds["fig4_kappa"].values)
    axs[0, 1].set_title(
        rf"(b) $\beta$ = 1, varying $\kappa$: the four curves overlap (spread $\leq$ {spread:.1e})",
        fontsize=9,
    )
    for ax in axs[0]:
        ax.set_xlabel("collision $i$")
    title(
        fig,
        r"Fig. 4: $\langle\sigma_z\rangle$ relaxing; $\kappa$ changes it by less than 0.01 (c): "
        "an oscillation at the Larmor period on top of a slow drift",
        _params(0.2),
    )
    return save(fig, out / "fig4.png")


def _steady_panels(ds: Any, out: Path, fig_name: str) -> Path:
    """Fig. 5 (C_l1, both maps) or Fig. 7 (W_sw solid and dQ dotted, exact map)."""
    fig, axs = new_figure(1, 2, figsize=(13, 4.4) if fig_name == "fig5" else (11, 4.4))
    for col, (x, curves, sweep) in enumerate(
        (("fig5_kappa", "fig5_beta_curves", "beta"), ("fig5_beta", "fig5_kappa_curves", "kappa"))
    ):
        ax, xs, other = axs[0, col], ds[x].values, "kappa" if sweep == "beta" else "beta"
        draw = ax.plot if col == 0 else ax.semilogx
        values = ds[curves].values
        if fig_name == "fig5":
            _both_maps(draw, xs, ds[f"steady_coherence_vs_{other}"].values, sweep, values)
            ax.set_ylabel(r"steady-state $C_{\ell_1}$")
            legend(ax, style_key(_METHOD_KEY), outside=True)
        else:
            work, heat = (
                ds[f"steady_{q}_vs_{other}"].values[0] for q in ("switching_work", "heat")
            )
            for b, v in enumerate(values):
                draw(xs, work[b], "-", color=f"C{b}", label=sym(sweep, v))
                draw(xs, heat[b], ":", color=f"C{b}")
            ax.set_ylabel(f"steady state, per collision {_UNIT}")
            key = (("-", r"$W_{\rm sw}$ (work injected)"), (":", r"$\delta Q$ (heat into S)"))
            legend(ax, style_key(key))
        ax.set_xlabel(r"$\kappa_{12}$" if col == 0 else r"$\beta$")
        ax.set_title(f"({'ab'[col]}) varying ${_SYM['kappa' if col == 0 else 'beta']}$", fontsize=9)
    what = (
        "Fig. 5: steady-state coherence of S"
        if fig_name == "fig5"
        else r"Fig. 7: steady-state work and heat per collision, exact map ($W_{\rm sw} = -\delta Q$)"
    )
    title(fig, what, _params(0.2))
    return save(fig, out / f"{fig_name}.png")


def _fig5_map(ds: Any, out: Path) -> Path:
    from ..plot import steady_state_map

    fig, axs = new_figure(1, 1, figsize=(6, 5))
    ax = steady_state_map(
        ds, "steady_coherence_map", x="map_beta", y="map_kappa", ax=axs[0, 0], colorbar=False
    )
    fig.colorbar(ax.collections[0], ax=ax, label=r"steady-state $C_{\ell_1}$")
    ax.set_xlabel(r"$\beta$")
    ax.set_ylabel(r"$\kappa_{12}$")
    title(fig, "Steady-state coherence, exact collision map", _params(0.2).replace("; ", "\n", 1))
    return save(fig, out / "fig5_map.png")


def _fig6(ds: Any, out: Path) -> Path:
    fig, axs = new_figure(1, 3, figsize=(13, 4.2))
    led, i_c = ds["fig6_ledger"].values, ds["fig6_collision"].values
    labels = (
        r"$\Delta U$ (system energy change)",
        r"$\delta Q$ (heat into S)",
        r"$W_{\rm sw}$ (switching work)",
    )
    for i, lab in enumerate(labels):
        for a, method in enumerate(METHODS):
            axs[0, i].plot(
                i_c, led[a, i], STYLE[method], color=f"C{a}", label=dict(_METHOD_KEY)[STYLE[method]]
            )
        axs[0, i].set_ylabel(f"{lab} {_UNIT}")
        axs[0, i].set_xlabel("collision $i$")
        axs[0, i].legend(fontsize=8)
    title(
        fig,
        r"Fig. 6: energy ledger of each collision, $\kappa$ = 0.3, $\beta$ = 1 "
        r"($\Delta U = \delta Q + W_{\rm sw}$)",
        _params(0.1),
    )
    return save(fig, out / "fig6.png")


def _fig8(ds: Any, out: Path) -> Path:
    fig, axs = new_figure(1, 2, figsize=(13, 4.4))
    i8 = ds["fig8_collision"].values
    for col, sweep, fixed in ((0, "beta", r"$\kappa$ = 0.3"), (1, "kappa", r"$\beta$ = 1")):
        sig = ds[f"fig8_sigma_vs_{sweep}"].values
        _both_maps(axs[0, col].semilogy, i8, sig, sweep, ds[f"fig4_{sweep}"].values)
        axs[0, col].set_xlabel("collision $i$")
        axs[0, col].set_ylabel(r"$\Sigma(i) = \Delta S_S - \beta\,\delta Q$ [$k_B$]")
        axs[0, col].set_title(f"({'ab'[col]}) {fixed}, varying ${_SYM[sweep]}$", fontsize=9)
        legend(axs[0, col], style_key(_METHOD_KEY), outside=True)
    title(
        fig,
        "Fig. 8: entropy production per collision (dashed lies under solid where the maps agree)",
        _params(0.2),
    )
    return save(fig, out / "fig8.png")


def plot(ds: Any, out: Path) -> list[Path]:
    """Figs. 3-8 and the steady-state coherence map from :func:`compute`'s data, as PNG files."""
    out = Path(out)
    makers = (
        _fig3,
        _fig4,
        lambda d, o: _steady_panels(d, o, "fig5"),
        lambda d, o: _steady_panels(d, o, "fig7"),
        _fig5_map,
        _fig6,
        _fig8,
    )
    return [make(ds, out) for make in track(makers, "figures")]


def reproduce(out: str | Path, quick: bool = False) -> Any:
    """Run this reproduction into ``out`` (compute, netCDF, figures, checks, summary.md)."""
    return run(sys.modules[__name__], out, quick)


__all__ = ["PAPER", "NAME", "compute", "plot", "checks", "notes", "reproduce"]
