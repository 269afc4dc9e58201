"""The statements that read vote counts: the trigger-kept counts (migration 0007) a card shows,
and the same numbers counted from the votes (for the anti-stuffing rule, and to check them).

Built once at import: building a statement costs about as much as running it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, ScalarSelect, Select, bindparam, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from bot.models import Pair
from data.schema import PairTallyRow, PairTotalRow, ToolTallyRow, UTCDateTime, VoteRow


def pair_params(pair: Pair) -> dict[str, object]:
    return {"tool_low": pair.low, "tool_high": pair.high}


PAIR_TALLY = select(PairTallyRow.votes_low, PairTallyRow.votes_high).where(
    PairTallyRow.tool_low == bindparam("tool_low"),
    PairTallyRow.tool_high == bindparam("tool_high"),
    PairTallyRow.platform == bindparam("platform"),
    PairTallyRow.community == bindparam("community"),
)
PAIR_TOTAL = select(PairTotalRow.votes_low, PairTotalRow.votes_high).where(
    PairTotalRow.tool_low == bindparam("tool_low"),
    PairTotalRow.tool_high == bindparam("tool_high"),
)
TOOL_TALLY = select(ToolTallyRow.picks, ToolTallyRow.total).where(
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


CARD_COUNTS = _card_counts_statement()


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


TOOL_SHARE = _tool_share_statement()
TOOL_SHARE_OLD_ENOUGH = _tool_share_statement(old_enough=True)


def old_enough(voters_before: datetime | None) -> tuple[ColumnElement[bool], ...]:
    """Leave out votes of accounts created after ``voters_before`` (anti-stuffing); unknown
    account ages (platforms that don't say) always count."""
    if voters_before is None:
        return ()
    return (or_(VoteRow.voter_created_at.is_(None), VoteRow.voter_created_at <= voters_before),)
