"""The built-in model kinds of ``qbath run`` / ``qbath sweep``, one module each, registered here.

A new kind is a :class:`~qbath.config.Problem` subclass in its own module, one line in
``BUILTIN`` (the order ``qbath kinds`` lists them), a section of ``docs/cli.md`` and its tests.
"""

from .collision import CollisionProblem as CollisionProblem
from .gksl import GKSLProblem as GKSLProblem
from .qubit import QubitProblem as QubitProblem
from .spins import SpinsProblem as SpinsProblem

BUILTIN = (CollisionProblem, GKSLProblem, SpinsProblem, QubitProblem)
