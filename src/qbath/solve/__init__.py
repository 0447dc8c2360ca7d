"""Solvers for GKSL generators: a ``GKSL`` object (:func:`qbath.davies`) or a pair ``(H, c_ops)``."""

from ..generators._lindblad import liouvillian as liouvillian
from ._batched import BatchResult as BatchResult
from ._batched import mesolve_batch as mesolve_batch
from ._batched import propagator_batch as propagator_batch
from ._batched import steady_state_batch as steady_state_batch
from ._mcsolve import mcsolve as mcsolve
from ._mesolve import mesolve as mesolve
from ._propagator import choi_matrix as choi_matrix
from ._propagator import from_kraus as from_kraus
from ._propagator import kraus as kraus
from ._propagator import propagator as propagator
from ._results import MCResult as MCResult
from ._results import Result as Result
from ._steady import steady_state as steady_state
from ._steady import steady_state_space as steady_state_space
