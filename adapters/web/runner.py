"""Serve the web pages with uvicorn: alone (``shipbot run web``) or beside a bot in its process
(``SHIPBOT_WEB_PORT``)."""

from __future__ import annotations

import asyncio
import logging

from adapters.bootstrap import App

log = logging.getLogger(__name__)


async def serve_web(app: App, host: str, port: int) -> None:
    """Serve until cancelled (Ctrl-C, SIGTERM); open event streams are closed on the way out."""
    import uvicorn

    from adapters.web.app import create_web_app

    config = uvicorn.Config(
        create_web_app(app),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        server_header=False,
        timeout_graceful_shutdown=2,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    app.health.register("web", lambda: server.started and not server.should_exit)
    log.info("web pages listening", extra={"host": host, "port": port})
    serving = asyncio.ensure_future(server.serve())
    try:
        await asyncio.shield(serving)
    except asyncio.CancelledError:  # stop the way uvicorn stops on a signal: gracefully
        server.should_exit = True
        await serving
        raise
