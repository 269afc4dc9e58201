"""The refresher coalesces bursts and always ends on the final state."""

from __future__ import annotations

import asyncio

from bot.refresh import CardRefresher


async def test_burst_of_marks_gives_few_edits_and_the_last_sees_the_final_state() -> None:
    state = {"votes": 0}
    seen: list[int] = []

    async def refresh(card_id: int) -> None:
        seen.append(state["votes"])

    refresher = CardRefresher(refresh, interval=0.05)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(200):
        state["votes"] += 1
        refresher.mark([7])
        await asyncio.sleep(0.001)
    windows = (loop.time() - started) / 0.05
    await refresher.drain()
    assert seen[-1] == 200
    assert len(seen) <= windows + 2, (len(seen), windows)
    assert refresher.edits == len(seen)


async def test_cards_refresh_independently_and_failures_are_contained() -> None:
    calls: list[int] = []

    async def refresh(card_id: int) -> None:
        calls.append(card_id)
        if card_id == 2:
            raise RuntimeError("platform said no")

    refresher = CardRefresher(refresh, interval=0.01)
    refresher.mark([1, 2, 3])
    await refresher.drain()
    assert sorted(calls) == [1, 2, 3]
    refresher.mark([2])
    await refresher.drain()
    assert calls.count(2) == 2


async def test_edits_are_spaced_by_the_interval() -> None:
    times: list[float] = []
    loop = asyncio.get_running_loop()

    async def refresh(card_id: int) -> None:
        times.append(loop.time())

    refresher = CardRefresher(refresh, interval=0.1)
    refresher.mark([1])
    await asyncio.sleep(0.01)
    refresher.mark([1])
    refresher.mark([1])
    await refresher.drain()
    assert len(times) == 2
    assert times[1] - times[0] >= 0.099
