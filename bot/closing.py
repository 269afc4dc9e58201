"""Closing a card's vote: who may, what a closed card shows, and the refusal a late vote gets.

A card closes by hand (``close_vote``: an admin or the person who asked) or on its own when its
``closes_at`` passes (``/compare A vs B for 3 days``). Closing by hand freezes the split here
(``PostedCard.final``); the card then shows "Final: …" from it and refuses every vote through it.
A card that closed on its own and was never closed by hand shows the pair's split as it reads
now (votes through other cards of the pair still count for the pair).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from bot.admin import Actor
from bot.cards import VerdictCard, community_line
from bot.errors import NotFoundError, PermissionDenied, UserFacingError
from bot.ids import valid_row_id
from bot.models import PostedCard
from bot.ports import Clock, UnitOfWorkFactory
from bot.votes import Split

NOT_ALLOWED = "Only the person who asked for this card or a community admin can close its vote."


class VotingClosed(UserFacingError):
    """A vote (cast, change or retract) on a card whose vote is closed: nothing changed."""


@dataclass(frozen=True)
class CloseOutcome:
    """A close: the card as now stored, and whether this call closed it (False: already was)."""

    card: PostedCard
    changed: bool


def day(moment: datetime) -> str:
    """``3 May 2026, 14:00 UTC``: how a card says when voting ends or ended."""
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def split_text(a_name: str, b_name: str, split: Split) -> str:
    """``SmolLM3 60% (3) · Mistral Medium 3 40% (2)``, or "no votes" with none."""
    if split.n == 0:
        return "no votes"
    return f"{a_name} {split.a_percent}% ({split.a}) · {b_name} {split.b_percent}% ({split.b})"


def refusal(card: PostedCard, names: Mapping[int, str], ended: datetime) -> VotingClosed:
    """The friendly answer to a vote on a closed card."""
    if card.final is None:
        final = "on the card"
    else:
        final = split_text(names.get(card.tool_a, "A"), names.get(card.tool_b, "B"), _final(card))
    return VotingClosed(f"Voting on this card closed on {day(ended)}; the final split is {final}.")


def with_closing(card: VerdictCard, posted: PostedCard, now: datetime) -> VerdictCard:
    """The card as its vote state shows it: "Final: …" once closed (no vote buttons), the
    closing time while a timed vote is open, unchanged otherwise."""
    ended = posted.closed_since(now)
    if ended is None:
        if posted.closes_at is None:
            return card
        line = replace(
            card.community, text=f"{card.community.text} · voting closes {day(posted.closes_at)}"
        )
        return replace(card, community=line)
    split = _final(posted) if posted.final is not None else card.community.here
    line = community_line(card.a.name, card.b.name, split, split, card.community.minimum)
    text = f"Final: {line.text} · voting closed {day(ended)}"
    return replace(card, community=replace(line, text=text), voting_closed=day(ended))


async def close_vote(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    card_id: int,
    actor: Actor,
    voters_before: datetime | None = None,
) -> CloseOutcome:
    """Close the card's vote, freezing its split here. Allowed for admins and the person who
    asked (``PermissionDenied`` for anyone else); closing a closed card changes nothing."""
    async with uow_factory() as uow:
        card = await uow.cards.get(card_id) if valid_row_id(card_id) else None
        if card is None:
            raise NotFoundError("That card no longer exists.")
        if not (actor.is_admin or (card.asked_by is not None and actor.id == card.asked_by)):
            raise PermissionDenied(NOT_ALLOWED)
        if card.closed_at is not None:
            return CloseOutcome(card, changed=False)
        now = clock.now()
        at = card.closed_since(now) or now
        counts = await uow.votes.card_counts(card.pair, card.community, voters_before)
        final = (counts.here.votes_for(card.tool_a), counts.here.votes_for(card.tool_b))
        closed = await uow.cards.close(card.id, actor.id, at, final)
        await uow.commit()
    if not closed:  # another process closed it first
        async with uow_factory() as uow:
            stored = await uow.cards.get(card_id)
        return CloseOutcome(stored or card, changed=False)
    return CloseOutcome(replace(card, closed_at=at, closed_by=actor.id, final=final), True)


def _final(card: PostedCard) -> Split:
    assert card.final is not None
    return Split(*card.final)
