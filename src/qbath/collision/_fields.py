"""Names of the thermodynamic ledger of a collision run, shared by the results, io and config.

Each quantity is per collision (the ledger of repeated interactions: Strasberg, Schaller, Brandes &
Esposito, "Quantum and information thermodynamics: a unifying framework based on repeated
interactions", 2017): heat > 0 into the system, work > 0 done on it, entropies in nats.
"""

from __future__ import annotations

__all__ = ["LEDGER"]

#: field name of the collision ledger -> a short description
LEDGER = {
    "delta_u": "change of the system energy",
    "heat": "heat into the system",
    "work": "external work done on the system",
    "switching_work": "switching work",
    "delta_entropy": "change of the system entropy",
    "mutual_information": "system-ancilla mutual information after the collision",
    "relative_entropy": "relative entropy of the outgoing ancilla to the incoming one",
    "entropy_production": "entropy production",
    "entropy_production_clausius": "entropy production Delta S - beta Q",
    "first_law_residual": "Delta U - Q - W - W_sw",
}
