"""Run a block with single-threaded OpenBLAS (best effort, no dependency).

The integrators combine Runge--Kutta stages with BLAS ``gemv`` calls that are memory bound.
Measured on a 2-core machine, OpenBLAS's threaded ``zgemv`` at d^2 ~ 6e4 entries took 7 ms
instead of 0.16 ms single-threaded, and made whole solves 2-5x slower and erratic, because its
worker threads keep spinning while the (single-threaded) sparse products run. This module finds the
OpenBLAS libraries already loaded by NumPy/SciPy (Linux: ``/proc/self/maps``) and sets their
thread count for the duration of a ``with`` block, restoring it afterwards. Where nothing is found
(other BLAS, other OS) it does nothing.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

_SUFFIXES = (
    "scipy_openblas_{}_num_threads64_",
    "scipy_openblas_{}_num_threads",
    "openblas_{}_num_threads64_",
    "openblas_{}_num_threads",
)


@lru_cache(maxsize=1)
def _handles() -> tuple[tuple[ctypes._CFuncPtr, ctypes._CFuncPtr], ...]:
    paths: set[str] = set()
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                part = line.split()
                if len(part) >= 6 and "openblas" in part[-1].lower() and ".so" in part[-1]:
                    paths.add(part[-1])
    except OSError:
        return ()
    out = []
    for p in sorted(paths):
        try:
            lib = ctypes.CDLL(p)
        except OSError:
            continue
        for pattern in _SUFFIXES:
            try:
                get = getattr(lib, pattern.format("get"))
                put = getattr(lib, pattern.format("set"))
            except AttributeError:
                continue
            get.restype = ctypes.c_int
            put.argtypes = [ctypes.c_int]
            out.append((get, put))
            break
    return tuple(out)


@contextmanager
def blas_threads(n: int = 1) -> Iterator[None]:
    """Limit the loaded OpenBLAS libraries to ``n`` threads inside the block."""
    hs = _handles()
    old = []
    for get, put in hs:
        try:
            old.append(get())
            put(n)
        except Exception:  # pragma: no cover - foreign library state
            old.append(None)
    try:
        yield
    finally:
        for (_, put), o in zip(hs, old, strict=False):
            if o is not None:
                put(o)
