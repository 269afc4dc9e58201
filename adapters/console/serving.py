"""How the long-running modes (``shipbot run …``) stop: cleanly, on SIGTERM as on Ctrl-C.

A stop signal cancels the running service, which then stops taking new work, lets in-flight
commands and votes finish (the vote batcher commits what it holds), sends the pending card edits
and closes its connections; the app then closes the database engine and the process exits 0 with
``stopped`` in the log. A watchdog bounds all of it (``SHIPBOT_SHUTDOWN_SECONDS``, 8 s: inside
Docker's default 10 s grace); past it the process says so and exits 1. A second signal while
draining is ignored (the ``--workers`` parent forwards one, a terminal's Ctrl-C sends another).
Beside the service runs the health server (``/healthz``, ``/metrics`` on SHIPBOT_HEALTH_PORT).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from adapters.console.runtime import run_with_app

if TYPE_CHECKING:  # the app (and SQLAlchemy, the catalog, …) loads when a command runs
    from adapters.bootstrap import App

log = logging.getLogger("shipbot.run")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def run_service(action: Callable[[App], Awaitable[None]]) -> None:
    """Run ``action`` (a bot or server that runs until cancelled) until a stop signal."""
    run_with_app(lambda app: until_signalled(action, app), log_level="INFO")
    log.info("stopped", extra={"pid": os.getpid()})


async def until_signalled(action: Callable[[App], Awaitable[None]], app: App) -> None:
    """Await ``action(app)`` beside the health server; SIGTERM / SIGINT cancel it, and its own
    cleanup is the drain."""
    from adapters.health_server import health_server  # aiohttp: only for the long-running modes

    async with health_server(app):
        await _until_signalled(action, app)


async def _until_signalled(action: Callable[[App], Awaitable[None]], app: App) -> None:
    loop = asyncio.get_running_loop()
    work = asyncio.ensure_future(action(app))
    received: list[signal.Signals] = []
    grace = app.settings.shutdown_seconds

    def on_signal(sig: signal.Signals) -> None:
        if received:
            log.info("already shutting down", extra={"signal": sig.name})
            return
        received.append(sig)
        log.info("shutting down (%s)", sig.name, extra={"grace_seconds": grace})
        watchdog = threading.Timer(grace, _give_up, args=(grace,))
        watchdog.daemon = True
        watchdog.start()
        work.cancel()

    for sig in STOP_SIGNALS:  # kept until the loop closes, so they cover closing the engine too
        loop.add_signal_handler(sig, on_signal, sig)
    try:
        await work
    except asyncio.CancelledError:
        if not received:
            raise


def _give_up(grace: float) -> None:
    """The drain took too long: exit now rather than be killed mid-write by the supervisor."""
    log.error("shutdown took longer than %s s; exiting without finishing", grace)
    for handler in logging.getLogger().handlers:
        handler.flush()
    os._exit(1)
