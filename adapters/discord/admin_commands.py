"""``/tool`` — the shared catalog: add (a modal), edit, remove (archive, confirmed), alias,
review, ``suggest``, and ``info`` (anyone: ``adapters.discord.browse``).

The catalog is one for every server, so only shipbot's catalog admins (``SHIPBOT_CATALOG_ADMINS``,
``discord:USER_ID``) change it; a server's admins (Manage Server, or a role named in
``SHIPBOT_DISCORD_ADMIN_ROLES``) may ``/tool suggest`` a tool. The group is ``guild_only`` with
``default_permissions`` (Manage Server), which only hides it in Discord's UI, so the group's
``interaction_check`` checks again at run time, and the core refuses any write from an ``Actor``
without the right as well. Every action is logged with who did it.
"""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.app_commands import Choice

from adapters.discord.browse import tool_info
from adapters.discord.compare import name_choices, within_deadline
from adapters.discord.context import DiscordContext, Interaction
from adapters.discord.markdown import escape, with_code
from adapters.discord.names import COMMANDS
from adapters.discord.views import remove_view
from bot.admin import EDITABLE
from bot.models import Entry, Lens, Verdict

log = logging.getLogger(__name__)

ENTRY_CHOICES = [Choice(name=entry.value, value=entry.value) for entry in Entry]
LENS_CHOICES = [Choice(name=lens.label, value=lens.value) for lens in Lens]
VERDICT_CHOICES = [Choice(name=v.value, value=v.value) for v in Verdict]
FIELD_CHOICES = [Choice(name=field.replace("_", " "), value=field) for field in EDITABLE]


class ToolAddModal(discord.ui.Modal):
    """Five fields (Discord's maximum); the entry tier was picked on the command."""

    name: discord.ui.TextInput[ToolAddModal] = discord.ui.TextInput(
        label="Name", custom_id="name", max_length=100
    )
    category: discord.ui.TextInput[ToolAddModal] = discord.ui.TextInput(
        label="Category", custom_id="category", max_length=60, placeholder="Developer Tools"
    )
    tagline: discord.ui.TextInput[ToolAddModal] = discord.ui.TextInput(
        label="Tagline", custom_id="tagline", max_length=200
    )
    description: discord.ui.TextInput[ToolAddModal] = discord.ui.TextInput(
        label="Description",
        custom_id="description",
        style=discord.TextStyle.paragraph,
        max_length=2000,
    )
    aliases: discord.ui.TextInput[ToolAddModal] = discord.ui.TextInput(
        label="Aliases (comma or line separated)",
        custom_id="aliases",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=1000,
    )

    def __init__(self, ctx: DiscordContext, entry: str, custom_id: str) -> None:
        super().__init__(title=f"Add a tool ({entry})", custom_id=custom_id, timeout=900)
        self.ctx = ctx
        self.entry = entry

    async def on_submit(self, interaction: Interaction) -> None:
        async with self.ctx.guard(interaction, "tool_add"):
            aliases = [a.strip() for a in re.split(r"[,\n]", self.aliases.value) if a.strip()]
            fields = {
                "name": self.name.value,
                "category": self.category.value,
                "tagline": self.tagline.value,
                "entry": self.entry,
                "description": self.description.value,
                "aliases": aliases,
            }
            tool = await self.ctx.catalog.add_tool(fields, self.ctx.actor(interaction))
            self.ctx.log_admin(interaction, "tool add", tool=tool.name)
            await self.ctx.send(
                interaction,
                f"Added **{escape(tool.name)}** ({escape(tool.category)}, {tool.entry.value}). "
                "It is in `/compare` and its autocomplete now.",
            )


