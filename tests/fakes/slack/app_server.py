"""Serve a real slack-bolt ``AsyncApp`` over HTTP on 127.0.0.1 (free port) for tests.

Uses Bolt's own ``AsyncSlackAppServer`` routes (the ``slack_bolt.adapter.aiohttp``
request/response conversion), or the ``web.Application`` that ``make_web_app`` builds (the
e2e tests pass shipbot's own, so requests take exactly the production code path).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.app.async_server import AsyncSlackAppServer

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp


class BoltAppServer:
    """``async with BoltAppServer(app) as server: server.url`` → ``http://127.0.0.1:N/slack/events``."""

    def __init__(
        self,
        app: AsyncApp,
        path: str = "/slack/events",
        make_web_app: Callable[[], web.Application] | None = None,
    ) -> None:
        self.app = app
        self.path = path
        self.make_web_app = make_web_app
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    async def start(self) -> None:
        """Bind a free port and start serving."""
        # A fresh AsyncSlackAppServer each time: app.web_app() caches one web.Application,
        # which aiohttp refuses to run twice.
        if self.make_web_app is not None:
            web_app = self.make_web_app()
        else:
            web_app = AsyncSlackAppServer(
                port=0, path=self.path, app=self.app, host="127.0.0.1"
            ).web_app
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BoltAppServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """The request URL to give :class:`~tests.fakes.slack.client.SlackEventSender`."""
        if self._port is None:
            raise RuntimeError("BoltAppServer.start() was not awaited")
        return f"http://127.0.0.1:{self._port}{self.path}"
