"""Admin commands: modals with in-form errors, edit, remove with confirmation, alias, review;
non-admins refused with nothing written; the help reply."""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.slack.escape import unescape
from bot.admin import Actor
from bot.errors import UnknownTool
from bot.models import Lens, Verdict
from bot.settings import Settings
from tests.e2e.slack_support import SlackHarness, running_slack, slack
from tests.fakes.slack import text_input_values

__all__ = ["slack"]  # the fixture


def select(value: str) -> dict[str, Any]:
    return {"value": {"type": "static_select", "selected_option": {"value": value}}}


def tool_values(**overrides: str) -> dict[str, Any]:
    fields = {
        "name": "Shipwright Nano",
        "category": "Developer Tools",
        "tagline": "A made-up small model that writes release notes on device",
        "description": "Shipwright Nano is an invented tool: no catalog source knows it.",
        "pricing_note": "",
        "url": "https://shipwright.example/",
        "aliases": "sw-nano, swnano",
    } | overrides
    entry = fields.pop("entry", "Open source")
    values = text_input_values({key: {"value": value} for key, value in fields.items()})
    values["entry"] = select(entry)
    return values


async def open_modal(slack: SlackHarness, text: str, user_id: str = "U0ADMIN") -> dict[str, Any]:
    resp = await slack.sender.slash_command("/shipbot", text, user_id=user_id)
    assert resp.status == 200
    opened = await slack.fake.wait_for_call("views.open")
    assert opened.response["ok"], opened.response
    view: dict[str, Any] = opened.response["view"]
    return view


async def test_admin_adds_a_tool_in_the_modal_then_compare_finds_it(slack: SlackHarness) -> None:
    view = await open_modal(slack, "tool add")
    assert view["callback_id"] == "tool_add"
    assert [b["block_id"] for b in view["blocks"]][:5] == [
        "name",
        "category",
        "tagline",
        "entry",
        "description",
    ]

    bad = await slack.sender.view_submission(
        view_id=view["id"],
        user_id="U0ADMIN",
        values=tool_values(tagline="", url="ftp://nope", aliases="SmolLM3"),
    )
    assert bad.status == 200
    answer = bad.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"tagline", "url"}
    assert "https://" in answer["errors"]["url"]

    clash = await slack.sender.view_submission(
        view_id=view["id"], user_id="U0ADMIN", values=tool_values(aliases="SmolLM3")
    )
    assert clash.json()["errors"] == {"aliases": "'SmolLM3' already points to SmolLM3."}
    with pytest.raises(UnknownTool):
        await slack.app.catalog.show("Shipwright Nano")  # nothing written by the failed submits

    good = await slack.sender.view_submission(
        view_id=view["id"], user_id="U0ADMIN", values=tool_values()
    )
    assert (good.status, good.text) == (200, "")  # the modal closes
    confirm = await slack.fake.wait_for_call("chat.postEphemeral")
    assert "Added *Shipwright Nano*" in unescape(confirm.args["text"])
    assert confirm.args["user"] == "U0ADMIN"

    call, _ = await slack.compare("sw nano vs SmolLM3")
    assert call.args["blocks"][0]["text"]["text"] == "Shipwright Nano vs SmolLM3"


async def test_non_admin_is_refused_and_nothing_is_written(slack: SlackHarness) -> None:
    for text in ("tool add", "tool edit SmolLM3", "tool remove SmolLM3", "review SmolLM3"):
        slack.fake.reset_calls()
        await slack.sender.slash_command("/shipbot", text, user_id="U0REGULAR")
        refusal = await slack.ephemeral()
        assert refusal.payload["response_type"] == "ephemeral"
        assert "The tool catalog is shared by every workspace" in refusal.payload["text"]
        assert slack.fake.calls_to("views.open") == []
    await slack.sender.slash_command("/shipbot", "tool alias SmolLM3 = smol three")
    with pytest.raises(UnknownTool):
        await slack.app.catalog.show("smol three")

    # A forged submit of the add form (no modal was opened for them) is refused by the core.
    submit = await slack.sender.view_submission(
        callback_id="tool_add",
        user_id="U0REGULAR",
        values=tool_values(),
        private_metadata=json.dumps({"channel": "C0GENERAL"}),
    )
    assert submit.json()["response_action"] == "errors"
    assert "admins" in submit.json()["errors"]["name"]
    with pytest.raises(UnknownTool):
        await slack.app.catalog.show("Shipwright Nano")
    # …and so is a forged click on a remove confirmation.
    await slack.click("tool_remove_confirm", "SmolLM3", user_id="U0REGULAR")
    assert (await slack.app.catalog.show("SmolLM3")).name == "SmolLM3"