class ToolGroup(
    app_commands.Group,
    name="tool",
    description="Change the tool catalog (admins)",
    guild_only=True,
    default_permissions=discord.Permissions(manage_guild=True),
):
    def __init__(self, ctx: DiscordContext) -> None:
        super().__init__()
        self.ctx = ctx

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        """The run-time check behind ``default_permissions``; a refusal is answered by the
        tree's error handler (``CheckFailure``) and nothing is written."""
        if interaction.type is discord.InteractionType.autocomplete:
            return True
        name = interaction.command.name if interaction.command else ""
        allowed = (
            name == "info"
            or self.ctx.is_catalog_admin(interaction)
            or (name == "suggest" and self.ctx.is_admin(interaction))
        )
        if not allowed:
            command = interaction.command.qualified_name if interaction.command else "tool"
            self.ctx.log_admin(interaction, f"{command} refused")
            action = command.replace(" ", "_")
            async with self.ctx.observe(action, interaction.user.id, interaction.guild_id) as seen:
                seen.outcome = "refused"
        return allowed

    @app_commands.command(name="info", description="A tool's profile and facts (only you see it)")
    @app_commands.describe(name="The tool")
    async def info(self, interaction: Interaction, name: str) -> None:
        await tool_info(self.ctx, interaction, name)

    @app_commands.command(name="add", description="Add a tool (opens a form)")
    @app_commands.describe(entry="How much it costs to start using it")
    @app_commands.choices(entry=ENTRY_CHOICES)
    async def add(self, interaction: Interaction, entry: Choice[str]) -> None:
        async with self.ctx.guard(interaction, "tool_add_form"):
            modal = ToolAddModal(self.ctx, entry.value, custom_id=f"tool-add:{interaction.id}")
            await interaction.response.send_modal(modal)

    @app_commands.command(name="edit", description="Change one field of a tool")
    @app_commands.describe(name="The tool", field="What to change", value="The new value")
    @app_commands.choices(field=FIELD_CHOICES)
    async def edit(
        self, interaction: Interaction, name: str, field: Choice[str], value: str
    ) -> None:
        async with self.ctx.guard(interaction, "tool_edit"):
            actor = self.ctx.actor(interaction)
            before = await self.ctx.catalog.show(name)
            tool = await self.ctx.catalog.edit_tool(before.name, {field.value: value}, actor)
            self.ctx.log_admin(interaction, "tool edit", tool=tool.name, field=field.value)
            text = f"Updated the {field.name} of **{escape(tool.name)}**."
            if tool.name != before.name:
                text = (
                    f"Renamed **{escape(before.name)}** to **{escape(tool.name)}**; "
                    f"**{escape(before.name)}** still finds it."
                )
            await self.ctx.send(interaction, text)

    @app_commands.command(name="remove", description="Remove a tool (asks to confirm)")
    @app_commands.describe(name="The tool to remove")
    async def remove(self, interaction: Interaction, name: str) -> None:
        async with self.ctx.guard(interaction, "tool_remove"):
            removal = await self.ctx.catalog.removal(name, self.ctx.actor(interaction))
            tool = removal.tool
            self.ctx.remember(tool.id, tool.name)
            await self.ctx.send(
                interaction,
                with_code(removal.prompt(COMMANDS)),
                view=remove_view(tool.id, tool.name),
            )

    @app_commands.command(name="suggest", description="Suggest a tool for the catalog admins")
    @app_commands.describe(name="The tool's name", note="Why it belongs (optional)")
    async def suggest(self, interaction: Interaction, name: str, note: str | None = None) -> None:
        async with self.ctx.guard(interaction, "tool_suggest"):
            made = await self.ctx.catalog.suggest_tool(
                self.ctx.community(interaction), name, note or "", self.ctx.actor(interaction)
            )
            self.ctx.log_admin(interaction, "tool suggest", tool=made.name)
            await self.ctx.send(
                interaction,
                f"Thanks: **{escape(made.name)}** is suggested to shipbot's catalog admins. "
                "Nothing in the catalog changed yet.",
            )

    @app_commands.command(name="alias", description="Add another name people type for a tool")
    @app_commands.describe(name="The tool", alias="The other name")
    async def alias(self, interaction: Interaction, name: str, alias: str) -> None:
        async with self.ctx.guard(interaction, "tool_alias"):
            tool = await self.ctx.catalog.add_alias(name, alias, self.ctx.actor(interaction))
            self.ctx.log_admin(interaction, "tool alias", tool=tool.name, alias=alias)
            await self.ctx.send(
                interaction, f"**{escape(alias)}** now finds **{escape(tool.name)}**."
            )

    @app_commands.command(name="review", description="Add or replace one lens's review")
    @app_commands.describe(
        name="The tool",
        lens="Whose point of view",
        verdict="Ship or skip",
        quote="The review (10 to 4,000 characters)",
        reviewer="Who wrote it (optional)",
    )
    @app_commands.choices(lens=LENS_CHOICES, verdict=VERDICT_CHOICES)
    async def review(
        self,
        interaction: Interaction,
        name: str,
        lens: Choice[str],
        verdict: Choice[str],
        quote: str,
        reviewer: str | None = None,
    ) -> None:
        async with self.ctx.guard(interaction, "tool_review"):
            fields = {
                "lens": lens.value,
                "verdict": verdict.value,
                "quote": quote,
                "reviewer": reviewer or "",
            }
            tool = await self.ctx.catalog.put_review(name, fields, self.ctx.actor(interaction))
            self.ctx.log_admin(interaction, "tool review", tool=tool.name, lens=lens.value)
            await self.ctx.send(
                interaction,
                f"Saved the {lens.name} review of **{escape(tool.name)}** ({verdict.value}).",
            )

    @info.autocomplete("name")
    @edit.autocomplete("name")
    @remove.autocomplete("name")
    @alias.autocomplete("name")
    @review.autocomplete("name")
    async def _names(self, interaction: Interaction, current: str) -> list[Choice[str]]:
        return await within_deadline(
            self.ctx, interaction, name_choices(self.ctx, current), "tool name"
        )
