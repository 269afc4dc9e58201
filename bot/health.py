"""What "healthy" means for one process: the database answers and every platform connection it
runs is up.

Each runner registers a named check (``"discord"``, ``"slack"``, ``"web"`` …) on the app's
:class:`HealthChecks`; the health endpoint runs them all, with the database's own check, and
answers 200 only when every one says up. A check is a plain or async callable returning a bool;
one that raises or takes longer than the timeout counts as down. No platform SDK is imported
here: the runners close over their own clients.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Check = Callable[[], bool | Awaitable[bool]]
"""Whether one thing is up: sync or async, ``True`` for up."""

CHECK_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class HealthReport:
    """One round of checks: the database and each platform, up or down."""

    database: bool
    platforms: dict[str, bool] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.database and all(self.platforms.values())

    def down(self) -> list[str]:
        """What is down, e.g. ``["database", "discord"]``."""
        names = [] if self.database else ["database"]
        return names + [name for name, up in self.platforms.items() if not up]

    def as_json(self) -> dict[str, Any]:
        """``{"status": "ok"|"unavailable", "database": "up"|"down", "platforms": {…}}``."""
        return {
            "status": "ok" if self.ok else "unavailable",
            "database": _word(self.database),
            "platforms": {name: _word(up) for name, up in self.platforms.items()},
        }


class HealthChecks:
    """The process's named checks: one per platform connection (and one for the database,
    given separately since it is not a platform)."""

    def __init__(self, timeout: float = CHECK_TIMEOUT_SECONDS) -> None:
        self.timeout = timeout
        self._checks: dict[str, Check] = {}

    def register(self, name: str, check: Check) -> None:
        """Add (or replace) the check called ``name``."""
        self._checks[name] = check

    def unregister(self, name: str) -> None:
        self._checks.pop(name, None)

    @property
    def names(self) -> list[str]:
        return list(self._checks)

    async def report(self, database: Check) -> HealthReport:
        """Run ``database`` and every registered check at once; each is up or down."""
        names = list(self._checks)
        results = await asyncio.gather(
            self._run("database", database), *(self._run(n, self._checks[n]) for n in names)
        )
        return HealthReport(
            database=results[0], platforms=dict(zip(names, results[1:], strict=True))
        )

    async def _run(self, name: str, check: Check) -> bool:
        try:
            result = check()
            if inspect.isawaitable(result):
                result = await asyncio.wait_for(result, self.timeout)
            return bool(result)
        except Exception as error:  # a check that fails or hangs is a thing that is down
            log.warning("health check failed", extra={"check": name, "error": repr(error)})
            return False


def _word(up: bool) -> str:
    return "up" if up else "down"
