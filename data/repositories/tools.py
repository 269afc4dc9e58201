"""The catalog in SQL: tools, their aliases and reviews, and the catalog revision."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from bot.errors import Conflict, NotFoundError
from bot.matching import normalize
from bot.models import (
    EDITORIAL,
    Community,
    Entry,
    Lens,
    Provenance,
    Review,
    ReviewKind,
    Tool,
    ToolDraft,
    ToolEdit,
    ToolNames,
    ToolProfile,
    ToolSuggestion,
    ToolUsage,
    Verdict,
    profile_values,
)
from data.schema import (
    AliasRow,
    CardRow,
    CatalogMeta,
    CatalogNameRow,
    ReviewRow,
    ToolRow,
    ToolSuggestionRow,
    VoteRow,
    utcnow,
)


class SqlToolRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def names_and_aliases(self) -> list[ToolNames]:
        active = ToolRow.archived_at.is_(None)
        names = (
            await self._s.execute(
                select(ToolRow.id, ToolRow.name).where(active).order_by(ToolRow.id)
            )
        ).all()
        aliases: dict[int, list[str]] = {}
        alias_rows = select(AliasRow.tool_id, AliasRow.alias).join(ToolRow).where(active)
        for tool_id, alias in await self._s.execute(alias_rows):
            aliases.setdefault(tool_id, []).append(alias)
        return [ToolNames(name, aliases.get(tool_id, [])) for tool_id, name in names]

    async def written_names(self) -> set[str]:
        query = select(ToolRow.name).where(ToolRow.created_by != "sync")
        return set((await self._s.scalars(query)).all())

    async def revision(self) -> int:
        value = await self._s.scalar(select(CatalogMeta.revision).where(CatalogMeta.id == 1))
        return int(value or 0)

    async def get_by_name(self, name: str) -> Tool | None:
        return await self._one(ToolRow.normalized == normalize(name))

    async def get_many_by_name(self, names: Sequence[str]) -> dict[str, Tool]:
        query = select(ToolRow).options(joinedload(ToolRow.aliases), joinedload(ToolRow.reviews))
        keys = [normalize(name) for name in names]
        rows = (await self._s.scalars(query.where(ToolRow.normalized.in_(keys)))).unique()
        return {row.name: _tool(row) for row in rows}

    async def get_many_by_slug(self, slugs: Sequence[str]) -> dict[str, Tool]:
        query = select(ToolRow).options(joinedload(ToolRow.aliases), joinedload(ToolRow.reviews))
        rows = (await self._s.scalars(query.where(ToolRow.slug.in_(list(slugs))))).unique()
        return {row.slug: _tool(row) for row in rows}

    async def get(self, tool_id: int) -> Tool | None:
        return await self._one(ToolRow.id == tool_id)

    async def _one(self, condition: ColumnElement[bool]) -> Tool | None:
        """One tool with its aliases and reviews in a single round trip (joined, not the three
        queries of ``selectinload``): every compare and every vote looks tools up this way."""
        query = select(ToolRow).options(joinedload(ToolRow.aliases), joinedload(ToolRow.reviews))
        row = (await self._s.scalars(query.where(condition))).unique().first()
        return _tool(row) if row else None

    async def categories(self) -> list[str]:
        rows = await self._s.scalars(select(ToolRow.category).distinct().order_by(ToolRow.category))
        return list(rows.all())

    async def list_all(self, category: str | None = None) -> list[Tool]:
        query = self._query().where(ToolRow.archived_at.is_(None)).order_by(ToolRow.name)
        if category:
            query = query.where(func.lower(ToolRow.category) == category.strip().lower())
        return [_tool(row) for row in (await self._s.scalars(query)).all()]

    async def add(self, draft: ToolDraft, actor: str) -> Tool:
        now = utcnow()
        row = ToolRow(
            **_columns(draft),
            slug=await self._free_slug(draft.name),
            normalized=normalize(draft.name),
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        seen = {row.normalized}
        for alias in draft.aliases:
            key = normalize(alias)
            if key and key not in seen:
                seen.add(key)
                row.aliases.append(AliasRow(alias=alias, normalized=key))
        for review in draft.reviews:
            row.reviews.append(_review_row(review, actor))
        self._s.add(row)
        await self._flush(f"'{draft.name}' or one of its aliases is already in the catalog.")
        await self._bump()
        tool = await self.get(row.id)
        assert tool is not None
        return tool

    async def update(self, tool_id: int, edit: ToolEdit, actor: str) -> Tool:
        row = await self._s.get(ToolRow, tool_id)
        if row is None:
            raise NotFoundError("That tool is no longer in the catalog.")
        for field, value in _columns(edit.profile).items():
            if field in edit.fields:
                setattr(row, field, value)
        if "name" in edit.fields:
            row.normalized = normalize(edit.profile.name)
        row.synced = False  # an admin wrote this text: catalog sync leaves it alone from now on
        row.updated_at = utcnow()
        await self._flush(f"'{row.name}' is already in the catalog.")
        await self._bump()
        self._s.expire(row)
        tool = await self.get(tool_id)
        assert tool is not None
        return tool

    async def remove(self, tool_id: int) -> None:
        """Delete a tool and (by cascade) its votes and cards. Only for tests and repairs: the
        catalog service archives instead."""
        await self._s.execute(delete(ToolRow).where(ToolRow.id == tool_id))
        await self._bump()

    async def archive(self, tool_id: int, actor: str) -> None:
        await self._s.execute(
            update(ToolRow)
            .where(ToolRow.id == tool_id)
            .values(archived_at=utcnow(), archived_by=actor, updated_at=utcnow())
        )
        await self._bump()

    async def restore(self, tool_id: int) -> None:
        await self._s.execute(
            update(ToolRow)
            .where(ToolRow.id == tool_id)
            .values(archived_at=None, archived_by="", updated_at=utcnow())
        )
        await self._bump()

    async def archived_by_name(self, name: str) -> Tool | None:
        """The archived tool whose name or alias is exactly ``name`` (after normalizing)."""
        key = normalize(name)
        owner = select(CatalogNameRow.tool_id).where(CatalogNameRow.normalized == key)
        return await self._one((ToolRow.id.in_(owner)) & ToolRow.archived_at.is_not(None))

    async def usage(self, tool_id: int) -> ToolUsage:
        on_tool = (VoteRow.tool_low == tool_id) | (VoteRow.tool_high == tool_id)
        votes = await self._s.scalar(select(func.count()).select_from(VoteRow).where(on_tool))
        places = select(VoteRow.platform, VoteRow.community).where(on_tool).distinct()
        communities = await self._s.scalar(select(func.count()).select_from(places.subquery()))
        cards = await self._s.scalar(
            select(func.count())
            .select_from(CardRow)
            .where(
                (CardRow.tool_low == tool_id) | (CardRow.tool_high == tool_id),
                CardRow.message_id.is_not(None),
            )
        )
        return ToolUsage(votes=votes or 0, communities=communities or 0, cards=cards or 0)

    async def suggest(
        self, community: Community, name: str, note: str, actor: str
    ) -> ToolSuggestion:
        row = ToolSuggestionRow(
            platform=community.platform,
            community=community.id,
            name=name,
            note=note,
            created_by=actor,
            created_at=utcnow(),
        )
        self._s.add(row)
        await self._s.flush()
        return _suggestion(row)

    async def suggestions(self, limit: int = 100) -> list[ToolSuggestion]:
        rows = await self._s.scalars(
            select(ToolSuggestionRow).order_by(ToolSuggestionRow.id.desc()).limit(limit)
        )
        return [_suggestion(row) for row in rows]

    async def add_alias(self, tool_id: int, alias: str) -> None:
        self._s.add(AliasRow(tool_id=tool_id, alias=alias, normalized=normalize(alias)))
        await self._flush(f"The alias '{alias}' is already taken.")
        await self._bump()
        self._s.expire_all()  # the tool's loaded aliases are stale now

    async def drop_alias(self, tool_id: int, alias: str) -> None:
        await self._s.execute(
            delete(AliasRow).where(
                AliasRow.tool_id == tool_id, AliasRow.normalized == normalize(alias)
            )
        )
        self._s.expire_all()

    async def owners(self, labels: Sequence[str]) -> dict[str, str]:
        keys = sorted({normalize(label) for label in labels} - {""})
        found: dict[str, str] = {}
        for start in range(0, len(keys), 500):
            rows = await self._s.execute(
                select(CatalogNameRow.normalized, ToolRow.name)
                .join(ToolRow, ToolRow.id == CatalogNameRow.tool_id)
                .where(CatalogNameRow.normalized.in_(keys[start : start + 500]))
            )
            found.update({key: name for key, name in rows.all()})
        return found

    async def alias_owner(self, alias: str) -> str | None:
        key = normalize(alias)
        by_name = await self._s.scalar(select(ToolRow.name).where(ToolRow.normalized == key))
        if by_name:
            return by_name
        owner: str | None = await self._s.scalar(
            select(ToolRow.name)
            .join(AliasRow, AliasRow.tool_id == ToolRow.id)
            .where(AliasRow.normalized == key)
        )
        return owner

    async def added_between(self, since: datetime, until: datetime) -> list[Tool]:
        rows = await self._s.scalars(
            self._query()
            .where(
                ToolRow.created_at >= since,
                ToolRow.created_at < until,
                ToolRow.created_by.not_in(("seed", "sync")),  # bundled and synced: not news
                ToolRow.archived_at.is_(None),
            )
            .order_by(ToolRow.created_at)
        )
        return [_tool(row) for row in rows]

    async def put_review(self, tool_id: int, review: Review, actor: str) -> None:
        """An editorial review replaces the lens's current one if that is editorial too; over an
        AI draft or member take it is added, and becomes the newest (the other stays history)."""
        current = await self._s.scalars(
            select(ReviewRow).where(
                ReviewRow.tool_id == tool_id,
                ReviewRow.lens == review.lens.value,
                ReviewRow.status == "approved",
            )
        )
        newest = max(current.all(), key=_published, default=None)
        existing = newest if newest is not None and newest.kind == "editorial" else None
        if existing is None:
            row = _review_row(review, actor)
            row.tool_id = tool_id
            self._s.add(row)
        else:
            existing.verdict = review.verdict.value
            existing.quote = review.quote
            existing.reviewer = review.reviewer
            existing.created_by = actor
            existing.created_at = utcnow()
        await self._s.flush()

    def _query(self) -> Select[tuple[ToolRow]]:
        return select(ToolRow).options(selectinload(ToolRow.aliases), selectinload(ToolRow.reviews))

    async def _bump(self) -> None:
        await self._s.execute(
            update(CatalogMeta).where(CatalogMeta.id == 1).values(revision=CatalogMeta.revision + 1)
        )

    async def _flush(self, conflict: str) -> None:
        try:
            await self._s.flush()
        except IntegrityError:
            raise Conflict(conflict) from None

    async def _free_slug(self, name: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", normalize(name).lower()).strip("-")[:100] or "tool"
        slug, n = base, 1
        while await self._s.scalar(select(ToolRow.id).where(ToolRow.slug == slug)) is not None:
            n += 1
            slug = f"{base}-{n}"
        return slug


def _columns(profile: ToolProfile) -> dict[str, object]:
    """A profile as ``tools`` columns (the columns carry the profile fields' names)."""
    values = profile_values(profile)
    values["entry"] = profile.entry.value
    return values


def _profile(row: ToolRow) -> dict[str, Any]:
    values = profile_values(row)
    values["entry"] = Entry(row.entry)
    return values


def _tool(row: ToolRow) -> Tool:
    panel, history = _panel(row.reviews)
    return Tool(
        **_profile(row),
        id=row.id,
        slug=row.slug,
        aliases=tuple(a.alias for a in row.aliases),
        reviews=tuple(_review(r) for r in panel),
        history=tuple(_review(r) for r in sorted(history, key=_published, reverse=True)),
        archived=row.archived_at is not None,
    )


def _suggestion(row: ToolSuggestionRow) -> ToolSuggestion:
    return ToolSuggestion(
        id=row.id,
        community=Community(row.platform, row.community),
        name=row.name,
        note=row.note,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def _panel(rows: list[ReviewRow]) -> tuple[list[ReviewRow], list[ReviewRow]]:
    """The newest approved review of each lens (in lens order), and the older approved ones."""
    newest: dict[str, ReviewRow] = {}
    history: list[ReviewRow] = []
    for r in sorted((r for r in rows if r.status == "approved"), key=_published, reverse=True):
        if r.lens in newest:
            history.append(r)
        else:
            newest[r.lens] = r
    order = list(Lens)
    return sorted(newest.values(), key=lambda r: order.index(Lens(r.lens))), history


def _published(row: ReviewRow) -> tuple[datetime, int]:
    """When a review reached the card: its approval, or its writing for editorial ones."""
    return (row.decided_at or row.created_at, row.id)


def _review(row: ReviewRow) -> Review:
    kind = ReviewKind(row.kind)
    provenance = (
        EDITORIAL
        if kind is ReviewKind.EDITORIAL
        else Provenance(
            kind=kind,
            author=row.author,
            model=row.model,
            approved_by=row.decided_by,
            approved_at=row.decided_at,
        )
    )
    return Review(
        lens=Lens(row.lens),
        verdict=Verdict(row.verdict),
        quote=row.quote,
        reviewer=row.reviewer,
        provenance=provenance,
    )


def _review_row(review: Review, actor: str) -> ReviewRow:
    return ReviewRow(
        lens=review.lens.value,
        verdict=review.verdict.value,
        quote=review.quote,
        reviewer=review.reviewer,
        created_by=actor,
        created_at=utcnow(),
    )
