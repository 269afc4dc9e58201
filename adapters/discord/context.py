"""What every Discord handler shares: the app, who is asking, how to answer, card refreshes.

One ``DiscordContext`` per client. Handlers translate a Discord event into a core call and use
the helpers here to answer; none of them holds state of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime

import discord
from discord.utils import MISSING

from adapters.bootstrap import App
from adapters.discord.names import COMMANDS
from adapters.discord.render import user_message
from adapters.discord.surface import PLATFORM as PLATFORM
from adapters.discord.surface import DiscordSurface
from adapters.observability import Observation, guarded, observe
from bot import publishing
from bot.admin import Actor
from bot.cooldowns import Cooldown
from bot.errors import NotFoundError, PermissionDenied, UserFacingError
from bot.models import Community, Voter
from bot.refresh import CardRefresher

log = logging.getLogger(__name__)

Interaction = discord.Interaction[discord.Client]
NO_MENTIONS = discord.AllowedMentions.none()
SOMETHING_WRONG = "Something went wrong on our side; nothing was changed. Please try again."
ADMIN_ONLY = (
    "The tool catalog is shared by every server, so only shipbot's catalog admins "
    "(SHIPBOT_CATALOG_ADMINS) can change it. Server admins can suggest a tool with "
    "`/tool suggest`. Nothing was changed."
)
ADMINS_ONLY = (
    "Only members with Manage Server (or a shipbot admin role) can {what}. Nothing was changed."
)
GUILD_ONLY = "shipbot works in servers only: run this in a server channel."


def community_of(guild_id: int) -> Community:
    """Votes count per server: ``Community("discord", "<guild id>")``."""
    return Community(PLATFORM, str(guild_id))


def voter_of(guild_id: int, user_id: int, created_at: datetime | None = None) -> Voter:
    """A member as the core sees them. ``created_at`` (the account's creation time, which feeds
    ``SHIPBOT_MIN_ACCOUNT_AGE_DAYS``) is the user's own when we have the user object, else the
    time encoded in the snowflake id, which is the same instant."""
    return Voter(
        community_of(guild_id),
        str(user_id),
        created_at=created_at or discord.utils.snowflake_time(user_id),
    )


class DiscordContext:
    def __init__(
        self, app: App, client: discord.Client, refresh_seconds: float | None = None
    ) -> None:
        self.app = app
        self.service = app.service
        self.catalog = app.catalog
        self.settings = app.settings
        self.client = client
        self.refresh_seconds = refresh_seconds or app.settings.refresh_seconds
        # The claim (a lease on the card row) keeps every process and shard to one edit per card
        # per interval between them, not one each.
        self.refresher = CardRefresher(
            self.refresh_card, interval=self.refresh_seconds, claim=self._claim_refresh
        )
        refresher = self.refresher
        app.metrics.watch_refreshes(lambda: refresher.pending)
        self._inflight: set[asyncio.Task[object]] = set()
        self._admin_roles = {role.casefold() for role in app.settings.discord_admin_roles}
        self.vote_mode = app.settings.vote_mode
        self.cooldown = Cooldown(
            app.settings.compare_cooldown_uses, app.settings.compare_cooldown_seconds
        )
        self._names: dict[int, str] = {}

    async def _claim_refresh(self, card_id: int) -> float | None:
        return await self.service.claim_refresh(card_id, self.refresh_seconds)

    # -- who is asking ------------------------------------------------------------------

    def community(self, interaction: Interaction) -> Community:
        if interaction.guild_id is None:
            raise UserFacingError(GUILD_ONLY)
        return community_of(interaction.guild_id)

    def voter(self, interaction: Interaction) -> Voter:
        if interaction.guild_id is None:
            raise UserFacingError(GUILD_ONLY)
        return voter_of(interaction.guild_id, interaction.user.id, interaction.user.created_at)

    def is_admin(self, interaction: Interaction) -> bool:
        """Manage Server (or Administrator), or a role named in ``SHIPBOT_DISCORD_ADMIN_ROLES``."""
        user = interaction.user
        if interaction.guild_id is None or not isinstance(user, discord.Member):
            return False
        perms = interaction.permissions
        if perms.manage_guild or perms.administrator:
            return True
        granted = user.guild_permissions
        if granted.manage_guild or granted.administrator:
            return True
        return any(role.name.casefold() in self._admin_roles for role in user.roles)

    def is_catalog_admin(self, interaction: Interaction) -> bool:
        """One of ``SHIPBOT_CATALOG_ADMINS`` (``discord:USER_ID``): may change the catalog."""
        return self.settings.is_catalog_admin(PLATFORM, str(interaction.user.id))

    def actor(self, interaction: Interaction) -> Actor:
        """The core checks the rights on every write; this only establishes them."""
        user = interaction.user
        return Actor(
            str(user.id),
            f"discord:{user.name}",
            self.is_admin(interaction),
            catalog_admin=self.is_catalog_admin(interaction),
        )

    def require_admin(self, interaction: Interaction, what: str) -> Actor:
        """The asking admin as an ``Actor``; a non-admin is refused (logged) before the core is
        called, in words that name what was refused."""
        actor = self.actor(interaction)
        if not actor.is_admin:
            self.log_admin(interaction, f"{what} refused")
            raise PermissionDenied(ADMINS_ONLY.format(what=what))
        return actor

    def log_admin(self, interaction: Interaction, action: str, **details: str) -> None:
        """Every admin action, with who did it and where."""
        log.info(
            "discord admin action",
            extra={
                "action": action,
                "user_id": str(interaction.user.id),
                "user": interaction.user.name,
                "guild_id": str(interaction.guild_id),
                **details,
            },
        )

    # -- answering ----------------------------------------------------------------------

    async def send(
        self,
        interaction: Interaction,
        content: str | None = None,
        *,
        embeds: list[discord.Embed] | None = None,
        view: discord.ui.View | None = None,
        file: discord.File | None = None,
        ephemeral: bool = True,
    ) -> int | None:
        """Answer the interaction (first response, else a followup); the message id if known."""
        if not interaction.response.is_done():
            callback = await interaction.response.send_message(
                content,
                embeds=embeds or MISSING,
                view=view or MISSING,
                file=file or MISSING,
                ephemeral=ephemeral,
                allowed_mentions=NO_MENTIONS,
            )
            return callback.message_id
        message = await interaction.followup.send(
            content or MISSING,
            embeds=embeds or MISSING,
            view=view or MISSING,
            file=file or MISSING,
            ephemeral=ephemeral,
            allowed_mentions=NO_MENTIONS,
            wait=True,
        )
        return message.id

    async def send_safely(self, interaction: Interaction, content: str) -> None:
        """Send an ephemeral line, logging (never raising) if Discord refuses it."""
        try:
            await self.send(interaction, user_message(content))
        except discord.HTTPException:
            log.warning(
                "could not answer interaction",
                extra={"interaction": interaction.id, "text": content[:200]},
            )

    def observe(
        self, action: str, user: int, guild: int | None
    ) -> contextlib.AbstractAsyncContextManager[Observation]:
        """One ``shipbot.events`` log line and metric sample for a user action."""
        return observe(self.app.metrics, PLATFORM, action, user=str(user), guild=str(guild))

    @contextlib.asynccontextmanager
    async def guard(self, interaction: Interaction, action: str) -> AsyncIterator[Observation]:
        """Observe the action and answer any failure inside ephemerally (``guarded``)."""

        async def tell(text: str) -> None:
            await self.send_safely(interaction, text)

        async with (
            self.in_flight(),
            guarded(
                self.observe(action, interaction.user.id, interaction.guild_id),
                tell,
                SOMETHING_WRONG,
                commands=COMMANDS,
            ) as seen,
        ):
            yield seen

    @contextlib.asynccontextmanager
    async def in_flight(self) -> AsyncIterator[None]:
        """Track the running handler so a shutdown can let it finish (``settle``)."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._inflight.discard(task)

    async def settle(self, timeout: float) -> None:  # noqa: ASYNC109
        """Wait (at most ``timeout`` seconds) for handlers still writing to the database."""
        others = {t for t in self._inflight if t is not asyncio.current_task()}
        if others:
            await asyncio.wait(others, timeout=timeout)

    # -- tools by id (buttons carry ids: a custom_id holds 100 characters) ---------------

    def remember(self, tool_id: int, name: str) -> None:
        self._names[tool_id] = name

    async def tool_name(self, tool_id: int) -> str:
        """The current name of the tool with ``tool_id``; ``NotFoundError`` if it is gone.

        A remembered name is checked against the catalog (it may have been renamed, or the
        name given to another tool); otherwise the catalog is listed once.
        """
        cached = self._names.get(tool_id)
        if cached is not None:
            with contextlib.suppress(UserFacingError):
                tool = await self.catalog.show(cached)
                if tool.id == tool_id:
                    return tool.name
        for tool in await self.catalog.list():
            self._names[tool.id] = tool.name
            if tool.id == tool_id:
                return tool.name
        self._names.pop(tool_id, None)
        raise NotFoundError("That tool is no longer in the catalog.")

    # -- cards --------------------------------------------------------------------------

    async def refresh_card(self, card_id: int) -> None:
        """Re-render a posted card with fresh tallies and edit its message (CardRefresher)."""
        await publishing.refresh(self.service, DiscordSurface(self), card_id)
