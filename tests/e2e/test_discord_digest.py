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
from sqlalchemy import text

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


async def subscription_state(harness: DiscordHarness) -> list[tuple[str, int, datetime]]:
    """(channel, failures, next run) of every subscription, from the database."""
    async with harness.app.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT channel, failures, next_run_at FROM subscriptions ORDER BY id")
        )
        return [(str(c), int(f), _aware(n)) for c, f, n in rows.all()]


def _aware(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def digest_posts(harness: DiscordHarness) -> int:
    return len(harness.fake.requests_to("POST", "/channels/{channel_id}/messages"))


async def test_a_digest_that_keeps_failing_backs_off_then_waits_for_next_week(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord 503 every time: tried after 1, 2, 4, 8, 16 minutes (not every poll), then this
    week's run is given up and the subscription waits for next week, failures reset."""
    caplog.set_level(logging.INFO)
    clock = FakeClock(datetime.now(UTC))
    async with discord_harness(
        settings, community_clock=clock, client_options={"digest_poll_seconds": 3600}
    ) as discord:
        fake, digests_ = discord.fake, discord.client.digests
        community = Community("discord", str(fake.guild.id))
        await discord.app.community.subscribe(community, str(fake.channel.id), ADMIN)
        fake.fail_next("POST", r"/channels/\d+/messages", status=503, times=None)
        clock.advance(days=8)
        attempts = []
        for wait in (0, 1, 2, 4, 8, 16):
            clock.advance(minutes=wait)
            for _ in range(3):  # polling between retries changes nothing
                assert await digests_.run_due() == 0
            attempts.append(digest_posts(discord))
            clock.advance(seconds=30)
            assert await digests_.run_due() == 0
        assert attempts == [1, 2, 3, 4, 5, 6]
        [(channel, failures, next_run)] = await subscription_state(discord)
        assert (channel, failures) == (str(fake.channel.id), 0)
        assert next_run > clock.now() + timedelta(hours=2)  # given up until its next week
        retried = [r for r in caplog.records if r.getMessage() == "digest post failed; will retry"]
        assert [r.failures for r in retried] == [1, 2, 3, 4, 5]  # type: ignore[attr-defined]
        [gave_up] = [r for r in caplog.records if "given up" in r.getMessage()]
        assert gave_up.channel == str(fake.channel.id)  # type: ignore[attr-defined]

        fake.rest.failures.clear()  # next week Discord answers again
        clock.current = next_run + timedelta(minutes=1)
        assert await digests_.run_due() == 1
        assert len(digests(discord)) == 1


async def test_a_transient_failure_is_retried_and_the_count_cleared(
    settings: Settings,
) -> None:
    clock = FakeClock(datetime.now(UTC))
    async with discord_harness(
        settings, community_clock=clock, client_options={"digest_poll_seconds": 3600}
    ) as discord:
        fake, digests_ = discord.fake, discord.client.digests
        community = Community("discord", str(fake.guild.id))
        await discord.app.community.subscribe(community, str(fake.channel.id), ADMIN)
        fake.fail_next("POST", r"/channels/\d+/messages", status=503, times=2)
        clock.advance(days=8)
        assert await digests_.run_due() == 0
        assert [f for _, f, _ in await subscription_state(discord)] == [1]
        clock.advance(minutes=1)
        assert await digests_.run_due() == 0
        assert [f for _, f, _ in await subscription_state(discord)] == [2]
        clock.advance(minutes=2)
        assert await digests_.run_due() == 1
        assert len(digests(discord)) == 1
        assert [f for _, f, _ in await subscription_state(discord)] == [0]


GONE = [
    pytest.param({"status": 404, "code": 10003, "message": "Unknown Channel"}, id="404-unknown"),
    pytest.param({"status": 403, "code": 50001, "message": "Missing Access"}, id="403-access"),
]


@pytest.mark.parametrize("refusal", GONE)
async def test_a_channel_that_is_gone_is_unsubscribed_at_once(
    settings: Settings, caplog: pytest.LogCaptureFixture, refusal: dict[str, Any]
) -> None:
    caplog.set_level(logging.INFO)
    clock = FakeClock(datetime.now(UTC))
    async with discord_harness(
        settings, community_clock=clock, client_options={"digest_poll_seconds": 3600}
    ) as discord:
        fake, digests_ = discord.fake, discord.client.digests
        community = Community("discord", str(fake.guild.id))
        await discord.app.community.subscribe(community, str(fake.channel.id), ADMIN)
        fake.fail_next("POST", r"/channels/\d+/messages", times=None, **refusal)
        clock.advance(days=8)
        assert await digests_.run_due() == 0
        assert await subscription_state(discord) == []
        clock.advance(days=8)
        assert await digests_.run_due() == 0
        assert digest_posts(discord) == 1  # tried once, never again
        [gone] = [r for r in caplog.records if "unsubscribed" in r.getMessage()]
        assert gone.levelno == logging.WARNING
        assert (gone.community, gone.channel) == (str(fake.guild.id), str(fake.channel.id))  # type: ignore[attr-defined]
        assert str(refusal["status"]) in gone.getMessage()
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


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
