"""Admin forms: add or edit a tool, add a review, and the remove confirmation.

A submitted form goes to the core, which checks the admin right, validates and writes; a field the
core finds invalid comes back as ``InvalidFields`` and its problem lands under that field
(``response_action: errors``) with the modal still open. Nothing is written unless everything is
valid.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.escape import mrkdwn, with_code
from adapters.slack.names import COMMANDS
from adapters.slack.posting import show
from adapters.slack.render import render_confirm
from adapters.slack.runtime import Respond, SlackRuntime
from adapters.text import shorten
from bot.admin import EDITABLE, Removal
from bot.errors import Conflict, InvalidFields, UserFacingError
from bot.models import Entry, Lens, Tool, Verdict

log = logging.getLogger(__name__)

TOOL_ADD, TOOL_EDIT, REVIEW_PUT = "tool_add", "tool_edit", "review_put"
REMOVE_CONFIRM, REMOVE_CANCEL = "tool_remove_confirm", "tool_remove_cancel"
VALUE = "value"  # the action_id of every input
ERROR_TEXT = 300
NOT_ADMIN_FIELD = "Only shipbot's catalog admins can change the catalog; nothing was saved."

TOOL_LABELS = {
    "name": "Name",
    "category": "Category",
    "tagline": "Tagline (one line)",
    "entry": "Entry price",
    "description": "Description",
    "pricing_note": "Pricing note",
    "url": "Website",
    "aliases": "Other names (comma-separated)",
}
TOOL_MAX = {
    "name": 100,
    "category": 60,
    "tagline": 200,
    "description": 2000,
    "pricing_note": 200,
    "url": 300,
    "aliases": 2000,
}
OPTIONAL = {"pricing_note", "url", "aliases"}


@dataclass(frozen=True)
class Submission:
    """What a modal submit carries, out of Bolt's dicts."""

    team_id: str
    user_id: str
    values: dict[str, str]
    metadata: dict[str, str]

    @classmethod
    def of(cls, body: dict[str, Any]) -> Submission:
        view = body.get("view") or {}
        try:
            metadata = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            metadata = {}
        return cls(
            team_id=str((body.get("team") or {}).get("id") or view.get("team_id") or ""),
            user_id=str((body.get("user") or {}).get("id") or ""),
            values=read_values((view.get("state") or {}).get("values") or {}),
            metadata={str(k): str(v) for k, v in metadata.items()}
            if isinstance(metadata, dict)
            else {},
        )


def read_values(state: dict[str, Any]) -> dict[str, str]:
    """``{block_id: text}`` from a view's ``state.values`` (text inputs and static selects)."""
    out: dict[str, str] = {}
    for block_id, actions in state.items():
        for item in (actions or {}).values():
            option = item.get("selected_option")
            out[block_id] = str(option.get("value") if option else item.get("value") or "")
    return out


# -- views ---------------------------------------------------------------------------------------


def tool_add_view(channel_id: str) -> View:
    return _tool_view(TOOL_ADD, "Add a tool", "Add", None, {"channel": channel_id})


def tool_edit_view(tool: Tool, channel_id: str) -> View:
    meta = {"channel": channel_id, "tool": tool.name}
    return _tool_view(TOOL_EDIT, "Edit a tool", "Save", tool, meta)


def _tool_view(
    callback: str, title: str, submit: str, tool: Tool | None, meta: dict[str, str]
) -> View:
    blocks: list[Block] = []
    for field, label in TOOL_LABELS.items():
        if field == "aliases" and tool is not None:
            continue  # aliases are added one by one with `tool alias`
        initial = str(getattr(tool, field)) if tool is not None else None
        if field == "entry":
            options = [Option(value=e.value, label=e.value) for e in Entry]
            chosen = next((o for o in options if o.value == initial), None)
            element: Any = StaticSelectElement(
                action_id=VALUE,
                placeholder="Free, Freemium, Paid …",
                options=options,
                initial_option=chosen,
            )
        else:
            element = PlainTextInputElement(
                action_id=VALUE,
                multiline=field == "description",
                max_length=TOOL_MAX[field],
                initial_value=initial or None,
            )
        blocks.append(
            InputBlock(block_id=field, label=label, element=element, optional=field in OPTIONAL)
        )
    return View(
        type="modal",
        callback_id=callback,
        title=title,
        submit=submit,
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps(meta)[:3000],
    )


def review_view(tool_name: str, channel_id: str) -> View:
    lenses = [Option(value=lens.value, label=lens.label) for lens in Lens]
    verdicts = [Option(value=v.value, label=v.value) for v in Verdict]
    blocks: list[Block] = [
        InputBlock(
            block_id="lens",
            label="Lens",
            element=StaticSelectElement(action_id=VALUE, options=lenses, placeholder="Lens"),
        ),
        InputBlock(
            block_id="verdict",
            label="Verdict",
            element=StaticSelectElement(action_id=VALUE, options=verdicts, placeholder="ship"),
        ),
        InputBlock(
            block_id="quote",
            label="Quote",
            element=PlainTextInputElement(action_id=VALUE, multiline=True, max_length=4000),
        ),
        InputBlock(
            block_id="reviewer",
            label="Reviewer",
            element=PlainTextInputElement(action_id=VALUE, max_length=100),
            optional=True,
        ),
    ]
    return View(
        type="modal",
        callback_id=REVIEW_PUT,
        title="Add a review",
        submit="Save",
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps({"channel": channel_id, "tool": tool_name})[:3000],
    )


