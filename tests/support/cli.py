"""Running the real ``shipbot`` console script in a subprocess, as people do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SHIPBOT = [sys.executable, "-c", "from adapters.console.cli import main; main()"]


def shipbot(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run ``shipbot ARGS…`` in ``cwd`` with no SHIPBOT_ variables but ``env``'s (stdin a pipe)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SHIPBOT_")}
    environment.update({"COLUMNS": "200", "NO_COLOR": "1", **(env or {})})
    return subprocess.run(
        [*SHIPBOT, *args],
        cwd=cwd,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
