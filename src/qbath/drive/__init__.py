r"""Work on a qubit driven by the mean field of its neighbours (seed 000).

Three qubits D-S-T with flip-flop couplings :math:`H_{DST} = H_I\otimes 1 + 1\otimes H_I`. The
seed's picture: D and T follow prescribed states, S evolves stepwise in their mean field, and the
work delivered through T is :math:`W = -\sum_i\mathrm{Tr}[\rho^{i+1}dH^i]`. Beyond it: the
continuous-time power, the exact three-qubit dynamics and a self-consistent mean field.

Basis: the seed's :math:`|0\rangle` is qbath's :math:`|\downarrow\rangle` (index 1), its
:math:`|1\rangle` is :math:`|\uparrow\rangle` (index 0). See ``docs/drive.md``.
"""

from ._dynamics import DSTDynamics as DSTDynamics
from ._dynamics import dst_dynamics as dst_dynamics
from ._dynamics import dst_hamiltonian as dst_hamiltonian
from ._dynamics import dst_power as dst_power
from ._protocol import dst_ket as dst_ket
from ._protocol import dst_mean_field_hamiltonian as dst_mean_field_hamiltonian
from ._stepwise import DSTWorkResult as DSTWorkResult
from ._stepwise import dst_two_step_work as dst_two_step_work
from ._stepwise import dst_work as dst_work

__all__ = [
    "DSTDynamics",
    "DSTWorkResult",
    "dst_dynamics",
    "dst_hamiltonian",
    "dst_ket",
    "dst_mean_field_hamiltonian",
    "dst_power",
    "dst_two_step_work",
    "dst_work",
]
