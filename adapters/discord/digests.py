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
from bot.digest_retry import ChannelGone
from bot.models import Subscription

log = logging.getLogger(__name__)


class DigestPoster:
    """The scheduler's ``post``. A 404 (Unknown Channel / Guild) or 403 (Missing Access /
    Permissions) raises :class:`ChannelGone`, so the core unsubscribes the channel; any other
    refusal raises as is and the core retries with backoff."""

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
        except (discord.NotFound, discord.Forbidden) as error:
            raise ChannelGone(
                f"Discord answered {error.status} (code {error.code}: {error.text or 'no text'})"
            ) from error
        except discord.HTTPException as error:
            log.warning(
                "digest not posted: Discord refused it",
                extra={
                    "guild_id": subscription.community.id,
                    "channel_id": subscription.channel,
                    "status": error.status,
                    "code": error.code,
                },
            )
            raise
