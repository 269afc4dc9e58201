"""Requests not signed by Slack (forged or older than five minutes) do nothing at all."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.votes import Split
from tests.e2e.slack_support import SEED_PAIR, SlackHarness, slack
from tests.fakes.slack.signing import FORM_CONTENT_TYPE, JSON_CONTENT_TYPE

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


MALFORMED = [
    pytest.param('{"broken', JSON_CONTENT_TYPE, id="broken-json"),
    pytest.param("[1, 2, 3]", JSON_CONTENT_TYPE, id="json-array"),
    pytest.param('"just a string"', JSON_CONTENT_TYPE, id="json-string"),
    pytest.param("payload=%7B%22broken", FORM_CONTENT_TYPE, id="broken-payload"),
    pytest.param("payload=%5B1%5D", FORM_CONTENT_TYPE, id="array-payload"),
    pytest.param("payload=", FORM_CONTENT_TYPE, id="empty-payload"),
]


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
async def test_malformed_bodies_are_checked_after_the_signature(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, body: str, content_type: str
) -> None:
    caplog.set_level(logging.INFO)
    signed = await slack.sender.post(body, content_type)
    forged = await slack.sender.post(body, content_type, forge_signature=True)
    unsigned = await slack.sender.post(body, content_type, unsigned=True)
    assert (signed.status, forged.status, unsigned.status) == (400, 401, 401)
    for resp in (signed, forged, unsigned):
        assert "Traceback" not in resp.text and "Error" not in resp.text, resp.text
    no_errors_logged(caplog)
    assert slack.fake.calls == []


BAD_TIMESTAMPS = ["abc", "", "1e9", " 12", "٣٣٣", "9" * 40, "-1"]


@pytest.mark.parametrize("timestamp", BAD_TIMESTAMPS)
async def test_a_bad_timestamp_is_unauthorised(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, timestamp: str
) -> None:
    caplog.set_level(logging.INFO)
    resp = await slack.sender.slash_command(
        "/compare", SEED_PAIR, extra_headers={"X-Slack-Request-Timestamp": timestamp}
    )
    assert resp.status == 401, resp.text
    assert "Traceback" not in resp.text
    no_errors_logged(caplog)
    assert slack.fake.calls == []


async def test_a_vote_without_a_user_is_refused(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    _, card = await slack.compare()
    caplog.set_level(logging.INFO)
    payload = slack.sender.payloads.block_actions(
        "vote_a", str(card.id), channel_id=card.channel, message_ts=card.message_id
    )
    for user in (None, {}, {"id": ""}, {"id": None}):
        payload["user"] = user
        resp = await slack.sender.send_interactive(payload)
        assert resp.status == 200, resp.text
    assert await slack.split(card.id) == Split(0, 0)
    no_errors_logged(caplog)
    assert any("without a user" in r.getMessage() for r in caplog.records)


BAD_CARD_IDS = ["9" * 40, str(2**63), "0", "-1", "١٢", "12abc", "", "1" * 5000]


@pytest.mark.parametrize("action_id", ["vote_a", "vote_retract", "my_vote", "full_reviews"])
async def test_a_bad_card_id_in_a_button_gets_a_friendly_reply(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, action_id: str
) -> None:
    _, card = await slack.compare()
    caplog.set_level(logging.INFO)
    for value in BAD_CARD_IDS:
        slack.fake.response_url_posts.clear()
        resp = await slack.sender.block_action(
            action_id, value, channel_id=card.channel, message_ts=card.message_id
        )
        assert resp.status == 200, (value, resp.text)
        reply = await slack.ephemeral()
        assert "broken" in reply.payload["text"], (value, reply.payload)
    assert await slack.split(card.id) == Split(0, 0)
    no_errors_logged(caplog)
