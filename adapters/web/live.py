"""Live vote numbers for open pages, over server-sent events.

Votes land in the Discord and Slack processes, so this process learns of them from the database:
one poller per watched pair (and community) reads the kept counts, a single primary-key read,
every ``poll`` seconds while anyone watches. When they move, the card is rebuilt once and its
numbers go to every page watching; like card edits, at most one update per ``coalesce`` seconds
is sent, and the last one always carries the final numbers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from adapters.web.views import live_fields
from bot.models import CardCounts, Community
from bot.pages import WEB
from bot.service import ShipService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveKey:
    """What a page watches: a pair (ids, canonical order) and the community it was linked from."""

    a_id: int
    b_id: int
    community: Community | None


@dataclass
class _Watch:
    subscribers: set[asyncio.Queue[dict[str, str]]] = field(default_factory=set)
    latest: dict[str, str] | None = None
    task: asyncio.Task[None] | None = None


class LiveHub:
    def __init__(self, service: ShipService, poll: float, coalesce: float) -> None:
        self._service = service
        self._poll = poll
        self._coalesce = coalesce
        self._watches: dict[LiveKey, _Watch] = {}

    @property
    def watched(self) -> int:
        return len(self._watches)

    @contextlib.asynccontextmanager
    async def subscribe(self, key: LiveKey) -> AsyncIterator[asyncio.Queue[dict[str, str]]]:
        """A queue that always holds the newest numbers for ``key`` (older ones are dropped)."""
        queue: asyncio.Queue[dict[str, str]] = asyncio.Queue(maxsize=1)
        watch = self._watches.setdefault(key, _Watch())
        watch.subscribers.add(queue)
        if watch.latest is not None:
            _offer(queue, watch.latest)
        if watch.task is None or watch.task.done():
            watch.task = asyncio.create_task(self._run(key, watch), name=f"live {key}")
        try:
            yield queue
        finally:
            watch.subscribers.discard(queue)
            if not watch.subscribers:
                self._watches.pop(key, None)
                if watch.task is not None:
                    watch.task.cancel()

    async def close(self) -> None:
        tasks = [w.task for w in self._watches.values() if w.task is not None]
        self._watches.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _run(self, key: LiveKey, watch: _Watch) -> None:
        loop = asyncio.get_running_loop()
        seen: CardCounts | None = None
        sent_at = float("-inf")
        while watch.subscribers:
            try:
                counts = await self._service.pair_counts(key.a_id, key.b_id, key.community or WEB)
                if counts != seen:
                    wait = sent_at + self._coalesce - loop.time()
                    if wait > 0:  # within the window: send once it ends, with what is true then
                        await asyncio.sleep(wait)
                        continue
                    card = await self._service.compare_ids(key.a_id, key.b_id, key.community or WEB)
                    seen = counts
                    watch.latest = live_fields(card, key.community)
                    sent_at = loop.time()
                    for queue in list(watch.subscribers):
                        _offer(queue, watch.latest)
            except asyncio.CancelledError:
                raise
            except Exception:  # a hiccup of the store: keep the page, try again next poll
                log.warning("live poll failed", exc_info=True, extra={"pair": str(key)})
            await asyncio.sleep(self._poll)


def _offer(queue: asyncio.Queue[dict[str, str]], fields: dict[str, str]) -> None:
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(fields)
