"""Votes: one per person per pair per community, changeable, idempotent, never double-counted."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from adapters.bootstrap import App
from bot.errors import NotFoundError
from bot.models import Community, Side, Voter, VoteSource

GUILD = Community("discord", "guild-1")
OTHER = Community("discord", "guild-2")


async def _posted(
    app: App, community: Community = GUILD, text: str = "SmolLM3 vs Mistral Medium 3"
) -> int:
    card = await app.service.open_card(
        await app.service.compare(text, community), community, "chan-1"
    )
    assert card.card_id is not None
    await app.service.attach_message(card.card_id, f"msg-{card.card_id}")
    return card.card_id


async def test_cast_change_and_retract(app: App) -> None:
    card = await _posted(app)
    alice = Voter(GUILD, "alice")
    first = await app.service.cast_vote(alice, card, Side.A, VoteSource.REACTION)
    assert first.changed and first.previous is None and first.choice_name == "SmolLM3"
    again = await app.service.cast_vote(alice, card, Side.A, VoteSource.BUTTON)
    assert not again.changed
    changed = await app.service.cast_vote(alice, card, Side.B, VoteSource.REACTION)
    assert changed.changed and changed.previous == first.choice
    fresh = await app.service.render_posted(card)
    assert (fresh.community.here.a, fresh.community.here.b) == (0, 1)
    # Removing the reaction of the earlier choice must not delete the newer vote.
    stale = await app.service.retract_vote(alice, card, Side.A, VoteSource.REACTION)
    assert not stale.changed
    assert (await app.service.render_posted(card)).community.here.n == 1
    gone = await app.service.retract_vote(alice, card, Side.B, VoteSource.REACTION)
    assert gone.changed
    assert (await app.service.render_posted(card)).community.here.n == 0


async def test_same_pair_compared_again_shows_the_same_tally_either_order(app: App) -> None:
    first = await _posted(app)
    await app.service.cast_vote(Voter(GUILD, "bob"), first, Side.B, VoteSource.REACTION)
    reversed_card = await _posted(app, text="Mistral Medium 3 vs SmolLM3")
    outcome = await app.service.cast_vote(
        Voter(GUILD, "bob"), reversed_card, Side.A, VoteSource.BUTTON
    )
    assert not outcome.changed, "Mistral Medium 3 is side A of the reversed card: the same vote"
    card = await app.service.render_posted(reversed_card)
    assert (card.community.here.a, card.community.here.b) == (1, 0)
    assert set(outcome.refresh) == {first, reversed_card}


async def test_communities_count_separately_and_everywhere_sums_them(app: App) -> None:
    here, there = await _posted(app, GUILD), await _posted(app, OTHER)
    for user in ("a", "b", "c", "d", "e"):
        await app.service.cast_vote(Voter(GUILD, user), here, Side.A, VoteSource.REACTION)
    await app.service.cast_vote(Voter(OTHER, "z"), there, Side.B, VoteSource.REACTION)
    card = await app.service.render_posted(here)
    assert (card.community.here.n, card.community.everywhere.n) == (5, 6)
    assert card.community.text.startswith("SmolLM3 100% · Mistral Medium 3 0% (n = 5 here, 95% CI")
    assert card.community.text.endswith("; 83% / 17%, n = 6 everywhere)")
    assert card.a.community == "83% · n = 6"


async def test_a_vote_from_another_community_is_refused(app: App) -> None:
    card = await _posted(app, GUILD)
    with pytest.raises(NotFoundError):
        await app.service.cast_vote(Voter(OTHER, "mallory"), card, Side.A, VoteSource.BUTTON)


async def test_concurrent_duplicate_events_count_once(app: App) -> None:
    card = await _posted(app)
    voter = Voter(GUILD, "carol")
    await asyncio.gather(
        *(app.service.cast_vote(voter, card, Side.A, VoteSource.REACTION) for _ in range(10)),
        return_exceptions=False,
    )
    assert (await app.service.render_posted(card)).community.here.n == 1


async def test_my_vote_is_only_mine(app: App) -> None:
    card = await _posted(app)
    await app.service.cast_vote(Voter(GUILD, "dave"), card, Side.B, VoteSource.BUTTON)
    assert await app.service.my_vote(Voter(GUILD, "dave"), card) == "Mistral Medium 3"
    assert await app.service.my_vote(Voter(GUILD, "erin"), card) is None


async def test_retried_event_counts_once_and_a_late_retry_cannot_undo_a_newer_vote(
    app: App,
) -> None:
    card = await _posted(app)
    frank = Voter(GUILD, "frank")
    first = await app.service.cast_vote(frank, card, Side.A, VoteSource.REACTION, event_id="Ev1")
    assert first.changed
    await app.service.cast_vote(frank, card, Side.B, VoteSource.REACTION, event_id="Ev2")
    late = await app.service.cast_vote(frank, card, Side.A, VoteSource.REACTION, event_id="Ev1")
    assert not late.changed and late.refresh == ()
    assert await app.service.my_vote(frank, card) == "Mistral Medium 3"
    removed = await app.service.retract_vote(
        frank, card, Side.B, VoteSource.REACTION, event_id="Ev3"
    )
    assert removed.changed
    again = await app.service.retract_vote(frank, card, Side.B, VoteSource.REACTION, event_id="Ev3")
    assert not again.changed


async def test_reconcile_applies_reactions_made_while_down_and_keeps_button_votes(app: App) -> None:
    card = await _posted(app)
    await app.service.cast_vote(Voter(GUILD, "gone"), card, Side.A, VoteSource.REACTION)
    await app.service.cast_vote(Voter(GUILD, "button"), card, Side.A, VoteSource.BUTTON)
    await app.service.cast_vote(Voter(GUILD, "stays"), card, Side.B, VoteSource.REACTION)
    refresh = await app.service.reconcile_reactions(
        card, {Side.A: {"new", "button", "both"}, Side.B: {"stays", "both", "switch"}}
    )
    assert refresh == (card,)
    votes = {
        u: await app.service.my_vote(Voter(GUILD, u), card)
        for u in ("gone", "button", "stays", "new", "both", "switch")
    }
    assert votes == {
        "gone": None,
        "button": "SmolLM3",
        "stays": "Mistral Medium 3",
        "new": "SmolLM3",
        "both": None,
        "switch": "Mistral Medium 3",
    }
    assert (
        await app.service.reconcile_reactions(
            card, {Side.A: {"new", "button", "both"}, Side.B: {"stays", "both", "switch"}}
        )
        == ()
    )


async def test_duplicate_delivery_is_flagged_and_an_unposted_card_can_be_discarded(
    app: App,
) -> None:
    card = await _posted(app)
    voter = Voter(GUILD, "gina")
    first = await app.service.cast_vote(voter, card, Side.A, VoteSource.BUTTON, event_id="click-1")
    again = await app.service.cast_vote(voter, card, Side.A, VoteSource.BUTTON, event_id="click-1")
    assert not first.duplicate and again.duplicate
    unposted = await app.service.open_card(
        await app.service.compare("SmolLM3 vs Whisper", GUILD), GUILD, "chan-1"
    )
    assert unposted.card_id is not None
    await app.service.discard_card(unposted.card_id)
    with pytest.raises(NotFoundError):
        await app.service.posted_card(unposted.card_id)
    await app.service.discard_card(card)  # a posted card is never discarded
    assert (await app.service.posted_card(card)).id == card


async def test_a_vote_refreshes_at_most_the_ten_newest_cards_of_its_pair(app: App) -> None:
    cards = [await _posted(app) for _ in range(14)]
    outcome = await app.service.cast_vote(Voter(GUILD, "hal"), cards[0], Side.A, VoteSource.BUTTON)
    assert set(outcome.refresh) == {cards[0], *cards[-10:]}


async def test_processed_event_ids_are_pruned_past_the_retry_window(app: App) -> None:
    """``processed_events`` doesn't grow forever: ids older than ``EVENT_RETENTION`` go."""
    from sqlalchemy import func, select, update

    from bot.service import ShipService
    from bot.vote_batches import EVENT_RETENTION
    from data.schema import ProcessedEvent
    from data.unit_of_work import SqlUnitOfWorkFactory

    where = Community("slack", "T1")
    card = await app.service.open_card(
        await app.service.compare("SmolLM3 vs Mistral Medium 3", where), where, "C1"
    )
    assert card.card_id is not None
    for n in range(3):
        voter = Voter(where, f"U{n}")
        await app.service.cast_vote(voter, card.card_id, Side.A, VoteSource.REACTION, f"Ev{n}")
    async with app.engine.begin() as connection:
        old = datetime.now(UTC) - EVENT_RETENTION - timedelta(minutes=1)
        await connection.execute(
            update(ProcessedEvent).where(ProcessedEvent.event_id != "Ev2").values(created_at=old)
        )
    fresh = ShipService(SqlUnitOfWorkFactory(app.engine))  # a new process: prunes at once
    await fresh.cast_vote(Voter(where, "U9"), card.card_id, Side.B, VoteSource.REACTION, "Ev9")
    async with app.engine.connect() as connection:
        left = await connection.scalars(select(ProcessedEvent.event_id).order_by("event_id"))
        assert list(left) == ["Ev2", "Ev9"]
        assert await connection.scalar(select(func.count()).select_from(ProcessedEvent)) == 2
    # A retried old event is still applied once only while it is remembered: Ev2 is.
    again = await fresh.cast_vote(
        Voter(where, "U2"), card.card_id, Side.B, VoteSource.REACTION, "Ev2"
    )
    assert again.duplicate
