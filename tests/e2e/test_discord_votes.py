"""Votes end to end: reactions, buttons, duplicates, bursts and restarts against the fake."""

from __future__ import annotations

import asyncio
import math

from bot.models import VoteMode
from bot.settings import Settings
from tests.e2e.discord_support import (
    EPHEMERAL,
    REFRESH_SECONDS,
    A,
    B,
    DiscordHarness,
    discord,
    discord_harness,
    eventually,
    started,
    unescape,
)

__all__ = ["discord"]  # the fixture


async def test_reaction_add_change_and_remove_reach_the_database(discord: DiscordHarness) -> None:
    card, message_id = await discord.post_card()
    fake, bob = discord.fake, discord.fake.member
    await fake.add_reaction(message_id, user=bob, emoji=A)
    assert (await discord.wait_split(card.id, 1, 0)).n == 1
    await fake.add_reaction(message_id, user=bob, emoji=B)  # changes the vote
    assert (await discord.wait_split(card.id, 0, 1)).n == 1
    await fake.remove_reaction(message_id, user=bob, emoji=A)  # the old side: no effect
    await fake.remove_reaction(message_id, user=bob, emoji=B)  # the current side: retracts
    assert (await discord.wait_split(card.id, 0, 0)).n == 0


async def test_the_bots_own_reactions_never_count(discord: DiscordHarness) -> None:
    card, message_id = await discord.post_card()
    fake = discord.fake
    assert fake.world.messages[message_id].reactions[A] == [fake.bot_user.id]
    echo = await fake.add_reaction(message_id, user=fake.bot_user, emoji=B)
    await fake.dispatch("MESSAGE_REACTION_ADD", echo)
    other_bot = fake.add_member(fake.add_user("otherbot", bot=True))
    await fake.add_reaction(message_id, user=other_bot, emoji=A)
    await fake.add_reaction(message_id, user=fake.member, emoji=B)  # a person: counted
    split = await discord.wait_split(card.id, 0, 1)
    assert (split.a, split.b) == (0, 1)


async def test_a_duplicated_gateway_event_counts_once(discord: DiscordHarness) -> None:
    card, message_id = await discord.post_card()
    event = await discord.fake.add_reaction(message_id, user=discord.fake.member, emoji=A)
    for _ in range(3):
        await discord.fake.dispatch("MESSAGE_REACTION_ADD", event)
    # a later event from someone else: once it is counted, the duplicates have been handled
    await discord.fake.add_reaction(message_id, user=discord.member("marker"), emoji=B)
    await eventually(lambda: discord.split(card.id), lambda s: s.b == 1)
    await asyncio.sleep(0.1)
    split = await discord.split(card.id)
    assert (split.a, split.b) == (1, 1)


async def test_variation_selectors_are_normalised_and_other_emoji_ignored(
    discord: DiscordHarness,
) -> None:
    card, message_id = await discord.post_card()
    fake = discord.fake
    carol, dave = discord.member("carol"), discord.member("dave")
    await fake.add_reaction(message_id, user=carol, emoji="🅰")  # without U+FE0F
    await fake.add_reaction(message_id, user=dave, emoji="🅱\ufe0e")  # text presentation
    await fake.add_reaction(message_id, user=fake.member, emoji="👍")
    await fake.add_reaction(message_id, user=fake.admin, emoji={"id": "123", "name": "A"})
    split = await discord.wait_split(card.id, 1, 1)
    assert (split.a, split.b) == (1, 1)


async def test_button_votes_confirm_ephemerally_change_and_take_back(
    discord: DiscordHarness,
) -> None:
    card, message_id = await discord.post_card()

    async def click(side: str) -> str:
        handle = await discord.fake.click_button(message_id, f"vote:{card.id}:{side}")
        await handle.wait_response()
        data = handle.response_data or {}
        assert data["flags"] & EPHEMERAL
        return unescape(data["content"])

    assert (await click("a")).startswith("You picked **SmolLM3**")
    assert (await discord.split(card.id)).a == 1
    assert await click("b") == "You switched your vote to **Mistral Medium 3**."
    split = await discord.split(card.id)
    assert (split.a, split.b) == (0, 1)
    assert (await click("b")).startswith("You took back your vote")
    assert (await discord.split(card.id)).n == 0


