"""The welcome (``bot.help.welcome``) posted once when shipbot joins a server: to the server's
system channel if shipbot may post there, else to the first text channel (by position) it may
post in, else nowhere. ``CommunityService.first_welcome`` records it, so a rejoin or a restart
never repeats it."""

from __future__ import annotations

import logging

import discord

from adapters.discord.context import NO_MENTIONS, DiscordContext, community_of
from adapters.discord.help import help_embed
from adapters.discord.names import COMMANDS
from bot.help import welcome

log = logging.getLogger(__name__)


def _can_post(channel: discord.TextChannel, me: discord.Member) -> bool:
    allowed = channel.permissions_for(me)
    return allowed.view_channel and allowed.send_messages and allowed.embed_links


def welcome_channel(guild: discord.Guild) -> discord.TextChannel | None:
    """The system channel if shipbot may post its embed there, else the first text channel by
    position it may post in; None when there is none."""
    me = guild.me
    if me is None:
        return None
    system = guild.system_channel
    if system is not None and _can_post(system, me):
        return system
    ordered = sorted(guild.text_channels, key=lambda channel: (channel.position, channel.id))
    return next((channel for channel in ordered if _can_post(channel, me)), None)


async def welcome_guild(ctx: DiscordContext, guild: discord.Guild) -> None:
    """Post the welcome in a server shipbot just joined, the first time only."""
    channel = welcome_channel(guild)
    if channel is None:
        log.info("no channel to welcome in", extra={"guild_id": str(guild.id)})
        return
    async with ctx.in_flight(), ctx.observe("welcome", 0, guild.id) as seen:
        if not await ctx.app.community.first_welcome(community_of(guild.id)):
            seen.outcome = "already"
            return
        shown = welcome(COMMANDS, public_url=ctx.settings.public_url)
        try:
            await channel.send(embeds=[help_embed(shown)], allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as error:
            seen.outcome = "refused"
            log.warning(
                "welcome not posted",
                extra={
                    "guild_id": str(guild.id),
                    "channel": str(channel.id),
                    "status": error.status,
                },
            )
