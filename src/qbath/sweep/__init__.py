"""Parameter sweeps of a configuration on Dask, resumable (extra ``sweep``).

>>> plan = qb.sweep.plan_sweep(qb.config.load_config("examples/qubit.toml"),
...                            ["omega=0.5:2:4", "beta=0.5,1,2"])          # doctest: +SKIP
>>> ds = qb.sweep.run_sweep(plan, "qubit-sweep")                          # doctest: +SKIP

See ``docs/sweeps.md``.
"""

from ._grid import Axis as Axis
from ._grid import Grid as Grid
from ._grid import parse_param as parse_param
from ._grid import parse_values as parse_values
from ._sweep import SweepPlan as SweepPlan
from ._sweep import check_scheduler_address as check_scheduler_address
from ._sweep import combine_chunks as combine_chunks
from ._sweep import compute_chunk as compute_chunk
from ._sweep import make_security as make_security
from ._sweep import plan_sweep as plan_sweep
from ._sweep import resume_count as resume_count
from ._sweep import run_sweep as run_sweep
from ._sweep import sweep_status as sweep_status
