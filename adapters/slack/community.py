"""``/shipbot leaderboard``, ``subscribe``, ``unsubscribe`` and ``export``: the community
features, translated to the core's :class:`~bot.community.CommunityService`.

The leaderboard answers in the channel (blocks) and shares its chart there; the export is for one
admin only, so the CSV goes to their direct message with the bot (see :mod:`adapters.slack.files`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.charts import leaderboard_png
from adapters.exports import votes_csv
from adapters.slack.community_render import render_leaderboard
from adapters.slack.escape import fit
from adapters.slack.files import Upload, send_privately, share
from adapters.slack.posting import ADMINS_ONLY, NOT_POSTABLE, tell
from adapters.slack.runtime import Respond, SlackRuntime, community
from bot.admin import Actor
from bot.digest import WEEKDAYS, parse_weekday, zone
from bot.errors import InvalidInput, PermissionDenied

log = logging.getLogger(__name__)

SUBSCRIBE_USAGE = (
    "Use `/shipbot subscribe [DAY] [HOUR] [TIME ZONE]`, e.g. `/shipbot subscribe friday 16 "
    "Europe/Paris` (each part optional from the right)."
)
HOUR = re.compile(r"^(\d{1,2})(?::00|h)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Where:
    """Who asks, from which channel of which workspace."""

    team_id: str
    channel_id: str
    user_id: str


async def admin(rt: SlackRuntime, client: AsyncWebClient, where: Where) -> Actor:
    """The person as an admin ``Actor``; refused (``PermissionDenied``) otherwise."""
    actor = await rt.admins.actor(client, where.team_id, where.user_id)
    if not actor.is_admin:
        raise PermissionDenied(ADMINS_ONLY)
    return actor


async def leaderboard(
    rt: SlackRuntime,
    client: AsyncWebClient,
    respond: Respond,
    channel_id: str,
    category: str,
    team_id: str = "",
) -> None:
    """The board as blocks in the channel, then its chart shared there. A failed upload (the bot
    is not in the channel, no ``files:write``) still leaves the blocks. ``[here|everywhere]
    [CATEGORY]``: this workspace's votes by default, every community's with ``everywhere``."""
    scope, _, rest = category.strip().partition(" ")
    where = community(team_id) if team_id else None
    if scope.casefold() == "everywhere":
        where, category = None, rest
    elif scope.casefold() == "here":
        category = rest
    board = await rt.app.community.leaderboard(category.strip() or None, community=where)
    message = render_leaderboard(board)
    await respond(
        text=message.text,
        blocks=message.block_dicts(),
        response_type="in_channel",
        replace_original=False,
    )
    png = await asyncio.to_thread(leaderboard_png, board)  # matplotlib: off the event loop
    title = f"shipbot leaderboard — {board.category}" if board.category else "shipbot leaderboard"
    alt = f"Ratings with 95% intervals of the top {len(board.rows[:15])} tools"
    try:
        await share(client, channel_id, Upload(png, "leaderboard.png", title, alt))
    except SlackApiError as error:
        code = error.response.get("error")
        log.warning("leaderboard chart not shared", extra={"channel": channel_id, "error": code})
        if code in NOT_POSTABLE:
            await tell(respond, "To share the chart too, invite @shipbot (`/invite @shipbot`).")


def parse_schedule(text: str) -> tuple[int | None, int | None, str | None]:
    """``[DAY] [HOUR] [TIME ZONE]`` → (weekday, hour, timezone), each None when left out."""
    words = text.split()
    if len(words) > 3:
        raise InvalidInput(SUBSCRIBE_USAGE)
    weekday = parse_weekday(words[0]) if words else None
    hour = None
    if len(words) > 1:
        match = HOUR.match(words[1])
        if match is None or int(match.group(1)) > 23:
            raise InvalidInput(f"'{words[1]}' is not an hour from 0 to 23. {SUBSCRIBE_USAGE}")
        hour = int(match.group(1))
    timezone = words[2] if len(words) > 2 else None
    if timezone is not None:
        zone(timezone)
    return weekday, hour, timezone


async def subscribe(
    rt: SlackRuntime, client: AsyncWebClient, respond: Respond, where: Where, text: str
) -> None:
    weekday, hour, timezone = parse_schedule(text)
    actor = await admin(rt, client, where)
    subscription = await rt.app.community.subscribe(
        community(where.team_id), where.channel_id, actor, weekday, hour, timezone
    )
    await tell(
        respond,
        f"<#{where.channel_id}> gets the weekly verdicts digest every "
        f"{WEEKDAYS[subscription.weekday]} at {subscription.hour:02d}:00 "
        f"({fit(subscription.timezone, 60)}); next: "
        f"{local(subscription.next_run_at, subscription.timezone)}. "
        "Make sure @shipbot is in the channel.",
    )


async def unsubscribe(
    rt: SlackRuntime, client: AsyncWebClient, respond: Respond, where: Where
) -> None:
    actor = await admin(rt, client, where)
    removed = await rt.app.community.unsubscribe(community(where.team_id), where.channel_id, actor)
    await tell(
        respond,
        f"<#{where.channel_id}> won't get the digest any more."
        if removed
        else f"<#{where.channel_id}> wasn't subscribed to the digest.",
    )


async def export(rt: SlackRuntime, client: AsyncWebClient, respond: Respond, where: Where) -> None:
    """This workspace's votes as CSV with salted-hash user ids, to the admin's DM only."""
    actor = await admin(rt, client, where)
    # Only this workspace's votes are read (filtered in SQL); ids hashed, never raw on Slack.
    rows = await rt.app.community.export_votes(actor, community=community(where.team_id))
    upload = Upload(votes_csv(rows), "votes.csv", "shipbot votes")
    await send_privately(
        client, where.user_id, upload, f"{len(rows)} votes; user ids are salted hashes."
    )
    await tell(
        respond,
        f"I sent you *votes.csv* ({len(rows)} votes, user ids as salted hashes) in a direct "
        "message.",
    )


def local(moment: datetime, timezone: str) -> str:
    """``Mon 1 Dec 2025, 09:00 Europe/Paris``."""
    at = moment.astimezone(zone(timezone))
    return f"{at:%a} {at.day} {at:%b %Y, %H:%M} {fit(timezone, 60)}"
