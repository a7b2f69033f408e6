"""``python -m service.cli`` is ``minutebook``."""

from service.cli import run

run()
