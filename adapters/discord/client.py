"""``ShipbotClient``: the ``discord.Client`` built from an ``App``.

Intents: guilds and guild reactions only (neither is privileged; message content is never
needed). Mentions never ping: ``AllowedMentions.none()`` is the client default and every reply
passes it again.
"""

from __future__ import annotations

import asyncio
import logging

import discord

from adapters.bootstrap import App
from adapters.discord.buttons import Buttons
from adapters.discord.commands import build_tree
from adapters.discord.context import NO_MENTIONS, DiscordContext
from adapters.discord.reactions import ReactionVotes
from adapters.discord.views import DYNAMIC_ITEMS

log = logging.getLogger(__name__)

DRAIN_SECONDS = 10.0


def intents() -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_reactions = True
    return wanted


class ShipbotClient(discord.Client):
    def __init__(
        self,
        app: App,
        *,
        refresh_seconds: float | None = None,
        sync_commands: bool = True,
    ) -> None:
        super().__init__(intents=intents(), allowed_mentions=NO_MENTIONS)
        self.app = app
        self.ctx = DiscordContext(app, self, refresh_seconds)
        self.buttons = Buttons(self.ctx)
        self.reactions = ReactionVotes(self.ctx)
        self.tree = build_tree(self, self.ctx)
        self.sync_commands = sync_commands
        self.reconciled = asyncio.Event()
        self._reconciling: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        if self.sync_commands:
            await self._sync()

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

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self.reactions.added(payload)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        await self.reactions.removed(payload)

    async def close(self) -> None:
        """Let running handlers finish and make the pending card edits (final tallies) before
        disconnecting."""
        if self._reconciling is not None:
            self._reconciling.cancel()
        await self.ctx.settle(DRAIN_SECONDS)
        try:
            await asyncio.wait_for(self.ctx.refresher.drain(), timeout=DRAIN_SECONDS)
        except TimeoutError:
            log.warning("pending card refreshes dropped on shutdown")
            await self.ctx.refresher.close()
        await super().close()
