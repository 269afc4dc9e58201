"""Community features on Slack: the leaderboard with its chart, a card's Chart and My vote
buttons, digest subscriptions and their scheduled post, the vote export, and the one log line
every action leaves."""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text, update

from adapters.slack.digest import digest_scheduler
from adapters.slack.escape import unescape
from bot.votes import Split
from data.schema import SubscriptionRow
from tests.e2e.slack_support import SlackHarness, dm_of, slack, visible
from tests.fakes.slack import ResponseUrlPost

__all__ = ["slack"]  # the fixture

PNG = b"\x89PNG\r\n\x1a\n"
OTHER_PAIR = "Mistral Medium 3 vs GPT-4o mini"


def shared_in(slack: SlackHarness, channel: str) -> list[dict[str, Any]]:
    return [
        f
        for f in slack.fake.workspace.files.values()
        if any(share["channel"] == channel for share in f["shares"])
    ]


async def subscriptions(slack: SlackHarness) -> list[tuple[str, str]]:
    async with slack.app.engine.connect() as conn:
        rows = await conn.execute(text("SELECT community, channel FROM subscriptions"))
        return [(str(a), str(b)) for a, b in rows.all()]


async def test_leaderboard_blocks_best_first_and_chart_shared(slack: SlackHarness) -> None:
    _, seed = await slack.compare()
    _, other = await slack.compare(OTHER_PAIR)
    for user in ("U1", "U2", "U3"):
        await slack.react("a", seed, user)  # SmolLM3 over Mistral Medium 3, three times
        await slack.react("a", other, user)  # Mistral Medium 3 over GPT-4o mini
    await slack.sender.slash_command("/shipbot", "leaderboard")
    board = await slack.ephemeral(lambda p: "leaderboard" in p.payload.get("text", ""))
    assert board.payload["response_type"] == "in_channel"
    ranks = [b for b in board.payload["blocks"] if b.get("block_id", "").startswith("rank_")]
    names = [unescape(b["text"]["text"]).split("* —")[0] for b in ranks]
    # Best first; three votes each leave every 95% interval overlapping: one shared rank.
    assert names == ["*1. SmolLM3", "*1. Mistral Medium 3", "*1. GPT-4o mini"]
    first = unescape(ranks[0]["text"]["text"])
    assert "(95%: " in first and "n = 3" in first and "_provisional_" in first
    assert "panel ship " in first

    await slack.fake.wait_for_call("files.completeUploadExternal")
    (chart,) = shared_in(slack, "C0GENERAL")
    assert chart["name"] == "leaderboard.png"
    assert bytes(chart["content"]).startswith(PNG)


async def test_leaderboard_still_answers_when_the_chart_cannot_be_shared(
    slack: SlackHarness,
) -> None:
    await slack.sender.slash_command("/shipbot", "leaderboard", channel_id="C0NOTJOINED")
    board = await slack.ephemeral(lambda p: p.payload.get("response_type") == "in_channel")
    assert "No votes yet" in visible(board.payload["blocks"])
    note = await slack.ephemeral(lambda p: "invite @shipbot" in p.payload.get("text", ""))
    assert note.payload["response_type"] == "ephemeral"
    assert shared_in(slack, "C0NOTJOINED") == []


async def test_chart_button_sends_the_current_split_privately(slack: SlackHarness) -> None:
    _, card = await slack.compare()
    await slack.react("b", card, "U0ADMIN")
    await slack.click("vote_chart", str(card.id), card, user_id="U0REGULAR")
    sent = await slack.ephemeral(lambda p: "vote chart" in p.payload.get("text", ""))
    assert sent.payload["response_type"] == "ephemeral"
    assert shared_in(slack, "C0GENERAL") == []  # nothing in the channel
    (chart,) = shared_in(slack, dm_of("U0REGULAR"))
    assert bytes(chart["content"]).startswith(PNG)
    assert "here 0 to 1 (n = 1)" in str(chart["alt_txt"])  # the card's current state
    assert "U0ADMIN" not in str(chart) and "U0ADMIN" not in str(sent.payload)


async def test_my_vote_button_tells_only_your_own_choice(slack: SlackHarness) -> None:
    _, card = await slack.compare()

    async def my_vote(user: str) -> ResponseUrlPost:
        slack.fake.reset_calls()
        await slack.click("my_vote", str(card.id), card, user_id=user)
        return await slack.ephemeral()

    assert "haven't voted" in (await my_vote("U0REGULAR")).payload["text"]
    await slack.react("b", card, "U0REGULAR")
    mine = await my_vote("U0REGULAR")
    assert mine.payload["response_type"] == "ephemeral"
    assert "You picked *Mistral Medium 3*" in mine.payload["text"]
    assert "haven't voted" in (await my_vote("U0ADMIN")).payload["text"]


async def test_non_admin_cannot_subscribe_unsubscribe_or_export(slack: SlackHarness) -> None:
    for command in ("subscribe", "subscribe friday 16 Europe/Paris", "unsubscribe", "export"):
        slack.fake.reset_calls()
        await slack.sender.slash_command("/shipbot", command, user_id="U0REGULAR")
        refusal = await slack.ephemeral()
        assert refusal.payload["response_type"] == "ephemeral"
        assert "Only workspace admins and owners" in refusal.payload["text"]
    assert await subscriptions(slack) == []
    assert slack.fake.workspace.files == {}


