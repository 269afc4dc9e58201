"""Who may do what from Slack. A workspace's admins and owners (``users.info``) and the user ids in
``SHIPBOT_SLACK_ADMIN_USERS`` are its community admins (digest subscriptions, vote exports, tool
suggestions); the catalog every workspace shares is changed only by ``SHIPBOT_CATALOG_ADMINS``
(``slack:USER_ID`` or ``slack:TEAM_ID:USER_ID``). The core enforces both; this only establishes them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.admin import Actor

log = logging.getLogger(__name__)


def actor_id(team_id: str, user_id: str) -> str:
    """``slack:<team>:<user>``: a person as the core records them (``Actor.id``, and the
    ``asked_by`` of the cards they ask for, so closing compares like with like)."""
    return f"slack:{team_id}:{user_id}"


class AdminCheck:
    """``users.info`` answers are cached for ``ttl`` seconds: a modal open and its submit ask
    twice within seconds, and a demoted admin loses the right within a minute."""

    def __init__(
        self,
        allow: Iterable[str] = (),
        *,
        catalog_admins: Iterable[str] = (),
        ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._allow = frozenset(allow)
        self._catalog = frozenset(catalog_admins)
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

    def is_catalog_admin(self, team_id: str, user_id: str) -> bool:
        """One of ``SHIPBOT_CATALOG_ADMINS``: may change the catalog every community shares."""
        return bool(user_id) and (
            f"slack:{user_id}" in self._catalog or f"slack:{team_id}:{user_id}" in self._catalog
        )

    async def actor(self, client: AsyncWebClient, team_id: str, user_id: str) -> Actor:
        """The person as the core's ``Actor`` (``display`` is what the catalog records)."""
        admin = await self.is_admin(client, team_id, user_id)
        return Actor(
            id=actor_id(team_id, user_id),
            display=f"slack:{user_id}",
            is_admin=admin,
            catalog_admin=self.is_catalog_admin(team_id, user_id),
        )
