"""Solvers for GKSL generators: a ``GKSL`` object (:func:`qbath.davies`) or a pair ``(H, c_ops)``."""

from ..generators import choi_matrix as choi_matrix
from ..generators import from_kraus as from_kraus
from ..generators import liouvillian as liouvillian
from ._batched import BatchResult as BatchResult
from ._batched import mesolve_batch as mesolve_batch
from ._batched import propagator_batch as propagator_batch
from ._batched import steady_state_batch as steady_state_batch
from ._mcsolve import mcsolve as mcsolve
from ._mesolve import mesolve as mesolve
from ._propagator import kraus as kraus
from ._results import MCResult as MCResult
from ._results import Result as Result
from ._sesolve import sesolve as sesolve
from ._steady import steady_state as steady_state
from ._steady import steady_state_space as steady_state_space
from ._tdpropagator import propagator as propagator
