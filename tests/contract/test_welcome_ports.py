"""Both implementations of the welcome port welcome a community once, and only that one."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Community
from bot.ports import UnitOfWorkFactory
from tests.contract.test_ports import GUILD, OTHER, ports

__all__ = ["ports"]  # the fixture

NOW = datetime(2026, 12, 3, 17, tzinfo=UTC)


async def test_a_community_is_welcomed_once(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        assert await uow.welcomes.claim(GUILD, NOW)
        assert not await uow.welcomes.claim(GUILD, NOW)  # in the same unit of work too
        await uow.commit()
    async with ports() as uow:
        assert not await uow.welcomes.claim(GUILD, NOW)
        assert await uow.welcomes.claim(OTHER, NOW)
        assert await uow.welcomes.claim(Community("slack", GUILD.id), NOW)  # per platform
        await uow.commit()


async def test_an_uncommitted_welcome_is_not_kept(ports: UnitOfWorkFactory) -> None:
    async with ports() as uow:
        assert await uow.welcomes.claim(GUILD, NOW)
    async with ports() as uow:
        assert await uow.welcomes.claim(GUILD, NOW)
