"""Passing store faults are retried with backoff; a lasting one becomes a friendly error."""

from __future__ import annotations

import pytest

import bot.retry as retry
from bot.errors import StoreUnavailable, TransientStoreError


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(retry.asyncio, "sleep", sleep)
    return slept


async def test_a_passing_fault_is_retried_with_growing_delays(fast: list[float]) -> None:
    calls = 0

    @retry.retry_transient
    async def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise TransientStoreError("connection refused")
        return "ok"

    assert await flaky() == "ok"
    assert fast == pytest.approx([0.1, 0.3])


async def test_a_lasting_fault_becomes_store_unavailable_after_four_tries(
    fast: list[float],
) -> None:
    @retry.retry_transient
    async def down() -> None:
        raise TransientStoreError("connection refused")

    with pytest.raises(StoreUnavailable, match="nothing was changed"):
        await down()
    assert len(fast) == 3


async def test_other_errors_are_not_retried(fast: list[float]) -> None:
    @retry.retry_transient
    async def broken() -> None:
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        await broken()
    assert fast == []


def test_every_public_use_case_is_wrapped() -> None:
    from bot.admin import CatalogService
    from bot.community import CommunityService
    from bot.service import ShipService

    for cls in (ShipService, CatalogService, CommunityService):
        for name, member in vars(cls).items():
            if (
                not name.startswith("_")
                and callable(member)
                and getattr(member, "__wrapped__", None)
            ):
                continue
            if (
                not name.startswith("_")
                and hasattr(member, "__code__")
                and member.__code__.co_flags & 0x80
            ):
                pytest.fail(f"{cls.__name__}.{name} is not retried")
