"""Smoke tests: a real ``discord.Client`` + ``app_commands.CommandTree`` against FakeDiscord.

The bot below is a throwaway defined here (not shipbot code); each test asserts on what
the fake recorded or on what the client observed, so each fails if the behaviour breaks.
"""

from __future__ import annotations

import io
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.app_commands import Choice

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:  # allow `pytest tests/...` without installing the tests package
    sys.path.insert(0, _ROOT)

from tests.fakes.discord import FakeDiscord, running_client  # noqa: E402

MSG_ROUTE = "/channels/{channel_id}/messages/{message_id}"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"vote:(?P<matchup>\d+):(?P<side>[ab])",
):
    """A persistent vote button routed by regex on its custom_id."""

    def __init__(self, matchup: int, side: str) -> None:
        super().__init__(
            discord.ui.Button(label=f"Vote {side.upper()}", custom_id=f"vote:{matchup}:{side}")
        )
        self.matchup, self.side = matchup, side

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> VoteButton:
        return cls(int(match["matchup"]), match["side"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"voted {self.side} on {self.matchup}", ephemeral=True
        )


class Feedback(discord.ui.Modal, title="Feedback"):
    """A one-field modal."""

    comment: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
        label="Comment", custom_id="comment"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.comment.value}", ephemeral=True)


