"""``/help`` end to end: ephemeral, its example works, admins see their commands, the web link
when there is a web page; code spans render as code."""

from __future__ import annotations

from typing import Any

from bot.settings import Settings
from tests.e2e.discord_support import EPHEMERAL, DiscordHarness, discord, discord_harness
from tests.fakes.discord import FakeDiscord, FakeUser

__all__ = ["discord"]  # the fixture


async def ask_help(fake: FakeDiscord, user: FakeUser) -> tuple[dict[str, Any], str]:
    """``/help`` as ``user``: the answer's data and its embed's whole text."""
    handle = await fake.send_slash_command(None, None, user, "help")
    await handle.wait_response()
    data = dict(handle.response_data or {})
    assert handle.response_type == 4 and data["flags"] & EPHEMERAL
    (embed,) = data["embeds"]
    parts = [embed["title"], embed["description"]]
    parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return data, "\n".join(parts)


async def test_a_member_gets_what_shipbot_does_and_an_example_that_works(
    discord: DiscordHarness,
) -> None:
    _, text = await ask_help(discord.fake, discord.fake.member)
    assert "which AI tool should you ship with" in text
    assert "`/compare SmolLM3 vs Mistral Medium 3`" in text  # a code span, not escaped
    assert "\\`" not in text and "`/leaderboard [category]`" in text
    assert "Community admins" not in text and "Catalog admins" not in text
    assert "`/subscribe" not in text and "`/tool add" not in text
    assert "On the web" not in text
    handle = await discord.compare("SmolLM3 vs Mistral Medium 3")
    assert handle.response_type == 4 and handle.record.original_message_id is not None


async def test_a_server_admin_sees_the_community_commands_but_not_the_catalogs(
    discord: DiscordHarness,
) -> None:
    _, text = await ask_help(discord.fake, discord.fake.admin)
    assert "Community admins" in text and "`/subscribe [day] [hour] [timezone]`" in text
    assert "`/tool suggest NAME [note]`" in text and "`/export`" in text
    assert "Catalog admins" not in text and "`/tool add" not in text


async def test_a_catalog_admin_sees_the_catalog_commands_and_the_web_link(
    settings: Settings,
) -> None:
    async with discord_harness(
        settings,
        catalog_admins=lambda fake: [f"discord:{fake.member.id}"],
        public_url="https://shipbot.example/",
    ) as harness:
        _, text = await ask_help(harness.fake, harness.fake.member)
    assert "Catalog admins" in text and "`/tool add ENTRY`" in text and "`/panel queue`" in text
    assert "`/tool restore" not in text  # Discord has no restore command
    assert "On the web\nhttps://shipbot.example/" in text


async def test_an_unknown_name_points_to_discords_own_command_as_code(
    discord: DiscordHarness,
) -> None:
    handle = await discord.compare("Qwxzzyq Plorb vs SmolLM3")
    content = str((handle.response_data or {}).get("content") or handle.followups()[0]["content"])
    assert (
        "No tool called" in content and "`/tools [category] [query]` lists the catalog." in content
    )
    assert "shipbot`" not in content and "\\`" not in content
