"""vote tallies kept by triggers

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 22:08:04.734867

A card used to count votes (a pair's tally here and everywhere, each tool's share over all its
pairs): at a million votes the busiest pair meant counting hundreds of thousands of index entries.
Three small tables now hold those counts, kept by triggers on ``votes``: every insert, delete and
change of a vote (cascades from a removed tool or card included) moves them in the same
transaction, from the row's real old and new values, so they stay exact under any concurrency.
A decrement only ever UPDATEs (the row must exist: the vote was counted when it arrived), so a
cascade that has already removed a tool's rows never re-creates them.

On PostgreSQL each vote takes its rows' locks in one fixed order (the pair in its community, the
pair everywhere, the lower tool, the higher tool), so concurrent single-vote transactions cannot
deadlock. Existing votes are counted once here.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LOW = "(CASE WHEN {row}.choice = {row}.tool_low THEN 1 ELSE 0 END)"
_HIGH = "(CASE WHEN {row}.choice = {row}.tool_high THEN 1 ELSE 0 END)"


def _count_in(row: str) -> list[str]:
    low, high = _LOW.format(row=row), _HIGH.format(row=row)
    return [
        "INSERT INTO pair_tallies (tool_low, tool_high, platform, community, votes_low, votes_high)"
        f" VALUES ({row}.tool_low, {row}.tool_high, {row}.platform, {row}.community, {low}, {high})"
        " ON CONFLICT (tool_low, tool_high, platform, community) DO UPDATE SET"
        " votes_low = pair_tallies.votes_low + excluded.votes_low,"
        " votes_high = pair_tallies.votes_high + excluded.votes_high",
        "INSERT INTO pair_totals (tool_low, tool_high, votes_low, votes_high)"
        f" VALUES ({row}.tool_low, {row}.tool_high, {low}, {high})"
        " ON CONFLICT (tool_low, tool_high) DO UPDATE SET"
        " votes_low = pair_totals.votes_low + excluded.votes_low,"
        " votes_high = pair_totals.votes_high + excluded.votes_high",
        f"INSERT INTO tool_tallies (tool_id, picks, total) VALUES ({row}.tool_low, {low}, 1)"
        " ON CONFLICT (tool_id) DO UPDATE SET"
        " picks = tool_tallies.picks + excluded.picks, total = tool_tallies.total + 1",
        f"INSERT INTO tool_tallies (tool_id, picks, total) VALUES ({row}.tool_high, {high}, 1)"
        " ON CONFLICT (tool_id) DO UPDATE SET"
        " picks = tool_tallies.picks + excluded.picks, total = tool_tallies.total + 1",
    ]


def _count_out(row: str) -> list[str]:
    low, high = _LOW.format(row=row), _HIGH.format(row=row)
    return [
        f"UPDATE pair_tallies SET votes_low = votes_low - {low}, votes_high = votes_high - {high}"
        f" WHERE tool_low = {row}.tool_low AND tool_high = {row}.tool_high"
        f" AND platform = {row}.platform AND community = {row}.community",
        f"UPDATE pair_totals SET votes_low = votes_low - {low}, votes_high = votes_high - {high}"
        f" WHERE tool_low = {row}.tool_low AND tool_high = {row}.tool_high",
        f"UPDATE tool_tallies SET picks = picks - {low}, total = total - 1"
        f" WHERE tool_id = {row}.tool_low",
        f"UPDATE tool_tallies SET picks = picks - {high}, total = total - 1"
        f" WHERE tool_id = {row}.tool_high",
    ]


_COUNTED = "choice, platform, community, tool_low, tool_high"
_CHANGED = " OR ".join(
    f"old.{column} <> new.{column}" for column in _COUNTED.split(", ")
)


def _sqlite_triggers() -> list[str]:
    def body(statements: list[str]) -> str:
        return "BEGIN " + " ".join(f"{s};" for s in statements) + " END"

    return [
        f"CREATE TRIGGER votes_tally_insert AFTER INSERT ON votes {body(_count_in('new'))}",
        f"CREATE TRIGGER votes_tally_delete AFTER DELETE ON votes {body(_count_out('old'))}",
        f"CREATE TRIGGER votes_tally_update AFTER UPDATE OF {_COUNTED} ON votes"
        f" WHEN {_CHANGED} {body(_count_out('old') + _count_in('new'))}",
    ]


def _postgresql_triggers() -> list[str]:
    def function(name: str, statements: list[str]) -> str:
        body = " ".join(f"{s};" for s in statements)
        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {body} RETURN NULL; END $$"
        )

    return [
        function("votes_tally_insert", _count_in("NEW")),
        function("votes_tally_delete", _count_out("OLD")),
        function("votes_tally_update", _count_out("OLD") + _count_in("NEW")),
        "CREATE TRIGGER votes_tally_insert AFTER INSERT ON votes"
        " FOR EACH ROW EXECUTE FUNCTION votes_tally_insert()",
        "CREATE TRIGGER votes_tally_delete AFTER DELETE ON votes"
        " FOR EACH ROW EXECUTE FUNCTION votes_tally_delete()",
        f"CREATE TRIGGER votes_tally_update AFTER UPDATE OF {_COUNTED} ON votes"
        f" FOR EACH ROW WHEN ({_CHANGED}) EXECUTE FUNCTION votes_tally_update()",
    ]


_BACKFILL = [
    "INSERT INTO pair_tallies (tool_low, tool_high, platform, community, votes_low, votes_high)"
    f" SELECT tool_low, tool_high, platform, community, SUM({_LOW.format(row='votes')}),"
    f" SUM({_HIGH.format(row='votes')}) FROM votes"
    " GROUP BY tool_low, tool_high, platform, community",
    "INSERT INTO pair_totals (tool_low, tool_high, votes_low, votes_high)"
    f" SELECT tool_low, tool_high, SUM({_LOW.format(row='votes')}),"
    f" SUM({_HIGH.format(row='votes')}) FROM votes GROUP BY tool_low, tool_high",
    "INSERT INTO tool_tallies (tool_id, picks, total)"
    " SELECT tool_id, SUM(picks), SUM(total) FROM ("
    f" SELECT tool_low AS tool_id, {_LOW.format(row='votes')} AS picks, 1 AS total FROM votes"
    " UNION ALL"
    f" SELECT tool_high, {_HIGH.format(row='votes')}, 1 FROM votes"
    ") AS sides GROUP BY tool_id",
]


def upgrade() -> None:
    op.create_table('pair_tallies',
    sa.Column('tool_low', sa.Integer(), nullable=False),
    sa.Column('tool_high', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('community', sa.String(length=64), nullable=False),
    sa.Column('votes_low', sa.Integer(), nullable=False),
    sa.Column('votes_high', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tool_high'], ['tools.id'], name=op.f('fk_pair_tallies_tool_high_tools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tool_low'], ['tools.id'], name=op.f('fk_pair_tallies_tool_low_tools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tool_low', 'tool_high', 'platform', 'community', name=op.f('pk_pair_tallies'))
    )
    op.create_index(op.f('ix_pair_tallies_tool_high'), 'pair_tallies', ['tool_high'], unique=False)
    op.create_table('pair_totals',
    sa.Column('tool_low', sa.Integer(), nullable=False),
    sa.Column('tool_high', sa.Integer(), nullable=False),
    sa.Column('votes_low', sa.Integer(), nullable=False),
    sa.Column('votes_high', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tool_high'], ['tools.id'], name=op.f('fk_pair_totals_tool_high_tools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tool_low'], ['tools.id'], name=op.f('fk_pair_totals_tool_low_tools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tool_low', 'tool_high', name=op.f('pk_pair_totals'))
    )
    op.create_index(op.f('ix_pair_totals_tool_high'), 'pair_totals', ['tool_high'], unique=False)
    op.create_table('tool_tallies',
    sa.Column('tool_id', sa.Integer(), nullable=False),
    sa.Column('picks', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tool_id'], ['tools.id'], name=op.f('fk_tool_tallies_tool_id_tools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tool_id', name=op.f('pk_tool_tallies'))
    )
    for statement in _BACKFILL:
        op.execute(statement)
    triggers = _postgresql_triggers if op.get_bind().dialect.name == "postgresql" else _sqlite_triggers
    for statement in triggers():
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for kind in ("insert", "delete", "update"):
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS votes_tally_{kind} ON votes")
            op.execute(f"DROP FUNCTION IF EXISTS votes_tally_{kind}()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS votes_tally_{kind}")
    op.drop_index(op.f('ix_pair_totals_tool_high'), table_name='pair_totals')
    op.drop_table('tool_tallies')
    op.drop_table('pair_totals')
    op.drop_index(op.f('ix_pair_tallies_tool_high'), table_name='pair_tallies')
    op.drop_table('pair_tallies')
