"""Compare two tools and post the card: shared by ``/compare``, ``/shipbot compare`` and the
did-you-mean buttons. Also the one way every listener tells a person something privately."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.escape import mrkdwn
from adapters.slack.render import (
    EMOJI_A,
    EMOJI_B,
    SlackMessage,
    choice_value,
    render_card,
    render_choices,
)
from adapters.slack.runtime import Respond, SlackRuntime, community
from bot.errors import AmbiguousTool, UnknownTool, UserFacingError
from bot.models import Lens

log = logging.getLogger(__name__)

INVITE = "I'm not in this channel yet: invite @shipbot to this channel (`/invite @shipbot`), then try again."
OOPS = "Something went wrong on our side; it has been logged. Please try again in a moment."
NOT_POSTABLE = {"not_in_channel", "channel_not_found", "is_archived"}
NOT_ADMIN = (
    "Only workspace admins and owners (or people on shipbot's admin list) can change the "
    "catalog. Nothing was changed."
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
    await tell(respond, mrkdwn(error.message))


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
) -> bool:
    """``/compare <text>``: the card in the channel, or an ephemeral reason. True if posted."""
    try:
        request = await rt.service.parse(text)
    except UserFacingError as error:
        await tell_error(respond, error)
        return False
    return await compare_pair(
        rt,
        client,
        respond,
        team_id=team_id,
        channel_id=channel_id,
        a=request.a,
        b=request.b,
        lens=request.lens,
    )


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
) -> bool:
    """Resolve both names and post the card; unknown or ambiguous names get a did-you-mean."""
    where = community(team_id)
    try:
        card = await rt.service.compare_names(a, b, where, lens)
    except (UnknownTool, AmbiguousTool) as error:
        await show(respond, did_you_mean(error, a, b, lens))
        return False
    except UserFacingError as error:
        await tell_error(respond, error)
        return False
    card = await rt.service.open_card(card, where, channel_id)
    assert card.card_id is not None
    message = render_card(card)
    try:
        posted = await client.chat_postMessage(
            channel=channel_id,
            blocks=message.block_dicts(),
            text=message.text,
            unfurl_links=False,
            unfurl_media=False,
        )
    except Exception as error:
        await rt.service.discard_card(card.card_id)  # never posted: nothing may point at it
        if isinstance(error, SlackApiError) and error.response.get("error") in NOT_POSTABLE:
            await tell(respond, INVITE)
            return False
        raise
    await rt.service.attach_message(card.card_id, str(posted["ts"]))
    for emoji in (EMOJI_A, EMOJI_B):
        try:
            await client.reactions_add(channel=channel_id, timestamp=posted["ts"], name=emoji)
        except SlackApiError as error:  # votes still work by button
            log.warning(
                "could not add vote reaction",
                extra={"card": card.card_id, "error": error.response.get("error")},
            )
    log.info("card posted", extra={"card": card.card_id, "channel": channel_id})
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
    return render_choices(error.message, choices)
