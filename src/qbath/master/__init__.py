"""Microscopic Markovian master equations: baths, the Davies (Born--Markov--secular) derivation,
the GKSL generator object and the presets of seed 004."""

from ..generators._gksl import GKSL as GKSL
from ._baths import Bath as Bath
from ._baths import CustomBath as CustomBath
from ._baths import DrudeLorentzBath as DrudeLorentzBath
from ._baths import OhmicBath as OhmicBath
from ._baths import PowerLawBath as PowerLawBath
from ._davies import davies as davies
from ._presets import three_qubits as three_qubits
from ._qubit import QubitResult as QubitResult
from ._symbolic import SymbolicDavies as SymbolicDavies
from ._symbolic import symbolic_davies as symbolic_davies
from ._symbolic import symbolic_three_qubits as symbolic_three_qubits
