"""Browse the catalog: ``/tools [category] [query]`` (ephemeral, paged with Prev / Next),
``/tool info NAME`` and ``/alternatives NAME``, each with "Compare with …" buttons.

Buttons carry what the next page needs in their ``custom_id`` (at most 100 characters):

- ``tools:<page>:<category>|<query>`` — a page of ``/tools`` (the query is cut to fit)
- "Compare with …" are ``PickButton`` s (``pick:<tool>:<other>:``): a click posts the card as
  ``/compare`` does (``adapters.discord.compare.run_pick``).
"""

from __future__ import annotations

import re
from typing import Any, Self

import discord
from discord import app_commands
from discord.app_commands import Choice

from adapters.discord.browse_render import alternatives_embed, catalog_embed, info_embed
from adapters.discord.community_commands import Categories
from adapters.discord.compare import name_choices, within_deadline
from adapters.discord.context import DiscordContext, Interaction
from adapters.discord.render import button_label
from adapters.discord.views import PickButton
from bot.alternatives import Alternative
from bot.browse import CatalogPage

Button = discord.ui.Button[discord.ui.View]
CUSTOM_ID = 100
COMPARE_BUTTONS = 3


class PageButton(discord.ui.DynamicItem[Button], template=r"tools:(?P<page>\d+):(?P<rest>.*)"):
    """Prev / Next under a ``/tools`` page: edits that ephemeral message in place."""

    def __init__(
        self, page: int, category: str, query: str, label: str = "Next", disabled: bool = False
    ) -> None:
        custom_id = f"tools:{page}:{category.replace('|', ' ')}|{query}"[:CUSTOM_ID]
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id,
                disabled=disabled,
            )
        )
        self.page, self.category, self.query = page, category, query

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        category, _, query = match["rest"].partition("|")
        return cls(int(match["page"]), category, query)

    async def callback(self, interaction: Interaction) -> None:
        ctx: DiscordContext = getattr(interaction.client, "ctx")  # noqa: B009
        async with ctx.guard(interaction, "tools_page"):
            page = await ctx.app.browse.tools(self.category, self.query, self.page)
            await interaction.response.edit_message(embed=catalog_embed(page), view=page_view(page))


BROWSE_ITEMS = (PageButton,)


def page_view(page: CatalogPage) -> discord.ui.View | None:
    """Prev / Next, or no buttons when everything fits on one page."""
    if page.pages <= 1:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(
        PageButton(max(page.page - 1, 0), page.category, page.query, "◀ Prev", not page.has_prev)
    )
    view.add_item(PageButton(page.page + 1, page.category, page.query, "Next ▶", not page.has_next))
    return view


def compare_view(
    tool_id: int, alternatives: tuple[Alternative, ...], limit: int = COMPARE_BUTTONS
) -> discord.ui.View | None:
    """One "Compare with …" button per alternative (at most ``limit``)."""
    if not alternatives:
        return None
    view = discord.ui.View(timeout=None)
    for alt in alternatives[:limit]:
        view.add_item(
            PickButton(tool_id, alt.tool_id, None, button_label(f"Compare with {alt.name}"))
        )
    return view


def add_browse_commands(
    tree: app_commands.CommandTree[discord.Client], ctx: DiscordContext
) -> None:
    """``/tools`` and ``/alternatives`` (``/tool info`` lives in the ``/tool`` group)."""
    categories = Categories(ctx)

    @tree.command(name="tools", description="Browse the tool catalog (only you see it)")
    @app_commands.describe(
        category="Only this category (a word is enough: coding)",
        query="Only tools whose name or tagline has these words",
    )
    @app_commands.guild_only()
    async def tools(
        interaction: Interaction, category: str | None = None, query: str | None = None
    ) -> None:
        async with ctx.guard(interaction, "tools"):
            page = await ctx.app.browse.tools(category or "", query or "", 0)
            view = page_view(page)
            await ctx.send(interaction, embeds=[catalog_embed(page)], view=view)

    @tools.autocomplete("category")
    async def complete_category(interaction: Interaction, current: str) -> list[Choice[str]]:
        return await within_deadline(ctx, interaction, categories.complete(current), "category")

    @tree.command(name="alternatives", description="The closest alternatives to a tool")
    @app_commands.describe(name="The tool")
    @app_commands.guild_only()
    async def alternatives(interaction: Interaction, name: str) -> None:
        async with ctx.guard(interaction, "alternatives"):
            found = await ctx.app.browse.alternatives(name)
            for alt in found.alternatives:
                ctx.remember(alt.tool_id, alt.name)
            ctx.remember(found.tool_id, found.name)
            view = compare_view(found.tool_id, found.alternatives)
            await ctx.send(interaction, embeds=[alternatives_embed(found)], view=view)

    @alternatives.autocomplete("name")
    async def complete_name(interaction: Interaction, current: str) -> list[Choice[str]]:
        return await within_deadline(ctx, interaction, name_choices(ctx, current), "tool name")


async def tool_info(ctx: DiscordContext, interaction: Interaction, name: str) -> None:
    """``/tool info NAME``: the profile, facts and "Compare with …" buttons, only to the asker."""
    async with ctx.guard(interaction, "tool_info"):
        info = await ctx.app.browse.info(name)
        ctx.remember(info.side.tool_id, info.side.name)
        for alt in info.alternatives:
            ctx.remember(alt.tool_id, alt.name)
        view = compare_view(info.side.tool_id, info.alternatives)
        await ctx.send(interaction, embeds=[info_embed(info)], view=view)
