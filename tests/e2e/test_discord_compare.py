"""``/compare`` end to end: the real shipbot client, the fake Discord, a real database."""

from __future__ import annotations

from typing import Any

import pytest

import adapters.discord.replies as replies_module
from adapters.discord.render import EMBEDS, TOTAL, full_reviews, message_size
from bot.models import Community
from bot.settings import Settings
from tests.e2e.discord_support import (
    EPHEMERAL,
    SEED_PAIR,
    A,
    B,
    DiscordHarness,
    discord,
    discord_harness,
    eventually,
    unescape,
)
from tests.fakes.discord import FakeDiscord, Perm
from tests.support.seed_page import seed_page

__all__ = ["discord"]  # the fixture


def _embed_text(embeds: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for embed in embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [embed.get("author", {}).get("name", ""), embed.get("footer", {}).get("text", "")]
        for field in embed.get("fields", []):
            parts += [field["name"], field["value"]]
    return unescape("\n".join(parts))


def _custom_ids(data: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in data.get("components", []) for c in row["components"]]


def _embeds_fit(embeds: list[dict[str, Any]]) -> bool:
    import discord as dpy

    return len(embeds) <= EMBEDS and message_size([dpy.Embed.from_dict(e) for e in embeds]) <= TOTAL


async def test_compare_seed_pair_posts_the_card_with_every_seed_field(
    discord: DiscordHarness,
) -> None:
    handle = await discord.compare(SEED_PAIR)
    data = handle.response_data or {}
    assert handle.response_type == 4 and not data.get("flags", 0) & EPHEMERAL  # public
    assert data["allowed_mentions"] == {"parse": []}
    embeds = data["embeds"]
    assert _embeds_fit(embeds)
    page = seed_page()
    shown = _embed_text(embeds)
    assert embeds[0]["title"] == page.title
    for expected in (page.heading, page.intro):
        assert expected in shown
    for profile, fraction in zip(page.profiles, ("3/4", "4/4"), strict=True):
        for expected in (profile.name, profile.category, profile.tagline, profile.description):
            assert expected in shown
        assert f"**Panel ship** {profile.panel} · {fraction}" in shown
        assert f"**Entry** {profile.entry}" in shown
        assert f"**Community** {profile.community}" in shown
    card = await discord.service.compare(
        SEED_PAIR, Community("discord", str(discord.fake.guild.id))
    )
    assert card.pricing_read in shown and card.verdict in shown
    fields = {f["name"] for f in embeds[1]["fields"]}
    assert fields == {"Developer experience", "Competition", "Future thesis", "Business / buyer"}
    assert "❌ skip" in embeds[1]["fields"][3]["value"]  # SmolLM3's business review
    # the card is registered with its message, and carries its buttons and reactions
    message_id = handle.record.original_message_id
    assert message_id is not None
    posted = await eventually(lambda: discord.card_of(message_id))
    assert posted is not None and posted.message_id == str(message_id)
    assert _custom_ids(data) == [
        f"vote:{posted.id}:a",
        f"vote:{posted.id}:b",
        f"reviews:{posted.id}",
        f"chart:{posted.id}",
        f"myvote:{posted.id}",
        f"close:{posted.id}",
    ]
    assert [len(row["components"]) for row in data["components"]] == [5, 1]  # 5: a row's max
    labels = [c["label"] for row in data["components"] for c in row["components"]]
    assert labels == [
        "Ship SmolLM3",
        "Ship Mistral Medium 3",
        "Full reviews",
        "Chart",
        "My vote",
        "Close vote",
    ]
    stored = discord.fake.world.messages[message_id]
    await discord.fake.wait_until(lambda: set(stored.reactions) == {A, B})
    assert stored.reactions[A] == [discord.fake.bot_user.id]


async def test_full_reviews_button_shows_every_quote_whole_and_ephemerally(
    discord: DiscordHarness,
) -> None:
    posted, message_id = await discord.post_card()
    click = await discord.fake.click_button(message_id, f"reviews:{posted.id}")
    await click.wait_response()
    assert click.response_type == 4
    expected = len(full_reviews(await discord.service.render_posted(posted.id)))
    await click.wait_followups(expected - 1)
    messages = [click.response_data or {}, *click.followups()]
    assert len(messages) >= 2  # the seed quotes alone exceed one message
    for message in messages:
        assert len(message["content"]) <= 2000 and message["flags"] & EPHEMERAL
    text = unescape("\n".join(m["content"] for m in messages))
    joined = " ".join(line.removeprefix("> ") for line in text.splitlines())
    for quote in seed_page().quotes:
        assert quote in joined


async def test_autocomplete_completes_the_side_being_typed(discord: DiscordHarness) -> None:
    async def choices(current: str) -> list[str]:
        handle = await discord.fake.send_autocomplete(
            None, None, None, "compare", {"matchup": current}, focused="matchup"
        )
        await handle.wait_response(timeout=3)
        assert handle.response_type == 8
        return [c["value"] for c in handle.choices]

    first = await choices("SmolL")
    assert first[0] == "SmolLM3"
    second = await choices("SmolLM3 vs Mistral Med")
    assert second[0] == "SmolLM3 vs Mistral Medium 3"
    assert all(v.startswith("SmolLM3 vs ") for v in await choices("SmolLM3 vs Mis"))
    assert "SmolLM3 vs SmolLM3" not in await choices("SmolLM3 vs Smol")
    everything = await choices("")
    assert len(everything) == 25  # the catalog holds 70: capped at Discord's 25


async def test_unknown_name_offers_did_you_mean_buttons_that_run_the_compare(
    discord: DiscordHarness,
) -> None:
    handle = await discord.compare("SmolLM4 vs Mistral Medium 3")
    data = handle.response_data or {}
    assert data["flags"] & EPHEMERAL
    assert "No tool called 'SmolLM4'. Did you mean: SmolLM3" in unescape(data["content"])
    ids = _custom_ids(data)
    assert ids and all(i.startswith("pick:") for i in ids)
    labels = [c["label"] for row in data["components"] for c in row["components"]]
    assert labels[0] == SEED_PAIR
    # clicking the suggestion posts the card publicly
    message_id = handle.record.original_message_id
    assert message_id is not None
    click = await discord.fake.click_button(message_id, ids[0])
    await click.wait_response()
    card = click.response_data or {}
    assert click.response_type == 4 and not card.get("flags", 0) & EPHEMERAL
    assert card["embeds"][0]["title"] == SEED_PAIR
    new_message = click.record.original_message_id
    assert new_message is not None and new_message != message_id
    posted = await eventually(lambda: discord.card_of(new_message))
    assert posted is not None and _custom_ids(card)[0] == f"vote:{posted.id}:a"


async def test_both_sides_unknown_offer_every_plausible_pair(discord: DiscordHarness) -> None:
    handle = await discord.compare("Smollm4 vs Mistrl")
    data = handle.response_data or {}
    text = unescape(data["content"])
    assert "'Smollm4'" in text and "'Mistrl'" in text
    labels = [c["label"] for row in data["components"] for c in row["components"]]
    assert SEED_PAIR in labels and len(labels) <= 25


async def test_unknown_name_without_suggestions_still_answers(discord: DiscordHarness) -> None:
    handle = await discord.compare("Qqqqzzzz vs SmolLM3")
    data = handle.response_data or {}
    assert data["flags"] & EPHEMERAL and "Qqqqzzzz" in data["content"]
    assert not data.get("components")


async def test_self_compare_is_refused_with_one_ephemeral_line(discord: DiscordHarness) -> None:
    handle = await discord.compare("SmolLM3 vs smollm3")
    data = handle.response_data or {}
    assert data["flags"] & EPHEMERAL
    assert data["content"] == (
        "That's the same tool twice (SmolLM3). Compare it with another tool."
    )
    assert not data.get("embeds") and not discord.fake.requests_to("PUT", None)[1:]


async def test_every_other_bad_input_gets_one_ephemeral_line(discord: DiscordHarness) -> None:
    for bad in ("SmolLM3", "SmolLM3 vs Mistral Medium 3 vs GPT-4o", "x" * 600, "a\x07 vs b"):
        handle = await discord.compare(bad)
        data = handle.response_data or {}
        assert handle.response_type == 4 and data["flags"] & EPHEMERAL, bad
        assert data["content"] and "\n" not in data["content"], bad
        assert not data.get("embeds"), bad


async def test_lens_option_shows_one_lens(discord: DiscordHarness) -> None:
    handle = await discord.compare(SEED_PAIR, lens="business")
    embeds = (handle.response_data or {})["embeds"]
    assert [f["name"] for f in embeds[1]["fields"]] == ["Business / buyer"]
    assert "Business / buyer lens only" in embeds[1]["title"]


async def test_mentions_in_names_and_quotes_never_ping_and_show_literally(
    settings: Settings,
) -> None:
    def alice(fake: FakeDiscord) -> list[str]:
        return [f"discord:{fake.admin.id}"]  # the operator's catalog admin may add tools

    async with discord_harness(settings, catalog_admins=alice) as discord:
        await _names_and_quotes_never_ping(discord)


async def _names_and_quotes_never_ping(discord: DiscordHarness) -> None:
    fake = discord.fake
    nasty = "@everyone **Boom** <@&123456789012345678>"
    opened = await fake.send_slash_command(None, None, fake.admin, "tool", {"entry": "Free"}, "add")
    await opened.wait_response()
    modal_id = (opened.response_data or {})["custom_id"]
    fields = {
        "name": nasty,
        "category": "Developer Tools",
        "tagline": "@here pings <@123456789012345678>",
        "description": "A tool whose name tries to ping everyone.",
        "aliases": "pingtool",
    }
    submitted = await fake.submit_modal(modal_id, fields, fake.admin)
    await submitted.wait_response()
    assert "Added" in (submitted.response_data or {})["content"]
    review = await fake.send_slash_command(
        None,
        None,
        fake.admin,
        "tool",
        {
            "name": "pingtool",
            "lens": "developer",
            "verdict": "ship",
            "quote": "@everyone look *here* <@123456789012345678>",
        },
        "review",
    )
    await review.wait_response()
    handle = await discord.compare("pingtool vs SmolLM3")
    data = handle.response_data or {}
    raw = str(data["embeds"])
    for ping in (
        "@everyone",
        "@here",
        "<@&123456789012345678>",
        "<@123456789012345678>",
        "**Boom**",
    ):
        assert ping not in raw
    assert nasty in _embed_text(data["embeds"])  # shown literally once unescaped
    unknown = await discord.compare("@everyone vs SmolLM3")
    assert "@everyone" not in (unknown.response_data or {})["content"]
    for request in fake.requests:
        body = request.json if isinstance(request.json, dict) else {}
        inner = body.get("data", body)
        if isinstance(inner, dict) and ("content" in inner or "embeds" in inner):
            assert inner.get("allowed_mentions") == {"parse": []}, request.path


async def test_slow_work_is_deferred_then_the_card_replaces_the_thinking_message(
    discord: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replies_module, "FAST_REPLY", 0.0)  # every compare counts as slow
    handle = await discord.compare(SEED_PAIR)
    assert handle.response_type == 5  # deferred, public
    await handle.wait_for(lambda h: (h.original_message() or {}).get("embeds"))
    original = handle.original_message() or {}
    assert original["embeds"][0]["title"] == SEED_PAIR
    assert not original["flags"] & EPHEMERAL
    posted = await eventually(lambda: discord.card_of(int(original["id"])))
    assert posted is not None  # the card is tied to the message that shows it


async def test_slow_work_that_fails_answers_ephemerally_not_in_public(
    discord: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replies_module, "FAST_REPLY", 0.0)
    handle = await discord.compare("SmolLM3 vs SmolLM3")
    assert handle.response_type == 5
    [answer] = await handle.wait_followups(1)
    assert answer["flags"] & EPHEMERAL and "same tool twice" in answer["content"]
    original = handle.record.original_message_id or 0
    assert discord.fake.world.get_message(original) is None  # public "thinking…" deleted


async def test_a_card_discord_refused_to_post_is_discarded(discord: DiscordHarness) -> None:
    from sqlalchemy import func, select

    from data.schema import CardRow

    discord.fake.fail_next("POST", r"/interactions/\d+/[^/]+/callback", status=400, code=50035)
    handle = await discord.compare(SEED_PAIR)
    data = handle.response_data or {}
    assert data["flags"] & EPHEMERAL and "Something went wrong" in data["content"]
    async with discord.app.engine.connect() as conn:
        cards = await conn.scalar(select(func.count()).select_from(CardRow))
    assert cards == 0, "the card that was never shown must not stay behind"


async def test_a_channel_where_votes_could_never_count_gets_what_to_grant_and_no_card(
    discord: DiscordHarness,
) -> None:
    fake = discord.fake
    bot = fake.world.bot_user.id
    muted = fake.add_channel(
        "announcements",
        overwrites=[{"id": str(bot), "type": 1, "allow": "0", "deny": str(Perm.ADD_REACTIONS)}],
    )
    before = await _cards(discord)
    handle = await fake.send_slash_command(
        None, muted, fake.member, "compare", {"matchup": SEED_PAIR}
    )
    await handle.wait_response()
    data = handle.response_data or {}
    assert data["flags"] & EPHEMERAL
    assert "Add Reactions" in unescape(data["content"]) and "Nothing was posted" in data["content"]
    assert "View Channel" not in data["content"]  # only what is missing
    assert await _cards(discord) == before
    fine = await discord.compare(SEED_PAIR)  # the default channel allows it
    assert fine.response_data and fine.response_data.get("embeds")


async def test_a_person_asking_over_and_over_is_asked_to_wait(settings: Settings) -> None:
    async with discord_harness(
        settings, compare_cooldown_uses=2, compare_cooldown_seconds=600
    ) as discord:
        for _ in range(2):
            posted = await discord.compare(SEED_PAIR)
            assert (posted.response_data or {}).get("embeds")
        third = await discord.compare(SEED_PAIR)
        data = third.response_data or {}
        assert data["flags"] & EPHEMERAL and "Try again in" in data["content"]
        other = await discord.compare(SEED_PAIR, user=discord.fake.admin)  # others may still ask
        assert (other.response_data or {}).get("embeds")


async def _cards(discord: DiscordHarness) -> int:
    from sqlalchemy import func, select

    from data.schema import CardRow

    async with discord.app.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(CardRow))).scalar())
