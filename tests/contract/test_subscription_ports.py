"""Both implementations of the subscription port keep a digest's failure streak alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.ports import UnitOfWorkFactory
from tests.contract.test_ports import GUILD, SOON, ports

__all__ = ["ports"]  # the fixture


async def test_a_failed_run_is_deferred_with_its_count_and_cleared(
    ports: UnitOfWorkFactory,
) -> None:
    now = datetime(2026, 12, 4, 16, tzinfo=UTC)
    week = now + timedelta(days=7)
    async with ports() as uow:
        await uow.subscriptions.put(GUILD, "ch", 4, 16, "UTC", now - SOON, "admin")
        [due] = await uow.subscriptions.due("test", now)
        assert await uow.subscriptions.claim(due, week, now)
        await uow.subscriptions.defer(due, week, now + timedelta(minutes=1), 1, now)
        await uow.subscriptions.defer(due, week, week, 9, now)  # no longer at the claimed run
        await uow.commit()
    async with ports() as uow:
        assert await uow.subscriptions.due("test", now) == []
        [retry] = await uow.subscriptions.due("test", now + timedelta(minutes=1))
        assert (retry.failures, retry.failing_since, retry.last_run_at) == (1, now, None)
        assert retry.next_run_at == now + timedelta(minutes=1)
        await uow.subscriptions.clear_failures(retry.id)
        [cleared] = await uow.subscriptions.for_community(GUILD)
        assert (cleared.failures, cleared.failing_since) == (0, None)
