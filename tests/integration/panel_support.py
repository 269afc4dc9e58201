"""An app whose panel settings point at the fake OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from adapters.bootstrap import App, build_app
from bot.admin import Actor
from bot.settings import Settings
from tests.fakes.openai import FakeChatServer

ADMIN = Actor(id="u-admin", display="Ada", is_admin=True, catalog_admin=True)
MEMBER = Actor(id="u-member", display="Mo", is_admin=False)


def panel_settings(database_url: str, base_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "panel_base_url": base_url,
        "panel_model": "fake-panel-1",
        "panel_timeout_seconds": 2.0,
        "panel_max_retries": 1,
        "panel_invalid_retries": 1,
        "_env_file": None,
    }
    return Settings(**(values | overrides))


@asynccontextmanager
async def panel_app(
    database_url: str, fake: FakeChatServer, **overrides: Any
) -> AsyncIterator[App]:
    app = await build_app(panel_settings(database_url, fake.base_url, **overrides), migrate=False)
    try:
        yield app
    finally:
        await app.close()
