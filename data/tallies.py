"""The trigger-kept vote counts (migration 0007), recounted from the votes themselves.

Triggers keep ``pair_tallies``, ``pair_totals`` and ``tool_tallies`` exact as votes change, so
this is never needed in normal running. It is for a bulk load that went around the triggers
(PostgreSQL's ``COPY`` with triggers disabled is many times faster than one trigger call per row)
and as a repair: ``shipbot db recount``.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_PICKED = "CASE WHEN choice = {side} THEN 1 ELSE 0 END"
_LOW, _HIGH = _PICKED.format(side="tool_low"), _PICKED.format(side="tool_high")

RECOUNT = (
    "DELETE FROM pair_tallies",
    "DELETE FROM pair_totals",
    "DELETE FROM tool_tallies",
    "INSERT INTO pair_tallies (tool_low, tool_high, platform, community, votes_low, votes_high)"
    f" SELECT tool_low, tool_high, platform, community, SUM({_LOW}), SUM({_HIGH}) FROM votes"
    " GROUP BY tool_low, tool_high, platform, community",
    "INSERT INTO pair_totals (tool_low, tool_high, votes_low, votes_high)"
    f" SELECT tool_low, tool_high, SUM({_LOW}), SUM({_HIGH}) FROM votes"
    " GROUP BY tool_low, tool_high",
    "INSERT INTO tool_tallies (tool_id, picks, total)"
    " SELECT tool_id, SUM(picks), SUM(total) FROM ("
    f" SELECT tool_low AS tool_id, {_LOW} AS picks, 1 AS total FROM votes"
    f" UNION ALL SELECT tool_high, {_HIGH}, 1 FROM votes"
    ") AS sides GROUP BY tool_id",
)


async def recount(connection: AsyncConnection) -> None:
    """Rebuild every kept count from the votes, in the caller's transaction.

    On PostgreSQL the votes table is locked against writes first, so no vote can slip between
    the count and the commit (its trigger would move a count that is about to be replaced)."""
    if connection.dialect.name == "postgresql":
        await connection.execute(text("LOCK TABLE votes IN SHARE MODE"))
    for statement in RECOUNT:
        await connection.execute(text(statement))
