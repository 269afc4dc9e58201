"""``/compare`` end to end: the real Slack app over signed HTTP, the fake Web API, a real database."""

from __future__ import annotations

import json

from adapters.slack.escape import unescape
from adapters.slack.limits import limit_problems
from adapters.slack.render import QUOTE_ON_CARD
from adapters.text import shorten
from bot.settings import Settings
from tests.e2e.slack_support import (
    SEED_PAIR,
    SlackHarness,
    raw,
    running_slack,
    slack,
    visible,
)
from tests.support.seed_page import seed_page

__all__ = ["slack"]  # the fixture


async def test_compare_seed_pair_posts_the_full_card(slack: SlackHarness) -> None:
    resp = await slack.sender.slash_command("/compare", SEED_PAIR)
    assert (resp.status, resp.text) == (200, "")  # acked with nothing: the card is the answer
    call, posted = await slack.compare()  # a second card, same content
    blocks, text = call.args["blocks"], call.args["text"]
    assert call.args["channel"] == "C0GENERAL"
    assert limit_problems(blocks, text) == []

    page = seed_page()
    shown, fallback = visible(blocks), unescape(text)
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": page.title, "emoji": False},
    }
    # The fallback text stays under the 4,000 characters Slack asks for: it opens like the card
    # (title, heading, intro) and the blocks carry everything.
    assert len(text) < 4000
    for expected in (page.heading, page.title, page.intro):
        assert expected in fallback
    for seen in (shown,):
        for expected in (page.heading, page.title, page.intro):
            assert expected in seen
        for profile in page.profiles:
            for value in (profile.category, profile.name, profile.tagline, profile.entry):
                assert value in seen
            assert profile.description in seen
        assert "75% · 3/4" in seen and "100% · 4/4" in seen
        assert "Community" in seen and "—" in seen
        assert "Pricing read" in seen
        for quote in page.quotes:  # trimmed on the card, whole under "Full reviews"
            assert shorten(quote, QUOTE_ON_CARD).removesuffix("…") in seen
        assert "The panel favours Mistral Medium 3" in seen
        assert page.digest_title in seen
    assert shown.count("❌ skip") == 1 and shown.count("✅ ship") == 7

    lens_rows = [b for b in blocks if str(b.get("block_id", "")).startswith("lens_")]
    assert [b["text"]["text"].strip("*") for b in lens_rows] == [
        "Developer experience",
        "Competition",
        "Future thesis",
        "Business / buyer",
    ]
    profiles = next(b for b in blocks if b.get("block_id") == "profiles")
    assert len(profiles["fields"]) == 2  # side by side
    assert "SmolLM3" in unescape(profiles["fields"][0]["text"])
    buttons = next(b for b in blocks if b["type"] == "actions")["elements"]
    assert [(b["action_id"], b["value"], b["text"]["text"]) for b in buttons] == [
        ("vote_a", str(posted.id), "Ship SmolLM3"),
        ("vote_b", str(posted.id), "Ship Mistral Medium 3"),
        ("full_reviews", str(posted.id), "Full reviews"),
        ("vote_chart", str(posted.id), "Chart"),
        ("my_vote", str(posted.id), "My vote"),
        ("vote_close", str(posted.id), "Close vote"),
    ]
    reactions = [
        c.args["name"]
        for c in slack.fake.calls_to("reactions.add")
        if c.args["timestamp"] == call.response["ts"]
    ]
    assert reactions == ["a", "b"]
    assert posted.message_id == call.response["ts"]


async def test_compare_acks_before_the_card_is_posted(settings: Settings) -> None:
    # The app runs with process_before_response (votes are acked once written); a command still
    # acks at once and posts its card after.
    async with running_slack(settings) as slack:
        slack.fake.inject_delay("chat.postMessage", 1.0)
        resp = await slack.sender.slash_command("/compare", SEED_PAIR)
        assert resp.status == 200
        assert resp.elapsed < 1.0
        assert slack.fake.calls_to("chat.postMessage") == []
        call = await slack.fake.wait_for_call("chat.postMessage")
        assert call.response["ok"]
        await slack.fake.wait_for_calls("reactions.add", 2)


async def test_full_reviews_button_shows_every_quote_in_full(slack: SlackHarness) -> None:
    _, posted = await slack.compare()
    await slack.click("full_reviews", str(posted.id), posted)
    post = await slack.ephemeral()
    assert post.payload["response_type"] == "ephemeral"
    assert post.payload.get("replace_original") is False
    assert limit_problems(post.payload["blocks"], post.payload["text"]) == []
    shown = visible(post.payload["blocks"])
    joined = " ".join(shown.split())
    for quote in seed_page().quotes:
        assert " ".join(quote.split()) in joined


