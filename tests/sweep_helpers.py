"""A kind that fails at some grid points (module level, so Dask can pickle it by reference)."""

from __future__ import annotations

from qbath.config.kinds import QubitProblem

SWEEP_TOML = """
kind = "qubit"

[model]
omega = 1.0
gamma = 0.3
beta = 1.0

[initial]
bloch = [1.0, 0.0, 0.0]

[solver]
t_max = 2.0
n_times = 5
delay = {delay}

[sweep]
outputs = ["final_Z", "steady_Z", "final_l1_coherence"]
"""


class FailingQubit(QubitProblem):
    """The qubit kind, except that it raises for omega > 1.5."""

    kind = "failing-qubit"

    def solve(self):
        if self.data["model"]["omega"] > 1.5:
            raise RuntimeError(f"no convergence at omega={self.data['model']['omega']}")
        return super().solve()
