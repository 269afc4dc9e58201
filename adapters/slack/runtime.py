"""What every Slack listener shares: the core app, the admin check, the card refresher, a way to
get a Web API client for a workspace outside a request (card refreshes, the digest) and
:meth:`SlackRuntime.observed`, the one log line and metric sample of every user action."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from adapters.bootstrap import App
from adapters.observability import Observation, observe
from adapters.slack.admins import AdminCheck
from adapters.slack.surface import PLATFORM as PLATFORM
from adapters.slack.surface import ClientFor as ClientFor
from adapters.slack.surface import SlackSurface
from bot import publishing
from bot.admin import CatalogService
from bot.models import Community
from bot.refresh import CardRefresher
from bot.service import ShipService

log = logging.getLogger(__name__)


#: Bolt's ``respond`` (posts to the request's response_url).
Respond = Callable[..., Awaitable[Any]]


def community(team_id: str) -> Community:
    """Votes on Slack count per workspace."""
    return Community(PLATFORM, team_id)


@dataclass
class SlackRuntime:
    app: App
    admins: AdminCheck
    client_for: ClientFor
    refresh_seconds: float
    refresher: CardRefresher = field(init=False)
    _later: set[asyncio.Task[None]] = field(init=False, default_factory=set)
    _inflight: set[asyncio.Task[Any]] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        # The claim (a lease on the card row) keeps every worker to one edit per card per
        # interval between them, not one each.
        self.refresher = CardRefresher(
            self.refresh_card, interval=self.refresh_seconds, claim=self._claim_refresh
        )
        refresher = self.refresher
        self.app.metrics.watch_refreshes(lambda: refresher.pending)

    async def _claim_refresh(self, card_id: int) -> float | None:
        return await self.app.service.claim_refresh(card_id, self.refresh_seconds)

    def later(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` after the listener has acked (a slash command answered within Slack's
        3 s, its card posted after). The task is kept, so nothing is collected mid-flight and
        :meth:`close` can let it finish. ``work`` must handle its own errors."""
        task = asyncio.create_task(work)
        self._later.add(task)
        task.add_done_callback(self._later.discard)

    @property
    def service(self) -> ShipService:
        return self.app.service

    @property
    def catalog(self) -> CatalogService:
        return self.app.catalog

    def observed(
        self, action: str, *, user: str, team: str
    ) -> AbstractAsyncContextManager[Observation]:
        """Time one user action (one ``shipbot.events`` line, one metric sample). ``pid`` tells
        the workers of ``--workers N`` apart in the logs. The action counts as in flight, so a
        shutdown lets it finish (:meth:`settle`)."""
        return self._tracked(
            observe(self.app.metrics, PLATFORM, action, user=user, team=team, pid=os.getpid())
        )

    @asynccontextmanager
    async def _tracked(
        self, inner: AbstractAsyncContextManager[Observation]
    ) -> AsyncIterator[Observation]:
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            async with inner as seen:
                yield seen
        finally:
            if task is not None:
                self._inflight.discard(task)

    async def settle(self, grace: float) -> None:
        """Wait (at most ``grace`` seconds) for running actions and acked work to finish."""
        others = (self._inflight | self._later) - {asyncio.current_task()}
        if others:
            await asyncio.wait(others, timeout=grace)

    async def refresh_card(self, card_id: int) -> None:
        """Edit a posted card so its community numbers are current (called by the refresher,
        which coalesces bursts; failures are logged there)."""
        surface = SlackSurface(
            self.client_for,
            self.app.metrics,
            mode=self.app.settings.vote_mode,
            draft_panel=self.app.panel.configured,
        )
        await publishing.refresh(self.service, surface, card_id)

    async def close(self, grace: float = 4.0, drain: float = 3.0) -> None:
        """Let running and acked work finish (up to ``grace`` seconds), make the pending
        refreshes (final counts exact, up to ``drain`` seconds), then stop."""
        await self.settle(grace)
        try:
            await asyncio.wait_for(self.refresher.flush(), timeout=drain)
        except TimeoutError:
            log.warning("pending card refreshes dropped on shutdown")
        await self.refresher.close()
