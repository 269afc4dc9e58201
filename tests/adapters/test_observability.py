"""One log line and one metric per action; /healthz tells the truth about the database."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.bootstrap import App
from adapters.observability import Metrics, add_health_routes, observe
from bot.errors import InvalidInput
from bot.health import HealthChecks
from data.database import create_engine


async def test_observe_logs_one_line_with_latency_and_outcome(
    caplog: pytest.LogCaptureFixture,
) -> None:
    metrics = Metrics()
    caplog.set_level(logging.INFO, logger="shipbot.events")
    async with observe(metrics, "slack", "compare", user="U1") as seen:
        seen.fields["card"] = 7
    with pytest.raises(InvalidInput):
        async with observe(metrics, "slack", "compare", user="U2"):
            raise InvalidInput("bad")
    records = [r for r in caplog.records if r.name == "shipbot.events"]
    assert [(r.getMessage(), r.outcome, r.user) for r in records] == [  # type: ignore[attr-defined]
        ("compare", "ok", "U1"),
        ("compare", "user_error", "U2"),
    ]
    assert records[0].card == 7 and records[0].latency_ms >= 0  # type: ignore[attr-defined]
    page = metrics.exposition().decode()
    assert 'shipbot_actions_total{action="compare",outcome="ok",platform="slack"} 1.0' in page
    assert (
        'shipbot_actions_total{action="compare",outcome="user_error",platform="slack"} 1.0' in page
    )
    assert "shipbot_action_seconds_bucket" in page


async def test_healthz_and_metrics(app: App) -> None:
    web_app = web.Application()
    add_health_routes(web_app, app.engine, app.metrics, app.health)
    async with TestClient(TestServer(web_app)) as client:
        health = await client.get("/healthz")
        assert health.status == 200 and (await health.json())["database"] == "up"
        metrics = await client.get("/metrics")
        assert metrics.status == 200 and metrics.headers["Content-Type"].startswith("text/plain")


async def test_healthz_is_503_when_the_database_is_down() -> None:
    engine = create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none", pool_pre_ping=False)
    web_app = web.Application()
    add_health_routes(web_app, engine, Metrics(), HealthChecks())
    try:
        async with TestClient(TestServer(web_app)) as client:
            health = await client.get("/healthz")
            assert health.status == 503 and (await health.json())["database"] == "down"
    finally:
        await engine.dispose()
