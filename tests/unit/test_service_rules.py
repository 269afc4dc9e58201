"""The service rules on in-memory fakes of the ports: votes, reconciling reactions, refreshes,
the catalog admin rules and the publishing workflow, in milliseconds (no database)."""

from __future__ import annotations

import asyncio
import functools
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot import publishing
from bot.admin import Actor, CatalogService
from bot.catalog_index import CatalogIndex
from bot.errors import (
    Conflict,
    InvalidFields,
    InvalidInput,
    NotFoundError,
    PermissionDenied,
    UnknownTool,
)
from bot.models import Community, Side, Voter, VoteSource
from bot.publishing import Place, Published
from bot.service import ServiceConfig, ShipService, Unresolved
from tests.fakes.memory import MemoryUnitOfWorkFactory
from tests.support.clock import FakeClock
from tests.unit.surfaces import RecordingSurface

GUILD = Community("test", "guild-1")
OTHER = Community("test", "guild-2")
PAIR = "SmolLM3 vs Mistral Medium 3"
ADMIN = Actor("a1", "admin", is_admin=True, catalog_admin=True)
MEMBER = Actor("m1", "member", is_admin=False)


SMALL_CATALOG = ("SmolLM3", "Mistral Medium 3", "Whisper", "GPT-4o", "Claude 3.5 Sonnet")


@functools.cache
def _small_catalog() -> str:
    from data.catalog_files import seed_catalog

    return json.dumps({"tools": [t for t in seed_catalog()["tools"] if t["name"] in SMALL_CATALOG]})


def small_catalog() -> dict[str, object]:
    """A few tools of the bundled catalog (with their reviews): enough for every rule here. The
    YAML is read once per run."""
    catalog: dict[str, object] = json.loads(_small_catalog())
    return catalog


async def _seeded(store: MemoryUnitOfWorkFactory) -> CatalogIndex:
    index = CatalogIndex()
    await CatalogService(store, index).import_catalog(
        small_catalog(), Actor("seed", "seed", True, catalog_admin=True)
    )
    return index


@pytest.fixture
def store() -> MemoryUnitOfWorkFactory:
    return MemoryUnitOfWorkFactory()


@pytest.fixture
async def shipbot(store: MemoryUnitOfWorkFactory) -> tuple[ShipService, CatalogService]:
    index = await _seeded(store)
    service = ShipService(store, index, config=ServiceConfig(min_votes=1))
    return service, CatalogService(store, index)


async def _posted(service: ShipService, text: str = PAIR, where: Community = GUILD) -> int:
    published = await publishing.publish_compare(
        service, RecordingSurface(), Place(where, "chan"), text
    )
    assert isinstance(published, Published) and published.card.card_id is not None
    return published.card.card_id


# -- votes ---------------------------------------------------------------------------------------


async def test_cast_change_and_retract_on_the_fakes(
    shipbot: tuple[ShipService, CatalogService],
) -> None:
    service, _ = shipbot
    card = await _posted(service)
    alice = Voter(GUILD, "alice")
    first = await service.cast_vote(alice, card, Side.A, VoteSource.REACTION)
    assert first.changed and first.previous is None and first.choice_name == "SmolLM3"
    assert not (await service.cast_vote(alice, card, Side.A, VoteSource.BUTTON)).changed
    changed = await service.cast_vote(alice, card, Side.B, VoteSource.REACTION)
    assert changed.changed and changed.previous == first.choice
    assert (await service.render_posted(card)).community.here.n == 1
    stale = await service.retract_vote(alice, card, Side.A, VoteSource.REACTION)
    assert not stale.changed, "removing the earlier reaction must not delete the newer vote"
    assert (await service.retract_vote(alice, card, Side.B, VoteSource.REACTION)).changed
    assert (await service.render_posted(card)).community.here.n == 0


async def test_a_redelivered_event_counts_once(shipbot: tuple[ShipService, CatalogService]) -> None:
    service, _ = shipbot
    card = await _posted(service)
    bob = Voter(GUILD, "bob")
    await service.cast_vote(bob, card, Side.A, VoteSource.REACTION, event_id="e1")
    await service.cast_vote(bob, card, Side.B, VoteSource.REACTION, event_id="e2")
    late = await service.retract_vote(bob, card, Side.A, VoteSource.REACTION, event_id="e1")
    again = await service.cast_vote(bob, card, Side.A, VoteSource.REACTION, event_id="e1")
    assert late.duplicate and again.duplicate and again.refresh == ()
    here = (await service.render_posted(card)).community.here
    assert (here.a, here.b) == (0, 1)


