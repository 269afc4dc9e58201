"""The panel on Discord through the real client and the fake Discord: ``/review`` member takes,
the paged ephemeral ``/panel queue`` with its buttons and edit modal, and the card's **Draft
panel** button drafting against the fake OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.settings import Settings
from tests.e2e.discord_support import (
    EPHEMERAL,
    DiscordHarness,
    discord,
    discord_harness,
    unescape,
)
from tests.fakes.discord import FakeDiscord, FakeUser, InteractionHandle
from tests.fakes.openai import FakeChatServer
from tests.integration.panel_support import ADMIN

__all__ = ["discord"]  # the fixture

TAKE = (
    "The primitive here is a calm editor; the moment of truth is a three-file refactor, and "
    "it holds."
)
REFUSAL = "Only members with Manage Server"


async def slash(
    fake: FakeDiscord, user: FakeUser, name: str, options: dict[str, Any], sub: str | None = None
) -> InteractionHandle:
    handle = await fake.send_slash_command(None, None, user, name, options, sub)
    await handle.wait_response()
    return handle


async def review(fake: FakeDiscord, user: FakeUser, **options: str) -> InteractionHandle:
    values = {"tool": "Cursor", "lens": "developer", "verdict": "ship", "quote": TAKE} | options
    return await slash(fake, user, "review", values)


def buttons(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = [c for row in data.get("components", []) for c in row["components"]]
    return {c["custom_id"].split(":")[1]: c for c in found}


async def test_member_take_is_queued_and_approved_from_the_queue_view(
    discord: DiscordHarness,
) -> None:
    fake, alice, bob = discord.fake, discord.fake.admin, discord.fake.member
    submitted = await review(fake, bob)
    data = submitted.response_data or {}
    assert data["flags"] & EPHEMERAL and "waits for an admin's approval" in data["content"]
    refused = await slash(fake, bob, "panel", {}, "queue")
    assert (refused.response_data or {})["content"].startswith(REFUSAL)
    opened = await slash(fake, alice, "panel", {}, "queue")
    page = opened.response_data or {}
    assert page["flags"] & EPHEMERAL
    embed = page["embeds"][0]
    assert "Cursor" in embed["title"] and "Developer experience" in embed["title"]
    assert "member take by Bob" in unescape(str(embed["fields"]))
    controls = buttons(page)
    assert set(controls) == {"approve", "reject", "edit", "prev", "next", "all"}
    assert controls["prev"].get("disabled") and controls["next"].get("disabled")
    message_id = opened.record.original_message_id
    assert message_id is not None
    sneaky = await fake.click_button(message_id, controls["approve"]["custom_id"], bob)
    await sneaky.wait_response()
    assert (sneaky.response_data or {})["content"].startswith(REFUSAL)
    clicked = await fake.click_button(message_id, controls["approve"]["custom_id"], alice)
    await clicked.wait_response()
    assert clicked.response_type == 7  # the queue message is edited in place
    after = clicked.response_data or {}
    assert "Approved #" in after["embeds"][0]["description"]
    assert "queue is empty" in after["embeds"][0]["description"] or "Approved" in str(after)
    card = await discord.compare("Cursor vs Windsurf")
    shown = unescape(str((card.response_data or {})["embeds"]))
    assert "member take by Bob, approved by Alice" in shown
    assert "100% · 1/1" in shown


async def test_queue_pages_edit_modal_reject_and_approve_all(discord: DiscordHarness) -> None:
    fake, alice, bob = discord.fake, discord.fake.admin, discord.fake.member
    for lens in ("developer", "competition", "future"):
        await review(fake, bob, lens=lens)
    opened = await slash(fake, alice, "panel", {}, "queue")
    message_id = opened.record.original_message_id
    assert message_id is not None
    first = opened.response_data or {}
    assert "1 of 3" in str(first["embeds"][0]["fields"])
    nxt = await fake.click_button(message_id, buttons(first)["next"]["custom_id"], alice)
    await nxt.wait_response()
    second = nxt.response_data or {}
    assert "2 of 3" in str(second["embeds"][0]["fields"])
    assert "Competition" in second["embeds"][0]["title"]
    edit = await fake.click_button(message_id, buttons(second)["edit"]["custom_id"], alice)
    await edit.wait_response()
    assert edit.response_type == 9
    modal = edit.response_data or {}
    submitted = await fake.submit_modal(
        modal["custom_id"], {"quote": TAKE + " Edited.", "verdict": "skip"}, alice
    )
    await submitted.wait_response()
    edited = submitted.response_data or {}
    assert "Edited #" in edited["embeds"][0]["description"]
    assert (
        "Edited." in edited["embeds"][0]["description"]
        and "skip" in edited["embeds"][0]["description"]
    )
    again = await fake.click_button(message_id, buttons(second)["edit"]["custom_id"], alice)
    await again.wait_response()
    modal = again.response_data or {}
    bad = await fake.submit_modal(modal["custom_id"], {"quote": TAKE, "verdict": "maybe"}, alice)
    await bad.wait_response()
    assert "The verdict is ship or skip." in (bad.response_data or {})["content"]
    reject = await fake.click_button(message_id, buttons(second)["reject"]["custom_id"], alice)
    await reject.wait_response()
    assert "Rejected #" in (reject.response_data or {})["embeds"][0]["description"]
    everything = await fake.click_button(message_id, buttons(first)["all"]["custom_id"], alice)
    await everything.wait_response()
    assert "Approved 2 drafts." in (everything.response_data or {})["embeds"][0]["description"]
    assert (await discord.app.reviews.page(ADMIN)).total == 0
    tool = await discord.app.catalog.show("Cursor")
    assert {r.lens.value for r in tool.reviews} == {"developer", "future"}


async def test_bad_take_is_one_ephemeral_line(discord: DiscordHarness) -> None:
    handle = await review(discord.fake, discord.fake.member, quote="too short")
    data = handle.response_data or {}
    assert data["flags"] & EPHEMERAL and "at least 40" in data["content"]
    assert (await discord.app.reviews.page(ADMIN)).total == 0


async def test_cards_offer_no_draft_button_without_panel_settings(discord: DiscordHarness) -> None:
    card = await discord.compare("Cursor vs Windsurf")
    ids = [
        c["custom_id"]
        for row in (card.response_data or {})["components"]
        for c in row["components"]
    ]
    assert not [i for i in ids if i.startswith("panel-draft")]


@pytest.fixture
async def chat() -> AsyncIterator[FakeChatServer]:
    server = FakeChatServer()
    await server.start()
    yield server
    await server.close()


async def test_draft_panel_button_drafts_for_admins_only(
    settings: Settings, chat: FakeChatServer
) -> None:
    async with discord_harness(
        settings, panel_base_url=chat.base_url, panel_model="fake-panel-1", panel_max_retries=0
    ) as harness:
        fake = harness.fake
        smol = await harness.compare("SmolLM3 vs Mistral Medium 3")
        smol_ids = [
            c["custom_id"]
            for row in (smol.response_data or {})["components"]
            for c in row["components"]
        ]
        assert not [i for i in smol_ids if i.startswith("panel-draft")]  # both have a panel
        card = await harness.compare("Cursor vs Windsurf")
        data = card.response_data or {}
        [draft] = [
            c
            for row in data["components"]
            for c in row["components"]
            if c["custom_id"].startswith("panel-draft")
        ]
        assert draft["label"] == "Draft panel"
        message_id = card.record.original_message_id
        assert message_id is not None
        sneaky = await fake.click_button(message_id, draft["custom_id"], fake.member)
        await sneaky.wait_response()
        assert (sneaky.response_data or {})["content"].startswith(REFUSAL)
        assert chat.completions == []
        clicked = await fake.click_button(message_id, draft["custom_id"], fake.admin)
        await clicked.wait_response()
        if clicked.response_type == 5:  # deferred: the model took longer than the fast window
            [summary] = await clicked.wait_followups(1, timeout=30)
        else:
            summary = clicked.response_data or {}
        assert summary["flags"] & EPHEMERAL
        assert "8 reviews drafted for 2 of 2 tools" in unescape(summary["content"])
        assert len(chat.completions) == 2
        page = await harness.app.reviews.page(ADMIN)
        assert page.total == 8 and {i.tool_name for i in page.items} <= {"Cursor", "Windsurf"}
