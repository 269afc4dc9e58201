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
from datetime import datetime, timedelta

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

    def _side(self, payload: discord.RawReactionActionEvent) -> Side | None:
        """The side a reaction votes for; ``None`` for bots, DMs, any other emoji, and every
        reaction when people vote by button only (``SHIPBOT_VOTE_MODE=buttons``)."""
        if not self.ctx.vote_mode.reactions:
            return None
        if payload.guild_id is None or payload.user_id == self._bot_id():
            return None
        if payload.member is not None and payload.member.bot:
            return None
        return side_of(payload.emoji)

    async def added(self, payload: discord.RawReactionActionEvent) -> None:
        async with self.ctx.in_flight():
            await self._handle(payload, added=True)

    async def removed(self, payload: discord.RawReactionActionEvent) -> None:
        async with self.ctx.in_flight():
            await self._handle(payload, added=False)

    async def _handle(self, payload: discord.RawReactionActionEvent, *, added: bool) -> None:
        """Cast (``added``) or retract one reaction vote, observed as ``reaction_vote`` /
        ``reaction_retract``. Nobody is told about a failure: the reaction simply stays."""
        side = self._side(payload)
        if side is None or payload.guild_id is None:
            return  # not a vote: not an action worth a log line
        action = "reaction_vote" if added else "reaction_retract"
        try:
            async with self.ctx.observe(action, payload.user_id, payload.guild_id) as seen:
                card = await self.ctx.service.card_by_message(
                    PLATFORM, str(payload.channel_id), str(payload.message_id)
                )
                if card is None:
                    seen.outcome = "not_a_card"
                    return
                seen.fields["card"] = card.id
                voter = voter_of(payload.guild_id, payload.user_id, _created_at(payload))
                service = self.ctx.service
                if added:
                    outcome = await service.cast_vote(voter, card.id, side, VoteSource.REACTION)
                else:
                    outcome = await service.retract_vote(voter, card.id, side, VoteSource.REACTION)
                self.ctx.refresher.mark(outcome.refresh)
        except UserFacingError as error:  # e.g. the card was deleted: nobody to tell
            log.info("reaction not counted", extra={"reason": error.message})
        except Exception:  # observe() logged the traceback
            log.warning("reaction not handled", extra=_where(payload))

    async def reconcile(self) -> int:
        """Reconcile every card posted within ``reconcile_days``; returns cards checked (none
        when reactions are not votes)."""
        window = timedelta(days=self.ctx.settings.reconcile_days)
        if not self.ctx.vote_mode.reactions:
            log.info("reactions not reconciled: SHIPBOT_VOTE_MODE=buttons")
            return 0
        cards = await self.ctx.service.recent_cards(PLATFORM, window)
        checked = 0
        for card in cards:
            # Each process (each set of shards) reconciles only the servers it is connected to.
            if card.message_id is None or self.ctx.client.get_guild(int(card.community.id)) is None:
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


def _created_at(payload: discord.RawReactionActionEvent) -> datetime:
    """The reacting account's creation time: the member's own when Discord sent it (reaction
    adds), else the time in the user's snowflake id (removals carry no member)."""
    if payload.member is not None:
        return payload.member.created_at
    return discord.utils.snowflake_time(payload.user_id)


def _where(payload: discord.RawReactionActionEvent) -> dict[str, str]:
    return {
        "guild_id": str(payload.guild_id),
        "channel_id": str(payload.channel_id),
        "message_id": str(payload.message_id),
        "user_id": str(payload.user_id),
    }
