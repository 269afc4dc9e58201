"""``/tool`` end to end: only catalog admins change the shared catalog, a server admin may
suggest a tool, every change is logged with who."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.admin import Actor
from bot.errors import UnknownTool
from bot.settings import Settings
from tests.e2e.discord_support import (
    EPHEMERAL,
    DiscordHarness,
    discord_harness,
    unescape,
)
from tests.fakes.discord import FakeDiscord, FakeUser, InteractionHandle


def operator(fake: FakeDiscord) -> list[str]:
    """Alice (who also has Manage Server) is the operator's catalog admin."""
    return [f"discord:{fake.admin.id}"]


@pytest.fixture
async def discord(settings: Settings) -> AsyncIterator[DiscordHarness]:
    async with discord_harness(settings, catalog_admins=operator) as harness:
        yield harness


NEW_TOOL = {
    "name": "Shipwright 2",
    "category": "Developer Tools",
    "tagline": "Builds release notes from your commits",
    "description": "Shipwright 2 turns a git history into release notes.",
    "aliases": "shipwright, sw2",
}
REFUSAL = "The tool catalog is shared by every server"


async def tool(
    fake: FakeDiscord, user: FakeUser, sub: str, options: dict[str, Any]
) -> InteractionHandle:
    handle = await fake.send_slash_command(None, None, user, "tool", options, sub)
    await handle.wait_response()
    return handle


def admin_log(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == "discord admin action"]


