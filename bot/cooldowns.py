"""Per-person cooldowns on public commands: at most ``limit`` uses in any ``window`` seconds."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Hashable

from bot.errors import UserFacingError


class CoolingDown(UserFacingError):
    """Too many uses in the window; the message says how long to wait."""

    def __init__(self, seconds: float) -> None:
        wait = max(1, math.ceil(seconds))
        super().__init__(f"Easy there: you've asked several times in a row. Try again in {wait} s.")
        self.seconds = wait


class Cooldown:
    """A sliding window per key (a person in a community); ``limit`` 0 turns it off."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._uses: dict[Hashable, deque[float]] = {}

    def take(self, key: Hashable) -> None:
        """Count one use of ``key``, or raise CoolingDown (and count nothing) past the limit."""
        if self.limit <= 0:
            return
        now = self._clock()
        uses = self._uses.setdefault(key, deque())
        while uses and uses[0] <= now - self.window:
            uses.popleft()
        if len(uses) >= self.limit:
            raise CoolingDown(uses[0] + self.window - now)
        uses.append(now)
        if len(self._uses) > 10_000:  # forget people who stopped asking
            for stale in [k for k, v in self._uses.items() if not v or v[-1] <= now - self.window]:
                del self._uses[stale]
