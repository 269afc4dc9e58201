"""The ``shipbot`` console script: ``shipbot health`` runs on the standard library alone (the
container probes it every 30 s); everything else loads the full command line."""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["health"]:
        from adapters.console.health_probe import main as probe

        probe()
    from adapters.console.cli import main as cli

    cli()
