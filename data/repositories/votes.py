"""Votes in SQL: idempotent upserts in batches, event-id dedupe, and trigger-kept counts."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    ScalarSelect,
    Select,
    Table,
    TextClause,
    bindparam,
    delete,
    func,
    or_,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from bot.models import (
    CardCounts,
    Community,
    Pair,
    PairTally,
    VoteKey,
    VoteRecord,
    VoteSource,
    VoteWrite,
)
from data.schema import (
    PairTallyRow,
    PairTotalRow,
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
        connection = await self._s.connection()
        choice: int | None = await connection.scalar(_CHOICE, _key_params(community, user_id, pair))
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
        connection = await self._s.connection()
        if connection.dialect.name == "postgresql":
            # One round trip: the statement reads the previous choice and writes the new one.
            # No row back means the conflict update was skipped: the same choice again.
            row = (await connection.execute(_UPSERT_RETURNING_OLD, {**values, **key})).first()
            return choice if row is None else row[0]
        previous = await self.choice(community, user_id, pair)
        if previous == choice:
            return previous
        await connection.execute(_UPSERT, values)
        return previous

    async def delete(
        self, community: Community, user_id: str, pair: Pair, only_if_choice: int | None
    ) -> bool:
        condition = list(self._key(community, user_id, pair))
        if only_if_choice is not None:
            condition.append(VoteRow.choice == only_if_choice)
        connection = await self._s.connection()
        result = await connection.execute(delete(_VOTES).where(*condition))
        return bool(result.rowcount)

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
            connection = await self._s.connection()
            row = (await connection.execute(statement, parameters)).first()
            counts = dict(zip((pair.low, pair.high), map(int, row or (0, 0)), strict=True))
            return PairTally(pair=pair, counts={tool: n for tool, n in counts.items() if n})
        return await self.count_tally(pair, community, voters_before)

    async def card_counts(
        self, pair: Pair, community: Community, voters_before: datetime | None = None
    ) -> CardCounts:
        if voters_before is not None:  # the anti-stuffing rule: count the votes
            return CardCounts(
                here=await self.count_tally(pair, community, voters_before),
                everywhere=await self.count_tally(pair, None, voters_before),
                shares={
                    tool: await self.count_tool_share(tool, voters_before)
                    for tool in (pair.low, pair.high)
                },
            )
        parameters = {
            **_pair_params(pair),
            "platform": community.platform,
            "community": community.id,
        }
        connection = await self._s.connection()
        row = (await connection.execute(_CARD_COUNTS, parameters)).one()
        here_low, here_high, all_low, all_high, low_picks, low_total, high_picks, high_total = (
            int(value or 0) for value in row
        )

        def tally(low: int, high: int) -> PairTally:
            counts = {pair.low: low, pair.high: high}
            return PairTally(pair=pair, counts={tool: n for tool, n in counts.items() if n})

        return CardCounts(
            here=tally(here_low, here_high),
            everywhere=tally(all_low, all_high),
            shares={pair.low: (low_picks, low_total), pair.high: (high_picks, high_total)},
        )

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
            connection = await self._s.connection()
            row = (await connection.execute(_TOOL_TALLY, {"tool_id": tool_id})).first()
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

    async def claim_events(self, deliveries: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        unique = sorted(set(deliveries))  # sorted: concurrent claims lock in the same order
        if not unique:
            return set()
        now = utcnow()
        connection = await self._s.connection()
        if connection.dialect.name == "postgresql":
            platforms, event_ids = (list(column) for column in zip(*unique, strict=True))
            rows = await connection.execute(
                _PG_CLAIM, {"platforms": platforms, "event_ids": event_ids, "now": now}
            )
            return {(str(platform), str(event_id)) for platform, event_id in rows}
        claimed: set[tuple[str, str]] = set()
        for start in range(0, len(unique), _ROWS_PER_STATEMENT):
            chunk = unique[start : start + _ROWS_PER_STATEMENT]
            parameters: dict[str, object] = {}
            for n, (platform, event_id) in enumerate(chunk):
                parameters.update(
                    {f"platform_{n}": platform, f"event_id_{n}": event_id, f"created_at_{n}": now}
                )
            rows = await connection.execute(_claim_rows(len(chunk)), parameters)
            claimed.update((str(platform), str(event_id)) for platform, event_id in rows)
        return claimed

    async def lock_tools(self, tool_ids: Sequence[int]) -> None:
        if not tool_ids:
            return
        connection = await self._s.connection()
        if connection.dialect.name != "postgresql":
            return  # SQLite: the whole database has one writer at a time
        await connection.execute(_ADVISORY_LOCKS, {"tool_ids": list(tool_ids)})

    async def choices(
        self, keys: Sequence[tuple[Community, Pair, str]]
    ) -> dict[tuple[Community, Pair], dict[str, int]]:
        if not keys:
            return {}
        connection = await self._s.connection()
        if connection.dialect.name == "postgresql":
            rows = await connection.execute(_PG_CHOICES, _columns(keys))
            return _by_group(rows)
        users: dict[tuple[Community, Pair], list[str]] = {}
        for community, pair, user in keys:
            users.setdefault((community, pair), []).append(user)
        parameters: dict[str, object] = {}
        for n, ((community, pair), names) in enumerate(users.items()):
            parameters.update(
                {
                    f"platform_{n}": community.platform,
                    f"community_{n}": community.id,
                    f"low_{n}": pair.low,
                    f"high_{n}": pair.high,
                    f"users_{n}": names,
                }
            )
        return _by_group(await connection.execute(_choices(len(users)), parameters))

    async def put_many(self, writes: Sequence[VoteWrite]) -> None:
        now = utcnow()
        rows: list[dict[str, object]] = [
            {
                "platform": w.key.community.platform,
                "community": w.key.community.id,
                "user_id": w.key.user_id,
                "tool_low": w.key.pair.low,
                "tool_high": w.key.pair.high,
                "choice": w.key.choice,
                "source": w.source.value,
                "card_id": w.card_id,
                "voter_created_at": w.voter_created_at,
                "created_at": now,
                "updated_at": now,
            }
            for w in writes
        ]
        if not rows:
            return
        connection = await self._s.connection()
        # One statement for many rows (executemany would be a round trip per vote on asyncpg),
        # rows in the caller's order (by pair, then user), so concurrent writers lock vote rows
        # in the same order. PostgreSQL takes whole columns as arrays: one statement text for any
        # batch, prepared once.
        if connection.dialect.name == "postgresql":
            columns = {f"{name}_column": [row[name] for row in rows] for name in rows[0]}
            await connection.execute(_PG_PUT, columns)
            return
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[start : start + _ROWS_PER_STATEMENT]
            await connection.execute(_upsert_rows_sql(len(chunk)), _numbered(chunk))

    async def delete_many(self, keys: Sequence[VoteKey]) -> None:
        if not keys:
            return
        connection = await self._s.connection()
        await connection.execute(
            _DELETE_HOLDING,
            {
                "keys": [
                    (
                        k.community.platform,
                        k.community.id,
                        k.pair.low,
                        k.pair.high,
                        k.user_id,
                        k.choice,
                    )
                    for k in keys
                ]
            },
        )

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


def _card_counts_statement() -> Select[Any]:
    """Every kept count a card shows, in one round trip of eight primary-key reads."""
    here = (
        PairTallyRow.tool_low == bindparam("tool_low"),
        PairTallyRow.tool_high == bindparam("tool_high"),
        PairTallyRow.platform == bindparam("platform"),
        PairTallyRow.community == bindparam("community"),
    )
    everywhere = (
        PairTotalRow.tool_low == bindparam("tool_low"),
        PairTotalRow.tool_high == bindparam("tool_high"),
    )

    def tool(column: InstrumentedAttribute[int], side: str) -> ScalarSelect[int]:
        return select(column).where(ToolTallyRow.tool_id == bindparam(side)).scalar_subquery()

    return select(
        select(PairTallyRow.votes_low).where(*here).scalar_subquery(),
        select(PairTallyRow.votes_high).where(*here).scalar_subquery(),
        select(PairTotalRow.votes_low).where(*everywhere).scalar_subquery(),
        select(PairTotalRow.votes_high).where(*everywhere).scalar_subquery(),
        tool(ToolTallyRow.picks, "tool_low"),
        tool(ToolTallyRow.total, "tool_low"),
        tool(ToolTallyRow.picks, "tool_high"),
        tool(ToolTallyRow.total, "tool_high"),
    )


_CARD_COUNTS = _card_counts_statement()


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


# Hand-written because SQLAlchemy 2.0 can't cache dialect-specific INSERTs (ON CONFLICT): built
# from constructs, these two were compiled again on every vote, which cost more than running them.
# A text statement is compiled once. Both are the same SQL on SQLite (3.24+) and PostgreSQL.
_VOTE_COLUMNS = (
    "platform, community, user_id, tool_low, tool_high, choice, source, card_id,"
    " voter_created_at, created_at, updated_at"
)
_VOTE_VALUES = ", ".join(f":{column.strip()}" for column in _VOTE_COLUMNS.split(","))
_DATES = (
    bindparam("voter_created_at", type_=UTCDateTime),
    bindparam("created_at", type_=UTCDateTime),
    bindparam("updated_at", type_=UTCDateTime),
)
_UPSERT_SQL = (
    f"INSERT INTO votes ({_VOTE_COLUMNS}) VALUES ({_VOTE_VALUES})"
    " ON CONFLICT (platform, community, user_id, tool_low, tool_high) DO UPDATE SET"
    " choice = excluded.choice, source = excluded.source, card_id = excluded.card_id,"
    " updated_at = excluded.updated_at"
    " WHERE votes.choice <> excluded.choice"  # the same choice again writes nothing
)
_UPSERT = text(_UPSERT_SQL).bindparams(*_DATES)
"""Insert a vote, or change its choice (``upsert``, one vote at a time: reconciling reactions
after a restart). SQLite cannot return an old value, so there ``upsert`` reads it first in the
same transaction. Live votes go through ``put_many`` (bot.vote_batches)."""

_UPSERT_RETURNING_OLD = text(
    "WITH old AS (SELECT choice FROM votes WHERE platform = :key_platform"
    " AND community = :key_community AND user_id = :key_user_id"
    " AND tool_low = :key_tool_low AND tool_high = :key_tool_high) "
    f"{_UPSERT_SQL} RETURNING (SELECT choice FROM old)"
).bindparams(*_DATES)
"""PostgreSQL: the upsert also returns the previous choice (NULL for a first vote) from a CTE,
which sees the table as it was before the statement, so a vote is one round trip."""

_VOTE_GROUP = (VoteRow.platform, VoteRow.community, VoteRow.tool_low, VoteRow.tool_high)


@functools.cache
def _choices(groups: int) -> CompoundSelect[Any] | Select[Any]:
    """Current choices of some users in each of ``groups`` pairs: one seek of the unique index
    per user (a row-value IN over all five columns made SQLite scan the table)."""
    selects = [
        select(*_VOTE_GROUP, VoteRow.user_id, VoteRow.choice).where(
            VoteRow.platform == bindparam(f"platform_{n}"),
            VoteRow.community == bindparam(f"community_{n}"),
            VoteRow.tool_low == bindparam(f"low_{n}"),
            VoteRow.tool_high == bindparam(f"high_{n}"),
            VoteRow.user_id.in_(bindparam(f"users_{n}", expanding=True)),
        )
        for n in range(groups)
    ]
    return selects[0] if groups == 1 else union_all(*selects)


_DELETE_HOLDING = delete(_VOTES).where(
    tuple_(*(_VOTES.c[c.key] for c in _VOTE_GROUP), _VOTES.c.user_id, _VOTES.c.choice).in_(
        bindparam("keys", expanding=True)
    )
)


@functools.cache
def _claim_rows(rows: int) -> TextClause:
    """Claim ``rows`` event ids in one statement; returns the ones that were new."""
    values = ", ".join(f"(:platform_{n}, :event_id_{n}, :created_at_{n})" for n in range(rows))
    return text(
        f"INSERT INTO processed_events (platform, event_id, created_at) VALUES {values}"
        " ON CONFLICT (platform, event_id) DO NOTHING RETURNING platform, event_id"
    ).bindparams(*(bindparam(f"created_at_{n}", type_=UTCDateTime) for n in range(rows)))


def _columns(keys: Sequence[tuple[Community, Pair, str]]) -> dict[str, list[object]]:
    return {
        "platforms": [c.platform for c, _, _ in keys],
        "communities": [c.id for c, _, _ in keys],
        "lows": [p.low for _, p, _ in keys],
        "highs": [p.high for _, p, _ in keys],
        "users": [user for _, _, user in keys],
    }


def _by_group(rows: Iterable[Any]) -> dict[tuple[Community, Pair], dict[str, int]]:
    found: dict[tuple[Community, Pair], dict[str, int]] = {}
    for platform, community_id, low, high, user, choice in rows:
        group = (Community(platform, community_id), Pair(low, high))
        found.setdefault(group, {})[str(user)] = int(choice)
    return found


# PostgreSQL: whole batches as arrays through unnest, so each statement has one text whatever the
# batch size, and asyncpg prepares it once (a varying IN list or VALUES list is a new statement,
# prepared again, for every batch size).
_PG_CLAIM = text(
    "INSERT INTO processed_events (platform, event_id, created_at)"
    " SELECT platform, event_id, CAST(:now AS timestamptz)"
    " FROM unnest(CAST(:platforms AS text[]), CAST(:event_ids AS text[])) AS e(platform, event_id)"
    " ON CONFLICT (platform, event_id) DO NOTHING RETURNING platform, event_id"
).bindparams(bindparam("now", type_=UTCDateTime))
_PG_CHOICES = text(
    "SELECT k.platform, k.community, k.tool_low, k.tool_high, k.user_id, v.choice"
    " FROM unnest(CAST(:platforms AS text[]), CAST(:communities AS text[]),"
    " CAST(:lows AS integer[]), CAST(:highs AS integer[]), CAST(:users AS text[]))"
    " AS k(platform, community, tool_low, tool_high, user_id)"
    " CROSS JOIN LATERAL (SELECT choice, tool_low, tool_high FROM votes"
    " WHERE votes.platform = k.platform AND votes.community = k.community"
    " AND votes.user_id = k.user_id OFFSET 0) AS v"
    " WHERE v.tool_low = k.tool_low AND v.tool_high = k.tool_high"
)
"""One seek of the unique index (platform, community, user id, …) per key, into the few votes
that person has in that community. Spelled so on purpose: as a plain join the planner hashed the
whole table, and given the pair's columns too it preferred the pair index (with statistics that
lag a burst of new votes) and read every vote of the pair to find one person's."""
_PG_PUT = text(
    f"INSERT INTO votes ({_VOTE_COLUMNS})"
    " SELECT * FROM unnest(CAST(:platform_column AS text[]), CAST(:community_column AS text[]),"
    " CAST(:user_id_column AS text[]), CAST(:tool_low_column AS integer[]), CAST(:tool_high_column AS integer[]),"
    " CAST(:choice_column AS integer[]), CAST(:source_column AS text[]), CAST(:card_id_column AS integer[]),"
    " CAST(:voter_created_at_column AS timestamptz[]), CAST(:created_at_column AS timestamptz[]),"
    " CAST(:updated_at_column AS timestamptz[]))"
    " ON CONFLICT (platform, community, user_id, tool_low, tool_high) DO UPDATE SET"
    " choice = excluded.choice, source = excluded.source, card_id = excluded.card_id,"
    " updated_at = excluded.updated_at"
    " WHERE votes.choice <> excluded.choice"
)

