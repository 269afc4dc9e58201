"""Engines and migrations: the only place that knows how to open and upgrade a database."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

if TYPE_CHECKING:  # alembic loads when the schema is checked, not when a command starts
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, busy_timeout: float = 5.0, **options: Any) -> AsyncEngine:
    """An async engine; SQLite files get WAL, a busy timeout and enforced foreign keys.

    ``busy_timeout`` is how long a SQLite writer waits for the lock before the error that the
    core retries (bot.retry); short enough that the person hears back within seconds.
    """
    parsed = make_url(url)
    if is_sqlite(url):
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        options.setdefault("connect_args", {"timeout": busy_timeout})
        engine = create_async_engine(url, **options)
        event.listen(
            engine.sync_engine, "connect", functools.partial(_sqlite_pragmas, busy_timeout)
        )
        return engine
    options.setdefault("pool_pre_ping", True)
    options.setdefault("pool_size", 10)
    options.setdefault("max_overflow", 20)
    return create_async_engine(url, **options)


def _sqlite_pragmas(busy_timeout: float, dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    cursor.close()


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision(url: str) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    from alembic import command

    await _run(engine, lambda config, connection: command.upgrade(config, revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    from alembic import command

    await _run(engine, lambda config, connection: command.downgrade(config, revision))


async def _run(engine: AsyncEngine, action: Any) -> None:
    url = engine.url.render_as_string(hide_password=False)

    def run(connection: Connection) -> None:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        action(config, connection)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def ensure_schema(engine: AsyncEngine) -> bool:
    """Bring the schema to the newest revision if it is behind. True if it was empty before.

    Called on every start for SQLite (zero set-up); with PostgreSQL, migrations run through
    ``shipbot db upgrade`` (or the container's start command) so that many processes never race.
    """
    url = engine.url.render_as_string(hide_password=False)
    current = await current_revision(engine)
    if current == head_revision(url):
        return False
    log.info("upgrading database schema", extra={"from": current, "to": "head"})
    await upgrade(engine)
    return current is None
