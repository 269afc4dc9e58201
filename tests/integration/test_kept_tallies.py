"""The trigger-kept vote counts (migration 0007) always equal a recount of the votes: after any
mix of casts, changes, retracts and removals, under concurrent writers, and after the migration
counts votes that were already there."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from adapters.bootstrap import App, build_app
from bot.models import CardCounts, Community, Pair, Side, Voter, VoteSource
from bot.settings import Settings
from data.database import create_engine, upgrade
from data.unit_of_work import SqlUnitOfWorkFactory
from tests.support.databases import PostgresDatabases, SqliteDatabases

PAIRS = ("SmolLM3 vs Mistral Medium 3", "GPT-4o vs Claude 3.5 Sonnet", "SmolLM3 vs GPT-4o")
FAR_FUTURE = datetime(2999, 1, 1, tzinfo=UTC)  # a cutoff that leaves no vote out: a plain count


async def assert_counts_match_a_recount(factory: SqlUnitOfWorkFactory) -> int:
    """Every kept count equals the count of the votes; returns how many votes there are."""
    async with factory() as uow:
        rows = await uow.votes.records()
        pairs = {
            (record.platform, record.community, record.tool_a, record.tool_b) for record in rows
        }
        tools = {tool.id: tool for tool in await uow.tools.list_all()}
        by_name = {tool.name: tool.id for tool in tools.values()}
        for platform, community, low_name, high_name in pairs:
            pair = Pair.of(by_name[low_name], by_name[high_name])
            here = Community(platform, community)
            assert await uow.votes.tally(pair, here) == await uow.votes.count_tally(
                pair, here, FAR_FUTURE
            )
            assert await uow.votes.tally(pair, None) == await uow.votes.count_tally(
                pair, None, FAR_FUTURE
            )
            # What a card reads: every kept count in one statement.
            assert await uow.votes.card_counts(pair, here) == CardCounts(
                here=await uow.votes.count_tally(pair, here, FAR_FUTURE),
                everywhere=await uow.votes.count_tally(pair, None, FAR_FUTURE),
                shares={t: await uow.votes.count_tool_share(t) for t in (pair.low, pair.high)},
            )
        voted = {by_name[name] for record in rows for name in (record.tool_a, record.tool_b)}
        unvoted = sorted(set(tools) - voted)[:20]  # the rest of the catalog reads as these do
        for tool_id in sorted(voted) + unvoted:
            assert await uow.votes.tool_share(tool_id) == await uow.votes.count_tool_share(tool_id)
        assert await uow.votes.pair_wins() == await uow.votes.pair_wins(until=FAR_FUTURE)
        return len(rows)


async def open_cards(app: App, community: Community) -> list[int]:
    ids = []
    for n, text_ in enumerate(PAIRS):
        card = await app.service.open_card(
            await app.service.compare(text_, community), community, f"{community.id}-C{n}"
        )
        assert card.card_id is not None
        await app.service.attach_message(card.card_id, uuid.uuid4().hex)
        ids.append(card.card_id)
    return ids


operations = st.lists(
    st.tuples(
        st.sampled_from(["cast", "cast", "retract", "remove-card"]),
        st.integers(0, 1),  # community
        st.integers(0, len(PAIRS) - 1),  # card
        st.integers(0, 3),  # user
        st.sampled_from([Side.A, Side.B]),
    ),
    max_size=25,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations, remove_tool=st.booleans())
def test_kept_counts_equal_a_recount_after_any_history(
    databases: SqliteDatabases | PostgresDatabases,
    ops: list[tuple[str, int, int, int, Side]],
    remove_tool: bool,
) -> None:
    database_url = databases.fresh()  # each example its own: one may remove a tool

    async def run() -> None:
        app = await build_app(Settings(database_url=database_url, _env_file=None), migrate=False)  # type: ignore[call-arg]
        try:
            run_id = uuid.uuid4().hex[:8]
            communities = [Community("discord", f"g{run_id}"), Community("slack", f"T{run_id}")]
            cards = [await open_cards(app, community) for community in communities]
            for kind, c, n, user, side in ops:
                voter = Voter(communities[c], f"u{user}")
                if kind == "cast":
                    await app.service.cast_vote(voter, cards[c][n], side, VoteSource.BUTTON)
                elif kind == "retract":
                    await app.service.retract_vote(voter, cards[c][n], None, VoteSource.BUTTON)
                else:  # deleting a card keeps its votes (card_id is set to NULL)
                    async with app.engine.begin() as connection:
                        await connection.execute(
                            text("DELETE FROM cards WHERE id = :id"), {"id": cards[c][n]}
                        )
                    cards[c][n] = (await open_cards(app, communities[c]))[n]
            factory = SqlUnitOfWorkFactory(app.engine)
            await assert_counts_match_a_recount(factory)
            if remove_tool:  # a hard delete cascades to its votes; the other tools' counts follow
                async with app.engine.begin() as connection:  # (the catalog only archives)
                    await connection.execute(text("DELETE FROM tools WHERE name = 'GPT-4o'"))
                await assert_counts_match_a_recount(factory)
        finally:
            await app.close()

    asyncio.run(run())


async def test_concurrent_writers_leave_exact_counts(app: App) -> None:
    """64 writers on three hot pairs at once (real concurrency on PostgreSQL): no count is lost,
    doubled or deadlocked."""
    community = Community("discord", "busy")
    cards = await open_cards(app, community)

    async def writer(w: int) -> None:
        for i in range(12):
            voter = Voter(community, f"user{w}-{i % 5}")
            card = cards[(w + i) % len(cards)]
            if i % 7 == 6:
                await app.service.retract_vote(voter, card, None, VoteSource.BUTTON)
            else:
                side = Side.A if (w * i) % 3 else Side.B
                await app.service.cast_vote(voter, card, side, VoteSource.REACTION)

    await asyncio.gather(*(writer(w) for w in range(64)))
    assert await assert_counts_match_a_recount(SqlUnitOfWorkFactory(app.engine)) > 100


async def test_the_migration_counts_votes_cast_before_it(
    databases: SqliteDatabases | PostgresDatabases,
) -> None:
    url = databases.empty()
    engine = create_engine(url)
    try:
        await upgrade(engine, "0006")
        async with engine.begin() as connection:
            now = datetime.now(UTC) - timedelta(days=1)
            await connection.execute(
                text(
                    "INSERT INTO tools (id, slug, name, normalized, category, tagline, entry,"
                    " pricing_note, description, url, created_by, created_at, updated_at)"
                    " VALUES (:id, :slug, :slug, :slug, 'LLM', '', 'Free', '', '', '', '', :t, :t)"
                ),
                [{"id": i, "slug": f"tool{i}", "t": now} for i in (1, 2, 3)],
            )
            votes = [
                ("discord", "g1", "a", 1, 2, 1),
                ("discord", "g1", "b", 1, 2, 2),
                ("discord", "g1", "c", 1, 2, 2),
                ("slack", "T1", "a", 1, 2, 1),
                ("slack", "T1", "a", 2, 3, 3),
            ]
            await connection.execute(
                text(
                    "INSERT INTO votes (platform, community, user_id, tool_low, tool_high, choice,"
                    " source, created_at, updated_at)"
                    " VALUES (:p, :c, :u, :low, :high, :choice, 'button', :t, :t)"
                ),
                [
                    {"p": p, "c": c, "u": u, "low": low, "high": high, "choice": ch, "t": now}
                    for p, c, u, low, high, ch in votes
                ],
            )
        await upgrade(engine)
        factory = SqlUnitOfWorkFactory(engine)
        assert await assert_counts_match_a_recount(factory) == len(votes)
        async with factory() as uow:
            assert (await uow.votes.tally(Pair.of(1, 2), None)).counts == {1: 2, 2: 2}
            assert await uow.votes.tool_share(2) == (2, 5)  # picked twice in five votes
    finally:
        await engine.dispose()
