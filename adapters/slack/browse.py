"""``/shipbot tools [category] [query]``, ``/shipbot tool info NAME`` and ``/shipbot alternatives
NAME``: ephemeral, the catalog paged with Prev / Next (the response is replaced in place), and
"Compare with …" buttons that post the card in the channel as ``/compare`` does."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.browse_render import (
    TOOLS_NEXT,
    TOOLS_PREV,
    render_alternatives,
    render_catalog,
    render_info,
)
from adapters.slack.posting import compare_pair, guard, show, tell
from adapters.slack.runtime import Respond, SlackRuntime
from bot.browse import split_category
from bot.errors import UserFacingError

COMPARE_WITH = re.compile(r"^compare_with_\d+$")


async def tools(rt: SlackRuntime, respond: Respond, text: str) -> None:
    """The first page of the catalog; a leading category word filters it, the rest searches."""
    category, query = split_category(text, await rt.app.browse.categories())
    await show(respond, render_catalog(await rt.app.browse.tools(category, query, 0)))


async def info(rt: SlackRuntime, respond: Respond, name: str) -> None:
    if not name:
        await tell(respond, "Which tool? `/shipbot tool info NAME`.")
        return
    await show(respond, render_info(await rt.app.browse.info(name)))


async def alternatives(rt: SlackRuntime, respond: Respond, name: str) -> None:
    if not name:
        await tell(respond, "Which tool? `/shipbot alternatives NAME`.")
        return
    await show(respond, render_alternatives(await rt.app.browse.alternatives(name)))


def register(bolt: AsyncApp, rt: SlackRuntime) -> None:
    """Prev / Next and Compare with …: acked at once, the work after the ack."""

    def after_ack(
        action_id: str | re.Pattern[str],
        name: str,
        work: Callable[
            [dict[str, Any], dict[str, Any], Respond, AsyncWebClient], Coroutine[Any, Any, None]
        ],
    ) -> None:
        async def listener(
            ack: AsyncAck,
            body: dict[str, Any],
            action: dict[str, Any],
            respond: Respond,
            client: AsyncWebClient,
        ) -> None:
            await ack()
            user = str((body.get("user") or {}).get("id") or "")
            team = str((body.get("team") or {}).get("id") or "")

            async def run() -> None:
                async with guard(rt, respond, name, user=user, team=team):
                    await work(body, action, respond, client)

            rt.later(run())

        bolt.action(action_id)(listener)

    async def turn_page(
        body: dict[str, Any], action: dict[str, Any], respond: Respond, _: AsyncWebClient
    ) -> None:
        try:
            asked = json.loads(str(action.get("value") or ""))
            category, query, page = str(asked["category"]), str(asked["query"]), int(asked["page"])
        except (ValueError, KeyError, TypeError):
            raise UserFacingError("That button is broken; run `/shipbot tools` again.") from None
        message = render_catalog(await rt.app.browse.tools(category, query, page))
        await respond(text=message.text, blocks=message.block_dicts(), replace_original=True)

    async def compare_with(
        body: dict[str, Any], action: dict[str, Any], respond: Respond, client: AsyncWebClient
    ) -> None:
        try:
            pair = json.loads(str(action.get("value") or ""))
            a, b = str(pair["a"]), str(pair["b"])
        except (ValueError, KeyError, TypeError):
            raise UserFacingError("That button is broken; run `/compare` again.") from None
        channel = (body.get("container") or {}).get("channel_id") or (
            body.get("channel") or {}
        ).get("id")
        team = str((body.get("team") or {}).get("id") or "")
        user = str((body.get("user") or {}).get("id") or "") or None
        await compare_pair(
            rt,
            client,
            respond,
            team_id=team,
            channel_id=str(channel or ""),
            a=a,
            b=b,
            lens=None,
            asked_by=user,
        )

    after_ack(TOOLS_PREV, "tools_page", turn_page)
    after_ack(TOOLS_NEXT, "tools_page", turn_page)
    after_ack(COMPARE_WITH, "compare_with", compare_with)
