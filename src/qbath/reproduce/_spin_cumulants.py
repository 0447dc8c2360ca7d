"""``qbath reproduce spin-cumulants``: mean field vs second-order cumulants vs exact for N spins.

Reproduces A. M. Rey and E. C. Chaparro, "Mean-field approximation and cumulant expansion for a
generic spin Hamiltonian" (2021). The paper derives mean-field (Sec. II) and second-order cumulant
(Sec. III, closure Eq. 252) equations for N spins with couplings ``A_jk`` and local dissipation, but
shows no numbers. This reproduction checks:

1. ``SpinModel.from_seed003`` against the paper's master equation written literally (its sigma^pm
   and dissipator form, a 4^N superoperator for N = 3);
2. the paper's final mean-field equations (Eqs. 230-236) against the exact time derivative at a
   random product state, mechanism by mechanism (fields, couplings, dissipation), and the corrected
   equations (``docs/errata.md``);
3. exactness where the theory says so: mean field for N = 1 and for uncoupled spins, the
   second-order cumulants for N = 2;
4. the short-time orders of the errors from a product state (mean field t^2, cumulant t^3 for the
   correlations, t^4 for the Bloch vectors), which test the closure Eq. 252;
5. errors of mean field and cumulants against exact for random non-identical models, N = 3..6;
6. a large-N run: one-axis twisting (closed form of Kitagawa and Ueda) and a paper-style random
   all-to-all model with N spins, with the mean-field steady state.

:func:`compute` returns the numbers as an ``xarray.Dataset``; :func:`plot` draws
``fig_trajectories.png``, ``fig_errors.png``, ``fig_short_time.png`` and ``fig_large_n.png``;
:func:`checks` holds them against the paper and the closed forms.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.linalg import expm

from .._meta import make_meta
from .._operators import embed, sigmax, sigmay, sigmaz, tensor
from .._optional import require
from .._states import bloch_state
from ..io import attrs_from_meta
from ..ode import DOP853, Dopri5
from ..spins import (
    SpinModel,
    cumulant,
    exact,
    kitagawa_ueda,
    meanfield,
    meanfield_rhs,
    meanfield_steady_state,
    oat_model,
    squeezing_parameter,
    total_spin,
)
from ._figures import draw_figures, legend, style_key
from ._report import Check, Paper, Reproduction, close, holds
from ._rows import Parts, vanishes
from ._runner import track
from ._seed003_formulas import seed_liouvillian, seed_meanfield_rhs

PAPER = Paper(
    authors="A. M. Rey, E. C. Chaparro",
    title="Mean-field approximation and cumulant expansion for a generic spin Hamiltonian",
    year=2021,
    reference="notes, Department of Physics, University of Colorado, Boulder (6 April 2021); "
    "seed 003_85eee83bbc37ecdb.txt",
)
NAME = "spin-cumulants"
SEED = "003_85eee83bbc37ecdb.txt"
ERRATA = "docs/errata.md"

#: mechanism cases of the mean-field check: (N, field scale, coupling scale, (gamma_+, gamma_-, gamma_z))
MF_CASES = {
    "fields only": (3, 1.0, 0.0, (0.0, 0.0, 0.0)),
    "couplings only": (3, 0.0, 1.0, (0.0, 0.0, 0.0)),
    "dissipation only, N = 1": (1, 0.0, 0.0, (0.3, 0.5, 0.2)),
    "dissipation only, N = 3": (3, 0.0, 0.0, (0.3, 0.5, 0.2)),
    "all terms": (3, 1.0, 1.0, (0.3, 0.5, 0.2)),
}
#: which printed equation is wrong in which case (docs/errata.md): (case, component) -> erratum
MF_ERRATA = {
    ("fields only", "xy"): False,
    ("fields only", "z"): True,
    ("couplings only", "xy"): True,
    ("couplings only", "z"): True,
    ("dissipation only, N = 1", "xy"): False,
    ("dissipation only, N = 1", "z"): True,
    ("dissipation only, N = 3", "xy"): True,
    ("dissipation only, N = 3", "z"): True,
    ("all terms", "xy"): True,
    ("all terms", "z"): True,
}
MF_COMPONENTS = {"xy": "Eq. 230 (d<sigma+>/dt)", "z": "Eq. 236 (d<sigma_z>/dt)"}
SHORT_ORDERS = {"meanfield_bloch": 2, "cumulant_corr": 3, "cumulant_bloch": 4}


# ----------------------------------------------------------------------------- random models
def random_model(
    n: int, rng: np.random.Generator, coupling: float = 0.25, rates: tuple = (0.05, 0.3)
) -> SpinModel:
    """Non-identical spins: normal fields, normal J (scale ``coupling``), uniform per-spin rates."""
    return SpinModel(
        rng.normal(size=(n, 3)),
        coupling * rng.normal(size=(n, n, 3, 3)),
        gamma_minus=rng.uniform(*rates, size=n),
        gamma_plus=rng.uniform(*rates, size=n) / 2,
        gamma_z=rng.uniform(*rates, size=n) / 2,
    )


def random_bloch(n: int, rng: np.random.Generator, rmin: float = 0.6) -> np.ndarray:
    """``n`` random Bloch vectors with lengths uniform in [rmin, 1], shape (n, 3)."""
    v = rng.normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1)[:, None] * rng.uniform(rmin, 1.0, size=(n, 1))


def max_errors(approx: Any, ref: Any, upto: float = np.inf) -> tuple[float, float]:
    """max |Bloch error| and max |correlation error| for times <= ``upto`` (product s_i s_j for
    mean field)."""
    k = ref.times <= upto
    eb = float(np.max(np.abs(approx.bloch[k] - ref.bloch[k])))
    if approx.correlations is not None:
        c = approx.correlations[k]
    else:
        c = np.einsum("tia,tjb->tijab", approx.bloch[k], approx.bloch[k])
        n = c.shape[1]
        c[:, np.arange(n), np.arange(n)] = 0.0
    return eb, float(np.max(np.abs(c - ref.correlations[k])))


def _pauli(n: int) -> list[list[np.ndarray]]:
    return [[embed(p, i, [2] * n) for p in (sigmax(), sigmay(), sigmaz())] for i in range(n)]


# ----------------------------------------------------------------------------- compute
def _seed_literal_data(rng: np.random.Generator) -> dict[str, Any]:
    """qbath's model and solver against the paper's Eq. 13 propagated with expm, N = 3."""
    n = 3
    h = rng.normal(size=(n, 3))
    A = rng.normal(size=(n, n)) * 0.5
    gp, gm, gz = 0.05, 0.12, 0.07
    s0 = random_bloch(n, rng)
    times = np.linspace(0.0, 2.0, 9)
    L = seed_liouvillian(h, A, gp, gm, gz)
    rho0 = tensor(*bloch_state(s0))
    sig = _pauli(n)
    lit = []
    for t in times:
        rho = (expm(L * t) @ rho0.reshape(-1, order="F")).reshape(2**n, 2**n, order="F")
        lit.append([[np.trace(sig[i][a] @ rho).real for a in range(3)] for i in range(n)])
    q = exact(SpinModel.from_seed003(h, A, gp, gm, gz), s0, times)
    return {"seed_literal_bloch_diff": float(np.max(np.abs(q.bloch - np.array(lit))))}


def _exact_derivative(h: np.ndarray, A: np.ndarray, rates: tuple, s: np.ndarray) -> np.ndarray:
    """d<sigma_i^a>/dt of the paper's literal Eq. 13 at the product state of Bloch vectors ``s``."""
    m = h.shape[0]
    r0 = tensor(*bloch_state(s)).reshape(-1, order="F")
    dr = (seed_liouvillian(h, A, *rates) @ r0).reshape(2**m, 2**m, order="F")
    sg = _pauli(m)
    return np.array([[np.trace(sg[i][a] @ dr).real for a in range(3)] for i in range(m)])


