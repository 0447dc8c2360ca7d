"""qbath: dynamics and thermodynamics of open quantum systems built from interacting qubits.

The public API is what this module re-exports; everything in ``qbath._*`` modules is private.
Conventions (hbar = k_B = 1, index 0 = spin up, sigma_pm = (sigma_x pm i sigma_y)/2, ...) are in
``docs/conventions.md``.
"""

from . import collision as collision
from . import config as config  # cli area (issue 6): TOML configurations of qbath run / sweep
from . import drive as drive  # area drive (seed 000): mean-field work on a driven qubit
from . import interop as interop  # cli area (issue 6): QuTiP conversion helpers
from . import io as io  # cli area (issue 6): results as xarray Datasets / netCDF
from . import plot as plot  # cli area (issue 6): matplotlib helpers
from . import spins as spins  # spins area (issue 4): mean-field, cumulant, exact N-spin dynamics
from . import sweep as sweep  # cli area (issue 6): resumable Dask parameter sweeps
from ._checks import as_density_matrix as as_density_matrix
from ._errors import InputError as InputError
from ._errors import NonUniqueSteadyStateError as NonUniqueSteadyStateError
from ._errors import PositivityWarning as PositivityWarning
from ._errors import QbathWarning as QbathWarning
from ._operators import CompositeSpace as CompositeSpace
from ._operators import Subsystem as Subsystem
from ._operators import commutator as commutator
from ._operators import create as create
from ._operators import dag as dag
from ._operators import destroy as destroy
from ._operators import embed as embed
from ._operators import num as num
from ._operators import ptrace as ptrace
from ._operators import qeye as qeye
from ._operators import sigmam as sigmam
from ._operators import sigmap as sigmap
from ._operators import sigmax as sigmax
from ._operators import sigmay as sigmay
from ._operators import sigmaz as sigmaz
from ._operators import tensor as tensor
from ._result import BaseResult as BaseResult
from ._result import ResultProtocol as ResultProtocol
from ._states import basis as basis
from ._states import bloch_state as bloch_state
from ._states import bloch_vector as bloch_vector
from ._states import expect as expect
from ._states import ket2dm as ket2dm
from ._states import l1_coherence as l1_coherence
from ._states import mutual_information as mutual_information
from ._states import purity as purity
from ._states import relative_entropy as relative_entropy
from ._states import thermal_state as thermal_state
from ._states import von_neumann_entropy as von_neumann_entropy
from ._version import __version__ as __version__

# -- microscopic master equations and their solvers (issue 3: qbath.master, qbath.solve) --------
# isort: off
from . import master as master
from . import solve as solve
from .master import GKSL as GKSL
from .master import CustomBath as CustomBath
from .master import DrudeLorentzBath as DrudeLorentzBath
from .master import OhmicBath as OhmicBath
from .master import PowerLawBath as PowerLawBath
from .master import davies as davies
from .solve import from_kraus as from_kraus
from .solve import kraus as kraus
from .solve import mcsolve as mcsolve
from .solve import mesolve as mesolve
from .solve import propagator as propagator
from .solve import steady_state as steady_state
# isort: on
