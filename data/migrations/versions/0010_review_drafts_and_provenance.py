"""Review drafts with provenance: AI drafts and member takes wait in an approval queue

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-03 13:00:00

``reviews`` keeps every review of a lens (the unique (tool_id, lens) goes): a tool's panel is its
newest approved review of each lens, the older ones are history. New columns say who wrote it
(``kind``: editorial, ai_draft, member_take; ``author``), where it stands (``status``: queued,
approved, rejected; ``decided_by`` / ``decided_at``) and an AI draft's receipts (provider, model,
prompt version, token usage, facts relied on, flags). Existing rows become approved editorial
reviews, so every card reads as before.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_COLUMNS = (
    ("kind", 20, "editorial"),
    ("status", 10, "approved"),
    ("author", 100, ""),
    ("author_id", 160, ""),
    ("provider", 100, ""),
    ("model", 200, ""),
    ("prompt_version", 40, ""),
    ("decided_by", 100, ""),
)


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_reviews_tool_id_lens"), type_="unique")
        for name, length, default in _TEXT_COLUMNS:
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default=default)
            )
        for name in ("prompt_tokens", "completion_tokens"):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        for name in ("facts", "flags"):
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_reviews_tool_lens", ["tool_id", "lens"], unique=False)
        batch_op.create_index("ix_reviews_status", ["status", "created_at"], unique=False)


def downgrade() -> None:
    # Going back to one review per lens: keep each lens's newest approved review only.
    op.execute(
        "DELETE FROM reviews WHERE status != 'approved' OR id NOT IN ("
        " SELECT MAX(id) FROM reviews WHERE status = 'approved' GROUP BY tool_id, lens)"
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_reviews_status")
        batch_op.drop_index("ix_reviews_tool_lens")
        for name in ("decided_at", "flags", "facts", "completion_tokens", "prompt_tokens"):
            batch_op.drop_column(name)
        for name, _, _ in reversed(_TEXT_COLUMNS):
            batch_op.drop_column(name)
        batch_op.create_unique_constraint(op.f("uq_reviews_tool_id_lens"), ["tool_id", "lens"])
