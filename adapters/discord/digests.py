"""Posting the weekly digest to subscribed Discord channels.

``bot.scheduler.DigestScheduler`` decides when (the schedule lives in the database and each run
is claimed by exactly one process); this module only says how: one embed, sent over REST, so
any process (any shard) can post to any server's channel.
"""

from __future__ import annotations

import logging

import discord

from adapters.discord.community_render import digest_embed
from adapters.discord.context import NO_MENTIONS
from bot.digest import Digest, digest_lines
from bot.models import Subscription

log = logging.getLogger(__name__)


class DigestPoster:
    """The scheduler's ``post``: raises when Discord refuses, so the core releases the claim
    and the run is retried on the next pass."""

    def __init__(self, client: discord.Client, min_votes: int) -> None:
        self.client = client
        self.min_votes = min_votes

    async def __call__(self, subscription: Subscription, digest: Digest) -> None:
        channel = self.client.get_partial_messageable(
            int(subscription.channel), guild_id=int(subscription.community.id)
        )
        embed = digest_embed(digest_lines(digest, self.min_votes))
        try:
            await channel.send(embed=embed, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as error:
            log.warning(
                "digest not posted: the channel is gone or shipbot may not post there",
                extra={
                    "guild_id": subscription.community.id,
                    "channel_id": subscription.channel,
                    "status": error.status,
                    "code": error.code,
                },
            )
            raise
