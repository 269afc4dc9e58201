"""Reaction votes: 🅰️ / 🅱️ on a card cast, change and retract a member's vote.

Raw events (``on_raw_reaction_add`` / ``_remove``) work on messages that are not cached, so
cards posted before a restart keep counting. The bot's own reactions (and other bots') never
count. A duplicated gateway event is harmless: a vote is an idempotent upsert, and a removal
only retracts the vote when it still names that side.

On start, ``reconcile`` brings the votes of recent cards in line with the reactions they carry,
so reactions added or removed while the bot was down are counted.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import discord

from adapters.discord.context import PLATFORM, DiscordContext, voter_of
from bot.errors import UserFacingError
from bot.models import PostedCard, Side, VoteSource

log = logging.getLogger(__name__)

VARIATION_SELECTORS = str.maketrans("", "", "\ufe0f\ufe0e")
SIDES = {"🅰": Side.A, "🅱": Side.B}


def side_of(emoji: discord.PartialEmoji | discord.Emoji | str) -> Side | None:
    """The side an emoji stands for; ``None`` for any other emoji (custom ones included)."""
    if isinstance(emoji, str):
        name = emoji
    elif emoji.id is None and emoji.name:
        name = emoji.name
    else:
        return None
    return SIDES.get(name.translate(VARIATION_SELECTORS))


class ReactionVotes:
    def __init__(self, ctx: DiscordContext) -> None:
        self.ctx = ctx

    def _bot_id(self) -> int | None:
        user = self.ctx.client.user
        return user.id if user else None

    async def _card(
        self, payload: discord.RawReactionActionEvent
    ) -> tuple[PostedCard, Side] | None:
        if payload.guild_id is None or payload.user_id == self._bot_id():
            return None
        if payload.member is not None and payload.member.bot:
            return None
        side = side_of(payload.emoji)
        if side is None:
            return None
        card = await self.ctx.service.card_by_message(
            PLATFORM, str(payload.channel_id), str(payload.message_id)
        )
        return (card, side) if card else None

    async def added(self, payload: discord.RawReactionActionEvent) -> None:
        async with self.ctx.in_flight():
            await self._added(payload)

    async def removed(self, payload: discord.RawReactionActionEvent) -> None:
        async with self.ctx.in_flight():
            await self._removed(payload)

    async def _added(self, payload: discord.RawReactionActionEvent) -> None:
        try:
            found = await self._card(payload)
            if found is None or payload.guild_id is None:
                return
            card, side = found
            voter = voter_of(payload.guild_id, payload.user_id)
            outcome = await self.ctx.service.cast_vote(voter, card.id, side, VoteSource.REACTION)
            self.ctx.refresher.mark(outcome.refresh)
        except UserFacingError as error:  # e.g. the card was deleted: nobody to tell
            log.info("reaction vote not counted", extra={"reason": error.message})
        except Exception:
            log.exception("reaction add failed", extra=_where(payload))

    async def _removed(self, payload: discord.RawReactionActionEvent) -> None:
        try:
            found = await self._card(payload)
            if found is None or payload.guild_id is None:
                return
            card, side = found
            voter = voter_of(payload.guild_id, payload.user_id)
            outcome = await self.ctx.service.retract_vote(voter, card.id, side, VoteSource.REACTION)
            self.ctx.refresher.mark(outcome.refresh)
        except UserFacingError as error:
            log.info("reaction retract not counted", extra={"reason": error.message})
        except Exception:
            log.exception("reaction remove failed", extra=_where(payload))

    async def reconcile(self) -> int:
        """Reconcile every card posted within ``reconcile_days``; returns cards checked."""
        window = timedelta(days=self.ctx.settings.reconcile_days)
        cards = await self.ctx.service.recent_cards(PLATFORM, window)
        checked = 0
        for card in cards:
            if card.message_id is None:
                continue
            try:
                reacting = await self._reacting(card)
                if reacting is None:
                    continue
                self.ctx.refresher.mark(
                    await self.ctx.service.reconcile_reactions(card.id, reacting)
                )
                checked += 1
            except Exception:
                log.exception("reconciling a card failed", extra={"card": card.id})
        log.info("reactions reconciled", extra={"cards": checked, "days": window.days})
        return checked

    async def _reacting(self, card: PostedCard) -> dict[Side, set[str]] | None:
        """Who reacts on each side of the card's message now (bots left out)."""
        assert card.message_id is not None
        channel = self.ctx.client.get_partial_messageable(
            int(card.channel), guild_id=int(card.community.id)
        )
        try:
            message = await channel.fetch_message(int(card.message_id))
        except (discord.NotFound, discord.Forbidden) as error:
            log.info("card message gone or hidden", extra={"card": card.id, "status": error.status})
            return None
        reacting: dict[Side, set[str]] = {Side.A: set(), Side.B: set()}
        for reaction in message.reactions:
            side = side_of(reaction.emoji)
            if side is None:
                continue
            async for user in reaction.users(limit=None):
                if not user.bot:
                    reacting[side].add(str(user.id))
        return reacting


def _where(payload: discord.RawReactionActionEvent) -> dict[str, str]:
    return {
        "guild_id": str(payload.guild_id),
        "channel_id": str(payload.channel_id),
        "message_id": str(payload.message_id),
        "user_id": str(payload.user_id),
    }
