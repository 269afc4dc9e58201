"""The unit of work: one session, one transaction, three repositories."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from data.community_repositories import SqlMetaRepository, SqlSubscriptionRepository
from data.repositories import SqlCardRepository, SqlToolRepository, SqlVoteRepository


class SqlUnitOfWork:
    """``async with uow: …; await uow.commit()``; anything not committed is rolled back."""

    tools: SqlToolRepository
    cards: SqlCardRepository
    votes: SqlVoteRepository
    subscriptions: SqlSubscriptionRepository
    meta: SqlMetaRepository

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
        finally:
            await self._session.close()
            self._session = None

    async def commit(self) -> None:
        assert self._session is not None
        await self._session.commit()


class SqlUnitOfWorkFactory:
    """Makes a fresh unit of work per use case; holds the engine's session factory."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._sessions)
