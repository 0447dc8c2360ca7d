"""Plot helpers (extra ``plot``): each takes an optional ``ax`` and returns the Axes.

>>> ax = qb.plot.trajectory(result, expect={"Z": qb.sigmaz()})   # doctest: +SKIP
>>> qb.plot.ledger(result); qb.plot.bloch_path(result)           # doctest: +SKIP
>>> qb.plot.steady_state_map(sweep_ds, "steady_l1_coherence")    # doctest: +SKIP
"""

from ._plots import bloch_path as bloch_path
from ._plots import bloch_reduced as bloch_reduced
from ._plots import ledger as ledger
from ._plots import steady_state_map as steady_state_map
from ._plots import trajectory as trajectory
from ._plots import unphysical_intervals as unphysical_intervals
