"""Discord as a ``bot.publishing.Surface``: post a card as an interaction's answer, edit it in
place, add the two vote reactions. Rendering stays in ``render.py`` (pure)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from adapters.discord.render import SIDE_EMOJI, render_card
from adapters.discord.views import card_view
from bot.cards import VerdictCard
from bot.service import CardView

if TYPE_CHECKING:
    from adapters.discord.context import DiscordContext, Interaction

log = logging.getLogger(__name__)

PLATFORM = "discord"


def posted_view(ctx: DiscordContext, card: VerdictCard) -> discord.ui.View:
    """The buttons under a registered card, as its vote state shows them (none to vote or close
    once ``card.voting_closed``)."""
    if card.card_id is None:
        raise ValueError("only a registered card has buttons")
    return card_view(
        card.card_id,
        card.a.name,
        card.b.name,
        votes=ctx.vote_mode.buttons,
        draft_panel=ctx.app.panel.configured
        and not (card.a.panel.reviews and card.b.panel.reviews),
        closed=bool(card.voting_closed),
    )


class DiscordSurface:
    """Cards in Discord channels. ``interaction`` is the one a new card answers (none is needed
    to edit or mark a posted card)."""

    platform = PLATFORM

    def __init__(self, ctx: DiscordContext, interaction: Interaction | None = None) -> None:
        self._ctx = ctx
        self._interaction = interaction

    async def post(self, card: VerdictCard) -> str:
        """Send the card publicly as the interaction's answer (or its followup)."""
        interaction = self._interaction
        if interaction is None or card.card_id is None:
            raise ValueError("a Discord card is posted in answer to an interaction")
        message_id = await self._ctx.send(
            interaction,
            embeds=render_card(card, self._ctx.vote_mode),
            view=posted_view(self._ctx, card),
            ephemeral=False,
        )
        if message_id is None:
            message_id = (await interaction.original_response()).id
        return str(message_id)

    async def add_marks(self, message_id: str, card: VerdictCard) -> None:
        """The two side reactions people click to vote (needs Add Reactions); none when people
        vote by button only."""
        if not self._ctx.vote_mode.reactions:
            return
        channel_id = self.channel_id()
        if channel_id is None:
            return
        channel = self._ctx.client.get_partial_messageable(channel_id)
        message = channel.get_partial_message(int(message_id))
        for emoji in SIDE_EMOJI.values():
            try:
                await message.add_reaction(emoji)
            except discord.HTTPException as error:
                log.warning(
                    "could not add vote reaction",
                    extra={"message_id": message_id, "emoji": emoji, "status": error.status},
                )
                return

    def channel_id(self) -> int | None:
        """Where a new card is posted: the interaction's channel."""
        return self._interaction.channel_id if self._interaction is not None else None

    async def edit(self, view: CardView) -> None:
        """Re-render the card's embeds and buttons in its message; a deleted or unreachable
        message is logged and left alone."""
        posted = view.posted
        if posted.message_id is None:
            return
        channel = self._ctx.client.get_partial_messageable(
            int(posted.channel), guild_id=int(posted.community.id)
        )
        try:
            await channel.get_partial_message(int(posted.message_id)).edit(
                embeds=render_card(view.card, self._ctx.vote_mode),
                view=posted_view(self._ctx, view.card),
            )
            self._ctx.app.metrics.card_edits.labels(PLATFORM).inc()
        except (discord.NotFound, discord.Forbidden) as error:
            log.warning(
                "card message not editable",
                extra={"card": posted.id, "message_id": posted.message_id, "status": error.status},
            )