async def test_a_vote_without_a_person_or_a_possible_card_is_refused_alone(
    shipbot: tuple[ShipService, CatalogService],
) -> None:
    service, _ = shipbot
    card = await _posted(service)
    refused = [
        service.cast_vote(Voter(GUILD, ""), card, Side.A, VoteSource.BUTTON),
        service.cast_vote(Voter(GUILD, "  "), card, Side.A, VoteSource.REACTION),
        service.retract_vote(Voter(GUILD, ""), card, None, VoteSource.BUTTON),
        service.cast_vote(Voter(GUILD, "dave"), 10**40, Side.A, VoteSource.BUTTON),
        service.cast_vote(Voter(GUILD, "dave"), 0, Side.A, VoteSource.BUTTON),
        service.my_vote(Voter(GUILD, "dave"), 2**63),
    ]
    counted = service.cast_vote(Voter(GUILD, "erin"), card, Side.B, VoteSource.BUTTON)
    *errors, outcome = await asyncio.gather(*refused, counted, return_exceptions=True)
    assert [type(e) for e in errors] == [InvalidInput] * 3 + [NotFoundError] * 3, errors
    assert not isinstance(outcome, BaseException) and outcome.changed
    here = (await service.render_posted(card)).community.here
    assert (here.a, here.b) == (0, 1)


async def test_votes_count_per_community_and_a_card_of_another_is_refused(
    shipbot: tuple[ShipService, CatalogService],
) -> None:
    service, _ = shipbot
    card = await _posted(service)
    with pytest.raises(NotFoundError, match="another community"):
        await service.cast_vote(Voter(OTHER, "carol"), card, Side.A, VoteSource.BUTTON)
    elsewhere = await _posted(service, where=OTHER)
    await service.cast_vote(Voter(OTHER, "carol"), elsewhere, Side.A, VoteSource.BUTTON)
    shown = (await service.render_posted(card)).community
    assert shown.here.n == 0 and shown.everywhere.n == 1


async def test_a_vote_refreshes_the_pairs_live_cards_in_its_community(
    shipbot: tuple[ShipService, CatalogService],
) -> None:
    service, _ = shipbot
    first = await _posted(service)
    reversed_card = await _posted(service, "Mistral Medium 3 vs SmolLM3")
    await _posted(service, where=OTHER)
    outcome = await service.cast_vote(Voter(GUILD, "dan"), first, Side.A, VoteSource.REACTION)
    assert set(outcome.refresh) == {first, reversed_card}


async def test_only_the_newest_cards_of_a_pair_stay_live(store: MemoryUnitOfWorkFactory) -> None:
    index = await _seeded(store)
    service = ShipService(store, index, config=ServiceConfig(max_refresh=2))
    cards = [await _posted(service) for _ in range(4)]
    outcome = await service.cast_vote(Voter(GUILD, "eve"), cards[0], Side.A, VoteSource.BUTTON)
    assert set(outcome.refresh) == {cards[0], cards[2], cards[3]}


async def test_young_accounts_are_left_out_of_the_tally(store: MemoryUnitOfWorkFactory) -> None:
    clock = FakeClock(datetime(2026, 12, 1, tzinfo=UTC))
    index = await _seeded(store)
    config = ServiceConfig(min_account_age=timedelta(days=7), min_votes=1)
    service = ShipService(store, index, clock, config)
    card = await _posted(service)
    old = Voter(GUILD, "old", created_at=clock.now() - timedelta(days=30))
    new = Voter(GUILD, "new", created_at=clock.now() - timedelta(days=1))
    await service.cast_vote(old, card, Side.A, VoteSource.BUTTON)
    await service.cast_vote(new, card, Side.B, VoteSource.BUTTON)
    here = (await service.render_posted(card)).community.here
    assert (here.a, here.b) == (1, 0)


# -- reconciling reactions after a restart ------------------------------------------------------


async def test_reconcile_adds_missing_and_withdraws_gone_reaction_votes_keeping_buttons(
    shipbot: tuple[ShipService, CatalogService],
) -> None:
    service, _ = shipbot
    card = await _posted(service)
    await service.cast_vote(Voter(GUILD, "gone"), card, Side.A, VoteSource.REACTION)
    await service.cast_vote(Voter(GUILD, "button"), card, Side.A, VoteSource.BUTTON)
    refresh = await service.reconcile_reactions(
        card, {Side.A: ["new", "both"], Side.B: ["button", "both"]}
    )
    assert refresh == (card,)
    assert await service.my_vote(Voter(GUILD, "new"), card) == "SmolLM3"
    assert await service.my_vote(Voter(GUILD, "gone"), card) is None
    assert await service.my_vote(Voter(GUILD, "button"), card) == "SmolLM3"  # button kept
    assert await service.my_vote(Voter(GUILD, "both"), card) is None
    assert await service.reconcile_reactions(card, {Side.A: ["new"]}) == ()  # nothing changed


