"""sourced facts, offerings and catalog changes

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-03 13:00:00

``tool_facts`` holds each source's value for each field of a tool (context, max output, tool
calling, … status), with its source, link and as-of date; ``offerings`` one row per provider and
source with its price per 1M tokens; ``catalog_changes`` the price changes and deprecations a
sync found (the digest's watch). ``tools.synced`` marks profile text written by the sync, which an
admin edit clears. A new column with a server default, so SQLite needs no table rebuild (the
vote triggers of 0007 are untouched).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0008"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "tools", sa.Column("synced", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "tool_facts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_url", sa.String(length=300), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tool_id"], ["tools.id"], name=op.f("fk_tool_facts_tool_id_tools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tool_facts")),
        sa.UniqueConstraint("tool_id", "key", "source", name=op.f("uq_tool_facts_tool_id_key_source")),
    )
    op.create_index(op.f("ix_tool_facts_tool_id"), "tool_facts", ["tool_id"], unique=False)
    op.create_table(
        "offerings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=60), nullable=False),
        sa.Column("provider_name", sa.String(length=100), nullable=False),
        sa.Column("model_id", sa.String(length=200), nullable=False),
        sa.Column("input_per_m", sa.Float(), nullable=True),
        sa.Column("output_per_m", sa.Float(), nullable=True),
        sa.Column("cache_read_per_m", sa.Float(), nullable=True),
        sa.Column("cache_write_per_m", sa.Float(), nullable=True),
        sa.Column("context", sa.Integer(), nullable=True),
        sa.Column("official", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_url", sa.String(length=300), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tool_id"], ["tools.id"], name=op.f("fk_offerings_tool_id_tools"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offerings")),
        sa.UniqueConstraint(
            "tool_id", "provider", "source", name=op.f("uq_offerings_tool_id_provider_source")
        ),
    )
    op.create_index(op.f("ix_offerings_tool_id"), "offerings", ["tool_id"], unique=False)
    op.create_table(
        "catalog_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tool_id"],
            ["tools.id"],
            name=op.f("fk_catalog_changes_tool_id_tools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_changes")),
    )
    op.create_index(
        op.f("ix_catalog_changes_tool_id"), "catalog_changes", ["tool_id"], unique=False
    )
    op.create_index(
        op.f("ix_catalog_changes_created_at"), "catalog_changes", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_table("catalog_changes")
    op.drop_table("offerings")
    op.drop_table("tool_facts")
    # Not batch mode: rebuilding ``tools`` on SQLite would cascade into every vote.
    op.execute("ALTER TABLE tools DROP COLUMN synced")
