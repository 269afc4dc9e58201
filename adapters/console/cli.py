"""The ``shipbot`` command line: compare, vote, admin the catalog, manage the database, run bots."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adapters.bootstrap import App
from adapters.charts import vote_split_png
from adapters.console import (
    catalog_commands,
    community_commands,
    db_commands,
    panel_commands,
    run_commands,
    sync_commands,
)
from adapters.console.render import card_json, render_card
from adapters.console.runtime import out, run_with_app
from adapters.console.surface import TerminalSurface
from bot import publishing
from bot.errors import InvalidInput
from bot.models import Community, Lens, Voter, VoteSource
from bot.publishing import Place
from bot.service import Unresolved

app = typer.Typer(
    name="shipbot",
    help="Which AI tool should you ship with? Verdict cards in your terminal, Discord and Slack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(catalog_commands.tool_app, name="tool")
app.add_typer(catalog_commands.review_app, name="review")
catalog_commands.review_app.command("submit")(panel_commands.submit_take)
app.add_typer(panel_commands.panel_app, name="panel")
catalog_commands.catalog_app.command("sync")(sync_commands.catalog_sync)
app.add_typer(catalog_commands.catalog_app, name="catalog")
app.add_typer(db_commands.db_app, name="db")
app.add_typer(run_commands.run_app, name="run")
app.add_typer(community_commands.export_app, name="export")
app.command("leaderboard")(community_commands.leaderboard)
app.command("digest")(community_commands.digest)

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
    pick: Annotated[str | None, typer.Option("--for", help="The tool you would ship.")] = None,
    user: Annotated[
        str, typer.Option("--user", help="Who votes (one vote per person per pair).")
    ] = "local",
    retract: Annotated[
        bool, typer.Option("--retract", help="Withdraw your vote on this pair.")
    ] = False,
    show: Annotated[
        bool, typer.Option("--show", help="Only show your own vote on this pair.")
    ] = False,
) -> None:
    """Vote for one tool of a pair in the terminal's community (or withdraw or show your vote)."""
    if not (retract or show or pick):
        raise typer.BadParameter("say which tool with --for NAME, or use --retract or --show")

    async def action(shipbot: App) -> None:
        service = shipbot.service
        voter = Voter(community=Community.console(), user_id=user)
        surface = TerminalSurface(out)
        prepared = await publishing.prepare(service, Place(voter.community, "terminal"), matchup)
        if isinstance(prepared, Unresolved):
            raise prepared.error
        card = (await publishing.publish(service, surface, prepared)).card
        assert card.card_id is not None
        if show:
            mine = await service.my_vote(voter, card.card_id)
            message = f"You picked {mine}." if mine else "You haven't voted on this pair."
            out.print(message, markup=False)
            return
        if retract:
            outcome = await service.retract_vote(voter, card.card_id, None, VoteSource.COMMAND)
            out.print("Vote withdrawn." if outcome.changed else "You had no vote on this pair.")
        else:
            side = await service.side_named(card, pick or "")
            outcome = await service.cast_vote(voter, card.card_id, side, VoteSource.COMMAND)
            verb = "Vote recorded" if outcome.changed else "You already voted for"
            out.print(f"{verb}: {outcome.choice_name}.", markup=False)
        await publishing.refresh(service, surface, card.card_id)  # the community line, fresh

    run_with_app(action)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()

__all__ = ["app", "main"]
