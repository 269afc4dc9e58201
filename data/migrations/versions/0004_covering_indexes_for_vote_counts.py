"""covering indexes for vote counts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 20:32:24.515340

Every count a card makes (a pair's tally here and everywhere, each tool's share over all its
pairs) is answered from an index alone. ``ix_votes_pair`` and ``ix_votes_high`` are replaced: each
is a prefix of a new index, which also serves the foreign keys' cascades.
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_high'))
        batch_op.drop_index(batch_op.f('ix_votes_pair'))
        batch_op.create_index('ix_votes_high_choice', ['tool_high', 'choice'], unique=False)
        batch_op.create_index('ix_votes_low_choice', ['tool_low', 'choice'], unique=False)
        batch_op.create_index('ix_votes_pair_choice', ['tool_low', 'tool_high', 'choice', 'platform', 'community', 'voter_created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index('ix_votes_pair_choice')
        batch_op.drop_index('ix_votes_low_choice')
        batch_op.drop_index('ix_votes_high_choice')
        batch_op.create_index(batch_op.f('ix_votes_pair'), ['tool_low', 'tool_high', 'platform', 'community'], unique=False)
        batch_op.create_index(batch_op.f('ix_votes_high'), ['tool_high'], unique=False)
