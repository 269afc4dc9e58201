"""Slash commands: ``/compare A vs B`` and ``/shipbot compare|tools|tool|alternatives|review|
leaderboard|subscribe|unsubscribe|export|help``.

Every listener acks at once (Slack gives 3 seconds), then the work runs after the ack
(:meth:`SlackRuntime.later`) and answers through ``chat.postMessage`` (the card) or ``respond``
(ephemeral, via the response_url, which works even where the bot is not a member). Each command
is one observed action (``shipbot.events`` log line and metrics).
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import browse, community, modals, panel
from adapters.slack.escape import fit, mrkdwn
from adapters.slack.help import answer_help
from adapters.slack.posting import NOT_ADMIN, compare_text, guard, tell
from adapters.slack.runtime import Respond, SlackRuntime
from bot.models import Community

log = logging.getLogger(__name__)

WORDS = {
    "compare",
    "tools",
    "alternatives",
    "tool",
    "review",
    "queue",
    "leaderboard",
    "subscribe",
    "unsubscribe",
    "export",
}


@dataclass(frozen=True)
class SlashCommand:
    """The parts of a slash command the adapter uses (no Bolt dicts past this point)."""

    team_id: str
    channel_id: str
    user_id: str
    text: str
    trigger_id: str

    @classmethod
    def of(cls, body: dict[str, Any]) -> SlashCommand:
        return cls(
            team_id=str(body.get("team_id") or ""),
            channel_id=str(body.get("channel_id") or ""),
            user_id=str(body.get("user_id") or ""),
            text=str(body.get("text") or "").strip(),
            trigger_id=str(body.get("trigger_id") or ""),
        )

    @property
    def action(self) -> str:
        """The observed action's name: ``compare``, ``leaderboard``, ``tool_add``, ``help`` …"""
        word, _, rest = self.text.partition(" ")
        word = word.casefold()
        if word == "tool":
            sub = rest.strip().partition(" ")[0].casefold()
            subs = {"add", "edit", "remove", "alias", "show", "info"}
            return f"tool_{sub}" if sub in subs else "tool"
        return word if word in WORDS else "help"


