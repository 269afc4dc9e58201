"""Community features end to end: /leaderboard, the Chart and My vote buttons, /export, and
account age against the fake Discord."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.admin import Actor
from bot.community import ExportRow
from bot.models import Community, Side, Voter, VoteSource
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
from tests.fakes.discord import (
    FakeDiscord,
    FakeUser,
    InteractionHandle,
    RecordedFile,
    RecordedRequest,
)

__all__ = ["discord"]  # the fixture

PNG = b"\x89PNG\r\n\x1a\n"


def uploads(requests: list[RecordedRequest]) -> list[RecordedFile]:
    return [f for r in requests for f in r.files]


def sent_message(handle: InteractionHandle) -> dict[str, Any]:
    """What the bot answered: the callback's message, or (deferred) the first followup."""
    if handle.response_type == 5:
        return dict(handle.followups()[0])
    return dict(handle.response_data or {})


async def vote(discord: DiscordHarness, matchup: str, a: int, b: int) -> None:
    """Post ``matchup`` and have ``a`` + ``b`` new members react for side A / side B."""
    card, message_id = await discord.post_card(matchup)
    for i in range(a + b):
        who = discord.member(f"voter{card.id}x{i}")
        await discord.fake.add_reaction(message_id, user=who, emoji=A if i < a else B)
    await discord.wait_split(card.id, a, b)


async def test_leaderboard_ranks_by_head_to_head_votes_and_attaches_its_chart(
    discord: DiscordHarness,
) -> None:
    await vote(discord, SEED_PAIR, 0, 3)  # Mistral Medium 3 beats SmolLM3
    await vote(discord, "GPT-4o vs Mistral Medium 3", 3, 0)  # GPT-4o beats Mistral Medium 3
    handle = await discord.fake.send_slash_command(None, None, None, "leaderboard")
    await handle.wait_response()
    await handle.wait_for(lambda h: uploads(h.requests))
    message = sent_message(handle)
    assert not int(message.get("flags") or 0) & EPHEMERAL  # the board is public
    [embed] = message["embeds"]
    lines = unescape(embed["description"]).splitlines()
    # Best first; with 3 and 6 votes every 95% interval overlaps, so the rank is shared.
    assert [line.split("**")[1] for line in lines] == [
        "1. GPT-4o",
        "1. Mistral Medium 3",
        "1. SmolLM3",
    ]
    assert all("n = 3" in line or "n = 6" in line for line in lines)
    assert all("provisional" in line and "panel" in line for line in lines)  # under 10 votes
    assert "(" in lines[0] and "–" in lines[0]  # the 95% interval
    assert embed["image"]["url"] == "attachment://leaderboard.png"
    [png] = uploads(handle.requests)
    assert png.filename == "leaderboard.png" and png.data.startswith(PNG)


async def test_leaderboard_by_category_with_autocomplete(discord: DiscordHarness) -> None:
    await vote(discord, SEED_PAIR, 1, 0)
    await vote(discord, "LangGraph vs CrewAI", 0, 1)
    typed = await discord.fake.send_autocomplete(
        None, None, None, "leaderboard", {"category": "automation"}, "category"
    )
    await typed.wait_response()
    assert "Agents & Automation" in [c["value"] for c in typed.choices]
    handle = await discord.fake.send_slash_command(
        None, None, None, "leaderboard", {"category": "Agents & Automation"}
    )
    await handle.wait_response()
    await handle.wait_for(lambda h: uploads(h.requests))
    [embed] = sent_message(handle)["embeds"]
    assert "Agents & Automation" in unescape(embed["title"])
    names = [line.split("**")[1] for line in unescape(embed["description"]).splitlines()]
    assert names == ["1. CrewAI", "1. LangGraph"]  # one vote: the intervals overlap


async def test_leaderboard_without_votes_says_so_without_a_chart(discord: DiscordHarness) -> None:
    handle = await discord.fake.send_slash_command(None, None, None, "leaderboard")
    await handle.wait_response()
    message = sent_message(handle)
    [embed] = message["embeds"]
    assert "No votes yet" in embed["description"] and "image" not in embed
    assert uploads(handle.requests) == []


