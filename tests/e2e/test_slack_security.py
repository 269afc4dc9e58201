"""Requests not signed by Slack (forged or older than five minutes) do nothing at all."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.votes import Split
from tests.e2e.slack_support import SEED_PAIR, SlackHarness, slack

__all__ = ["slack"]  # the fixture

TAMPERED = [
    pytest.param({"forge_signature": True}, id="forged"),
    pytest.param({"age_seconds": 301}, id="stale"),
    pytest.param({"unsigned": True}, id="unsigned"),
]


@pytest.mark.parametrize("tamper", TAMPERED)
async def test_unsigned_requests_are_rejected_and_change_nothing(
    slack: SlackHarness, tamper: dict[str, Any]
) -> None:
    _, card = await slack.compare()
    assert card.message_id is not None
    slack.fake.reset_calls()
    messages = len(slack.fake.workspace.messages("C0GENERAL"))

    command = await slack.sender.slash_command("/compare", SEED_PAIR, **tamper)
    admin = await slack.sender.slash_command("/shipbot", "tool add", user_id="U0ADMIN", **tamper)
    reaction = await slack.sender.reaction(
        "a", channel_id="C0GENERAL", ts=card.message_id, user_id="U0ADMIN", **tamper
    )
    click = await slack.sender.block_action(
        "vote_b", str(card.id), message_ts=card.message_id, user_id="U0ADMIN", **tamper
    )
    submit = await slack.sender.view_submission(
        callback_id="tool_add",
        user_id="U0ADMIN",
        values={"name": {"value": {"type": "plain_text_input", "value": "Forged Tool"}}},
        private_metadata=json.dumps({"channel": "C0GENERAL"}),
        **tamper,
    )
    assert [r.status for r in (command, admin, reaction, click, submit)] == [401] * 5
    assert slack.fake.calls == []  # not even auth.test
    assert slack.fake.response_url_posts == []
    assert len(slack.fake.workspace.messages("C0GENERAL")) == messages
    assert await slack.split(card.id) == Split(0, 0)
    assert "forged tool" not in {t.name.casefold() for t in await slack.app.catalog.list()}

    # Control: the same reaction, signed properly, counts.
    ok = await slack.sender.reaction(
        "a", channel_id="C0GENERAL", ts=card.message_id, user_id="U0ADMIN"
    )
    assert ok.status == 200
    assert await slack.split(card.id) == Split(1, 0)


async def test_url_verification_handshake(slack: SlackHarness) -> None:
    resp = await slack.sender.url_verification("shipbot-challenge")
    assert (resp.status, resp.json()) == (200, {"challenge": "shipbot-challenge"})
