"""Argument checks shared by the spin solvers (mean field, cumulants, exact)."""

from __future__ import annotations

from typing import Any

from .._errors import InputError
from ._model import SpinModel

__all__ = ["check_model"]


def check_model(model: Any) -> SpinModel:
    """Return ``model`` if it is a :class:`SpinModel`; raise :class:`~qbath.InputError` otherwise."""
    if not isinstance(model, SpinModel):
        raise InputError(f"model: expected a qbath.spins.SpinModel, got {type(model).__name__}")
    return model
