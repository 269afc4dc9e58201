"""SQL implementations of the core's repository ports (``bot.ports``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache
from typing import cast

from sqlalchemy import (
    ColumnElement,
    Insert,
    Integer,
    ScalarSelect,
    Select,
    Table,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased, joinedload, selectinload

from bot.errors import Conflict, NotFoundError
from bot.matching import normalize
from bot.models import (
    Community,
    Entry,
    Lens,
    Pair,
    PairTally,
    PostedCard,
    Review,
    Tool,
    ToolDraft,
    Verdict,
    VoteRecord,
    VoteSource,
)
from data.schema import (
    AliasRow,
    CardRow,
    CatalogMeta,
    ProcessedEvent,
    ReviewRow,
    ToolRow,
    UTCDateTime,
    VoteRow,
    utcnow,
)


class SqlToolRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def names_and_aliases(self) -> list[tuple[str, list[str]]]:
        names = (await self._s.execute(select(ToolRow.id, ToolRow.name).order_by(ToolRow.id))).all()
        aliases: dict[int, list[str]] = {}
        for tool_id, alias in await self._s.execute(select(AliasRow.tool_id, AliasRow.alias)):
            aliases.setdefault(tool_id, []).append(alias)
        return [(name, aliases.get(tool_id, [])) for tool_id, name in names]

    async def revision(self) -> int:
        value = await self._s.scalar(select(CatalogMeta.revision).where(CatalogMeta.id == 1))
        return int(value or 0)

    async def get_by_name(self, name: str) -> Tool | None:
        return await self._one(ToolRow.normalized == normalize(name))

    async def get(self, tool_id: int) -> Tool | None:
        return await self._one(ToolRow.id == tool_id)

    async def _one(self, condition: ColumnElement[bool]) -> Tool | None:
        """One tool with its aliases and reviews in a single round trip (joined, not the three
        queries of ``selectinload``): every compare and every vote looks tools up this way."""
        query = select(ToolRow).options(joinedload(ToolRow.aliases), joinedload(ToolRow.reviews))
        row = (await self._s.scalars(query.where(condition))).unique().first()
        return _tool(row) if row else None

    async def list_all(self, category: str | None = None) -> list[Tool]:
        query = self._query().order_by(ToolRow.name)
        if category:
            query = query.where(func.lower(ToolRow.category) == category.strip().lower())
        return [_tool(row) for row in (await self._s.scalars(query)).all()]

    async def add(self, draft: ToolDraft, actor: str) -> Tool:
        now = utcnow()
        row = ToolRow(
            slug=await self._free_slug(draft.name),
            name=draft.name,
            normalized=normalize(draft.name),
            category=draft.category,
            tagline=draft.tagline,
            entry=draft.entry.value,
            pricing_note=draft.pricing_note,
            description=draft.description,
            url=draft.url,
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

    async def update(self, tool_id: int, changes: dict[str, str], actor: str) -> Tool:
        row = await self._s.get(ToolRow, tool_id)
        if row is None:
            raise NotFoundError("That tool is no longer in the catalog.")
        for field, value in changes.items():
            setattr(row, field, value)
        if "name" in changes:
            row.normalized = normalize(changes["name"])
        row.updated_at = utcnow()
        await self._flush(f"'{changes.get('name', row.name)}' is already in the catalog.")
        await self._bump()
        self._s.expire(row)
        tool = await self.get(tool_id)
        assert tool is not None
        return tool

    async def remove(self, tool_id: int) -> None:
        await self._s.execute(delete(ToolRow).where(ToolRow.id == tool_id))
        await self._bump()

    async def add_alias(self, tool_id: int, alias: str) -> None:
        self._s.add(AliasRow(tool_id=tool_id, alias=alias, normalized=normalize(alias)))
        await self._flush(f"The alias '{alias}' is already taken.")
        await self._bump()

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
                ToolRow.created_by != "seed",
            )
            .order_by(ToolRow.created_at)
        )
        return [_tool(row) for row in rows]

    async def put_review(self, tool_id: int, review: Review, actor: str) -> None:
        existing = await self._s.scalar(
            select(ReviewRow).where(
                ReviewRow.tool_id == tool_id, ReviewRow.lens == review.lens.value
            )
        )
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


class SqlVoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    def _key(
        self, community: Community, user_id: str, pair: Pair
    ) -> tuple[ColumnElement[bool], ...]:
        return (
            VoteRow.platform == community.platform,
            VoteRow.community == community.id,
            VoteRow.user_id == user_id,
            VoteRow.tool_low == pair.low,
            VoteRow.tool_high == pair.high,
        )

    async def choice(self, community: Community, user_id: str, pair: Pair) -> int | None:
        choice: int | None = await self._s.scalar(_CHOICE, _key_params(community, user_id, pair))
        return choice

    async def upsert(
        self,
        community: Community,
        user_id: str,
        pair: Pair,
        choice: int,
        source: VoteSource,
        card_id: int | None,
        voter_created_at: datetime | None = None,
    ) -> int | None:
        now = utcnow()
        key = _key_params(community, user_id, pair)
        values = {
            **{column.removeprefix("key_"): value for column, value in key.items()},
            "choice": choice,
            "source": source.value,
            "card_id": card_id,
            "voter_created_at": voter_created_at,
            "created_at": now,
            "updated_at": now,
        }
        dialect = self._s.bind.dialect.name
        if dialect == "postgresql":
            # One round trip: the statement reads the previous choice and writes the new one.
            # No row back means the conflict update was skipped: the same choice again.
            row = (await self._s.execute(_upsert(dialect), {**values, **key})).first()
            return choice if row is None else row[0]
        previous = await self.choice(community, user_id, pair)
        if previous == choice:
            return previous
        await self._s.execute(_upsert(dialect), values)
        return previous

    async def delete(
        self, community: Community, user_id: str, pair: Pair, only_if_choice: int | None
    ) -> bool:
        condition = list(self._key(community, user_id, pair))
        if only_if_choice is not None:
            condition.append(VoteRow.choice == only_if_choice)
        result = await self._s.execute(delete(VoteRow).where(*condition))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def tally(
        self, pair: Pair, community: Community | None, voters_before: datetime | None = None
    ) -> PairTally:
        # A vote's choice is always one of its pair, so ``choice IN (low, high)`` changes no
        # count; it lets a community's tally seek ix_votes_pair_choice once per choice instead of
        # scanning the pair's votes in every community (the index holds every column read here).
        query = (
            select(VoteRow.choice, func.count())
            .where(
                VoteRow.tool_low == pair.low,
                VoteRow.tool_high == pair.high,
                VoteRow.choice.in_((pair.low, pair.high)),
                *_old_enough(voters_before),
            )
            .group_by(VoteRow.choice)
        )
        if community is not None:
            query = query.where(
                VoteRow.platform == community.platform, VoteRow.community == community.id
            )
        counts = {int(choice): int(n) for choice, n in (await self._s.execute(query)).all()}
        return PairTally(pair=pair, counts=counts)

    async def tool_share(
        self, tool_id: int, voters_before: datetime | None = None
    ) -> tuple[int, int]:
        if voters_before is None:
            row = (await self._s.execute(_TOOL_SHARE, {"tool_id": tool_id})).one()
        else:
            parameters = {"tool_id": tool_id, "voters_before": voters_before}
            row = (await self._s.execute(_TOOL_SHARE_OLD_ENOUGH, parameters)).one()
        return int(row[0]), int(row[1])

    async def pair_wins(
        self, voters_before: datetime | None = None, until: datetime | None = None
    ) -> dict[tuple[int, int], int]:
        """(winner, loser) → votes, over every pair and community; ``until`` ignores later votes."""
        query = select(VoteRow.tool_low, VoteRow.tool_high, VoteRow.choice, func.count()).where(
            *_old_enough(voters_before)
        )
        if until is not None:
            query = query.where(VoteRow.updated_at <= until)
        query = query.group_by(VoteRow.tool_low, VoteRow.tool_high, VoteRow.choice)
        wins: dict[tuple[int, int], int] = {}
        for low, high, choice, count in (await self._s.execute(query)).all():
            loser = high if choice == low else low
            wins[(int(choice), int(loser))] = int(count)
        return wins

    async def records(self, community: Community | None = None) -> list[VoteRecord]:
        low, high, chosen = (aliased(ToolRow) for _ in range(3))
        query = (
            select(
                VoteRow.platform,
                VoteRow.community,
                VoteRow.user_id,
                low.name,
                high.name,
                chosen.name,
                VoteRow.source,
                VoteRow.updated_at,
            )
            .join(low, low.id == VoteRow.tool_low)
            .join(high, high.id == VoteRow.tool_high)
            .join(chosen, chosen.id == VoteRow.choice)
            .order_by(VoteRow.id)
        )
        if community is not None:
            query = query.where(
                VoteRow.platform == community.platform, VoteRow.community == community.id
            )
        return [VoteRecord(*row) for row in (await self._s.execute(query)).all()]

    async def claim_event(self, platform: str, event_id: str) -> bool:
        """Record an event id; False if it was already recorded (a retry or duplicate)."""
        statement = _claim(self._s.bind.dialect.name)
        values = {"platform": platform, "event_id": event_id, "created_at": utcnow()}
        result = await self._s.execute(statement, values)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def vote(
        self, community: Community, user_id: str, pair: Pair
    ) -> tuple[int, str, datetime] | None:
        row = (
            await self._s.execute(
                select(VoteRow.choice, VoteRow.source, VoteRow.updated_at).where(
                    *self._key(community, user_id, pair)
                )
            )
        ).first()
        return (int(row[0]), str(row[1]), row[2]) if row else None

    async def votes_on_card(self, card_id: int) -> dict[str, tuple[int, str, datetime]]:
        rows = await self._s.execute(
            select(VoteRow.user_id, VoteRow.choice, VoteRow.source, VoteRow.updated_at).where(
                VoteRow.card_id == card_id
            )
        )
        return {
            user: (int(choice), str(source), updated)
            for user, choice, source, updated in rows.all()
        }


# Hot-path statements are built once: building a statement costs about as much as running it.

_VOTE_KEY = ("platform", "community", "user_id", "tool_low", "tool_high")
_VOTES = cast(Table, VoteRow.__table__)
_CHOICE = select(VoteRow.choice).where(
    *(getattr(VoteRow, column) == bindparam(f"key_{column}") for column in _VOTE_KEY)
)


def _key_params(community: Community, user_id: str, pair: Pair) -> dict[str, object]:
    return {
        "key_platform": community.platform,
        "key_community": community.id,
        "key_user_id": user_id,
        "key_tool_low": pair.low,
        "key_tool_high": pair.high,
    }


def _tool_share_statement(old_enough: bool = False) -> Select[tuple[int, int]]:
    """(picks, total) in one round trip of four index-range counts: votes with the tool on either
    side of their pair, and of those the ones that picked it. ``ix_votes_low_choice`` and
    ``ix_votes_high_choice`` answer every count from the index alone, without reading a row.
    With ``old_enough`` (the anti-stuffing rule is on) votes of too-new accounts are left out;
    that variant reads the rows for their account age."""
    tool = bindparam("tool_id", type_=Integer)
    before = bindparam("voters_before", type_=UTCDateTime)

    def count(column: InstrumentedAttribute[int], picked: bool) -> ScalarSelect[int]:
        query = select(func.count()).select_from(VoteRow).where(column == tool)
        if picked:
            query = query.where(VoteRow.choice == tool)
        if old_enough:
            query = query.where(
                or_(VoteRow.voter_created_at.is_(None), VoteRow.voter_created_at <= before)
            )
        return query.scalar_subquery()

    low, high = VoteRow.tool_low, VoteRow.tool_high
    return select(count(low, True) + count(high, True), count(low, False) + count(high, False))


_TOOL_SHARE = _tool_share_statement()
_TOOL_SHARE_OLD_ENOUGH = _tool_share_statement(old_enough=True)


@cache
def _upsert(dialect: str) -> Insert:
    """Insert a vote, or change its choice; a repeat of the same choice writes nothing.

    On PostgreSQL the statement also returns the previous choice (NULL for a first vote) from a
    CTE, which sees the table as it was before the statement, so a vote is one round trip.
    SQLite cannot return an old value, so there ``upsert`` reads it first in the same
    transaction (SQLite has one writer at a time, so the read cannot go stale before the write
    once the transaction writes; ``cast_vote``'s ``claim_event`` comes first and takes the lock)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(_VOTES)
    new = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=list(_VOTE_KEY),
        set_={
            "choice": new.choice,
            "source": new.source,
            "card_id": new.card_id,
            "updated_at": new.updated_at,
        },
        where=_VOTES.c.choice != new.choice,
    )
    if dialect != "postgresql":
        return statement
    old = _CHOICE.cte("old")
    return statement.add_cte(old).returning(select(old.c.choice).scalar_subquery())


@cache
def _claim(dialect: str) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(cast(Table, ProcessedEvent.__table__)).on_conflict_do_nothing(
        index_elements=["platform", "event_id"]
    )


def _old_enough(voters_before: datetime | None) -> tuple[ColumnElement[bool], ...]:
    """Leave out votes of accounts created after ``voters_before`` (anti-stuffing); unknown
    account ages (platforms that don't say) always count."""
    if voters_before is None:
        return ()
    return (or_(VoteRow.voter_created_at.is_(None), VoteRow.voter_created_at <= voters_before),)


def _tool(row: ToolRow) -> Tool:
    return Tool(
        id=row.id,
        slug=row.slug,
        name=row.name,
        category=row.category,
        tagline=row.tagline,
        entry=Entry(row.entry),
        pricing_note=row.pricing_note,
        description=row.description,
        url=row.url,
        aliases=tuple(a.alias for a in row.aliases),
        reviews=tuple(
            Review(
                lens=Lens(r.lens), verdict=Verdict(r.verdict), quote=r.quote, reviewer=r.reviewer
            )
            for r in sorted(row.reviews, key=lambda r: list(Lens).index(Lens(r.lens)))
        ),
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
