"""Shared by the Alembic environment and the tests that check it."""

from __future__ import annotations

# Tables owned by libraries (slack_sdk's OAuth stores, migration 0006), not by data.schema.
FOREIGN_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Keep autogenerate from proposing to drop the library-owned tables (or their indexes)."""
    table = getattr(getattr(obj, "table", None), "name", None)
    return name not in FOREIGN_TABLES and table not in FOREIGN_TABLES