async def confirm_remove(respond: Respond, removal: Removal) -> None:
    name = removal.tool.name
    message = render_confirm(
        with_code(removal.prompt(COMMANDS)),
        (f"Archive {name}", REMOVE_CONFIRM, name),
        ("Keep it", REMOVE_CANCEL, name),
    )
    await show(respond, message)


# -- submissions -----------------------------------------------------------------------------


def field_errors(error: InvalidFields, blocks: set[str], fallback: str) -> dict[str, str]:
    """The core's problems keyed by the block that shows each field (first problem per field)."""
    out: dict[str, str] = {}
    for problem in error.problems:
        block = problem.field if problem.field in blocks else fallback
        out.setdefault(block, shorten(problem.message, ERROR_TEXT))
    return out


def tool_fields(values: dict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {f: values.get(f, "") for f in TOOL_LABELS if f != "aliases"}
    aliases = values.get("aliases", "")
    fields["aliases"] = [a.strip() for a in aliases.split(",") if a.strip()]
    return fields


Submitted = Callable[[AsyncAck, Submission, AsyncWebClient], Awaitable[None]]


def register(bolt: AsyncApp, rt: SlackRuntime) -> None:
    def submitted(callback_id: str, handler: Submitted) -> None:
        """Each submit is one observed action (``tool_add_submit`` …)."""

        async def listener(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
            sub = Submission.of(body)
            async with rt.observed(f"{callback_id}_submit", user=sub.user_id, team=sub.team_id):
                await handler(ack, sub, client)

        bolt.view(callback_id)(listener)

    async def on_tool_add(ack: AsyncAck, sub: Submission, client: AsyncWebClient) -> None:
        fields = tool_fields(sub.values)
        actor = await rt.admins.actor(client, sub.team_id, sub.user_id)
        try:
            added = await rt.catalog.add_tool(fields, actor)
        except InvalidFields as error:
            await ack(
                response_action="errors", errors=field_errors(error, set(TOOL_LABELS), "name")
            )
            return
        except Conflict as error:
            block = conflict_block(error, fields)
            await ack(response_action="errors", errors={block: shorten(error.message, ERROR_TEXT)})
            return
        except UserFacingError as error:
            await ack(response_action="errors", errors={"name": shorten(error.message, ERROR_TEXT)})
            return
        await ack()
        await _confirm(
            client, sub, f"Added *{mrkdwn(added.name)}*. Try `/compare {mrkdwn(added.name)} vs …`."
        )

    async def on_tool_edit(ack: AsyncAck, sub: Submission, client: AsyncWebClient) -> None:
        name = sub.metadata.get("tool", "")
        try:
            current = await rt.catalog.show(name)
        except UserFacingError as error:
            await ack(response_action="errors", errors={"name": shorten(error.message, ERROR_TEXT)})
            return
        fields = tool_fields(sub.values)
        fields.pop("aliases")
        changes = {
            f: str(fields[f])
            for f in EDITABLE
            if str(fields[f]).strip() != str(getattr(current, f))
        }
        if not changes:
            await ack()
            return
        actor = await rt.admins.actor(client, sub.team_id, sub.user_id)
        try:
            updated = await rt.catalog.edit_tool(current.name, changes, actor)
        except InvalidFields as error:
            await ack(
                response_action="errors", errors=field_errors(error, set(TOOL_LABELS), "name")
            )
            return
        except UserFacingError as error:
            await ack(response_action="errors", errors={"name": shorten(error.message, ERROR_TEXT)})
            return
        await ack()
        kept = (
            f" People can still type *{mrkdwn(current.name)}*."
            if "name" in changes and updated.name != current.name
            else ""
        )
        await _confirm(
            client, sub, f"Saved *{mrkdwn(updated.name)}* ({', '.join(sorted(changes))}).{kept}"
        )

    async def on_review(ack: AsyncAck, sub: Submission, client: AsyncWebClient) -> None:
        fields = {k: sub.values.get(k, "") for k in ("lens", "verdict", "quote", "reviewer")}
        actor = await rt.admins.actor(client, sub.team_id, sub.user_id)
        try:
            updated = await rt.catalog.put_review(sub.metadata.get("tool", ""), fields, actor)
        except InvalidFields as error:
            await ack(response_action="errors", errors=field_errors(error, set(fields), "quote"))
            return
        except UserFacingError as error:
            await ack(
                response_action="errors", errors={"quote": shorten(error.message, ERROR_TEXT)}
            )
            return
        await ack()
        await _confirm(
            client,
            sub,
            f"Saved the {_lens_label(fields['lens'])} review of *{mrkdwn(updated.name)}*.",
        )

    submitted(TOOL_ADD, on_tool_add)
    submitted(TOOL_EDIT, on_tool_edit)
    submitted(REVIEW_PUT, on_review)


def conflict_block(error: Conflict, fields: dict[str, Any]) -> str:
    """The form field a clash belongs on: the name, or the aliases that hold ``error.label``."""
    label = error.label.casefold()
    aliases = {str(a).casefold() for a in fields.get("aliases") or []}
    if label and label in aliases and label != str(fields.get("name", "")).casefold():
        return "aliases"
    return "name"


def _lens_label(value: str) -> str:
    lens = Lens.parse(value)
    return lens.label if lens else mrkdwn(value)


async def _confirm(client: AsyncWebClient, sub: Submission, text: str) -> None:
    """Tell the admin it worked, privately, in the channel they started from (best effort)."""
    channel = sub.metadata.get("channel")
    if not channel:
        return
    try:
        await client.chat_postEphemeral(channel=channel, user=sub.user_id, text=text)
    except SlackApiError as error:
        log.info("could not confirm a catalog change", extra={"error": error.response.get("error")})
