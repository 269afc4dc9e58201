"""Questions in plain words: an ``app_mention`` or a ``message`` in shipbot's DM (channel type
``im``) naming two tools gets the ``/compare`` card in that conversation (``bot.asking`` reads
it); anything else gets the help line. Messages from bots, shipbot's own included, and edits or
other message subtypes are never answered. The work runs after the ack (``rt.later``)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.observability import guarded
from adapters.slack.escape import with_code
from adapters.slack.names import COMMANDS
from adapters.slack.posting import OOPS
from adapters.slack.runtime import SlackRuntime, community
from adapters.slack.surface import SlackSurface
from bot import publishing
from bot.asking import ask_hint, read_question
from bot.publishing import Place
from bot.service import Unresolved

log = logging.getLogger(__name__)

MENTION = "@shipbot"


def question_of(event: dict[str, Any], bot_user_id: str | None) -> tuple[str, str, str] | None:
    """``(user, channel, text)`` of a person's message to shipbot; None for a bot's message
    (shipbot's own too), an edit, a join or any other subtype."""
    user = str(event.get("user") or "")
    if event.get("bot_id") or event.get("subtype") or not user or user == bot_user_id:
        return None
    if event.get("type") == "message" and event.get("channel_type") != "im":
        return None
    channel = str(event.get("channel") or "")
    return (user, channel, str(event.get("text") or "")) if channel else None


async def answer(
    rt: SlackRuntime, client: AsyncWebClient, team_id: str, user: str, channel: str, text: str
) -> None:
    """Post the card for the question in ``channel``, or the help line."""

    async def say(line: str) -> None:
        try:
            await client.chat_postMessage(channel=channel, text=line, unfurl_links=False)
        except SlackApiError as error:
            log.warning("could not answer a mention", extra={"error": error.response.get("error")})

    async with guarded(
        rt.observed("ask", user=user, team=team_id), say, OOPS, inert=with_code, commands=COMMANDS
    ):
        hint = with_code(ask_hint(COMMANDS, MENTION))
        request = read_question(text, await rt.service.matcher())
        if request is None:
            await say(hint)
            return
        surface = SlackSurface(
            rt.client_for, rt.app.metrics, client, channel, mode=rt.app.settings.vote_mode
        )
        place = Place(community(team_id), channel)
        published = await publishing.publish_compare(rt.service, surface, place, request)
        if isinstance(published, Unresolved):
            await say(hint)


def register(bolt: AsyncApp, rt: SlackRuntime) -> None:
    """``app_mention`` and ``message`` (DMs with shipbot) listeners; answered after the ack."""

    async def on_question(
        body: dict[str, Any], context: dict[str, Any], client: AsyncWebClient
    ) -> None:
        asked = question_of(body.get("event") or {}, context.get("bot_user_id"))
        if asked is None:
            return
        team_id = str(body.get("team_id") or (body.get("event") or {}).get("team") or "")
        rt.later(answer(rt, client, team_id, *asked))

    bolt.event("app_mention")(on_question)
    bolt.event("message")(on_question)