def _meanfield_rhs_data(rng: np.random.Generator) -> dict[str, Any]:
    """Per mechanism: max |qbath RHS - exact| and max |paper's Eqs. 230/236 - exact|, printed and
    corrected, for the components xy (Eq. 230) and z (Eq. 236)."""
    qb_res = np.zeros(len(MF_CASES))
    printed = np.zeros((len(MF_CASES), 2))
    fixed = np.zeros((len(MF_CASES), 2))
    for c, (m, hs, As, g3) in enumerate(MF_CASES.values()):
        hh = rng.normal(size=(m, 3)) * hs
        AA = rng.normal(size=(m, m)) * As
        s = random_bloch(m, rng)
        ex = _exact_derivative(hh, AA, g3, s)
        qb_res[c] = float(
            np.max(np.abs(meanfield_rhs(SpinModel.from_seed003(hh, AA, *g3), s) - ex))
        )
        p = seed_meanfield_rhs(hh, AA, *g3, s)
        f = seed_meanfield_rhs(hh, AA, *g3, s, terms="corrected")
        for k, sl in enumerate((slice(0, 2), slice(2, 3))):
            printed[c, k] = float(np.max(np.abs(p[:, sl] - ex[:, sl])))
            fixed[c, k] = float(np.max(np.abs(f[:, sl] - ex[:, sl])))
    return {
        "mf_rhs_qbath_residual": ("mf_case", qb_res),
        "mf_rhs_printed_residual": (("mf_case", "mf_component"), printed),
        "mf_rhs_corrected_residual": (("mf_case", "mf_component"), fixed),
    }