async def test_the_same_pair_compared_again_shows_the_same_tally(
    discord: DiscordHarness,
) -> None:
    first, message_id = await discord.post_card()
    await discord.fake.add_reaction(message_id, user=discord.fake.member, emoji=B)
    await discord.wait_split(first.id, 0, 1)
    second, second_message = await discord.post_card("Mistral Medium 3 vs SmolLM3")
    split = await discord.split(second.id)
    assert (split.a, split.b) == (1, 0)  # sides follow the order asked: Mistral is A now
    # a vote on the second card moves the first card's message too (both show the pair)
    await discord.fake.add_reaction(second_message, user=discord.fake.admin, emoji=A)
    await discord.wait_split(first.id, 0, 2)
    await discord.client.ctx.refresher.drain()
    shown = str(discord.fake.world.messages[message_id].data["embeds"])
    assert "n = 2 here" in shown


async def test_a_burst_of_200_reactions_gives_the_exact_tally_with_few_edits(
    discord: DiscordHarness,
) -> None:
    card, message_id = await discord.post_card()
    fake = discord.fake
    voters = [discord.member(f"voter{i}") for i in range(200)]
    edits_before = len(discord.edits(message_id))
    loop = asyncio.get_running_loop()
    started_at = loop.time()
    for i, voter in enumerate(voters):
        await fake.add_reaction(message_id, user=voter, emoji=A if i % 5 < 3 else B)
    split = await discord.wait_split(card.id, 120, 80)
    assert (split.a, split.b) == (120, 80)
    await discord.client.ctx.refresher.drain()
    duration = loop.time() - started_at
    edits = discord.edits(message_id)[edits_before:]
    assert 1 <= len(edits) <= math.ceil(duration / REFRESH_SECONDS) + 2
    final = str(edits[-1].json["embeds"])
    assert "SmolLM3 60% · Mistral Medium 3 40% (n = 200 here" in final


async def test_restart_reconciles_reactions_changed_while_down_and_buttons_still_work(
    discord: DiscordHarness,
) -> None:
    card, message_id = await discord.post_card()
    fake, app = discord.fake, discord.app
    stayed, left, arrived = discord.member("stayed"), discord.member("left"), discord.member("new")
    for user, emoji in ((stayed, A), (left, A)):
        await fake.add_reaction(message_id, user=user, emoji=emoji)
    await discord.wait_split(card.id, 2, 0)
    button_voter = discord.member("buttoner")
    click = await fake.click_button(message_id, f"vote:{card.id}:b", button_voter)
    await click.wait_response()
    await discord.client.close()
    await fake.wait_until(lambda: not fake.gateway.connected)

    stored = fake.world.messages[message_id]  # while the bot is down:
    fake.world.remove_reaction_user(stored, A, left.id)
    fake.world.add_reaction_user(stored, B, arrived.id)
    fake.world.add_reaction_user(stored, A, button_voter.id)  # a button vote outranks this
    async with started(fake, app) as client:
        split = await discord.split(card.id)
        assert (split.a, split.b) == (1, 2)  # stayed on A; new and buttoner on B
        await client.ctx.refresher.drain()
        assert "n = 3 here" in str(stored.data["embeds"])
        again = await fake.click_button(message_id, f"vote:{card.id}:a", arrived)
        await again.wait_response()
        assert "switched" in (again.response_data or {})["content"]
        split = await discord.split(card.id)
        assert (split.a, split.b) == (2, 1)