def register(bolt: AsyncApp, rt: SlackRuntime) -> None:
    @bolt.command("/compare")
    async def on_compare(
        ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        await ack()
        cmd = SlashCommand.of(command)
        rt.later(guarded(rt, respond, cmd, "compare", compare(rt, client, respond, cmd, cmd.text)))

    @bolt.command("/shipbot")
    async def on_shipbot(
        ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        await ack()
        cmd = SlashCommand.of(command)
        rt.later(guarded(rt, respond, cmd, cmd.action, shipbot(rt, client, respond, cmd)))


async def guarded(
    rt: SlackRuntime,
    respond: Respond,
    cmd: SlashCommand,
    action: str,
    work: Coroutine[Any, Any, None],
) -> None:
    """Run a command as one observed action: user errors become their one line; anything else
    is logged with its traceback (by ``observe``) and the person gets a short apology."""
    async with guard(rt, respond, action, user=cmd.user_id, team=cmd.team_id) as seen:
        seen.fields["channel"] = cmd.channel_id
        await work


async def compare(
    rt: SlackRuntime, client: AsyncWebClient, respond: Respond, cmd: SlashCommand, text: str
) -> None:
    if not text:
        await tell(respond, "Name two tools, like `/compare SmolLM3 vs Mistral Medium 3`.")
        return
    await compare_text(
        rt,
        client,
        respond,
        team_id=cmd.team_id,
        channel_id=cmd.channel_id,
        text=text,
        asked_by=cmd.user_id or None,
    )


async def shipbot(
    rt: SlackRuntime, client: AsyncWebClient, respond: Respond, cmd: SlashCommand
) -> None:
    word, _, rest = cmd.text.partition(" ")
    word, rest = word.casefold(), rest.strip()
    if word == "compare":
        await compare(rt, client, respond, cmd, rest)
    elif word == "tools":
        await browse.tools(rt, respond, rest)
    elif word == "alternatives":
        await browse.alternatives(rt, respond, rest)
    elif word == "tool":
        await tool(rt, client, respond, cmd, rest)
    elif word == "review":
        await review(rt, client, respond, cmd, rest)
    elif word == "queue":
        await panel.open_queue(rt, client, respond, cmd.team_id, cmd.user_id, cmd.trigger_id)
    elif word == "leaderboard":
        await community.leaderboard(rt, client, respond, cmd.channel_id, rest, cmd.team_id)
    elif word in {"subscribe", "unsubscribe", "export"}:
        where = community.Where(cmd.team_id, cmd.channel_id, cmd.user_id)
        if word == "subscribe":
            await community.subscribe(rt, client, respond, where, rest)
        elif word == "unsubscribe":
            await community.unsubscribe(rt, client, respond, where)
        else:
            await community.export(rt, client, respond, where)
    else:
        await answer_help(rt, client, respond, cmd.team_id, cmd.user_id)


async def tool(
    rt: SlackRuntime, client: AsyncWebClient, respond: Respond, cmd: SlashCommand, text: str
) -> None:
    action, _, name = text.partition(" ")
    action, name = action.casefold(), name.strip()
    if action == "show":
        if not name:
            await tell(respond, "Which tool? `/shipbot tool show NAME`.")
            return
        found = await rt.catalog.show(name)
        aliases = f"\nAlso called: {fit(', '.join(found.aliases), 500)}" if found.aliases else ""
        await tell(
            respond,
            f"*{fit(found.name, 200)}* ({fit(found.category, 100)}, {found.entry.value})\n"
            f"{fit(found.tagline, 300)}\n{fit(found.description, 1800)}{aliases}",
        )
        return
    if action == "info":
        await browse.info(rt, respond, name)
        return
    if action == "suggest":
        await suggest(rt, client, respond, cmd, name)
        return
    if action not in {"add", "edit", "remove", "alias"}:
        await answer_help(rt, client, respond, cmd.team_id, cmd.user_id)
        return
    if not rt.admins.is_catalog_admin(cmd.team_id, cmd.user_id):
        await tell(respond, NOT_ADMIN)
        return
    if action == "add":
        await client.views_open(
            trigger_id=cmd.trigger_id, view=modals.tool_add_view(cmd.channel_id).to_dict()
        )
    elif action == "edit":
        if not name:
            await tell(respond, "Which tool? `/shipbot tool edit NAME`.")
            return
        found = await rt.catalog.show(name)
        await client.views_open(
            trigger_id=cmd.trigger_id, view=modals.tool_edit_view(found, cmd.channel_id).to_dict()
        )
    elif action == "remove":
        if not name:
            await tell(respond, "Which tool? `/shipbot tool remove NAME`.")
            return
        actor = await rt.admins.actor(client, cmd.team_id, cmd.user_id)
        await modals.confirm_remove(respond, await rt.catalog.removal(name, actor))
    else:
        await alias(rt, client, respond, cmd, name)


async def alias(
    rt: SlackRuntime, client: AsyncWebClient, respond: Respond, cmd: SlashCommand, text: str
) -> None:
    parts = split_alias(text)
    if parts is None:
        await tell(respond, "Give a tool and its new name: `/shipbot tool alias NAME = ALIAS`.")
        return
    name, new = parts
    actor = await rt.admins.actor(client, cmd.team_id, cmd.user_id)
    found = await rt.catalog.add_alias(name, new, actor)
    await tell(respond, f"People can now type *{mrkdwn(new)}* for *{mrkdwn(found.name)}*.")


async def suggest(
    rt: SlackRuntime, client: AsyncWebClient, respond: Respond, cmd: SlashCommand, text: str
) -> None:
    """A workspace admin asks the catalog admins to add a tool: ``suggest NAME — why``."""
    name, _, note = text.replace("—", "--").partition("--")
    if not name.strip():
        await tell(respond, "Which tool? `/shipbot tool suggest NAME — why it belongs`.")
        return
    actor = await rt.admins.actor(client, cmd.team_id, cmd.user_id)
    where = Community("slack", cmd.team_id)
    made = await rt.catalog.suggest_tool(where, name, note, actor)
    await tell(
        respond,
        f"Thanks: *{mrkdwn(made.name)}* is suggested to shipbot's catalog admins. "
        "Nothing in the catalog changed yet.",
    )


def split_alias(text: str) -> tuple[str, str] | None:
    """``NAME = ALIAS`` or two (quoted) words: ``"Mistral Medium 3" mm3``."""
    if "=" in text:
        name, _, new = text.rpartition("=")
    else:
        try:
            words = shlex.split(text)
        except ValueError:
            return None
        if len(words) < 2:
            return None
        name, new = " ".join(words[:-1]), words[-1]
    name, new = name.strip(), new.strip()
    return (name, new) if name and new else None


async def review(
    rt: SlackRuntime, client: AsyncWebClient, respond: Respond, cmd: SlashCommand, text: str
) -> None:
    name = text.removeprefix("add ").strip() if text.casefold().startswith("add ") else text
    if not rt.admins.is_catalog_admin(cmd.team_id, cmd.user_id):
        await tell(respond, NOT_ADMIN)
        return
    if not name:
        await tell(respond, "Which tool? `/shipbot review NAME`.")
        return
    found = await rt.catalog.show(name)
    await client.views_open(
        trigger_id=cmd.trigger_id, view=modals.review_view(found.name, cmd.channel_id).to_dict()
    )
