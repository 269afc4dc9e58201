"""SQL implementation of ``bot.ports.WelcomeRepository``: which communities were welcomed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Community
from data.schema import WelcomeRow


class SqlWelcomeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def claim(self, community: Community, at: datetime) -> bool:
        """Record the welcome of ``community``; False when it was already welcomed (also by
        another process at the same moment: ``ON CONFLICT DO NOTHING`` on the primary key)."""
        connection = await self._s.connection()
        dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
        statement = (
            dialect.insert(WelcomeRow)
            .values(platform=community.platform, community_id=community.id, welcomed_at=at)
            .on_conflict_do_nothing(index_elements=["platform", "community_id"])
        )
        result = await connection.execute(statement)
        return bool(result.rowcount)
