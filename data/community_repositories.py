"""SQL repositories for the community features: digest subscriptions and install-wide values."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Community, Subscription
from data.schema import MetaRow, SubscriptionRow, utcnow


class SqlSubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def put(
        self,
        community: Community,
        channel: str,
        weekday: int,
        hour: int,
        timezone: str,
        next_run_at: datetime,
        actor: str,
    ) -> Subscription:
        """Subscribe a channel, or change its schedule if it already is."""
        row = await self._s.scalar(
            select(SubscriptionRow).where(
                SubscriptionRow.platform == community.platform,
                SubscriptionRow.community == community.id,
                SubscriptionRow.channel == channel,
            )
        )
        if row is None:
            row = SubscriptionRow(
                platform=community.platform,
                community=community.id,
                channel=channel,
                created_by=actor,
                created_at=utcnow(),
            )
            self._s.add(row)
        row.weekday, row.hour, row.timezone, row.next_run_at = weekday, hour, timezone, next_run_at
        await self._s.flush()
        return _subscription(row)

    async def remove(self, community: Community, channel: str) -> bool:
        result = await self._s.execute(
            delete(SubscriptionRow).where(
                SubscriptionRow.platform == community.platform,
                SubscriptionRow.community == community.id,
                SubscriptionRow.channel == channel,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def due(self, platform: str, now: datetime) -> list[Subscription]:
        rows = await self._s.scalars(
            select(SubscriptionRow)
            .where(SubscriptionRow.platform == platform, SubscriptionRow.next_run_at <= now)
            .order_by(SubscriptionRow.next_run_at)
        )
        return [_subscription(row) for row in rows]

    async def claim(self, subscription: Subscription, next_run_at: datetime, now: datetime) -> bool:
        """Move a due run to ``next_run_at`` if nobody else has: one conditional UPDATE, so with
        many processes exactly one of them gets to post."""
        result = await self._s.execute(
            update(SubscriptionRow)
            .where(
                SubscriptionRow.id == subscription.id,
                SubscriptionRow.next_run_at == subscription.next_run_at,
            )
            .values(next_run_at=next_run_at, last_run_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def release(self, subscription: Subscription, claimed_next: datetime) -> None:
        """Undo a claim whose post failed, so the run is tried again."""
        await self._s.execute(
            update(SubscriptionRow)
            .where(
                SubscriptionRow.id == subscription.id, SubscriptionRow.next_run_at == claimed_next
            )
            .values(next_run_at=subscription.next_run_at, last_run_at=subscription.last_run_at)
        )

    async def defer(
        self,
        subscription: Subscription,
        claimed_next: datetime,
        next_run_at: datetime,
        failures: int,
        failing_since: datetime | None,
    ) -> None:
        """After a failed post: the run moves to ``next_run_at`` (a retry, or the next week)."""
        await self._s.execute(
            update(SubscriptionRow)
            .where(
                SubscriptionRow.id == subscription.id, SubscriptionRow.next_run_at == claimed_next
            )
            .values(
                next_run_at=next_run_at,
                last_run_at=subscription.last_run_at,
                failures=failures,
                failing_since=failing_since,
            )
        )

    async def clear_failures(self, subscription_id: int) -> None:
        await self._s.execute(
            update(SubscriptionRow)
            .where(SubscriptionRow.id == subscription_id)
            .values(failures=0, failing_since=None)
        )

    async def for_community(self, community: Community) -> list[Subscription]:
        rows = await self._s.scalars(
            select(SubscriptionRow).where(
                SubscriptionRow.platform == community.platform,
                SubscriptionRow.community == community.id,
            )
        )
        return [_subscription(row) for row in rows]


class SqlMetaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def secret(self, key: str) -> str:
        """A random value created once per install (e.g. the export salt) and kept."""
        value = await self._s.scalar(select(MetaRow.value).where(MetaRow.key == key))
        if value is not None:
            return str(value)
        fresh = secrets.token_hex(16)
        self._s.add(MetaRow(key=key, value=fresh))
        await self._s.flush()
        return fresh


def _subscription(row: SubscriptionRow) -> Subscription:
    return Subscription(
        id=row.id,
        community=Community(platform=row.platform, id=row.community),
        channel=row.channel,
        weekday=row.weekday,
        hour=row.hour,
        timezone=row.timezone,
        next_run_at=row.next_run_at,
        last_run_at=row.last_run_at,
        failures=row.failures or 0,
        failing_since=row.failing_since,
    )
