"""Posted cards in SQL: which message shows which pair, and each card's refresh window."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import (
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Community,
    Lens,
    Pair,
    PostedCard,
)
from data.schema import (
    CardRow,
    utcnow,
)


class SqlCardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def create(
        self, community: Community, channel: str, tool_a: int, tool_b: int, lens: Lens | None
    ) -> PostedCard:
        pair = Pair.of(tool_a, tool_b)
        row = CardRow(
            platform=community.platform,
            community=community.id,
            channel=channel,
            tool_a=tool_a,
            tool_b=tool_b,
            tool_low=pair.low,
            tool_high=pair.high,
            lens=lens.value if lens else None,
            created_at=utcnow(),
        )
        self._s.add(row)
        await self._s.flush()
        return _card(row)

    async def attach_message(self, card_id: int, message_id: str) -> None:
        await self._s.execute(
            update(CardRow).where(CardRow.id == card_id).values(message_id=message_id)
        )

    async def discard(self, card_id: int) -> None:
        await self._s.execute(
            delete(CardRow).where(CardRow.id == card_id, CardRow.message_id.is_(None))
        )

    async def get(self, card_id: int) -> PostedCard | None:
        row = await self._s.get(CardRow, card_id)
        return _card(row) if row else None

    async def by_message(self, platform: str, channel: str, message_id: str) -> PostedCard | None:
        row = await self._s.scalar(
            select(CardRow).where(
                CardRow.platform == platform,
                CardRow.channel == channel,
                CardRow.message_id == message_id,
            )
        )
        return _card(row) if row else None

    async def for_pair(self, community: Community, pair: Pair, since: datetime) -> list[PostedCard]:
        rows = await self._s.scalars(
            select(CardRow).where(
                CardRow.platform == community.platform,
                CardRow.community == community.id,
                CardRow.tool_low == pair.low,
                CardRow.tool_high == pair.high,
                CardRow.created_at >= since,
            )
        )
        return [_card(row) for row in rows]

    async def recent(self, platform: str, since: datetime) -> list[PostedCard]:
        rows = await self._s.scalars(
            select(CardRow)
            .where(
                CardRow.platform == platform,
                CardRow.created_at >= since,
                CardRow.message_id.is_not(None),
            )
            .order_by(CardRow.id)
        )
        return [_card(row) for row in rows]

    async def claim_refresh(
        self, card_id: int, now: datetime, interval: timedelta
    ) -> datetime | None:
        # One conditional UPDATE: atomic on SQLite and PostgreSQL alike, so two processes can't
        # both take the same window.
        result = await self._s.execute(
            update(CardRow)
            .where(
                CardRow.id == card_id,
                or_(CardRow.refresh_after.is_(None), CardRow.refresh_after <= now),
            )
            .values(refresh_after=now + interval)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            return None
        held: datetime | None = await self._s.scalar(
            select(CardRow.refresh_after).where(CardRow.id == card_id)
        )
        return held

    async def pair_counts(
        self, community: Community | None, since: datetime, until: datetime
    ) -> list[tuple[int, int, int]]:
        query = select(CardRow.tool_low, CardRow.tool_high, func.count().label("n")).where(
            CardRow.created_at >= since, CardRow.created_at < until
        )
        if community is not None:
            query = query.where(
                CardRow.platform == community.platform, CardRow.community == community.id
            )
        query = query.group_by(CardRow.tool_low, CardRow.tool_high).order_by(
            func.count().desc(), CardRow.tool_low, CardRow.tool_high
        )
        return [
            (int(low), int(high), int(n)) for low, high, n in (await self._s.execute(query)).all()
        ]


def _card(row: CardRow) -> PostedCard:
    return PostedCard(
        id=row.id,
        community=Community(platform=row.platform, id=row.community),
        channel=row.channel,
        tool_a=row.tool_a,
        tool_b=row.tool_b,
        message_id=row.message_id,
        lens=Lens(row.lens) if row.lens else None,
        created_at=row.created_at,
    )
