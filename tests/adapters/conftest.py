"""Fixtures of the CLI tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def db_env(database_url: str) -> dict[str, str]:
    """The environment that points ``shipbot`` at this test's fresh, seeded database."""
    return {"SHIPBOT_DATABASE_URL": database_url}
