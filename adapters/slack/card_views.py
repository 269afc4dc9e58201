"""What a card's buttons show only to the person who clicked: full reviews, the vote chart and
their own vote. A person only ever learns their own choice; button votes are never shown to
others (reactions, where enabled, are visible in Slack itself)."""

from __future__ import annotations

import asyncio

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.charts import vote_split_png
from adapters.slack.escape import mrkdwn
from adapters.slack.files import Upload, send_privately
from adapters.slack.posting import show, tell
from adapters.slack.render import render_full_reviews
from adapters.slack.runtime import Respond, SlackRuntime, community
from bot.models import Voter

CHART_SENT = "I sent you the vote chart of *{title}* in a direct message (only you can see it)."
CHART_FAILED = "I couldn't send you the chart just now; the card's community line has the numbers."


async def full_reviews(rt: SlackRuntime, respond: Respond, card_id: int) -> None:
    card = await rt.service.render_posted(card_id)
    await show(respond, render_full_reviews(card))


async def chart(
    rt: SlackRuntime, client: AsyncWebClient, respond: Respond, user_id: str, card_id: int
) -> None:
    """The card's current vote split (here and everywhere, with n) as a PNG in the person's DM:
    Slack can't attach a file to an ephemeral message, and the DM is private to them."""
    card = await rt.service.render_posted(card_id)
    png = await asyncio.to_thread(vote_split_png, card)  # matplotlib: off the event loop
    here, everywhere = card.community.here, card.community.everywhere
    alt = (
        f"Community vote {card.title}: here {here.a} to {here.b} (n = {here.n}); "
        f"everywhere {everywhere.a} to {everywhere.b} (n = {everywhere.n})"
    )
    upload = Upload(png, f"vote-split-{card_id}.png", f"Community vote: {card.title}", alt)
    try:
        await send_privately(client, user_id, upload)
    except SlackApiError:
        await tell(respond, CHART_FAILED)
        raise
    await tell(respond, CHART_SENT.format(title=mrkdwn(card.title)))


async def my_vote(
    rt: SlackRuntime, respond: Respond, team_id: str, user_id: str, card_id: int
) -> None:
    name = await rt.service.my_vote(Voter(community(team_id), user_id), card_id)
    if name is None:
        await tell(respond, "You haven't voted on this pair yet (only you can see this).")
    else:
        await tell(respond, f"You picked *{mrkdwn(name)}* (only you can see this).")
