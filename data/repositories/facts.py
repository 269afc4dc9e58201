"""Reading a tool's sourced facts and offerings (``tool_facts``, ``offerings``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.facts import CatalogChange, Fact, FactKey, Offering, Price, ToolFacts
from data.schema import CatalogChangeRow, OfferingRow, ToolFactRow, ToolRow


class SqlFactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def for_tools(self, tool_ids: Sequence[int]) -> dict[int, ToolFacts]:
        """Every fact and offering of these tools (a tool with none maps to empty facts)."""
        ids = list(dict.fromkeys(tool_ids))
        facts: dict[int, list[Fact]] = {tid: [] for tid in ids}
        rows = await self._s.execute(
            select(
                ToolFactRow.tool_id,
                ToolFactRow.key,
                ToolFactRow.value,
                ToolFactRow.source,
                ToolFactRow.as_of,
                ToolFactRow.source_url,
                ToolFactRow.pinned,
            ).where(ToolFactRow.tool_id.in_(ids))
        )
        for tid, key, value, source, as_of, url, pinned in rows:
            if key in FactKey._value2member_map_:
                facts[tid].append(
                    Fact(
                        key=FactKey(key),
                        value=value,
                        source=source,
                        as_of=as_of,
                        source_url=url,
                        pinned=bool(pinned),
                    )
                )
        offers: dict[int, list[OfferingRow]] = {tid: [] for tid in ids}
        for row in await self._s.scalars(select(OfferingRow).where(OfferingRow.tool_id.in_(ids))):
            offers[row.tool_id].append(row)
        return {
            tid: ToolFacts(
                facts=tuple(
                    sorted(facts[tid], key=lambda f: (list(FactKey).index(f.key), f.source))
                ),
                offerings=tuple(
                    offering_of(row)
                    for row in sorted(
                        offers[tid], key=lambda r: (not r.official, r.provider, r.source)
                    )
                ),
            )
            for tid in ids
        }

    async def changes_between(
        self, since: datetime, until: datetime, tool_ids: Sequence[int]
    ) -> list[CatalogChange]:
        if not tool_ids:
            return []
        rows = await self._s.execute(
            select(
                ToolRow.name,
                CatalogChangeRow.kind,
                CatalogChangeRow.detail,
                CatalogChangeRow.created_at,
            )
            .join(ToolRow, ToolRow.id == CatalogChangeRow.tool_id)
            .where(
                CatalogChangeRow.created_at >= since,
                CatalogChangeRow.created_at < until,
                CatalogChangeRow.tool_id.in_(list(tool_ids)),
            )
            .order_by(CatalogChangeRow.created_at, CatalogChangeRow.id)
        )
        return [CatalogChange(name, kind, detail, at) for name, kind, detail, at in rows]


def offering_of(row: Any) -> Offering:
    """An ``Offering`` from an ``offerings`` row (ORM or plain)."""
    return Offering(
        provider=row.provider,
        provider_name=row.provider_name,
        model_id=row.model_id,
        price=Price(
            input=row.input_per_m,
            output=row.output_per_m,
            cache_read=row.cache_read_per_m,
            cache_write=row.cache_write_per_m,
        ),
        source=row.source,
        as_of=row.as_of,
        context=row.context,
        official=bool(row.official),
        source_url=row.source_url,
    )
