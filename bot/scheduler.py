"""Posts the weekly digest to subscribed channels. The schedule lives in the database, so it
survives restarts; claiming a run is atomic, so a run is posted once however many processes poll.

A failed post backs off and is given up after a bound; a channel that is gone or closed to
shipbot is unsubscribed (bot.digest_retry)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.community import CommunityService
from bot.digest import Digest
from bot.digest_retry import ChannelGone
from bot.models import Community, Subscription

log = logging.getLogger(__name__)

Post = Callable[[Subscription, Digest], Awaitable[None]]


class DigestScheduler:
    def __init__(
        self, community: CommunityService, platform: str, post: Post, poll_seconds: float = 60
    ) -> None:
        self._community = community
        self._platform = platform
        self._post = post
        self._poll = poll_seconds

    async def run_due(self) -> int:
        """Post every digest that is due now (a missed one once); return how many were posted.
        A community's digest is built once per pass, however many of its channels are due."""
        posted = 0
        built: dict[Community, Digest] = {}
        for subscription, following in await self._community.claim_due(self._platform):
            where = subscription.community
            try:
                if where not in built:
                    built[where] = await self._community.digest(where)
                await self._post(subscription, built[where])
            except asyncio.CancelledError:
                # Shutting down between the claim and the post: hand the run back so the next
                # start posts it, instead of silently skipping a week.
                await asyncio.shield(self._community.release(subscription, following))
                raise
            except ChannelGone as gone:
                await self._community.drop_subscription(subscription)
                log.warning(
                    "digest channel unsubscribed: %s",
                    gone,
                    extra=_where(subscription),
                )
            except Exception:
                await self._failed(subscription, following)
            else:
                await self._community.digest_posted(subscription)
                posted += 1
                log.info("digest posted", extra={**_where(subscription), "next": following})
        return posted

    async def _failed(self, subscription: Subscription, following: datetime) -> None:
        retry = await self._community.digest_failed(subscription, following)
        failures = subscription.failures + 1
        if retry is None:
            log.error(
                "digest post failed %d times; this run is given up",
                failures,
                exc_info=True,
                extra={**_where(subscription), "next": following},
            )
        else:
            log.warning(
                "digest post failed; will retry",
                exc_info=True,
                extra={**_where(subscription), "failures": failures, "retry_at": retry},
            )

    async def run_forever(self) -> None:
        """Check on start (posting a run missed while down), then every ``poll_seconds``."""
        while True:
            try:
                await self.run_due()
            except Exception:
                log.exception("digest scheduler pass failed", extra={"platform": self._platform})
            await asyncio.sleep(self._poll)


def _where(subscription: Subscription) -> dict[str, str]:
    return {
        "platform": subscription.community.platform,
        "community": subscription.community.id,
        "channel": subscription.channel,
    }
