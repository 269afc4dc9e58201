"""Buttons: vote A / B and withdraw, Full reviews, did-you-mean picks and the remove confirmation.

Slack does not retry interactivity requests, but a click can still arrive twice (a double click,
a proxy re-send); the click's ``action_ts`` makes an event id, so one click counts once.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.commands import NOT_ADMIN
from adapters.slack.escape import mrkdwn
from adapters.slack.modals import REMOVE_CANCEL, REMOVE_CONFIRM
from adapters.slack.posting import OOPS, compare_pair, show, tell, tell_error
from adapters.slack.render import (
    FULL_REVIEWS,
    RETRACT,
    VOTE_A,
    VOTE_B,
    render_full_reviews,
    render_vote_receipt,
)
from adapters.slack.runtime import Respond, SlackRuntime, community
from bot.errors import UserFacingError
from bot.models import Lens, Side, Voter, VoteSource

log = logging.getLogger(__name__)

PICK = re.compile(r"^pick_\d+$")


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
            team_id=str((body.get("team") or {}).get("id") or body.get("user", {}).get("team_id")),
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
        if not self.value.isdigit():
            raise UserFacingError("That button is broken; run /compare again to vote.")
        return int(self.value)


def register(bolt: AsyncApp, rt: SlackRuntime) -> None:
    async def run(respond: Respond, click: Click, work: Any) -> None:
        try:
            await work
        except UserFacingError as error:
            await tell_error(respond, error)
        except Exception:
            log.exception("slack button failed", extra={"action": click.action_id})
            await tell(respond, OOPS)

    @bolt.action(VOTE_A)
    @bolt.action(VOTE_B)
    async def on_vote(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        await ack()
        click = Click.of(body, action)
        side = Side.A if click.action_id == VOTE_A else Side.B
        await run(respond, click, vote(rt, respond, click, side))

    @bolt.action(RETRACT)
    async def on_retract(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        await ack()
        click = Click.of(body, action)
        await run(respond, click, retract(rt, respond, click))

    @bolt.action(FULL_REVIEWS)
    async def on_full_reviews(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        await ack()
        click = Click.of(body, action)

        async def work() -> None:
            card = await rt.service.render_posted(click.card_id())
            await show(respond, render_full_reviews(card))

        await run(respond, click, work())

    @bolt.action(PICK)
    async def on_pick(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Respond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        click = Click.of(body, action)
        await run(respond, click, pick(rt, client, respond, click))

    @bolt.action(REMOVE_CONFIRM)
    async def on_remove(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Respond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        click = Click.of(body, action)
        await run(respond, click, remove(rt, client, respond, click))

    @bolt.action(REMOVE_CANCEL)
    async def on_remove_cancel(ack: AsyncAck, action: dict[str, Any], respond: Respond) -> None:
        await ack()
        name = str(action.get("value") or "")
        await respond(text=f"Kept *{mrkdwn(name)}*.", replace_original=True)


async def vote(rt: SlackRuntime, respond: Respond, click: Click, side: Side) -> None:
    voter = Voter(community(click.team_id), click.user_id)
    card_id = click.card_id()
    outcome = await rt.service.cast_vote(
        voter, card_id, side, VoteSource.BUTTON, event_id=click.event_id
    )
    rt.refresher.mark(outcome.refresh)
    if not outcome.refresh:
        return  # the same click delivered twice: already confirmed
    name = outcome.choice_name or "that tool"
    verb = "changed your vote to" if outcome.changed and outcome.previous else "picked"
    if not outcome.changed:
        verb = "already picked"
    await show(
        respond,
        render_vote_receipt(f"You {verb} *{mrkdwn(name)}* (only you can see this).", card_id),
    )


async def retract(rt: SlackRuntime, respond: Respond, click: Click) -> None:
    voter = Voter(community(click.team_id), click.user_id)
    outcome = await rt.service.retract_vote(
        voter, click.card_id(), None, VoteSource.BUTTON, event_id=click.event_id
    )
    rt.refresher.mark(outcome.refresh)
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
        rt, client, respond, team_id=click.team_id, channel_id=click.channel_id, a=a, b=b, lens=lens
    )
    if posted:
        await respond(delete_original=True)


async def remove(rt: SlackRuntime, client: AsyncWebClient, respond: Respond, click: Click) -> None:
    actor = await rt.admins.actor(client, click.team_id, click.user_id)
    if not actor.is_admin:
        await tell(respond, NOT_ADMIN)
        return
    name = await rt.catalog.remove_tool(click.value, actor)
    await respond(text=f"Removed *{mrkdwn(name)}* from the catalog.", replace_original=True)
