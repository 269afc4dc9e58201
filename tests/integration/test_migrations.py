"""The schema comes only from Alembic: upgrade, downgrade and auto-upgrade of a new SQLite file."""

from __future__ import annotations

from sqlalchemy import inspect

from adapters.bootstrap import build_app
from bot.models import Community
from bot.settings import Settings
from data.database import create_engine, current_revision, downgrade, head_revision, upgrade
from tests.support.databases import PostgresDatabases, SqliteDatabases


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def test_upgrade_downgrade_upgrade(databases: SqliteDatabases | PostgresDatabases) -> None:
    url = databases.empty()
    engine = create_engine(url)
    try:
        await upgrade(engine)
        assert await current_revision(engine) == head_revision(url)
        assert {"tools", "aliases", "reviews", "cards", "votes", "catalog_meta"} <= await _tables(
            url
        )
        await downgrade(engine, "base")
        assert await current_revision(engine) is None
        assert not {"tools", "votes", "slack_installations"} & await _tables(url)
        await upgrade(engine)
        assert await current_revision(engine) == head_revision(url)
    finally:
        await engine.dispose()


async def test_new_sqlite_file_is_created_upgraded_and_seeded_on_first_use(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "nested" / "shipbot.db"
    settings = Settings(database_url=f"sqlite+aiosqlite:///{path}", _env_file=None)  # type: ignore[call-arg]
    app = await build_app(settings)
    try:
        card = await app.service.compare("SmolLM3 vs Mistral Medium 3", Community.console())
        assert card.a.panel.label == "75% · 3/4"
    finally:
        await app.close()
    assert path.exists()
    again = await build_app(settings)  # a second start neither re-migrates nor re-seeds
    try:
        assert len(await again.catalog.list()) == len(await again.catalog.list(None))
        assert sum(1 for t in await again.catalog.list() if t.name == "SmolLM3") == 1
    finally:
        await again.close()


async def test_migrations_match_the_schema(databases: SqliteDatabases | PostgresDatabases) -> None:
    """Autogenerate finds nothing to do at head: schema.py and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from data.migrations_support import include_object
    from data.schema import Base

    url = databases.empty()
    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_object": include_object}),
                    Base.metadata,
                )
            )
    finally:
        await engine.dispose()
    assert diff == []
