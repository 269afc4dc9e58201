"""Slack as a ``bot.publishing.Surface``. Rendering stays in ``render.py`` (pure)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.observability import Metrics
from adapters.slack.render import EMOJI_A, EMOJI_B, render_card
from bot.cards import VerdictCard
from bot.models import VoteMode
from bot.service import CardView

log = logging.getLogger(__name__)

PLATFORM = "slack"

#: The Web API client for a workspace (team id): the app's client, or an installation's bot.
ClientFor = Callable[[str], Awaitable[AsyncWebClient]]


class SlackSurface:
    """Slack as a ``bot.publishing.Surface``: ``chat.postMessage`` into ``channel_id`` with the
    request's client, ``chat.update`` through the workspace's client, :a: / :b: reactions."""

    platform = PLATFORM

    def __init__(
        self,
        client_for: ClientFor,
        metrics: Metrics,
        client: AsyncWebClient | None = None,
        channel_id: str = "",
        mode: VoteMode = VoteMode.BOTH,
        draft_panel: bool = False,
    ) -> None:
        self._client_for = client_for
        self._metrics = metrics
        self._client = client
        self._channel = channel_id
        self._mode = mode
        self._draft_panel = draft_panel

    async def post(self, card: VerdictCard) -> str:
        if self._client is None:
            raise ValueError("a Slack card is posted with the request's client")
        message = render_card(card, self._mode, draft_panel=self._draft_panel)
        posted = await self._client.chat_postMessage(
            channel=self._channel,
            blocks=message.block_dicts(),
            text=message.text,
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(posted["ts"])

    async def add_marks(self, message_id: str, card: VerdictCard) -> None:
        assert self._client is not None  # post succeeded with it
        if not self._mode.reactions:
            return  # buttons only: nobody's vote shows
        for emoji in (EMOJI_A, EMOJI_B):
            try:
                await self._client.reactions_add(
                    channel=self._channel, timestamp=message_id, name=emoji
                )
            except SlackApiError as error:  # votes still work by button
                log.warning(
                    "could not add vote reaction",
                    extra={"card": card.card_id, "error": error.response.get("error")},
                )

    async def edit(self, view: CardView) -> None:
        posted = view.posted
        if not posted.message_id:
            return
        message = render_card(view.card, self._mode, draft_panel=self._draft_panel)
        client = await self._client_for(posted.community.id)
        await client.chat_update(
            channel=posted.channel,
            ts=posted.message_id,
            blocks=message.block_dicts(),
            text=message.text,
        )
        self._metrics.card_edits.labels(PLATFORM).inc()
        log.debug("card refreshed", extra={"card": posted.id})
