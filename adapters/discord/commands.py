"""The slash commands: ``/compare`` with its autocomplete, the ``/tool`` group, the community
commands (``community_commands``), error replies."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import Choice

from adapters.discord.admin_commands import LENS_CHOICES, ToolGroup
from adapters.discord.browse import add_browse_commands
from adapters.discord.community_commands import add_community_commands
from adapters.discord.compare import matchup_choices, run_compare, within_deadline
from adapters.discord.context import (
    ADMIN_ONLY,
    GUILD_ONLY,
    SOMETHING_WRONG,
    DiscordContext,
    Interaction,
)
from adapters.discord.help import add_help_command
from adapters.discord.names import COMMANDS
from adapters.discord.panel import add_review_command
from bot.errors import UserFacingError
from bot.models import Lens

log = logging.getLogger(__name__)


class ShipbotTree(app_commands.CommandTree[discord.Client]):
    """A tree whose failures always reach the person: a failed check sends nothing by itself."""

    async def on_error(
        self, interaction: Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        original = getattr(error, "original", error)
        if isinstance(error, app_commands.NoPrivateMessage):
            text = GUILD_ONLY
        elif isinstance(error, app_commands.CheckFailure):
            text = ADMIN_ONLY
        elif isinstance(original, UserFacingError):
            text = original.told(COMMANDS)
        elif isinstance(error, app_commands.TransformerError):
            text = f"That value isn't valid for `{error.transformer.type.name}`: {error.value!r}."
        else:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "slash command failed",
                exc_info=original,
                extra={"command": command, "guild_id": str(interaction.guild_id)},
            )
            text = SOMETHING_WRONG
        ctx: DiscordContext | None = getattr(self.client, "ctx", None)
        if ctx is not None:
            await ctx.send_safely(interaction, text)


def build_tree(client: discord.Client, ctx: DiscordContext) -> ShipbotTree:
    tree = ShipbotTree(client)

    @tree.command(name="compare", description="Which AI tool should you ship with? A vs B")
    @app_commands.describe(
        matchup="Two tools, e.g. SmolLM3 vs Mistral Medium 3",
        lens="Only one reviewer's point of view",
    )
    @app_commands.choices(lens=LENS_CHOICES)
    @app_commands.guild_only()
    async def compare(
        interaction: Interaction, matchup: str, lens: Choice[str] | None = None
    ) -> None:
        async with ctx.guard(interaction, "compare"):
            await run_compare(ctx, interaction, matchup, Lens(lens.value) if lens else None)

    @compare.autocomplete("matchup")
    async def complete_matchup(interaction: Interaction, current: str) -> list[Choice[str]]:
        return await within_deadline(ctx, interaction, matchup_choices(ctx, current), "matchup")

    tree.add_command(ToolGroup(ctx))
    add_review_command(tree, ctx)
    add_community_commands(tree, ctx)
    add_help_command(tree, ctx)
    add_browse_commands(tree, ctx)
    return tree
