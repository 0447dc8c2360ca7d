"""File-system helpers shared by the layers that write files (io, sweep)."""

from __future__ import annotations

import os

__all__ = ["process_umask"]


def process_umask() -> int:
    """The process umask, read without changing it where the OS allows (``/proc`` on Linux)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    m = os.umask(0o022)
    os.umask(m)
    return m
