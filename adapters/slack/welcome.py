"""The welcome (``bot.help.welcome``) when a workspace installs shipbot through OAuth: Bolt's
install success hook DMs the installer (``chat.postMessage`` to their user id) with the new
bot token, once per workspace (``CommunityService.first_welcome``), then shows Bolt's usual
success page. A welcome that can't be sent is logged; the install is never failed by it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.help import help_blocks, help_text
from adapters.slack.names import COMMANDS
from adapters.slack.runtime import SlackRuntime, community
from bot.help import welcome

log = logging.getLogger(__name__)


async def welcome_installer(
    rt: SlackRuntime, client: AsyncWebClient, team_id: str, user: str
) -> None:
    """DM the person who installed shipbot the welcome, the first time for this workspace."""
    async with rt.observed("welcome", user=user, team=team_id) as seen:
        if not await rt.app.community.first_welcome(community(team_id)):
            seen.outcome = "already"
            return
        shown = welcome(COMMANDS, public_url=rt.app.settings.public_url)
        try:
            await client.chat_postMessage(
                channel=user, text=help_text(shown), blocks=help_blocks(shown), unfurl_links=False
            )
        except SlackApiError as error:
            seen.outcome = "refused"
            log.warning(
                "welcome not sent", extra={"team": team_id, "error": error.response.get("error")}
            )


def install_callbacks(runtime: Callable[[], SlackRuntime], base_url: str) -> AsyncCallbackOptions:
    """Bolt's OAuth callbacks: on success welcome the installer, then Bolt's own page."""

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        team_id, user, token = installation.team_id, installation.user_id, installation.bot_token
        if team_id and user and token:
            client = AsyncWebClient(token=token, base_url=base_url)
            try:
                await welcome_installer(runtime(), client, team_id, user)
            except Exception:  # the install itself succeeded: never fail it for the welcome
                log.exception("welcome failed", extra={"team": team_id})
        return await args.default.success(args)

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        return await args.default.failure(args)

    return AsyncCallbackOptions(success=success, failure=failure)