async def test_unknown_name_offers_did_you_mean_buttons(slack: SlackHarness) -> None:
    resp = await slack.sender.slash_command("/compare", "SmolLM3 vs Mistrl")
    assert resp.status == 200
    post = await slack.ephemeral()
    assert post.payload["response_type"] == "ephemeral"
    assert "Did you mean" in unescape(post.payload["text"])
    buttons = post.payload["blocks"][1]["elements"]
    labels = [b["text"]["text"] for b in buttons]
    assert "Mistral Medium 3" in labels
    assert slack.fake.calls_to("chat.postMessage") == []

    pick = next(b for b in buttons if b["text"]["text"] == "Mistral Medium 3")
    assert json.loads(pick["value"]) == {"a": "SmolLM3", "b": "Mistral Medium 3", "lens": None}
    await slack.click(pick["action_id"], pick["value"])
    call = await slack.fake.wait_for_call("chat.postMessage")
    assert call.args["blocks"][0]["text"]["text"] == "SmolLM3 vs Mistral Medium 3"


async def test_bot_not_in_channel_asks_to_be_invited(slack: SlackHarness) -> None:
    resp = await slack.sender.slash_command("/compare", SEED_PAIR, channel_id="C0NOTJOINED")
    assert resp.status == 200
    post = await slack.ephemeral()
    assert "invite @shipbot to this channel" in post.payload["text"]
    assert post.payload["response_type"] == "ephemeral"
    assert slack.fake.workspace.messages("C0NOTJOINED") == []
    assert slack.fake.calls_to("reactions.add") == []


async def test_bad_input_gets_one_ephemeral_line(slack: SlackHarness) -> None:
    for text in ("SmolLM3", "", "SmolLM3 vs SmolLM3", "A vs B vs C vs D"):
        slack.fake.reset_calls()
        resp = await slack.sender.slash_command("/compare", text)
        assert resp.status == 200
        post = await slack.ephemeral()
        assert post.payload["response_type"] == "ephemeral"
        assert "\n" not in post.payload["text"].strip()
        assert "Traceback" not in post.payload["text"]
    assert slack.fake.workspace.messages("C0GENERAL") == []


async def test_rate_limited_post_is_retried(slack: SlackHarness) -> None:
    slack.fake.inject_rate_limit("chat.postMessage", retry_after=0)
    call, _ = await slack.compare()
    assert [c.status for c in slack.fake.calls_to("chat.postMessage")] == [429, 200]
    assert len(slack.fake.workspace.messages("C0GENERAL")) == 1
    assert call.response["ok"]


async def test_user_text_cannot_mention_or_break_formatting(slack: SlackHarness) -> None:
    from bot.admin import Actor

    await slack.app.catalog.add_tool(
        {
            "name": "<!channel> *Evil_Tool",
            "category": "<!here> ~strike",
            "tagline": "hi <@U0ADMIN> and <https://evil.example|click> `code",
            "entry": "Free",
            "description": "@channel @here @everyone & <!everyone> <#C0GENERAL> > quote",
            "aliases": ["eviltool"],
        },
        Actor.local(),
    )
    call, _ = await slack.compare("eviltool vs SmolLM3")
    payload = raw(call.args["blocks"]) + call.args["text"]
    for bad in ("<!channel>", "<!here>", "<!everyone>", "<@U0ADMIN>", "<https://evil", "<#C0"):
        assert bad not in payload
    assert "@channel" not in payload and "@here" not in payload
    for block in call.args["blocks"]:
        if block["type"] == "section":
            for obj in [block.get("text"), *(block.get("fields") or [])]:
                if obj and obj["type"] == "mrkdwn":
                    # every * _ ~ ` from user text is fenced by zero-width spaces
                    assert "\u200b*\u200bEvil\u200b_\u200bTool" in obj["text"] or (
                        "Evil" not in obj["text"]
                    )
    header = call.args["blocks"][0]["text"]
    assert header["type"] == "plain_text"
    assert unescape(header["text"]) == "<!channel> *Evil_Tool vs SmolLM3"  # reads the same
    assert limit_problems(call.args["blocks"], call.args["text"]) == []

    slack.fake.reset_calls()
    await slack.sender.slash_command("/compare", "<!channel> nothing vs <@U0ADMIN>")
    post = await slack.ephemeral()
    assert "<!channel>" not in raw(post.payload) and "<@U0ADMIN>" not in raw(post.payload)
