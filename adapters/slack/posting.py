"""Compare two tools and post the card: shared by ``/compare``, ``/shipbot compare`` and the
did-you-mean buttons. Also the one way every listener tells a person something privately."""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.observability import Observation, guarded
from adapters.slack.admins import actor_id
from adapters.slack.escape import with_code
from adapters.slack.names import COMMANDS
from adapters.slack.render import SlackMessage, choice_value, render_choices
from adapters.slack.runtime import Respond, SlackRuntime, community
from adapters.slack.surface import SlackSurface
from bot import publishing
from bot.errors import AmbiguousTool, UnknownTool, UserFacingError
from bot.models import Lens
from bot.parsing import CompareRequest
from bot.publishing import Place
from bot.service import Unresolved

log = logging.getLogger(__name__)

INVITE = "I'm not in this channel yet: invite @shipbot to this channel (`/invite @shipbot`), then try again."
OOPS = "Something went wrong on our side; it has been logged. Please try again in a moment."
NOT_POSTABLE = {"not_in_channel", "channel_not_found", "is_archived"}
NOT_ADMIN = (
    "The tool catalog is shared by every workspace, so only shipbot's catalog admins "
    "(SHIPBOT_CATALOG_ADMINS) can change it. Workspace admins can suggest a tool: "
    "`/shipbot tool suggest NAME — why`. Nothing was changed."
)
ADMINS_ONLY = (
    "Only workspace admins and owners (or people on shipbot's admin list) can do that. "
    "Nothing was changed."
)


async def tell(respond: Respond, text: str) -> None:
    """An ephemeral line for the person who asked. ``text`` is ours: user text inside it must
    already be escaped (see :func:`tell_error` for the core's messages)."""
    await respond(text=text, response_type="ephemeral", replace_original=False)


async def tell_error(respond: Respond, error: UserFacingError) -> None:
    """The core's words (which may quote what the person typed), made inert."""
    await tell(respond, with_code(error.told(COMMANDS)))


def guard(
    rt: SlackRuntime, respond: Respond, action: str, *, user: str, team: str
) -> AbstractAsyncContextManager[Observation]:
    """One observed action whose failures are answered privately (``guarded``): the core's
    words made inert, or :data:`OOPS` (logged with its traceback by ``observe``)."""

    async def say(text: str) -> None:
        await tell(respond, text)

    return guarded(
        rt.observed(action, user=user, team=team), say, OOPS, inert=with_code, commands=COMMANDS
    )


async def show(respond: Respond, message: SlackMessage) -> None:
    await respond(
        text=message.text,
        blocks=message.block_dicts(),
        response_type="ephemeral",
        replace_original=False,
    )


async def compare_text(
    rt: SlackRuntime,
    client: AsyncWebClient,
    respond: Respond,
    *,
    team_id: str,
    channel_id: str,
    text: str,
    asked_by: str | None = None,
) -> bool:
    """``/compare <text>``: the card in the channel, or an ephemeral reason. True if posted.
    ``asked_by`` (the Slack user id of the person asking) may later close the card's vote."""
    return await _publish(rt, client, respond, _place(team_id, channel_id, asked_by), text)


async def compare_pair(
    rt: SlackRuntime,
    client: AsyncWebClient,
    respond: Respond,
    *,
    team_id: str,
    channel_id: str,
    a: str,
    b: str,
    lens: Lens | None,
    asked_by: str | None = None,
) -> bool:
    """Resolve both names and post the card; unknown or ambiguous names get a did-you-mean."""
    place = _place(team_id, channel_id, asked_by)
    return await _publish(rt, client, respond, place, CompareRequest(a, b, lens))


def _place(team_id: str, channel_id: str, user_id: str | None) -> Place:
    """Where the compare was asked, and by whom in the core's terms (``actor_id``)."""
    asked_by = actor_id(team_id, user_id) if user_id else None
    return Place(community(team_id), channel_id, asked_by)


async def _publish(
    rt: SlackRuntime,
    client: AsyncWebClient,
    respond: Respond,
    place: Place,
    ask: str | CompareRequest,
) -> bool:
    surface = SlackSurface(
        rt.client_for,
        rt.app.metrics,
        client,
        place.channel,
        mode=rt.app.settings.vote_mode,
        draft_panel=rt.app.panel.configured,
    )
    try:
        published = await publishing.publish_compare(rt.service, surface, place, ask)
    except UserFacingError as error:
        await tell_error(respond, error)
        return False
    except SlackApiError as error:  # the card was discarded: nothing points at it
        if error.response.get("error") in NOT_POSTABLE:
            await tell(respond, INVITE)
            return False
        raise
    if isinstance(published, Unresolved):
        request = published.request
        await show(respond, did_you_mean(published.error, request.a, request.b, request.lens))
        return False
    return True


def did_you_mean(
    error: UnknownTool | AmbiguousTool, a: str, b: str, lens: Lens | None
) -> SlackMessage:
    """The core's message with a button per suggestion; a click compares the corrected pair."""
    names = error.suggestions if isinstance(error, UnknownTool) else error.candidates
    left = error.query == a
    choices = [
        (
            name,
            choice_value(name if left else a, b if left else name, lens.value if lens else None),
        )
        for name in names
    ]
    return render_choices(error.told(COMMANDS), choices)