def _exactness_data(rng: np.random.Generator) -> dict[str, Any]:
    """Mean field for N = 1 and 4 uncoupled spins, cumulants for N = 2, against exact."""
    t = np.linspace(0.0, 3.0, 16)
    m1 = random_model(1, rng)
    s1 = random_bloch(1, rng)
    mf1 = max_errors(meanfield(m1, s1, t), exact(m1, s1, t))[0]
    mu = SpinModel(
        rng.normal(size=(4, 3)),
        None,
        rng.uniform(0.1, 0.5, 4),
        rng.uniform(0.1, 0.5, 4),
        rng.uniform(0.1, 0.5, 4),
    )
    su = random_bloch(4, rng)
    mfu = max_errors(meanfield(mu, su, t), exact(mu, su, t))[0]
    m2 = random_model(2, rng, coupling=0.5)
    s2 = random_bloch(2, rng)
    eb, ec = max_errors(cumulant(m2, s2, t), exact(m2, s2, t))
    return {
        "exactness_meanfield_n1": ((), mf1),
        "exactness_meanfield_uncoupled": ((), mfu),
        "exactness_cumulant_n2_bloch": ((), eb),
        "exactness_cumulant_n2_corr": ((), ec),
    }


def _short_time_data(rng: np.random.Generator) -> tuple[dict[str, Any], np.ndarray]:
    """Max errors of mean field and cumulants at short times from a product state, N = 4."""
    m = random_model(4, rng, coupling=0.5)
    s = random_bloch(4, rng)
    t = np.concatenate([[0.0], np.geomspace(2e-3, 5e-2, 7)])
    kw = dict(method=DOP853(rtol=1e-13, atol=1e-15))
    ex, mf, cu = exact(m, s, t, **kw), meanfield(m, s, t, **kw), cumulant(m, s, t, **kw)
    return {
        "short_err_meanfield_bloch": ("t_short", np.abs(mf.bloch - ex.bloch).max(axis=(1, 2))[1:]),
        "short_err_cumulant_bloch": ("t_short", np.abs(cu.bloch - ex.bloch).max(axis=(1, 2))[1:]),
        "short_err_cumulant_corr": (
            "t_short",
            np.abs(cu.correlations - ex.correlations).max(axis=(1, 2, 3, 4))[1:],
        ),
    }, t[1:]


def _random_table_data(rng: np.random.Generator, quick: bool) -> dict[str, Any]:
    """Errors of mean field and cumulants against exact for random models, N = 3..6."""
    ns = (3, 4, 5) if quick else (3, 4, 5, 6)
    samples = 2 if quick else 4
    t = np.linspace(0.0, 3.0, 31)
    rows, physical = [], []
    for n in track([n for n in ns for _ in range(samples)], "random models vs exact"):
        m = random_model(n, rng, coupling=0.1)
        s = random_bloch(n, rng)
        ex, mf, cu = exact(m, s, t), meanfield(m, s, t), cumulant(m, s, t)
        rows.append(
            (
                n,
                *max_errors(mf, ex),
                *max_errors(cu, ex),
                *max_errors(mf, ex, 1.0),
                *max_errors(cu, ex, 1.0),
            )
        )
        physical.append(cu.physical.ok)
    arr = np.array(rows)
    names = [
        "meanfield_bloch",
        "meanfield_corr",
        "cumulant_bloch",
        "cumulant_corr",
        "meanfield_bloch_t1",
        "meanfield_corr_t1",
        "cumulant_bloch_t1",
        "cumulant_corr_t1",
    ]
    data = {f"random_err_{k}": ("model", arr[:, i + 1]) for i, k in enumerate(names)}
    data["random_n_spins"] = ("model", arr[:, 0])
    data["random_cumulant_physical"] = ("model", np.array(physical, dtype=float))
    return data


