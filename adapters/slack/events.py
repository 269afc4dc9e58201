"""Votes from reactions: :a: for the left tool, :b: for the right one, on a posted card.

Slack re-delivers an event it thinks we missed (``X-Slack-Retry-Num``, same ``event_id``) and Bolt
does not de-duplicate, so every vote carries the ``event_id``: the core applies an event once,
and a late retry of an old reaction can never undo a newer vote.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.render import EMOJI_A, EMOJI_B
from adapters.slack.runtime import PLATFORM, SlackRuntime, community
from bot.errors import UserFacingError
from bot.models import Side, Voter, VoteSource

log = logging.getLogger(__name__)

SIDES = {EMOJI_A: Side.A, EMOJI_B: Side.B}


def side_of(reaction: str) -> Side | None:
    """The side a reaction votes for; skin-tone variants (``a::skin-tone-3``) count as the base."""
    return SIDES.get(reaction.split("::", 1)[0])


@dataclass(frozen=True)
class ReactionEvent:
    """A ``reaction_added`` / ``reaction_removed`` on a message, out of Bolt's dicts."""

    event_id: str
    team_id: str
    user_id: str
    channel_id: str
    ts: str
    side: Side
    added: bool

    @classmethod
    def of(cls, body: dict[str, Any], bot_user_id: str | None) -> ReactionEvent | None:
        """None when the event is not a vote: another emoji, not a message, or the bot itself."""
        event = body.get("event") or {}
        item = event.get("item") or {}
        side = side_of(str(event.get("reaction") or ""))
        user = str(event.get("user") or "")
        if side is None or item.get("type") != "message" or not user or user == bot_user_id:
            return None
        return cls(
            event_id=str(body.get("event_id") or ""),
            team_id=str(body.get("team_id") or event.get("team") or ""),
            user_id=user,
            channel_id=str(item.get("channel") or ""),
            ts=str(item.get("ts") or ""),
            side=side,
            added=event.get("type") == "reaction_added",
        )


async def apply_reaction(rt: SlackRuntime, reaction: ReactionEvent) -> None:
    """Cast or retract the vote a reaction means, then mark the pair's cards for a refresh."""
    card = await rt.service.card_by_message(PLATFORM, reaction.channel_id, reaction.ts)
    if card is None:
        return  # a reaction on some other message
    voter = Voter(community(reaction.team_id), reaction.user_id)
    event_id = reaction.event_id or None
    try:
        if reaction.added:
            outcome = await rt.service.cast_vote(
                voter, card.id, reaction.side, VoteSource.REACTION, event_id=event_id
            )
        else:
            outcome = await rt.service.retract_vote(
                voter, card.id, reaction.side, VoteSource.REACTION, event_id=event_id
            )
    except UserFacingError as error:  # e.g. a card from another workspace; nobody to tell
        log.info("reaction ignored", extra={"card": card.id, "reason": error.message})
        return
    rt.refresher.mark(outcome.refresh)


def register(bolt: AsyncApp, rt: SlackRuntime) -> None:
    """Reaction listeners. The app runs with ``process_before_response``, so Slack gets its 200
    only after the vote is committed: an acknowledged vote can't be lost if the process dies, and
    a failed write answers 500, which Slack retries (the event id keeps the retry from counting
    twice). The write takes milliseconds, well within Slack's 3 seconds."""

    async def on_reaction(body: dict[str, Any], context: dict[str, Any]) -> None:
        if not rt.app.settings.vote_mode.reactions:
            return  # SHIPBOT_VOTE_MODE=buttons: reactions are not votes
        reaction = ReactionEvent.of(body, context.get("bot_user_id"))
        if reaction is None:
            return
        action = "reaction_vote" if reaction.added else "reaction_retract"
        async with rt.observed(action, user=reaction.user_id, team=reaction.team_id) as seen:
            seen.fields["event_id"] = reaction.event_id
            await apply_reaction(rt, reaction)

    bolt.event("reaction_added")(on_reaction)
    bolt.event("reaction_removed")(on_reaction)
