"""``/compare`` in process: text → parsed pair → card (and → rendered card), p50 / p99 / mean.

For each backend and catalog size a scratch database gets the real catalog, synthetic tools up to
the size and ``--votes`` synthetic votes (skewed: see ``benchmarks._common``). The app is the
production one (``adapters.bootstrap.build_app``). Timed, after one warm-up call that builds the
name index (its build time is reported on its own):

* ``seed_pair``: ``service.compare("SmolLM3 vs Mistral Medium 3", <the biggest community>)``;
* ``mixed_pairs``: half hot pairs, half random pairs from the whole catalog, in random
  communities, so neither the name index nor the database page cache sees one key only;
* ``render``: the same compare followed by each renderer (console JSON, Discord embeds, Slack
  blocks, the latter two as the dicts sent to the platform), i.e. "parse to rendered card";
* ``queries``: the vote queries behind a card on their own (tally here / everywhere, tool share).

    .venv/bin/python -m benchmarks.compare --backend sqlite,postgresql \
        --tools 1000,10000,100000 --votes 1000000
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from adapters.bootstrap import App
from adapters.console.render import card_json
from benchmarks._common import (
    SEED_PAIR,
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
from bot.cards import VerdictCard
from bot.matching import Match
from bot.models import Community, Pair

Renderer = Callable[[VerdictCard], object]


def renderers() -> dict[str, Renderer]:
    """Every pure card renderer present in this checkout, producing what goes on the wire."""
    found: dict[str, Renderer] = {"console_json": card_json}
    try:
        from adapters.discord.render import render_card as discord_card

        found["discord_embeds"] = lambda card: [e.to_dict() for e in discord_card(card)]
    except ImportError:  # pragma: no cover - the Discord adapter is optional
        pass
    try:
        from adapters.slack.render import render_card as slack_card

        found["slack_blocks"] = lambda card: slack_card(card).block_dicts()
    except ImportError:  # pragma: no cover - the Slack adapter is optional
        pass
    return found


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = await call()
    return (time.perf_counter() - start) * 1000, value


async def resolvable_pairs(app: App, pop: Population, pairs: list[tuple[int, int]]) -> list[str]:
    """The texts of ``pairs`` whose both names resolve to themselves (checked without the
    database, so the check does not warm its caches)."""
    matcher = await app.service.matcher()
    texts = []
    for a, b in pairs:
        if all(
            isinstance(r := matcher.resolve(pop.names[t]), Match) and r.name == pop.names[t]
            for t in (a, b)
        ):
            texts.append(pop.pair_text((a, b)))
    return texts


def mixed_workload(
    pop: Population, texts: list[str], n: int, rng: random.Random, tools: list[int] | None = None
) -> list[str]:
    """Half hot pairs, half random pairs from the whole catalog (mostly the long tail), drawn
    from ``tools`` (those whose name resolves to itself) when given."""
    pool = tools or pop.tools
    out = []
    for i in range(n):
        if i % 2 == 0:
            out.append(rng.choice(texts))
            continue
        a, b = rng.sample(pool, 2)
        out.append(pop.pair_text((a, b)))
    return out


async def series(
    app: App, requests: list[tuple[str, Community]], render: dict[str, Renderer]
) -> dict[str, Any]:
    """Compare each request, then render the card with every renderer; ms per step."""
    compare_ms: list[float] = []
    rendered: dict[str, list[float]] = {name: [] for name in render}
    for text, community in requests:
        elapsed, card = await timed(lambda t=text, c=community: app.service.compare(t, c))
        compare_ms.append(elapsed)
        for name, fn in render.items():
            start = time.perf_counter()
            fn(card)
            rendered[name].append(elapsed + (time.perf_counter() - start) * 1000)
    return {
        "compare_ms": summary(compare_ms),
        "parse_to_rendered_ms": {name: summary(v) for name, v in rendered.items()},
    }


async def query_breakdown(
    app: App, pop: Population, community: Community, n: int
) -> dict[str, Any]:
    """The vote queries behind the seed pair's card, each on its own connection checkout."""
    a, b = pop.hot_pairs[0]
    pair = Pair.of(a, b)
    uow_factory = app.service._uow  # the benchmark times the store directly
    out: dict[str, list[float]] = {"tally_here": [], "tally_everywhere": [], "tool_share": []}
    for _ in range(n):
        async with uow_factory() as uow:
            here, _ = await timed(lambda: uow.votes.tally(pair, community))
            everywhere, _ = await timed(lambda: uow.votes.tally(pair, None))
            share, _ = await timed(lambda: uow.votes.tool_share(a))
        out["tally_here"].append(here)
        out["tally_everywhere"].append(everywhere)
        out["tool_share"].append(share)
    return {name: summary(v) for name, v in out.items()}


async def measure(url: str, pop: Population, iterations: int, seed: int = 5) -> dict[str, Any]:
    rng = random.Random(seed)
    app = await open_app(url)
    try:
        with Stopwatch() as index:
            await app.service.matcher()
        texts = await resolvable_pairs(app, pop, pop.hot_pairs)
        biggest = Community(*pop.communities[0])
        seed_text = f"{SEED_PAIR[0]} vs {SEED_PAIR[1]}"
        await app.service.compare(seed_text, biggest)  # warm-up
        render = renderers()
        seed_requests = [(seed_text, biggest)] * iterations
        places = [Community(*c) for c in pop.communities[:200]]
        matcher = await app.service.matcher()
        named = [  # a synced id-like name (ai21/jamba-1-5-large) may be close to another tool's
            t
            for t in pop.tools
            if isinstance(r := matcher.resolve(pop.names[t]), Match) and r.name == pop.names[t]
        ]
        mixed = [
            (text, rng.choice(places))
            for text in mixed_workload(pop, texts, iterations, rng, named)
        ]
        return {
            "index_build_s": round(index.seconds, 3),
            "hot_pairs": len(texts),
            "seed_pair": await series(app, seed_requests, render),
            "mixed_pairs": await series(app, mixed, render),
            "queries_ms": await query_breakdown(app, pop, biggest, min(iterations, 200)),
        }
    finally:
        await app.close()


async def main(args: argparse.Namespace) -> None:
    for backend in backends(args.backend):
        for tools in csv_ints(args.tools):
            async with scratch_database(backend, args.postgres_url, args.revision) as url:
                note(f"compare: {backend}, {tools} tools, {args.votes} votes: loading")
                pop, setup = await populate(url, tools, args.votes)
                note(f"compare: loaded in {sum(setup.values()):.1f}s, measuring")
                result = await measure(url, pop, args.iterations)
            emit(
                {
                    "benchmark": "compare",
                    "backend": backend,
                    "revision": args.revision,
                    **pop.counts,
                    "iterations": args.iterations,
                    "compare_ms": result["seed_pair"]["compare_ms"],
                    **result,
                    "setup": setup,
                }
            )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_backend_arguments(p)
    p.add_argument("--tools", default="1000,10000,100000", help="catalog sizes, comma-separated")
    p.add_argument("--votes", type=int, default=1_000_000, help="synthetic votes per database")
    p.add_argument("--iterations", type=int, default=500, help="timed compares per series")
    p.add_argument(
        "--revision", default="head", help="migrate only to this revision (e.g. 0003: before)"
    )
    return p


if __name__ == "__main__":
    run(main(parser().parse_args()))
