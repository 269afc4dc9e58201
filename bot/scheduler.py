"""Posts the weekly digest to subscribed channels. The schedule lives in the database, so it
survives restarts; claiming a run is atomic, so a run is posted once however many processes poll."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.community import CommunityService
from bot.digest import Digest
from bot.models import Subscription

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
        """Post every digest that is due now (a missed one once); return how many were posted."""
        posted = 0
        for subscription, following in await self._community.claim_due(self._platform):
            try:
                digest = await self._community.digest(subscription.community)
                await self._post(subscription, digest)
                posted += 1
                log.info(
                    "digest posted", extra={"channel": subscription.channel, "next": following}
                )
            except asyncio.CancelledError:
                # Shutting down between the claim and the post: hand the run back so the next
                # start posts it, instead of silently skipping a week.
                await asyncio.shield(self._community.release(subscription, following))
                raise
            except Exception:
                log.exception(
                    "digest post failed; will retry", extra={"channel": subscription.channel}
                )
                await self._community.release(subscription, following)
        return posted

    async def run_forever(self) -> None:
        """Check on start (posting a run missed while down), then every ``poll_seconds``."""
        while True:
            try:
                await self.run_due()
            except Exception:
                log.exception("digest scheduler pass failed", extra={"platform": self._platform})
            await asyncio.sleep(self._poll)
