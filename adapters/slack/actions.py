"""Buttons: vote A / B and withdraw, Full reviews, Chart, My vote, Close vote, did-you-mean picks
and the remove confirmation.

A vote is acked only after it is committed (the app runs with ``process_before_response``), so
an acknowledged vote survives a crash; every other button acks at once and works after
(:meth:`SlackRuntime.later`). Slack does not retry interactivity requests, but a click can still
arrive twice (a double click, a proxy re-send); the click's ``action_ts`` makes an event id, so
one click counts once (``VoteOutcome.duplicate``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import card_views
from adapters.slack.escape import mrkdwn
from adapters.slack.modals import REMOVE_CANCEL, REMOVE_CONFIRM
from adapters.slack.panel_draft import draft_from_card
from adapters.slack.posting import NOT_ADMIN, compare_pair, guard, show, tell
from adapters.slack.render import (
    CHART,
    CLOSE_VOTE,
    DRAFT_PANEL,
    FULL_REVIEWS,
    MY_VOTE,
    RETRACT,
    VOTE_A,
    VOTE_B,
    render_vote_receipt,
)
from adapters.slack.runtime import Respond, SlackRuntime, community
from bot.errors import UserFacingError
from bot.ids import parse_row_id
from bot.models import Lens, Side, Voter, VoteSource

log = logging.getLogger(__name__)

PICK = re.compile(r"^pick_\d+$")

#: Work a button does after the ack: (click, respond, client) → coroutine.
Work = Callable[["Click", Respond, AsyncWebClient], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Click:
    """One button click, out of Bolt's dicts."""

    team_id: str
    user_id: str
    channel_id: str
    message_ts: str
    action_id: str
    value: str
    action_ts: str

    @classmethod
    def of(cls, body: dict[str, Any], action: dict[str, Any]) -> Click:
        container = body.get("container") or {}
        return cls(
            team_id=str(
                (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""
            ),
            user_id=str((body.get("user") or {}).get("id") or ""),
            channel_id=str(
                container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
            ),
            message_ts=str(container.get("message_ts") or ""),
            action_id=str(action.get("action_id") or ""),
            value=str(action.get("value") or ""),
            action_ts=str(action.get("action_ts") or ""),
        )

    @property
    def event_id(self) -> str | None:
        if not self.action_ts:
            return None
        return f"click:{self.channel_id}:{self.message_ts}:{self.user_id}:{self.action_ts}"[:128]

    def card_id(self) -> int:
        card_id = parse_row_id(self.value)
        if card_id is None:
            log.warning("slack button with a bad card id", extra={"button": self.action_id})
            raise UserFacingError("That button is broken; run /compare again to vote.")
        return card_id


def register(bolt: AsyncApp, rt: SlackRuntime) -> None:
    async def observed(
        click: Click, action: str, respond: Respond, work: Coroutine[Any, Any, None]
    ) -> None:
        async with guard(rt, respond, action, user=click.user_id, team=click.team_id) as seen:
            seen.fields["button"] = click.action_id
            await work

    @bolt.action(VOTE_A)
    @bolt.action(VOTE_B)
    async def on_vote(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        click = Click.of(body, action)
        side = Side.A if click.action_id == VOTE_A else Side.B
        if not click.user_id:
            await ignore_userless(ack, click)
            return
        try:
            await observed(click, "vote", respond, vote(rt, ack, respond, click, side))
        finally:
            if ack.response is None:
                await ack()

    @bolt.action(RETRACT)
    async def on_retract(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        click = Click.of(body, action)
        if not click.user_id:
            await ignore_userless(ack, click)
            return
        try:
            await observed(click, "retract", respond, retract(rt, ack, respond, click))
        finally:
            if ack.response is None:
                await ack()

    def after_ack(action_id: str | re.Pattern[str], name: str, work: Work) -> None:
        async def listener(
            ack: AsyncAck,
            body: dict[str, Any],
            action: dict[str, Any],
            respond: Respond,
            client: AsyncWebClient,
        ) -> None:
            await ack()
            click = Click.of(body, action)
            rt.later(observed(click, name, respond, work(click, respond, client)))

        bolt.action(action_id)(listener)

    async def full_reviews(click: Click, respond: Respond, _: AsyncWebClient) -> None:
        await card_views.full_reviews(rt, respond, click.card_id())

    async def chart(click: Click, respond: Respond, client: AsyncWebClient) -> None:
        await card_views.chart(rt, client, respond, click.user_id, click.card_id())

    async def my_vote(click: Click, respond: Respond, _: AsyncWebClient) -> None:
        await card_views.my_vote(rt, respond, click.team_id, click.user_id, click.card_id())

    async def picked(click: Click, respond: Respond, client: AsyncWebClient) -> None:
        await pick(rt, client, respond, click)

    async def removed(click: Click, respond: Respond, client: AsyncWebClient) -> None:
        await remove(rt, client, respond, click)

    after_ack(FULL_REVIEWS, "full_reviews", full_reviews)
    after_ack(CHART, "chart", chart)
    after_ack(MY_VOTE, "my_vote", my_vote)
    after_ack(PICK, "pick", picked)
    after_ack(REMOVE_CONFIRM, "tool_remove", removed)

    async def drafted(click: Click, respond: Respond, client: AsyncWebClient) -> None:
        await draft_from_card(rt, client, respond, click.team_id, click.user_id, click.card_id())

    after_ack(DRAFT_PANEL, "panel_draft_button", drafted)

    async def closed(click: Click, respond: Respond, client: AsyncWebClient) -> None:
        await close(rt, client, respond, click)

    after_ack(CLOSE_VOTE, "close_vote", closed)

    @bolt.action(REMOVE_CANCEL)
    async def on_remove_cancel(ack: AsyncAck, action: dict[str, Any], respond: Respond) -> None:
        await ack()
        name = str(action.get("value") or "")
        await respond(text=f"Kept *{mrkdwn(name)}*.", replace_original=True)


async def ignore_userless(ack: AsyncAck, click: Click) -> None:
    """A vote click without a user (Slack always names one): acked, logged, not counted."""
    log.warning(
        "slack vote without a user ignored",
        extra={"button": click.action_id, "team": click.team_id},
    )
    await ack()


async def vote(rt: SlackRuntime, ack: AsyncAck, respond: Respond, click: Click, side: Side) -> None:
    """Cast the vote, ack (only now: the vote is committed), then confirm privately."""
    voter = Voter(community(click.team_id), click.user_id)
    card_id = click.card_id()
    outcome = await rt.service.cast_vote(
        voter, card_id, side, VoteSource.BUTTON, event_id=click.event_id
    )
    await ack()
    rt.refresher.mark(outcome.refresh)
    if outcome.duplicate:
        return  # the same click delivered twice: already confirmed
    name = mrkdwn(outcome.choice_name or "that tool")
    if not outcome.changed:
        text = f"You already picked *{name}*"
    elif outcome.previous_name:
        text = f"You changed your vote from *{mrkdwn(outcome.previous_name)}* to *{name}*"
    else:
        text = f"You picked *{name}*"
    await show(respond, render_vote_receipt(f"{text} (only you can see this).", card_id))


async def retract(rt: SlackRuntime, ack: AsyncAck, respond: Respond, click: Click) -> None:
    voter = Voter(community(click.team_id), click.user_id)
    outcome = await rt.service.retract_vote(
        voter, click.card_id(), None, VoteSource.BUTTON, event_id=click.event_id
    )
    await ack()
    rt.refresher.mark(outcome.refresh)
    if outcome.duplicate:
        return
    text = "Your vote is withdrawn." if outcome.changed else "You had no vote on this pair."
    await respond(text=text, replace_original=True)


async def pick(rt: SlackRuntime, client: AsyncWebClient, respond: Respond, click: Click) -> None:
    """A did-you-mean button: compare the corrected pair and post the card in the channel."""
    try:
        choice = json.loads(click.value)
        a, b = str(choice["a"]), str(choice["b"])
        lens = Lens(choice["lens"]) if choice.get("lens") else None
    except (ValueError, KeyError, TypeError):
        raise UserFacingError("That button is broken; run /compare again.") from None
    posted = await compare_pair(
        rt,
        client,
        respond,
        team_id=click.team_id,
        channel_id=click.channel_id,
        a=a,
        b=b,
        lens=lens,
        asked_by=click.user_id or None,
    )
    if posted:
        await respond(delete_original=True)


async def close(rt: SlackRuntime, client: AsyncWebClient, respond: Respond, click: Click) -> None:
    """Close the card's vote (the asker or an admin: the core checks), then re-render the card
    with "Final: …" and no Ship or Close buttons; a refusal is told only to the clicker."""
    card_id = click.card_id()
    actor = await rt.admins.actor(client, click.team_id, click.user_id)
    outcome = await rt.service.close_vote(card_id, actor)
    rt.refresher.mark([card_id])
    if outcome.changed:
        await tell(respond, "You closed the vote on this card: it now shows the final split.")
    else:
        await tell(respond, "The vote on this card was already closed.")


async def remove(rt: SlackRuntime, client: AsyncWebClient, respond: Respond, click: Click) -> None:
    actor = await rt.admins.actor(client, click.team_id, click.user_id)
    if not actor.catalog_admin:
        await tell(respond, NOT_ADMIN)
        return
    name = await rt.catalog.remove_tool(click.value, actor)
    await respond(
        text=f"Archived *{mrkdwn(name)}*: it is out of /compare everywhere; its votes are kept "
        f"and `shipbot tool restore {mrkdwn(name)}` brings it back.",
        replace_original=True,
    )
