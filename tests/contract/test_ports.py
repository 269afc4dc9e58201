"""One contract for the ports (``bot.ports``), run against the in-memory fakes and the SQL
implementation: SQLite by default, PostgreSQL with ``SHIPBOT_TEST_DATABASE_URL``. The fakes that
the unit tests trust must answer every case exactly as the database does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import Conflict
from bot.models import (
    Community,
    Delivery,
    Entry,
    Lens,
    Pair,
    PairIn,
    Review,
    ReviewKind,
    Share,
    ToolDraft,
    ToolEdit,
    ToolNames,
    ToolProfile,
    Verdict,
    VoteKey,
    VoterOn,
    VoteSource,
    VoteWrite,
    Win,
)
from bot.panel.models import DraftStatus, NewDraft
from bot.ports import UnitOfWork, UnitOfWorkFactory
from tests.fakes.memory import MemoryUnitOfWorkFactory
from tests.support.databases import PostgresDatabases, SqliteDatabases

GUILD = Community("test", "g1")
OTHER = Community("test", "g2")
SOON = timedelta(hours=1)


@pytest.fixture(params=["memory", "sql"])
async def ports(
    request: pytest.FixtureRequest, databases: SqliteDatabases | PostgresDatabases
) -> AsyncIterator[UnitOfWorkFactory]:
    if request.param == "memory":
        yield MemoryUnitOfWorkFactory()
        return
    from data.database import create_engine
    from data.unit_of_work import SqlUnitOfWorkFactory

    engine = create_engine(databases.fresh(seed=False))
    try:
        yield SqlUnitOfWorkFactory(engine)
    finally:
        await engine.dispose()


def draft(name: str, *aliases: str, reviews: tuple[Review, ...] = ()) -> ToolDraft:
    return ToolDraft(
        name=name,
        category="Developer Tools",
        tagline=f"{name} does things",
        entry=Entry.FREE,
        description=f"All about {name}.",
        aliases=aliases,
        reviews=reviews,
    )


async def three_tools(uow: UnitOfWork) -> tuple[int, int, int]:
    a = await uow.tools.add(draft("Alpha", "alf"), "test")
    b = await uow.tools.add(draft("Beta"), "test")
    c = await uow.tools.add(draft("Gamma"), "test")
    return a.id, b.id, c.id


# -- tools ---------------------------------------------------------------------------------------


async def test_tools_are_found_by_any_spelling_of_their_name(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        before = await uow.tools.revision()
        a, b, _ = await three_tools(uow)
        await uow.commit()
    async with ports() as uow:
        assert await uow.tools.revision() > before
        found = await uow.tools.get_by_name("  ALPHA ")
        assert found is not None and found.id == a and found.aliases == ("alf",)
        assert set(await uow.tools.get_many_by_name(["alpha", "Beta", "nope"])) == {"Alpha", "Beta"}
        assert ToolNames("Alpha", ["alf"]) in await uow.tools.names_and_aliases()
        assert [t.name for t in await uow.tools.list_all("developer tools")] == [
            "Alpha",
            "Beta",
            "Gamma",
        ]
        assert await uow.tools.alias_owner("ALF") == "Alpha"
        assert await uow.tools.alias_owner("beta") == "Beta"
        assert await uow.tools.alias_owner("delta") is None
        assert (await uow.tools.get(b)) == (await uow.tools.get_by_name("beta"))
        by_slug = await uow.tools.get_many_by_slug(["alpha", "beta", "alf", "nope"])
        assert {slug: t.id for slug, t in by_slug.items()} == {"alpha": a, "beta": b}
        assert await uow.tools.categories() == ["Developer Tools"]


async def test_a_taken_name_or_alias_is_a_conflict(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        a, _, _ = await three_tools(uow)
        await uow.commit()
    async with ports() as uow:
        with pytest.raises(Conflict):
            await uow.tools.add(draft("alpha"), "test")
    async with ports() as uow:
        with pytest.raises(Conflict):
            await uow.tools.add_alias(a, "Alf")


async def test_tools_people_wrote_are_named_and_a_tool_without_facts_has_none(
    ports: UnitOfWorkFactory,
) -> None:
    async with ports() as uow:
        a, b, _ = await three_tools(uow)
        assert {"Alpha", "Beta", "Gamma"} <= await uow.tools.written_names()
        held = await uow.facts.for_tools([a, b])
        assert set(held) == {a, b} and not held[a] and not held[b]


async def test_an_edit_changes_only_its_fields(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        a, _, _ = await three_tools(uow)
        await uow.commit()
    wanted = ToolProfile(
        name="Alpha Two",
        category="ignored",
        tagline="New tagline",
        entry=Entry.PAID,
        description="ignored",
    )
    async with ports() as uow:
        edited = await uow.tools.update(
            a, ToolEdit(wanted, frozenset({"name", "tagline", "entry"})), "test"
        )
        await uow.commit()
    assert (edited.name, edited.tagline, edited.entry) == ("Alpha Two", "New tagline", Entry.PAID)
    assert (edited.category, edited.description) == ("Developer Tools", "All about Alpha.")
    async with ports() as uow:
        assert await uow.tools.get_by_name("alpha two") == edited
        assert await uow.tools.get_by_name("alpha") is None


async def test_an_editorial_review_replaces_the_lenss_editorial_one(
    ports: UnitOfWorkFactory,
) -> None:
    first = Review(Lens.DEVELOPER, Verdict.SHIP, "Lovely to build with.", "Ann")
    async with ports() as uow:
        tool = await uow.tools.add(draft("Alpha", reviews=(first,)), "test")
        await uow.tools.put_review(
            tool.id, Review(Lens.DEVELOPER, Verdict.SKIP, "Changed my mind.", "Ann"), "test"
        )
        await uow.tools.put_review(tool.id, Review(Lens.BUSINESS, Verdict.SHIP, "Cheap."), "t")
        await uow.commit()
    async with ports() as uow:
        stored = await uow.tools.get(tool.id)
    assert stored is not None
    assert [(r.lens, r.verdict, r.quote) for r in stored.reviews] == [
        (Lens.DEVELOPER, Verdict.SKIP, "Changed my mind."),
        (Lens.BUSINESS, Verdict.SHIP, "Cheap."),
    ]
    assert stored.history == ()


async def test_removing_a_tool_takes_its_cards_and_votes(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        a, b, c = await three_tools(uow)
        card = await uow.cards.create(GUILD, "ch", a, b, None)
        other = await uow.cards.create(GUILD, "ch", b, c, None)
        await uow.votes.upsert(GUILD, "u1", Pair.of(a, b), a, VoteSource.BUTTON, card.id)
        await uow.votes.upsert(GUILD, "u1", Pair.of(b, c), c, VoteSource.BUTTON, other.id)
        await uow.commit()
    async with ports() as uow:
        await uow.tools.remove(a)
        await uow.commit()
    async with ports() as uow:
        assert await uow.tools.get(a) is None
        assert await uow.cards.get(card.id) is None
        assert await uow.votes.choice(GUILD, "u1", Pair.of(a, b)) is None
        assert await uow.votes.choice(GUILD, "u1", Pair.of(b, c)) == c


async def test_nothing_uncommitted_is_kept(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        await uow.tools.add(draft("Alpha"), "test")
    async with ports() as uow:
        assert await uow.tools.get_by_name("Alpha") is None
        assert await uow.tools.names_and_aliases() == []


# -- cards ---------------------------------------------------------------------------------------


async def test_cards_map_messages_back_and_only_unposted_ones_are_discarded(
    ports: UnitOfWorkFactory,
) -> None:
    async with ports() as uow:
        a, b, _ = await three_tools(uow)
        posted = await uow.cards.create(GUILD, "ch", b, a, Lens.BUSINESS)
        unposted = await uow.cards.create(GUILD, "ch", a, b, None)
        await uow.cards.attach_message(posted.id, "m1")
        await uow.commit()
    async with ports() as uow:
        await uow.cards.discard(posted.id)
        await uow.cards.discard(unposted.id)
        await uow.commit()
    async with ports() as uow:
        found = await uow.cards.by_message("test", "ch", "m1")
        assert found is not None and found.id == posted.id
        assert (found.tool_a, found.tool_b, found.pair, found.lens) == (
            b,
            a,
            Pair.of(a, b),
            Lens.BUSINESS,
        )
        assert await uow.cards.get(unposted.id) is None
        assert await uow.cards.by_message("test", "other", "m1") is None
        named = await uow.cards.get_many_with_names([posted.id, unposted.id])
        assert list(named) == [posted.id]
        assert named[posted.id].names == {a: "Alpha", b: "Beta"}
        since = datetime.now(UTC) - SOON
        assert [c.id for c in await uow.cards.recent("test", since)] == [posted.id]


async def test_a_card_keeps_who_asked_and_closes_once(ports: UnitOfWorkFactory) -> None:
    ends = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    closed = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    async with ports() as uow:
        a, b, _ = await three_tools(uow)
        card = await uow.cards.create(GUILD, "ch", a, b, None, "u1", ends)
        plain = await uow.cards.create(GUILD, "ch", b, a, None)
        await uow.commit()
    assert (card.asked_by, card.closes_at, card.closed_at, card.final) == ("u1", ends, None, None)
    async with ports() as uow:
        assert await uow.cards.close(card.id, "u1", closed, (3, 1))
        assert not await uow.cards.close(card.id, "u2", ends, (9, 9))
        assert not await uow.cards.close(10_000, "u1", closed, (0, 0))
        await uow.commit()
    async with ports() as uow:
        found = await uow.cards.get(card.id)
        assert found is not None
        assert (found.asked_by, found.closes_at, found.closed_at, found.closed_by) == (
            "u1",
            ends,
            closed,
            "u1",
        )
        assert found.final == (3, 1)
        named = await uow.cards.get_many_with_names([card.id, plain.id])
        assert named[card.id].card.final == (3, 1) and named[card.id].card.closed_at == closed
        other = named[plain.id].card
        assert (other.asked_by, other.closes_at, other.closed_at, other.final) == (
            None,
            None,
            None,
            None,
        )


async def test_the_newest_posted_cards_of_a_pair_are_live(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        a, b, c = await three_tools(uow)
        ids = []
        for n in range(3):
            card = await uow.cards.create(GUILD, "ch", a, b, None)
            await uow.cards.attach_message(card.id, f"m{n}")
            ids.append(card.id)
        await uow.cards.create(GUILD, "ch", a, b, None)  # never posted
        elsewhere = await uow.cards.create(OTHER, "ch", b, c, None)
        await uow.cards.attach_message(elsewhere.id, "x")
        await uow.commit()
    async with ports() as uow:
        since = datetime.now(UTC) - SOON
        here, there = PairIn(GUILD, Pair.of(a, b)), PairIn(OTHER, Pair.of(b, c))
        live = await uow.cards.live_ids([here, there], since, 2)
        assert live == {here: [ids[2], ids[1]], there: [elsewhere.id]}
        assert await uow.cards.live_ids([here], datetime.now(UTC) + SOON, 2) == {}
        counts = await uow.cards.pair_counts(None, since, datetime.now(UTC) + SOON)
        assert counts == [(min(a, b), max(a, b), 4), (min(b, c), max(b, c), 1)]
        assert await uow.cards.pair_counts(OTHER, since, datetime.now(UTC) + SOON) == [
            (min(b, c), max(b, c), 1)
        ]


async def test_compared_with_counts_the_cards_of_each_partner_everywhere(
    ports: UnitOfWorkFactory,
) -> None:
    async with ports() as uow:
        a, b, c = await three_tools(uow)
        await uow.cards.create(GUILD, "ch", a, b, None)
        await uow.cards.create(OTHER, "ch", b, a, None)  # the other way round, elsewhere
        await uow.cards.create(GUILD, "ch", c, a, None)
        await uow.cards.create(GUILD, "ch", b, c, None)
        await uow.commit()
    async with ports() as uow:
        assert await uow.cards.compared_with(a) == {b: 2, c: 1}
        assert await uow.cards.compared_with(c) == {a: 1, b: 1}
        assert await uow.cards.compared_with(max(a, b, c) + 100) == {}


async def test_the_latest_card_of_a_pair_in_a_community(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        a, b, c = await three_tools(uow)
        await uow.cards.create(GUILD, "ch", a, b, None)
        newest = await uow.cards.create(GUILD, "ch", b, a, None)  # the other way round
        await uow.cards.create(OTHER, "ch", a, b, None)
        await uow.commit()
    async with ports() as uow:
        found = await uow.cards.latest(GUILD, Pair.of(a, b))
        assert found is not None and found.id == newest.id and found.tool_a == b
        assert await uow.cards.latest(GUILD, Pair.of(a, c)) is None


async def test_a_refresh_window_is_granted_once(ports: UnitOfWorkFactory) -> None:
    now = datetime.now(UTC)
    async with ports() as uow:
        a, b, _ = await three_tools(uow)
        card = await uow.cards.create(GUILD, "ch", a, b, None)
        await uow.commit()
    async with ports() as uow:
        assert await uow.cards.claim_refresh(card.id, now, timedelta(seconds=2)) is None
        await uow.commit()
    async with ports() as uow:
        held = await uow.cards.claim_refresh(card.id, now, timedelta(seconds=2))
        assert held is not None and held == now + timedelta(seconds=2)
        later = now + timedelta(seconds=3)
        assert await uow.cards.claim_refresh(card.id, later, timedelta(seconds=2)) is None


# -- votes ---------------------------------------------------------------------------------------


async def test_one_vote_per_person_per_pair_per_community(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        a, b, c = await three_tools(uow)
        card = await uow.cards.create(GUILD, "ch", a, b, None)
        pair = Pair.of(a, b)
        assert await uow.votes.upsert(GUILD, "u1", pair, a, VoteSource.REACTION, card.id) is None
        assert await uow.votes.upsert(GUILD, "u1", pair, a, VoteSource.BUTTON, card.id) == a
        assert await uow.votes.upsert(GUILD, "u1", pair, b, VoteSource.BUTTON, card.id) == a
        await uow.votes.upsert(GUILD, "u2", pair, a, VoteSource.REACTION, card.id)
        await uow.votes.upsert(OTHER, "u1", pair, a, VoteSource.REACTION, None)
        await uow.votes.upsert(GUILD, "u1", Pair.of(a, c), c, VoteSource.COMMAND, None)
        await uow.commit()
    async with ports() as uow:
        here = await uow.votes.tally(pair, GUILD)
        assert (here.votes_for(a), here.votes_for(b), here.total) == (1, 1, 2)
        assert (await uow.votes.tally(pair, None)).votes_for(a) == 2
        assert await uow.votes.tool_share(a) == Share(2, 4)
        counts = await uow.votes.card_counts(pair, GUILD)
        assert counts.here == here and counts.everywhere == await uow.votes.tally(pair, None)
        assert counts.shares == {a: Share(2, 4), b: Share(1, 3)}
        state = await uow.votes.vote(GUILD, "u1", pair)
        assert state is not None and (state.choice, state.source) == (b, "button")
        assert set(await uow.votes.votes_on_card(card.id)) == {"u1", "u2"}
        assert await uow.votes.pair_wins() == {
            Win(a, b): 2,
            Win(b, a): 1,
            Win(c, a): 1,
        }
        assert await uow.votes.pair_wins(community=OTHER) == {Win(a, b): 1}
        assert await uow.votes.pair_wins(community=GUILD) == {
            Win(a, b): 1,
            Win(b, a): 1,
            Win(c, a): 1,
        }
        records = await uow.votes.records(GUILD)
        assert {(r.user_id, r.choice) for r in records} == {
            ("u1", "Beta"),
            ("u2", "Alpha"),
            ("u1", "Gamma"),
        }


async def test_a_retract_deletes_only_the_choice_it_names(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        a, b, _ = await three_tools(uow)
        pair = Pair.of(a, b)
        await uow.votes.upsert(GUILD, "u1", pair, b, VoteSource.REACTION, None)
        assert not await uow.votes.delete(GUILD, "u1", pair, only_if_choice=a)
        assert await uow.votes.choice(GUILD, "u1", pair) == b
        assert await uow.votes.delete(GUILD, "u1", pair, only_if_choice=None)
        assert not await uow.votes.delete(GUILD, "u1", pair, only_if_choice=None)
        assert await uow.votes.vote(GUILD, "u1", pair) is None


async def test_batched_writes_and_event_claims(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        a, b, _ = await three_tools(uow)
        pair = Pair.of(a, b)
        writes = [
            VoteWrite(VoteKey(GUILD, pair, user, a), VoteSource.REACTION, None, None)
            for user in ("u1", "u2", "u3")
        ]
        await uow.votes.put_many(writes)
        await uow.votes.put_many(
            [VoteWrite(VoteKey(GUILD, pair, "u2", b), VoteSource.BUTTON, None, None)]
        )
        await uow.votes.delete_many([VoteKey(GUILD, pair, "u3", b), VoteKey(GUILD, pair, "u1", a)])
        keys = [VoterOn(GUILD, pair, u) for u in ("u1", "u2", "u3", "u4")]
        assert await uow.votes.choices(keys) == {PairIn(GUILD, pair): {"u2": b, "u3": a}}
        first = await uow.votes.claim_events([Delivery("test", "e1"), Delivery("test", "e2")])
        again = await uow.votes.claim_events([Delivery("test", "e2"), Delivery("test", "e3")])
        assert first == {Delivery("test", "e1"), Delivery("test", "e2")}
        assert again == {Delivery("test", "e3")}
        await uow.votes.lock_tools(sorted({a, b}))


async def test_young_accounts_can_be_left_out_of_every_count(ports: UnitOfWorkFactory) -> None:
    cutoff = datetime(2026, 1, 1, tzinfo=UTC)
    async with ports() as uow:
        a, b, _ = await three_tools(uow)
        pair = Pair.of(a, b)
        await uow.votes.upsert(GUILD, "old", pair, a, VoteSource.BUTTON, None, cutoff - SOON)
        await uow.votes.upsert(GUILD, "new", pair, b, VoteSource.BUTTON, None, cutoff + SOON)
        await uow.votes.upsert(GUILD, "unknown", pair, b, VoteSource.BUTTON, None, None)
        await uow.commit()
    async with ports() as uow:
        tally = await uow.votes.tally(pair, GUILD, voters_before=cutoff)
        assert (tally.votes_for(a), tally.votes_for(b)) == (1, 1)
        assert await uow.votes.tool_share(b, voters_before=cutoff) == Share(1, 2)
        assert await uow.votes.pair_wins(voters_before=cutoff) == {Win(a, b): 1, Win(b, a): 1}


# -- subscriptions, meta and the review queue ---------------------------------------------------


async def test_a_due_digest_is_claimed_once_and_can_be_released(ports: UnitOfWorkFactory) -> None:
    now = datetime(2026, 12, 4, 16, tzinfo=UTC)
    async with ports() as uow:
        sub = await uow.subscriptions.put(GUILD, "ch", 4, 16, "UTC", now - SOON, "admin")
        again = await uow.subscriptions.put(GUILD, "ch", 4, 17, "UTC", now - SOON, "admin")
        assert again.id == sub.id and again.hour == 17
        await uow.commit()
    async with ports() as uow:
        [due] = await uow.subscriptions.due("test", now)
        assert await uow.subscriptions.claim(due, now + timedelta(days=7), now)
        assert not await uow.subscriptions.claim(due, now + timedelta(days=7), now)
        await uow.subscriptions.release(due, now + timedelta(days=7))
        assert [s.id for s in await uow.subscriptions.due("test", now)] == [sub.id]
        assert len(await uow.subscriptions.for_community(GUILD)) == 1
        assert await uow.subscriptions.remove(GUILD, "ch")
        assert not await uow.subscriptions.remove(GUILD, "ch")
        first = await uow.meta.secret("salt")
        assert await uow.meta.secret("salt") == first and len(first) == 32


async def test_an_approved_draft_becomes_the_lenss_review(ports: UnitOfWorkFactory) -> None:
    editorial = Review(Lens.DEVELOPER, Verdict.SHIP, "Editors like it.")
    async with ports() as uow:
        tool = await uow.tools.add(draft("Alpha", reviews=(editorial,)), "test")
        ids = [
            await uow.reviews.add(
                NewDraft(tool.id, lens, Verdict.SKIP, f"A take on {lens.value}.", kind)
            )
            for lens, kind in (
                (Lens.DEVELOPER, ReviewKind.MEMBER_TAKE),
                (Lens.FUTURE, ReviewKind.MEMBER_TAKE),
            )
        ]
        await uow.commit()
    async with ports() as uow:
        page = await uow.reviews.queued(limit=1)
        assert page.total == 2 and [r.id for r in page.items] == ids[:1]
        assert page.items[0].tool_name == "Alpha"
        assert await uow.reviews.edit(ids[1], Verdict.SHIP, "Edited take.", ["checked"])
        now = datetime.now(UTC) + timedelta(seconds=1)  # after the editorial review
        assert await uow.reviews.decide(ids, DraftStatus.APPROVED, "admin", now) == ids
        assert await uow.reviews.decide(ids, DraftStatus.REJECTED, "admin", now) == []
        assert not await uow.reviews.edit(ids[1], Verdict.SKIP, "Too late.", [])
        assert await uow.reviews.covered_lenses() == {tool.id: {Lens.DEVELOPER, Lens.FUTURE}}
        await uow.commit()
    async with ports() as uow:
        stored = await uow.tools.get(tool.id)
        assert stored is not None
        assert [(r.lens, r.quote) for r in stored.reviews] == [
            (Lens.DEVELOPER, "A take on developer."),
            (Lens.FUTURE, "Edited take."),
        ]
        assert [r.quote for r in stored.history] == ["Editors like it."]
        assert stored.reviews[0].provenance.approved_by == "admin"
        [taken] = await uow.reviews.get_many([ids[1]])
        assert taken.status is DraftStatus.APPROVED and taken.flags == ("checked",)