async def test_reconcile_leaves_votes_newer_than_the_snapshot(
    shipbot: tuple[ShipService, CatalogService],
) -> None:
    service, _ = shipbot
    card = await _posted(service)
    snapshot = datetime.now(UTC) - timedelta(minutes=1)
    await service.cast_vote(Voter(GUILD, "fresh"), card, Side.B, VoteSource.REACTION)
    assert await service.reconcile_reactions(card, {}, as_of=snapshot) == ()
    assert await service.my_vote(Voter(GUILD, "fresh"), card) == "Mistral Medium 3"


# -- publishing and refreshing ------------------------------------------------------------------


async def test_a_failed_post_discards_the_card_and_a_refresh_reads_it_once(
    store: MemoryUnitOfWorkFactory, shipbot: tuple[ShipService, CatalogService]
) -> None:
    service, _ = shipbot
    with pytest.raises(RuntimeError):
        await publishing.publish_compare(
            service, RecordingSurface(refuse=True), Place(GUILD, "c"), PAIR
        )
    assert store.store.cards == {}
    surface = RecordingSurface()
    published = await publishing.publish_compare(service, surface, Place(GUILD, "c"), PAIR)
    assert isinstance(published, Published) and published.card.card_id is not None
    assert surface.marked == [f"m-{published.card.card_id}"]
    store.reads.card_gets = 0
    view = await publishing.refresh(service, surface, published.card.card_id)
    assert view is not None and store.reads.card_gets == 1 and surface.edited == [view]


async def test_a_typo_comes_back_unresolved_and_a_posted_card_is_never_discarded(
    store: MemoryUnitOfWorkFactory, shipbot: tuple[ShipService, CatalogService]
) -> None:
    service, _ = shipbot
    result = await publishing.publish_compare(
        service, RecordingSurface(), Place(GUILD, "c"), "SmolLM3 vs Qqqqzzzz"
    )
    assert isinstance(result, Unresolved) and store.store.cards == {}
    card = await _posted(service)
    await service.discard_card(card)
    assert (await service.posted_card(card)).id == card


# -- the catalog admin rules --------------------------------------------------------------------

TOOL = {
    "name": "Shiny",
    "category": "Developer Tools",
    "tagline": "A new tool",
    "entry": "Free",
    "description": "It does things.",
}


async def test_admin_adds_edits_aliases_and_removes_a_tool(
    shipbot: tuple[ShipService, CatalogService],
) -> None:
    service, catalog = shipbot
    added = await catalog.add_tool({**TOOL, "aliases": ["shn"]}, ADMIN)
    assert (await catalog.show("shn")).id == added.id
    edited = await catalog.edit_tool("Shiny", {"tagline": "  Newer  ", "entry": "paid"}, ADMIN)
    assert edited.tagline == "Newer" and edited.entry.value == "Paid"
    await catalog.add_alias("Shiny", "shiny-tool", ADMIN)
    card = await service.compare("shiny-tool vs SmolLM3", GUILD)
    assert card.a.name == "Shiny"
    assert await catalog.remove_tool("Shiny", ADMIN) == "Shiny"
    with pytest.raises(UnknownTool):
        await service.compare("Shiny vs SmolLM3", GUILD)


async def test_catalog_writes_are_refused_to_non_admins_and_invalid_fields_are_named(
    store: MemoryUnitOfWorkFactory, shipbot: tuple[ShipService, CatalogService]
) -> None:
    _, catalog = shipbot
    before = dict(store.store.tools)
    with pytest.raises(PermissionDenied):
        await catalog.add_tool(TOOL, MEMBER)
    with pytest.raises(InvalidFields) as invalid:
        await catalog.add_tool({**TOOL, "entry": "Cheap", "url": "ftp://x"}, ADMIN)
    assert {p.field for p in invalid.value.problems} == {"entry", "url"}
    with pytest.raises(Conflict):
        await catalog.add_tool({**TOOL, "name": "smollm3"}, ADMIN)
    with pytest.raises(Conflict):
        await catalog.add_alias("Whisper", "SmolLM3", ADMIN)
    with pytest.raises(InvalidInput, match="Can't edit"):
        await catalog.edit_tool("SmolLM3", {"slug": "x"}, ADMIN)
    assert store.store.tools.keys() == before.keys()


async def test_a_review_replaces_that_lenss_earlier_review(
    shipbot: tuple[ShipService, CatalogService],
) -> None:
    _, catalog = shipbot
    quote = {"lens": "buyer", "verdict": "skip", "quote": "Too pricey for what it does."}
    updated = await catalog.put_review("SmolLM3", quote, ADMIN)
    reviews = [r for r in updated.reviews if r.lens.value == "business"]
    assert len(reviews) == 1 and reviews[0].quote == "Too pricey for what it does."
    assert len(updated.reviews) == 4
