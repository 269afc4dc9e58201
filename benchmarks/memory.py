"""Memory of a process holding an ``App`` with a 100k-tool catalog: name index and catalog list.

The parent builds the scratch database; a fresh child process (``--measure URL``) does only what
a bot process does, so set-up allocations never inflate its figures. The child reports RSS after
the imports, after ``build_app``, after the name index is built (the first resolve), after one
compare, and after loading the whole catalog as ``Tool`` objects (``catalog.list()``, what
``/tool list`` and the export do), plus peak RSS; a second child measures the index build under
tracemalloc (Python objects only, without allocator slack).

    .venv/bin/python -m benchmarks.memory --backend sqlite --tools 100000
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

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
)
from benchmarks._synthetic import populate
from bot.models import Community

MB = 2**20


def rss_mb() -> float:
    """Resident set size now (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def measure(url: str, traced: bool) -> dict[str, Any]:
    """Run in the child: the stages of a bot process's life, RSS after each. With ``traced``
    the index build runs under tracemalloc instead (its bookkeeping would inflate the RSS)."""
    gc.collect()
    stages = {"imports": rss_mb()}
    app = await open_app(url)
    try:
        stages["app_built"] = rss_mb()
        if traced:
            tracemalloc.start()
            await app.service.matcher()
            index_mb, peak_mb = (v / MB for v in tracemalloc.get_traced_memory())
            return {
                "index_traced_mb": round(index_mb, 1),
                "index_peak_traced_mb": round(peak_mb, 1),
            }
        with Stopwatch() as build:
            await app.service.matcher()
        gc.collect()
        stages["name_index"] = rss_mb()
        await app.service.compare(f"{SEED_PAIR[0]} vs {SEED_PAIR[1]}", Community.console())
        stages["after_compare"] = rss_mb()
        with Stopwatch() as listing:
            tools = await app.catalog.list()
        stages["catalog_list"] = rss_mb()
        count = len(tools)
        del tools
    finally:
        await app.close()
    return {
        "rss_mb": stages,
        "index_rss_mb": round(stages["name_index"] - stages["app_built"], 1),
        "peak_rss_mb": peak_rss_mb(),
        "index_build_s": round(build.seconds, 3),
        "catalog_list_s": round(listing.seconds, 3),
        "catalog_tools": count,
    }


def child(url: str, traced: bool) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", "--measure", url]
        + (["--traced"] if traced else []),
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


async def main(args: argparse.Namespace) -> None:
    for backend in backends(args.backend):
        for tools in csv_ints(args.tools):
            async with scratch_database(backend, args.postgres_url) as url:
                note(f"memory: {backend}, {tools} tools: loading")
                pop, setup = await populate(url, tools, args.votes)
                result = await asyncio.to_thread(child, url, False)
                result |= await asyncio.to_thread(child, url, True)
            emit(
                {"benchmark": "memory", "backend": backend, **pop.counts, **result, "setup": setup}
            )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_backend_arguments(p)
    p.add_argument("--tools", default="100000", help="catalog sizes, comma-separated")
    p.add_argument("--votes", type=int, default=0, help="synthetic votes (not needed for memory)")
    p.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    p.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    return p


if __name__ == "__main__":
    arguments = parser().parse_args()
    if arguments.measure:
        print(json.dumps(asyncio.run(measure(arguments.measure, arguments.traced))))
    else:
        run(main(arguments))
