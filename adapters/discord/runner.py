"""``shipbot run discord``: start the bot with ``SHIPBOT_DISCORD_TOKEN`` until interrupted."""

from __future__ import annotations

import logging

import discord
import discord.gateway
import discord.http
import yarl

from adapters.bootstrap import App
from adapters.discord.client import build_client
from bot.settings import MissingSetting

log = logging.getLogger(__name__)


async def run_discord(app: App) -> None:
    """Run the Discord bot. A rejected token ends it with one line naming the variable."""
    settings = app.settings
    token = settings.require("discord_token", "your Discord bot token to run the Discord bot")
    client = build_client(app)  # checks the shard settings before anything connects
    app.health.register("discord", lambda: gateway_up(client))
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    if settings.discord_api_base:  # a test double or proxy speaking Discord's REST API
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
    try:
        async with client:
            await client.start(token)
    except discord.LoginFailure:
        raise MissingSetting(
            "SHIPBOT_DISCORD_TOKEN", "a valid bot token: Discord rejected the one given"
        ) from None
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


def gateway_up(client: discord.Client) -> bool:
    """Ready, not closed, and every gateway connection open (discord.py stays "ready" while it
    reconnects after a dropped connection)."""
    if client.is_closed() or not client.is_ready():
        return False
    if isinstance(client, discord.AutoShardedClient):
        return bool(client.shards) and all(not s.is_closed() for s in client.shards.values())
    ws = client.ws
    return ws is not None and ws.open
