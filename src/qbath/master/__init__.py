"""Microscopic Markovian master equations: baths, the Davies (Born--Markov--secular) derivation,
the GKSL generator object, the presets of seed 004 and the closed-form relaxing qubit."""

from ..generators import GKSL as GKSL
from ._adiabatic import AdiabaticDavies as AdiabaticDavies
from ._adiabatic import adiabatic_davies as adiabatic_davies
from ._baths import Bath as Bath
from ._baths import CustomBath as CustomBath
from ._baths import DrudeLorentzBath as DrudeLorentzBath
from ._baths import OhmicBath as OhmicBath
from ._baths import PowerLawBath as PowerLawBath
from ._davies import davies as davies
from ._floquet import FloquetGKSL as FloquetGKSL
from ._floquet import floquet_davies as floquet_davies
from ._floquet import floquet_modes as floquet_modes
from ._presets import three_qubits as three_qubits
from ._qubit import QubitResult as QubitResult
from ._redfield import local_davies as local_davies
from ._redfield import partial_secular as partial_secular
from ._redfield import redfield as redfield
from ._relaxation import qubit_relaxation as qubit_relaxation
from ._symbolic import SymbolicDavies as SymbolicDavies
from ._symbolic import symbolic_davies as symbolic_davies
from ._symbolic import symbolic_three_qubits as symbolic_three_qubits