class SmokeBot(discord.Client):
    """Tiny bot exercising the interaction and reaction surface."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default())
        self.tree = app_commands.CommandTree(self)
        self.raw_adds: list[discord.RawReactionActionEvent] = []
        self.raw_removes: list[discord.RawReactionActionEvent] = []
        self.resumed = 0
        self._register()

    async def setup_hook(self) -> None:
        self.add_dynamic_items(VoteButton)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.raw_adds.append(payload)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        self.raw_removes.append(payload)

    async def on_resumed(self) -> None:
        self.resumed += 1

    def _register(self) -> None:
        tree = self.tree

        @tree.command(name="compare", description="Compare two tools")
        @app_commands.choices(
            lens=[Choice(name="Cost", value="cost"), Choice(name="Speed", value="speed")]
        )
        async def compare(
            interaction: discord.Interaction, matchup: str, lens: Choice[str] | None = None
        ) -> None:
            embed = discord.Embed(
                title=f"Verdict: {matchup}", description=f"lens={lens.value if lens else 'overall'}"
            )
            view = discord.ui.View(timeout=None)
            view.add_item(VoteButton(12, "a"))
            view.add_item(VoteButton(12, "b"))
            await interaction.response.send_message(
                embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none()
            )

        @compare.autocomplete("matchup")
        async def matchup_autocomplete(
            interaction: discord.Interaction, current: str
        ) -> list[Choice[str]]:
            known = ["cursor vs copilot", "claude vs gpt", "zed vs vscode"]
            return [Choice(name=k, value=k) for k in known if current.lower() in k]

        @tree.command(name="slow", description="Deferred reply")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send("part 1")
            await interaction.followup.send("part 2")
            await interaction.edit_original_response(content="final")

        @tree.command(name="feedback", description="Open a modal")
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Feedback(custom_id="feedback_modal"))


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server
    assert server.internal_errors == []


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[SmokeBot]:
    client = SmokeBot()
    async with running_client(fake, client):
        guild = discord.Object(fake.guild.id)
        client.tree.copy_global_to(guild=guild)
        await client.tree.sync(guild=guild)
        yield client


async def test_login_ready_and_guild_available(fake: FakeDiscord, bot: SmokeBot) -> None:
    assert bot.is_ready()
    assert bot.user is not None and bot.user.id == fake.bot_user.id
    guild = bot.get_guild(fake.guild.id)
    assert guild is not None and guild.name == "Shipbot Test Guild"
    assert guild.me.guild_permissions.send_messages
    channel = guild.get_channel(fake.channel.id)
    assert isinstance(channel, discord.TextChannel) and channel.name == "general"
    identify = fake.gateway.received(op=2)[0]["d"]
    assert identify["intents"] == discord.Intents.default().value
    synced = fake.requests_to("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
    assert {c["name"] for c in synced[0].json} == {"compare", "slow", "feedback"}
    assert fake.unknown_requests == []


async def test_slash_command_replies_with_embed_and_buttons(
    fake: FakeDiscord, bot: SmokeBot
) -> None:
    handle = await fake.send_slash_command(
        None, None, fake.admin, "compare", {"matchup": "cursor vs copilot", "lens": "cost"}
    )
    callback = await handle.wait_response()
    assert callback.json["type"] == 4
    data = callback.json["data"]
    assert data["embeds"][0]["title"] == "Verdict: cursor vs copilot"
    assert data["embeds"][0]["description"] == "lens=cost"
    ids = [c["custom_id"] for row in data["components"] for c in row["components"]]
    assert ids == ["vote:12:a", "vote:12:b"]
    assert data["allowed_mentions"]["parse"] == []
    assert handle.original_message() is not None
    assert handle.payload["data"]["guild_id"] == str(fake.guild.id)


async def test_deferred_reply_then_followups_and_edit(fake: FakeDiscord, bot: SmokeBot) -> None:
    handle = await fake.send_slash_command(None, None, None, "slow")
    callback = await handle.wait_response()
    assert callback.json["type"] == 5 and callback.json["data"]["flags"] == 64
    await handle.wait_followups(2)
    await handle.wait_for(lambda h: (h.original_message() or {}).get("content") == "final")
    # The first followup after a defer edits the loading message (real Discord behaviour).
    followups = handle.followups()
    assert followups[0]["id"] == str(handle.record.original_message_id)
    assert [f["content"] for f in followups] == ["final", "part 2"]
    # The deferred ephemeral flag sticks to @original; later followups are public by default.
    assert [bool(f["flags"] & 64) for f in followups] == [True, False]
    patch = fake.requests_to(
        "PATCH", "/webhooks/{application_id}/{interaction_token}/messages/@original"
    )
    assert patch and patch[-1].json["content"] == "final"


async def test_autocomplete_answered_with_choices(fake: FakeDiscord, bot: SmokeBot) -> None:
    handle = await fake.send_autocomplete(
        None, None, None, "compare", {"matchup": "vs c"}, focused="matchup"
    )
    callback = await handle.wait_response()
    assert callback.json["type"] == 8
    assert [c["value"] for c in handle.choices] == ["cursor vs copilot"]


async def test_dynamic_item_button_click_is_routed(fake: FakeDiscord, bot: SmokeBot) -> None:
    command = await fake.send_slash_command(None, None, None, "compare", {"matchup": "x"})
    await command.wait_response()
    message_id = command.record.original_message_id
    assert message_id is not None
    click = await fake.click_button(message_id, "vote:12:b", fake.member)
    callback = await click.wait_response()
    assert callback.json["type"] == 4
    assert callback.json["data"]["content"] == "voted b on 12"
    assert callback.json["data"]["flags"] == 64
    with pytest.raises(ValueError):
        await fake.click_button(message_id, "vote:99:a", fake.member)


async def test_modal_submit_reaches_on_submit(fake: FakeDiscord, bot: SmokeBot) -> None:
    opened = await fake.send_slash_command(None, None, None, "feedback")
    assert (await opened.wait_response()).json["type"] == 9
    submitted = await fake.submit_modal("feedback_modal", {"comment": "great"})
    callback = await submitted.wait_response()
    assert callback.json["data"]["content"] == "thanks: great"


async def test_raw_reaction_events_including_duplicates(fake: FakeDiscord, bot: SmokeBot) -> None:
    channel = bot.get_channel(fake.channel.id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("react to me")
    event = await fake.add_reaction(message.id, user=fake.member, emoji="🔥")
    await fake.wait_until(lambda: len(bot.raw_adds) == 1)
    raw = bot.raw_adds[0]
    assert (raw.user_id, raw.message_id, str(raw.emoji)) == (fake.member.id, message.id, "🔥")
    assert raw.member is not None and raw.member.id == fake.member.id
    await fake.dispatch("MESSAGE_REACTION_ADD", event)  # duplicated delivery
    await fake.wait_until(lambda: len(bot.raw_adds) == 2)
    await fake.remove_reaction(message.id, user=fake.member, emoji="🔥")
    await fake.wait_until(lambda: len(bot.raw_removes) == 1)
    assert bot.raw_removes[0].user_id == fake.member.id


async def test_client_reacts_and_edits(fake: FakeDiscord, bot: SmokeBot) -> None:
    channel = bot.get_channel(fake.channel.id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("draft", allowed_mentions=discord.AllowedMentions.none())
    assert (
        fake.requests_to("POST", "/channels/{channel_id}/messages")[-1].json["allowed_mentions"][
            "parse"
        ]
        == []
    )
    await message.add_reaction("✅")
    put = fake.requests_to("PUT", MSG_ROUTE + "/reactions/{emoji}/@me")
    assert put[-1].params["emoji"] == "✅" and put[-1].status == 204
    # Discord echoes the bot's own reaction over the gateway.
    await fake.wait_until(lambda: any(r.user_id == fake.bot_user.id for r in bot.raw_adds))
    edited = await message.edit(content="final")
    assert edited.content == "final"
    assert fake.requests_to("PATCH", MSG_ROUTE)[-1].json["content"] == "final"


async def test_fetch_message_and_page_reaction_users(fake: FakeDiscord, bot: SmokeBot) -> None:
    channel = bot.get_channel(fake.channel.id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("poll")
    stored = fake.world.messages[sent.id]
    voters = [fake.add_user(f"voter{i}") for i in range(120)]
    for voter in voters:
        fake.add_member(voter)
        fake.world.add_reaction_user(stored, "👍", voter.id)
    fetched = await channel.fetch_message(sent.id)
    reaction = fetched.reactions[0]
    assert (str(reaction.emoji), reaction.count) == ("👍", 120)
    users = [u async for u in reaction.users()]
    expected = sorted(v.id for v in voters)
    assert sorted(u.id for u in users) == expected and len(users) == 120
    pages = fake.requests_to("GET", MSG_ROUTE + "/reactions/{emoji}")
    assert [(p.query.get("after"), len(p.response)) for p in pages] == [
        (None, 100),
        (str(expected[99]), 20),
    ]


async def test_attachment_rate_limit_and_forbidden(fake: FakeDiscord, bot: SmokeBot) -> None:
    channel = bot.get_channel(fake.channel.id)
    assert isinstance(channel, discord.TextChannel)
    embed = discord.Embed(title="chart").set_image(url="attachment://chart.png")
    message = await channel.send(embed=embed, file=discord.File(io.BytesIO(PNG), "chart.png"))
    upload = fake.requests_to("POST", "/channels/{channel_id}/messages")[-1]
    assert upload.files[0].filename == "chart.png" and upload.files[0].data == PNG
    assert upload.json["embeds"][0]["image"]["url"] == "attachment://chart.png"
    assert message.attachments[0].filename == "chart.png"
    fake.rate_limit_next("PATCH", r"^/channels/\d+/messages/\d+$", retry_after=0.01)
    await message.edit(content="after 429")
    assert [r.status for r in fake.requests_to("PATCH", MSG_ROUTE)] == [429, 200]
    fake.forbid_next("PATCH", r"^/channels/")
    with pytest.raises(discord.Forbidden):
        await message.edit(content="nope")


async def test_gateway_reconnect_resumes_session(fake: FakeDiscord, bot: SmokeBot) -> None:
    channel = bot.get_channel(fake.channel.id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("before reconnect")
    await fake.gateway.request_reconnect()
    await fake.wait_until(lambda: bot.resumed == 1)
    assert fake.gateway.resume_count == 1 and fake.gateway.identify_count == 1
    await fake.add_reaction(message.id, user=fake.admin, emoji="👀")
    await fake.wait_until(lambda: any(r.user_id == fake.admin.id for r in bot.raw_adds))
