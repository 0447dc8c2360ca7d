"""Mean-field, second-order cumulant and exact dynamics of N interacting spins (seed 003).

See ``docs/spins.md`` for the equations, conventions and examples.
"""

from ._collective import kitagawa_ueda as kitagawa_ueda
from ._collective import oat_model as oat_model
from ._collective import spin_covariance as spin_covariance
from ._collective import squeezing_parameter as squeezing_parameter
from ._collective import total_spin as total_spin
from ._cumulant import cumulant as cumulant
from ._exact import exact as exact
from ._graphs import TOPOLOGIES as TOPOLOGIES
from ._graphs import all_to_all as all_to_all
from ._graphs import chain as chain
from ._graphs import lattice as lattice
from ._graphs import random_fields as random_fields
from ._graphs import ring as ring
from ._meanfield import meanfield as meanfield
from ._meanfield import meanfield_rhs as meanfield_rhs
from ._meanfield import meanfield_steady_state as meanfield_steady_state
from ._model import SpinModel as SpinModel
from ._results import MeanFieldSteadyState as MeanFieldSteadyState
from ._results import Physicality as Physicality
from ._results import SpinResult as SpinResult

__all__ = [
    "SpinModel",
    "meanfield",
    "meanfield_rhs",
    "meanfield_steady_state",
    "cumulant",
    "exact",
    "total_spin",
    "spin_covariance",
    "squeezing_parameter",
    "oat_model",
    "kitagawa_ueda",
    "SpinResult",
    "Physicality",
    "MeanFieldSteadyState",
    "all_to_all",
    "chain",
    "ring",
    "lattice",
    "random_fields",
    "TOPOLOGIES",
]
