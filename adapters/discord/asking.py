"""Questions in plain words: a message that mentions shipbot (or a DM to it) naming two tools
gets the ``/compare`` card (``bot.asking`` reads it); anything else gets the help line.

Without the privileged message content intent Discord still delivers the content of messages
that mention the bot and of DMs, which is all this needs. Messages from bots (shipbot's own
included) are never answered. A DM has no server to count votes in: it gets the card without
vote buttons.
"""

from __future__ import annotations

import logging

import discord

from adapters.discord.context import NO_MENTIONS, SOMETHING_WRONG, DiscordContext, community_of
from adapters.discord.names import COMMANDS
from adapters.discord.render import render_card, user_message
from adapters.discord.surface import DiscordSurface, posted_view
from adapters.observability import guarded
from bot import publishing
from bot.asking import ask_hint, read_question
from bot.cards import VerdictCard
from bot.models import Community
from bot.publishing import Place
from bot.service import Unresolved

log = logging.getLogger(__name__)

DM_COMMUNITY = Community("discord", "dm")  # a DM card counts no votes: it has no buttons
DM_NOTE = (
    "Votes count per server: mention me in a server channel (or use `/compare` there) for a "
    "card people can vote on."
)


class ChannelSurface(DiscordSurface):
    """Cards posted as a message in the channel a question was asked in."""

    def __init__(self, ctx: DiscordContext, channel: discord.abc.Messageable, where: int) -> None:
        super().__init__(ctx)
        self._channel = channel
        self._where = where

    def channel_id(self) -> int | None:
        return self._where

    async def post(self, card: VerdictCard) -> str:
        if card.card_id is None:
            raise ValueError("only a registered card is posted")
        ctx = self._ctx
        message = await self._channel.send(
            embeds=render_card(card, ctx.vote_mode),
            view=posted_view(ctx, card),
            allowed_mentions=NO_MENTIONS,
        )
        return str(message.id)


def addressed(client: discord.Client, message: discord.Message) -> bool:
    """A person's DM to shipbot, or a message that mentions shipbot itself (not @everyone)."""
    me = client.user
    if me is None or message.author.bot or message.author.id == me.id:
        return False
    if message.guild is None:
        return True
    return any(user.id == me.id for user in message.mentions)


async def heard(ctx: DiscordContext, message: discord.Message) -> None:
    """Answer a message addressed to shipbot: the card, or the help line naming ``/compare``."""
    if not addressed(ctx.client, message):
        return
    channel = message.channel

    async def tell(text: str) -> None:
        try:
            await channel.send(user_message(text), allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as error:
            log.warning("could not answer a mention", extra={"status": error.status})

    guild_id = message.guild.id if message.guild is not None else None
    async with (
        ctx.in_flight(),
        guarded(
            ctx.observe("ask", message.author.id, guild_id),
            tell,
            SOMETHING_WRONG,
            commands=COMMANDS,
        ),
    ):
        request = read_question(message.content, await ctx.service.matcher())
        hint = ask_hint(COMMANDS, f"@{ctx.client.user.name if ctx.client.user else 'shipbot'}")
        if request is None:
            await tell(hint)
            return
        if guild_id is None:
            card = await ctx.service.compare_names(request.a, request.b, DM_COMMUNITY, request.lens)
            await channel.send(
                user_message(DM_NOTE),
                embeds=render_card(card, ctx.vote_mode),
                allowed_mentions=NO_MENTIONS,
            )
            return
        place = Place(community_of(guild_id), str(channel.id))
        surface = ChannelSurface(ctx, channel, channel.id)
        published = await publishing.publish_compare(ctx.service, surface, place, request)
        if isinstance(published, Unresolved):
            await tell(hint)
