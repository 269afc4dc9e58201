"""``/tools``, ``/tool info`` and ``/alternatives`` end to end: the real client, the fake
Discord, a real database with the bundled catalog."""

from __future__ import annotations

from typing import Any

from tests.e2e.discord_support import (
    EPHEMERAL,
    SEED_PAIR,
    DiscordHarness,
    discord,
    eventually,
    unescape,
)

__all__ = ["discord"]  # the fixture


def _buttons(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in data.get("components", []) for c in row["components"]]


async def _command(
    discord: DiscordHarness, name: str, options: dict[str, str], sub: str | None = None
) -> dict[str, Any]:
    handle = await discord.fake.send_slash_command(
        None, None, discord.fake.member, name, options, sub
    )
    await handle.wait_response()
    data = handle.response_data or {}
    assert handle.response_type == 4 and data["flags"] & EPHEMERAL
    data["message_id"] = handle.record.original_message_id
    return data


async def test_tools_pages_a_category_with_prev_and_next(discord: DiscordHarness) -> None:
    data = await _command(discord, "tools", {"category": "coding"})
    embed = data["embeds"][0]
    assert unescape(embed["title"]) == "Tools in Coding Assistants"
    assert embed["footer"]["text"].startswith("Page 1 of 4 · 32 tools")
    assert embed["description"].count("\n-# Coding Assistants") == 10
    prev, nxt = _buttons(data)
    assert prev["disabled"] and not nxt.get("disabled")
    assert nxt["custom_id"] == "tools:1:coding|"
    click = await discord.fake.click_button(data["message_id"], nxt["custom_id"])
    await click.wait_response()
    assert click.response_type == 7  # the same ephemeral message, edited
    page = click.response_data or {}
    assert page["embeds"][0]["footer"]["text"].startswith("Page 2 of 4")
    assert page["embeds"][0]["description"] != embed["description"]
    assert not _buttons(page)[0].get("disabled")


async def test_tools_query_and_unknown_category(discord: DiscordHarness) -> None:
    data = await _command(discord, "tools", {"query": "smollm3"})
    assert "SmolLM3" in unescape(data["embeds"][0]["description"])
    assert "components" not in data or not data["components"]  # one page: no buttons
    wrong = await _command(discord, "tools", {"category": "knitting"})
    assert wrong["content"].startswith("No category matches 'knitting'. The categories are:")
    choices = await discord.fake.send_autocomplete(
        None, None, None, "tools", {"category": "vec"}, focused="category"
    )
    await choices.wait_response()
    assert [c["value"] for c in choices.choices] == ["Vector Databases"]


async def test_tool_info_shows_facts_and_compare_buttons_that_post_the_card(
    discord: DiscordHarness,
) -> None:
    # a card of the seed pair makes Mistral Medium 3 SmolLM3's most compared alternative
    await discord.post_card(SEED_PAIR)
    data = await _command(discord, "tool", {"name": "SmolLM3"}, "info")
    embed = data["embeds"][0]
    assert embed["title"] == "SmolLM3"
    fields = {f["name"]: unescape(f["value"]) for f in embed["fields"]}
    assert fields["Panel ship"] == "75% · 3/4" and fields["Category"] == "Developer Tools"
    assert "Specs" in fields
    assert fields["Closest alternatives"].startswith("**Mistral Medium 3** — compared 1×")
    buttons = _buttons(data)
    assert 1 <= len(buttons) <= 3
    assert buttons[0]["label"] == "Compare with Mistral Medium 3"
    click = await discord.fake.click_button(data["message_id"], buttons[0]["custom_id"])
    await click.wait_response()
    card = click.response_data or {}
    assert click.response_type == 4 and not card.get("flags", 0) & EPHEMERAL
    assert card["embeds"][0]["title"] == SEED_PAIR
    message_id = click.record.original_message_id
    assert message_id is not None
    assert await eventually(lambda: discord.card_of(message_id)) is not None


async def test_tool_info_of_a_synced_model_lists_sourced_facts(discord: DiscordHarness) -> None:
    data = await _command(discord, "tool", {"name": "GPT-4o"}, "info")
    specs = next(f for f in data["embeds"][0]["fields"] if f["name"] == "Specs")
    assert "**Context**" in specs["value"] and "Sources: " in specs["value"]


async def test_alternatives_lists_the_category_most_compared_first(
    discord: DiscordHarness,
) -> None:
    await discord.post_card(SEED_PAIR)
    data = await _command(discord, "alternatives", {"name": "Mistral Medium 3"})
    embed = data["embeds"][0]
    assert unescape(embed["title"]) == "Alternatives to Mistral Medium 3"
    lines = unescape(embed["description"]).splitlines()
    assert lines[0].startswith("**SmolLM3** — compared 1×") and len(lines) == 10
    assert _buttons(data)[0]["label"] == "Compare with SmolLM3"
    unknown = await _command(discord, "alternatives", {"name": "Nonexistent Thing"})
    assert unknown["content"].startswith("No tool called")


async def test_compare_takes_a_workload_and_a_lens_at_the_end(discord: DiscordHarness) -> None:
    plain = await discord.compare("GPT-4o vs Claude Sonnet 4")
    asked = await discord.compare("GPT-4o vs Claude Sonnet 4 for 50M tokens as buyer")
    data = asked.response_data or {}
    assert asked.response_type == 4 and not data.get("flags", 0) & EPHEMERAL
    shown = unescape(data["embeds"][0]["description"])
    assert "Business / buyer lens only" in shown
    pricing = next(f for f in data["embeds"][0]["fields"] if f["name"] == "Pricing read")
    before = next(
        f for f in (plain.response_data or {})["embeds"][0]["fields"] if f["name"] == "Pricing read"
    )
    assert pricing["value"] != before["value"]  # priced at 50M tokens, not the default
