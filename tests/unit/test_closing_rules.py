"""Closing a card's vote on the in-memory fakes: who may close, the frozen final split, the
refusal a late vote gets, and ``… for 3 days`` on a clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import publishing
from bot.admin import Actor
from bot.closing import VotingClosed
from bot.errors import PermissionDenied
from bot.models import Side, Voter, VoteSource
from bot.publishing import Place, Published
from bot.service import ServiceConfig, ShipService
from tests.fakes.memory import MemoryUnitOfWorkFactory
from tests.support.clock import FakeClock
from tests.unit.surfaces import RecordingSurface
from tests.unit.test_service_rules import GUILD, PAIR, _seeded

ASKER = Actor("asker", "asker", is_admin=False)
STRANGER = Actor("stranger", "stranger", is_admin=False)
ADMIN = Actor("boss", "boss", is_admin=True)


@pytest.fixture
async def setup() -> tuple[ShipService, FakeClock]:
    store = MemoryUnitOfWorkFactory()
    clock = FakeClock(datetime(2026, 12, 1, 12, tzinfo=UTC))
    service = ShipService(store, await _seeded(store), clock, ServiceConfig(min_votes=1))
    return service, clock


async def _asked(service: ShipService, text: str = PAIR) -> int:
    place = Place(GUILD, "chan", asked_by=ASKER.id)
    published = await publishing.publish_compare(service, RecordingSurface(), place, text)
    assert isinstance(published, Published) and published.card.card_id is not None
    return published.card.card_id


async def _vote(service: ShipService, user: str, card: int, side: Side) -> None:
    await service.cast_vote(Voter(GUILD, user), card, side, VoteSource.BUTTON)


async def test_the_asker_closes_and_later_votes_change_nothing(
    setup: tuple[ShipService, FakeClock],
) -> None:
    service, _ = setup
    card = await _asked(service)
    await _vote(service, "ann", card, Side.A)
    await _vote(service, "bob", card, Side.A)
    await _vote(service, "cat", card, Side.B)
    outcome = await service.close_vote(card, ASKER)
    assert outcome.changed and outcome.card.final == (2, 1)
    with pytest.raises(VotingClosed) as refused:
        await _vote(service, "dan", card, Side.B)
    assert refused.value.message == (
        "Voting on this card closed on 1 Dec 2026, 12:00 UTC; the final split is "
        "SmolLM3 67% (2) · Mistral Medium 3 33% (1)."
    )
    with pytest.raises(VotingClosed):  # a change and a retract are refused alike
        await _vote(service, "ann", card, Side.B)
    with pytest.raises(VotingClosed):
        await service.retract_vote(Voter(GUILD, "cat"), card, None, VoteSource.BUTTON)
    assert await service.reconcile_reactions(card, {Side.B: ["eve"]}) == ()
    shown = await service.render_posted(card)
    assert (shown.community.here.a, shown.community.here.b) == (2, 1)
    assert shown.community.text.startswith("Final: SmolLM3 67% · Mistral Medium 3 33%")
    assert shown.voting_closed == "1 Dec 2026, 12:00 UTC"
    assert not (await service.close_vote(card, ADMIN)).changed  # closing twice: no-op


async def test_only_admins_and_the_asker_may_close(setup: tuple[ShipService, FakeClock]) -> None:
    service, _ = setup
    card = await _asked(service)
    with pytest.raises(PermissionDenied, match="person who asked"):
        await service.close_vote(card, STRANGER)
    await _vote(service, "ann", card, Side.A)  # still open
    assert (await service.close_vote(card, ADMIN)).changed


async def test_a_card_closed_elsewhere_keeps_its_frozen_split(
    setup: tuple[ShipService, FakeClock],
) -> None:
    service, _ = setup
    closed, other = await _asked(service), await _asked(service)
    await _vote(service, "ann", closed, Side.A)
    await service.close_vote(closed, ASKER)
    await _vote(service, "bob", other, Side.B)  # the pair's vote goes on through another card
    here = (await service.render_posted(closed)).community.here
    assert (here.a, here.b) == (1, 0)


async def test_a_timed_vote_closes_on_its_own(setup: tuple[ShipService, FakeClock]) -> None:
    service, clock = setup
    card = await _asked(service, f"{PAIR} for 3 days")
    shown = await service.render_posted(card)
    assert "voting closes 4 Dec 2026, 12:00 UTC" in shown.community.text
    assert shown.voting_closed == ""
    await _vote(service, "ann", card, Side.A)
    clock.advance(days=3)
    with pytest.raises(VotingClosed, match="closed on 4 Dec 2026, 12:00 UTC"):
        await _vote(service, "bob", card, Side.B)
    shown = await service.render_posted(card)
    assert shown.community.text.startswith("Final: ") and shown.voting_closed
    assert (shown.community.here.a, shown.community.here.b) == (1, 0)
    clock.advance(hours=1)
    closed = await service.close_vote(card, ADMIN)  # freezes it, dated when it ran out
    assert closed.card.closed_at == datetime(2026, 12, 4, 12, tzinfo=UTC)
    assert closed.card.final == (1, 0)
