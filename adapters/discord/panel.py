"""The panel on Discord: ``/review`` (a member's take), ``/panel queue`` (a paged ephemeral view
of the approval queue with Approve / Reject / Edit / Approve all, and an edit modal), ``/panel
draft`` and the card's **Draft panel** button for admins.

Queue buttons carry the draft id and the page offset in their ``custom_id``
(``panelq:<action>:<draft>:<offset>``), so they keep working after a restart; each click
answers by editing the ephemeral queue message in place with the page that follows.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Self

import discord
from discord import app_commands
from discord.app_commands import Choice

from adapters.discord.compare import name_choices, within_deadline
from adapters.discord.context import ADMINS_ONLY, DiscordContext, Interaction
from adapters.discord.markdown import escape, fit
from adapters.discord.render import COLOUR, DESCRIPTION, FIELD_VALUE, verdict_mark
from adapters.discord.replies import in_time
from bot.admin import Actor
from bot.models import Lens, Verdict
from bot.panel.drafting import tools_to_draft
from bot.panel.models import QueuedReview, QueuePage
from bot.panel.rules import QUOTE_MAX, QUOTE_MIN

log = logging.getLogger(__name__)

Button = discord.ui.Button[discord.ui.View]
LENS_CHOICES = [Choice(name=lens.label, value=lens.value) for lens in Lens]
VERDICT_CHOICES = [Choice(name=v.value, value=v.value) for v in Verdict]
EMPTY_QUEUE = "The review queue is empty: nothing waits for approval."


def person(ctx: DiscordContext, interaction: Interaction) -> Actor:
    """The member as the core sees them, credited by their display name."""
    user = interaction.user
    return Actor(str(user.id), user.display_name, ctx.is_admin(interaction))


def admin(ctx: DiscordContext, interaction: Interaction, what: str) -> Actor:
    actor = person(ctx, interaction)
    if not actor.is_admin:
        ctx.log_admin(interaction, f"{what} refused")
        from bot.errors import PermissionDenied

        raise PermissionDenied(ADMINS_ONLY.format(what=what))
    return actor


# -- the queue page ----------------------------------------------------------------------


def queue_embed(page: QueuePage, note: str = "") -> discord.Embed:
    """One draft (the page's first) with its source, receipts and flags, within Discord's limits."""
    if not page.items:
        return discord.Embed(title="Review queue", description=note or EMPTY_QUEUE, colour=COLOUR)
    item = page.items[0]
    head = f"{note}\n\n" if note else ""
    quote = fit(item.quote, DESCRIPTION - 600)
    embed = discord.Embed(
        title=fit(f"#{item.id} · {item.tool_name} · {item.lens.label}", 256, escaped=False),
        description=f"{head}{verdict_mark(item.verdict)} — “{quote}”",
        colour=COLOUR,
    )
    embed.add_field(name="Source", value=fit(item.source, 200), inline=True)
    embed.add_field(name="Waiting", value=f"{page.offset + 1} of {page.total}", inline=True)
    if item.flags:
        embed.add_field(name="⚠ Flags", value=fit("; ".join(item.flags), FIELD_VALUE), inline=False)
    if item.receipt:
        r = item.receipt
        facts = "\n".join(f"• {fit(f, 300)}" for f in r.facts[:4])
        receipt = (
            f"{fit(r.provider, 100)} · {fit(r.model, 100)} · prompt {fit(r.prompt_version, 40)}"
            f" · {r.usage.prompt_tokens}+{r.usage.completion_tokens} tokens\n{facts}"
        )
        embed.add_field(
            name="Receipts", value=fit(receipt, FIELD_VALUE, escaped=False), inline=False
        )
    return embed


def queue_view(page: QueuePage) -> discord.ui.View | None:
    if not page.items:
        return None
    item, offset = page.items[0], page.offset
    view = discord.ui.View(timeout=None)
    view.add_item(QueueButton("approve", item.id, offset))
    view.add_item(QueueButton("reject", item.id, offset))
    view.add_item(QueueButton("edit", item.id, offset))
    view.add_item(QueueButton("prev", item.id, offset, disabled=offset == 0))
    view.add_item(QueueButton("next", item.id, offset, disabled=offset + 1 >= page.total))
    view.add_item(QueueButton("all", 0, 0))
    return view


_BUTTONS: dict[str, tuple[str, discord.ButtonStyle]] = {
    "approve": ("Approve", discord.ButtonStyle.success),
    "reject": ("Reject", discord.ButtonStyle.danger),
    "edit": ("Edit", discord.ButtonStyle.secondary),
    "prev": ("◀ Previous", discord.ButtonStyle.secondary),
    "next": ("Next ▶", discord.ButtonStyle.secondary),
    "all": ("Approve all", discord.ButtonStyle.primary),
}


class QueueButton(
    discord.ui.DynamicItem[Button],
    template=r"panelq:(?P<action>approve|reject|edit|prev|next|all):(?P<id>\d+):(?P<offset>\d+)",
):
    def __init__(self, action: str, draft_id: int, offset: int, disabled: bool = False) -> None:
        label, style = _BUTTONS[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                disabled=disabled,
                custom_id=f"panelq:{action}:{draft_id}:{offset}",
                row=1 if action == "all" else 0,
            )
        )
        self.action, self.draft_id, self.offset = action, draft_id, offset

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["action"], int(match["id"]), int(match["offset"]))

    async def callback(self, interaction: Interaction) -> None:
        ctx: DiscordContext = interaction.client.ctx  # type: ignore[attr-defined]
        await click_queue(ctx, interaction, self.action, self.draft_id, self.offset)


async def click_queue(
    ctx: DiscordContext, interaction: Interaction, action: str, draft_id: int, offset: int
) -> None:
    async with ctx.guard(interaction, f"panel_queue_{action}"):
        actor = admin(ctx, interaction, "work the review queue")
        queue = ctx.app.reviews
        note = ""
        if action == "edit":
            draft = await queue.get(actor, draft_id)
            await interaction.response.send_modal(EditModal(ctx, draft, offset))
            return
        if action in ("approve", "reject"):
            decide = queue.approve if action == "approve" else queue.reject
            decision = await decide(actor, [draft_id])
            done = "Approved" if action == "approve" else "Rejected"
            note = (
                f"{done} #{draft_id}." if decision.changed else f"#{draft_id} was already decided."
            )
            ctx.log_admin(interaction, f"panel {action}", draft=str(draft_id))
        elif action == "all":
            decision = await queue.approve_all(actor)
            note = f"Approved {len(decision.changed)} drafts."
            ctx.log_admin(interaction, "panel approve all", count=str(len(decision.changed)))
            offset = 0
        elif action == "next":
            offset += 1
        elif action == "prev":
            offset = max(0, offset - 1)
        page = await queue.page(actor, offset, 1)
        if not page.items and page.total:  # past the end after a decision: show the last one
            page = await queue.page(actor, page.total - 1, 1)
        await interaction.response.edit_message(
            content=None, embed=queue_embed(page, note), view=queue_view(page)
        )


class EditModal(discord.ui.Modal):
    """Change a draft's words and verdict before approving it."""

    def __init__(self, ctx: DiscordContext, draft: QueuedReview, offset: int) -> None:
        super().__init__(title=fit(f"Edit draft #{draft.id}", 45, escaped=False), timeout=900)
        self.ctx, self.draft_id, self.offset = ctx, draft.id, offset
        self.quote: discord.ui.TextInput[EditModal] = discord.ui.TextInput(
            label="Quote",
            custom_id="quote",
            style=discord.TextStyle.paragraph,
            default=draft.quote[:QUOTE_MAX],
            min_length=QUOTE_MIN,
            max_length=QUOTE_MAX,
        )
        self.verdict: discord.ui.TextInput[EditModal] = discord.ui.TextInput(
            label="Verdict (ship or skip)",
            custom_id="verdict",
            default=draft.verdict.value,
            max_length=4,
        )
        self.add_item(self.quote)
        self.add_item(self.verdict)

    async def on_submit(self, interaction: Interaction) -> None:
        async with self.ctx.guard(interaction, "panel_queue_edit"):
            actor = admin(self.ctx, interaction, "edit drafts")
            edited = await self.ctx.app.reviews.edit(
                actor, self.draft_id, quote=self.quote.value, verdict=self.verdict.value
            )
            self.ctx.log_admin(interaction, "panel edit", draft=str(edited.id))
            page = QueuePage(items=(edited,), total=max(1, self.offset + 1), offset=self.offset)
            full = await self.ctx.app.reviews.page(actor, self.offset, 1)
            if full.items and full.items[0].id == edited.id:
                page = full
            await self.ctx.send(
                interaction,
                embeds=[queue_embed(page, f"Edited #{edited.id}.")],
                view=queue_view(page),
            )


# -- commands ----------------------------------------------------------------------------


class PanelGroup(
    app_commands.Group,
    name="panel",
    description="Reviewer panels: the approval queue and drafting (admins)",
    guild_only=True,
    default_permissions=discord.Permissions(manage_guild=True),
):
    def __init__(self, ctx: DiscordContext) -> None:
        super().__init__()
        self.ctx = ctx

    @app_commands.command(name="queue", description="Approve, edit or reject drafted reviews")
    async def queue(self, interaction: Interaction) -> None:
        async with self.ctx.guard(interaction, "panel_queue"):
            actor = admin(self.ctx, interaction, "work the review queue")
            page = await self.ctx.app.reviews.page(actor, 0, 1)
            view = queue_view(page)
            if view is None:
                await self.ctx.send(interaction, embeds=[queue_embed(page)])
            else:
                await self.ctx.send(interaction, embeds=[queue_embed(page)], view=view)

    @app_commands.command(name="draft", description="Ask the chat model for a tool's panel")
    @app_commands.describe(name="The tool")
    async def draft(self, interaction: Interaction, name: str) -> None:
        async with self.ctx.guard(interaction, "panel_draft"):
            admin(self.ctx, interaction, "draft panels")
            text = await draft_for(self.ctx, interaction, [name])
            await self.ctx.send(interaction, text)

    @draft.autocomplete("name")
    async def _names(self, interaction: Interaction, current: str) -> list[Choice[str]]:
        return await within_deadline(
            self.ctx, interaction, name_choices(self.ctx, current), "tool name"
        )


async def draft_for(ctx: DiscordContext, interaction: Interaction, names: list[str]) -> str:
    """Draft the named tools' missing lenses (deferring: a model takes seconds); the summary."""
    drafter = ctx.app.panel

    async def work() -> str:
        jobs = [await drafter.job_for(name) for name in names]
        summary = await drafter.run(jobs)
        return fit(summary.text(), 1800) + "\nApprove them with `/panel queue`."

    text, _ = await in_time(interaction, work(), ephemeral=True)
    return text


def add_review_command(tree: app_commands.CommandTree[discord.Client], ctx: DiscordContext) -> None:
    @tree.command(name="review", description="Submit your take on a tool for one lens")
    @app_commands.describe(
        tool="The tool",
        lens="Whose point of view",
        verdict="Ship or skip",
        quote=f"Your take: one paragraph, {QUOTE_MIN} to {QUOTE_MAX} characters",
    )
    @app_commands.choices(lens=LENS_CHOICES, verdict=VERDICT_CHOICES)
    @app_commands.guild_only()
    async def review(
        interaction: Interaction,
        tool: str,
        lens: Choice[str],
        verdict: Choice[str],
        quote: app_commands.Range[str, 1, QUOTE_MAX],
    ) -> None:
        async with ctx.guard(interaction, "review_submit"):
            take = await ctx.app.reviews.submit_take(
                person(ctx, interaction), tool, lens.value, verdict.value, quote
            )
            await ctx.send(
                interaction,
                f"Thanks! Your {escape(take.lens.label)} take on **{escape(take.tool_name)}** "
                f"(#{take.id}) waits for an admin's approval.",
            )

    @review.autocomplete("tool")
    async def _tools(interaction: Interaction, current: str) -> list[Choice[str]]:
        return await within_deadline(ctx, interaction, name_choices(ctx, current), "tool name")

    tree.add_command(PanelGroup(ctx))


# -- the card's Draft panel button (``views.DraftPanelButton`` routes here) ---------------


async def draft_from_card(ctx: DiscordContext, interaction: Interaction, card_id: int) -> None:
    async with ctx.guard(interaction, "panel_draft_button"):
        admin(ctx, interaction, "draft panels")
        names = tools_to_draft(await ctx.service.render_posted(card_id))
        await ctx.send(interaction, await draft_for(ctx, interaction, names))


PANEL_ITEMS = (QueueButton,)
