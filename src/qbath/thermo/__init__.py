"""Thermodynamics of master equations: heat currents, power, the first law, entropy production,
audits of the laws and counting statistics. See ``docs/thermo.md``."""

from . import machines as machines
from ._audit import Audit as Audit
from ._audit import Verdict as Verdict
from ._audit import audit as audit
from ._audit import generator_positivity as generator_positivity
from ._counting import TUR as TUR
from ._counting import GallavottiCohen as GallavottiCohen
from ._counting import cumulants as cumulants
from ._counting import energy_counting as energy_counting
from ._counting import gallavotti_cohen as gallavotti_cohen
from ._counting import rate_function as rate_function
from ._counting import scgf as scgf
from ._counting import tur as tur
from ._currents import Ledger as Ledger
from ._currents import as_bath_model as as_bath_model
from ._currents import energy_rate as energy_rate
from ._currents import particle_currents as particle_currents
from ._driven import DrivenModel as DrivenModel
from ._driven import as_driven_model as as_driven_model
from ._driven import entropy_production_rate as entropy_production_rate
from ._driven import first_law_residual as first_law_residual
from ._driven import heat_currents as heat_currents
from ._driven import ledger as ledger
from ._driven import power as power
from ._floquet import floquet_entropy_production_rate as floquet_entropy_production_rate
from ._floquet import floquet_heat_currents as floquet_heat_currents
from ._results import ThermoResult as ThermoResult
from ._results import with_ledger as with_ledger
