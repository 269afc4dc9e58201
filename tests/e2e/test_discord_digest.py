"""/subscribe, /unsubscribe and the weekly digest posted by the client's scheduler.

The community service runs on a ``FakeClock`` that starts at the real time (so the cards the
test makes fall in the digest's week); the test moves it past the subscribed hour.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.admin import Actor
from bot.digest import TITLE, WEEKDAYS
from bot.models import Community
from bot.settings import Settings
from tests.e2e.discord_support import EPHEMERAL, A, DiscordHarness, discord, discord_harness
from tests.support.clock import FakeClock

__all__ = ["discord"]  # the fixture

POLL = 0.05
ADMIN = Actor("test", "test", is_admin=True)


def digests(harness: DiscordHarness) -> list[dict[str, Any]]:
    """Digest messages the bot posted in #general."""
    fake = harness.fake
    return [
        m.data
        for m in fake.world.channel_messages(fake.channel.id)
        if any(str(e.get("title", "")).startswith(TITLE) for e in m.data.get("embeds") or [])
    ]


async def test_non_admin_subscribe_is_refused_and_nothing_written(
    discord: DiscordHarness,
) -> None:
    fake = discord.fake
    registered = {c.data["name"]: c.data for c in fake.world.commands.values()}
    for name in ("subscribe", "unsubscribe", "export"):
        assert int(registered[name]["default_member_permissions"]) == 1 << 5  # Manage Server
    handle = await fake.send_slash_command(None, None, fake.member, "subscribe", {"hour": 8})
    await handle.wait_response()
    data = handle.response_data or {}
    assert data["flags"] & EPHEMERAL
    assert "Only members with Manage Server" in data["content"] and "digest" in data["content"]
    community = Community("discord", str(fake.guild.id))
    assert await discord.app.community.unsubscribe(community, str(fake.channel.id), ADMIN) is False


async def test_a_bad_time_zone_is_one_ephemeral_line(discord: DiscordHarness) -> None:
    fake = discord.fake
    handle = await fake.send_slash_command(
        None, None, fake.admin, "subscribe", {"timezone": "Mars/Olympus"}
    )
    await handle.wait_response()
    data = handle.response_data or {}
    assert data["flags"] & EPHEMERAL and "No time zone called 'Mars/Olympus'" in data["content"]
    community = Community("discord", str(fake.guild.id))
    assert await discord.app.community.unsubscribe(community, str(fake.channel.id), ADMIN) is False


async def test_admin_subscribes_and_the_digest_is_posted_once_when_due(
    settings: Settings,
) -> None:
    now = datetime.now(UTC)
    due = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    clock = FakeClock(now)
    async with discord_harness(
        settings, community_clock=clock, client_options={"digest_poll_seconds": POLL}
    ) as discord:
        fake = discord.fake
        card, message_id = await discord.post_card()
        await fake.add_reaction(message_id, user=fake.member, emoji=A)
        await discord.wait_split(card.id, 1, 0)
        options = {"day": WEEKDAYS[due.weekday()], "hour": due.hour, "timezone": "UTC"}
        handle = await fake.send_slash_command(None, None, fake.admin, "subscribe", options)
        await handle.wait_response()
        data = handle.response_data or {}
        assert data["flags"] & EPHEMERAL
        assert f"every {WEEKDAYS[due.weekday()]} at {due.hour:02d}:00 (UTC)" in data["content"]
        assert f"<t:{int(due.timestamp())}:R>" in data["content"]  # the next run
        await asyncio.sleep(POLL * 6)
        assert digests(discord) == []  # not due yet
        clock.current = due + timedelta(minutes=1)
        await fake.wait_until(lambda: digests(discord), timeout=5)
        [posted] = digests(discord)
        [embed] = posted["embeds"]
        assert "SmolLM3 vs Mistral Medium 3" in embed["description"].replace("\\", "")
        assert await discord.client.digests.run_due() == 0  # claimed: never twice
        await asyncio.sleep(POLL * 6)
        assert len(digests(discord)) == 1
        sends = fake.requests_to("POST", "/channels/{channel_id}/messages")
        assert [r.json.get("allowed_mentions") for r in sends] == [{"parse": []}]


async def test_a_refused_digest_is_logged_and_retried_next_pass(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="adapters.discord.digests")
    now = datetime.now(UTC)
    clock = FakeClock(now)
    async with discord_harness(
        settings, community_clock=clock, client_options={"digest_poll_seconds": POLL}
    ) as discord:
        fake = discord.fake
        community = Community("discord", str(fake.guild.id))
        await discord.app.community.subscribe(community, str(fake.channel.id), ADMIN)
        fake.forbid_next("POST", r"/channels/\d+/messages")
        clock.advance(days=8)
        await fake.wait_until(lambda: digests(discord), timeout=5)
        assert len(digests(discord)) == 1
        refused = [r for r in caplog.records if r.name == "adapters.discord.digests"]
        assert refused and refused[0].status == 403  # type: ignore[attr-defined]


async def test_unsubscribe_stops_the_digest(discord: DiscordHarness) -> None:
    fake = discord.fake
    community = Community("discord", str(fake.guild.id))
    await discord.app.community.subscribe(community, str(fake.channel.id), ADMIN)
    handle = await fake.send_slash_command(None, None, fake.admin, "unsubscribe")
    await handle.wait_response()
    assert "no longer get the weekly digest" in (handle.response_data or {})["content"]
    again = await fake.send_slash_command(None, None, fake.admin, "unsubscribe")
    await again.wait_response()
    assert "had no digest subscription" in (again.response_data or {})["content"]
