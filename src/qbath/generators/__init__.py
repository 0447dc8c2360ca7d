"""GKSL generators and superoperator maps: the Lindblad form, Liouvillians and the ``GKSL`` object.

This layer sits between operators/states and the models: the collision engine, the master-equation
builders and the solvers all use it, and it imports none of them.
"""

from ._gksl import GKSL as GKSL
from ._gksl import BohrClusters as BohrClusters
from ._lindblad import JumpSet as JumpSet
from ._lindblad import LindbladForm as LindbladForm
from ._lindblad import as_lindblad as as_lindblad
from ._lindblad import liouvillian as liouvillian
from ._parts import BathGenerator as BathGenerator
from ._parts import Dissipator as Dissipator
