"""Running the bot: one observed log line per action, card-edit metrics, sharding."""

from __future__ import annotations

import logging

import discord as discord_py
import pytest

from bot.settings import Settings
from tests.e2e.discord_support import (
    SEED_PAIR,
    A,
    DiscordHarness,
    discord,
    discord_harness,
    eventually,
)

__all__ = ["discord"]  # the fixture

IDENTIFY = 2


def events(caplog: pytest.LogCaptureFixture, action: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "shipbot.events" and r.getMessage() == action]


async def test_a_compare_logs_one_observed_line_with_latency_and_outcome(
    discord: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="shipbot.events")
    fake = discord.fake
    await discord.compare(SEED_PAIR)
    await discord.compare("SmolLM3 vs SmolLM3")  # the same tool twice: a user error

    async def logged() -> list[logging.LogRecord]:  # the line follows the reply it times
        return events(caplog, "compare")

    ok, refused = await eventually(logged, lambda lines: len(lines) == 2)
    assert ok.platform == "discord" and ok.outcome == "ok"  # type: ignore[attr-defined]
    assert ok.user == str(fake.member.id) and ok.guild == str(fake.guild.id)  # type: ignore[attr-defined]
    assert isinstance(ok.latency_ms, float) and ok.latency_ms > 0  # type: ignore[attr-defined]
    assert refused.outcome == "user_error"  # type: ignore[attr-defined]
    metrics = discord.app.metrics.registry
    labels = {"platform": "discord", "action": "compare"}
    assert metrics.get_sample_value("shipbot_actions_total", {**labels, "outcome": "ok"}) == 1
    assert metrics.get_sample_value("shipbot_action_seconds_count", labels) == 2


async def test_reactions_autocomplete_and_buttons_are_observed_and_card_edits_counted(
    discord: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="shipbot.events")
    fake = discord.fake
    card, message_id = await discord.post_card()
    await fake.add_reaction(message_id, user=fake.member, emoji=A)
    await discord.wait_split(card.id, 1, 0)
    await fake.wait_until(lambda: discord.edits(message_id))
    typed = await fake.send_autocomplete(
        None, None, None, "compare", {"matchup": "Smol"}, "matchup"
    )
    await typed.wait_response()
    click = await fake.click_button(message_id, f"myvote:{card.id}")
    await click.wait_response()
    [vote] = events(caplog, "reaction_vote")
    assert vote.outcome == "ok" and vote.card == card.id  # type: ignore[attr-defined]
    assert vote.user == str(fake.member.id)  # type: ignore[attr-defined]
    assert [r.outcome for r in events(caplog, "autocomplete")] == ["ok"]  # type: ignore[attr-defined]
    assert [r.outcome for r in events(caplog, "my_vote")] == ["ok"]  # type: ignore[attr-defined]
    edits = discord.app.metrics.registry.get_sample_value(
        "shipbot_card_edits_total", {"platform": "discord"}
    )
    assert edits == len(discord.edits(message_id)) >= 1


async def test_shard_settings_identify_with_the_shard_and_still_answer(
    settings: Settings,
) -> None:
    async with discord_harness(settings, discord_shard_ids=["1"], discord_shard_count=2) as bot:
        assert isinstance(bot.client, discord_py.AutoShardedClient)
        [identify] = bot.fake.gateway.received(op=IDENTIFY)
        assert identify["d"]["shard"] == [1, 2]
        handle = await bot.compare(SEED_PAIR)
        assert handle.response_type == 4


async def test_without_shard_settings_the_bot_is_one_unsharded_connection(
    discord: DiscordHarness,
) -> None:
    assert not isinstance(discord.client, discord_py.AutoShardedClient)
    [identify] = discord.fake.gateway.received(op=IDENTIFY)
    assert "shard" not in identify["d"]
