"""Shared pieces of the store benchmarks: scratch databases, realistic bulk data, statistics.

Every benchmark builds its own database so a run never touches a real one: a temporary SQLite
file, or a ``shipbot_bench_*`` database on the PostgreSQL server that is dropped afterwards. The
schema always comes from the Alembic migrations (as in production), the catalog from the bundled
seed files, and everything synthetic is bulk-loaded with plain SQL because set-up time is not what
is measured.

Synthetic data is shaped like real traffic rather than uniform noise: tool names look like
``Vendor Family 7B v2 Instruct``, popularity is Zipf-like (the real catalog, SmolLM3 and Mistral
Medium 3 first, is the head; synthetic tools are the long tail), and votes pile up on a few hot
pairs in a few big communities, the way a launch-day thread does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.bootstrap import App, build_app
from bot.admin import Actor, CatalogService
from bot.catalog_index import CatalogIndex
from bot.settings import Settings
from data.catalog_files import seed_catalog
from data.catalog_sync import sync_bundled
from data.database import create_engine, upgrade
from data.unit_of_work import SqlUnitOfWorkFactory

POSTGRES_URL = os.environ.get(
    "SHIPBOT_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
SEED_PAIR = ("SmolLM3", "Mistral Medium 3")


# -- command lines and output ------------------------------------------------------------------


def csv_ints(value: str) -> list[int]:
    """``1000,10k,100_000`` → [1000, 10000, 100000] (a ``k``/``m`` suffix multiplies)."""
    out = []
    for part in value.split(","):
        part = part.strip().lower().replace("_", "")
        scale = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        out.append(int(float(part.rstrip("km")) * scale))
    return out


def add_backend_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        default="sqlite",
        help="sqlite, postgresql, or both as 'sqlite,postgresql' (default: sqlite)",
    )
    parser.add_argument(
        "--postgres-url",
        default=POSTGRES_URL,
        help="admin URL of the PostgreSQL server that scratch databases are created on",
    )


def backends(value: str) -> list[str]:
    names = [b.strip() for b in value.split(",") if b.strip()]
    for name in names:
        if name not in ("sqlite", "postgresql"):
            raise SystemExit(f"unknown backend {name!r}: use sqlite or postgresql")
    return names


def emit(document: dict[str, Any]) -> None:
    """One JSON document per line on stdout (progress notes go to stderr)."""
    print(json.dumps(document), flush=True)


def note(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def summary(samples_ms: Sequence[float]) -> dict[str, float]:
    """p50 / p99 (nearest rank) / mean / max of millisecond samples, rounded to µs."""
    ordered = sorted(samples_ms)
    rank = max(0, math.ceil(0.99 * len(ordered)) - 1)
    return {
        "p50": round(statistics.median(ordered), 3),
        "p99": round(ordered[rank], 3),
        "mean": round(statistics.fmean(ordered), 3),
        "max": round(ordered[-1], 3),
        "n": len(ordered),
    }


class Stopwatch:
    """``with Stopwatch() as w: …; w.seconds``."""

    seconds: float = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds = time.perf_counter() - self._start


# -- scratch databases -------------------------------------------------------------------------


@asynccontextmanager
async def scratch_database(
    backend: str, postgres_url: str = POSTGRES_URL, revision: str = "head", synced: bool = True
) -> AsyncIterator[str]:
    """A new database migrated to ``revision`` and holding the bundled catalog (with the synced
    models unless ``synced`` is false); removed after."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="shipbot_bench_") as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            await _migrate_and_seed(url, revision, synced)
            yield url
        return
    name = f"shipbot_bench_{uuid.uuid4().hex[:10]}"
    await _admin(postgres_url, f'CREATE DATABASE "{name}"')
    try:
        url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
        await _migrate_and_seed(url, revision, synced)
        yield url
    finally:
        await _admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(postgres_url: str, statement: str) -> None:
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT", pool_size=1)
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _migrate_and_seed(url: str, revision: str, synced: bool = True) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine, revision)
        catalog = CatalogService(SqlUnitOfWorkFactory(engine), CatalogIndex())
        await catalog.import_catalog(
            seed_catalog(), Actor("seed", "seed", True, catalog_admin=True)
        )
        if revision == "head" and synced:
            await sync_bundled(engine)  # what a new database holds: the synced models
    finally:
        await engine.dispose()


async def open_app(url: str) -> App:
    """The production composition root on ``url`` (no migration: the scratch db is at head)."""
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    return await build_app(settings, migrate=False)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


def run(main: Any) -> None:
    """``asyncio.run`` with a readable exit on Ctrl-C."""
    try:
        asyncio.run(main)
    except KeyboardInterrupt:
        raise SystemExit(130) from None


def flatten(items: Iterable[Iterable[Any]]) -> list[Any]:
    return [x for group in items for x in group]
