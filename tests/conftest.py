"""Shared fixtures: a fresh database per test and the app built on it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from adapters.bootstrap import App, build_app
from bot.settings import Settings
from tests.support.databases import POSTGRES_ENV, PostgresDatabases, SqliteDatabases, backend


@pytest.fixture(scope="session")
def databases(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SqliteDatabases | PostgresDatabases]:
    pool: SqliteDatabases | PostgresDatabases
    if backend() == "postgresql":
        pool = PostgresDatabases(os.environ[POSTGRES_ENV])
    else:
        pool = SqliteDatabases(tmp_path_factory.mktemp("databases"))
    yield pool
    pool.cleanup()


@pytest.fixture
def database_url(databases: SqliteDatabases | PostgresDatabases) -> str:
    """A migrated database holding the bundled seed catalog, private to this test."""
    return databases.fresh(seed=True)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    shipbot = await build_app(settings, migrate=False)
    yield shipbot
    await shipbot.close()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty directory with no SHIPBOT_ variables from the developer's shell."""
    for key in list(os.environ):
        if key.startswith("SHIPBOT_") and not key.startswith("SHIPBOT_TEST_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path
