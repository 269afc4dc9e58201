"""The panel on Slack: ``/review NAME`` (a member's take, in a modal) and ``/shipbot queue``
(admins: the approval queue in a modal, five drafts a page, each with Approve / Reject / Edit,
plus Approve all and paging; Edit pushes a form over the queue).

Buttons in the queue modal act after the ack and redraw it with ``views.update``; every draft's
text is escaped as user text and cut to Block Kit's limits.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.escape import fit
from adapters.slack.modals import VALUE, Submission
from adapters.slack.posting import ADMINS_ONLY, tell
from adapters.slack.render import md_text
from adapters.slack.runtime import Respond, SlackRuntime
from adapters.text import shorten, verdict_mark
from bot.admin import Actor
from bot.errors import UserFacingError
from bot.models import Lens, Verdict
from bot.panel.models import QueuedReview, QueuePage
from bot.panel.rules import QUOTE_MAX

log = logging.getLogger(__name__)

TAKE, QUEUE, EDIT = "panel_take", "panel_queue", "panel_edit"
APPROVE, REJECT, EDIT_BUTTON = "panel_approve", "panel_reject", "panel_edit_open"
APPROVE_ALL, PAGE = "panel_approve_all", "panel_page"
PER_PAGE = 5
QUOTE_IN_QUEUE = 2500
ERROR_TEXT = 300


# -- who ---------------------------------------------------------------------------------------


async def member(rt: SlackRuntime, client: AsyncWebClient, team: str, user: str) -> Actor:
    """The person as the core sees them, credited by their Slack display name."""
    admin = await rt.admins.is_admin(client, team, user)
    name = user
    try:
        info = await client.users_info(user=user)
        profile = (info.get("user") or {}).get("profile") or {}
        found = (info.get("user") or {}).get("name")
        name = str(profile.get("display_name") or profile.get("real_name") or found or user)
    except SlackApiError:
        log.info("users.info failed; crediting the user id", extra={"user": user})
    return Actor(id=f"slack:{team}:{user}", display=name, is_admin=admin)


# -- views -------------------------------------------------------------------------------------


def take_view(tool_name: str, channel_id: str) -> View:
    lenses = [Option(value=lens.value, label=lens.label) for lens in Lens]
    verdicts = [Option(value=v.value, label=v.value) for v in Verdict]
    return View(
        type="modal",
        callback_id=TAKE,
        title="Your take",
        submit="Submit",
        close="Cancel",
        blocks=[
            SectionBlock(
                text=md_text(
                    f"Your review of *{fit(tool_name, 150)}* for one lens. "
                    "An admin approves it before it shows on cards."
                )
            ),
            InputBlock(
                block_id="lens",
                label="Lens",
                element=StaticSelectElement(action_id=VALUE, options=lenses),
            ),
            InputBlock(
                block_id="verdict",
                label="Verdict",
                element=StaticSelectElement(action_id=VALUE, options=verdicts),
            ),
            InputBlock(
                block_id="quote",
                label="Your take (one paragraph)",
                element=PlainTextInputElement(
                    action_id=VALUE, multiline=True, max_length=QUOTE_MAX
                ),
            ),
        ],
        private_metadata=json.dumps({"tool": tool_name, "channel": channel_id})[:3000],
    )


def queue_view(page: QueuePage, note: str = "") -> View:
    blocks: list[Block] = []
    if note:
        blocks.append(SectionBlock(text=md_text(fit(note, 2000))))
    if not page.items:
        blocks.append(SectionBlock(text=md_text("The queue is empty: nothing waits for approval.")))
    else:
        last = page.offset + len(page.items)
        blocks.append(
            ContextBlock(
                elements=[
                    md_text(
                        f"{page.total} drafts wait for approval (showing {page.offset + 1}–{last})."
                    )
                ]
            )
        )
    for item in page.items:
        blocks += draft_blocks(item)
    nav: list[ButtonElement] = []
    if page.offset > 0:
        nav.append(
            ButtonElement(
                text="◀ Previous",
                action_id=f"{PAGE}_prev",
                value=str(max(0, page.offset - PER_PAGE)),
            )
        )
    if page.offset + len(page.items) < page.total:
        nav.append(
            ButtonElement(
                text="Next ▶", action_id=f"{PAGE}_next", value=str(page.offset + PER_PAGE)
            )
        )
    if page.items:
        nav.append(
            ButtonElement(text="Approve all", action_id=APPROVE_ALL, value="all", style="primary")
        )
    if nav:
        blocks += [DividerBlock(), ActionsBlock(block_id="queue_nav", elements=nav)]
    return View(
        type="modal",
        callback_id=QUEUE,
        title="Review queue",
        close="Done",
        blocks=blocks,
        private_metadata=json.dumps({"offset": page.offset}),
    )


def draft_blocks(item: QueuedReview) -> list[Block]:
    head = f"*#{item.id} · {fit(item.tool_name, 150)} · {item.lens.label}* — {verdict_mark(item.verdict)}"
    about = [fit(item.source, 200)]
    if item.receipt:
        r = item.receipt
        about.append(
            f"{fit(r.provider, 80)} · prompt {fit(r.prompt_version, 40)} · "
            f"{r.usage.prompt_tokens}+{r.usage.completion_tokens} tokens · "
            f"relied on {len(r.facts)} facts"
        )
    about += [f"⚠ {fit(flag, 300)}" for flag in item.flags]
    value = str(item.id)
    return [
        DividerBlock(),
        SectionBlock(text=md_text(f"{head}\n“{fit(item.quote, QUOTE_IN_QUEUE)}”")),
        ContextBlock(elements=[md_text(line) for line in about[:10]]),
        ActionsBlock(
            block_id=f"draft_{item.id}",
            elements=[
                ButtonElement(text="Approve", action_id=APPROVE, value=value, style="primary"),
                ButtonElement(text="Reject", action_id=REJECT, value=value, style="danger"),
                ButtonElement(text="Edit", action_id=EDIT_BUTTON, value=value),
            ],
        ),
    ]


def edit_view(item: QueuedReview, root_view: str, offset: int) -> View:
    verdicts = [Option(value=v.value, label=v.value) for v in Verdict]
    current = next(o for o in verdicts if o.value == item.verdict.value)
    return View(
        type="modal",
        callback_id=EDIT,
        title=f"Edit draft #{item.id}"[:24],
        submit="Save",
        close="Back",
        blocks=[
            InputBlock(
                block_id="verdict",
                label="Verdict",
                element=StaticSelectElement(
                    action_id=VALUE, options=verdicts, initial_option=current
                ),
            ),
            InputBlock(
                block_id="quote",
                label="Quote",
                element=PlainTextInputElement(
                    action_id=VALUE,
                    multiline=True,
                    initial_value=item.quote[:QUOTE_MAX],
                    max_length=QUOTE_MAX,
                ),
            ),
        ],
        private_metadata=json.dumps({"id": item.id, "root": root_view, "offset": offset}),
    )


# -- listeners ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueClick:
    """A button in the queue modal, out of Bolt's dicts."""

    team_id: str
    user_id: str
    view_id: str
    offset: int
    action_id: str
    value: str
    trigger_id: str

    @classmethod
    def of(cls, body: dict[str, Any], action: dict[str, Any]) -> QueueClick:
        view = body.get("view") or {}
        try:
            offset = int(json.loads(view.get("private_metadata") or "{}").get("offset", 0))
        except (ValueError, AttributeError, TypeError):
            offset = 0
        return cls(
            team_id=str((body.get("team") or {}).get("id") or ""),
            user_id=str((body.get("user") or {}).get("id") or ""),
            view_id=str(view.get("id") or ""),
            offset=max(0, offset),
            action_id=str(action.get("action_id") or ""),
            value=str(action.get("value") or ""),
            trigger_id=str(body.get("trigger_id") or ""),
        )


