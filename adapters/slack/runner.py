"""``shipbot run slack``: Socket Mode (default), or HTTP mode for workers behind a load balancer,
optionally with the multi-workspace OAuth install flow. Both run the weekly digest scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.bootstrap import App
from adapters.observability import add_health_routes
from adapters.slack.app import SlackApp, build_slack, oauth_stores
from adapters.slack.digest import POLL_SECONDS, digest_scheduler
from adapters.slack.http import EVENTS_PATH, slack_web_app

log = logging.getLogger(__name__)


async def run_slack(
    app: App,
    *,
    http: bool,
    port: int,
    oauth: bool,
    reuse_port: bool = False,
    digest_poll_seconds: float = POLL_SECONDS,
) -> None:
    """Serve Slack until cancelled. HTTP mode listens on ``0.0.0.0:port`` at ``/slack/events``,
    with ``GET /healthz`` and ``GET /metrics`` (plus ``/slack/install`` and
    ``/slack/oauth_redirect`` with ``oauth``); ``reuse_port`` lets several worker processes
    share the port (``--workers``)."""
    if oauth:
        installations, states = oauth_stores(app)  # tables: migration 0006
        slack = build_slack(app, oauth=True, installation_store=installations, state_store=states)
    else:
        slack = build_slack(app)
    digests = asyncio.create_task(
        digest_scheduler(slack.runtime, digest_poll_seconds).run_forever()
    )
    try:
        if http:
            await serve_http(slack, app, port, reuse_port=reuse_port)
        else:
            await serve_socket_mode(slack, app)
    finally:
        digests.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await digests
        await slack.runtime.close()


async def serve_http(
    slack: SlackApp, app: App, port: int, host: str = "0.0.0.0", *, reuse_port: bool = False
) -> None:
    secret = app.settings.require("slack_signing_secret", "your Slack app's signing secret")
    web_app = slack_web_app(slack.bolt, secret, EVENTS_PATH)
    add_health_routes(web_app, app.engine, app.metrics, app.health)
    # On shutdown, requests in flight get a few seconds (votes commit before their 200).
    runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=4.0)
    await runner.setup()
    listening = False
    app.health.register("slack", lambda: listening)
    try:
        await web.TCPSite(runner, host, port, reuse_port=reuse_port or None).start()
        listening = True
        log.info(
            "slack http mode listening",
            extra={"port": port, "path": EVENTS_PATH, "pid": os.getpid()},
        )
        await asyncio.Event().wait()  # until cancelled (Ctrl-C, SIGTERM)
    finally:
        listening = False
        await runner.cleanup()


async def serve_socket_mode(slack: SlackApp, app: App) -> None:
    token = app.settings.require("slack_app_token", "your Slack app-level token (xapp-…)")
    handler = AsyncSocketModeHandler(slack.bolt, token)
    app.health.register("slack", handler.client.is_connected)
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("slack socket mode connected")
        await asyncio.Event().wait()
    finally:  # let running listeners finish and ack over the socket before it closes
        await slack.runtime.settle(4.0)
        await handler.close_async()  # type: ignore[no-untyped-call]
