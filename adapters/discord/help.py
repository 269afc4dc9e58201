"""``/help``: what shipbot does and the commands this member may use (``bot.help``), as one
ephemeral embed; :func:`help_embed` renders any ``bot.help.Help`` (the welcome too)."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.context import DiscordContext, Interaction
from adapters.discord.markdown import fit
from adapters.discord.names import COMMANDS
from adapters.discord.render import COLOUR, DESCRIPTION, FIELD_NAME, FIELD_VALUE, TITLE
from bot.help import Help, help_for


def help_embed(help: Help) -> discord.Embed:
    """One embed: the intro as its description, a field per section, the web link last.
    Everything is ours; code spans render as code."""
    embed = discord.Embed(
        title=fit(help.title, TITLE, code=True),
        description=fit(help.intro, DESCRIPTION, code=True),
        colour=COLOUR,
    )
    for section in help.sections:
        lines = "\n".join(f"`{line.usage}` — {line.what}" for line in section.lines)
        embed.add_field(
            name=fit(section.title, FIELD_NAME),
            value=fit(lines, FIELD_VALUE, code=True),
            inline=False,
        )
    if help.web:
        embed.add_field(name="On the web", value=help.web, inline=False)
    return embed


def add_help_command(tree: app_commands.CommandTree[discord.Client], ctx: DiscordContext) -> None:
    @tree.command(name="help", description="What shipbot does and the commands you may use")
    async def help_command(interaction: Interaction) -> None:
        async with ctx.guard(interaction, "help"):
            shown = help_for(
                COMMANDS,
                admin=ctx.is_admin(interaction),
                catalog_admin=ctx.is_catalog_admin(interaction),
                public_url=ctx.settings.public_url,
            )
            await ctx.send(interaction, embeds=[help_embed(shown)], ephemeral=True)
