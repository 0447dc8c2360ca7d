"""Registry of paper reproductions: name -> (module, function, one-line description).

Modules are imported only when a reproduction runs, so ``qbath reproduce`` lists them cheaply.
"""

from __future__ import annotations

REPRODUCTIONS: dict[str, tuple[str, str, str]] = {
    "structured-collisions": (
        "qbath.reproduce._structured_collisions",
        "reproduce",
        "Seed 001: structured collision models, Figs. 3-8 with both methods, appendix closed forms",
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
        "Seed 000: mean-field work on a qubit between two neighbours, closed form vs stepwise sum",
    ),
}
