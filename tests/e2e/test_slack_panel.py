"""The panel on Slack through the real Bolt app and the fake Web API: ``/review`` takes in a
modal, the ``/shipbot queue`` modal with its buttons and the edit form, and provenance on the
card."""

from __future__ import annotations

import json
from typing import Any

from bot.settings import Settings
from tests.e2e.slack_support import SlackHarness, slack, visible
from tests.fakes.slack.payloads import text_input_values
from tests.integration.panel_support import ADMIN

__all__ = ["slack"]  # the fixture

TAKE = (
    "The primitive here is a calm editor; the moment of truth is a three-file refactor, and "
    "it holds."
)


def select(value: str) -> dict[str, Any]:
    return {"value": {"type": "static_select", "selected_option": {"value": value}}}


async def _take(
    slack: SlackHarness, user: str = "U0REGULAR", lens: str = "developer", quote: str = TAKE
) -> Any:
    before = len(slack.fake.calls_to("views.open"))
    resp = await slack.sender.slash_command("/review", "cursor", user_id=user)
    assert resp.status == 200
    opened = (await slack.fake.wait_for_calls("views.open", before + 1))[-1]
    view = opened.response["view"]
    assert view["callback_id"] == "panel_take"
    state = {
        "lens": select(lens),
        "verdict": select("ship"),
        **text_input_values({"quote": {"value": quote}}),
    }
    return await slack.sender.view_submission(view_id=view["id"], user_id=user, values=state)


async def _open_queue(slack: SlackHarness, user: str = "U0ADMIN") -> dict[str, Any]:
    before = len(slack.fake.calls_to("views.open"))
    await slack.sender.slash_command("/shipbot", "queue", user_id=user)
    opened = (await slack.fake.wait_for_calls("views.open", before + 1))[-1]
    assert opened.response["ok"], opened.response
    view: dict[str, Any] = opened.response["view"]
    return view


async def _click(
    slack: SlackHarness, view: dict[str, Any], action_id: str, value: str, user: str = "U0ADMIN"
) -> dict[str, Any]:
    """A button inside the modal: a ``block_actions`` whose container is the view."""
    payloads = slack.sender.payloads
    base = payloads.block_actions(action_id, value, user_id=user)
    body = payloads.merge(
        base,
        container={"type": "view", "view_id": view["id"]},
        view=slack.fake.workspace.views[view["id"]],
    )
    body.pop("message", None)
    body.pop("channel", None)
    method = "views.push" if action_id == "panel_edit_open" else "views.update"
    before = len(slack.fake.calls_to(method))
    resp = await slack.sender.send_interactive(body)
    assert resp.status == 200
    call = (await slack.fake.wait_for_calls(method, before + 1))[-1]
    assert call.response["ok"], call.response
    result: dict[str, Any] = call.response["view"]
    return result


async def test_member_take_then_admin_approves_in_the_queue_modal(slack: SlackHarness) -> None:
    submitted = await _take(slack)
    assert (submitted.status, submitted.text) == (200, "")
    thanks = await slack.fake.wait_for_call("chat.postEphemeral")
    assert "waits for an admin's approval" in thanks.args["text"]
    refused = await slack.sender.slash_command("/shipbot", "queue", user_id="U0REGULAR")
    assert refused.status == 200
    told = await slack.ephemeral()
    assert "Only workspace admins" in told.payload["text"]
    view = await _open_queue(slack)
    shown = visible(view["blocks"])
    assert "1 drafts wait for approval" in shown and "member take by reggie" in shown
    approve = next(
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "panel_approve"
    )
    updated = await _click(slack, view, "panel_approve", approve["value"])
    assert f"Approved #{approve['value']}." in visible(updated["blocks"])
    assert "queue is empty" in visible(updated["blocks"])
    call, _ = await slack.compare("Cursor vs Windsurf")
    assert "member take by reggie, approved by ada" in visible(call.args["blocks"])


