"""Posted cards in SQL: which message shows which pair, and each card's refresh window."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Integer,
    Row,
    Select,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.models import (
    Community,
    Lens,
    NamedCard,
    Pair,
    PairCount,
    PairIn,
    PostedCard,
)
from data.schema import (
    CardRow,
    ToolRow,
    UTCDateTime,
    utcnow,
)


class SqlCardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def create(
        self,
        community: Community,
        channel: str,
        tool_a: int,
        tool_b: int,
        lens: Lens | None,
        asked_by: str | None = None,
        closes_at: datetime | None = None,
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
            asked_by=asked_by,
            closes_at=closes_at,
        )
        self._s.add(row)
        await self._s.flush()
        return _card(row)

    async def close(
        self, card_id: int, closed_by: str, closed_at: datetime, final: tuple[int, int]
    ) -> bool:
        result = await self._s.execute(
            update(CardRow)
            .where(CardRow.id == card_id, CardRow.closed_at.is_(None))
            .values(closed_at=closed_at, closed_by=closed_by, final_a=final[0], final_b=final[1])
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def attach_message(self, card_id: int, message_id: str) -> None:
        await self._s.execute(
            update(CardRow).where(CardRow.id == card_id).values(message_id=message_id)
        )

    async def discard(self, card_id: int) -> None:
        await self._s.execute(
            delete(CardRow).where(CardRow.id == card_id, CardRow.message_id.is_(None))
        )

    async def get(self, card_id: int) -> PostedCard | None:
        connection = await self._s.connection()
        row = (await connection.execute(_GET, {"card_id": card_id})).first()
        return _card(row) if row else None

    async def latest(self, community: Community, pair: Pair) -> PostedCard | None:
        row = await self._s.scalar(
            select(CardRow)
            .where(
                CardRow.platform == community.platform,
                CardRow.community == community.id,
                CardRow.tool_low == pair.low,
                CardRow.tool_high == pair.high,
            )
            .order_by(CardRow.id.desc())
            .limit(1)
        )
        return _card(row) if row else None

    async def get_many_with_names(self, card_ids: Sequence[int]) -> dict[int, NamedCard]:
        connection = await self._s.connection()
        rows = await connection.execute(_GET_WITH_NAMES, {"card_ids": list(card_ids)})
        found = {}
        for row in rows:
            card = _card(row)
            found[card.id] = NamedCard(card, {card.tool_a: row.name_a, card.tool_b: row.name_b})
        return found

    async def live_ids(
        self, groups: Sequence[PairIn], since: datetime, limit: int
    ) -> dict[PairIn, list[int]]:
        if not groups:
            return {}
        parameters: dict[str, object] = {"since": since, "limit": limit}
        for n, (community, pair) in enumerate(groups):
            parameters.update(
                {
                    f"platform_{n}": community.platform,
                    f"community_{n}": community.id,
                    f"low_{n}": pair.low,
                    f"high_{n}": pair.high,
                }
            )
        connection = await self._s.connection()
        rows = await connection.execute(_live_ids(len(groups)), parameters)
        live: dict[PairIn, list[int]] = {}
        for card_id, platform, community_id, low, high in rows:
            group = PairIn(Community(platform, community_id), Pair(low, high))
            live.setdefault(group, []).append(card_id)
        return live

    async def by_message(self, platform: str, channel: str, message_id: str) -> PostedCard | None:
        row = await self._s.scalar(
            select(CardRow).where(
                CardRow.platform == platform,
                CardRow.channel == channel,
                CardRow.message_id == message_id,
            )
        )
        return _card(row) if row else None

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
    ) -> list[PairCount]:
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
            PairCount(int(low), int(high), int(n))
            for low, high, n in (await self._s.execute(query)).all()
        ]

    async def compared_with(self, tool_id: int) -> dict[int, int]:
        partner = case((CardRow.tool_low == tool_id, CardRow.tool_high), else_=CardRow.tool_low)
        query = (
            select(partner, func.count())
            .where(or_(CardRow.tool_low == tool_id, CardRow.tool_high == tool_id))
            .group_by(partner)
        )
        return {int(other): int(n) for other, n in (await self._s.execute(query)).all()}


# The vote path's statements, built once and run on the session's connection: plain rows, no
# ORM objects or identity map, so a vote costs a few cheap round trips.
_COLUMNS = (
    CardRow.id,
    CardRow.platform,
    CardRow.community,
    CardRow.channel,
    CardRow.tool_a,
    CardRow.tool_b,
    CardRow.message_id,
    CardRow.lens,
    CardRow.created_at,
    CardRow.asked_by,
    CardRow.closes_at,
    CardRow.closed_at,
    CardRow.closed_by,
    CardRow.final_a,
    CardRow.final_b,
)
_GET = select(*_COLUMNS).where(CardRow.id == bindparam("card_id"))
_TOOL_A, _TOOL_B = aliased(ToolRow), aliased(ToolRow)
_GET_WITH_NAMES = (
    select(*_COLUMNS, _TOOL_A.name.label("name_a"), _TOOL_B.name.label("name_b"))
    .join(_TOOL_A, _TOOL_A.id == CardRow.tool_a)
    .join(_TOOL_B, _TOOL_B.id == CardRow.tool_b)
    .where(CardRow.id.in_(bindparam("card_ids", expanding=True)))
)
_GROUP = (CardRow.platform, CardRow.community, CardRow.tool_low, CardRow.tool_high)


@functools.cache
def _live_ids(groups: int) -> CompoundSelect[Any] | Select[Any]:
    """The newest posted cards of each of ``groups`` pairs, newest first: one range of
    ``ix_cards_pair`` per pair."""
    selects = [
        select(CardRow.id, *_GROUP)
        .where(
            CardRow.platform == bindparam(f"platform_{n}"),
            CardRow.community == bindparam(f"community_{n}"),
            CardRow.tool_low == bindparam(f"low_{n}"),
            CardRow.tool_high == bindparam(f"high_{n}"),
            CardRow.created_at >= bindparam("since", type_=UTCDateTime),
            CardRow.message_id.is_not(None),
        )
        .order_by(CardRow.id.desc())
        .limit(bindparam("limit", type_=Integer))
        for n in range(groups)
    ]
    if groups == 1:
        return selects[0]
    return union_all(*(query.subquery().select() for query in selects))


def _card(row: CardRow | Row[Any]) -> PostedCard:
    """A card from its ORM row or from a plain row of the same columns (the vote path)."""
    return PostedCard(
        id=row.id,
        community=Community(platform=row.platform, id=row.community),
        channel=row.channel,
        tool_a=row.tool_a,
        tool_b=row.tool_b,
        message_id=row.message_id,
        lens=Lens(row.lens) if row.lens else None,
        created_at=row.created_at,
        asked_by=row.asked_by,
        closes_at=row.closes_at,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        final=None if row.final_a is None else (row.final_a, row.final_b or 0),
    )
