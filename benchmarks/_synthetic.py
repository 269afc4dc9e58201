"""Synthetic catalogs and votes shaped like real traffic (a few hot pairs, a long tail)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from benchmarks._common import SEED_PAIR, Stopwatch, is_postgres
from bot.matching import normalize
from data.database import create_engine
from data.schema import AliasRow, ToolRow, VoteRow
from data.tallies import recount

CHUNK = 20_000

VENDORS = [
    "Acme", "Nimbus", "Deepfield", "Orbital", "Lattice", "Quanta", "Helios", "Stratus", "Mosaic",
    "Cobalt", "Tessera", "Northwind", "Bluefin", "Arclight", "Halcyon", "Kinetic", "Polaris",
    "Sundial", "Driftwood", "Ironbark", "Lumina", "Meridian", "Opaline", "Paragon", "Redwood",
    "Silverline", "Tidewater", "Umbral", "Vantage", "Zenith",
]  # fmt: skip
FAMILIES = [
    "Nova", "Zephyr", "Orion", "Atlas", "Helix", "Quill", "Falcon", "Lumen", "Vega", "Aurora",
    "Ember", "Pixel", "Cipher", "Sable", "Tensor", "Vertex", "Kestrel", "Onyx", "Prism", "Raven",
    "Solace", "Titan", "Vireo", "Wren", "Xenon", "Juniper", "Marlin", "Osprey", "Pebble", "Quasar",
    "Rook", "Sparrow", "Tundra", "Willow", "Yarrow", "Aster", "Bramble", "Comet", "Dune", "Fjord",
]  # fmt: skip
SIZES = ["", "", "", "1B", "3B", "7B", "8B", "13B", "34B", "70B", "8x7B", "405B"]
VERSIONS = ["", "", "v1", "v2", "v3", "v4", "2.5", "3.1", "4", "5", "R1", "2024"]
SUFFIXES = ["", "", "", "Instruct", "Chat", "Coder", "Vision", "mini", "Pro", "Flash", "Turbo"]
CATEGORIES = [
    "Developer Tools", "Chat Assistants", "Coding Assistants", "Image Generation",
    "Agents & Automation", "Vector Databases", "Video Generation", "Search & Research",
    "Speech & Audio", "Productivity",
]  # fmt: skip
ENTRIES = ["Free", "Freemium", "Paid", "Open source"]


# -- synthetic tools ---------------------------------------------------------------------------


def _keys(name: str) -> tuple[str, str, str]:
    """The forms the matcher looks names up by; a synthetic name must not share any of them
    with another name, or typing it exactly would (rightly) be ambiguous."""
    canonical = normalize(name)
    tokens = canonical.split()
    return canonical, " ".join(sorted(tokens)), "".join(tokens)


def synthetic_names(count: int, taken: set[str], rng: random.Random) -> Iterator[str]:
    """Distinct made-up names like ``Acme Nova 7B v2 Instruct`` that resolve to themselves."""
    made = 0
    while made < count:
        parts = [rng.choice(VENDORS), rng.choice(FAMILIES)]
        parts += [rng.choice(SIZES), rng.choice(VERSIONS), rng.choice(SUFFIXES)]
        if rng.random() < 0.3:  # a second family word widens the space past 100k
            parts.insert(2, rng.choice(FAMILIES))
        name = " ".join(p for p in parts if p)
        keys = _keys(name)
        if any(k in taken for k in keys):
            continue
        taken.update(keys)
        made += 1
        yield name


def _tool_row(name: str, now: datetime, rng: random.Random) -> dict[str, Any]:
    canonical = normalize(name)
    vendor = name.split()[0]
    return {
        "slug": canonical.replace(" ", "-").replace(".", "-").replace("/", "-")[:120],
        "name": name,
        "normalized": canonical,
        "category": rng.choice(CATEGORIES),
        "tagline": f"{vendor}'s {rng.choice(['fast', 'open', 'small', 'frontier'])} model",
        "entry": rng.choice(ENTRIES),
        "pricing_note": "",
        "description": f"{name} is a synthetic benchmark tool from {vendor}.",
        "url": f"https://example.com/{canonical.replace(' ', '-')}",
        "created_by": "bench",
        "created_at": now,
        "updated_at": now,
    }


async def _catalog_keys(connection: AsyncConnection) -> set[str]:
    taken: set[str] = set()
    for (name,) in await connection.execute(select(ToolRow.name)):
        taken.update(_keys(name))
    for (alias,) in await connection.execute(select(AliasRow.alias)):
        taken.update(_keys(alias))
    return taken


async def add_tools(engine: AsyncEngine, total: int, seed: int = 7) -> int:
    """Fill the catalog up to ``total`` tools with synthetic ones (a third get an ``org/id``
    alias, as Hugging Face ids); returns how many were added."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        have = int(await connection.scalar(select(text("count(*)")).select_from(ToolRow)) or 0)
        taken = await _catalog_keys(connection)
        names = list(synthetic_names(max(0, total - have), taken, rng))
        for chunk in _chunks(names, CHUNK):
            await connection.execute(insert(ToolRow), [_tool_row(n, now, rng) for n in chunk])
        ids = dict((await connection.execute(select(ToolRow.name, ToolRow.id))).tuples().all())
        aliases = []
        for name in names:
            if rng.random() < 0.33:
                alias = f"{name.split()[0].lower()}/{'-'.join(name.split()[1:])}"
                if not any(k in taken for k in _keys(alias)):
                    taken.update(_keys(alias))
                    aliases.append(
                        {"tool_id": ids[name], "alias": alias, "normalized": normalize(alias)}
                    )
        for chunk in _chunks(aliases, CHUNK):
            await connection.execute(insert(AliasRow), list(chunk))
        await connection.execute(text("UPDATE catalog_meta SET revision = revision + 1"))
    return len(names)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- synthetic votes ---------------------------------------------------------------------------