async def test_edit_form_reject_paging_and_approve_all(slack: SlackHarness) -> None:
    for n in range(7):
        await _take(
            slack,
            lens=("developer", "competition", "future", "business")[n % 4],
            quote=f"{TAKE} Take {n}.",
        )
    view = await _open_queue(slack)
    assert "7 drafts wait for approval (showing 1–5)" in visible(view["blocks"])
    page2 = await _click(slack, view, "panel_page_next", "5")
    assert "showing 6–7" in visible(page2["blocks"])
    first = next(
        e
        for b in page2["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "panel_edit_open"
    )
    form = await _click(slack, page2, "panel_edit_open", first["value"])
    assert form["callback_id"] == "panel_edit"
    bad = await slack.sender.view_submission(
        view_id=form["id"],
        user_id="U0ADMIN",
        values={"verdict": select("skip"), **text_input_values({"quote": {"value": "short"}})},
    )
    assert "at least 40" in bad.json()["errors"]["quote"]
    good = await slack.sender.view_submission(
        view_id=form["id"],
        user_id="U0ADMIN",
        values={
            "verdict": select("skip"),
            **text_input_values({"quote": {"value": TAKE + " Edited."}}),
        },
    )
    assert (good.status, good.text) == (200, "")
    redrawn = await slack.fake.wait_for_call(
        "views.update", lambda c: "Edited #" in json.dumps(c.args.get("view"))
    )
    assert redrawn.args["view_id"] == view["id"]
    edited = [
        d for d in (await slack.app.reviews.page(ADMIN, 0, 10)).items if d.id == int(first["value"])
    ]
    assert edited[0].verdict.value == "skip" and edited[0].quote.endswith("Edited.")
    rejected = await _click(slack, page2, "panel_reject", first["value"])
    assert f"Rejected #{first['value']}." in visible(rejected["blocks"])
    done = await _click(slack, view, "panel_approve_all", "all")
    assert "Approved 6 drafts." in visible(done["blocks"])
    assert (await slack.app.reviews.page(ADMIN)).total == 0


async def test_bad_take_stays_in_the_form_with_the_error(slack: SlackHarness) -> None:
    resp = await _take(slack, quote="too short")
    assert "at least 40" in resp.json()["errors"]["quote"]
    assert (await slack.app.reviews.page(ADMIN)).total == 0


async def test_forged_queue_click_by_a_member_changes_nothing(slack: SlackHarness) -> None:
    await _take(slack)
    view = await _open_queue(slack)
    draft = (await slack.app.reviews.page(ADMIN)).items[0]
    updated = await _click(slack, view, "panel_approve", str(draft.id), user="U0REGULAR")
    assert "Only shipbot admins" in visible(updated["blocks"])
    assert (await slack.app.reviews.page(ADMIN)).total == 1


async def test_draft_panel_button_on_a_card_drafts_for_admins_only(settings: Settings) -> None:
    from tests.e2e.slack_support import running_slack
    from tests.fakes.openai import FakeChatServer

    chat = FakeChatServer()
    await chat.start()
    try:
        configured = settings.model_copy(
            update={"panel_base_url": chat.base_url, "panel_model": "fake-panel-1"}
        )
        async with running_slack(configured, admin_users=["U0ADMIN"]) as slack:
            seed, _ = await slack.compare()  # both tools have a panel: no button
            assert "panel_draft" not in json.dumps(seed.args["blocks"])
            call, card = await slack.compare("Cursor vs Windsurf")
            [button] = [
                e
                for b in call.args["blocks"]
                if b["type"] == "actions"
                for e in b["elements"]
                if e["action_id"] == "panel_draft"
            ]
            assert button["text"]["text"] == "Draft panel" and "style" not in button
            await slack.click("panel_draft", button["value"], card, user_id="U0REGULAR")
            refused = await slack.ephemeral(lambda p: "Only workspace admins" in p.payload["text"])
            assert refused.payload["response_type"] == "ephemeral"
            assert chat.completions == []
            await slack.click("panel_draft", button["value"], card, user_id="U0ADMIN")
            summary = await slack.ephemeral(lambda p: "reviews drafted" in p.payload["text"])
            assert "8 reviews drafted for 2 of 2 tools" in visible([summary.payload])
            assert "/shipbot queue" in summary.payload["text"]
            page = await slack.app.reviews.page(ADMIN)
            assert page.total == 8 and {i.tool_name for i in page.items} <= {"Cursor", "Windsurf"}
    finally:
        await chat.close()
