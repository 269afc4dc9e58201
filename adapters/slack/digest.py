"""The weekly verdicts digest on Slack: the core's :class:`~bot.scheduler.DigestScheduler` with a
``post`` that sends the digest to the subscribed channel with that workspace's bot token.

Every process runs the scheduler; claiming a run is atomic in the database, so each digest is
posted once however many workers poll. A channel that is gone, archived or that shipbot was
removed from (or a workspace that uninstalled it) raises :class:`ChannelGone`, and the core
unsubscribes it; any other failure raises as is and the core retries with backoff.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from adapters.slack.community_render import render_digest
from adapters.slack.runtime import PLATFORM, SlackRuntime
from bot.digest import Digest
from bot.digest_retry import ChannelGone
from bot.models import Subscription
from bot.scheduler import DigestScheduler, Post

log = logging.getLogger(__name__)

POLL_SECONDS = 60.0
#: chat.postMessage errors that retrying can never fix.
CHANNEL_GONE = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "team_access_not_granted"}
)


def digest_poster(rt: SlackRuntime) -> Post:
    """``post(subscription, digest)`` for the scheduler (raises when Slack refuses)."""

    async def post(subscription: Subscription, digest: Digest) -> None:
        message = render_digest(digest, rt.app.settings.min_votes)
        try:
            client = await rt.client_for(subscription.community.id)  # an OAuth install's token
        except LookupError as error:  # the workspace uninstalled shipbot
            raise ChannelGone(str(error)) from error
        try:
            await client.chat_postMessage(
                channel=subscription.channel,
                text=message.text,
                blocks=message.block_dicts(),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:
            code = str(error.response.get("error") or "")
            if code in CHANNEL_GONE:
                raise ChannelGone(f"Slack answered {code}") from error
            raise

    return post


def digest_scheduler(rt: SlackRuntime, poll_seconds: float = POLL_SECONDS) -> DigestScheduler:
    return DigestScheduler(rt.app.community, PLATFORM, digest_poster(rt), poll_seconds=poll_seconds)