async def test_non_admin_gets_an_ephemeral_refusal_and_nothing_is_written(
    discord: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake, bob = discord.fake, discord.fake.member
    before = len(await discord.app.catalog.list())
    attempts = [
        ("add", {"entry": "Free"}),
        ("alias", {"name": "SmolLM3", "alias": "tiny"}),
        ("edit", {"name": "SmolLM3", "field": "tagline", "value": "hacked"}),
        ("remove", {"name": "SmolLM3"}),
        ("review", {"name": "SmolLM3", "lens": "business", "verdict": "ship", "quote": "x" * 20}),
    ]
    for sub, options in attempts:
        handle = await tool(fake, bob, sub, options)
        data = handle.response_data or {}
        assert handle.response_type == 4, sub  # a message, not the add form
        assert data["flags"] & EPHEMERAL and data["content"].startswith(REFUSAL), sub
    assert len(await discord.app.catalog.list()) == before
    smol = await discord.app.catalog.show("SmolLM3")
    assert smol.tagline != "hacked" and "tiny" not in smol.aliases
    refused = [r for r in admin_log(caplog) if str(getattr(r, "action", "")).endswith("refused")]
    assert len(refused) == len(attempts)
    assert {getattr(r, "user_id", None) for r in refused} == {str(bob.id)}


async def test_tool_group_is_guild_only_and_hidden_from_non_admins_by_default(
    discord: DiscordHarness,
) -> None:
    synced = discord.fake.requests_to(
        "PUT", "/applications/{application_id}/guilds/{guild_id}/commands"
    )[-1].json
    group = next(c for c in synced if c["name"] == "tool")
    assert int(group["default_member_permissions"]) == 1 << 5  # Manage Server
    assert group.get("contexts") in (None, [0]) or group.get("dm_permission") is False
    assert {o["name"] for o in group["options"]} == {
        "info",  # anyone may run it (the run-time check lets it through)
        "add",
        "edit",
        "remove",
        "alias",
        "review",
        "suggest",
    }


async def test_admin_adds_a_tool_that_compare_and_autocomplete_find_at_once(
    discord: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake, alice = discord.fake, discord.fake.admin
    opened = await tool(fake, alice, "add", {"entry": "Freemium"})
    assert opened.response_type == 9  # the modal
    modal = opened.response_data or {}
    inputs = [c["custom_id"] for row in modal["components"] for c in row["components"]]
    assert inputs == ["name", "category", "tagline", "description", "aliases"]
    submitted = await fake.submit_modal(modal["custom_id"], NEW_TOOL, alice)
    await submitted.wait_response()
    reply = submitted.response_data or {}
    assert reply["flags"] & EPHEMERAL and "Added **Shipwright 2**" in reply["content"]
    added = await discord.app.catalog.show("sw2")
    assert (added.name, added.entry.value) == ("Shipwright 2", "Freemium")
    handle = await discord.compare("shipwright vs SmolLM3")
    assert (handle.response_data or {})["embeds"][0]["title"] == "Shipwright 2 vs SmolLM3"
    complete = await fake.send_autocomplete(
        None, None, None, "compare", {"matchup": "SmolLM3 vs Shipw"}, focused="matchup"
    )
    await complete.wait_response()
    assert "SmolLM3 vs Shipwright 2" in [c["value"] for c in complete.choices]
    logged = [r for r in admin_log(caplog) if getattr(r, "action", "") == "tool add"]
    assert [(getattr(r, "user_id", ""), getattr(r, "tool", "")) for r in logged] == [
        (str(alice.id), "Shipwright 2")
    ]


async def test_admin_edit_alias_and_review_show_on_the_card(discord: DiscordHarness) -> None:
    fake, alice = discord.fake, discord.fake.admin
    edit = await tool(
        fake, alice, "edit", {"name": "SmolLM3", "field": "pricing_note", "value": "Gratis"}
    )
    assert "Updated the pricing note of **SmolLM3**" in (edit.response_data or {})["content"]
    alias = await tool(fake, alice, "alias", {"name": "SmolLM3", "alias": "smolly"})
    assert "now finds" in (alias.response_data or {})["content"]
    quote = "Mistral's buyer lens says skip now: the EU wedge closed."
    review = await tool(
        fake,
        alice,
        "review",
        {"name": "Mistral Medium 3", "lens": "business", "verdict": "skip", "quote": quote},
    )
    assert "(skip)" in (review.response_data or {})["content"]
    handle = await discord.compare("smolly vs Mistral Medium 3")
    shown = unescape(str((handle.response_data or {})["embeds"]))
    assert "Gratis" in shown and "❌ skip — “Mistral's buyer lens" in shown
    assert "75% · 3/4" in shown and "Panel ship** 75% · 3/4" in shown


async def test_admin_errors_are_one_ephemeral_line(discord: DiscordHarness) -> None:
    fake, alice = discord.fake, discord.fake.admin
    taken = await tool(fake, alice, "alias", {"name": "SmolLM3", "alias": "Mistral Medium 3"})
    assert "already points to Mistral Medium 3" in (taken.response_data or {})["content"]
    unknown = await tool(fake, alice, "remove", {"name": "Nonexistent Thing"})
    assert (unknown.response_data or {})["content"].startswith("No tool called")
    short = await tool(
        fake,
        alice,
        "review",
        {"name": "SmolLM3", "lens": "future", "verdict": "ship", "quote": "meh"},
    )
    data = short.response_data or {}
    assert data["flags"] & EPHEMERAL and "quote" in data["content"]


async def test_remove_asks_to_confirm_and_only_an_admin_can_confirm(
    discord: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake, alice = discord.fake, discord.fake.admin
    asked = await tool(fake, alice, "remove", {"name": "Mistral Medium 3"})
    data = asked.response_data or {}
    content = unescape(data["content"])
    assert data["flags"] & EPHEMERAL and content.startswith("Archive Mistral Medium 3?")
    assert "Nothing is deleted: its 0 votes in 0 communities" in content
    assert "shipbot tool restore" not in content and "from shipbot's terminal" in content
    button, cancel = [c for row in data["components"] for c in row["components"]]
    assert button["custom_id"].startswith("tool-rm:") and button["style"] == 4
    assert cancel["label"] == "Cancel" and cancel["custom_id"].startswith("tool-rm-cancel:")
    await discord.app.catalog.show("Mistral Medium 3")  # still there until confirmed
    message_id = asked.record.original_message_id
    assert message_id is not None
    sneaky = await fake.click_button(message_id, button["custom_id"], fake.member)
    await sneaky.wait_response()
    assert (sneaky.response_data or {})["content"].startswith(REFUSAL)
    await discord.app.catalog.show("Mistral Medium 3")
    confirm = await fake.click_button(message_id, button["custom_id"], alice)
    await confirm.wait_response()
    assert confirm.response_type == 7  # the confirmation message is updated in place
    assert "Archived **Mistral Medium 3**" in (confirm.response_data or {})["content"]
    with pytest.raises(UnknownTool):
        await discord.app.catalog.show("Mistral Medium 3")
    removed = [r for r in admin_log(caplog) if getattr(r, "action", "") == "tool remove"]
    assert [getattr(r, "user_id", "") for r in removed] == [str(alice.id)]


async def test_cancel_on_the_remove_confirmation_changes_nothing(discord: DiscordHarness) -> None:
    fake, alice = discord.fake, discord.fake.admin
    asked = await tool(fake, alice, "remove", {"name": "SmolLM3"})
    data = asked.response_data or {}
    [cancel] = [
        c
        for row in data["components"]
        for c in row["components"]
        if c["custom_id"].startswith("tool-rm-cancel:")
    ]
    message_id = asked.record.original_message_id
    assert message_id is not None
    cancelled = await fake.click_button(message_id, cancel["custom_id"], alice)
    await cancelled.wait_response()
    assert cancelled.response_type == 7  # the question is replaced in place
    answer = cancelled.response_data or {}
    assert answer["content"] == "Cancelled. Nothing changed." and answer["components"] == []
    assert (await discord.app.catalog.show("SmolLM3")).name == "SmolLM3"


async def test_a_server_admin_can_suggest_but_not_change_the_shared_catalog(
    settings: Settings,
) -> None:
    """Manage Server, or a role named in settings, makes a server admin: they may suggest a tool
    (the operator reads it with ``shipbot tool suggestions``) but not edit, rename or remove."""
    editors: list[FakeUser] = []

    def prepare(fake: FakeDiscord) -> None:
        role = fake.world.add_role(fake.guild, "Catalog Editors", 0)
        editors.append(fake.add_member(fake.add_user("carol"), [role]))
        editors.append(fake.add_member(fake.add_user("dave"), [fake.admin_role]))

    async with discord_harness(
        settings, prepare, discord_admin_roles=["catalog editors"], catalog_admins=operator
    ) as h:
        for editor in editors:
            for sub, options in (
                ("alias", {"name": "SmolLM3", "alias": "smol three"}),
                ("edit", {"name": "SmolLM3", "field": "name", "value": "Hijacked"}),
                ("remove", {"name": "SmolLM3"}),
            ):
                handle = await tool(h.fake, editor, sub, options)
                assert (handle.response_data or {})["content"].startswith(REFUSAL), sub
        smol = await h.app.catalog.show("SmolLM3")
        assert smol.name == "SmolLM3" and "smol three" not in smol.aliases
        asked = await tool(h.fake, editors[0], "suggest", {"name": "Zed AI", "note": "we use it"})
        assert "**Zed AI** is suggested" in (asked.response_data or {})["content"]
        plain = await tool(h.fake, h.fake.member, "suggest", {"name": "Nope Tool"})
        assert (plain.response_data or {})["content"].startswith(REFUSAL)
        listed = await h.app.catalog.suggestions(Actor.local())
        assert [(s.name, s.note) for s in listed] == [("Zed AI", "we use it")]


async def test_a_catalog_admin_renames_and_the_old_name_still_finds_it(
    discord: DiscordHarness,
) -> None:
    fake, alice = discord.fake, discord.fake.admin
    handle = await tool(
        fake, alice, "edit", {"name": "SmolLM3", "field": "name", "value": "SmolLM3 Base"}
    )
    assert "Renamed **SmolLM3** to **SmolLM3 Base**" in (handle.response_data or {})["content"]
    compared = await discord.compare("SmolLM3 vs Mistral Medium 3")
    assert (compared.response_data or {})["embeds"][0]["title"].startswith("SmolLM3 Base vs")
