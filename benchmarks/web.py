"""The web pages' server time: the verdict page and the JSON API, p50 / p99 / mean, and the
page's weight.

For each backend a scratch database gets the real catalog, synthetic tools up to ``--tools`` and
``--votes`` synthetic votes (see ``benchmarks._synthetic``). The app is the production one
(``adapters.bootstrap.build_app`` → ``adapters.web.app.create_web_app``), called in process over
httpx's ASGI transport, so the time is the server's own (routing, name resolution, the database,
the template, the ETag), without a socket. Timed, after one warm-up request:

* ``page_seed``: ``GET /compare/smollm-3-vs-mistral-medium-3?c=<biggest community>``;
* ``page_mixed``: half hot pairs, half random pairs from the whole catalog, canonical URLs;
* ``page_fuzzy``: the seed pair asked reversed and misspelled (the 301 it answers);
* ``api_seed`` / ``api_mixed``: ``GET /api/v1/compare?a=…&b=…`` (the card's JSON);
* ``page_304``: the seed page with ``If-None-Match`` (what a revisit costs);
* ``preview``: the preview image, first drawing vs the kept copy;
* ``weight``: the page's HTML + CSS + JS bytes (no image), raw and gzipped.

    .venv/bin/python -m benchmarks.web --backend sqlite,postgresql --tools 100000 --votes 1000000
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import time
from typing import Any
from urllib.parse import urlencode

import httpx

from adapters.bootstrap import App
from adapters.web.app import create_web_app
from adapters.web.views import canonical_path
from benchmarks._common import (
    SEED_PAIR,
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
from bot.models import Community

SEED_PATH = "/compare/smollm-3-vs-mistral-medium-3"


async def timed_get(client: httpx.AsyncClient, url: str, **headers: str) -> tuple[float, Any]:
    start = time.perf_counter()
    response = await client.get(url, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code not in (200, 301, 303, 304):
        raise SystemExit(f"{url} answered {response.status_code}: {response.text[:200]}")
    return elapsed, response


async def series(client: httpx.AsyncClient, urls: list[str], **headers: str) -> dict[str, float]:
    samples = []
    for url in urls:
        elapsed, _ = await timed_get(client, url, **headers)
        samples.append(elapsed)
    return summary(samples)


async def pair_paths(app: App, pop: Population, pairs: list[tuple[int, int]]) -> list[str]:
    """Canonical page paths of ``pairs`` (looked up once, before timing)."""
    paths = []
    for a, b in pairs:
        card = await app.service.compare_ids(a, b, Community("web", "everywhere"))
        paths.append(canonical_path(card))
    return paths


async def weight(client: httpx.AsyncClient, page: httpx.Response) -> dict[str, int]:
    """Bytes a first visit downloads besides the preview image."""
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
    bodies = [page.content] + [(await client.get(url)).content for url in assets]
    return {
        "html_bytes": len(page.content),
        "assets_bytes": sum(len(b) for b in bodies[1:]),
        "total_bytes": sum(len(b) for b in bodies),
        "total_gzip_bytes": sum(len(gzip.compress(b)) for b in bodies),
        "requests": len(bodies),
    }


async def measure(url: str, pop: Population, iterations: int, seed: int = 5) -> dict[str, Any]:
    rng = random.Random(seed)
    app = await open_app(url)
    site = create_web_app(app)
    transport = httpx.ASGITransport(app=site)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            biggest = ":".join(pop.communities[0])
            seed_url = f"{SEED_PATH}?{urlencode({'c': biggest})}"
            start = time.perf_counter()
            await app.service.matcher()  # the name index, built once per process (not timed)
            index_build_s = time.perf_counter() - start
            await client.get(seed_url)  # warm-up
            hot = await pair_paths(app, pop, pop.hot_pairs[: min(100, len(pop.hot_pairs))])
            tail = await pair_paths(
                app,
                pop,
                [tuple(rng.sample(pop.tools, 2)) for _ in range(100)],  # type: ignore[misc]
            )
            mixed = [rng.choice(hot) if i % 2 == 0 else rng.choice(tail) for i in range(iterations)]
            names = [pop.hot_pairs[0]] + [tuple(rng.sample(pop.tools, 2)) for _ in range(50)]
            api = [
                "/api/v1/compare?" + urlencode({"a": pop.names[a], "b": pop.names[b]})
                for a, b in names
            ]
            api_mixed = [rng.choice(api) for _ in range(iterations)]
            _, page = await timed_get(client, seed_url)
            etag = page.headers["etag"]
            first_ms, _ = await timed_get(client, "/og/smollm-3-vs-mistral-medium-3.png")
            return {
                "index_build_s": round(index_build_s, 3),
                "page_seed_ms": await series(client, [seed_url] * iterations),
                "page_mixed_ms": await series(client, mixed),
                "page_fuzzy_ms": await series(
                    client, ["/compare/mistral-medium-3-vs-smol-lm3"] * iterations
                ),
                "page_304_ms": await series(
                    client, [seed_url] * iterations, **{"if-none-match": etag}
                ),
                "api_seed_ms": await series(client, [api[0]] * iterations),
                "api_mixed_ms": await series(client, api_mixed),
                "preview_ms": {
                    "first": round(first_ms, 3),
                    "kept": await series(
                        client, ["/og/smollm-3-vs-mistral-medium-3.png"] * min(iterations, 100)
                    ),
                },
                "weight": await weight(client, page),
            }
    finally:
        await site.state.site.live.close()
        await app.close()


async def main(args: argparse.Namespace) -> None:
    for backend in backends(args.backend):
        for tools in csv_ints(args.tools):
            async with scratch_database(backend, args.postgres_url) as url:
                note(f"web: {backend}, {tools} tools, {args.votes} votes: loading")
                pop, setup = await populate(url, tools, args.votes)
                note(f"web: loaded in {sum(setup.values()):.1f}s, measuring")
                result = await measure(url, pop, args.iterations)
            emit(
                {
                    "benchmark": "web",
                    "backend": backend,
                    **pop.counts,
                    "iterations": args.iterations,
                    "target_p99_ms": 30,
                    "target_weight_bytes": 60 * 1024,
                    **result,
                    "setup": setup,
                }
            )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_backend_arguments(p)
    p.add_argument("--tools", default="100000", help="catalog sizes, comma-separated")
    p.add_argument("--votes", type=int, default=1_000_000, help="synthetic votes per database")
    p.add_argument("--iterations", type=int, default=500, help="timed requests per series")
    return p


if __name__ == "__main__":
    run(main(parser().parse_args()))


__all__ = ["SEED_PAIR", "main", "parser"]
