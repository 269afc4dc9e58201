"""Votes on a posted card: reactions and buttons, retries, duplicates and coalesced refreshes."""

from __future__ import annotations

import asyncio
import time

from adapters.slack.escape import unescape
from bot.votes import Split
from tests.e2e.slack_support import REFRESH_SECONDS, SlackHarness, slack

__all__ = ["slack"]  # the fixture


async def test_reaction_add_change_remove_and_skin_tone(slack: SlackHarness) -> None:
    _, card = await slack.compare()
    await slack.react("a", card, "U0REGULAR")
    assert await slack.split(card.id) == Split(1, 0)
    await slack.react("b", card, "U0REGULAR")  # a change of mind moves the one vote
    assert await slack.split(card.id) == Split(0, 1)
    await slack.react("a", card, "U0REGULAR", added=False)  # the old reaction goes: no effect
    assert await slack.split(card.id) == Split(0, 1)
    await slack.react("b", card, "U0REGULAR", added=False)  # the current one goes: retracted
    assert await slack.split(card.id) == Split(0, 0)

    await slack.react("a::skin-tone-3", card, "U0ADMIN")
    await slack.react("b::skin-tone-6", card, "U0OWNER")
    assert await slack.split(card.id) == Split(1, 1)
    await slack.react("a::skin-tone-3", card, "U0ADMIN", added=False)
    assert await slack.split(card.id) == Split(0, 1)

    await slack.react("+1", card, "U0ADMIN")  # any other emoji is not a vote
    await slack.react("eyes", card, "U0ADMIN")
    assert await slack.split(card.id) == Split(0, 1)


async def test_reaction_on_another_message_is_not_a_vote(slack: SlackHarness) -> None:
    _, card = await slack.compare()
    other = slack.fake.workspace.post_message("C0GENERAL", text="lunch?", user="U0OWNER")
    await slack.sender.reaction("a", channel_id="C0GENERAL", ts=other["ts"], user_id="U0ADMIN")
    assert await slack.split(card.id) == Split(0, 0)


async def test_the_bots_own_reactions_are_ignored(slack: SlackHarness) -> None:
    _, card = await slack.compare()
    bot = slack.fake.workspace.bot_user_id
    # The bot adds :a: and :b: itself; if Slack sends those events, they are not votes.
    await slack.react("a", card, bot)
    await slack.react("b", card, bot)
    assert await slack.split(card.id) == Split(0, 0)
    await slack.react("a", card, "U0REGULAR")
    assert await slack.split(card.id) == Split(1, 0)


async def test_retried_event_counts_once_and_a_late_retry_cannot_undo(slack: SlackHarness) -> None:
    _, card = await slack.compare()
    first = await slack.react("a", card, "U0REGULAR")
    for attempt in (1, 2, 3):
        retry = await slack.sender.resend(first, retry_num=attempt, retry_reason="http_timeout")
        assert retry.status == 200
    await slack.react("a", card, "U0ADMIN", event_id=first.payload["event_id"] + "x")
    assert await slack.split(card.id) == Split(2, 0)

    # The same user changes to :b:, then Slack re-delivers the old :a: event late.
    await slack.react("b", card, "U0REGULAR")
    late = await slack.sender.resend(first, retry_num=3, retry_reason="http_error")
    assert late.status == 200
    assert await slack.split(card.id) == Split(1, 1)

    # A removal retried after a newer add does not delete the newer vote either.
    removed = await slack.react("b", card, "U0ADMIN", added=False)  # no-op: U0ADMIN is on :a:
    await slack.react("b", card, "U0ADMIN")
    await slack.sender.resend(removed, retry_num=1)
    assert await slack.split(card.id) == Split(0, 2)


async def test_button_vote_cast_change_and_withdraw(slack: SlackHarness) -> None:
    _, card = await slack.compare()
    await slack.click("vote_a", str(card.id), card, user_id="U0OWNER")
    assert await slack.split(card.id) == Split(1, 0)
    receipt = await slack.ephemeral()
    assert receipt.payload["response_type"] == "ephemeral"
    assert "You picked *SmolLM3*" in receipt.payload["text"]  # real bold: markers not escaped
    withdraw = receipt.payload["blocks"][1]["elements"][0]
    assert (withdraw["action_id"], withdraw["value"]) == ("vote_retract", str(card.id))

    # The same click delivered twice counts once and confirms once.
    click = await slack.click("vote_b", str(card.id), card, user_id="U0OWNER")
    await slack.sender.resend(click)
    assert await slack.split(card.id) == Split(0, 1)
    receipts = [p for p in slack.fake.response_url_posts if "vote_retract" in str(p.payload)]
    assert len(receipts) == 2
    assert "changed your vote from *SmolLM3* to *Mistral Medium 3*" in receipts[-1].payload["text"]

    await slack.click("vote_retract", str(card.id), card, user_id="U0OWNER")
    assert await slack.split(card.id) == Split(0, 0)

    # A button vote and a reaction vote are the same one vote per person per pair.
    await slack.click("vote_a", str(card.id), card, user_id="U0ADMIN")
    await slack.react("b", card, "U0ADMIN")
    assert await slack.split(card.id) == Split(0, 1)


async def test_votes_refresh_the_card_community_line(slack: SlackHarness) -> None:
    _, card = await slack.compare()
    for user in ("U1", "U2", "U3", "U4"):
        await slack.react("a", card, user)
    await slack.react("b", card, "U5")
    await slack.slack.runtime.refresher.drain()
    last = slack.updates_of(card)[-1]
    assert last.response["ok"]
    community = next(b for b in last.args["blocks"] if b.get("block_id") == "community")
    assert "SmolLM3 80% · Mistral Medium 3 20% (n = 5" in unescape(community["text"]["text"])
    assert "80% pick SmolLM3 (n = 5)" in unescape(last.args["text"])
    stored = slack.fake.workspace.message("C0GENERAL", card.message_id or "")
    assert stored is not None and stored["blocks"] == last.args["blocks"]


async def test_burst_of_200_votes_exact_tally_and_bounded_updates(slack: SlackHarness) -> None:
    _, card = await slack.compare()
    gate = asyncio.Semaphore(16)

    async def vote(number: int) -> None:
        async with gate:
            await slack.react("a" if number % 5 < 3 else "b", card, f"U{number:05d}")

    started = time.monotonic()
    await asyncio.gather(*(vote(n) for n in range(200)))
    await slack.slack.runtime.refresher.drain()
    elapsed = time.monotonic() - started

    assert await slack.split(card.id) == Split(120, 80)
    updates = slack.updates_of(card)
    assert 1 <= len(updates) <= elapsed / REFRESH_SECONDS + 2, (len(updates), elapsed)
    assert all(u.response["ok"] for u in updates)
    final = next(b for b in updates[-1].args["blocks"] if b.get("block_id") == "community")
    assert "n = 200" in unescape(final["text"]["text"])
    assert "SmolLM3 60% · Mistral Medium 3 40%" in unescape(final["text"]["text"])
