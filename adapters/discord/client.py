"""``ShipbotClient``: the ``discord.Client`` built from an ``App`` (``build_client``).

Intents: guilds, guild reactions and guild / direct messages (none is privileged: without
message content Discord still sends the content of messages that mention shipbot and of DMs,
which is all ``asking`` reads). Mentions never ping: ``AllowedMentions.none()`` is the client default and every reply
passes it again.

Sharding: with ``SHIPBOT_DISCORD_SHARD_IDS`` / ``SHIPBOT_DISCORD_SHARD_COUNT`` the same client
runs as a ``discord.AutoShardedClient`` (``ShardedShipbotClient``) over the shards given; without
them it is a plain single-connection ``discord.Client``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord

from adapters.bootstrap import App
from adapters.discord.asking import heard
from adapters.discord.browse import BROWSE_ITEMS
from adapters.discord.buttons import Buttons
from adapters.discord.commands import build_tree
from adapters.discord.context import NO_MENTIONS, PLATFORM, DiscordContext
from adapters.discord.digests import DigestPoster
from adapters.discord.panel import PANEL_ITEMS
from adapters.discord.reactions import ReactionVotes
from adapters.discord.views import DYNAMIC_ITEMS
from adapters.discord.welcome import welcome_guild
from bot.scheduler import DigestScheduler
from bot.settings import MissingSetting, Settings

log = logging.getLogger(__name__)

SETTLE_SECONDS = 4.0  # in-flight handlers, then the card edits: inside the 8 s shutdown bound
DRAIN_SECONDS = 3.0
DIGEST_POLL_SECONDS = 60.0


def intents() -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_reactions = True
    wanted.guild_messages = True
    wanted.dm_messages = True
    return wanted


class ShipbotClient(discord.Client):
    """``client_options`` go to discord.py's client (``shard_ids`` / ``shard_count`` for the
    sharded subclass). ``digest_poll_seconds``: how often the digest scheduler looks for due
    runs (tests make it small)."""

    def __init__(
        self,
        app: App,
        *,
        refresh_seconds: float | None = None,
        sync_commands: bool = True,
        digest_poll_seconds: float = DIGEST_POLL_SECONDS,
        **client_options: Any,
    ) -> None:
        super().__init__(intents=intents(), allowed_mentions=NO_MENTIONS, **client_options)
        self.app = app
        self.ctx = DiscordContext(app, self, refresh_seconds)
        self.buttons = Buttons(self.ctx)
        self.reactions = ReactionVotes(self.ctx)
        self.tree = build_tree(self, self.ctx)
        self.sync_commands = sync_commands
        self.reconciled = asyncio.Event()
        self._reconciling: asyncio.Task[None] | None = None
        self.digests = DigestScheduler(
            app.community,
            PLATFORM,
            DigestPoster(self, app.settings.min_votes),
            poll_seconds=digest_poll_seconds,
        )
        self._digesting: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*DYNAMIC_ITEMS, *PANEL_ITEMS, *BROWSE_ITEMS)
        if self.sync_commands:
            await self._sync()
        # Logged in: REST works, so digests can be posted before the gateway is ready.
        self._digesting = asyncio.create_task(self.digests.run_forever(), name="digests")

    async def _sync(self) -> None:
        """Instantly to one server with ``SHIPBOT_DISCORD_GUILD_ID``, else globally (Discord may
        take up to an hour to show new global commands everywhere)."""
        guild_id = self.app.settings.discord_guild_id
        if guild_id is None:
            synced = await self.tree.sync()
        else:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        log.info(
            "commands synced",
            extra={"commands": [c.name for c in synced], "guild_id": str(guild_id or "global")},
        )

    async def on_ready(self) -> None:
        log.info("discord ready", extra={"user": str(self.user), "guilds": len(self.guilds)})
        if self._reconciling is None or self._reconciling.done():
            self._reconciling = asyncio.create_task(self._reconcile(), name="reconcile")

    async def _reconcile(self) -> None:
        try:
            await self.reactions.reconcile()
        except Exception:
            log.exception("reconciliation failed")
        finally:
            self.reconciled.set()

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await welcome_guild(self.ctx, guild)

    async def on_message(self, message: discord.Message) -> None:
        await heard(self.ctx, message)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self.reactions.added(payload)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        await self.reactions.removed(payload)

    async def close(self) -> None:
        """Let running handlers finish and make the pending card edits (final tallies) before
        disconnecting."""
        background = [t for t in (self._reconciling, self._digesting) if t is not None]
        for task in background:
            task.cancel()
        # Let them unwind (roll back, hand their connection back) before the engine closes.
        await asyncio.gather(*background, return_exceptions=True)
        await self.ctx.settle(SETTLE_SECONDS)
        try:
            await asyncio.wait_for(self.ctx.refresher.flush(), timeout=DRAIN_SECONDS)
        except TimeoutError:
            log.warning("pending card refreshes dropped on shutdown")
            await self.ctx.refresher.close()
        await super().close()


class ShardedShipbotClient(ShipbotClient, discord.AutoShardedClient):
    """The same bot over several gateway connections (``shard_ids`` out of ``shard_count``);
    several processes split the shards between them."""


def shard_options(settings: Settings) -> tuple[list[int] | None, int] | None:
    """``(shard_ids, shard_count)`` for ``AutoShardedClient`` (ids ``None``: every shard in
    this process); ``None`` without sharding. ``MissingSetting`` (one line, exit 2) when ids
    come without a count or are not below it."""
    ids = [int(shard) for shard in settings.discord_shard_ids]
    count = settings.discord_shard_count
    if not ids and count is None:
        return None
    if count is None:
        raise MissingSetting(
            "SHIPBOT_DISCORD_SHARD_COUNT", "the total number of shards when shard ids are given"
        )
    if any(shard >= count for shard in ids):
        raise MissingSetting(
            "SHIPBOT_DISCORD_SHARD_IDS", f"shard numbers below the shard count ({count})"
        )
    return ids or None, count


def build_client(
    app: App,
    *,
    refresh_seconds: float | None = None,
    sync_commands: bool = True,
    digest_poll_seconds: float = DIGEST_POLL_SECONDS,
) -> ShipbotClient:
    """A plain ``ShipbotClient``, or a ``ShardedShipbotClient`` when the settings ask for
    shards."""
    options: dict[str, Any] = {
        "refresh_seconds": refresh_seconds,
        "sync_commands": sync_commands,
        "digest_poll_seconds": digest_poll_seconds,
    }
    sharding = shard_options(app.settings)
    if sharding is None:
        return ShipbotClient(app, **options)
    shard_ids, shard_count = sharding
    log.info("discord sharding", extra={"shard_ids": shard_ids, "shard_count": shard_count})
    return ShardedShipbotClient(app, shard_ids=shard_ids, shard_count=shard_count, **options)
