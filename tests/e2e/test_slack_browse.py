"""``/shipbot tools``, ``/shipbot tool info`` and ``/shipbot alternatives`` end to end: the real
Bolt app against the fake Slack, a real database with the bundled catalog."""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.limits import limit_problems
from tests.e2e.slack_support import SlackHarness, slack, visible

__all__ = ["slack"]  # the fixture


async def _shipbot(slack: SlackHarness, text: str) -> dict[str, Any]:
    slack.fake.reset_calls()
    resp = await slack.sender.slash_command("/shipbot", text)
    assert resp.status == 200
    post = await slack.ephemeral()
    payload: dict[str, Any] = post.payload
    assert payload["response_type"] == "ephemeral"
    assert limit_problems(payload.get("blocks", []), payload["text"]) == []
    return payload


def _buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]]


async def test_tools_pages_a_category_in_place(slack: SlackHarness) -> None:
    first = await _shipbot(slack, "tools coding")
    shown = visible(first["blocks"])
    assert "Tools in Coding Assistants" in shown and "Page 1 of 4 · 32 tools" in shown
    (nxt,) = _buttons(first)
    assert nxt["action_id"] == "tools_next"
    assert json.loads(nxt["value"]) == {"category": "coding", "query": "", "page": 1}
    await slack.click(nxt["action_id"], nxt["value"])
    turned = await slack.fake.wait_for_response_url_post(
        lambda p: p.payload.get("replace_original") is True
    )
    assert "Page 2 of 4" in visible(turned.payload["blocks"])
    assert [b["action_id"] for b in _buttons(turned.payload)] == ["tools_prev", "tools_next"]


async def test_tools_searches_and_names_a_missing_category(slack: SlackHarness) -> None:
    found = await _shipbot(slack, "tools vector qdrant")
    assert "Tools in Vector Databases matching “qdrant”" in visible(found["blocks"])
    assert "Qdrant" in found["text"] and _buttons(found) == []
    nothing = await _shipbot(slack, "tools knitting")
    assert "No tool matches 'knitting'" in nothing["text"]


async def test_tool_info_shows_facts_and_compare_with_posts_the_card(slack: SlackHarness) -> None:
    await slack.compare()  # SmolLM3 vs Mistral Medium 3: now each other's most compared
    info = await _shipbot(slack, "tool info SmolLM3")
    shown = visible(info["blocks"])
    assert "SmolLM3" in shown and "Panel ship: 75% · 3/4" in shown.replace("*", "")
    assert "Closest alternatives" in shown and "Mistral Medium 3 — compared 1×" in shown.replace(
        "*", ""
    )
    buttons = _buttons(info)
    assert 1 <= len(buttons) <= 3 and buttons[0]["text"]["text"] == "Compare with Mistral Medium 3"
    before = len(slack.fake.calls_to("chat.postMessage"))
    await slack.click(buttons[0]["action_id"], buttons[0]["value"])
    call = await slack.fake.wait_for_calls("chat.postMessage", before + 1)
    assert call[-1].args["blocks"][0]["text"]["text"] == "SmolLM3 vs Mistral Medium 3"


async def test_alternatives_lists_most_compared_first(slack: SlackHarness) -> None:
    await slack.compare()
    found = await _shipbot(slack, "alternatives Mistral Medium 3")
    shown = visible(found["blocks"]).replace("*", "")
    assert "Alternatives to Mistral Medium 3" in shown
    assert "• SmolLM3 — compared 1×" in shown
    assert _buttons(found)[0]["text"]["text"] == "Compare with SmolLM3"
    unknown = await _shipbot(slack, "alternatives Nonexistent Thing")
    assert "No tool called" in unknown["text"]


async def test_compare_takes_a_workload_and_a_lens_at_the_end(slack: SlackHarness) -> None:
    plain, _ = await slack.compare("GPT-4o vs Claude Sonnet 4")
    asked, _ = await slack.compare("GPT-4o vs Claude Sonnet 4 for 50M tokens as buyer")

    def pricing(call: Any) -> str:
        block = next(b for b in call.args["blocks"] if b.get("block_id") == "pricing")
        return str(block["text"]["text"])

    assert "Business / buyer lens only" in visible(asked.args["blocks"])
    assert pricing(asked) != pricing(plain)  # priced at 50M tokens, not the default
