"""The **Close vote** button end to end: the asker or an admin closes, the card shows "Final"."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.e2e.discord_support import (
    EPHEMERAL,
    A,
    DiscordHarness,
    discord,
    unescape,
)
from tests.fakes.discord import FakeUser, StoredMessage

__all__ = ["discord"]  # the fixture


def _ids(data: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in data.get("components", []) for c in row["components"]]


async def _click(discord: DiscordHarness, message_id: int, custom_id: str, user: FakeUser) -> str:
    """Click a button on the card; the ephemeral answer's text."""
    handle = await discord.fake.click_button(message_id, custom_id, user)
    await handle.wait_response()
    data = handle.response_data or {}
    assert data["flags"] & EPHEMERAL
    return unescape(data["content"])


@contextmanager
def _as_before(stored: StoredMessage, data: dict[str, Any]) -> Iterator[None]:
    """The message as a member's client still showed it before the close's edit reached it."""
    now, stored.data = stored.data, data
    try:
        yield
    finally:
        stored.data = now


def _community(data: dict[str, Any]) -> str:
    return unescape(str(data.get("embeds")))


async def test_the_asker_closes_the_card_shows_final_and_later_votes_are_refused(
    discord: DiscordHarness,
) -> None:
    card, message_id = await discord.post_card()
    stored = discord.fake.world.messages[message_id]
    assert f"close:{card.id}" in _ids(stored.data)
    rows = [[c["custom_id"] for c in row["components"]] for row in stored.data["components"]]
    assert rows[1] == [f"close:{card.id}"]  # its own row: five is the most a row holds
    voter = discord.member("bob")
    assert (await _click(discord, message_id, f"vote:{card.id}:a", voter)).startswith("You picked")

    before = copy.deepcopy(stored.data)
    answer = await _click(discord, message_id, f"close:{card.id}", discord.fake.member)
    assert "closed the vote" in answer
    await discord.fake.wait_until(lambda: f"close:{card.id}" not in _ids(stored.data))
    assert _ids(stored.data) == [f"reviews:{card.id}", f"chart:{card.id}", f"myvote:{card.id}"]
    assert "Final: " in _community(stored.data)

    late = discord.member("carol")
    with _as_before(stored, before):
        refused = await _click(discord, message_id, f"vote:{card.id}:b", late)
    assert refused.startswith("Voting on this card closed on")
    assert "the final split is SmolLM3 100% (1)" in refused
    await discord.fake.add_reaction(message_id, user=late, emoji=A)
    await asyncio.sleep(0.5)  # a refused reaction leaves no trace to wait for
    split = await discord.split(card.id)
    assert (split.a, split.b) == (1, 0)
    with _as_before(stored, before):
        again = await _click(discord, message_id, f"close:{card.id}", discord.fake.member)
    assert again == "The vote on this card was already closed."


async def test_another_member_is_refused_and_the_card_stays_open(discord: DiscordHarness) -> None:
    card, message_id = await discord.post_card()
    other = discord.member("mallory")
    refused = await _click(discord, message_id, f"close:{card.id}", other)
    assert "Only the person who asked" in refused
    stored = discord.fake.world.messages[message_id]
    assert f"vote:{card.id}:a" in _ids(stored.data)
    answer = await _click(discord, message_id, f"vote:{card.id}:a", other)
    assert answer.startswith("You picked")
    assert (await discord.split(card.id)).a == 1


async def test_an_admin_may_close_someone_elses_card(discord: DiscordHarness) -> None:
    card, message_id = await discord.post_card()
    assert card.asked_by != str(discord.fake.admin.id)
    answer = await _click(discord, message_id, f"close:{card.id}", discord.fake.admin)
    assert "closed the vote" in answer
    stored = discord.fake.world.messages[message_id]
    await discord.fake.wait_until(lambda: f"vote:{card.id}:a" not in _ids(stored.data))
    assert "Final: " in _community(stored.data)
