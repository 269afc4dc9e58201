"""The real shipbot Discord client against FakeDiscord on 127.0.0.1.

``discord`` (fixture) gives a :class:`DiscordHarness`: the real ``ShipbotClient`` built on the
``settings`` fixture's fresh database, connected to a fresh ``FakeDiscord`` (commands synced to
its guild). Database effects are read back through the core service, never by peeking at tables.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from adapters.bootstrap import App, build_app
from adapters.discord.client import ShipbotClient, build_client
from bot.community import CommunityService
from bot.models import PostedCard
from bot.settings import Settings
from bot.votes import Split
from data.unit_of_work import SqlUnitOfWorkFactory
from tests.fakes.discord import FakeDiscord, FakeUser, InteractionHandle, running_client
from tests.support.clock import FakeClock

T = TypeVar("T")

REFRESH_SECONDS = 0.25
SEED_PAIR = "SmolLM3 vs Mistral Medium 3"
MESSAGE = "/channels/{channel_id}/messages/{message_id}"
EPHEMERAL = 1 << 6
A, B = "🅰️", "🅱️"


def unescape(text: str) -> str:
    """Undo ``escape_markdown`` / ``escape_mentions`` to compare shown text with the source."""
    return re.sub(r"\\(.)", r"\1", text).replace("@\u200b", "@")


@dataclass
class DiscordHarness:
    fake: FakeDiscord
    app: App
    client: ShipbotClient

    @property
    def service(self) -> Any:
        return self.app.service

    async def compare(
        self, matchup: str = SEED_PAIR, user: FakeUser | None = None, **options: str
    ) -> InteractionHandle:
        handle = await self.fake.send_slash_command(
            None, None, user or self.fake.member, "compare", {"matchup": matchup, **options}
        )
        await handle.wait_response()
        if handle.response_type == 5:
            await settled(handle)
        return handle

    async def post_card(
        self, matchup: str = SEED_PAIR, reactions: bool = True
    ) -> tuple[PostedCard, int]:
        """``/compare`` → the card row (message attached) and the message id; waits until the
        bot's own two reactions are on the message (``reactions``: unless it adds none)."""
        handle = await self.compare(matchup)
        message_id = handle.record.original_message_id
        assert handle.response_type == 4 and message_id is not None
        card = await eventually(lambda: self.card_of(message_id))
        assert card is not None, "the card was never tied to its message"
        stored = self.fake.world.messages[message_id]
        if reactions:
            await self.fake.wait_until(lambda: len(stored.reactions) == 2)
        return card, message_id

    async def card_of(self, message_id: int) -> PostedCard | None:
        card: PostedCard | None = await self.service.card_by_message(
            "discord", str(self.fake.channel.id), str(message_id)
        )
        return card

    async def split(self, card_id: int) -> Split:
        """The card's community split in this server, from the database."""
        card = await self.service.render_posted(card_id)
        split: Split = card.community.here
        return split

    async def wait_split(self, card_id: int, a: int, b: int) -> Split:
        """The split once it is (a, b), or the last value read after the timeout."""
        return await eventually(lambda: self.split(card_id), lambda s: (s.a, s.b) == (a, b))

    def edits(self, message_id: int) -> list[Any]:
        return [
            r
            for r in self.fake.requests_to("PATCH", MESSAGE)
            if r.params.get("message_id") == str(message_id) and r.status == 200
        ]

    def member(self, name: str) -> FakeUser:
        return self.fake.add_member(self.fake.add_user(name))


async def eventually(
    probe: Callable[[], Awaitable[T]],
    ok: Callable[[T], bool] = bool,
    timeout: float = 10.0,  # noqa: ASYNC109
) -> T:
    """Await ``probe()`` every 50 ms until ``ok`` holds (or time runs out); the last value."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    value = await probe()
    while not ok(value) and loop.time() < end:
        await asyncio.sleep(0.05)
        value = await probe()
    return value


def discord_settings(settings: Settings, fake: FakeDiscord, **overrides: Any) -> Settings:
    """``settings`` pointed at ``fake``; an override may be a function of the fake (e.g. the
    catalog admins, whose ids the fake assigns)."""
    overrides = {k: v(fake) if callable(v) else v for k, v in overrides.items()}
    return settings.model_copy(
        update={"discord_guild_id": fake.guild.id, "refresh_seconds": REFRESH_SECONDS, **overrides}
    )


@asynccontextmanager
async def started(
    fake: FakeDiscord, app: App, **client_options: Any
) -> AsyncIterator[ShipbotClient]:
    """The bot's client (``build_client``: sharded when the settings say so) connected to
    ``fake``, ready, reconciliation done."""
    client = build_client(app, **client_options)
    async with running_client(fake, client):
        await fake.wait_until(client.reconciled.is_set)
        yield client


@asynccontextmanager
async def discord_harness(
    settings: Settings,
    prepare: Callable[[FakeDiscord], None] | None = None,
    *,
    community_clock: FakeClock | None = None,
    client_options: dict[str, Any] | None = None,
    **overrides: Any,
) -> AsyncIterator[DiscordHarness]:
    """A fresh fake Discord (``prepare`` may add users and roles before the bot connects) and
    the bot on ``settings`` with ``overrides``; checks the fake saw no errors or stray routes.
    ``community_clock`` drives the community service (digest schedules) instead of real time."""
    async with FakeDiscord() as fake:
        if prepare is not None:
            prepare(fake)
        app = await build_app(discord_settings(settings, fake, **overrides), migrate=False)
        if community_clock is not None:
            uow = SqlUnitOfWorkFactory(app.engine)
            app.community = CommunityService(uow, app.community.config, community_clock)
        try:
            async with started(fake, app, **(client_options or {})) as client:
                yield DiscordHarness(fake, app, client)
        finally:
            await app.close()
    assert fake.internal_errors == []
    assert fake.unknown_requests == []


@pytest.fixture
async def discord(settings: Settings) -> AsyncIterator[DiscordHarness]:
    async with discord_harness(settings) as harness:
        yield harness


async def settled(handle: InteractionHandle) -> None:
    """A deferred answer (the work took longer than ``FAST_REPLY``, as on a loaded machine)
    arrives as an edit of the "thinking…" message or as a followup: wait for it and expose it
    as ``response_data``, which is what the member ends up seeing either way (``response_type``
    stays 5, for the tests about deferring)."""

    def answer(h: InteractionHandle) -> dict[str, Any] | None:
        original = h.original_message() or {}
        if original.get("embeds") or original.get("components"):
            return original
        followups = h.followups()
        return followups[0] if followups else None

    await handle.wait_for(lambda h: answer(h) is not None, timeout=30)
    shown = answer(handle) or {}
    handle.record.response_data = {
        key: shown[key] for key in ("content", "embeds", "components", "flags") if key in shown
    }
