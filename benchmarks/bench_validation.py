"""Cost of validating states in the information measures. Prints JSON.

``entropy_stack``: ``qb.von_neumann_entropy`` of 10^4 random 4 x 4 density matrices with the
default state check, with ``check=False``, and a bare numpy reference (``eigvalsh`` and
``-sum p log p``) timed in the same run. ``ledger_beta20``: 10^4 exact collisions of Example 2 at
beta = 20 (relative entropy from the exact thermal log), against the same evolution at beta = 1.
``--quick`` shrinks the sizes.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import qbath as qb


def _best(f, repeat=3):
    t = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        t.append(time.perf_counter() - t0)
    return min(t)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    n = 1000 if ap.parse_args().quick else 10_000
    rng = np.random.default_rng(1)
    g = rng.normal(size=(n, 4, 4)) + 1j * rng.normal(size=(n, 4, 4))
    rho = g @ np.conj(np.swapaxes(g, -1, -2))
    rho /= np.trace(rho, axis1=-2, axis2=-1)[:, None, None]

    def ref():
        p = np.clip(np.linalg.eigvalsh(rho), 0, None)
        return -(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0)).sum(-1)

    out = {
        "entropy_stack": {
            "n": n,
            "checked_s": _best(lambda: qb.von_neumann_entropy(rho)),
            "unchecked_s": _best(lambda: qb.von_neumann_entropy(rho, check=False)),
            "numpy_reference_s": _best(ref),
        }
    }
    rho0 = qb.thermal_state(qb.sigmaz(), 1.0)
    times = {}
    for beta in (1.0, 20.0):
        m = qb.collision.structured_example2(1.0, 0.5, 1.5, 1.0, 0.3, beta=beta, dt=0.1)
        times[f"beta_{beta:g}_s"] = _best(lambda m=m: qb.collision.evolve(m, rho0, n), repeat=2)
    out["ledger_beta20"] = {"n_collisions": n, **times}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
