"""The unit of work: one session, one transaction, six repositories."""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType

from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.errors import StoreFault, TransientStoreError
from data.community_repositories import SqlMetaRepository, SqlSubscriptionRepository
from data.repositories import (
    SqlCardRepository,
    SqlFactRepository,
    SqlReviewRepository,
    SqlToolRepository,
    SqlVoteRepository,
    SqlWelcomeRepository,
)

log = logging.getLogger(__name__)


class SqlUnitOfWork:
    """``async with uow: …; await uow.commit()``; anything not committed is rolled back."""

    tools: SqlToolRepository
    facts: SqlFactRepository
    cards: SqlCardRepository
    votes: SqlVoteRepository
    subscriptions: SqlSubscriptionRepository
    meta: SqlMetaRepository
    reviews: SqlReviewRepository
    welcomes: SqlWelcomeRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        self._session = self._sessions()
        self.tools = SqlToolRepository(self._session)
        self.facts = SqlFactRepository(self._session)
        self.cards = SqlCardRepository(self._session)
        self.votes = SqlVoteRepository(self._session)
        self.subscriptions = SqlSubscriptionRepository(self._session)
        self.meta = SqlMetaRepository(self._session)
        self.reviews = SqlReviewRepository(self._session)
        self.welcomes = SqlWelcomeRepository(self._session)
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
        if exc is None or isinstance(exc, (TransientStoreError, StoreFault)):
            return
        fault = permanent_fault(exc)
        if fault is not None:
            log.error("store fault", extra={"fault": fault, "error": repr(exc)})
            raise StoreFault(fault) from exc
        if is_transient(exc):
            raise TransientStoreError(str(exc)) from exc

    async def commit(self) -> None:
        assert self._session is not None
        await self._session.commit()


_PERMANENT = (
    (
        ("readonly database", "read-only", "read_only_sql_transaction"),
        ("25006",),
        "shipbot's database is read-only (the SQLite file or its folder can't be written, or "
        "the PostgreSQL server is read-only), so nothing was changed. The operator needs to fix "
        "its permissions or mode.",
    ),
    (
        ("disk is full", "disk full", "no space left"),
        ("53100",),
        "The disk under shipbot's database is full, so nothing was changed. The operator needs "
        "to free space.",
    ),
    (
        ("permission denied", "unable to open database file", "insufficient privilege"),
        ("42501",),
        "shipbot isn't allowed to use its database (permission denied), so nothing was "
        "changed. The operator needs to grant access.",
    ),
)

# PostgreSQL error classes that pass: connection exceptions (08…), the server shutting down,
# crashed or starting up (57P01–57P03), too many clients (53300), serialization failures and
# deadlocks (40001, 40P01).
_TRANSIENT_STATES = ("08", "57P01", "57P02", "57P03", "53300", "40001", "40P01")


def _chain(error: BaseException) -> list[BaseException]:
    """The error, the driver's original (SQLAlchemy's ``orig``) and their causes."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        item = todo.pop()
        if item is None or any(item is s for s in seen) or len(seen) > 10:
            continue
        seen.append(item)
        orig = getattr(item, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None, item.__cause__]
    return seen


def _sqlstate(error: BaseException) -> str:
    state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    return state if isinstance(state, str) else ""


def permanent_fault(error: BaseException) -> str | None:
    """What is wrong, in words for the person who asked, when the store refuses for a reason
    retrying won't cure (read-only, disk full, no permission); None otherwise."""
    for item in _chain(error):
        text, state = str(item).lower(), _sqlstate(item)
        for words, states, message in _PERMANENT:
            if state in states or any(word in text for word in words):
                return message
    return None


def is_transient(error: BaseException) -> bool:
    """Failures that may pass: the server is unreachable or restarting, the connection dropped,
    SQLite is locked by another writer, the pool had no connection to give, or PostgreSQL broke a
    deadlock by aborting this transaction (running it again succeeds)."""
    if isinstance(error, (ConnectionError, OSError, asyncio.TimeoutError, sa_exc.TimeoutError)):
        return True
    for item in _chain(error):
        state = _sqlstate(item)
        if state and state.startswith(_TRANSIENT_STATES):
            return True
        if type(item).__module__.startswith("asyncpg") and isinstance(
            item, (ConnectionError, OSError)
        ):
            return True
        if type(item).__name__ in _ASYNCPG_CONNECTION_ERRORS:
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


_ASYNCPG_CONNECTION_ERRORS = {
    "ConnectionDoesNotExistError",  # the server closed the connection mid-query
    "InterfaceError",  # e.g. "connection is closed" / "another operation is in progress"
    "CannotConnectNowError",
    "ConnectionFailureError",
    "AdminShutdownError",
    "CrashShutdownError",
    "TooManyConnectionsError",
}


class SqlUnitOfWorkFactory:
    """Makes a fresh unit of work per use case; holds the engine's session factory."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions)
