"""The statements of the vote path (bot.vote_batches), built once at import: building a
statement costs about as much as running it."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import (
    CompoundSelect,
    Select,
    Table,
    TextClause,
    bindparam,
    delete,
    select,
    text,
    tuple_,
    union_all,
)

from bot.models import (
    Community,
    Pair,
    PairIn,
    VoterOn,
)
from data.schema import UTCDateTime, VoteRow

_VOTE_KEY = ("platform", "community", "user_id", "tool_low", "tool_high")
VOTES = cast(Table, VoteRow.__table__)
CHOICE = select(VoteRow.choice).where(
    *(getattr(VoteRow, column) == bindparam(f"key_{column}") for column in _VOTE_KEY)
)


def vote_key_params(community: Community, user_id: str, pair: Pair) -> dict[str, object]:
    return {
        "key_platform": community.platform,
        "key_community": community.id,
        "key_user_id": user_id,
        "key_tool_low": pair.low,
        "key_tool_high": pair.high,
    }


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
UPSERT = text(_UPSERT_SQL).bindparams(*_DATES)
"""Insert a vote, or change its choice (``upsert``, one vote at a time: reconciling reactions
after a restart). SQLite cannot return an old value, so there ``upsert`` reads it first in the
same transaction. Live votes go through ``put_many`` (bot.vote_batches)."""

UPSERT_RETURNING_OLD = text(
    "WITH old AS (SELECT choice FROM votes WHERE platform = :key_platform"
    " AND community = :key_community AND user_id = :key_user_id"
    " AND tool_low = :key_tool_low AND tool_high = :key_tool_high) "
    f"{_UPSERT_SQL} RETURNING (SELECT choice FROM old)"
).bindparams(*_DATES)
"""PostgreSQL: the upsert also returns the previous choice (NULL for a first vote) from a CTE,
which sees the table as it was before the statement, so a vote is one round trip."""

_VOTE_GROUP = (VoteRow.platform, VoteRow.community, VoteRow.tool_low, VoteRow.tool_high)


@functools.cache
def choices_statement(groups: int) -> CompoundSelect[Any] | Select[Any]:
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


DELETE_HOLDING = delete(VOTES).where(
    tuple_(*(VOTES.c[c.key] for c in _VOTE_GROUP), VOTES.c.user_id, VOTES.c.choice).in_(
        bindparam("keys", expanding=True)
    )
)


@functools.cache
def claim_rows_statement(rows: int) -> TextClause:
    """Claim ``rows`` event ids in one statement; returns the ones that were new."""
    values = ", ".join(f"(:platform_{n}, :event_id_{n}, :created_at_{n})" for n in range(rows))
    return text(
        f"INSERT INTO processed_events (platform, event_id, created_at) VALUES {values}"
        " ON CONFLICT (platform, event_id) DO NOTHING RETURNING platform, event_id"
    ).bindparams(*(bindparam(f"created_at_{n}", type_=UTCDateTime) for n in range(rows)))


def key_columns(keys: Sequence[VoterOn]) -> dict[str, list[object]]:
    return {
        "platforms": [c.platform for c, _, _ in keys],
        "communities": [c.id for c, _, _ in keys],
        "lows": [p.low for _, p, _ in keys],
        "highs": [p.high for _, p, _ in keys],
        "users": [user for _, _, user in keys],
    }


def choices_by_group(rows: Iterable[Any]) -> dict[PairIn, dict[str, int]]:
    found: dict[PairIn, dict[str, int]] = {}
    for platform, community_id, low, high, user, choice in rows:
        group = PairIn(Community(platform, community_id), Pair(low, high))
        found.setdefault(group, {})[str(user)] = int(choice)
    return found


# PostgreSQL: whole batches as arrays through unnest, so each statement has one text whatever the
# batch size, and asyncpg prepares it once (a varying IN list or VALUES list is a new statement,
# prepared again, for every batch size).
PG_CLAIM = text(
    "INSERT INTO processed_events (platform, event_id, created_at)"
    " SELECT platform, event_id, CAST(:now AS timestamptz)"
    " FROM unnest(CAST(:platforms AS text[]), CAST(:event_ids AS text[])) AS e(platform, event_id)"
    " ON CONFLICT (platform, event_id) DO NOTHING RETURNING platform, event_id"
).bindparams(bindparam("now", type_=UTCDateTime))
PG_CHOICES = text(
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
PG_PUT = text(
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
ADVISORY_LOCKS = text(
    f"SELECT pg_advisory_xact_lock({_VOTE_LOCKS}, tool_id)"
    " FROM unnest(CAST(:tool_ids AS integer[])) WITH ORDINALITY AS locks(tool_id, n) ORDER BY n"
)
"""Transaction-scoped locks, taken in the given order (PostgreSQL evaluates a volatile function
of the select list after the ORDER BY)."""
ROWS_PER_STATEMENT = 64  # 11 parameters a row: far below every driver's limit


@functools.cache
def upsert_rows_statement(rows: int) -> TextClause:
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


def numbered_rows(rows: list[dict[str, object]]) -> dict[str, object]:
    return {f"{column}_{n}": value for n, row in enumerate(rows) for column, value in row.items()}
