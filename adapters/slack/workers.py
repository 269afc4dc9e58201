"""``shipbot run slack --http --workers N``: N processes serving one port.

Each worker is a fresh process (multiprocessing "spawn": nothing is inherited but the
arguments) that builds its own ``App`` from settings — the composition root — and runs
:func:`~adapters.slack.runner.run_slack` with ``reuse_port``, so the Linux kernel spreads incoming
connections over the workers (``SO_REUSEPORT``). Any worker may take any request: votes are
idempotent upserts, refreshes are coalesced through the database, digests are claimed atomically.

The parent only supervises: it forwards SIGTERM / SIGINT to the workers (each then finishes its
acked work, makes its pending card refreshes and closes its database pool) and exits when they
have. If a worker dies on its own, the parent stops the others and exits with that worker's status,
so the process supervisor (Docker, systemd, Kubernetes) restarts the whole set cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from types import FrameType

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def serve_workers(count: int, *, port: int, oauth: bool) -> int:
    """Run ``count`` workers on ``port`` until they stop; the exit status to use."""
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=worker_main, args=(port, oauth), name=f"shipbot-slack-{number}")
        for number in range(count)
    ]
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        for worker in workers:
            if worker.pid is not None and worker.is_alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.pid, signal.SIGTERM)

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("stopping slack workers", extra={"signal": signal.Signals(signum).name})
        stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        for worker in workers:
            worker.start()
        log.info(
            "slack workers started",
            extra={"port": port, "workers": [worker.pid for worker in workers]},
        )
        status = 0
        while any(worker.is_alive() for worker in workers):
            for worker in workers:
                worker.join(timeout=0.2)
                if worker.exitcode is not None and not stopping:
                    log.error(
                        "slack worker exited; stopping the others",
                        extra={"pid": worker.pid, "exitcode": worker.exitcode},
                    )
                    status = worker.exitcode or 1
                    stop()
        return status
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def worker_main(port: int, oauth: bool) -> None:
    """One worker process: settings → App → ``run_slack`` until SIGTERM / SIGINT."""
    from adapters.logging_setup import configure_logging
    from bot.settings import get_settings

    settings = get_settings()
    configure_logging(settings, default_level="WARNING")  # as every `shipbot` command
    try:
        asyncio.run(_serve(port, oauth))
    except Exception:
        log.exception("slack worker failed", extra={"pid": os.getpid()})
        raise SystemExit(1) from None


async def _serve(port: int, oauth: bool) -> None:
    from adapters.bootstrap import build_app
    from adapters.slack.runner import run_slack
    from bot.settings import get_settings

    app = await build_app(get_settings(), migrate=False)  # the parent prepared the database
    main = asyncio.current_task()
    assert main is not None
    loop = asyncio.get_running_loop()
    stopping = False

    def stop() -> None:
        nonlocal stopping
        if not stopping:  # a second signal must not interrupt the clean shutdown
            stopping = True
            main.cancel()

    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop)
    try:
        await run_slack(app, http=True, port=port, oauth=oauth, reuse_port=True)
    except asyncio.CancelledError:
        if not stopping:
            raise
    finally:
        await app.close()
        log.info("slack worker stopped", extra={"pid": os.getpid()})
