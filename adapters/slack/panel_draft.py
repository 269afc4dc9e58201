"""The card's **Draft panel** button on Slack: an admin drafts the missing lenses of the card's
tools with the configured chat model; the drafts wait in ``/shipbot queue``."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.escape import mrkdwn
from adapters.slack.posting import tell
from adapters.slack.runtime import Respond, SlackRuntime
from adapters.text import shorten
from bot.panel.drafting import tools_to_draft

ADMINS_ONLY = "Only workspace admins can draft panels. Nothing was drafted."
SUMMARY_TEXT = 1800


async def draft_from_card(
    rt: SlackRuntime,
    client: AsyncWebClient,
    respond: Respond,
    team_id: str,
    user_id: str,
    card_id: int,
) -> None:
    """Draft the lenses of the card's tools that have no panel; tell the admin privately."""
    if not await rt.admins.is_admin(client, team_id, user_id):
        await tell(respond, ADMINS_ONLY)
        return
    names = tools_to_draft(await rt.service.render_posted(card_id))
    drafter = rt.app.panel
    jobs = [await drafter.job_for(name) for name in names]
    summary = await drafter.run(jobs)
    text = shorten(mrkdwn(summary.text()), SUMMARY_TEXT)
    await tell(respond, f"{text}\nApprove them with `/shipbot queue`.")