async def open_queue(
    rt: SlackRuntime,
    client: AsyncWebClient,
    respond: Respond,
    team: str,
    user: str,
    trigger_id: str,
) -> None:
    actor = await member(rt, client, team, user)
    if not actor.is_admin:
        await tell(respond, ADMINS_ONLY)
        return
    page = await rt.app.reviews.page(actor, 0, PER_PAGE)
    await client.views_open(trigger_id=trigger_id, view=queue_view(page).to_dict())


async def open_take(
    rt: SlackRuntime,
    client: AsyncWebClient,
    respond: Respond,
    name: str,
    channel_id: str,
    trigger_id: str,
) -> None:
    if not name:
        await tell(respond, "Which tool? `/review NAME` opens a form for your take.")
        return
    found = await rt.catalog.show(name)
    await client.views_open(trigger_id=trigger_id, view=take_view(found.name, channel_id).to_dict())


def register(bolt: AsyncApp, rt: SlackRuntime) -> None:
    from adapters.slack.commands import SlashCommand, guarded

    @bolt.command("/review")
    async def on_review(
        ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient, respond: Respond
    ) -> None:
        await ack()
        cmd = SlashCommand.of(command)
        work = open_take(rt, client, respond, cmd.text, cmd.channel_id, cmd.trigger_id)
        rt.later(guarded(rt, respond, cmd, "review_take", work))

    async def on_take(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        sub = Submission.of(body)
        async with rt.observed("panel_take_submit", user=sub.user_id, team=sub.team_id):
            actor = await member(rt, client, sub.team_id, sub.user_id)
            try:
                take = await rt.app.reviews.submit_take(
                    actor,
                    sub.metadata.get("tool", ""),
                    sub.values.get("lens", ""),
                    sub.values.get("verdict", ""),
                    sub.values.get("quote", ""),
                )
            except UserFacingError as error:
                block = (
                    "lens"
                    if "lens" in error.message
                    else ("verdict" if "verdict" in error.message else "quote")
                )
                await ack(
                    response_action="errors", errors={block: shorten(error.message, ERROR_TEXT)}
                )
                return
            await ack()
            channel = sub.metadata.get("channel")
            if channel:
                try:
                    await client.chat_postEphemeral(
                        channel=channel,
                        user=sub.user_id,
                        text=f"Thanks! Your {take.lens.label} take on *{fit(take.tool_name, 150)}* "
                        f"(#{take.id}) waits for an admin's approval.",
                    )
                except SlackApiError as error:
                    log.info(
                        "could not confirm a take", extra={"error": error.response.get("error")}
                    )

    bolt.view(TAKE)(on_take)

    async def on_edit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        sub = Submission.of(body)
        async with rt.observed("panel_edit_submit", user=sub.user_id, team=sub.team_id):
            actor = await member(rt, client, sub.team_id, sub.user_id)
            try:
                edited = await rt.app.reviews.edit(
                    actor,
                    int(sub.metadata.get("id", "0") or 0),
                    quote=sub.values.get("quote", ""),
                    verdict=sub.values.get("verdict", ""),
                )
            except UserFacingError as error:
                block = "verdict" if "verdict" in error.message else "quote"
                await ack(
                    response_action="errors", errors={block: shorten(error.message, ERROR_TEXT)}
                )
                return
            await ack()
            root, offset = sub.metadata.get("root", ""), int(sub.metadata.get("offset", "0") or 0)
            if root:
                page = await rt.app.reviews.page(actor, offset, PER_PAGE)
                await client.views_update(
                    view_id=root, view=queue_view(page, f"Edited #{edited.id}.").to_dict()
                )

    bolt.view(EDIT)(on_edit)

    async def on_queue_click(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        click = QueueClick.of(body, (body.get("actions") or [{}])[0])
        rt.later(queue_click(rt, client, click))

    for action_id in (APPROVE, REJECT, EDIT_BUTTON, APPROVE_ALL, f"{PAGE}_prev", f"{PAGE}_next"):
        bolt.action(action_id)(on_queue_click)


async def queue_click(rt: SlackRuntime, client: AsyncWebClient, click: QueueClick) -> None:
    async with rt.observed(click.action_id, user=click.user_id, team=click.team_id):
        actor = await member(rt, client, click.team_id, click.user_id)
        queue = rt.app.reviews
        offset, note = click.offset, ""
        try:
            if click.action_id == EDIT_BUTTON:
                draft = await queue.get(actor, int(click.value))
                await client.views_push(
                    trigger_id=click.trigger_id,
                    view=edit_view(draft, click.view_id, click.offset).to_dict(),
                )
                return
            if click.action_id in (APPROVE, REJECT):
                draft_id = int(click.value)
                decide = queue.approve if click.action_id == APPROVE else queue.reject
                decision = await decide(actor, [draft_id])
                verb = "Approved" if click.action_id == APPROVE else "Rejected"
                note = (
                    f"{verb} #{draft_id}."
                    if decision.changed
                    else f"#{draft_id} was already decided."
                )
            elif click.action_id == APPROVE_ALL:
                decision = await queue.approve_all(actor)
                note, offset = f"Approved {len(decision.changed)} drafts.", 0
            else:
                offset = max(0, int(click.value or 0))
            page = await queue.page(actor, offset, PER_PAGE)
            if not page.items and page.total:
                page = await queue.page(actor, max(0, page.total - PER_PAGE), PER_PAGE)
        except (UserFacingError, ValueError) as error:
            note = error.message if isinstance(error, UserFacingError) else "Not a draft id."
            page = QueuePage(items=(), total=0, offset=0)
        await client.views_update(view_id=click.view_id, view=queue_view(page, note).to_dict())
