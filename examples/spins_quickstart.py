"""Mean field, second-order cumulants and exact dynamics of N spins (docs/spins.md).

Run: python examples/spins_quickstart.py
"""

import numpy as np
import scipy.sparse as sp

import qbath as qb

# --- four non-identical spins: random fields and couplings, per-spin dephasing ----------------
rng = np.random.default_rng(1)
N = 4
model = qb.spins.SpinModel(
    fields=rng.normal(size=(N, 3)),
    couplings=0.3 * rng.normal(size=(N, N, 3, 3)),  # J[i, j, a, b]
    gamma_minus=0.2,
    gamma_plus=0.05,
    gamma_z=[0.1, 0.1, 0.2, 0.2],
)
times = np.linspace(0.0, 2.0, 21)
bloch0 = [0.6, 0.0, 0.6]  # the same mixed state for every spin
mf = qb.spins.meanfield(model, bloch0, times)
cu = qb.spins.cumulant(model, bloch0, times)
ex = qb.spins.exact(model, bloch0, times)
for name, r in [("mean field", mf), ("cumulant", cu)]:
    print(f"{name:10s}: max |s - s_exact| = {np.abs(r.bloch - ex.bloch).max():.4f}")
print(f"cumulant  : max |C - C_exact| = {np.abs(cu.correlations - ex.correlations).max():.4f}")
print("cumulant physical:", cu.physical.ok)

# --- one-axis twisting of 200 spins: H = chi S_z^2 = (chi/4) sum_{i != j} sz_i sz_j -----------
n = 200
oat = qb.spins.SpinModel.from_graph(
    np.zeros((n, 3)), np.full((n, n), 0.25), np.diag([0.0, 0.0, 1.0])
)
t = np.linspace(0.0, 0.015, 4)
r = qb.spins.cumulant(oat, [1.0, 0.0, 0.0], t, store_correlations=False)
print("xi_R^2:", np.round(qb.spins.squeezing_parameter(r), 4))

# --- mean field on a 100 x 100 lattice (sparse XXZ couplings) and its steady state -----------
side = 100
idx = np.arange(side * side).reshape(side, side)
bonds = np.concatenate(
    [
        np.stack([idx.ravel(), np.roll(idx, -1, 1).ravel()], 1),
        np.stack([idx.ravel(), np.roll(idx, -1, 0).ravel()], 1),
    ]
)
A = sp.coo_matrix((np.ones(len(bonds)), bonds.T), shape=(side**2, side**2)).tocsr()
lattice = qb.spins.SpinModel.from_graph(
    np.tile([0.5, 0.0, 1.0], (side**2, 1)), A, np.diag([0.1, 0.1, 0.05]), gamma_minus=0.5
)
traj = qb.spins.meanfield(lattice, [1.0, 0.0, 0.0], [0.0, 5.0])
ss = qb.spins.meanfield_steady_state(lattice, traj)
print(f"lattice steady state: converged={ss.converged}, <sigma_z> = {ss.bloch[:, 2].mean():.4f}")

# --- the seed's model: its sigma_pm = sigma_x +- i sigma_y and dissipator sum 2 gamma D[A] -----
seed = qb.spins.SpinModel.from_seed003(
    h=np.zeros((2, 3)), A=np.ones((2, 2)), gamma_plus=0.01, gamma_minus=0.02, gamma_z=0.03
)
print(
    "qbath rates (gamma_-, gamma_+, gamma_z):",
    seed.gamma_minus[0],
    seed.gamma_plus[0],
    seed.gamma_z[0],
)
