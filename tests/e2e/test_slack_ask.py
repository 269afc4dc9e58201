"""Asking in plain words on Slack: an ``app_mention`` or a DM (``message.im``) naming two tools
gets the ``/compare`` card (votable), anything else the help line; bots are never answered."""

from __future__ import annotations

import asyncio

from tests.e2e.discord_support import eventually
from tests.e2e.slack_support import SlackHarness, slack, visible

__all__ = ["slack"]  # the fixture

BOT = "U0SHIPBOT"


async def test_a_mention_naming_two_tools_gets_the_votable_card(slack: SlackHarness) -> None:
    resp = await slack.sender.app_mention(
        f"<@{BOT}> should we ship with SmolLM3 or Mistral Medium 3?"
    )
    assert resp.status == 200, resp.text
    call = await slack.fake.wait_for_call("chat.postMessage", lambda c: bool(c.args.get("blocks")))
    assert call.response["ok"] and call.args["channel"] == "C0GENERAL"
    shown = visible(call.args["blocks"])
    assert "SmolLM3" in shown and "Mistral Medium 3" in shown
    ts = call.response["ts"]
    await slack.fake.wait_for_calls("reactions.add", 2, lambda c: c.args.get("timestamp") == ts)
    card = await eventually(lambda: slack.service.card_by_message("slack", "C0GENERAL", ts))
    assert card is not None
    actions = [b for b in call.args["blocks"] if b["type"] == "actions"]
    assert {"vote_a", "vote_b"} <= {e["action_id"] for b in actions for e in b["elements"]}
    await slack.react("a", card, "U0REGULAR")
    split = await eventually(lambda: slack.split(card.id), lambda s: (s.a, s.b) == (1, 0))
    assert (split.a, split.b) == (1, 0)


async def test_a_dm_naming_two_tools_gets_the_card_in_the_dm(slack: SlackHarness) -> None:
    resp = await slack.sender.direct_message("which is better for RAG, Qdrant or Pinecone")
    assert resp.status == 200, resp.text
    call = await slack.fake.wait_for_call("chat.postMessage", lambda c: bool(c.args.get("blocks")))
    assert call.response["ok"] and call.args["channel"] == "D0REGULAR"
    shown = visible(call.args["blocks"])
    assert "Qdrant" in shown and "Pinecone" in shown
    ts = call.response["ts"]
    assert await eventually(lambda: slack.service.card_by_message("slack", "D0REGULAR", ts))


async def test_nonsense_gets_the_help_line_naming_slacks_commands(slack: SlackHarness) -> None:
    await slack.sender.app_mention(f"<@{BOT}> tell me a joke")
    call = await slack.fake.wait_for_call("chat.postMessage")
    text = call.args["text"]
    assert "`/compare SmolLM3 vs Mistral Medium 3`" in text and "`/shipbot help`" in text
    assert not call.args.get("blocks")


async def test_bots_and_shipbots_own_messages_are_ignored(slack: SlackHarness) -> None:
    await slack.sender.direct_message("SmolLM3 vs Mistral Medium 3", bot_id="B0OTHER")
    await slack.sender.direct_message(
        "SmolLM3 vs Mistral Medium 3", user_id=BOT, bot_id="B0SHIPBOT"
    )
    await slack.sender.direct_message("hello")  # answered: the two before it were not
    call = await slack.fake.wait_for_call("chat.postMessage")
    assert "`/compare" in call.args["text"]
    await asyncio.sleep(0.3)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
