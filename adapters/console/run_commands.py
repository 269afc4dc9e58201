"""``shipbot run …``: start the platform bots. Each checks its tokens first: a missing one prints
the variable to set and exits 2, before anything connects."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated

import typer

from adapters.console.runtime import fail, run_with_app, settings_or_exit
from adapters.console.serving import run_service
from bot.settings import MissingSetting, Settings

if TYPE_CHECKING:  # the app (and SQLAlchemy, the catalog, …) loads when a command runs
    from adapters.bootstrap import App

run_app = typer.Typer(help="Run shipbot on a chat platform.", no_args_is_help=True)


def discord_ready(settings: Settings) -> None:
    settings.require("discord_token", "your Discord bot token to run the Discord bot")


def slack_ready(settings: Settings, *, http: bool, oauth: bool) -> None:
    if oauth:
        settings.require("slack_client_id", "your Slack app's client id for the OAuth install flow")
        settings.require("slack_client_secret", "your Slack app's client secret for OAuth")
        settings.require("slack_state_secret", "a random secret that signs OAuth state")
    else:
        settings.require("slack_bot_token", "your Slack bot token (xoxb-…) to run the Slack app")
    if http:
        settings.require("slack_signing_secret", "your Slack app's signing secret for HTTP mode")
    else:
        settings.require("slack_app_token", "your Slack app-level token (xapp-…) for Socket Mode")


def _start(
    check: Callable[[Settings], None],
    runner: Callable[[App], Awaitable[None]],
    *,
    web: bool = True,
    serve: bool = True,
) -> None:
    """Check the credentials, then run ``runner`` until SIGTERM / Ctrl-C (``serve``) or once."""
    settings = settings_or_exit()
    try:
        check(settings)
    except MissingSetting as error:
        fail(str(error), code=2)
    action = with_web(runner) if web else runner
    if serve:
        run_service(action)
    else:
        run_with_app(action)


def with_web(runner: Callable[[App], Awaitable[None]]) -> Callable[[App], Awaitable[None]]:
    """``runner``, plus the web pages in the same process when ``SHIPBOT_WEB_PORT`` is set."""

    async def both(app: App) -> None:
        port = app.settings.web_port
        if port is None:
            await runner(app)
            return
        from adapters.web.runner import serve_web

        tasks = [
            asyncio.ensure_future(runner(app)),
            asyncio.ensure_future(serve_web(app, app.settings.web_host, port)),
        ]
        try:  # whichever stops first (an error, or the web server's Ctrl-C) stops the other
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            task.result()

    return both


@run_app.command("web")
def run_web(
    port: Annotated[
        int | None, typer.Option("--port", help="Port (default: SHIPBOT_WEB_PORT, else 8000).")
    ] = None,
    host: Annotated[
        str | None, typer.Option("--host", help="Address (default: SHIPBOT_WEB_HOST).")
    ] = None,
) -> None:
    """Serve the verdict pages, the leaderboard and the JSON API (no token needed)."""
    from adapters.web.runner import serve_web

    settings = settings_or_exit()

    async def start(app: App) -> None:
        await serve_web(app, host or settings.web_host, port or settings.web_port or 8000)

    run_service(start)


@run_app.command("discord")
def run_discord() -> None:
    """Run the Discord bot (needs SHIPBOT_DISCORD_TOKEN)."""
    from adapters.discord.runner import run_discord as runner

    _start(discord_ready, runner)


@run_app.command("slack")
def run_slack(
    http: Annotated[
        bool, typer.Option("--http", help="HTTP mode (Events API) instead of Socket Mode.")
    ] = False,
    port: Annotated[int, typer.Option("--port", help="HTTP port.")] = 3000,
    oauth: Annotated[
        bool, typer.Option("--oauth", help="Multi-workspace OAuth install (HTTP mode).")
    ] = False,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, help="Processes serving the HTTP port (HTTP mode)."),
    ] = 1,
) -> None:
    """Run the Slack app: Socket Mode by default, or HTTP mode with --http."""
    from adapters.slack.runner import run_slack as runner

    if oauth and not http:
        fail("--oauth needs --http: the OAuth install flow is served over HTTP.", code=2)
    if workers > 1 and not http:
        fail("--workers needs --http: Socket Mode is one connection per app.", code=2)

    if workers > 1:
        from adapters.slack.workers import serve_workers

        async def prepare(app: App) -> None:
            del app  # built once here, so a new SQLite file is created before the workers start

        _start(lambda s: slack_ready(s, http=http, oauth=oauth), prepare, web=False, serve=False)
        raise SystemExit(serve_workers(workers, port=port, oauth=oauth))

    async def start(app: App) -> None:
        await runner(app, http=http, port=port, oauth=oauth)

    _start(lambda s: slack_ready(s, http=http, oauth=oauth), start)


@run_app.command("all")
def run_all(
    port: Annotated[
        int, typer.Option("--port", help="Slack HTTP port (when a signing secret is set).")
    ] = 3000,
) -> None:
    """Run every platform whose credentials are set, in one process (small installs); Slack in
    Socket Mode unless only a signing secret is configured. Says which on start."""
    from adapters.discord.runner import run_discord as discord_runner
    from adapters.slack.runner import run_slack as slack_runner

    settings = settings_or_exit()
    http = settings.slack_app_token is None and settings.slack_signing_secret is not None
    runners: dict[str, Callable[[App], Awaitable[None]]] = {
        "discord": discord_runner,
        "slack": lambda app: slack_runner(app, http=http, port=port, oauth=False),
    }
    ready, missing = platforms_ready(
        settings,
        {"discord": discord_ready, "slack": lambda s: slack_ready(s, http=http, oauth=False)},
    )
    if not ready:
        fail(
            "Nothing to run: set "
            + " or ".join(f"{m.variable} ({name})" for name, m in missing.items())
            + ".",
            code=2,
        )
    typer.echo(startup_line(ready, missing))

    async def every(app: App) -> None:
        await asyncio.gather(*(runners[name](app) for name in ready))

    _start(lambda s: None, every)


def platforms_ready(
    settings: Settings, checks: dict[str, Callable[[Settings], None]]
) -> tuple[list[str], dict[str, MissingSetting]]:
    """The platforms whose credentials are all set, and for the others the first one missing."""
    ready: list[str] = []
    missing: dict[str, MissingSetting] = {}
    for name, check in checks.items():
        try:
            check(settings)
        except MissingSetting as error:
            missing[name] = error
        else:
            ready.append(name)
    return ready, missing


def startup_line(ready: list[str], missing: dict[str, MissingSetting]) -> str:
    """E.g. ``running discord (slack: no SHIPBOT_SLACK_BOT_TOKEN set)``."""
    skipped = "; ".join(f"{name}: no {error.variable} set" for name, error in missing.items())
    return f"running {' and '.join(ready)}" + (f" ({skipped})" if skipped else "")
