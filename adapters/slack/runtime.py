"""What every Slack listener shares: the core app, the admin check, the card refresher and a way
to get a Web API client for a workspace outside a request (card refreshes)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.bootstrap import App
from adapters.slack.admins import AdminCheck
from adapters.slack.render import render_card
from bot.admin import CatalogService
from bot.models import Community
from bot.refresh import CardRefresher
from bot.service import ShipService

log = logging.getLogger(__name__)

PLATFORM = "slack"

#: The Web API client for a workspace (team id): the app's client, or an installation's bot.
ClientFor = Callable[[str], Awaitable[AsyncWebClient]]

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

    def __post_init__(self) -> None:
        self.refresher = CardRefresher(self.refresh_card, interval=self.refresh_seconds)

    @property
    def service(self) -> ShipService:
        return self.app.service

    @property
    def catalog(self) -> CatalogService:
        return self.app.catalog

    async def refresh_card(self, card_id: int) -> None:
        """Edit a posted card so its community numbers are current (called by the refresher,
        which coalesces bursts; failures are logged there)."""
        posted = await self.service.posted_card(card_id)
        if not posted.message_id or posted.community.platform != PLATFORM:
            return
        message = render_card(await self.service.render_posted(card_id))
        client = await self.client_for(posted.community.id)
        await client.chat_update(
            channel=posted.channel,
            ts=posted.message_id,
            blocks=message.block_dicts(),
            text=message.text,
        )
        log.debug("card refreshed", extra={"card": card_id})

    async def close(self) -> None:
        """Make the pending refreshes (final counts exact), then stop."""
        await self.refresher.drain()
        await self.refresher.close()
