"""``/shipbot help`` (and a bare ``/shipbot``) and the App Home: what shipbot does and the
commands this person may use (``bot.help``), rendered as Block Kit (:func:`help_blocks`)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.escape import link, plain, with_code
from adapters.slack.names import COMMANDS
from adapters.slack.runtime import Respond, SlackRuntime
from bot.help import Help, help_for

Block = dict[str, Any]
SECTION_TEXT = 3000
HEADER_TEXT = 150


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_TEXT]}}


def help_text(help: Help) -> str:
    """The whole message as mrkdwn (the notification / fallback text)."""
    parts = [f"*{with_code(help.title)}*", with_code(help.intro)]
    for section in help.sections:
        lines = [f"• `{line.usage}` — {with_code(line.what)}" for line in section.lines]
        parts.append("\n".join([f"*{with_code(section.title)}*", *lines]))
    if help.web:
        parts.append(f"On the web: {link(help.web, help.web)}")
    return "\n\n".join(parts)


def help_blocks(help: Help) -> list[Block]:
    """A header, the intro, a section per group of commands and the web link."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": plain(help.title)[:HEADER_TEXT]}},
        _section(with_code(help.intro)),
    ]
    for section in help.sections:
        lines = [f"• `{line.usage}` — {with_code(line.what)}" for line in section.lines]
        blocks.append(_section("\n".join([f"*{with_code(section.title)}*", *lines])))
    if help.web:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"On the web: {link(help.web, help.web)}"}],
            }
        )
    return blocks


async def person_help(rt: SlackRuntime, client: AsyncWebClient, team_id: str, user_id: str) -> Help:
    """The help for this person (workspace admins and catalog admins see theirs)."""
    return help_for(
        COMMANDS,
        admin=await rt.admins.is_admin(client, team_id, user_id),
        catalog_admin=rt.admins.is_catalog_admin(team_id, user_id),
        public_url=rt.app.settings.public_url,
    )


async def answer_help(
    rt: SlackRuntime, client: AsyncWebClient, respond: Respond, team_id: str, user_id: str
) -> None:
    """The help, ephemeral, for the person who asked."""
    shown = await person_help(rt, client, team_id, user_id)
    await respond(
        text=help_text(shown),
        blocks=help_blocks(shown),
        response_type="ephemeral",
        replace_original=False,
    )


def home_view(help: Help) -> Block:
    """The App Home tab: the same help."""
    return {"type": "home", "blocks": help_blocks(help)}


FirstVisit = Callable[[SlackRuntime, AsyncWebClient, str, str], Coroutine[Any, Any, None]]


def register(bolt: AsyncApp, rt: SlackRuntime, first_visit: FirstVisit | None = None) -> None:
    """``app_home_opened``: publish this person's help on their App Home (after the ack). In a
    workspace not yet welcomed (installed with a token, not through OAuth) ``first_visit``
    (``welcome.welcome_installer``) DMs the first person to open the app the welcome."""

    async def publish(client: AsyncWebClient, team_id: str, user_id: str) -> None:
        async with rt.observed("app_home", user=user_id, team=team_id):
            shown = await person_help(rt, client, team_id, user_id)
            await client.views_publish(user_id=user_id, view=home_view(shown))

    @bolt.event("app_home_opened")
    async def on_home(body: dict[str, Any], client: AsyncWebClient) -> None:
        event = body.get("event") or {}
        user_id = str(event.get("user") or "")
        team_id = str(body.get("team_id") or "")
        if first_visit is not None and user_id and team_id:
            rt.later(first_visit(rt, client, team_id, user_id))
        if not user_id or event.get("tab", "home") != "home":
            return
        rt.later(publish(client, team_id, user_id))