_VOTE_LOCKS = 0x5B0B  # the advisory-lock namespace of vote batches: (this, tool id)
_ADVISORY_LOCKS = text(
    f"SELECT pg_advisory_xact_lock({_VOTE_LOCKS}, tool_id)"
    " FROM unnest(CAST(:tool_ids AS integer[])) WITH ORDINALITY AS locks(tool_id, n) ORDER BY n"
)
"""Transaction-scoped locks, taken in the given order (PostgreSQL evaluates a volatile function
of the select list after the ORDER BY)."""
_ROWS_PER_STATEMENT = 64  # 11 parameters a row: far below every driver's limit


@functools.cache
def _upsert_rows_sql(rows: int) -> TextClause:
    """``_UPSERT_SQL`` for ``rows`` rows at once; parameters are numbered ``:column_N``."""
    columns = [column.strip() for column in _VOTE_COLUMNS.split(",")]
    values = ", ".join(
        "(" + ", ".join(f":{column}_{n}" for column in columns) + ")" for n in range(rows)
    )
    sql = _UPSERT_SQL.replace(f"VALUES ({_VOTE_VALUES})", f"VALUES {values}")
    dates = [
        bindparam(f"{column}_{n}", type_=UTCDateTime)
        for n in range(rows)
        for column in ("voter_created_at", "created_at", "updated_at")
    ]
    return text(sql).bindparams(*dates)


def _numbered(rows: list[dict[str, object]]) -> dict[str, object]:
    return {f"{column}_{n}": value for n, row in enumerate(rows) for column, value in row.items()}


def _old_enough(voters_before: datetime | None) -> tuple[ColumnElement[bool], ...]:
    """Leave out votes of accounts created after ``voters_before`` (anti-stuffing); unknown
    account ages (platforms that don't say) always count."""
    if voters_before is None:
        return ()
    return (or_(VoteRow.voter_created_at.is_(None), VoteRow.voter_created_at <= voters_before),)
