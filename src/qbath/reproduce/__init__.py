"""Paper reproductions: qbath's numbers and figures beside the papers' (``qbath reproduce NAME``).

One module per paper exposes ``PAPER`` (:class:`Paper`), ``compute(quick) -> xarray.Dataset``,
``plot(ds, out) -> list[Path]`` and ``checks(ds) -> list[Check]``; :func:`run` does
compute -> netCDF -> figures -> checks -> ``summary.md``:

>>> rep = qb.reproduce.run("dst-work", "results/dst-work", quick=True)   # doctest: +SKIP
>>> rep.counts()                                                         # doctest: +SKIP
{'pass': 12, 'erratum': 4, 'fail': 0}

:data:`REPRODUCTIONS` maps each CLI name to ``(module, entry function, one-line description)``.
Modules are imported only when a reproduction runs, so ``qbath reproduce`` lists them cheaply.
Physics packages never import this package.
"""

from __future__ import annotations

from ._report import ERRATA_DOC as ERRATA_DOC
from ._report import STATUSES as STATUSES
from ._report import Check as Check
from ._report import Paper as Paper
from ._report import Reproduction as Reproduction
from ._report import close as close
from ._report import holds as holds
from ._runner import resolve as resolve
from ._runner import run as run
from ._runner import track as track

__all__ = [
    "REPRODUCTIONS",
    "Paper",
    "Check",
    "Reproduction",
    "close",
    "holds",
    "run",
    "track",
    "resolve",
    "STATUSES",
    "ERRATA_DOC",
]

#: CLI name -> (module, entry function ``f(out, quick) -> Reproduction``, one-line description).
REPRODUCTIONS: dict[str, tuple[str, str, str]] = {
    "structured-collisions": (
        "qbath.reproduce._structured_collisions",
        "reproduce",
        "Cusumano & De Chiara, structured collision models: Figs. 3-8 with both maps, App. A-C closed forms",
    ),
    "three-qubit-davies": (
        "qbath.reproduce._three_qubit_davies",
        "reproduce",
        "Seed 004: Born-Markov-secular GKSL for three qubits: tables, rates, Lamb shift, dynamics, Kraus",
    ),
    "spin-cumulants": (
        "qbath.reproduce._spin_cumulants",
        "reproduce",
        "Seed 003: mean field vs second-order cumulants vs exact for N spins, and a large-N run",
    ),
    "dst-work": (
        "qbath.reproduce._dst_work",
        "reproduce",
        "Notes (seed 000): mean-field work on a qubit between two neighbours, closed form vs stepwise sum",
    ),
}
