"""Vote ingest: votes per second through ``ShipService.cast_vote`` with N concurrent writers.

Each run opens a few cards (hot pairs, the seed pair first) in a community of its own and starts
N asyncio writers, each voting for its own users through the production service, exactly as a
platform adapter does for a reaction: with the platform's event id. To keep the run honest about
idempotency, 5 % of events are delivered twice (the retry must change nothing) and 5 % of users
change their mind afterwards (a second event, the other side). At the end the tallies in the
database must equal the expected counts exactly, every vote must be one row and every event id
one ``processed_events`` row: ``"exact": true``.

    .venv/bin/python -m benchmarks.ingest --backend sqlite,postgresql --writers 1,8,64
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from adapters.bootstrap import App
from benchmarks._common import (
    Stopwatch,
    add_backend_arguments,
    backends,
    csv_ints,
    emit,
    note,
    open_app,
    run,
    scratch_database,
    summary,
)
from benchmarks._synthetic import Population, populate
from bot.models import Community, Pair, PostedCard, Side, Voter, VoteSource
from data.schema import ProcessedEvent, VoteRow

CARDS = 4
RETRIES = 0.05
CHANGES = 0.05


@dataclass(frozen=True)
class Cast:
    user: str
    card: int
    side: Side
    event: str


@dataclass
class Plan:
    """Every event of one run, split by writer, and the tallies they must leave behind."""

    by_writer: list[list[Cast]]
    expected: dict[int, Counter[Side]]  # card id → side → votes
    users: int
    events: int

    @property
    def calls(self) -> int:
        return sum(len(w) for w in self.by_writer)


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)


def plan(cards: list[int], writers: int, votes: int, tag: str, seed: int = 3) -> Plan:
    """``votes`` first votes spread over ``writers`` (distinct users each), plus retries of
    the same event and later changes of side, shuffled into each writer's stream."""
    rng = random.Random(seed)
    by_writer: list[list[Cast]] = [[] for _ in range(writers)]
    final: dict[str, Cast] = {}
    events = 0
    for n in range(votes):
        w = n % writers
        user, card = f"{tag}-w{w}-u{n}", cards[n % len(cards)]
        first = Cast(user, card, rng.choice([Side.A, Side.B]), f"{tag}-e{n}")
        stream = [first]
        events += 1
        if rng.random() < RETRIES:
            stream.append(first)  # the platform re-delivers the same event
        if rng.random() < CHANGES:
            other = Side.B if first.side is Side.A else Side.A
            stream.append(Cast(user, card, other, f"{tag}-e{n}-change"))
            events += 1
        final[user] = stream[-1]
        by_writer[w].extend(stream)
    expected: dict[int, Counter[Side]] = {card: Counter() for card in cards}
    for cast in final.values():
        expected[cast.card][cast.side] += 1
    return Plan(by_writer, expected, len(final), events)


async def writer(app: App, community: Community, casts: list[Cast], outcome: Outcome) -> None:
    for cast in casts:
        start = time.perf_counter()
        try:
            await app.service.cast_vote(
                Voter(community, cast.user), cast.card, cast.side, VoteSource.REACTION, cast.event
            )
        except Exception as error:  # counted and reported: a lost vote makes "exact" false
            outcome.errors[type(error).__name__] += 1
        outcome.latencies_ms.append((time.perf_counter() - start) * 1000)


async def open_cards(app: App, pop: Population, community: Community) -> list[PostedCard]:
    cards = []
    for n, pair in enumerate(pop.hot_pairs[:CARDS]):
        card = await app.service.compare(pop.pair_text(pair), community)
        opened = await app.service.open_card(card, community, f"{community.id}-c{n}")
        assert opened.card_id is not None
        await app.service.attach_message(opened.card_id, f"message-{n}")
        cards.append(await app.service.posted_card(opened.card_id))
    return cards


async def verify(
    app: App, community: Community, cards: list[PostedCard], p: Plan
) -> dict[str, Any]:
    """Compare what the database holds with what the plan must have left behind."""
    tallies_ok = True
    async with app.service._uow() as uow:  # the benchmark reads the store directly
        for card in cards:
            tally = await uow.votes.tally(Pair.of(card.tool_a, card.tool_b), community)
            want = p.expected[card.id]
            got = (tally.votes_for(card.tool_a), tally.votes_for(card.tool_b))
            tallies_ok &= got == (want[Side.A], want[Side.B])
    async with app.engine.connect() as connection:
        rows = await connection.scalar(
            select(func.count()).select_from(VoteRow).where(VoteRow.community == community.id)
        )
        events = await connection.scalar(
            select(func.count())
            .select_from(ProcessedEvent)
            .where(ProcessedEvent.event_id.like(f"{community.id}-e%"))
        )
    return {
        "exact": bool(tallies_ok and rows == p.users and events == p.events),
        "tallies_match": tallies_ok,
        "vote_rows": rows,
        "expected_vote_rows": p.users,
        "event_rows": events,
        "expected_event_rows": p.events,
    }


async def measure(app: App, pop: Population, writers: int, votes: int) -> dict[str, Any]:
    community = Community("discord", f"ingest{writers}")
    cards = await open_cards(app, pop, community)
    p = plan([c.id for c in cards], writers, votes, community.id)
    outcome = Outcome()
    with Stopwatch() as wall:
        await asyncio.gather(*(writer(app, community, casts, outcome) for casts in p.by_writer))
    return {
        "writers": writers,
        "calls": p.calls,
        "distinct_votes": p.users,
        "seconds": round(wall.seconds, 3),
        "votes_per_s": round(p.calls / wall.seconds, 1),
        "latency_ms": summary(outcome.latencies_ms),
        "errors": dict(outcome.errors),
        **await verify(app, community, cards, p),
    }


async def main(args: argparse.Namespace) -> None:
    for backend in backends(args.backend):
        async with scratch_database(backend, args.postgres_url, args.revision) as url:
            note(f"ingest: {backend}: loading {args.tools} tools, {args.preload} votes")
            pop, setup = await populate(url, args.tools, args.preload)
            app = await open_app(url)
            try:
                pool = app.engine.pool.status()
                runs = []
                for writers in csv_ints(args.writers):
                    note(f"ingest: {backend}: {writers} writers")
                    runs.append(await measure(app, pop, writers, args.votes))
            finally:
                await app.close()
        emit(
            {
                "benchmark": "ingest",
                "backend": backend,
                "revision": args.revision,
                **pop.counts,
                "votes_per_s": {str(r["writers"]): r["votes_per_s"] for r in runs},
                "exact": all(r["exact"] for r in runs),
                "runs": runs,
                "pool": pool,
                "setup": setup,
            }
        )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_backend_arguments(p)
    p.add_argument("--writers", default="1,8,64", help="concurrent writers per run")
    p.add_argument("--votes", type=int, default=6_000, help="distinct first votes per run")
    p.add_argument("--tools", type=int, default=1_000, help="catalog size")
    p.add_argument("--preload", type=int, default=100_000, help="synthetic votes loaded first")
    p.add_argument("--revision", default="head", help="migrate only to this revision")
    return p


if __name__ == "__main__":
    run(main(parser().parse_args()))
