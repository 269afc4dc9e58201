"""Asking in plain words on Discord: a mention naming two tools gets the ``/compare`` card
(votable), anything else the help line; bots (shipbot itself included) are never answered."""

from __future__ import annotations

from tests.e2e.discord_support import A, B, DiscordHarness, discord, eventually, unescape
from tests.fakes.discord import StoredMessage

__all__ = ["discord"]  # the fixture


def _bot_posts(harness: DiscordHarness) -> list[StoredMessage]:
    fake = harness.fake
    return [m for m in fake.world.channel_messages(fake.channel.id) if m.author.bot]


async def _mention(harness: DiscordHarness, words: str) -> list[StoredMessage]:
    """``@shipbot words`` from the member; the bot's posts once one more has appeared."""
    before = len(_bot_posts(harness))
    me = harness.fake.world.bot_user
    await harness.fake.send_user_message(f"<@{me.id}> {words}", mentions=[me])
    await harness.fake.wait_until(lambda: len(_bot_posts(harness)) > before)
    return _bot_posts(harness)[before:]


async def test_a_mention_naming_two_tools_gets_the_votable_card(discord: DiscordHarness) -> None:
    (card_message,) = await _mention(discord, "should we ship with SmolLM3 or Mistral Medium 3?")
    data = card_message.data
    titles = unescape(" ".join(e.get("title", "") for e in data["embeds"]))
    assert "SmolLM3" in titles and "Mistral Medium 3" in titles
    card = await eventually(lambda: discord.card_of(card_message.id))
    assert card is not None  # tied to its message: votes count
    ids = [c["custom_id"] for row in data["components"] for c in row["components"]]
    assert f"vote:{card.id}:a" in ids and f"vote:{card.id}:b" in ids
    await discord.fake.wait_until(lambda: set(card_message.reactions) == {A, B})
    await discord.fake.add_reaction(card_message, emoji=A)
    split = await discord.wait_split(card.id, 1, 0)
    assert (split.a, split.b) == (1, 0)


async def test_a_mention_that_is_not_two_tools_gets_the_help_line(
    discord: DiscordHarness,
) -> None:
    (answer,) = await _mention(discord, "tell me a joke")
    content = answer.data["content"]
    assert "`/compare SmolLM3 vs Mistral Medium 3`" in content and "`/help`" in content
    assert not answer.data["embeds"] and not answer.data["components"]


async def test_bots_and_messages_without_a_mention_are_ignored(discord: DiscordHarness) -> None:
    fake, me = discord.fake, discord.fake.world.bot_user
    other = fake.add_member(fake.add_user("helperbot", bot=True))
    await fake.send_user_message(
        f"<@{me.id}> SmolLM3 vs Mistral Medium 3", mentions=[me], user=other
    )
    await fake.send_user_message(f"<@{me.id}> SmolLM3 vs Mistral Medium 3", mentions=[me], user=me)
    await fake.send_user_message("SmolLM3 vs Mistral Medium 3")  # no mention: not for shipbot
    (answer,) = await _mention(discord, "hello")  # answered in order: the others got nothing
    assert "`/compare" in answer.data["content"]


async def test_a_dm_gets_the_card_without_vote_buttons_or_the_help_line(
    discord: DiscordHarness,
) -> None:
    fake = discord.fake
    dm = fake.world.dm_channel(fake.member)

    def answers() -> list[StoredMessage]:
        return [m for m in fake.world.channel_messages(dm) if m.author.bot]

    await fake.send_direct_message("which is better for RAG, Qdrant or Pinecone?")
    await fake.wait_until(lambda: len(answers()) == 1)
    (card,) = answers()
    titles = unescape(" ".join(e.get("title", "") for e in card.data["embeds"]))
    assert "Qdrant" in titles and "Pinecone" in titles and not card.data["components"]
    assert "Votes count per server" in card.data["content"]
    await fake.send_direct_message("hello?")
    await fake.wait_until(lambda: len(answers()) == 2)
    assert "`/compare SmolLM3 vs Mistral Medium 3`" in answers()[1].data["content"]
