"""``python -m qbath``: the ``qbath`` command."""

from .cli import main

raise SystemExit(main())
