"""Slack OAuth installation and state stores

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 20:45:00

The tables of slack_sdk's SQLAlchemy installation store (slack_installations, slack_bots) and
OAuth state store (slack_oauth_states), used by ``shipbot run slack --http --oauth``. Their
columns are slack_sdk's own, built by its table builders so the stores can read them; ``env.py``
keeps autogenerate from proposing to drop them (they are not in ``data.schema``).
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tables() -> tuple[MetaData, list[Table]]:
    metadata = MetaData()
    tables = [
        SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations"),
        SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states"),
    ]
    return metadata, tables


def upgrade() -> None:
    metadata, tables = _tables()
    metadata.create_all(op.get_bind(), tables=tables, checkfirst=True)


def downgrade() -> None:
    metadata, tables = _tables()
    metadata.drop_all(op.get_bind(), tables=tables, checkfirst=True)
