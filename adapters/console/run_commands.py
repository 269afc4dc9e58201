"""``shipbot run …``: start the platform bots."""

from __future__ import annotations

import typer

from adapters.console.runtime import fail, settings_or_exit

run_app = typer.Typer(help="Run shipbot on a chat platform.", no_args_is_help=True)


@run_app.command("discord")
def run_discord() -> None:
    """Run the Discord bot (needs SHIPBOT_DISCORD_TOKEN)."""
    settings = settings_or_exit()
    if settings.discord_token is None:
        fail("Set SHIPBOT_DISCORD_TOKEN to your Discord bot token to run the Discord bot.", code=2)
    fail("The Discord adapter is not built yet.", code=2)


@run_app.command("slack")
def run_slack() -> None:
    """Run the Slack app (needs SHIPBOT_SLACK_BOT_TOKEN and SHIPBOT_SLACK_APP_TOKEN)."""
    settings = settings_or_exit()
    if settings.slack_bot_token is None:
        fail(
            "Set SHIPBOT_SLACK_BOT_TOKEN to your Slack bot token (xoxb-…) to run the Slack app.",
            code=2,
        )
    fail("The Slack adapter is not built yet.", code=2)
