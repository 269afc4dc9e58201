"""The ``shipbot`` command line: compare, vote, admin the catalog, manage the database, run bots."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from adapters.charts import vote_split_png
from adapters.console import (
    catalog_commands,
    community_commands,
    db_commands,
    panel_commands,
    run_commands,
    sync_commands,
    tool_views,
)
from adapters.console.render import card_json, render_card
from adapters.console.runtime import out, run_with_app
from adapters.console.surface import TerminalSurface
from bot import publishing
from bot.admin import Actor
from bot.closing import split_text
from bot.errors import InvalidInput
from bot.models import Community, Lens, Voter, VoteSource
from bot.service import Unresolved
from bot.sides import PairCard
from bot.votes import Split

if TYPE_CHECKING:  # the app (and SQLAlchemy, the catalog, …) loads when a command runs
    from adapters.bootstrap import App

app = typer.Typer(
    name="shipbot",
    help="Which AI tool should you ship with? Verdict cards in your terminal, Discord and Slack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(wanted: bool) -> None:
    if wanted:
        print(f"shipbot {version('shipbot')}")
        raise typer.Exit()


@app.callback()
def _root(
    _version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Which AI tool should you ship with? Verdict cards in your terminal, Discord and Slack."""


for name, command in (
    ("show", tool_views.tool_show),
    ("list", tool_views.tool_list),
    ("suggestions", tool_views.tool_suggestions),
):
    catalog_commands.tool_app.command(name)(command)
app.add_typer(catalog_commands.tool_app, name="tool")
app.add_typer(catalog_commands.review_app, name="review")
catalog_commands.review_app.command("submit")(panel_commands.submit_take)
app.add_typer(panel_commands.panel_app, name="panel")
catalog_commands.catalog_app.command("sync")(sync_commands.catalog_sync)
app.add_typer(catalog_commands.catalog_app, name="catalog")
app.add_typer(db_commands.db_app, name="db")
app.add_typer(run_commands.run_app, name="run")
app.add_typer(community_commands.export_app, name="export")

LensOption = Annotated[
    str | None,
    typer.Option("--lens", help="Only one reviewer: developer, competition, future or buyer."),
]


def parse_lens(text: str | None) -> Lens | None:
    if text is None:
        return None
    lens = Lens.parse(text)
    if lens is None:
        raise InvalidInput(
            f"No lens called '{text}'. Choose developer, competition, future or buyer."
        )
    return lens


@app.command()
def compare(
    matchup: Annotated[str, typer.Argument(help='Two tools, e.g. "SmolLM3 vs Mistral Medium 3".')],
    lens: LensOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the card as JSON.")] = False,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Write the vote split as a PNG.")
    ] = None,
) -> None:
    """Print the verdict card for two tools."""

    async def action(shipbot: App) -> None:
        card = await shipbot.service.compare(matchup, Community.console(), parse_lens(lens))
        if as_json:
            print(card_json(card))
        else:
            out.print(render_card(card))
        if chart:
            community_commands.write_bytes(chart, vote_split_png(card))
            if not as_json:
                out.print(f"Chart written to {chart}.", markup=False)

    run_with_app(action)


@app.command()
def vote(
    matchup: Annotated[str, typer.Argument(help='The pair, e.g. "SmolLM3 vs Mistral Medium 3".')],
    pick: Annotated[
        str | None,
        typer.Option(
            "--for", help="The tool you would ship: part of its name, an alias, or a / b."
        ),
    ] = None,
    user: Annotated[
        str, typer.Option("--user", help="Who votes (one vote per person per pair).")
    ] = "local",
    retract: Annotated[
        bool, typer.Option("--retract", help="Withdraw your vote on this pair.")
    ] = False,
    show: Annotated[
        bool, typer.Option("--show", help="Only show your own vote on this pair.")
    ] = False,
    close: Annotated[
        bool,
        typer.Option("--close", help="Close the vote on the terminal's card: its split is final."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the outcome as JSON (see README).")
    ] = False,
) -> None:
    """Vote for one tool of a pair in the terminal's community (or withdraw or show your vote,
    or close the vote)."""
    flags = (("--for", pick), ("--retract", retract), ("--show", show), ("--close", close))
    given = [flag for flag, on in flags if on]
    if not given:
        raise typer.BadParameter(
            "say which tool with --for NAME, or use --retract, --show or --close"
        )
    if len(given) > 1:
        raise typer.BadParameter(f"use one of {' or '.join(given)}, not both")

    async def action(shipbot: App) -> None:
        service = shipbot.service
        voter = Voter(community=Community.console(), user_id=user)
        found = await service.pair_card(
            matchup, voter.community, "terminal", open_missing=not show, pick=pick
        )
        if isinstance(found, Unresolved):
            raise found.error
        card_id = found.card.card_id if found.card else None
        if show or card_id is None:
            mine = await service.my_vote(voter, card_id) if card_id is not None else None
            message = f"You picked {mine}." if mine else "You haven't voted on this pair."
            _said(found, "show", mine, False, message, as_json)
            return
        if close:
            closed = await service.close_vote(card_id, Actor.local())
            shown = await service.render_posted(card_id)
            split = Split(*closed.card.final) if closed.card.final else shown.community.here
            final = split_text(shown.a.name, shown.b.name, split)
            verb = "Vote closed" if closed.changed else "This vote was already closed"
            _said(found, "close", None, closed.changed, f"{verb}; final split: {final}.", as_json)
            return
        if retract:
            outcome = await service.retract_vote(voter, card_id, None, VoteSource.COMMAND)
            message = "Vote withdrawn." if outcome.changed else "You had no vote on this pair."
            _said(found, "retract", None, outcome.changed, message, as_json)
        else:
            side = found.side(pick or "")
            outcome = await service.cast_vote(voter, card_id, side, VoteSource.COMMAND)
            verb = "Vote recorded" if outcome.changed else "You already voted for"
            message = f"{verb}: {outcome.choice_name}."
            _said(found, "vote", outcome.choice_name, outcome.changed, message, as_json)
        if not as_json:  # the community line, fresh
            await publishing.refresh(service, TerminalSurface(out), card_id)

    run_with_app(action)


def _said(
    found: PairCard, action: str, choice: str | None, changed: bool, message: str, as_json: bool
) -> None:
    """What ``vote`` prints: its one line, or (``--json``) the outcome as an object."""
    if not as_json:
        out.print(message, markup=False)
        return
    a, b = (tool.name for tool in found.typed)
    outcome = {"a": a, "b": b, "action": action, "choice": choice, "changed": changed}
    print(json.dumps(outcome, ensure_ascii=False))


app.command("leaderboard")(community_commands.leaderboard)
app.command("digest")(community_commands.digest)


@app.command("health")
def health() -> None:
    """Ask the running bot's /healthz (SHIPBOT_HEALTH_PORT): exit 0 when all is up, else 1."""
    from adapters.console.health_probe import main as probe

    probe()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()

__all__ = ["app", "main"]
