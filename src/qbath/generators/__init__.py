"""GKSL generators and superoperator maps: the Lindblad form, Liouvillians, the ``GKSL`` object,
Choi matrices and Kraus decompositions.

This layer sits between operators/states and the models: the collision engine, the master-equation
builders and the solvers all use it, and it imports none of them.
"""

from ._gksl import GKSL as GKSL
from ._gksl import BohrClusters as BohrClusters
from ._lindblad import JumpSet as JumpSet
from ._lindblad import LindbladForm as LindbladForm
from ._lindblad import as_lindblad as as_lindblad
from ._lindblad import as_sparse_operator as as_sparse_operator
from ._lindblad import check_sparse_hermitian as check_sparse_hermitian
from ._lindblad import liouvillian as liouvillian
from ._maps import choi_matrix as choi_matrix
from ._maps import from_kraus as from_kraus
from ._maps import kraus_from_superop as kraus_from_superop
from ._maps import sandwich_superoperator as sandwich_superoperator
from ._nullspace import Degenerate as Degenerate
from ._nullspace import HermitianCoordinates as HermitianCoordinates
from ._nullspace import coordinates_to_matrix as coordinates_to_matrix
from ._nullspace import direct_fixed_point as direct_fixed_point
from ._nullspace import krylov_fixed_point as krylov_fixed_point
from ._nullspace import matrix_to_coordinates as matrix_to_coordinates
from ._nullspace import null_spaces as null_spaces
from ._nullspace import trace_replaced as trace_replaced
from ._parts import BathGenerator as BathGenerator
from ._parts import Dissipator as Dissipator
from ._timedep import Coefficient as Coefficient
from ._timedep import KetRHS as KetRHS
from ._timedep import TimeDependentRHS as TimeDependentRHS
from ._timedep import TimeDependentTerms as TimeDependentTerms
from ._timedep import as_coefficient as as_coefficient
from ._timedep import check_args as check_args
from ._timedep import flatten_c_ops as flatten_c_ops
from ._timedep import is_list_form as is_list_form
from ._timedep import split_list_form as split_list_form
