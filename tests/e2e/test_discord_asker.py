"""The Discord ``/compare`` records who asked, so that person may close the card's vote."""

from __future__ import annotations

from tests.e2e.discord_support import DiscordHarness, discord

__all__ = ["discord"]  # the fixture


async def test_compare_records_the_asker(discord: DiscordHarness) -> None:
    card, _ = await discord.post_card()
    assert card.asked_by == str(discord.fake.member.id)
