"""Exception and warning types used throughout qbath."""

from __future__ import annotations


class InputError(ValueError):
    """An argument has the wrong shape, type or value.

    The message always names the argument, what was expected and what was given.
    It subclasses :class:`ValueError`, so ``except ValueError`` also catches it.
    """


class QbathWarning(UserWarning):
    """A result is legal but doubtful (e.g. a second-order map that loses positivity)."""


class PositivityWarning(QbathWarning):
    """A map or state left the set of density matrices by more than the tolerance."""


class NonUniqueSteadyStateError(RuntimeError):
    """The generator (or collision map) has more than one fixed point.

    Attributes
    ----------
    dimension : int
        Dimension of the null space that was found.
    """

    def __init__(self, message: str, dimension: int):
        super().__init__(message)
        self.dimension = dimension
