"""Declarative model configurations (TOML) for ``qbath run`` and ``qbath sweep``.

>>> import qbath as qb
>>> cfg = qb.config.parse_config('''
... kind = "qubit"
... [model]
... omega = 1.0
... gamma = 0.1
... beta = 2.0
... [initial]
... bloch = [1, 0, 0]
... [solver]
... t_max = 10.0
... ''')
>>> round(qb.config.evaluate_outputs(cfg, ["steady_Z"])["steady_Z"], 6)
-0.761594

See ``docs/cli.md`` for the tables each model kind accepts.
"""

from ._config import Config as Config
from ._config import load_config as load_config
from ._config import parse_config as parse_config
from ._config import parse_value as parse_value
from ._config import resolve_key as resolve_key
from ._config import split_key as split_key
from ._gridspec import GRID_SPEC_HELP as GRID_SPEC_HELP
from ._gridspec import parse_grid_values as parse_grid_values
from ._kinds import KINDS as KINDS
from ._kinds import batch_evaluator as batch_evaluator
from ._kinds import kind_problem as kind_problem
from ._kinds import register_kind as register_kind
from ._kinds import top_level_schema as top_level_schema
from ._problems import ODE_METHODS as ODE_METHODS
from ._problems import DensityProblem as DensityProblem
from ._problems import Problem as Problem
from ._run import Total as Total
from ._run import Totals as Totals
from ._run import evaluate_data as evaluate_data
from ._run import evaluate_outputs as evaluate_outputs
from ._run import ledger_totals as ledger_totals
from ._run import make_problem as make_problem
from ._run import run_config as run_config
from ._schema import ConfigError as ConfigError
