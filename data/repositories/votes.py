"""Votes in SQL: idempotent upserts, event-id dedupe, and index-only counts."""

from __future__ import annotations

from datetime import datetime
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
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from bot.models import (
    Community,
    Pair,
    PairTally,
    VoteRecord,
    VoteSource,
)
from data.schema import (
    PairTallyRow,
    PairTotalRow,
    ProcessedEvent,
    ToolRow,
    ToolTallyRow,
    UTCDateTime,
    VoteRow,
    utcnow,
)


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
        if voters_before is None:
            # The trigger-kept counts (migration 0007): one primary-key read, however many votes.
            if community is None:
                statement, parameters = _PAIR_TOTAL, _pair_params(pair)
            else:
                statement = _PAIR_TALLY
                parameters = {
                    **_pair_params(pair),
                    "platform": community.platform,
                    "community": community.id,
                }
            row = (await self._s.execute(statement, parameters)).first()
            counts = dict(zip((pair.low, pair.high), map(int, row or (0, 0)), strict=True))
            return PairTally(pair=pair, counts={tool: n for tool, n in counts.items() if n})
        return await self.count_tally(pair, community, voters_before)

    async def count_tally(
        self, pair: Pair, community: Community | None, voters_before: datetime | None = None
    ) -> PairTally:
        """The tally counted from the votes themselves: the anti-stuffing rule needs each vote's
        account age, which the kept counts can't know (and tests check the counts against it)."""
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
            row = (await self._s.execute(_TOOL_TALLY, {"tool_id": tool_id})).first()
            return (int(row[0]), int(row[1])) if row else (0, 0)
        return await self.count_tool_share(tool_id, voters_before)

    async def count_tool_share(
        self, tool_id: int, voters_before: datetime | None = None
    ) -> tuple[int, int]:
        """``tool_share`` counted from the votes (see ``count_tally``)."""
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
        wins: dict[tuple[int, int], int] = {}
        if voters_before is None and until is None:  # the kept counts answer it at once
            rows = await self._s.execute(
                select(
                    PairTotalRow.tool_low,
                    PairTotalRow.tool_high,
                    PairTotalRow.votes_low,
                    PairTotalRow.votes_high,
                )
            )
            for low, high, votes_low, votes_high in rows.all():
                if votes_low:
                    wins[(int(low), int(high))] = int(votes_low)
                if votes_high:
                    wins[(int(high), int(low))] = int(votes_high)
            return wins
        query = select(VoteRow.tool_low, VoteRow.tool_high, VoteRow.choice, func.count()).where(
            *_old_enough(voters_before)
        )
        if until is not None:
            query = query.where(VoteRow.updated_at <= until)
        query = query.group_by(VoteRow.tool_low, VoteRow.tool_high, VoteRow.choice)
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


def _pair_params(pair: Pair) -> dict[str, object]:
    return {"tool_low": pair.low, "tool_high": pair.high}


_PAIR_TALLY = select(PairTallyRow.votes_low, PairTallyRow.votes_high).where(
    PairTallyRow.tool_low == bindparam("tool_low"),
    PairTallyRow.tool_high == bindparam("tool_high"),
    PairTallyRow.platform == bindparam("platform"),
    PairTallyRow.community == bindparam("community"),
)
_PAIR_TOTAL = select(PairTotalRow.votes_low, PairTotalRow.votes_high).where(
    PairTotalRow.tool_low == bindparam("tool_low"),
    PairTotalRow.tool_high == bindparam("tool_high"),
)
_TOOL_TALLY = select(ToolTallyRow.picks, ToolTallyRow.total).where(
    ToolTallyRow.tool_id == bindparam("tool_id")
)


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
