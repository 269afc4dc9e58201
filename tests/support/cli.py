"""Running the real ``shipbot`` console script in a subprocess, as people do."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

SHIPBOT = [sys.executable, "-c", "from adapters.console.cli import main; main()"]


def shipbot(
    *args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = "", tty: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``shipbot ARGS…`` in ``cwd`` with no SHIPBOT_ variables but ``env``'s. ``stdin`` is
    piped in, or with ``tty`` typed at a terminal (a pseudo-terminal), as a person answers."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SHIPBOT_")}
    environment.update({"COLUMNS": "200", "NO_COLOR": "1", **(env or {})})
    if not tty:
        return subprocess.run(
            [*SHIPBOT, *args], cwd=cwd, env=environment, input=stdin,
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    terminal, answers = pty.openpty()
    try:
        os.write(terminal, stdin.encode())
        return subprocess.run(
            [*SHIPBOT, *args], cwd=cwd, env=environment, stdin=answers,
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        os.close(terminal)
        os.close(answers)
