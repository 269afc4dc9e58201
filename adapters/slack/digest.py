"""The weekly verdicts digest on Slack: the core's :class:`~bot.scheduler.DigestScheduler` with a
``post`` that sends the digest to the subscribed channel with that workspace's bot token.

Every process runs the scheduler; claiming a run is atomic in the database, so each digest is
posted once however many workers poll. A failed post raises, so the core releases the claim and
the next poll tries again.
"""

from __future__ import annotations

import logging

from adapters.slack.community_render import render_digest
from adapters.slack.runtime import PLATFORM, SlackRuntime
from bot.digest import Digest
from bot.models import Subscription
from bot.scheduler import DigestScheduler, Post

log = logging.getLogger(__name__)

POLL_SECONDS = 60.0


def digest_poster(rt: SlackRuntime) -> Post:
    """``post(subscription, digest)`` for the scheduler (raises when Slack refuses)."""

    async def post(subscription: Subscription, digest: Digest) -> None:
        message = render_digest(digest, rt.app.settings.min_votes)
        client = await rt.client_for(subscription.community.id)  # an OAuth install's own token
        await client.chat_postMessage(
            channel=subscription.channel,
            text=message.text,
            blocks=message.block_dicts(),
            unfurl_links=False,
            unfurl_media=False,
        )

    return post


def digest_scheduler(rt: SlackRuntime, poll_seconds: float = POLL_SECONDS) -> DigestScheduler:
    return DigestScheduler(rt.app.community, PLATFORM, digest_poster(rt), poll_seconds=poll_seconds)
