"""QuTiP interoperability (extra ``qutip``): ``to_qutip`` and ``from_qutip``.

qbath functions accept a ``qutip.Qobj`` wherever they take an operator or a state.
"""

from ._qutip import from_qutip as from_qutip
from ._qutip import to_qutip as to_qutip
