"""The web app in process, over httpx's ASGI transport (no socket, no browser)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.bootstrap import App
from adapters.web.app import create_web_app

BASE = "http://shipbot.test"
SEED_PATH = "/compare/smollm-3-vs-mistral-medium-3"


@pytest.fixture
async def web(app: App) -> AsyncIterator[httpx.AsyncClient]:
    site = create_web_app(app)
    transport = httpx.ASGITransport(app=site)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client
    await site.state.site.live.close()
