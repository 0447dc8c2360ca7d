"""Steady-state coherence of seed 001's Example 2 over (kappa, beta), as in its Fig. 5, computed
by a resumable Dask sweep of ``examples/collision_example2.toml``; a second panel shows that at the
steady state the switching work pays for the heat given to the ancillae (W_sw = -dQ, Fig. 7).

    python examples/fig5_map.py [--out DIR] [--quick]

Writes DIR/sweep/ (the sweep's data, resumable) and DIR/fig5-map.png (default DIR: results/fig5).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import qbath as qb  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="results/fig5")
    parser.add_argument("--quick", action="store_true", help="a 6 x 5 grid instead of 41 x 41")
    args = parser.parse_args()
    out = Path(args.out)

    cfg = qb.config.load_config(HERE / "collision_example2.toml")
    n_kappa, n_beta = (6, 5) if args.quick else (41, 41)
    plan = qb.sweep.plan_sweep(
        cfg,
        [f"kappa=0:2:{n_kappa}", f"beta=0.1:10:{n_beta}:log"],
        outputs=["steady_l1_coherence", "steady_heat", "steady_switching_work"],
    )
    ds = qb.sweep.run_sweep(plan, out / "sweep", workers=2, processes=not args.quick)

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    qb.plot.steady_state_map(ds, "steady_l1_coherence", ax=a1)
    a1.set_yscale("log")
    a1.set_title(r"steady-state $C_{\ell_1}$ (seed 001, Fig. 5)")
    beta1 = ds.sel(beta=1.0, method="nearest")
    a2.plot(ds.kappa, beta1.steady_switching_work, label=r"$W_{\rm sw}$")
    a2.plot(ds.kappa, -beta1.steady_heat, "--", label=r"$-\delta Q$")
    a2.set_xlabel("kappa")
    a2.set_title(rf"steady state, $\beta$ = {float(beta1.beta):.2g} (Fig. 7)")
    a2.legend()
    fig.tight_layout()
    fig.savefig(out / "fig5-map.png", dpi=120)
    gap = float(abs(ds.steady_switching_work + ds.steady_heat).max())
    print(f"{plan.grid.size} points -> {out / 'sweep' / 'sweep.nc'}, {out / 'fig5-map.png'}; max |W_sw + dQ| = {gap:.1e}")


if __name__ == "__main__":
    main()
