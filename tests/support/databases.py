"""Fresh, migrated, seeded databases for tests: SQLite by default, PostgreSQL on request.

Set ``SHIPBOT_TEST_DATABASE_URL=postgresql+asyncpg://user@host:port/db`` to run the suite on
PostgreSQL. Either way the schema comes from the Alembic migrations (never ``create_all``), built
once per session as a template that each test copies (a file copy, or ``CREATE DATABASE …
TEMPLATE``), so every test starts from the same state in milliseconds.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.admin import Actor, CatalogService
from bot.catalog_index import CatalogIndex
from data.catalog_files import seed_catalog
from data.catalog_sync import sync_bundled
from data.database import create_engine, upgrade
from data.unit_of_work import SqlUnitOfWorkFactory

POSTGRES_ENV = "SHIPBOT_TEST_DATABASE_URL"


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to completion from sync code, even inside a running event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def backend() -> str:
    url = os.environ.get(POSTGRES_ENV, "")
    return "postgresql" if url.startswith("postgresql") else "sqlite"


async def _migrate_and_seed(url: str, seed: bool) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        if seed:
            catalog = CatalogService(SqlUnitOfWorkFactory(engine), CatalogIndex())
            await catalog.import_catalog(
                seed_catalog(), Actor("seed", "seed", True, catalog_admin=True)
            )
            await sync_bundled(engine)  # what a new database holds: the synced snapshot
    finally:
        await engine.dispose()


class SqliteDatabases:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._templates: dict[bool, Path] = {}

    def fresh(self, seed: bool = True) -> str:
        if seed not in self._templates:
            template = self.root / f"template-{'seeded' if seed else 'empty'}.db"
            _run(_migrate_and_seed(f"sqlite+aiosqlite:///{template}", seed))
            self._templates[seed] = template
        target = self.root / f"test-{uuid.uuid4().hex[:12]}.db"
        shutil.copyfile(self._templates[seed], target)
        return f"sqlite+aiosqlite:///{target}"

    def empty(self) -> str:
        return f"sqlite+aiosqlite:///{self.root / f'empty-{uuid.uuid4().hex[:12]}.db'}"

    def cleanup(self) -> None:
        pass


class PostgresDatabases:
    """Databases on a PostgreSQL server, named ``shipbot_t_*`` and dropped at the end."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.run_id = uuid.uuid4().hex[:8]
        self._templates: dict[bool, str] = {}
        self._created: list[str] = []

    def _url(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def _execute(self, *statements: str) -> None:
        async def run() -> None:
            engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT", pool_size=1)
            try:
                async with engine.connect() as connection:
                    for statement in statements:
                        await connection.execute(text(statement))
            finally:
                await engine.dispose()

        _run(run())

    def fresh(self, seed: bool = True) -> str:
        if seed not in self._templates:
            name = f"shipbot_t_{self.run_id}_{'seeded' if seed else 'empty'}"
            self._execute(f'CREATE DATABASE "{name}"')
            self._created.append(name)
            _run(_migrate_and_seed(self._url(name), seed))
            self._templates[seed] = name
        name = f"shipbot_t_{self.run_id}_{uuid.uuid4().hex[:10]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._templates[seed]}"')
        self._created.append(name)
        return self._url(name)

    def empty(self) -> str:
        name = f"shipbot_t_{self.run_id}_{uuid.uuid4().hex[:10]}"
        self._execute(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return self._url(name)

    def cleanup(self) -> None:
        if self._created:
            self._execute(
                *(
                    f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                    for name in reversed(self._created)
                )
            )