async def test_reconciliation_window_is_configurable(settings: Settings) -> None:
    async with discord_harness(settings, reconcile_days=0) as harness:
        card, message_id = await harness.post_card()
        await harness.client.close()
        stored = harness.fake.world.messages[message_id]
        harness.fake.world.add_reaction_user(stored, B, harness.fake.member.id)
        async with started(harness.fake, harness.app):
            split = await harness.split(card.id)  # reconciliation has run: started() waits for it
            assert split.n == 0  # a window of 0 days reconciles nothing


async def test_a_vote_withdrawn_by_button_never_comes_back_from_its_reaction(
    discord: DiscordHarness,
) -> None:
    """React A, take the vote back with the button (the reaction stays), restart: the reconcile
    must not write the vote back. A new reaction while the bot runs still counts."""
    card, message_id = await discord.post_card()
    fake, app = discord.fake, discord.app
    voter, other = discord.member("withdrawer"), discord.member("stays")
    await fake.add_reaction(message_id, user=voter, emoji=A)
    await fake.add_reaction(message_id, user=other, emoji=A)
    await discord.wait_split(card.id, 2, 0)
    click = await fake.click_button(message_id, f"vote:{card.id}:a", voter)  # the same side
    await click.wait_response()
    assert "took back" in unescape((click.response_data or {})["content"])
    assert (await discord.split(card.id)).n == 1
    await discord.client.close()
    for _restart in range(2):  # across restarts
        await fake.wait_until(lambda: not fake.gateway.connected)
        async with started(fake, app):
            split = await discord.split(card.id)
            assert (split.a, split.b) == (1, 0)  # the withdrawn vote stayed withdrawn
    await fake.wait_until(lambda: not fake.gateway.connected)
    async with started(fake, app):
        await fake.remove_reaction(message_id, user=voter, emoji=A)
        await fake.add_reaction(message_id, user=voter, emoji=B)  # a new vote counts at once
        assert (await discord.wait_split(card.id, 1, 1)).n == 2
    await fake.wait_until(lambda: not fake.gateway.connected)
    async with started(fake, app):
        split = await discord.split(card.id)
        assert (split.a, split.b) == (1, 1)


async def test_vote_mode_buttons_is_anonymous_and_reactions_are_not_votes(
    settings: Settings,
) -> None:
    async with discord_harness(settings, vote_mode=VoteMode.BUTTONS) as harness:
        card, message_id = await harness.post_card(reactions=False)
        stored = harness.fake.world.messages[message_id]
        assert stored.reactions == {}  # the bot adds no reactions
        hint = unescape(str(stored.data["embeds"]))
        assert "Nobody else sees who voted" in hint and "React" not in hint
        buttons = [c["custom_id"] for row in stored.data["components"] for c in row["components"]]
        assert f"vote:{card.id}:a" in buttons
        await harness.fake.add_reaction(message_id, user=harness.fake.member, emoji=A)
        click = await harness.fake.click_button(message_id, f"vote:{card.id}:b")
        await click.wait_response()
        await asyncio.sleep(REFRESH_SECONDS)
        split = await harness.split(card.id)
        assert (split.a, split.b) == (0, 1)  # the reaction was not a vote


async def test_vote_mode_reactions_has_no_ship_buttons_and_says_voters_show(
    settings: Settings,
) -> None:
    async with discord_harness(settings, vote_mode=VoteMode.REACTIONS) as harness:
        card, message_id = await harness.post_card()
        stored = harness.fake.world.messages[message_id]
        assert stored.reactions[A] == [harness.fake.bot_user.id]
        assert "Everyone can see who reacted" in unescape(str(stored.data["embeds"]))
        buttons = [c["custom_id"] for row in stored.data["components"] for c in row["components"]]
        assert not [b for b in buttons if b.startswith("vote:")]
        await harness.fake.add_reaction(message_id, user=harness.fake.member, emoji=B)
        assert (await harness.wait_split(card.id, 0, 1)).n == 1
