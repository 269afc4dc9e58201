"""catalog ownership: archived tools, one owner per name, tool suggestions

Revision ID: 0009
Revises: 0010
Create Date: 2026-12-03 13:00:00

- ``tools.archived_at`` / ``archived_by``: removing a tool archives it (out of matching and new
  cards; its votes, cards and reviews stay, and it can be restored).
- ``catalog_names``: every normalized tool name and alias with the one tool it points to, kept by
  triggers on ``tools`` and ``aliases``, so the database refuses a name or alias that another tool
  already answers to, whatever writes it (an import included). An existing alias that repeats
  another tool's name (it made every compare with it ambiguous) is dropped here; the tool keeps
  its name.
- ``tool_suggestions``: tools a community admin asked the catalog admins to add.
- ``vote_withdrawals``: votes withdrawn by button or command, so the start-up reaction reconcile
  never writes back a vote whose owner withdrew it while their reaction stayed on the card.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import data.schema

revision: str = "0009"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOOLS_IN = "INSERT INTO catalog_names (normalized, tool_id) VALUES ({row}.normalized, {row}.id)"
_TOOLS_MOVE = (
    "UPDATE catalog_names SET normalized = NEW.normalized"
    " WHERE normalized = OLD.normalized AND tool_id = OLD.id"
)
_ALIAS_IN = (
    "INSERT INTO catalog_names (normalized, tool_id) VALUES ({row}.normalized, {row}.tool_id)"
)
_ALIAS_OUT = (
    "DELETE FROM catalog_names WHERE normalized = OLD.normalized AND tool_id = OLD.tool_id"
)
_ALIAS_MOVE = (
    "UPDATE catalog_names SET normalized = NEW.normalized, tool_id = NEW.tool_id"
    " WHERE normalized = OLD.normalized AND tool_id = OLD.tool_id"
)


def _sqlite_triggers() -> list[str]:
    return [
        f"CREATE TRIGGER tools_name_insert AFTER INSERT ON tools"
        f" BEGIN {_TOOLS_IN.format(row='NEW')}; END",
        "CREATE TRIGGER tools_name_update AFTER UPDATE OF normalized ON tools"
        f" WHEN OLD.normalized <> NEW.normalized BEGIN {_TOOLS_MOVE}; END",
        f"CREATE TRIGGER aliases_name_insert AFTER INSERT ON aliases"
        f" BEGIN {_ALIAS_IN.format(row='NEW')}; END",
        f"CREATE TRIGGER aliases_name_delete AFTER DELETE ON aliases BEGIN {_ALIAS_OUT}; END",
        "CREATE TRIGGER aliases_name_update AFTER UPDATE OF normalized, tool_id ON aliases"
        f" BEGIN {_ALIAS_MOVE}; END",
    ]


def _postgresql_triggers() -> list[str]:
    def function(name: str, statement: str) -> str:
        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {statement}; RETURN NULL; END $$"
        )

    return [
        function("tools_name_insert", _TOOLS_IN.format(row="NEW")),
        function("tools_name_update", _TOOLS_MOVE),
        function("aliases_name_insert", _ALIAS_IN.format(row="NEW")),
        function("aliases_name_delete", _ALIAS_OUT),
        function("aliases_name_update", _ALIAS_MOVE),
        "CREATE TRIGGER tools_name_insert AFTER INSERT ON tools"
        " FOR EACH ROW EXECUTE FUNCTION tools_name_insert()",
        "CREATE TRIGGER tools_name_update AFTER UPDATE OF normalized ON tools"
        " FOR EACH ROW WHEN (OLD.normalized <> NEW.normalized)"
        " EXECUTE FUNCTION tools_name_update()",
        "CREATE TRIGGER aliases_name_insert AFTER INSERT ON aliases"
        " FOR EACH ROW EXECUTE FUNCTION aliases_name_insert()",
        "CREATE TRIGGER aliases_name_delete AFTER DELETE ON aliases"
        " FOR EACH ROW EXECUTE FUNCTION aliases_name_delete()",
        "CREATE TRIGGER aliases_name_update AFTER UPDATE OF normalized, tool_id ON aliases"
        " FOR EACH ROW EXECUTE FUNCTION aliases_name_update()",
    ]


_TRIGGERS = (
    ("tools", "tools_name_insert"),
    ("tools", "tools_name_update"),
    ("aliases", "aliases_name_insert"),
    ("aliases", "aliases_name_delete"),
    ("aliases", "aliases_name_update"),
)


def upgrade() -> None:
    op.add_column("tools", sa.Column("archived_at", data.schema.UTCDateTime(), nullable=True))
    op.add_column(
        "tools",
        sa.Column("archived_by", sa.String(length=100), nullable=False, server_default=""),
    )
    op.create_table(
        "catalog_names",
        sa.Column("normalized", sa.String(length=200), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tool_id"],
            ["tools.id"],
            name=op.f("fk_catalog_names_tool_id_tools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("normalized", name=op.f("pk_catalog_names")),
    )
    op.create_index(op.f("ix_catalog_names_tool_id"), "catalog_names", ["tool_id"], unique=False)
    op.create_table(
        "tool_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("community", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", data.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tool_suggestions")),
    )
    op.create_index(
        op.f("ix_tool_suggestions_created_at"), "tool_suggestions", ["created_at"], unique=False
    )
    op.create_table(
        "vote_withdrawals",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("community", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("tool_low", sa.Integer(), nullable=False),
        sa.Column("tool_high", sa.Integer(), nullable=False),
        sa.Column("withdrawn_at", data.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tool_high"],
            ["tools.id"],
            name=op.f("fk_vote_withdrawals_tool_high_tools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tool_low"],
            ["tools.id"],
            name=op.f("fk_vote_withdrawals_tool_low_tools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "platform",
            "community",
            "user_id",
            "tool_low",
            "tool_high",
            name=op.f("pk_vote_withdrawals"),
        ),
    )
    op.create_index(
        op.f("ix_vote_withdrawals_tool_high"), "vote_withdrawals", ["tool_high"], unique=False
    )
    # An alias that repeats another tool's name made that name ambiguous: the name wins.
    op.execute(
        "DELETE FROM aliases WHERE normalized IN (SELECT normalized FROM tools)"
    )
    op.execute("INSERT INTO catalog_names (normalized, tool_id) SELECT normalized, id FROM tools")
    op.execute(
        "INSERT INTO catalog_names (normalized, tool_id) SELECT normalized, tool_id FROM aliases"
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in _postgresql_triggers() if postgresql else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, name in _TRIGGERS:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index(op.f("ix_vote_withdrawals_tool_high"), table_name="vote_withdrawals")
    op.drop_table("vote_withdrawals")
    op.drop_index(op.f("ix_tool_suggestions_created_at"), table_name="tool_suggestions")
    op.drop_table("tool_suggestions")
    op.drop_index(op.f("ix_catalog_names_tool_id"), table_name="catalog_names")
    op.drop_table("catalog_names")
    # Not batch mode: copying ``tools`` on SQLite would cascade-delete every vote.
    op.execute("ALTER TABLE tools DROP COLUMN archived_by")
    op.execute("ALTER TABLE tools DROP COLUMN archived_at")
