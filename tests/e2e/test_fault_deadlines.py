"""Fault test: with a slow database the platforms' 3-second deadline is still met — Discord gets a
deferred reply first, Slack gets its ack first — and the card still arrives afterwards."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.service import ShipService
from tests.e2e.discord_support import SEED_PAIR, DiscordHarness, discord, eventually
from tests.e2e.slack_support import SlackHarness, slack

__all__ = ["discord", "slack"]  # the fixtures

DELAY = 2.2  # per transaction: past the 2 s a handler works before deferring (a compare is now one)
DEADLINE = 3.0


class SlowUnitOfWork:
    """A real unit of work that takes ``DELAY`` seconds to get its connection, like a database
    under heavy load (asynchronous: the event loop, and so the bot, keeps running)."""

    def __init__(self, inner: UnitOfWork) -> None:
        self._inner = inner

    async def __aenter__(self) -> UnitOfWork:
        await asyncio.sleep(DELAY)
        return await self._inner.__aenter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._inner.__aexit__(exc_type, exc, tb)


def slow_down(service: ShipService) -> None:
    real: UnitOfWorkFactory = service._uow  # fault injection at the storage boundary
    service._uow = lambda: SlowUnitOfWork(real())  # type: ignore[assignment,return-value]


async def test_discord_defers_within_the_deadline_and_then_posts_the_card(
    discord: DiscordHarness,
) -> None:
    slow_down(discord.app.service)
    loop = asyncio.get_running_loop()
    started = loop.time()
    handle = await discord.fake.send_slash_command(
        None, None, discord.fake.member, "compare", {"matchup": SEED_PAIR}
    )
    await handle.wait_response(timeout=DEADLINE)
    assert loop.time() - started < DEADLINE
    assert handle.response_type == 5, "a slow compare is deferred first"

    def card_shown() -> Any:
        message = handle.original_message()
        return message if message and message.get("embeds") else None

    async def probe() -> Any:
        return card_shown()

    message = await eventually(probe, timeout=15)
    assert message is not None, "the card arrives after the deferral"
    assert message["embeds"][0]["title"] == SEED_PAIR


async def test_slack_acks_within_the_deadline_and_then_posts_the_card(slack: SlackHarness) -> None:
    slow_down(slack.app.service)
    response = await slack.sender.slash_command("/compare", SEED_PAIR, channel_id="C0GENERAL")
    assert response.status == 200
    assert response.elapsed < DEADLINE
    call = await slack.fake.wait_for_call(
        "chat.postMessage", lambda c: "blocks" in c.args, timeout=15
    )
    assert call.response["ok"]
