"""``shipbot tool|review|catalog …``: the catalog, edited by whoever runs the CLI (a local admin)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from adapters.console.names import COMMANDS
from adapters.console.runtime import out, run_with_app
from bot.admin import Actor
from bot.errors import InvalidInput
from data.catalog_files import dump_catalog, read_catalog

if TYPE_CHECKING:  # the app (and SQLAlchemy, the catalog, …) loads when a command runs
    from adapters.bootstrap import App

tool_app = typer.Typer(help="Add, edit, remove and show tools.", no_args_is_help=True)
review_app = typer.Typer(help="Reviewer quotes.", no_args_is_help=True)
catalog_app = typer.Typer(help="Import and export the whole catalog.", no_args_is_help=True)

Name = Annotated[str, typer.Argument(help="The tool's name (forgiving: case, typos, aliases).")]


@tool_app.command("add")
def tool_add(
    name: Annotated[str, typer.Option(help="Official name, e.g. 'GPT-4o'.")],
    category: Annotated[str, typer.Option(help="e.g. 'Developer Tools'.")],
    tagline: Annotated[str, typer.Option(help="One-line pitch.")],
    entry: Annotated[str, typer.Option(help="Free, Freemium, Paid or Open source.")],
    description: Annotated[str, typer.Option(help="A short factual profile.")],
    pricing_note: Annotated[str, typer.Option(help="e.g. 'Pay per token'.")] = "",
    url: Annotated[str, typer.Option(help="Official page.")] = "",
    alias: Annotated[
        list[str] | None, typer.Option(help="What people type; repeat for more.")
    ] = None,
) -> None:
    """Add a tool to the catalog."""
    fields = {
        "name": name,
        "category": category,
        "tagline": tagline,
        "entry": entry,
        "description": description,
        "pricing_note": pricing_note,
        "url": url,
        "aliases": alias or [],
    }

    async def action(shipbot: App) -> None:
        tool = await shipbot.catalog.add_tool(fields, Actor.local())
        out.print(f"Added {tool.name}.", markup=False)

    run_with_app(action)


@tool_app.command("edit")
def tool_edit(
    name: Name,
    new_name: Annotated[str | None, typer.Option("--name", help="Rename the tool.")] = None,
    category: Annotated[str | None, typer.Option(help="New category.")] = None,
    tagline: Annotated[str | None, typer.Option(help="New one-line pitch.")] = None,
    entry: Annotated[str | None, typer.Option(help="Free, Freemium, Paid or Open source.")] = None,
    description: Annotated[str | None, typer.Option(help="New short profile.")] = None,
    pricing_note: Annotated[str | None, typer.Option(help="New pricing note.")] = None,
    url: Annotated[str | None, typer.Option(help="New official page (https://…).")] = None,
) -> None:
    """Change fields of a tool."""
    given = {
        "name": new_name,
        "category": category,
        "tagline": tagline,
        "entry": entry,
        "description": description,
        "pricing_note": pricing_note,
        "url": url,
    }
    changes = {field: value for field, value in given.items() if value is not None}

    async def action(shipbot: App) -> None:
        before = await shipbot.catalog.show(name)
        tool = await shipbot.catalog.edit_tool(before.name, changes, Actor.local())
        out.print(f"Updated {tool.name}: {', '.join(sorted(changes))}.", markup=False)
        if tool.name != before.name:
            out.print(f"'{before.name}' is kept as an alias and still finds it.", markup=False)

    run_with_app(action)


@tool_app.command("remove")
def tool_remove(
    name: Name,
    yes: Annotated[bool, typer.Option("--yes", help="Don't ask for confirmation.")] = False,
) -> None:
    """Archive a tool: out of matching and new cards; its votes and history are kept."""

    async def action(shipbot: App) -> None:
        removal = await shipbot.catalog.removal(name, Actor.local())
        if not yes and not sys.stdin.isatty():
            raise InvalidInput(
                f"Not archiving {removal.tool.name}: there is no terminal to confirm at. "
                "Pass --yes to archive without asking. Nothing changed."
            )
        if not yes and not _confirmed(removal.prompt(COMMANDS)):
            out.print("Nothing changed.")
            return
        removed = await shipbot.catalog.remove_tool(removal.tool.name, Actor.local())
        out.print(
            f"Archived {removed}. `shipbot tool restore {removed}` brings it back.", markup=False
        )

    run_with_app(action)


@tool_app.command("restore")
def tool_restore(
    name: Annotated[str, typer.Argument(help="The archived tool's exact name or alias.")],
) -> None:
    """Bring an archived tool back, with its votes."""

    async def action(shipbot: App) -> None:
        tool = await shipbot.catalog.restore_tool(name, Actor.local())
        out.print(f"Restored {tool.name}.", markup=False)

    run_with_app(action)


@tool_app.command("alias")
def tool_alias(
    name: Name, alias: Annotated[str, typer.Argument(help="Another name people type.")]
) -> None:
    """Add an alias to a tool."""

    async def action(shipbot: App) -> None:
        tool = await shipbot.catalog.add_alias(name, alias, Actor.local())
        out.print(f"'{alias.strip()}' now finds {tool.name}.", markup=False)

    run_with_app(action)


@review_app.command("add")
def review_add(
    name: Name,
    lens: Annotated[str, typer.Option(help="developer, competition, future or buyer.")],
    verdict: Annotated[str, typer.Option(help="ship or skip.")],
    quote: Annotated[str, typer.Option(help="The reviewer's words, verbatim.")],
    reviewer: Annotated[str, typer.Option(help="Who said it.")] = "",
) -> None:
    """Add (or replace) one lens's review of a tool."""
    fields = {"lens": lens, "verdict": verdict, "quote": quote, "reviewer": reviewer}

    async def action(shipbot: App) -> None:
        tool = await shipbot.catalog.put_review(name, fields, Actor.local())
        out.print(
            f"Review saved; {tool.name} now has {len(tool.reviews)} of 4 lenses.", markup=False
        )

    run_with_app(action)


@catalog_app.command("import")
def catalog_import(
    path: Annotated[Path, typer.Argument(help="A .yaml/.yml or .json catalog file.")],
) -> None:
    """Import a catalog file: all entries are validated first; on any error nothing is written."""

    async def action(shipbot: App) -> None:
        added, updated = await shipbot.catalog.import_catalog(read_catalog(path), Actor.local())
        out.print(f"Imported {path.name}: {added} added, {updated} updated.", markup=False)

    run_with_app(action)


@catalog_app.command("export")
def catalog_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="yaml or json.")] = "yaml",
) -> None:
    """Export the whole catalog (profiles, aliases, reviews) as YAML or JSON."""
    if fmt not in ("yaml", "json"):
        raise typer.BadParameter("--format must be yaml or json")

    async def action(shipbot: App) -> None:
        catalog = await shipbot.catalog.export_catalog()
        text = dump_catalog(catalog.model_dump(mode="json"), fmt)
        if output is None:
            print(text, end="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise InvalidInput(f"Can't write {output}: {error.strerror}") from None
        out.print(f"Wrote {len(catalog.tools)} tools to {output}.", markup=False)

    run_with_app(action)


def _confirmed(question: str) -> bool:
    """Ask at the terminal; no answer (end of input) is a no."""
    try:
        return typer.confirm(question, default=False)
    except typer.Abort:
        return False
