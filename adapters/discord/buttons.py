"""What the card's buttons do: vote, show the full reviews, the vote chart or your own vote, run
a picked pair, confirm a removal, close the vote.

Every handler answers ephemerally, also when something fails (``DiscordContext.guard``).
"""

from __future__ import annotations

import asyncio
import io
import logging

import discord

from adapters.charts import vote_split_png
from adapters.discord.compare import run_pick
from adapters.discord.context import ADMIN_ONLY, DiscordContext, Interaction
from adapters.discord.markdown import escape
from adapters.discord.render import full_reviews
from adapters.discord.replies import in_time
from bot.models import Lens, Side, VoteSource

log = logging.getLogger(__name__)

CHART_FILE = "vote-split.png"


class Buttons:
    """The ``ButtonHandler`` the client carries for ``adapters.discord.views``."""

    def __init__(self, ctx: DiscordContext) -> None:
        self.ctx = ctx

    async def vote(self, interaction: Interaction, card_id: int, side: Side) -> None:
        """Pick a side; picking the side you already chose takes the vote back."""
        async with self.ctx.guard(interaction, "vote_button"):
            service = self.ctx.service
            voter = self.ctx.voter(interaction)
            outcome = await service.cast_vote(voter, card_id, side, VoteSource.BUTTON)
            name = f"**{escape(outcome.choice_name)}**"
            if outcome.previous is None:
                text = f"You picked {name}. Click it again to take your vote back."
            elif outcome.previous != outcome.choice:
                text = f"You switched your vote to {name}."
            else:
                undone = await service.retract_vote(voter, card_id, side, VoteSource.BUTTON)
                outcome = undone
                text = f"You took back your vote for {name}."
            self.ctx.refresher.mark(outcome.refresh)
            await self.ctx.send(interaction, text)

    async def full_reviews(self, interaction: Interaction, card_id: int) -> None:
        """Every quote, whole, over as many ephemeral messages as the 2,000-character limit needs."""
        async with self.ctx.guard(interaction, "full_reviews"):
            card = await self.ctx.service.render_posted(card_id)
            for text in full_reviews(card):
                await self.ctx.send(interaction, text)

    async def chart(self, interaction: Interaction, card_id: int) -> None:
        """The card's vote split (here and everywhere, with n) as a PNG, only to the clicker."""
        async with self.ctx.guard(interaction, "chart"):

            async def draw() -> bytes:
                card = await self.ctx.service.render_posted(card_id)
                return await asyncio.to_thread(vote_split_png, card)

            png, _ = await in_time(interaction, draw(), ephemeral=True)
            await self.ctx.send(interaction, file=discord.File(io.BytesIO(png), CHART_FILE))

    async def my_vote(self, interaction: Interaction, card_id: int) -> None:
        """Which tool this person picked for the card's pair: shown only to them."""
        async with self.ctx.guard(interaction, "my_vote"):
            choice = await self.ctx.service.my_vote(self.ctx.voter(interaction), card_id)
            if choice is None:
                text = "You haven't voted on this pair yet."
            else:
                text = f"You picked **{escape(choice)}**. Only you can see this."
            await self.ctx.send(interaction, text)

    async def pick(self, interaction: Interaction, a_id: int, b_id: int, lens: Lens | None) -> None:
        async with self.ctx.guard(interaction, "pick"):
            await run_pick(self.ctx, interaction, a_id, b_id, lens)

    async def confirm_remove(self, interaction: Interaction, tool_id: int) -> None:
        async with self.ctx.guard(interaction, "tool_remove_confirm"):
            actor = self.ctx.actor(interaction)
            if not actor.catalog_admin:  # the core refuses too; this keeps the name out of the log
                self.ctx.log_admin(interaction, "tool remove refused", tool_id=str(tool_id))
                await self.ctx.send(interaction, ADMIN_ONLY)
                return
            name = await self.ctx.tool_name(tool_id)
            removed = await self.ctx.catalog.remove_tool(name, actor)
            self.ctx.log_admin(interaction, "tool remove", tool=removed)
            await interaction.response.edit_message(
                content=f"Archived **{escape(removed)}**: it is out of /compare in every server; "
                f"its votes are kept and `shipbot tool restore {escape(removed)}` brings it back.",
                view=None,
            )

    async def close_vote(self, interaction: Interaction, card_id: int) -> None:
        """Close the card's vote (the asker or an admin: the core checks) and re-render it with
        "Final: …" and no vote buttons; anyone else is refused, only to them."""
        async with self.ctx.guard(interaction, "close_vote"):
            actor = self.ctx.actor(interaction)
            outcome = await self.ctx.service.close_vote(card_id, actor)
            if outcome.changed and actor.is_admin:
                self.ctx.log_admin(interaction, "close vote", card=str(card_id))
            self.ctx.refresher.mark([card_id])
            if outcome.changed:
                text = "You closed the vote on this card: it now shows the final split."
            else:
                text = "The vote on this card was already closed."
            await self.ctx.send(interaction, text)

    async def draft_panel(self, interaction: Interaction, card_id: int) -> None:
        from adapters.discord.panel import draft_from_card

        await draft_from_card(self.ctx, interaction, card_id)
