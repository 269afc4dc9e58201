"""Who may change the catalog from Slack: workspace admins and owners (``users.info``) and the
user ids in ``SHIPBOT_SLACK_ADMIN_USERS``. The core enforces the right; this only establishes it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.admin import Actor

log = logging.getLogger(__name__)


class AdminCheck:
    """``users.info`` answers are cached for ``ttl`` seconds: a modal open and its submit ask
    twice within seconds, and a demoted admin loses the right within a minute."""

    def __init__(
        self,
        allow: Iterable[str] = (),
        *,
        ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._allow = frozenset(allow)
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[tuple[str, str], tuple[float, bool]] = {}

    async def is_admin(self, client: AsyncWebClient, team_id: str, user_id: str) -> bool:
        if user_id in self._allow:
            return True
        key = (team_id, user_id)
        cached = self._cache.get(key)
        now = self._clock()
        if cached and now - cached[0] < self._ttl:
            return cached[1]
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as error:
            log.warning(
                "users.info failed; treating as not admin",
                extra={"user": user_id, "error": error.response.get("error")},
            )
            return False
        user = response.get("user") or {}
        allowed = bool(
            not user.get("deleted")
            and (user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        )
        self._cache[key] = (now, allowed)
        return allowed

    async def actor(self, client: AsyncWebClient, team_id: str, user_id: str) -> Actor:
        """The person as the core's ``Actor`` (``display`` is what the catalog records)."""
        admin = await self.is_admin(client, team_id, user_id)
        return Actor(id=f"slack:{team_id}:{user_id}", display=f"slack:{user_id}", is_admin=admin)
