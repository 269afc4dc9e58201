"""``shipbot tool show|list|suggestions``: reading the catalog (tables, or ``--json``); the
commands are added to ``tool`` by ``adapters.console.cli``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from adapters.console import shapes
from adapters.console.catalog_commands import Name
from adapters.console.facts_render import facts_tables
from adapters.console.render import verdict_mark
from adapters.console.runtime import out, run_with_app
from bot.admin import Actor
from bot.models import Tool

if TYPE_CHECKING:  # the app (and SQLAlchemy, the catalog, …) loads when a command runs
    from adapters.bootstrap import App

JsonOption = Annotated[bool, typer.Option("--json", help="Print it as JSON (see README).")]


def tool_show(
    name: Name,
    facts: Annotated[
        bool, typer.Option("--facts", help="Also list every fact and offering with its source.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Show one tool's profile, aliases and reviews (and, with --facts, its sourced facts)."""
    if facts and as_json:
        raise typer.BadParameter("--facts has no JSON form yet; use one or the other")

    async def action(shipbot: App) -> None:
        if as_json:
            shapes.print_json(shapes.tool_profile(await shipbot.catalog.show(name)))
        elif not facts:
            out.print(_tool_table(await shipbot.catalog.show(name)))
        else:
            tool, held = await shipbot.catalog.facts(name)
            out.print(_tool_table(tool))
            for table in facts_tables(held):
                out.print(table)

    run_with_app(action)


def tool_list(
    category: Annotated[
        str | None,
        typer.Option(
            help="Only these categories: a word is enough (coding: Coding Assistants), "
            "a word several start lists them all."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the catalog."""

    async def action(shipbot: App) -> None:
        tools = await shipbot.catalog.list(category)
        if as_json:
            shapes.print_json([shapes.tool_row(tool) for tool in tools])
            return
        table = Table("Name", "Category", "Entry", "Panel")
        for tool in tools:
            panel = shapes.panel(tool)
            shown = f"{panel['ships']}/{panel['reviews']}" if tool.reviews else "—"
            table.add_row(Text(tool.name), Text(tool.category), tool.entry.value, shown)
        out.print(table)

    run_with_app(action)


def tool_suggestions() -> None:
    """Tools community admins suggested, newest first."""

    async def action(shipbot: App) -> None:
        table = Table("#", "Name", "Community", "By", "When", "Note")
        for s in await shipbot.catalog.suggestions(Actor.local()):
            where = f"{s.community.platform}:{s.community.id}"
            when = s.created_at.strftime("%Y-%m-%d %H:%M")
            table.add_row(str(s.id), Text(s.name), where, Text(s.created_by), when, Text(s.note))
        out.print(table)

    run_with_app(action)


def _tool_table(tool: Tool) -> Table:
    table = Table(show_header=False, title=Text(tool.name, style="bold"))
    table.add_column(style="dim")
    table.add_column()
    for label, value in (
        ("Category", tool.category),
        ("Tagline", tool.tagline),
        ("Entry", tool.entry.value),
        ("Pricing", tool.pricing_note or "—"),
        ("Profile", tool.description),
        ("Link", tool.url or "—"),
        ("Aliases", ", ".join(tool.aliases) or "—"),
    ):
        table.add_row(label, Text(value))
    for review in tool.reviews:
        table.add_row(review.lens.label, Text(f"{verdict_mark(review.verdict)} “{review.quote}”"))
    if not tool.reviews:
        table.add_row("Panel", "no panel yet")
    return table