async def test_admin_subscribes_and_the_digest_is_posted_once_when_due(
    slack: SlackHarness,
) -> None:
    await slack.compare()
    await slack.sender.slash_command(
        "/shipbot", "subscribe friday 16 Europe/Paris", user_id="U0ADMIN"
    )
    confirmation = await slack.ephemeral()
    said = unescape(confirmation.payload["text"])
    assert "every Friday at 16:00 (Europe/Paris); next: Fri " in said
    assert await subscriptions(slack) == [("T0SHIPBOT", "C0GENERAL")]

    scheduler = digest_scheduler(slack.slack.runtime)
    assert await scheduler.run_due() == 0  # not due yet
    async with slack.app.engine.begin() as conn:  # it is Friday 16:00 in Paris
        past = datetime.now(UTC) - timedelta(minutes=1)
        await conn.execute(update(SubscriptionRow).values(next_run_at=past))

    slack.fake.inject_error("chat.postMessage", "ratelimited")  # a failed post is retried…
    assert await scheduler.run_due() == 0
    assert await scheduler.run_due() == 0  # …a minute later, not at once
    async with slack.app.engine.begin() as conn:
        row = (await conn.execute(text("SELECT failures, next_run_at FROM subscriptions"))).one()
        assert row[0] == 1
        await conn.execute(update(SubscriptionRow).values(next_run_at=past))  # a minute later
    assert await scheduler.run_due() == 1
    assert await scheduler.run_due() == 0  # posted exactly once
    posts = [c for c in slack.fake.calls_to("chat.postMessage") if c.response.get("ok")]
    digest = posts[-1]
    assert digest.args["channel"] == "C0GENERAL"
    assert digest.args["blocks"][0]["text"]["text"].startswith("Weekly AI Tool Verdicts")
    assert "SmolLM3 vs Mistral Medium 3 — compared 1×" in visible(digest.args["blocks"])

    slack.fake.reset_calls()
    await slack.sender.slash_command("/shipbot", "unsubscribe", user_id="U0OWNER")
    assert "won't get the digest" in (await slack.ephemeral()).payload["text"]
    assert await subscriptions(slack) == []


async def test_subscribe_with_a_bad_schedule_says_why(slack: SlackHarness) -> None:
    await slack.sender.slash_command("/shipbot", "subscribe someday", user_id="U0ADMIN")
    assert "not a day of the week" in (await slack.ephemeral()).payload["text"]
    slack.fake.reset_calls()
    await slack.sender.slash_command("/shipbot", "subscribe mon 25", user_id="U0ADMIN")
    assert "not an hour" in (await slack.ephemeral()).payload["text"]
    assert await subscriptions(slack) == []


async def test_export_sends_a_csv_without_raw_user_ids_to_the_admin(slack: SlackHarness) -> None:
    _, card = await slack.compare()
    for user in ("U0REGULAR", "U0OWNER", "U7SECRET"):
        await slack.react("a", card, user)
    await slack.sender.slash_command("/shipbot", "export", user_id="U0ADMIN")
    confirmation = await slack.ephemeral()
    assert confirmation.payload["response_type"] == "ephemeral"
    assert "3 votes" in confirmation.payload["text"]
    (export,) = shared_in(slack, dm_of("U0ADMIN"))
    assert export["name"] == "votes.csv"
    content = bytes(export["content"]).decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == 3
    assert {r["pair"] for r in rows} == {"SmolLM3 vs Mistral Medium 3"}
    assert {r["community"] for r in rows} == {"T0SHIPBOT"}
    for raw_id in ("U0REGULAR", "U0OWNER", "U7SECRET"):
        assert raw_id not in content
    assert len({r["user"] for r in rows}) == 3


async def test_every_action_leaves_one_event_line(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="shipbot.events")
    _, card = await slack.compare()
    await slack.react("a", card, "U0ADMIN")
    assert await slack.split(card.id) == Split(1, 0)
    events = [r for r in caplog.records if r.name == "shipbot.events"]
    compare = [r for r in events if r.getMessage() == "compare"]
    assert len(compare) == 1
    line = compare[0].__dict__
    assert (line["platform"], line["outcome"], line["user"], line["team"]) == (
        "slack",
        "ok",
        "U0REGULAR",
        "T0SHIPBOT",
    )
    assert line["latency_ms"] >= 0
    vote = [r for r in events if r.getMessage() == "reaction_vote"]
    assert [r.__dict__["user"] for r in vote] == ["U0ADMIN"]
    text_metrics = slack.app.metrics.exposition().decode()
    assert 'action="reaction_vote",outcome="ok",platform="slack"' in text_metrics


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
async def test_a_digest_to_a_channel_that_is_gone_unsubscribes_it(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, error: str
) -> None:
    await slack.sender.slash_command("/shipbot", "subscribe", user_id="U0ADMIN")
    await slack.ephemeral()
    assert await subscriptions(slack) == [("T0SHIPBOT", "C0GENERAL")]
    caplog.set_level(logging.INFO)
    async with slack.app.engine.begin() as conn:
        past = datetime.now(UTC) - timedelta(minutes=1)
        await conn.execute(update(SubscriptionRow).values(next_run_at=past))
    slack.fake.inject_error("chat.postMessage", error, times=5)
    scheduler = digest_scheduler(slack.slack.runtime)
    assert await scheduler.run_due() == 0
    assert await subscriptions(slack) == []
    assert len(slack.fake.calls_to("chat.postMessage")) == 1  # tried once, not retried
    [gone] = [r for r in caplog.records if "unsubscribed" in r.getMessage()]
    assert gone.levelno == logging.WARNING and error in gone.getMessage()
    assert (gone.community, gone.channel) == ("T0SHIPBOT", "C0GENERAL")  # type: ignore[attr-defined]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