async def test_chart_button_shows_the_vote_split_only_to_the_clicker(
    discord: DiscordHarness,
) -> None:
    card, message_id = await discord.post_card()
    await discord.fake.add_reaction(message_id, user=discord.fake.member, emoji=B)
    await discord.wait_split(card.id, 0, 1)
    before = len(discord.fake.world.channel_messages(discord.fake.channel.id))
    handle = await discord.fake.click_button(message_id, f"chart:{card.id}")
    await handle.wait_response()
    await handle.wait_for(lambda h: uploads(h.requests))
    message = sent_message(handle)
    assert int(message.get("flags") or 0) & EPHEMERAL
    [png] = uploads(handle.requests)
    assert png.filename == "vote-split.png" and png.data.startswith(PNG)
    assert len(discord.fake.world.channel_messages(discord.fake.channel.id)) == before


async def test_my_vote_button_tells_each_person_their_own_vote_only(
    discord: DiscordHarness,
) -> None:
    card, message_id = await discord.post_card()
    fake = discord.fake
    carol = discord.member("carol")
    await fake.add_reaction(message_id, user=fake.member, emoji=A)
    await discord.wait_split(card.id, 1, 0)
    mine = await fake.click_button(message_id, f"myvote:{card.id}", user=fake.member)
    await mine.wait_response()
    data = mine.response_data or {}
    assert data["flags"] & EPHEMERAL and "You picked **SmolLM3**" in data["content"]
    theirs = await fake.click_button(message_id, f"myvote:{card.id}", user=carol)
    await theirs.wait_response()
    data = theirs.response_data or {}
    assert data["flags"] & EPHEMERAL and "haven't voted" in data["content"]
    assert "SmolLM3" not in data["content"] and str(fake.member.id) not in data["content"]


async def test_export_gives_an_admin_this_servers_votes_with_hashed_ids(
    discord: DiscordHarness,
) -> None:
    card, message_id = await discord.post_card()
    fake = discord.fake
    await fake.add_reaction(message_id, user=fake.member, emoji=A)
    await discord.wait_split(card.id, 1, 0)
    elsewhere = Voter(Community("discord", "4242"), "77")  # another server's vote: not exported
    other = await discord.service.compare(SEED_PAIR, elsewhere.community)
    other = await discord.service.open_card(other, elsewhere.community, "1")
    await discord.service.cast_vote(elsewhere, other.card_id, Side.B, VoteSource.BUTTON)
    handle = await fake.send_slash_command(None, None, fake.admin, "export")
    await handle.wait_response()
    await handle.wait_for(lambda h: uploads(h.requests))
    assert int(sent_message(handle).get("flags") or 0) & EPHEMERAL
    [upload] = uploads(handle.requests)
    assert upload.filename == "votes.csv"
    text = upload.data.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(ExportRow.__dataclass_fields__)
    assert [(r["pair"], r["choice"], r["community"]) for r in rows] == [
        ("SmolLM3 vs Mistral Medium 3", "SmolLM3", str(fake.guild.id))
    ]
    assert str(fake.member.id) not in text and len(rows[0]["user"]) == 16


async def test_non_admin_export_is_refused(discord: DiscordHarness) -> None:
    handle = await discord.fake.send_slash_command(None, None, discord.fake.member, "export")
    await handle.wait_response()
    data = handle.response_data or {}
    assert data["flags"] & EPHEMERAL and "Only members with Manage Server" in data["content"]
    assert uploads(handle.requests) == []


async def test_a_young_accounts_reaction_is_kept_but_not_counted(settings: Settings) -> None:
    now = datetime.now(UTC)
    people: dict[str, FakeUser] = {}

    def prepare(fake: FakeDiscord) -> None:
        people["young"] = fake.add_member(fake.add_user("newbie", created_at=now - timedelta(1)))
        people["old"] = fake.add_member(fake.add_user("veteran", created_at=now - timedelta(400)))

    async with discord_harness(settings, prepare, min_account_age_days=30) as discord:
        card, message_id = await discord.post_card()
        young, old = people["young"], people["old"]
        await discord.fake.add_reaction(message_id, user=young, emoji=A)
        await discord.fake.add_reaction(message_id, user=old, emoji=B)
        community = Community("discord", str(discord.fake.guild.id))
        kept = await eventually(
            lambda: discord.service.my_vote(Voter(community, str(young.id)), card.id)
        )
        assert kept == "SmolLM3"  # stored (for audits) ...
        split = await discord.wait_split(card.id, 0, 1)
        assert (split.a, split.b) == (0, 1)  # ... but left out of the tally
        admin = Actor("t", "t", is_admin=True)
        exported = await discord.app.community.export_votes(admin, community=community)
        assert {r.choice for r in exported} == {"SmolLM3", "Mistral Medium 3"}
