"""The health server every ``shipbot run …`` mode starts beside its bot: ``GET /healthz`` and
``GET /metrics`` on ``SHIPBOT_HEALTH_HOST:SHIPBOT_HEALTH_PORT`` (0.0.0.0:8080; port 0: none).

A port already taken is logged as one ERROR line naming the port and the setting, and the bot
runs on without it: a health server is never the reason a bot is down.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from adapters.bootstrap import App
from adapters.observability import add_health_routes

log = logging.getLogger("shipbot.health")


@asynccontextmanager
async def health_server(app: App) -> AsyncIterator[int | None]:
    """Serve /healthz and /metrics while the block runs; yields the port, or None (disabled or
    the port could not be bound)."""
    host, port = app.settings.health_host, app.settings.health_port
    if port == 0:
        yield None
        return
    web_app = web.Application()
    add_health_routes(web_app, app.engine, app.metrics, app.health)
    runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    listening: int | None = port
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        listening = None
        log.error(
            "health server not started: port %s on %s is unavailable (%s); set "
            "SHIPBOT_HEALTH_PORT to a free port, or 0 for none. The bot runs on without it.",
            port,
            host,
            error.strerror or error,
            extra={"port": port, "host": host, "setting": "SHIPBOT_HEALTH_PORT"},
        )
    else:
        log.info("health server listening", extra={"host": host, "port": port})
    try:
        yield listening
    finally:
        await runner.cleanup()
