"""Votes in SQL: idempotent upserts in batches, event-id dedupe, and trigger-kept counts.

The statements live beside it: ``vote_statements`` (writing votes) and ``count_statements``
(reading counts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    delete,
    func,
    select,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.models import (
    CardCounts,
    Community,
    Delivery,
    Pair,
    PairIn,
    PairTally,
    Share,
    VoteKey,
    VoteRecord,
    VoterOn,
    VoteSource,
    VoteState,
    VoteWrite,
    Win,
)
from data.repositories.count_statements import (
    CARD_COUNTS,
    PAIR_TALLY,
    PAIR_TOTAL,
    TOOL_SHARE,
    TOOL_SHARE_OLD_ENOUGH,
    TOOL_TALLY,
    old_enough,
    pair_params,
)
from data.repositories.vote_statements import (
    ADVISORY_LOCKS,
    CHOICE,
    DELETE_HOLDING,
    PG_CHOICES,
    PG_CLAIM,
    PG_PUT,
    ROWS_PER_STATEMENT,
    UPSERT,
    UPSERT_RETURNING_OLD,
    VOTES,
    choices_by_group,
    choices_statement,
    claim_rows_statement,
    key_columns,
    numbered_rows,
    upsert_rows_statement,
    vote_key_params,
)
from data.schema import (
    PairTallyRow,
    PairTotalRow,
    ProcessedEvent,
    ToolRow,
    VoteRow,
    VoteWithdrawalRow,
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
        choice: int | None = await connection.scalar(
            CHOICE, vote_key_params(community, user_id, pair)
        )
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
        key = vote_key_params(community, user_id, pair)
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
            row = (await connection.execute(UPSERT_RETURNING_OLD, {**values, **key})).first()
            return choice if row is None else row[0]
        previous = await self.choice(community, user_id, pair)
        if previous == choice:
            return previous
        await connection.execute(UPSERT, values)
        return previous

    async def delete(
        self, community: Community, user_id: str, pair: Pair, only_if_choice: int | None
    ) -> bool:
        condition = list(self._key(community, user_id, pair))
        if only_if_choice is not None:
            condition.append(VoteRow.choice == only_if_choice)
        connection = await self._s.connection()
        result = await connection.execute(delete(VOTES).where(*condition))
        return bool(result.rowcount)

    async def tally(
        self, pair: Pair, community: Community | None, voters_before: datetime | None = None
    ) -> PairTally:
        if voters_before is None:
            # The trigger-kept counts (migration 0007): one primary-key read, however many votes.
            if community is None:
                statement, parameters = PAIR_TOTAL, pair_params(pair)
            else:
                statement = PAIR_TALLY
                parameters = {
                    **pair_params(pair),
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
            **pair_params(pair),
            "platform": community.platform,
            "community": community.id,
        }
        connection = await self._s.connection()
        row = (await connection.execute(CARD_COUNTS, parameters)).one()
        here_low, here_high, all_low, all_high, low_picks, low_total, high_picks, high_total = (
            int(value or 0) for value in row
        )

        def tally(low: int, high: int) -> PairTally:
            counts = {pair.low: low, pair.high: high}
            return PairTally(pair=pair, counts={tool: n for tool, n in counts.items() if n})

        return CardCounts(
            here=tally(here_low, here_high),
            everywhere=tally(all_low, all_high),
            shares={
                pair.low: Share(low_picks, low_total),
                pair.high: Share(high_picks, high_total),
            },
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
                *old_enough(voters_before),
            )
            .group_by(VoteRow.choice)
        )
        if community is not None:
            query = query.where(
                VoteRow.platform == community.platform, VoteRow.community == community.id
            )
        counts = {int(choice): int(n) for choice, n in (await self._s.execute(query)).all()}
        return PairTally(pair=pair, counts=counts)

    async def tool_share(self, tool_id: int, voters_before: datetime | None = None) -> Share:
        if voters_before is None:
            connection = await self._s.connection()
            row = (await connection.execute(TOOL_TALLY, {"tool_id": tool_id})).first()
            return Share(int(row[0]), int(row[1])) if row else Share(0, 0)
        return await self.count_tool_share(tool_id, voters_before)

    async def count_tool_share(self, tool_id: int, voters_before: datetime | None = None) -> Share:
        """``tool_share`` counted from the votes (see ``count_tally``)."""
        if voters_before is None:
            row = (await self._s.execute(TOOL_SHARE, {"tool_id": tool_id})).one()
        else:
            parameters = {"tool_id": tool_id, "voters_before": voters_before}
            row = (await self._s.execute(TOOL_SHARE_OLD_ENOUGH, parameters)).one()
        return Share(int(row[0]), int(row[1]))

    async def pair_wins(
        self,
        voters_before: datetime | None = None,
        until: datetime | None = None,
        community: Community | None = None,
    ) -> dict[Win, int]:
        """(winner, loser) → votes, over every pair (of one community, when given); ``until``
        ignores later votes."""
        wins: dict[Win, int] = {}
        if voters_before is None and until is None:  # the kept counts answer it at once
            kept: Any = PairTotalRow if community is None else PairTallyRow
            counts = select(kept.tool_low, kept.tool_high, kept.votes_low, kept.votes_high)
            if community is not None:
                counts = counts.where(
                    PairTallyRow.platform == community.platform,
                    PairTallyRow.community == community.id,
                )
            rows = await self._s.execute(counts)
            for low, high, votes_low, votes_high in rows.all():
                if votes_low:
                    wins[Win(int(low), int(high))] = int(votes_low)
                if votes_high:
                    wins[Win(int(high), int(low))] = int(votes_high)
            return wins
        query = select(VoteRow.tool_low, VoteRow.tool_high, VoteRow.choice, func.count()).where(
            *old_enough(voters_before)
        )
        if until is not None:
            query = query.where(VoteRow.updated_at <= until)
        if community is not None:
            query = query.where(
                VoteRow.platform == community.platform, VoteRow.community == community.id
            )
        query = query.group_by(VoteRow.tool_low, VoteRow.tool_high, VoteRow.choice)
        for low, high, choice, count in (await self._s.execute(query)).all():
            loser = high if choice == low else low
            wins[Win(int(choice), int(loser))] = int(count)
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

    async def prune_events(self, before: datetime) -> int:
        result = await self._s.execute(
            delete(ProcessedEvent).where(ProcessedEvent.created_at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def claim_events(self, deliveries: Sequence[Delivery]) -> set[Delivery]:
        unique = sorted(set(deliveries))  # sorted: concurrent claims lock in the same order
        if not unique:
            return set()
        now = utcnow()
        connection = await self._s.connection()
        if connection.dialect.name == "postgresql":
            platforms, event_ids = (list(column) for column in zip(*unique, strict=True))
            rows = await connection.execute(
                PG_CLAIM, {"platforms": platforms, "event_ids": event_ids, "now": now}
            )
            return {Delivery(str(platform), str(event_id)) for platform, event_id in rows}
        claimed: set[Delivery] = set()
        for start in range(0, len(unique), ROWS_PER_STATEMENT):
            chunk = unique[start : start + ROWS_PER_STATEMENT]
            parameters: dict[str, object] = {}
            for n, (platform, event_id) in enumerate(chunk):
                parameters.update(
                    {f"platform_{n}": platform, f"event_id_{n}": event_id, f"created_at_{n}": now}
                )
            rows = await connection.execute(claim_rows_statement(len(chunk)), parameters)
            claimed.update(Delivery(str(platform), str(event_id)) for platform, event_id in rows)
        return claimed

    async def lock_tools(self, tool_ids: Sequence[int]) -> None:
        if not tool_ids:
            return
        connection = await self._s.connection()
        if connection.dialect.name != "postgresql":
            return  # SQLite: the whole database has one writer at a time
        await connection.execute(ADVISORY_LOCKS, {"tool_ids": list(tool_ids)})

    async def choices(self, keys: Sequence[VoterOn]) -> dict[PairIn, dict[str, int]]:
        if not keys:
            return {}
        connection = await self._s.connection()
        if connection.dialect.name == "postgresql":
            rows = await connection.execute(PG_CHOICES, key_columns(keys))
            return choices_by_group(rows)
        users: dict[PairIn, list[str]] = {}
        for community, pair, user in keys:
            users.setdefault(PairIn(community, pair), []).append(user)
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
        return choices_by_group(await connection.execute(choices_statement(len(users)), parameters))

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
            await connection.execute(PG_PUT, columns)
            return
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            await connection.execute(upsert_rows_statement(len(chunk)), numbered_rows(chunk))

    async def mark_withdrawn(self, keys: Sequence[VoteKey]) -> None:
        if not keys:
            return
        now = utcnow()
        rows = [
            {
                "platform": k.community.platform,
                "community": k.community.id,
                "user_id": k.user_id,
                "tool_low": k.pair.low,
                "tool_high": k.pair.high,
                "withdrawn_at": now,
            }
            for k in keys
        ]
        connection = await self._s.connection()
        dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
        statement = dialect.insert(VoteWithdrawalRow).values(rows)
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=["platform", "community", "user_id", "tool_low", "tool_high"],
                set_={"withdrawn_at": statement.excluded.withdrawn_at},
            )
        )

    async def clear_withdrawn(self, keys: Sequence[VoteKey]) -> None:
        if not keys:
            return
        columns = tuple_(
            VoteWithdrawalRow.platform,
            VoteWithdrawalRow.community,
            VoteWithdrawalRow.user_id,
            VoteWithdrawalRow.tool_low,
            VoteWithdrawalRow.tool_high,
        )
        values = [
            (k.community.platform, k.community.id, k.user_id, k.pair.low, k.pair.high) for k in keys
        ]
        await self._s.execute(delete(VoteWithdrawalRow).where(columns.in_(values)))

    async def withdrawn(self, community: Community, pair: Pair, users: Sequence[str]) -> set[str]:
        if not users:
            return set()
        rows = await self._s.scalars(
            select(VoteWithdrawalRow.user_id).where(
                VoteWithdrawalRow.platform == community.platform,
                VoteWithdrawalRow.community == community.id,
                VoteWithdrawalRow.tool_low == pair.low,
                VoteWithdrawalRow.tool_high == pair.high,
                VoteWithdrawalRow.user_id.in_(list(users)),
            )
        )
        return set(rows)

    async def delete_many(self, keys: Sequence[VoteKey]) -> None:
        if not keys:
            return
        connection = await self._s.connection()
        await connection.execute(
            DELETE_HOLDING,
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

    async def vote(self, community: Community, user_id: str, pair: Pair) -> VoteState | None:
        row = (
            await self._s.execute(
                select(VoteRow.choice, VoteRow.source, VoteRow.updated_at).where(
                    *self._key(community, user_id, pair)
                )
            )
        ).first()
        return VoteState(int(row[0]), str(row[1]), row[2]) if row else None

    async def votes_on_card(self, card_id: int) -> dict[str, VoteState]:
        rows = await self._s.execute(
            select(VoteRow.user_id, VoteRow.choice, VoteRow.source, VoteRow.updated_at).where(
                VoteRow.card_id == card_id
            )
        )
        return {
            user: VoteState(int(choice), str(source), updated)
            for user, choice, source, updated in rows.all()
        }
