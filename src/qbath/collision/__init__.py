"""Collision models with structured ancillae (seed 001).

See ``docs/collision.md``. Public API::

    model = structured_example2(omega_s=1.0, omega_1=0.5, omega_2=1.5, kappa=0.3, alpha=0.2, beta=1.0, dt=0.1)
    res = evolve(model, rho0, n_collisions=400, method="exact")   # or "second_order"
    rho_ss = steady_state(model)
"""

from . import closed_forms as closed_forms
from ._engine import Coefficients as Coefficients
from ._engine import choi as choi
from ._engine import coefficients as coefficients
from ._engine import driven_sequence as driven_sequence
from ._engine import evolve as evolve
from ._engine import evolve_batch as evolve_batch
from ._engine import kraus as kraus
from ._engine import second_order_ledger as second_order_ledger
from ._engine import steady_state as steady_state
from ._engine import steady_state_batch as steady_state_batch
from ._engine import superoperator as superoperator
from ._model import CollisionModel as CollisionModel
from ._model import StructuredAncilla as StructuredAncilla
from ._model import operator_schmidt as operator_schmidt
from ._presets import bare_level as bare_level
from ._presets import structured_example1 as structured_example1
from ._presets import structured_example2 as structured_example2
from ._result import LEDGER as LEDGER
from ._result import CollisionResult as CollisionResult
