"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 19:57:49.796310
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('catalog_meta',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_meta'))
    )
    op.bulk_insert(
        sa.table("catalog_meta", sa.column("id", sa.Integer), sa.column("revision", sa.Integer)),
        [{"id": 1, "revision": 0}],
    )
    op.create_table('tools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('normalized', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=False),
    sa.Column('tagline', sa.String(length=200), nullable=False),
    sa.Column('entry', sa.String(length=20), nullable=False),
    sa.Column('pricing_note', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tools')),
    sa.UniqueConstraint('normalized', name=op.f('uq_tools_normalized')),
    sa.UniqueConstraint('slug', name=op.f('uq_tools_slug'))
    )
    op.create_table('aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tool_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=100), nullable=False),
    sa.Column('normalized', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['tool_id'], ['tools.id'], name=op.f('fk_aliases_tool_id_tools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aliases')),
    sa.UniqueConstraint('normalized', name=op.f('uq_aliases_normalized'))
    )
    with op.batch_alter_table('aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aliases_tool_id'), ['tool_id'], unique=False)

    op.create_table('cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('community', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=True),
    sa.Column('tool_a', sa.Integer(), nullable=False),
    sa.Column('tool_b', sa.Integer(), nullable=False),
    sa.Column('tool_low', sa.Integer(), nullable=False),
    sa.Column('tool_high', sa.Integer(), nullable=False),
    sa.Column('lens', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tool_a'], ['tools.id'], name=op.f('fk_cards_tool_a_tools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tool_b'], ['tools.id'], name=op.f('fk_cards_tool_b_tools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cards')),
    sa.UniqueConstraint('platform', 'channel', 'message_id', name=op.f('uq_cards_platform_channel_message_id'))
    )
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_index('ix_cards_pair', ['platform', 'community', 'tool_low', 'tool_high', 'created_at'], unique=False)
        batch_op.create_index('ix_cards_recent', ['platform', 'created_at'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tool_id', sa.Integer(), nullable=False),
    sa.Column('lens', sa.String(length=20), nullable=False),
    sa.Column('reviewer', sa.String(length=100), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tool_id'], ['tools.id'], name=op.f('fk_reviews_tool_id_tools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('tool_id', 'lens', name=op.f('uq_reviews_tool_id_lens'))
    )
    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('community', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('tool_low', sa.Integer(), nullable=False),
    sa.Column('tool_high', sa.Integer(), nullable=False),
    sa.Column('choice', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_votes_card_id_cards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tool_high'], ['tools.id'], name=op.f('fk_votes_tool_high_tools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tool_low'], ['tools.id'], name=op.f('fk_votes_tool_low_tools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('platform', 'community', 'user_id', 'tool_low', 'tool_high', name=op.f('uq_votes_platform_community_user_id_tool_low_tool_high'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index('ix_votes_high', ['tool_high'], unique=False)
        batch_op.create_index('ix_votes_pair', ['tool_low', 'tool_high', 'platform', 'community'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index('ix_votes_pair')
        batch_op.drop_index('ix_votes_high')

    op.drop_table('votes')
    op.drop_table('reviews')
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index('ix_cards_recent')
        batch_op.drop_index('ix_cards_pair')

    op.drop_table('cards')
    with op.batch_alter_table('aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aliases_tool_id'))

    op.drop_table('aliases')
    op.drop_table('tools')
    op.drop_table('catalog_meta')
