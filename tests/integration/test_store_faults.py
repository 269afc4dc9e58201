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
