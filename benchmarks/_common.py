"""Pieces the benchmarks share: the dissipative Ising chain, best-of timing, the trace distance and
the version stamp of the JSON output.

The benchmarks run as scripts (``python benchmarks/bench_NAME.py``), so this folder is on
``sys.path`` and ``from _common import ...`` works.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def ising_chain(N: int, *, spins_up: bool = False) -> tuple[Any, Any, list[Any], Any, Any]:
    """The chain of the QuantumToolbox.jl paper as QuTiP objects.

    H0 = 0.2 sum_i sigma_z^i + sum_i sigma_x^i sigma_x^{i+1} (open chain); returns
    ``(H0, sum_i sigma_x^i, [sigma_-^i], psi0, sum_i sigma_z^i)`` with psi0 all spins down
    (``basis(2, 1)``, down in QuTiP and qbath) or all up.
    """
    import qutip as qt

    def site(op: Any, i: int) -> Any:
        return qt.tensor([op if k == i else qt.qeye(2) for k in range(N)])

    sx = [site(qt.sigmax(), i) for i in range(N)]
    sz = [site(qt.sigmaz(), i) for i in range(N)]
    sm = [site(qt.sigmam(), i) for i in range(N)]
    H0 = 0.2 * sum(sz) + sum(sx[i] * sx[i + 1] for i in range(N - 1))
    psi0 = qt.tensor([qt.basis(2, 0 if spins_up else 1)] * N)
    return H0, sum(sx), sm, psi0, sum(sz)


def chain(N: int) -> tuple[Any, list[Any], Any, Any]:
    """The undriven dissipative problem: ``(H, c_ops, psi0, sum_i sigma_z^i)``, all spins down."""
    H0, _, sm, psi0, Sz = ising_chain(N)
    return H0, sm, psi0, Sz


def best_time(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The shortest wall time of ``repeats`` calls, and the last call's value."""
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def trace_distance(a: np.ndarray, b: np.ndarray) -> float:
    """(1/2) ||a - b||_1 of two density matrices."""
    return float(0.5 * np.abs(np.linalg.eigvalsh(a - b)).sum())


def versions(*modules: Any) -> dict[str, str]:
    """qbath, the given reference modules, numpy, scipy and Python versions."""
    import scipy

    import qbath

    out = {"qbath": qbath.__version__}
    out.update({m.__name__: m.__version__ for m in modules})
    out.update(numpy=np.__version__, scipy=scipy.__version__, python=platform.python_version())
    return out


def machine() -> str:
    return platform.processor() or platform.machine()
