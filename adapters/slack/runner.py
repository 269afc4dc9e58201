"""``shipbot run slack``: Socket Mode (default), or HTTP mode for workers behind a load balancer,
optionally with the multi-workspace OAuth install flow."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from adapters.bootstrap import App
from adapters.slack.app import SlackApp, build_slack, oauth_stores

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


async def run_slack(app: App, *, http: bool, port: int, oauth: bool) -> None:
    """Serve Slack until cancelled. HTTP mode listens on ``0.0.0.0:port`` at ``/slack/events``
    (plus ``/slack/install`` and ``/slack/oauth_redirect`` with ``oauth``)."""
    if oauth:
        installations, states = oauth_stores(app)  # tables: migration 0006
        slack = build_slack(app, oauth=True, installation_store=installations, state_store=states)
    else:
        slack = build_slack(app)
    try:
        if http:
            await serve_http(slack, port)
        else:
            await serve_socket_mode(slack, app)
    finally:
        await slack.runtime.close()


async def serve_http(slack: SlackApp, port: int, host: str = "0.0.0.0") -> None:
    runner = web.AppRunner(slack.bolt.web_app(path=EVENTS_PATH, port=port), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("slack http mode listening", extra={"port": port, "path": EVENTS_PATH})
        await asyncio.Event().wait()  # until cancelled (Ctrl-C)
    finally:
        await runner.cleanup()


async def serve_socket_mode(slack: SlackApp, app: App) -> None:
    token = app.settings.require("slack_app_token", "your Slack app-level token (xapp-…)")
    handler = AsyncSocketModeHandler(slack.bolt, token)
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("slack socket mode connected")
        await asyncio.Event().wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
