"""Metrics and structured timing for every command and vote, plus /healthz and /metrics.

Each process owns one ``Metrics`` (its own Prometheus registry, nothing global), built by the
composition root. Adapters wrap each user action in ``observe(...)``, which logs exactly one line
with the action, its outcome and its latency, and records the same in the metrics; ``guarded``
adds the one way every adapter answers a failed action.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import UserFacingError
from bot.health import HealthChecks
from bot.help import Commands

if TYPE_CHECKING:  # aiohttp loads with the Slack HTTP server, not when a command starts
    from aiohttp import web

log = logging.getLogger("shipbot.events")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """The process's metrics: prometheus_client's process and GC collectors, the action
    counters, and gauges of the work waiting (votes queued, card edits pending)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(PROCESS_COLLECTOR)  # process_cpu_seconds_total, memory, fds
        self.registry.register(GC_COLLECTOR)
        self._queues: list[Callable[[], int]] = []
        self._refreshers: list[Callable[[], int]] = []
        Gauge(
            "shipbot_vote_queue_depth",
            "Votes received and not yet committed.",
            registry=self.registry,
        ).set_function(lambda: sum(depth() for depth in self._queues))
        Gauge(
            "shipbot_card_refreshes_pending",
            "Cards waiting for an edit that shows their current numbers.",
            registry=self.registry,
        ).set_function(lambda: sum(pending() for pending in self._refreshers))
        self.actions = Counter(
            "shipbot_actions",
            "User actions handled (commands, votes, clicks), by outcome.",
            ["platform", "action", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "shipbot_action_seconds",
            "Time to handle a user action.",
            ["platform", "action"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.card_edits = Counter(
            "shipbot_card_edits",
            "Card refreshes sent to a platform.",
            ["platform"],
            registry=self.registry,
        )

    def watch_votes(self, depth: Callable[[], int]) -> None:
        """Count ``depth()`` (a vote queue's length) in ``shipbot_vote_queue_depth``."""
        self._queues.append(depth)

    def watch_refreshes(self, pending: Callable[[], int]) -> None:
        """Count ``pending()`` (a card refresher's) in ``shipbot_card_refreshes_pending``."""
        self._refreshers.append(pending)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


@dataclass
class Observation:
    """What an action may add to its log line while it runs (e.g. the card it made)."""

    fields: dict[str, Any] = field(default_factory=dict)
    outcome: str = "ok"


@asynccontextmanager
async def observe(
    metrics: Metrics, platform: str, action: str, **context: Any
) -> AsyncIterator[Observation]:
    """Time one user action: one log line and one metric sample, whatever happens.

    A ``UserFacingError`` is an expected outcome ("user_error"); anything else is "error" and is
    logged with its traceback before it propagates to the adapter's own handler.
    """
    observation = Observation()
    started = time.perf_counter()
    try:
        yield observation
    except UserFacingError:
        observation.outcome = "user_error"
        raise
    except Exception:
        observation.outcome = "error"
        raise
    finally:
        elapsed = time.perf_counter() - started
        metrics.actions.labels(platform, action, observation.outcome).inc()
        metrics.latency.labels(platform, action).observe(elapsed)
        level = logging.ERROR if observation.outcome == "error" else logging.INFO
        log.log(
            level,
            action,
            exc_info=observation.outcome == "error",
            extra={
                "platform": platform,
                "outcome": observation.outcome,
                "latency_ms": round(elapsed * 1000, 2),
                **context,
                **observation.fields,
            },
        )


Tell = Callable[[str], Awaitable[None]]
"""Say one line privately to the person who acted (ephemeral, response_url, stderr …)."""


@asynccontextmanager
async def guarded(
    observation: AbstractAsyncContextManager[Observation],
    tell: Tell,
    apology: str,
    *,
    inert: Callable[[str], str] = str,
    commands: Commands | None = None,
) -> AsyncIterator[Observation]:
    """Run one user action observed (``observe``) and never let it fail silently or loudly: a
    ``UserFacingError`` is told in its own words (made ``inert`` for the platform's markup, its
    hint naming the command as the surface spells it: ``commands``), and
    anything else gets ``apology`` (``observe`` has logged its traceback). Every adapter's
    handlers run inside this."""
    try:
        async with observation as seen:
            yield seen
    except UserFacingError as error:
        await tell(inert(error.told(commands)))
    except Exception:
        await tell(apology)


def add_health_routes(
    web_app: web.Application, engine: AsyncEngine, metrics: Metrics, checks: HealthChecks
) -> None:
    """``GET /healthz`` (200 when the database answers ``SELECT 1`` and every registered
    platform check is up, else 503 naming what is down) and ``GET /metrics``."""
    from aiohttp import web

    async def database() -> bool:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True

    async def healthz(_: web.Request) -> web.Response:
        report = await checks.report(database)
        if not report.ok:
            log.warning("unhealthy", extra={"down": report.down()})
        return web.json_response(report.as_json(), status=200 if report.ok else 503)

    async def metrics_page(_: web.Request) -> web.Response:
        response = web.Response(body=metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics_page)
