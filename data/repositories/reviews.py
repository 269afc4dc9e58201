"""Review drafts in SQL: the approval queue, decisions, edits, and which lenses are covered."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Lens, ReviewKind, Verdict
from bot.panel.models import DraftStatus, NewDraft, QueuedReview, QueuePage, Receipt, Usage
from data.schema import ReviewRow, ToolRow, utcnow


class SqlReviewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, draft: NewDraft) -> int:
        now = utcnow()
        receipt = draft.receipt
        row = ReviewRow(
            tool_id=draft.tool_id,
            lens=draft.lens.value,
            verdict=draft.verdict.value,
            quote=draft.quote,
            reviewer=draft.author,
            created_by=draft.author or (receipt.model if receipt else ""),
            created_at=now,
            kind=draft.kind.value,
            status=draft.status.value,
            author=draft.author,
            author_id=draft.author_id,
            provider=receipt.provider if receipt else "",
            model=receipt.model if receipt else "",
            prompt_version=receipt.prompt_version if receipt else "",
            prompt_tokens=receipt.usage.prompt_tokens if receipt else 0,
            completion_tokens=receipt.usage.completion_tokens if receipt else 0,
            facts=json.dumps(list(receipt.facts) if receipt else [], ensure_ascii=False),
            flags=json.dumps(list(draft.flags), ensure_ascii=False),
            decided_by=draft.decided_by,
            decided_at=now if draft.status is not DraftStatus.QUEUED else None,
        )
        self._s.add(row)
        await self._s.flush()
        return row.id

    async def queued(self, limit: int, offset: int = 0) -> QueuePage:
        where = ReviewRow.status == DraftStatus.QUEUED.value
        total = await self._s.scalar(select(func.count()).select_from(ReviewRow).where(where))
        rows = await self._s.execute(
            select(ReviewRow, ToolRow.name)
            .join(ToolRow, ToolRow.id == ReviewRow.tool_id)
            .where(where)
            .order_by(ReviewRow.created_at, ReviewRow.id)
            .limit(limit)
            .offset(offset)
        )
        items = tuple(queued_review(row, name) for row, name in rows.all())
        return QueuePage(items=items, total=int(total or 0), offset=offset)

    async def get_many(self, ids: Sequence[int]) -> list[QueuedReview]:
        rows = await self._s.execute(
            select(ReviewRow, ToolRow.name)
            .join(ToolRow, ToolRow.id == ReviewRow.tool_id)
            .where(ReviewRow.id.in_(list(ids)))
            .order_by(ReviewRow.id)
        )
        return [queued_review(row, name) for row, name in rows.all()]

    async def decide(
        self, ids: Sequence[int], status: DraftStatus, actor: str, now: datetime
    ) -> list[int]:
        """Approve or reject those of ``ids`` still queued; returns the ids changed."""
        result = await self._s.execute(
            update(ReviewRow)
            .where(ReviewRow.id.in_(list(ids)), ReviewRow.status == DraftStatus.QUEUED.value)
            .values(status=status.value, decided_by=actor, decided_at=now)
            .returning(ReviewRow.id)
        )
        return sorted(result.scalars().all())

    async def edit(
        self, review_id: int, verdict: Verdict, quote: str, flags: Sequence[str]
    ) -> bool:
        result = await self._s.execute(
            update(ReviewRow)
            .where(ReviewRow.id == review_id, ReviewRow.status == DraftStatus.QUEUED.value)
            .values(
                verdict=verdict.value,
                quote=quote,
                flags=json.dumps(list(flags), ensure_ascii=False),
            )
            .returning(ReviewRow.id)
        )
        return result.scalar() is not None

    async def covered_lenses(self) -> dict[int, set[Lens]]:
        """Per tool, the lenses that have an approved review or a draft waiting."""
        rows = await self._s.execute(
            select(ReviewRow.tool_id, ReviewRow.lens)
            .where(ReviewRow.status.in_([DraftStatus.QUEUED.value, DraftStatus.APPROVED.value]))
            .distinct()
        )
        covered: dict[int, set[Lens]] = {}
        for tool_id, lens in rows.all():
            covered.setdefault(tool_id, set()).add(Lens(lens))
        return covered


def queued_review(row: ReviewRow, tool_name: str) -> QueuedReview:
    kind = ReviewKind(row.kind)
    receipt = None
    if kind is ReviewKind.AI_DRAFT:
        receipt = Receipt(
            provider=row.provider,
            model=row.model,
            prompt_version=row.prompt_version,
            usage=Usage(row.prompt_tokens, row.completion_tokens),
            facts=tuple(json.loads(row.facts or "[]")),
        )
    return QueuedReview(
        id=row.id,
        tool_id=row.tool_id,
        tool_name=tool_name,
        lens=Lens(row.lens),
        verdict=Verdict(row.verdict),
        quote=row.quote,
        kind=kind,
        status=DraftStatus(row.status),
        created_at=row.created_at,
        author=row.author,
        receipt=receipt,
        flags=tuple(json.loads(row.flags or "[]")),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )
