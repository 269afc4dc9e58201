"""``shipbot leaderboard``, ``shipbot export votes`` and ``shipbot digest``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from adapters.charts import leaderboard_png
from adapters.console import shapes
from adapters.console.runtime import out, run_with_app
from adapters.exports import votes_csv
from bot.admin import Actor
from bot.community import Leaderboard
from bot.digest import digest_lines
from bot.errors import InvalidInput

if TYPE_CHECKING:  # the app (and SQLAlchemy, the catalog, …) loads when a command runs
    from adapters.bootstrap import App

export_app = typer.Typer(help="Export data.", no_args_is_help=True)


def write_bytes(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise InvalidInput(f"Can't write {path}: {error.strerror}") from None


def leaderboard(
    category: Annotated[str | None, typer.Option(help="Only tools of this category.")] = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also write a PNG chart here.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the leaderboard as JSON (see README).")
    ] = False,
) -> None:
    """Rank tools by the community's head-to-head votes (Bradley–Terry, with 95% intervals)."""

    async def action(shipbot: App) -> None:
        board = await shipbot.community.leaderboard(category)
        if as_json:
            shapes.print_json(shapes.leaderboard(board))
        else:
            out.print(leaderboard_table(board))
        if chart:
            write_bytes(chart, leaderboard_png(board))
            if not as_json:
                out.print(f"Chart written to {chart}.", markup=False)

    run_with_app(action)


def leaderboard_table(board: Leaderboard) -> Table | Text:
    if not board.rows:
        return Text("No votes yet: vote on a comparison to start the leaderboard.")
    table = Table(
        "#",
        "Tool",
        "Rating",
        "95% interval",
        "n",
        "Panel",
        title=f"Leaderboard ({board.votes} votes)",
    )
    for row in board.rows:
        name = Text(row.name)
        if row.provisional:
            name.append(" (provisional)", style="dim")
        table.add_row(
            str(row.rank), name, str(row.rating), f"{row.low}–{row.high}", str(row.n), row.panel
        )
    return table


@export_app.command("votes")
def export_votes(
    csv_path: Annotated[
        Path, typer.Option("--csv", help="Write the votes to this CSV file (- for stdout).")
    ],
    raw_ids: Annotated[
        bool, typer.Option("--raw-ids", help="Raw user ids instead of salted hashes.")
    ] = False,
) -> None:
    """One row per vote: pair, choice, community, time and a salted hash of the user id."""

    async def action(shipbot: App) -> None:
        rows = await shipbot.community.export_votes(Actor.local(), raw_ids=raw_ids)
        if str(csv_path) == "-":
            sys.stdout.write(votes_csv(rows))
            return
        write_bytes(csv_path, votes_csv(rows).encode("utf-8"))
        out.print(f"Wrote {len(rows)} votes to {csv_path}.", markup=False)

    run_with_app(action)


def digest(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the digest as JSON (see README).")
    ] = False,
) -> None:
    """Print this week's verdicts digest as it would be posted (across all communities)."""

    async def action(shipbot: App) -> None:
        week = await shipbot.community.digest(None)
        if as_json:
            shapes.print_json(shapes.digest(week))
            return
        text = "\n".join(digest_lines(week, shipbot.settings.min_votes))
        out.print(text, markup=False, highlight=False)

    run_with_app(action)