def _oat_data(quick: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """One-axis twisting, N = 100 (quick) or 400: cumulants and mean field vs Kitagawa-Ueda."""
    n = 100 if quick else 400
    t_opt = n ** (-2 / 3)
    t = np.linspace(0.0, 2.0 * t_opt, 21)
    t0 = time.perf_counter()
    cu = cumulant(
        oat_model(n),
        [1.0, 0.0, 0.0],
        t,
        store_correlations=False,
        method=Dopri5(rtol=1e-8, atol=1e-10),
    )
    wall = time.perf_counter() - t0
    mf = meanfield(oat_model(n), [1.0, 0.0, 0.0], t)
    sx, xi_exact = kitagawa_ueda(n, 1.0, t)
    data = {
        "oat_xi2_exact": ("t_oat", xi_exact),
        "oat_xi2_cumulant": ("t_oat", squeezing_parameter(cu)),
        "oat_xi2_meanfield": ("t_oat", squeezing_parameter(mf)),
        "oat_sx_exact": ("t_oat", sx),
        "oat_sx_cumulant": ("t_oat", total_spin(cu)[:, 0]),
    }
    return data, {"t_oat": t, "oat_n": n, "oat_t_opt": t_opt, "oat_wall_s": wall}


def _seed_model_data(quick: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """A paper-style model: random fields, symmetric random A / N, the paper's rates; N = 60/500."""
    n = 60 if quick else 500
    rng = np.random.default_rng(3)
    h = rng.normal(size=(n, 3)) * 0.5 + np.array([0.0, 0.0, 1.0])
    A = rng.normal(size=(n, n)) / n
    A = (A + A.T) / 2
    model = SpinModel.from_seed003(h, A, gamma_plus=0.01, gamma_minus=0.03, gamma_z=0.01)
    s0 = np.tile([1.0, 0.0, 0.0], (n, 1))
    tl = np.linspace(0.0, 2.0, 21)
    t0 = time.perf_counter()
    cu = cumulant(model, s0, tl, store_correlations=False, method=DOP853(rtol=1e-7, atol=1e-9))
    wall = time.perf_counter() - t0
    mf = meanfield(model, s0, tl)
    ss = meanfield_steady_state(model, mf, t_relax=60.0)
    data = {
        "seed_S_meanfield": (("t_seed", "component"), total_spin(mf)),
        "seed_S_cumulant": (("t_seed", "component"), total_spin(cu)),
        "seed_xi2_cumulant": ("t_seed", squeezing_parameter(cu)),
        "seed_steady_residual": ((), float(ss.residual)),
        "seed_cumulant_physical": ((), float(cu.physical.ok)),
        "seed_min_pair_eigenvalue": ((), float(cu.physical.min_pair_eigenvalue)),
    }
    info = {
        "seed_n": n,
        "seed_wall_s": wall,
        "seed_nfev": int(cu.meta["nfev"]),
        "seed_steady_converged": bool(ss.converged),
        # None when the Jacobian is not formed (N > meanfield_steady_state's jacobian_max_n)
        "seed_max_growth_rate": np.nan if ss.max_growth_rate is None else float(ss.max_growth_rate),
    }
    return data, {"t_seed": tl, **info}


def _trajectory_data() -> tuple[dict[str, Any], np.ndarray]:
    """Example trajectories, N = 4, exact / mean field / cumulant."""
    m = random_model(4, np.random.default_rng(7))
    s = random_bloch(4, np.random.default_rng(8))
    t = np.linspace(0.0, 4.0, 81)
    ex, mf, cu = exact(m, s, t), meanfield(m, s, t), cumulant(m, s, t)
    return {
        "bloch_exact": (("time", "spin", "component"), ex.bloch),
        "bloch_meanfield": (("time", "spin", "component"), mf.bloch),
        "bloch_cumulant": (("time", "spin", "component"), cu.bloch),
        "corr_exact": (("time", "spin", "spin2", "component", "component2"), ex.correlations),
        "corr_cumulant": (("time", "spin", "spin2", "component", "component2"), cu.correlations),
    }, t


def compute(quick: bool = False) -> Any:
    """Every number of the reproduction as an ``xarray.Dataset`` (provenance in its attrs).

    ``quick``: random models N = 3..5 with 2 samples each (full: N = 3..6, 4 samples), one-axis
    twisting with N = 100 (full: 400), the paper-style model with N = 60 (full: 500).
    """
    xr = require("xarray", purpose="the reproduction's netCDF data")
    rng = np.random.default_rng(2021)  # one stream, drawn in this order
    data: dict[str, Any] = {}
    data.update(_seed_literal_data(rng))
    data.update(_meanfield_rhs_data(rng))
    data.update(_exactness_data(rng))
    short, t_short = _short_time_data(rng)
    data.update(short)
    data.update(_random_table_data(rng, quick))
    oat, oat_info = _oat_data(quick)
    seed, seed_info = _seed_model_data(quick)
    traj, t = _trajectory_data()
    data.update(oat)
    data.update(seed)
    data.update(traj)
    data["seed_literal_bloch_diff"] = ((), data["seed_literal_bloch_diff"])
    coords = {
        "time": t,
        "spin": np.arange(4),
        "spin2": np.arange(4),
        "component": ["x", "y", "z"],
        "component2": ["x", "y", "z"],
        "t_short": t_short,
        "t_oat": oat_info.pop("t_oat"),
        "t_seed": seed_info.pop("t_seed"),
        "model": np.arange(data["random_n_spins"][1].size),
        "mf_case": list(MF_CASES),
        "mf_component": list(MF_COMPONENTS),
    }
    meta = make_meta(
        "reproduce.spin-cumulants",
        quick=quick,
        seed_file=SEED,
        seed_literal_bloch_diff=data["seed_literal_bloch_diff"][1],
        **oat_info,
        **seed_info,
    )
    return xr.Dataset(data, coords=coords, attrs=attrs_from_meta(meta))


# ----------------------------------------------------------------------------- checks
_part = Parts()  # the parts of checks(), in order


@_part
def _seed_literal_checks(ds: Any) -> list[Check]:
    """The model mapping and the paper's mean-field equations, mechanism by mechanism."""
    out = [
        vanishes(
            "from_seed003 + exact vs the paper's master equation written literally, max |Bloch diff|, N = 3",
            float(ds["seed_literal_bloch_diff"]),
            1e-7,
            "Eqs. 1, 7-14",
            note="rates 8 gamma_pm, 2 gamma_z on qbath's sigma_pm",
        )
    ]
    for c, name in enumerate(MF_CASES):
        out.append(
            vanishes(
                f"qbath mean-field RHS vs exact d<sigma>/dt at a product state ({name}): max |diff|",
                float(ds["mf_rhs_qbath_residual"][c]),
                1e-12,
                "Eq. 29",
            )
        )
        for k, (comp, eq) in enumerate(MF_COMPONENTS.items()):
            wrong = MF_ERRATA[(name, comp)]
            out.append(
                vanishes(
                    f"paper's {eq} as printed vs exact ({name}): max |diff|",
                    float(ds["mf_rhs_printed_residual"][c, k]),
                    1e-10,
                    " ".join(eq.split()[:2]),
                    expect_fail=wrong,
                )
            )
            if wrong:
                out.append(
                    vanishes(
                        f"paper's {eq} as corrected in {ERRATA} vs exact ({name}): max |diff|",
                        float(ds["mf_rhs_corrected_residual"][c, k]),
                        1e-10,
                        f"{' '.join(eq.split()[:2])} corrected",
                    )
                )
    return out


@_part
def _exactness_checks(ds: Any) -> list[Check]:
    """Where mean field (N = 1, uncoupled) and second-order cumulants (N = 2) are exact."""
    rows = (
        ("mean field vs exact, N = 1: max |Bloch diff|", "exactness_meanfield_n1", "Eq. 30", ""),
        (
            "mean field vs exact, 4 uncoupled spins: max |Bloch diff|",
            "exactness_meanfield_uncoupled",
            "Eq. 30",
            "",
        ),
        (
            "cumulant order 2 vs exact, N = 2: max |Bloch diff|",
            "exactness_cumulant_n2_bloch",
            "Eqs. 251-252",
            "no three-spin moments exist for N = 2",
        ),
        (
            "cumulant order 2 vs exact, N = 2: max |correlation diff|",
            "exactness_cumulant_n2_corr",
            "Eqs. 251-252",
            "",
        ),
    )
    return [vanishes(name, float(ds[var]), 1e-7, src, note=note) for name, var, src, note in rows]


def short_time_slopes(ds: Any) -> dict[str, float]:
    """Log-log slopes of the short-time errors (least squares over the stored times)."""
    lt = np.log(ds["t_short"].values)
    return {
        k: float(np.polyfit(lt, np.log(ds[f"short_err_{k}"].values), 1)[0]) for k in SHORT_ORDERS
    }


@_part
def _short_time_checks(ds: Any) -> list[Check]:
    """Eq. 252 closure: error orders t^2 (mean field), t^3 (cumulant correlations), t^4 (Bloch)."""
    slopes = short_time_slopes(ds)
    return [
        close(
            f"short-time error order, {k.replace('_', ' ')} (log-log slope)",
            slopes[k],
            order,
            atol=0.2,
            source="Eq. 252",
            note="from a product state: 2-spin cumulants ~ t, 3-spin cumulants ~ t^2",
        )
        for k, order in SHORT_ORDERS.items()
    ]


@_part
def _random_table_checks(ds: Any) -> list[Check]:
    """Sec. III: second-order cumulants improve on mean field; their trajectories stay physical."""
    ns = ds["random_n_spins"].values
    out = []
    for n in np.unique(ns):
        sel = ns == n
        ratio = np.median(ds["random_err_cumulant_bloch"].values[sel]) / np.median(
            ds["random_err_meanfield_bloch"].values[sel]
        )
        out.append(
            holds(
                f"N = {int(n)}: median cumulant Bloch error / median mean-field Bloch error, t in [0, 3]",
                float(ratio),
                "<= 1",
                bool(abs(ratio) <= 1.0),
                tolerance="ratio <= 1",
                source="Sec. III",
                note="the paper's claim: second-order cumulants improve on mean field",
            )
        )
    phys = ds["random_cumulant_physical"].values
    out.append(
        close(
            "cumulant trajectories of the random models that are physical (|s| <= 1, 2-spin marginals >= 0)",
            int(phys.sum()),
            len(phys),
            atol=0,
            source="Sec. III",
        )
    )
    return out


@_part
def _large_n_checks(ds: Any) -> list[Check]:
    """One-axis twisting against Kitagawa-Ueda; the paper-style model's steady state."""
    n, t_opt = ds.attrs["oat_n"], ds.attrs["oat_t_opt"]
    t = ds["t_oat"].values
    xi_cu, xi_ex = ds["oat_xi2_cumulant"].values, ds["oat_xi2_exact"].values
    early = t <= 0.5 * t_opt
    err_sx = np.abs(ds["oat_sx_cumulant"].values - ds["oat_sx_exact"].values) / (n / 2)
    src = "Kitagawa-Ueda closed form (not in the paper)"
    out = [
        vanishes(
            f"one-axis twisting N = {n}: <S_x> cumulant vs closed form, t <= t_opt (max error / (N/2))",
            float(np.max(err_sx[t <= t_opt])),
            0.01,
            src,
            note="a large-N reference independent of qbath",
        ),
        vanishes(
            f"one-axis twisting N = {n}: xi_R^2 cumulant vs closed form, t <= t_opt/2 (max rel. diff)",
            float(np.max(np.abs(xi_cu[early] - xi_ex[early]) / xi_ex[early])),
            0.1,
            src,
        ),
        vanishes(
            f"one-axis twisting N = {n}: mean field has no squeezing (max |xi_R^2 - 1|)",
            float(np.max(np.abs(ds["oat_xi2_meanfield"].values - 1))),
            1e-6,
            "Eq. 30",
        ),
    ]
    m = ds.attrs["seed_n"]
    out.append(
        vanishes(
            f"paper-style model N = {m}: mean-field steady state residual max|ds/dt|",
            float(ds["seed_steady_residual"]),
            1e-8,
            "Sec. II",
        )
    )
    ok = bool(ds["seed_cumulant_physical"])
    out.append(
        holds(
            f"paper-style model N = {m}: cumulant trajectory physical",
            ok,
            True,
            ok,
            tolerance="flags",
            source="Sec. III",
            note=f"min two-spin eigenvalue {float(ds['seed_min_pair_eigenvalue'])}",
        )
    )
    return out


def checks(ds: Any) -> list[Check]:
    """The paper's equations and the closed forms held against the numbers of :func:`compute`."""
    return _part.rows(ds)


def notes(ds: Any) -> list[str]:
    """What the numbers say beyond pass/fail: error medians, the large-N behaviour, run times."""
    ns = ds["random_n_spins"].values
    cols = ["meanfield_bloch", "meanfield_corr", "cumulant_bloch", "cumulant_corr"]
    out = [
        "Random models (non-identical spins): h ~ N(0, 1), J ~ 0.1 N(0, 1) per component, per-spin "
        "rates gamma_- ~ U(0.05, 0.3), gamma_+ and gamma_z ~ U(0.025, 0.15), |s_i(0)| in [0.6, 1]. "
        "Errors: max over times, spins, components; medians over the models of each N."
    ]
    for n in np.unique(ns):
        sel = ns == n
        med = {
            c: np.median(ds[f"random_err_{c}"].values[sel])
            for c in cols + [c + "_t1" for c in cols]
        }
        out.append(
            f"N = {int(n)} ({sel.sum()} models): t in [0, 3]: MF Bloch {med[cols[0]]:.3g}, MF corr "
            f"{med[cols[1]]:.3g}, cumulant Bloch {med[cols[2]]:.3g}, cumulant corr {med[cols[3]]:.3g}; "
            f"t in [0, 1]: MF Bloch {med[cols[0] + '_t1']:.3g}, MF corr {med[cols[1] + '_t1']:.3g}, "
            f"cumulant Bloch {med[cols[2] + '_t1']:.3g}, cumulant corr {med[cols[3] + '_t1']:.3g}"
        )
    a = ds.attrs
    t = ds["t_oat"].values
    xi_cu, xi_ex = ds["oat_xi2_cumulant"].values, ds["oat_xi2_exact"].values
    err_sx = np.abs(ds["oat_sx_cumulant"].values - ds["oat_sx_exact"].values) / (a["oat_n"] / 2)
    early = t <= 0.5 * a["oat_t_opt"]
    rel = float(np.max(np.abs(xi_cu[early] - xi_ex[early]) / xi_ex[early]))
    out.append(
        f"One-axis twisting, N = {a['oat_n']}: the second-order cumulants follow the exact xi_R^2 at early "
        f"times (max rel. error {rel:.3g} for t <= t_opt/2) and then over-estimate the squeezing "
        f"(min xi_R^2 {np.min(xi_cu):.3g} vs exact {np.min(xi_ex):.3g}); the error of <S_x> / (N/2) "
        f"grows from {np.max(err_sx[t <= a['oat_t_opt']]):.2g} (t <= t_opt) to {np.max(err_sx):.2g} "
        f"(t <= 2 t_opt): the third-order cumulants dropped by Eq. 252 matter near and after the optimum "
        f"(t_opt = N^(-2/3)). Cumulant run: {a['oat_wall_s']:.1f} s."
    )
    rate = float(a["seed_max_growth_rate"])
    growth = f"{rate:.6g}" if np.isfinite(rate) else "not computed (no Jacobian at this N)"
    out.append(
        f"Paper-style model, N = {a['seed_n']} non-identical spins (from_seed003, A random symmetric / N): "
        f"cumulant run {a['seed_wall_s']:.1f} s for {a['seed_nfev']} RHS evaluations; mean-field steady "
        f"state converged={bool(a['seed_steady_converged'])}, max growth rate {growth}."
    )
    out.append(
        "Mapping of the paper's model (SpinModel.from_seed003): sigma_pm(paper) = 2 sigma_pm(qbath); the "
        "paper's dissipator is sum 2 gamma D[A], i.e. qbath rates 8 gamma_+, 8 gamma_-, 2 gamma_z; "
        "J_jk^ab = A_jk for all a, b (diagonal j = k only adds a constant)."
    )
    return out


# ----------------------------------------------------------------------------- figures
def _plot_trajectories(ds: Any, fig: Any) -> None:
    axes = fig.subplots(1, 2)
    t = ds["time"].values
    for i in range(ds.sizes["spin"]):
        line = axes[0].plot(t, ds["bloch_exact"].values[:, i, 2], "-", label=f"spin {i + 1}")[0]
        axes[0].plot(t, ds["bloch_meanfield"].values[:, i, 2], ":", color=line.get_color())
        axes[0].plot(t, ds["bloch_cumulant"].values[:, i, 2], "--", color=line.get_color())
    key = style_key([("-", "exact"), (":", "mean field"), ("--", "cumulant (2nd order)")])
    legend(axes[0], key, outside=True)
    axes[0].set(
        xlabel="$t$", ylabel=r"$\langle\sigma^z_i\rangle$", title="z component of each spin"
    )
    fig.suptitle(
        "N = 4 non-identical spins: random fields, couplings and rates (random_model, seeded)",
        fontsize=10,
    )

    def conn(kind: str) -> np.ndarray:
        b = ds[f"bloch_{kind}"].values
        return ds[f"corr_{kind}"].values[:, 0, 1, 0, 0] - b[:, 0, 0] * b[:, 1, 0]

    axes[1].plot(t, conn("exact"), "-k", label="exact")
    axes[1].plot(t, conn("cumulant"), "--r", label="cumulant (2nd order)")
    axes[1].axhline(0.0, color="b", ls=":", label="mean field (= 0)")
    axes[1].set(
        xlabel="$t$",
        ylabel=r"$\langle\sigma^x_1\sigma^x_2\rangle - \langle\sigma^x_1\rangle\langle\sigma^x_2\rangle$",
        title="connected correlation of spins 1, 2",
    )
    axes[1].legend(fontsize=8)


def _plot_errors(ds: Any, fig: Any) -> None:
    ax = fig.subplots()
    n = ds["random_n_spins"].values
    jit = 0.1
    ax.semilogy(n - jit, ds["random_err_meanfield_bloch"], "bo", label="mean field, Bloch vectors")
    ax.semilogy(n + jit, ds["random_err_cumulant_bloch"], "rs", label="cumulant, Bloch vectors")
    ax.semilogy(
        n + 2 * jit,
        ds["random_err_cumulant_corr"],
        "r^",
        mfc="none",
        label="cumulant, correlations",
    )
    ax.set_xticks(np.unique(n).astype(int))
    ax.set(
        xlabel="number of spins $N$",
        ylabel=r"max error vs exact, $t \in [0, 3]$",
        title="random non-identical spins (one marker per model)",
    )
    ax.legend(fontsize=8)


def _plot_short_time(ds: Any, fig: Any) -> None:
    ax = fig.subplots()
    t = ds["t_short"].values
    slopes = short_time_slopes(ds)
    labels = {
        "meanfield_bloch": "mean field, Bloch",
        "cumulant_corr": "cumulant, correlations",
        "cumulant_bloch": "cumulant, Bloch",
    }
    for (k, order), sty in zip(SHORT_ORDERS.items(), ("bo-", "r^-", "rs-"), strict=True):
        e = ds[f"short_err_{k}"].values
        ax.loglog(t, e, sty, label=f"{labels[k]} (slope {slopes[k]:.2f})")
        ref = 4 * e[-1] * (t / t[-1]) ** order  # drawn 4x above the data so that both stay visible
        ax.loglog(t, ref, ":", color="0.4", lw=1.2)
        ax.annotate(
            f"$t^{order}$", (t[0], ref[0]), textcoords="offset points", xytext=(-18, 0), fontsize=9
        )
    ax.set_xticks([2e-3, 5e-3, 1e-2, 2e-2, 5e-2], ["0.002", "0.005", "0.01", "0.02", "0.05"])
    ax.minorticks_off()
    ax.set(
        xlabel="$t$",
        ylabel="max error vs exact",
        title=r"short-time orders from a product state: $t^2$, $t^3$, $t^4$ (Eq. 252)",
    )
    ax.set_xlim(t[0] / 1.6, t[-1] * 1.2)
    ax.plot([], [], ":", color="0.4", label=r"reference slopes $t^2, t^3, t^4$ (offset x4)")
    ax.legend(fontsize=7)


def _plot_large_n(ds: Any, fig: Any) -> None:
    axes = fig.subplots(1, 3)
    t = ds["t_oat"].values
    a = axes[0]
    a.plot(t, ds["oat_xi2_exact"], "-k", lw=2, label="exact (Kitagawa-Ueda)")
    a.plot(t, ds["oat_xi2_cumulant"], "o--r", ms=4, label="cumulant (2nd order)")
    a.plot(t, ds["oat_xi2_meanfield"], "s:b", ms=3, mfc="none", label="mean field")
    a.set_yscale("log")
    a.axvline(ds.attrs["oat_t_opt"], color="0.6", lw=0.8, ls="--")
    a.set(
        xlabel=r"$\chi t$",
        ylabel=r"$\xi_R^2$",
        title=f"one-axis twisting $\\chi S_z^2$, N = {ds.attrs['oat_n']}",
    )
    a.legend(fontsize=7)
    ts = ds["t_seed"].values
    n = ds.attrs["seed_n"]
    S_mf, S_cu = ds["seed_S_meanfield"].values, ds["seed_S_cumulant"].values
    for k, col in enumerate("bgr"):
        axes[1].plot(ts, S_cu[:, k] / (n / 2), "-", color=col, label=f"$S_{'xyz'[k]}$ cumulant")
        axes[1].plot(
            ts,
            S_mf[:, k] / (n / 2),
            "o",
            color=col,
            ms=3,
            mfc="none",
            label=f"$S_{'xyz'[k]}$ mean field",
        )
        axes[2].semilogy(
            ts[1:],
            np.abs(S_cu[1:, k] - S_mf[1:, k]) / (n / 2),
            "-o",
            color=col,
            ms=3,
            label=f"$S_{'xyz'[k]}$",
        )
    axes[1].set(
        xlabel="$t$", ylabel=r"$\langle S^a\rangle / (N/2)$", title=f"paper-style model, N = {n}"
    )
    axes[1].legend(fontsize=6, ncol=2)
    axes[2].set(
        xlabel="$t$",
        ylabel=r"$|\langle S^a\rangle_{\rm cum} - \langle S^a\rangle_{\rm MF}| / (N/2)$",
        title="cumulant minus mean field",
    )
    axes[2].legend(fontsize=7)
    fig.suptitle(
        r"paper-style model: $h_i \sim 0.5\,\mathcal{N}(0,1) + \hat z$, $A = $ symmetrised $\mathcal{N}(0,1)/N$, "
        r"$\gamma_+ = 0.01$, $\gamma_- = 0.03$, $\gamma_z = 0.01$ (paper's units); one-axis twisting: exact vs "
        r"cumulants, dashed line $t_{\rm opt} = N^{-2/3}$",
        fontsize=9,
    )


def plot(ds: Any, out: Path) -> list[Path]:
    """Draw the four figures from :func:`compute`'s data.

    The ``qbath.plot`` helpers draw one result at a time; these panels compare three methods and
    many models of one dataset, so they are drawn with matplotlib directly.
    """
    figures = (
        ("fig_trajectories.png", _plot_trajectories, (12, 4.6)),
        ("fig_errors.png", _plot_errors, (6, 4)),
        ("fig_short_time.png", _plot_short_time, (6.5, 4.5)),
        ("fig_large_n.png", _plot_large_n, (15, 4.8)),
    )
    return draw_figures(ds, out, figures)


def reproduce(out: str | Path, quick: bool = False) -> Reproduction:
    """Run this reproduction through :func:`qbath.reproduce.run` into the folder ``out``."""
    from ._runner import run  # the runner runs this module: imported when called

    return run(
        sys.modules[__name__],
        out,
        quick,
    )


__all__ = ["PAPER", "NAME", "compute", "plot", "checks", "notes", "reproduce", "short_time_slopes"]