async def test_a_workspace_admin_suggests_but_cannot_change_the_shared_catalog(
    settings: Settings,
) -> None:
    """Workspace admins (and the allow-list) are community admins: they may suggest a tool but
    not edit, rename, alias or remove one that every workspace sees."""
    async with running_slack(
        settings, admin_users=["U0REGULAR"], catalog_admins=["slack:T0OTHER:U0ADMIN"]
    ) as slack:
        for user in ("U0ADMIN", "U0REGULAR"):
            for text in ("tool remove SmolLM3", "tool alias SmolLM3 = smol three"):
                slack.fake.reset_calls()
                await slack.sender.slash_command("/shipbot", text, user_id=user)
                refusal = await slack.ephemeral()
                assert "only shipbot's catalog admins" in refusal.payload["text"], (user, text)
        await slack.click("tool_remove_confirm", "SmolLM3", user_id="U0ADMIN")
        assert "smol three" not in (await slack.app.catalog.show("SmolLM3")).aliases
        slack.fake.reset_calls()
        await slack.sender.slash_command(
            "/shipbot", "tool suggest Zed AI — our team ships with it", user_id="U0REGULAR"
        )
        done = await slack.ephemeral()
        assert "*Zed AI* is suggested" in unescape(done.payload["text"])
        listed = await slack.app.catalog.suggestions(Actor.local())
        assert [(s.name, s.note, s.community.id) for s in listed] == [
            ("Zed AI", "our team ships with it", "T0SHIPBOT")
        ]


async def test_owner_edits_a_tool_in_a_prefilled_modal(slack: SlackHarness) -> None:
    view = await open_modal(slack, "tool edit smollm3", user_id="U0OWNER")
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert initial["tagline"] == "3B open-source model that punches above its weight class"
    entry = next(b for b in view["blocks"] if b["block_id"] == "entry")
    assert entry["element"]["initial_option"]["value"] == "Free"

    values = {
        b["block_id"]: {"value": b["element"].get("initial_value") or ""}
        for b in view["blocks"]
        if b["block_id"] != "entry"
    }
    values["tagline"] = {"value": "A 3B open model that punches above its weight"}
    state = text_input_values(values) | {"entry": select("Open source")}
    resp = await slack.sender.view_submission(view_id=view["id"], user_id="U0OWNER", values=state)
    assert (resp.status, resp.text) == (200, "")
    tool = await slack.app.catalog.show("SmolLM3")
    assert tool.tagline == "A 3B open model that punches above its weight"
    assert tool.entry.value == "Open source"
    assert len(tool.reviews) == 4


async def test_remove_asks_first_then_removes(slack: SlackHarness) -> None:
    await slack.sender.slash_command("/shipbot", "tool remove GPT-4o mini", user_id="U0ADMIN")
    ask = await slack.ephemeral()
    assert "Archive GPT-4o mini? It leaves /compare" in unescape(ask.payload["text"])
    assert "Nothing is deleted" in unescape(ask.payload["text"])
    buttons = ask.payload["blocks"][1]["elements"]
    assert [b["action_id"] for b in buttons] == ["tool_remove_confirm", "tool_remove_cancel"]
    assert (await slack.app.catalog.show("GPT-4o mini")).name == "GPT-4o mini"  # not yet

    await slack.click("tool_remove_confirm", buttons[0]["value"], user_id="U0ADMIN")
    done = await slack.fake.wait_for_response_url_post(lambda p: "Archived" in p.payload["text"])
    assert done.payload["replace_original"] is True
    with pytest.raises(UnknownTool):
        await slack.app.catalog.show("GPT-4o mini")


async def test_admin_adds_a_review_in_the_modal(slack: SlackHarness) -> None:
    view = await open_modal(slack, "review GPT-4o mini")
    state = {
        "lens": select("buyer"),
        "verdict": select("skip"),
        **text_input_values({"quote": {"value": "Too short"}, "reviewer": {"value": ""}}),
    }
    bad = await slack.sender.view_submission(view_id=view["id"], user_id="U0ADMIN", values=state)
    assert set(bad.json()["errors"]) == {"quote"}
    state |= text_input_values({"quote": {"value": "The buyer already pays OpenAI; skip."}})
    good = await slack.sender.view_submission(view_id=view["id"], user_id="U0ADMIN", values=state)
    assert (good.status, good.text) == (200, "")
    review = (await slack.app.catalog.show("GPT-4o mini")).review_for(Lens.BUSINESS)
    assert review is not None and review.verdict is Verdict.SKIP


async def test_help_unknown_subcommand_and_compare(slack: SlackHarness) -> None:
    for text in ("", "help", "frobnicate"):
        slack.fake.reset_calls()
        await slack.sender.slash_command("/shipbot", text, user_id="U0ADMIN")
        post = await slack.ephemeral()
        for command in (  # a catalog admin's help
            "/compare SmolLM3 vs Mistral Medium 3",
            "tool add",
            "leaderboard",
            "subscribe",
            "unsubscribe",
            "export",
        ):
            assert command in post.payload["text"]
    slack.fake.reset_calls()
    await slack.sender.slash_command("/shipbot", "compare SmolLM3 vs Mistral Medium 3")
    await slack.fake.wait_for_call("chat.postMessage")


async def test_anyone_can_see_a_tool_profile(slack: SlackHarness) -> None:
    await slack.sender.slash_command("/shipbot", "tool show smollm3", user_id="U0REGULAR")
    post = await slack.ephemeral()
    shown = unescape(post.payload["text"])
    assert shown.startswith("*SmolLM3* (Developer Tools, Free)")
    assert "3B open-source model that punches above its weight class" in shown
    assert post.payload["response_type"] == "ephemeral"
