r"""The ODE layer shared by every solver: method objects, the right-hand-side protocol, the time grid.

A right-hand side is ``f(t, y, out)`` writing :math:`\dot y = f(t, y)` into ``out``; a method object
(:class:`Dopri5`, :class:`RK4`, :class:`DOP853`, :class:`BDF`) integrates it with
``method.integrate(f, y0, times, observe, jac=None)``, calling ``observe(i, y)`` at every output
time. ``docs/solvers.md`` lists the methods, their default tolerances and when to use which.
"""

from ._base import DEFAULT_ATOL as DEFAULT_ATOL
from ._base import DEFAULT_MAX_STEPS as DEFAULT_MAX_STEPS
from ._base import DEFAULT_RTOL as DEFAULT_RTOL
from ._base import RHS as RHS
from ._base import IntegrationError as IntegrationError
from ._base import Method as Method
from ._base import Observer as Observer
from ._base import Stats as Stats
from ._base import StepSizeError as StepSizeError
from ._base import check_times as check_times
from ._dopri5 import Dopri5 as Dopri5
from ._registry import METHODS as METHODS
from ._registry import check_method as check_method
from ._registry import method_from_name as method_from_name
from ._rk4 import RK4 as RK4
from ._scipy import BDF as BDF
from ._scipy import DOP853 as DOP853
