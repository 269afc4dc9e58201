"""The store unreachable or locked: retries with backoff, then a clear reply; nothing written."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy.engine import make_url

from adapters.bootstrap import App
from bot.errors import StoreUnavailable
from bot.models import Community, Side, Voter, VoteSource
from bot.service import ShipService
from data.database import create_engine
from data.unit_of_work import SqlUnitOfWorkFactory
from tests.support.databases import backend

HERE = Community("slack", "T1")


async def test_unreachable_server_gives_a_clear_error_after_retries() -> None:
    engine = create_engine("postgresql+asyncpg://shipbot@127.0.0.1:1/shipbot", pool_pre_ping=False)
    service = ShipService(SqlUnitOfWorkFactory(engine))
    started = time.monotonic()
    try:
        with pytest.raises(StoreUnavailable) as caught:
            await service.compare("SmolLM3 vs Mistral Medium 3", HERE)
    finally:
        await engine.dispose()
    assert "try again" in caught.value.message
    assert 1.0 <= time.monotonic() - started < 3.0, (
        "three backoffs, well inside a platform deadline"
    )


@pytest.mark.skipif(backend() != "sqlite", reason="SQLite's file lock")
async def test_locked_sqlite_is_retried_then_reported_and_nothing_is_written(
    app: App, database_url: str
) -> None:
    card = await app.service.open_card(
        await app.service.compare("SmolLM3 vs Mistral Medium 3", HERE), HERE, "C1"
    )
    assert card.card_id is not None
    impatient = create_engine(database_url, busy_timeout=0.05)
    service = ShipService(SqlUnitOfWorkFactory(impatient))
    holder = sqlite3.connect(make_url(database_url).database or "", timeout=1)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable):
            await service.cast_vote(Voter(HERE, "U1"), card.card_id, Side.A, VoteSource.REACTION)
    finally:
        holder.rollback()
        holder.close()
    try:
        assert await service.my_vote(Voter(HERE, "U1"), card.card_id) is None
        outcome = await service.cast_vote(
            Voter(HERE, "U1"), card.card_id, Side.A, VoteSource.REACTION
        )
        assert outcome.changed, "once the lock is gone the same vote goes through"
    finally:
        await impatient.dispose()


@pytest.mark.skipif(backend() != "sqlite", reason="SQLite's read-only mode")
async def test_read_only_sqlite_is_told_once_saying_what_is_wrong(
    app: App, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A permanent fault is not retried four times and then called a passing outage: the person
    hears at once that the database is read-only; nothing is written; reads still work."""
    import logging

    from sqlalchemy import event

    from bot.errors import StoreFault

    card = await app.service.open_card(
        await app.service.compare("SmolLM3 vs Mistral Medium 3", HERE), HERE, "C1"
    )
    assert card.card_id is not None
    read_only = create_engine(database_url)

    def query_only(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA query_only=1")
        cursor.close()

    event.listen(read_only.sync_engine, "connect", query_only)
    service = ShipService(SqlUnitOfWorkFactory(read_only))
    caplog.set_level(logging.INFO)
    try:
        with pytest.raises(StoreFault, match="database is read-only") as caught:
            await service.cast_vote(Voter(HERE, "U1"), card.card_id, Side.A, VoteSource.REACTION)
        assert "try again" not in caught.value.message.lower()
        assert (await service.compare("SmolLM3 vs Mistral Medium 3", HERE)).a.name == "SmolLM3"
    finally:
        await read_only.dispose()
    retried = [r for r in caplog.records if r.getMessage() == "store fault; retrying"]
    told = [r for r in caplog.records if r.getMessage() == "store fault"]
    assert retried == [] and len(told) == 1
    assert await app.service.my_vote(Voter(HERE, "U1"), card.card_id) is None


def test_driver_faults_are_classified_transient_or_permanent() -> None:
    """The drivers' own exceptions, as SQLAlchemy wraps them: a PostgreSQL server starting up,
    shutting down or dropping the connection passes (retried, then "store unavailable"); a full
    disk, a read-only database or a refused permission is told as what it is."""
    import asyncpg
    from sqlalchemy import exc as sa_exc

    from data.unit_of_work import is_transient, permanent_fault

    def wrapped(orig: Exception) -> sa_exc.DBAPIError:
        return sa_exc.DBAPIError.instance("SELECT 1", {}, orig, Exception)

    for passing in (
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle"),
        asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
    ):
        assert is_transient(passing) and is_transient(wrapped(passing)), passing
        assert permanent_fault(wrapped(passing)) is None
    disk = permanent_fault(wrapped(asyncpg.exceptions.DiskFullError("could not extend file")))
    assert disk is not None and "disk" in disk
    assert "read-only" in (
        permanent_fault(wrapped(sqlite3.OperationalError("attempt to write a readonly database")))
        or ""
    )
    assert "disk" in (
        permanent_fault(wrapped(sqlite3.OperationalError("database or disk is full"))) or ""
    )
    denied = asyncpg.exceptions.InsufficientPrivilegeError("permission denied for table votes")
    assert "permission denied" in (permanent_fault(wrapped(denied)) or "")
