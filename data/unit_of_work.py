"""The unit of work: one session, one transaction, six repositories."""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType

from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.errors import TransientStoreError
from data.community_repositories import SqlMetaRepository, SqlSubscriptionRepository
from data.repositories import (
    SqlCardRepository,
    SqlReviewRepository,
    SqlToolRepository,
    SqlVoteRepository,
)

log = logging.getLogger(__name__)


class SqlUnitOfWork:
    """``async with uow: …; await uow.commit()``; anything not committed is rolled back."""

    tools: SqlToolRepository
    cards: SqlCardRepository
    votes: SqlVoteRepository
    subscriptions: SqlSubscriptionRepository
    meta: SqlMetaRepository
    reviews: SqlReviewRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        self._session = self._sessions()
        self.tools = SqlToolRepository(self._session)
        self.cards = SqlCardRepository(self._session)
        self.votes = SqlVoteRepository(self._session)
        self.subscriptions = SqlSubscriptionRepository(self._session)
        self.meta = SqlMetaRepository(self._session)
        self.reviews = SqlReviewRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            await self._session.rollback()
        except Exception:  # the connection may be gone: that is the error being reported
            log.debug("rollback failed", exc_info=True)
        finally:
            try:
                await self._session.close()
            except Exception:
                log.debug("session close failed", exc_info=True)
            self._session = None
        if exc is not None and is_transient(exc):
            raise TransientStoreError(str(exc)) from exc

    async def commit(self) -> None:
        assert self._session is not None
        await self._session.commit()


def is_transient(error: BaseException) -> bool:
    """Failures that may pass: the server is unreachable or restarting, the connection dropped,
    SQLite is locked by another writer, the pool had no connection to give, or PostgreSQL broke a
    deadlock by aborting this transaction (running it again succeeds)."""
    if isinstance(error, (ConnectionError, OSError, asyncio.TimeoutError, sa_exc.TimeoutError)):
        return True
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            return True
        text = str(error.orig).lower()
        return any(
            word in text
            for word in (
                "cannot connect",
                "connection",
                "locked",
                "shutting down",
                "deadlock detected",  # PostgreSQL aborted one of two waiting transactions
            )
        )
    return False


class SqlUnitOfWorkFactory:
    """Makes a fresh unit of work per use case; holds the engine's session factory."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions)
