"""``shipbot db …``: schema migrations through Alembic, health, and recounting kept counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy import text

from adapters.console.runtime import out, run_with_app
from bot.errors import InvalidInput
from data.database import current_revision, downgrade, head_revision, upgrade

if TYPE_CHECKING:  # the app loads when a command runs
    from adapters.bootstrap import App

db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""

    async def action(shipbot: App) -> None:
        was_empty = await current_revision(shipbot.engine) is None
        await upgrade(shipbot.engine, revision)
        out.print(f"Database at revision {await current_revision(shipbot.engine)}.", markup=False)
        if was_empty and revision == "head" and shipbot.settings.seed_on_create:
            from adapters.bootstrap import seed

            out.print(f"New database: loaded {await seed(shipbot)} tools from the bundled catalog.")

    run_with_app(action, migrate=False)


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or -1.")],
) -> None:
    """Revert migrations down to REVISION."""

    async def action(shipbot: App) -> None:
        await downgrade(shipbot.engine, revision)
        out.print(f"Database at revision {await current_revision(shipbot.engine)}.", markup=False)

    run_with_app(action, migrate=False)


@db_app.command("current")
def db_current() -> None:
    """Show the database's revision and the newest one."""

    async def action(shipbot: App) -> None:
        url = shipbot.settings.database_url
        out.print(
            f"current: {await current_revision(shipbot.engine)}  head: {head_revision(url)}",
            markup=False,
        )

    run_with_app(action, migrate=False)


@db_app.command("check")
def db_check() -> None:
    """Exit 0 if the database answers and its schema is current (the container healthcheck)."""

    async def action(shipbot: App) -> None:
        url = shipbot.settings.database_url
        current, head = await current_revision(shipbot.engine), head_revision(url)
        if current != head:
            raise InvalidInput(
                f"Database schema is at {current}, expected {head}: run `shipbot db upgrade`."
            )
        out.print("ok")

    run_with_app(action, migrate=False)


@db_app.command("recount")
def db_recount() -> None:
    """Rebuild the kept vote counts from the votes (after a bulk load that bypassed them)."""

    async def action(shipbot: App) -> None:
        from data.tallies import recount

        async with shipbot.engine.begin() as connection:
            await recount(connection)
            votes = await connection.scalar(text("SELECT COUNT(*) FROM votes"))
        out.print(f"Recounted {votes} votes.")

    run_with_app(action)
