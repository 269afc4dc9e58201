"""Votes that arrive together share a transaction (group commit), and each still gets its own
answer: a bad vote in a batch fails alone, a failed batch fails every vote in it."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import event

from adapters.bootstrap import App, build_app
from bot.errors import NotFoundError, StoreUnavailable
from bot.models import Community, Side, Voter, VoteSource
from bot.service import ShipService
from bot.settings import Settings
from data.database import create_engine
from data.unit_of_work import SqlUnitOfWorkFactory
from tests.integration.test_kept_tallies import assert_counts_match_a_recount

HERE = Community("discord", "g1")
PAIRS = ("SmolLM3 vs Mistral Medium 3", "GPT-4o vs Claude 3.5 Sonnet")


async def posted(app: App, text: str, channel: str, community: Community = HERE) -> int:
    card = await app.service.open_card(
        await app.service.compare(text, community), community, channel
    )
    assert card.card_id is not None
    await app.service.attach_message(card.card_id, f"m-{channel}")
    return card.card_id


async def test_concurrent_votes_share_transactions_and_each_is_answered(app: App) -> None:
    cards = [await posted(app, text, f"c{n}") for n, text in enumerate(PAIRS)]
    commits = 0

    def count(*_: object) -> None:
        nonlocal commits
        commits += 1

    event.listen(app.engine.sync_engine, "commit", count)
    outcomes = await asyncio.gather(
        *(
            app.service.cast_vote(
                Voter(HERE, f"u{n}"), cards[n % 2], Side.A if n % 3 else Side.B, VoteSource.BUTTON
            )
            for n in range(60)
        )
    )
    event.remove(app.engine.sync_engine, "commit", count)
    assert all(o.changed and o.previous is None for o in outcomes)
    assert [o.card.id for o in outcomes] == [cards[n % 2] for n in range(60)]
    assert commits <= 3, f"60 votes arriving together took {commits} transactions"
    for card_id in cards:
        here = (await app.service.render_posted(card_id)).community.here
        votes = [n for n in range(60) if cards[n % 2] == card_id]
        assert (here.a, here.b) == (
            sum(1 for n in votes if n % 3),
            sum(1 for n in votes if not n % 3),
        )


async def test_a_bad_vote_fails_alone(app: App) -> None:
    card = await posted(app, PAIRS[0], "c1")
    elsewhere = Community("slack", "T9")
    results = await asyncio.gather(
        app.service.cast_vote(Voter(HERE, "ok"), card, Side.A, VoteSource.BUTTON),
        app.service.cast_vote(Voter(HERE, "gone"), 999_999, Side.A, VoteSource.BUTTON),
        app.service.cast_vote(Voter(elsewhere, "stranger"), card, Side.B, VoteSource.BUTTON),
        app.service.retract_vote(Voter(HERE, "never-voted"), card, Side.A, VoteSource.BUTTON),
        return_exceptions=True,
    )
    ok, gone, stranger, retract = results
    assert not isinstance(ok, BaseException) and ok.changed
    assert isinstance(gone, NotFoundError) and "no longer exists" in gone.message
    assert isinstance(stranger, NotFoundError) and "another community" in stranger.message
    assert not isinstance(retract, BaseException) and not retract.changed
    here = (await app.service.render_posted(card)).community.here
    assert (here.a, here.b) == (1, 0)


async def test_a_batch_the_store_refuses_fails_every_vote_in_it() -> None:
    engine = create_engine("postgresql+asyncpg://shipbot@127.0.0.1:1/shipbot", pool_pre_ping=False)
    service = ShipService(SqlUnitOfWorkFactory(engine))
    try:
        results = await asyncio.gather(
            *(
                service.cast_vote(Voter(HERE, f"u{n}"), 1, Side.A, VoteSource.BUTTON)
                for n in range(5)
            ),
            return_exceptions=True,
        )
    finally:
        await engine.dispose()
    assert all(isinstance(r, StoreUnavailable) for r in results)


async def test_a_vote_cancelled_by_its_caller_is_still_applied_once(app: App) -> None:
    """The platform may give up waiting (its deadline); the vote was handed over and counts."""
    card = await posted(app, PAIRS[0], "c1")
    task = asyncio.create_task(
        app.service.cast_vote(Voter(HERE, "impatient"), card, Side.B, VoteSource.BUTTON, "ev1")
    )
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    again = await app.service.cast_vote(
        Voter(HERE, "impatient"), card, Side.B, VoteSource.BUTTON, "ev1"
    )
    assert again.duplicate  # the retry of the same event finds it applied
    here = (await app.service.render_posted(card)).community.here
    assert (here.a, here.b) == (0, 1)


async def test_two_processes_on_overlapping_pairs_neither_deadlock_nor_miscount(
    app: App, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Two apps (each its own engine and batch writer, as two processes have) write batches that
    share tools, in every order, at once: every count is exact and nothing had to be retried (a
    deadlock broken by PostgreSQL, which the batches' tool locks exist to prevent, would show
    as a retry)."""
    pairs = (*PAIRS, "SmolLM3 vs GPT-4o", "Claude 3.5 Sonnet vs Mistral Medium 3")
    cards = [await posted(app, text, f"c{n}") for n, text in enumerate(pairs)]
    other = await build_app(settings, migrate=False)
    caplog.set_level(logging.WARNING, logger="bot.retry")
    try:

        async def writer(shipbot: App, w: int) -> None:
            for i in range(10):
                card = cards[(w * 7 + i * 3) % len(cards)]
                side = Side.A if (w + i) % 3 else Side.B
                await shipbot.service.cast_vote(
                    Voter(HERE, f"w{w}-{i % 4}"), card, side, VoteSource.REACTION
                )

        await asyncio.gather(*(writer(app if w % 2 else other, w) for w in range(48)))
    finally:
        await other.close()
    assert not [r for r in caplog.records if "retrying" in r.getMessage()]
    assert await assert_counts_match_a_recount(SqlUnitOfWorkFactory(app.engine)) > 0