@dataclass
class Population:
    """Who votes on what: tool ids by popularity, hot pairs, communities by size."""

    tools: list[int]  # most popular first
    names: dict[int, str]
    hot_pairs: list[tuple[int, int]]  # as asked (a, b), most voted first; the seed pair first
    communities: list[tuple[str, str]]  # (platform, id), biggest first
    counts: dict[str, int] = field(default_factory=dict)

    def pair_text(self, pair: tuple[int, int]) -> str:
        return f"{self.names[pair[0]]} vs {self.names[pair[1]]}"


def _zipf(n: int, s: float) -> list[float]:
    """Cumulative Zipf weights for ``random.choices(cum_weights=…)``."""
    return list(itertools.accumulate(1.0 / (rank + 1) ** s for rank in range(n)))


async def population(engine: AsyncEngine, communities: int = 5_000, seed: int = 11) -> Population:
    """Rank tools (real catalog first, the seed pair on top), pick hot pairs and communities."""
    rng = random.Random(seed)
    async with engine.connect() as connection:
        rows = (
            await connection.execute(select(ToolRow.id, ToolRow.name, ToolRow.created_by))
        ).all()
    names = {int(i): str(n) for i, n, _ in rows}
    by_name = {n: i for i, n in names.items()}
    first = [by_name[SEED_PAIR[0]], by_name[SEED_PAIR[1]]]
    real = [int(i) for i, _, by in rows if by == "seed" and int(i) not in first]
    rng.shuffle(real)
    synthetic = sorted(int(i) for i, _, by in rows if by != "seed")
    tools = first + real + synthetic
    head = tools[:60]
    hot = {(first[0], first[1])}
    while len(hot) < min(300, len(head) * (len(head) - 1) // 2):
        a, b = rng.sample(head[: rng.choice([10, 30, 60])], 2)
        if (b, a) not in hot:
            hot.add((a, b))
    rest = sorted(hot - {(first[0], first[1])})
    rng.shuffle(rest)
    places = [
        ("discord", f"g{n}") if n % 5 < 3 else ("slack", f"T{n:07d}") for n in range(communities)
    ]
    return Population(tools, names, [(first[0], first[1]), *rest], places)


def generate_votes(pop: Population, count: int, seed: int = 13) -> list[tuple[Any, ...]]:
    """``count`` distinct votes as rows of ``VOTE_COLUMNS``.

    5 % go to the seed pair, 45 % to the other hot pairs (Zipf), 50 % to pairs drawn from the
    whole catalog (Zipf over popularity, so the long tail gets a trickle). Communities are Zipf
    too; each pair has its own lean so tallies are not 50/50; a fifth of voters report an
    account age. One vote per (platform, community, user, pair), as the unique key demands.
    """
    rng = random.Random(seed)
    now = datetime.now(UTC)
    hot_w = _zipf(len(pop.hot_pairs) - 1, 1.0)
    tool_w = _zipf(len(pop.tools), 1.05)
    place_w = _zipf(len(pop.communities), 1.0)
    lean: dict[tuple[int, int], float] = {}
    seen: set[tuple[int, int, int, int]] = set()
    rows: list[tuple[Any, ...]] = []
    users = max(50_000, count // 3)
    while len(rows) < count:
        pair = _draw_pair(pop, rng, hot_w, tool_w)
        low, high = min(pair), max(pair)
        place = rng.choices(range(len(pop.communities)), cum_weights=place_w)[0]
        user = rng.randrange(users)
        key = (place, user, low, high)
        if key in seen:
            continue
        seen.add(key)
        share = lean.setdefault((low, high), rng.uniform(0.3, 0.7))
        choice = low if rng.random() < share else high
        platform, community = pop.communities[place]
        when = now - timedelta(seconds=rng.randrange(90 * 86_400))
        born = when - timedelta(days=rng.randrange(1, 2_000)) if rng.random() < 0.2 else None
        source = "reaction" if rng.random() < 0.6 else rng.choice(["button", "command"])
        rows.append(
            (platform, community, f"u{user}", low, high, choice, source, None, born, when, when)
        )
    return rows


def _draw_pair(
    pop: Population, rng: random.Random, hot_w: list[float], tool_w: list[float]
) -> tuple[int, int]:
    roll = rng.random()
    if roll < 0.05:
        return pop.hot_pairs[0]
    if roll < 0.5:
        return rng.choices(pop.hot_pairs[1:], cum_weights=hot_w)[0]
    while True:
        a, b = rng.choices(pop.tools, cum_weights=tool_w, k=2)
        if a != b:
            return a, b


VOTE_COLUMNS = (
    "platform", "community", "user_id", "tool_low", "tool_high", "choice", "source", "card_id",
    "voter_created_at", "created_at", "updated_at",
)  # fmt: skip


async def load_votes(engine: AsyncEngine, rows: Sequence[tuple[Any, ...]]) -> None:
    """Bulk insert: COPY on PostgreSQL, chunked executemany on SQLite. On PostgreSQL the load is
    followed by ``VACUUM ANALYZE`` (statistics and the visibility map that index-only scans need),
    which autovacuum does on its own within a minute of such a load in production.

    PostgreSQL's COPY runs with the vote triggers off and the kept counts are recounted after
    (``data.tallies``): a trigger call per row made a million-vote load take minutes. SQLite's
    triggers stay on (they are cheap there, and SQLite can't switch them off)."""
    if is_postgres(engine):
        async with engine.begin() as connection:
            await connection.execute(text("ALTER TABLE votes DISABLE TRIGGER USER"))
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection
            await driver.copy_records_to_table("votes", records=rows, columns=list(VOTE_COLUMNS))
            await connection.execute(text("ALTER TABLE votes ENABLE TRIGGER USER"))
            await recount(connection)
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE votes"))
        return
    async with engine.begin() as connection:
        for chunk in _chunks(rows, CHUNK):
            await connection.execute(
                insert(VoteRow), [dict(zip(VOTE_COLUMNS, row, strict=True)) for row in chunk]
            )


async def populate(url: str, tools: int, votes: int) -> tuple[Population, dict[str, float]]:
    """Synthetic tools up to ``tools`` and ``votes`` votes; returns who is who and set-up times."""
    engine = create_engine(url)
    try:
        with Stopwatch() as tool_time:
            await add_tools(engine, tools)
        pop = await population(engine)
        with Stopwatch() as gen_time:
            rows = generate_votes(pop, votes) if votes else []
        with Stopwatch() as load_time:
            if rows:
                await load_votes(engine, rows)
    finally:
        await engine.dispose()
    pop.counts = {"tools": len(pop.tools), "votes": len(rows)}
    return pop, {
        "tools_s": round(tool_time.seconds, 2),
        "votes_generate_s": round(gen_time.seconds, 2),
        "votes_load_s": round(load_time.seconds, 2),
    }
