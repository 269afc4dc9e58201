"""Leaderboard, export, subscriptions and the digest on a real database."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from adapters.bootstrap import App
from adapters.exports import votes_csv
from bot.admin import Actor
from bot.community import CommunityConfig, CommunityService
from bot.errors import PermissionDenied
from bot.models import Community, Side, Voter, VoteSource
from bot.scheduler import DigestScheduler
from bot.service import ServiceConfig, ShipService
from data.unit_of_work import SqlUnitOfWorkFactory
from tests.support.clock import FakeClock

GUILD = Community("discord", "g1")
ADMIN = Actor("1", "admin", is_admin=True, catalog_admin=True)


async def _vote(app: App, text: str, picks: dict[str, Side], community: Community = GUILD) -> int:
    card = await app.service.open_card(await app.service.compare(text, community), community, "c1")
    assert card.card_id is not None
    for user, side in picks.items():
        await app.service.cast_vote(Voter(community, user), card.card_id, side, VoteSource.BUTTON)
    return card.card_id


async def test_leaderboard_orders_by_head_to_head_votes_with_intervals(app: App) -> None:
    await _vote(app, "GPT-4o vs Whisper", {f"u{i}": Side.A for i in range(12)})
    await _vote(app, "Whisper vs SmolLM3", {f"u{i}": Side.A for i in range(12)})
    board = await app.community.leaderboard()
    assert [row.name for row in board.rows] == ["GPT-4o", "Whisper", "SmolLM3"]
    top = board.rows[0]
    assert top.low < top.rating < top.high and top.n == 12 and not top.provisional
    assert board.rows[2].panel == "75% · 3/4" and board.votes == 24
    only = await app.community.leaderboard(category="Speech & Audio")
    assert [row.name for row in only.rows] == ["Whisper"]


async def test_leaderboard_marks_provisional_below_threshold(app: App) -> None:
    await _vote(app, "GPT-4o vs Whisper", {"solo": Side.A})
    board = await app.community.leaderboard()
    assert all(row.provisional for row in board.rows)


async def test_export_hashes_ids_by_default_and_round_trips_as_csv(app: App) -> None:
    await _vote(app, "SmolLM3 vs Mistral Medium 3", {"123456789": Side.B, "987654321": Side.A})
    rows = await app.community.export_votes(ADMIN, community=GUILD)
    text = votes_csv(rows)
    assert "123456789" not in text and "987654321" not in text
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert [(r["pair"], r["choice"], r["source"]) for r in parsed] == [
        ("SmolLM3 vs Mistral Medium 3", "Mistral Medium 3", "button"),
        ("SmolLM3 vs Mistral Medium 3", "SmolLM3", "button"),
    ]
    assert parsed[0]["user"] != parsed[1]["user"] and len(parsed[0]["user"]) == 16
    again = await app.community.export_votes(ADMIN, community=GUILD)
    assert [r.user for r in again] == [r["user"] for r in parsed], "the salt is stable per install"
    with pytest.raises(PermissionDenied):
        await app.community.export_votes(ADMIN, raw_ids=True, community=GUILD)
    raw = await app.community.export_votes(Actor.local(), raw_ids=True)
    assert {r.user for r in raw} == {"123456789", "987654321"}
    with pytest.raises(PermissionDenied):
        await app.community.export_votes(Actor("2", "member", is_admin=False))


async def test_young_accounts_can_be_left_out_of_tallies(app: App) -> None:
    now = datetime.now(UTC)
    strict = ShipService(
        SqlUnitOfWorkFactory(app.engine), config=ServiceConfig(min_account_age=timedelta(days=30))
    )
    card = await strict.open_card(await strict.compare("SmolLM3 vs Whisper", GUILD), GUILD, "c")
    assert card.card_id is not None
    old, young = now - timedelta(days=400), now - timedelta(days=2)
    await strict.cast_vote(Voter(GUILD, "old", old), card.card_id, Side.A, VoteSource.REACTION)
    await strict.cast_vote(Voter(GUILD, "young", young), card.card_id, Side.B, VoteSource.REACTION)
    await strict.cast_vote(Voter(GUILD, "unknown"), card.card_id, Side.A, VoteSource.REACTION)
    strict_card = await strict.render_posted(card.card_id)
    counted = strict_card.community.here
    assert (counted.a, counted.b) == (2, 0)
    assert strict_card.a.community == "100% · n = 2", "a tool's own cell leaves them out too"
    everyone = (await app.service.render_posted(card.card_id)).community.here
    assert (everyone.a, everyone.b) == (2, 1), (
        "the vote is kept for audits, only left out of tallies"
    )


async def test_digest_is_posted_once_a_missed_run_once_and_never_twice(app: App) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # Monday 08:00
    community = CommunityService(SqlUnitOfWorkFactory(app.engine), CommunityConfig(), clock)
    with pytest.raises(PermissionDenied):
        await community.subscribe(GUILD, "news", Actor("2", "member", is_admin=False))
    subscription = await community.subscribe(
        GUILD, "news", ADMIN, weekday=0, hour=9, timezone="UTC"
    )
    assert subscription.next_run_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    posts: list[tuple[str, str]] = []

    async def post(sub, digest) -> None:  # type: ignore[no-untyped-def]
        posts.append((sub.channel, digest.title))

    scheduler = DigestScheduler(community, "discord", post)
    assert await scheduler.run_due() == 0
    clock.advance(hours=1)
    # Two processes poll at the same moment: exactly one posts.
    other = DigestScheduler(community, "discord", post)
    assert await scheduler.run_due() + await other.run_due() == 1
    assert await scheduler.run_due() == 0
    # The bot is down for three weeks: on start the missed run is posted once, not three times.
    clock.advance(days=21, hours=3)
    assert await scheduler.run_due() == 1
    assert await scheduler.run_due() == 0
    assert len(posts) == 2
    clock.advance(days=7)
    assert await scheduler.run_due() == 1
    assert await community.unsubscribe(GUILD, "news", ADMIN)
    clock.advance(days=7)
    assert await scheduler.run_due() == 0


async def test_failed_post_is_retried_after_a_backoff(app: App) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    community = CommunityService(SqlUnitOfWorkFactory(app.engine), CommunityConfig(), clock)
    await community.subscribe(GUILD, "news", ADMIN, weekday=0, hour=11, timezone="UTC")
    clock.advance(hours=2)
    attempts: list[int] = []

    async def flaky(sub, digest) -> None:  # type: ignore[no-untyped-def]
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("platform down")

    scheduler = DigestScheduler(community, "discord", flaky)
    assert await scheduler.run_due() == 0
    assert await scheduler.run_due() == 0  # not at once: in a minute
    clock.advance(minutes=1)
    assert await scheduler.run_due() == 1
    assert len(attempts) == 2


async def test_digest_lists_most_compared_pairs_movers_and_new_tools(app: App) -> None:
    await _vote(app, "GPT-4o vs Whisper", {f"u{i}": Side.A for i in range(6)})
    await _vote(app, "GPT-4o vs Whisper", {})
    await _vote(app, "SmolLM3 vs Mistral Medium 3", {"x": Side.B})
    await app.catalog.add_tool(
        {"name": "Brand New", "category": "X", "tagline": "T", "entry": "Free", "description": "D"},
        ADMIN,
    )
    digest = await app.community.digest(GUILD)
    assert (digest.pairs[0].a, digest.pairs[0].b, digest.pairs[0].cards) == ("GPT-4o", "Whisper", 2)
    assert digest.pairs[0].split.a == 6
    assert digest.new_tools == ("Brand New",)
    assert {m.name for m in digest.movers} <= {"GPT-4o", "Whisper", "SmolLM3", "Mistral Medium 3"}
    assert digest.movers, "every rating moved from nothing this week"


async def test_export_for_one_community_leaves_the_others_out(app: App) -> None:
    await _vote(app, "SmolLM3 vs Mistral Medium 3", {"a1": Side.A})
    await _vote(app, "SmolLM3 vs Mistral Medium 3", {"b1": Side.B}, Community("slack", "T9"))
    rows = await app.community.export_votes(ADMIN, community=GUILD)
    assert [(r.platform, r.community) for r in rows] == [("discord", "g1")]
    with pytest.raises(PermissionDenied, match="export the votes"):
        await app.community.export_votes(Actor("2", "member", is_admin=False), community=GUILD)
    with pytest.raises(PermissionDenied, match="every community"):
        await app.community.export_votes(ADMIN)  # a community admin never gets all of them


async def test_export_cells_that_start_like_formulas_are_neutralised(app: App) -> None:
    hostile = "=cmd Tool"
    for name in (hostile, "+1 Tool", "-Minus Tool", "@At Tool"):
        await app.catalog.add_tool(
            {"name": name, "category": "X", "tagline": "T", "entry": "Free", "description": "D"},
            Actor.local(),
        )
    await _vote(app, f"{hostile} vs +1 Tool", {"u1": Side.A})
    await _vote(app, "-Minus Tool vs @At Tool", {"u2": Side.B})
    parsed = list(
        csv.reader(io.StringIO(votes_csv(await app.community.export_votes(ADMIN, community=GUILD))))
    )
    cells = [c for row in parsed[1:] for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert f"'{hostile}" in cells and "'@At Tool" in cells
    assert f"'{hostile} vs +1 Tool" in [row[0] for row in parsed[1:]]


async def test_a_digest_cancelled_after_its_claim_is_handed_back(app: App) -> None:
    import asyncio

    clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    community = CommunityService(SqlUnitOfWorkFactory(app.engine), CommunityConfig(), clock)
    await community.subscribe(GUILD, "news", ADMIN, weekday=0, hour=11, timezone="UTC")
    clock.advance(hours=2)

    async def hangs(sub, digest) -> None:  # type: ignore[no-untyped-def]
        await asyncio.sleep(3600)

    scheduler = DigestScheduler(community, "discord", hangs)
    task = asyncio.create_task(scheduler.run_due())
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    posted: list[str] = []

    async def post(sub, digest) -> None:  # type: ignore[no-untyped-def]
        posted.append(sub.channel)

    assert await DigestScheduler(community, "discord", post).run_due() == 1
    assert posted == ["news"]


async def test_provisional_rows_rank_after_settled_ones_and_overlaps_share_a_rank(
    app: App,
) -> None:
    """The issue's case: a 3-vote tool with a perfect record used to be #1 above tools with
    many votes. Settled rows come first; a rank is shared where intervals overlap."""
    await _vote(app, "GPT-4o vs Whisper", {f"u{i}": Side.A if i < 7 else Side.B for i in range(12)})
    await _vote(app, "Whisper vs GPT-4o", {f"v{i}": Side.B for i in range(2)})
    await _vote(app, "SmolLM3 vs Mistral Medium 3", {f"w{i}": Side.A for i in range(3)})
    board = await app.community.leaderboard()
    names = [row.name for row in board.rows]
    assert names.index("SmolLM3") > names.index("GPT-4o")
    assert names.index("SmolLM3") > names.index("Whisper")
    settled = [row for row in board.rows if not row.provisional]
    assert {row.name for row in settled} == {"GPT-4o", "Whisper"}
    assert [row.rank for row in settled] == [1, 1] and all(row.shared for row in settled)
    provisional = [row for row in board.rows if row.provisional]
    assert min(row.rank for row in provisional) == 3


async def test_leaderboard_scope_here_or_everywhere(app: App) -> None:
    other = Community("slack", "T9")
    await _vote(app, "GPT-4o vs Whisper", {f"u{i}": Side.A for i in range(4)})
    await _vote(app, "SmolLM3 vs Mistral Medium 3", {f"v{i}": Side.B for i in range(5)}, other)
    here = await app.community.leaderboard(community=GUILD)
    assert {row.name for row in here.rows} == {"GPT-4o", "Whisper"} and here.votes == 4
    assert here.community == GUILD
    everywhere = await app.community.leaderboard()
    assert everywhere.votes == 9 and len(everywhere.rows) == 4


async def test_an_unknown_category_is_an_error_with_suggestions(app: App) -> None:
    from bot.errors import InvalidInput

    with pytest.raises(InvalidInput, match=r"No category called 'speech audio'\. Try: Speech"):
        await app.community.leaderboard(category="speech audio")
    board = await app.community.leaderboard(category="speech & AUDIO")  # any case
    assert board.category == "Speech & Audio"
