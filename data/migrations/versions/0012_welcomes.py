"""welcomes: the communities shipbot has posted its welcome in, once each

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 17:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "welcomes",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "community_id", name=op.f("pk_welcomes")),
    )


def downgrade() -> None:
    op.drop_table("welcomes")
