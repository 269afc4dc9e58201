"""Coalesced card refreshes: at most one edit per card per interval, and the last edit exact.

Votes arrive in bursts (200 reactions in a few seconds) but platforms allow about one message edit
per second per channel. Adapters ``mark`` a card dirty after every vote; one task per dirty card
edits it at once, then at most once per ``interval`` while marks keep arriving. Because the edit
re-reads the tally when it runs, a mark that arrives during a wait is folded into the next edit,
and the final edit always shows the final count.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable

log = logging.getLogger(__name__)

Refresh = Callable[[int], Awaitable[None]]
Claim = Callable[[int], Awaitable[float | None]]
"""Ask for the right to edit a card now: None if granted, else seconds to wait. With several
processes, the claim (a lease in the shared database) makes one of them the card's refresher at a
time, so the platform's edit limit holds across processes too."""


class CardRefresher:
    def __init__(self, refresh: Refresh, interval: float = 2.0, claim: Claim | None = None) -> None:
        self._refresh = refresh
        self._interval = interval
        self._claim = claim
        self._dirty: set[int] = set()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._last: dict[int, float] = {}
        self._flushing = asyncio.Event()
        self.edits = 0

    @property
    def pending(self) -> int:
        """Cards waiting for an edit (or being edited) now."""
        return len(self._tasks)

    def mark(self, card_ids: Iterable[int]) -> None:
        """Note that these cards show stale numbers; they will be edited soon."""
        for card_id in card_ids:
            self._dirty.add(card_id)
            if card_id not in self._tasks:
                self._tasks[card_id] = asyncio.create_task(
                    self._run(card_id), name=f"refresh-{card_id}"
                )

    async def _run(self, card_id: int) -> None:
        loop = asyncio.get_running_loop()
        try:
            while card_id in self._dirty:
                wait = self._last.get(card_id, float("-inf")) + self._interval - loop.time()
                if wait > 0:
                    await self._pause(wait)
                if self._claim is not None and not self._flushing.is_set():
                    delay = await self._claim_or_wait(card_id)
                    if delay is not None:
                        # Another process edited the card just now. Stay dirty and retry after its
                        # window: that edit may have read the tally before our vote committed.
                        await self._pause(delay)
                        continue
                self._dirty.discard(card_id)
                try:
                    await self._refresh(card_id)
                    self.edits += 1
                except Exception:
                    log.exception("card refresh failed", extra={"card": card_id})
                # Measured after the edit, so edits (not the reads before them) are spaced.
                self._last[card_id] = loop.time()
        finally:
            self._tasks.pop(card_id, None)

    async def _pause(self, seconds: float) -> None:
        """Sleep ``seconds``, or less if a flush starts meanwhile."""
        if not self._flushing.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flushing.wait(), timeout=seconds)

    async def _claim_or_wait(self, card_id: int) -> float | None:
        assert self._claim is not None
        try:
            return await self._claim(card_id)
        except Exception:
            log.exception("refresh lease failed; refreshing anyway", extra={"card": card_id})
            return None

    async def drain(self) -> None:
        """Wait until every pending refresh has been made (used on shutdown and in tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def flush(self) -> None:
        """Make every pending refresh now, without waiting out the interval or a lease (on
        shutdown: the last edit of each card goes out before the process stops)."""
        self._flushing.set()
        await self.drain()

    async def close(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)
        self._tasks.clear()
        self._dirty.clear()
