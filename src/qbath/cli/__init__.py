"""The ``qbath`` command line: ``reproduce``, ``run``, ``sweep``, ``check``, ``kinds`` (docs/cli.md)."""

from ._main import build_parser as build_parser
from ._main import main as main
