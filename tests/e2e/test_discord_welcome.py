"""The welcome on Discord: posted once when shipbot joins a server (GUILD_CREATE after READY),
to the system channel, else the first text channel it may post in, else nowhere; a rejoin or a
restart never repeats it."""

from __future__ import annotations

from tests.e2e.discord_support import DiscordHarness, discord, started
from tests.fakes.discord import FakeChannel, FakeDiscord, FakeGuild, StoredMessage
from tests.fakes.discord.snowflake import Perm

__all__ = ["discord"]  # the fixture


def _posts(fake: FakeDiscord, channel: FakeChannel) -> list[StoredMessage]:
    return [m for m in fake.world.channel_messages(channel.id) if m.author.bot]


def _deny_sending(guild: FakeGuild) -> dict[str, object]:
    return {"id": str(guild.id), "type": 0, "allow": "0", "deny": str(Perm.SEND_MESSAGES)}


def _new_guild(fake: FakeDiscord) -> FakeGuild:
    guild = fake.world.create_guild("New Server", fake.owner, bot_member=False)
    del fake.world.guilds[guild.id]  # not joined yet: the bot is added by join_guild
    return guild


def _welcome_text(message: StoredMessage) -> str:
    (embed,) = message.data["embeds"]
    fields = [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return "\n".join([embed["title"], embed["description"], *fields])


async def _settled(fake: FakeDiscord) -> None:
    """A round trip through the bot: everything dispatched before it has been handled."""
    handle = await fake.send_slash_command(None, None, fake.member, "help")
    await handle.wait_response()


async def test_joining_posts_the_welcome_once_in_the_system_channel(
    discord: DiscordHarness,
) -> None:
    fake = discord.fake
    guild = _new_guild(fake)
    first = fake.world.add_channel(guild, "rules")
    system = fake.world.add_channel(guild, "welcome")
    guild.system_channel_id = system.id
    await fake.join_guild(guild)
    await fake.wait_until(lambda: len(_posts(fake, system)) == 1)
    text = _welcome_text(_posts(fake, system)[0])
    assert "Hi, I'm shipbot" in text and "`/compare SmolLM3 vs Mistral Medium 3`" in text
    assert "`/help`" in text and _posts(fake, first) == []
    await fake.leave_guild(guild)
    await fake.join_guild(guild)  # a rejoin: no second welcome
    await _settled(fake)
    assert len(_posts(fake, system)) == 1


async def test_without_the_system_channel_the_first_channel_it_may_post_in(
    discord: DiscordHarness,
) -> None:
    fake = discord.fake
    guild = _new_guild(fake)
    closed = fake.world.add_channel(guild, "announcements", overwrites=[_deny_sending(guild)])
    open_one = fake.world.add_channel(guild, "general")
    later = fake.world.add_channel(guild, "random")
    guild.system_channel_id = closed.id  # the system channel is closed to the bot
    await fake.join_guild(guild)
    await fake.wait_until(lambda: len(_posts(fake, open_one)) == 1)
    assert _posts(fake, closed) == [] and _posts(fake, later) == []


async def test_no_channel_it_may_post_in_means_no_welcome(discord: DiscordHarness) -> None:
    fake = discord.fake
    guild = _new_guild(fake)
    closed = fake.world.add_channel(guild, "read-only", overwrites=[_deny_sending(guild)])
    await fake.join_guild(guild)
    await _settled(fake)
    assert _posts(fake, closed) == []
    assert not [r for r in fake.requests_to("POST", "/channels/{channel_id}/messages")]


async def test_a_restart_does_not_welcome_again(discord: DiscordHarness) -> None:
    fake = discord.fake
    guild = _new_guild(fake)
    channel = fake.world.add_channel(guild, "general")
    await fake.join_guild(guild)
    await fake.wait_until(lambda: len(_posts(fake, channel)) == 1)
    await discord.client.close()
    async with started(fake, discord.app, sync_commands=False) as again:
        await fake.leave_guild(guild)
        await fake.join_guild(guild)
        handle = await fake.send_slash_command(None, None, fake.member, "help")
        await handle.wait_response()
        assert again.is_ready()
    assert len(_posts(fake, channel)) == 1
