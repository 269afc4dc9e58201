"""Community slash commands: ``/leaderboard`` for everyone; ``/subscribe``, ``/unsubscribe``
and ``/export`` for admins.

The admin commands carry ``default_permissions`` (Manage Server) and ``guild_only``, which only
hide them in Discord's UI, so each checks again at run time (``DiscordContext.require_admin``,
the same rule as ``/tool``) and the core refuses a non-admin ``Actor`` as well.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import logging
import time
from zoneinfo import available_timezones

import discord
from discord import app_commands
from discord.app_commands import Choice

from adapters.charts import leaderboard_png
from adapters.discord.community_render import (
    LEADERBOARD_FILE,
    leaderboard_embed,
    subscribed_text,
)
from adapters.discord.compare import CHOICE_LENGTH, CHOICES, within_deadline
from adapters.discord.context import DiscordContext, Interaction
from adapters.discord.replies import in_time
from adapters.exports import votes_csv
from bot.community import ExportRow, Leaderboard
from bot.digest import WEEKDAYS, parse_weekday
from bot.errors import InvalidInput

log = logging.getLogger(__name__)

DAY_CHOICES = [Choice(name=day, value=day) for day in WEEKDAYS]
CATEGORY_TTL = 60.0  # seconds a category list serves autocomplete before it is read again
EXPORT_FILE = "votes.csv"
CANNOT_POST = (
    "I can't post in this channel: give shipbot View Channel, Send Messages and Embed Links "
    "here first. Nothing was changed."
)


class Categories:
    """The catalog's categories for autocomplete, read at most once a minute (autocomplete
    fires on every keystroke and must answer within 3 seconds)."""

    def __init__(self, ctx: DiscordContext) -> None:
        self.ctx = ctx
        self._names: list[str] = []
        self._read_at = -CATEGORY_TTL

    async def complete(self, current: str) -> list[Choice[str]]:
        if time.monotonic() - self._read_at >= CATEGORY_TTL:
            tools = await self.ctx.catalog.list()
            self._names = sorted({tool.category for tool in tools}, key=str.casefold)
            self._read_at = time.monotonic()
        typed = current.strip().casefold()
        found = [name for name in self._names if typed in name.casefold()]
        found.sort(key=lambda name: not name.casefold().startswith(typed))
        return [Choice(name=n, value=n) for n in found if len(n) <= CHOICE_LENGTH][:CHOICES]


def zone_choices(current: str) -> list[Choice[str]]:
    typed = current.strip().casefold().replace(" ", "_")
    names = sorted(z for z in available_timezones() if typed in z.casefold())
    names.sort(key=lambda name: not name.casefold().startswith(typed))
    return [Choice(name=name, value=name) for name in names[:CHOICES]]


def add_community_commands(
    tree: app_commands.CommandTree[discord.Client], ctx: DiscordContext
) -> None:
    categories = Categories(ctx)

    @tree.command(name="leaderboard", description="Which tools people pick, head to head")
    @app_commands.describe(
        category="Only tools of this category",
        scope="This server's votes (default) or every community's",
    )
    @app_commands.choices(
        scope=[Choice(name="here", value="here"), Choice(name="everywhere", value="everywhere")]
    )
    @app_commands.guild_only()
    async def leaderboard(
        interaction: Interaction, category: str | None = None, scope: str = "here"
    ) -> None:
        async with ctx.guard(interaction, "leaderboard") as seen:
            where = None if scope == "everywhere" else ctx.community(interaction)

            async def build() -> tuple[Leaderboard, bytes | None]:
                board = await ctx.app.community.leaderboard(category, community=where)
                png = await asyncio.to_thread(leaderboard_png, board) if board.rows else None
                return board, png

            (board, png), _ = await in_time(interaction, build())
            seen.fields["rows"] = len(board.rows)
            file = discord.File(io.BytesIO(png), LEADERBOARD_FILE) if png else None
            await ctx.send(
                interaction, embeds=[leaderboard_embed(board)], file=file, ephemeral=False
            )

    @leaderboard.autocomplete("category")
    async def complete_category(interaction: Interaction, current: str) -> list[Choice[str]]:
        return await within_deadline(ctx, interaction, categories.complete(current), "category")

    @tree.command(name="subscribe", description="Post the weekly verdicts digest here (admins)")
    @app_commands.describe(
        day="Which day (default: the server default, Monday)",
        hour="Which hour, 0–23, in the time zone (default 9)",
        timezone="A time zone such as Europe/Paris (default UTC)",
    )
    @app_commands.choices(day=DAY_CHOICES)
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def subscribe(
        interaction: Interaction,
        day: Choice[str] | None = None,
        hour: app_commands.Range[int, 0, 23] | None = None,
        timezone: str | None = None,
    ) -> None:
        async with ctx.guard(interaction, "subscribe"):
            actor = ctx.require_admin(interaction, "subscribe a channel to the digest")
            if not _can_post(interaction):
                raise InvalidInput(CANNOT_POST)
            weekday = parse_weekday(day.value) if day else None
            subscription = await ctx.app.community.subscribe(
                ctx.community(interaction),
                str(interaction.channel_id),
                actor,
                weekday,
                hour,
                timezone.strip() if timezone else None,
            )
            ctx.log_admin(
                interaction,
                "subscribe",
                channel=subscription.channel,
                next=subscription.next_run_at.isoformat(),
            )
            await ctx.send(interaction, subscribed_text(subscription))

    @subscribe.autocomplete("timezone")
    async def complete_zone(interaction: Interaction, current: str) -> list[Choice[str]]:
        return await within_deadline(
            ctx, interaction, asyncio.to_thread(zone_choices, current), "timezone"
        )

    @tree.command(name="unsubscribe", description="Stop the weekly digest here (admins)")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def unsubscribe(interaction: Interaction) -> None:
        async with ctx.guard(interaction, "unsubscribe"):
            actor = ctx.require_admin(interaction, "unsubscribe a channel from the digest")
            channel = str(interaction.channel_id)
            removed = await ctx.app.community.unsubscribe(
                ctx.community(interaction), channel, actor
            )
            ctx.log_admin(interaction, "unsubscribe", channel=channel, removed=str(removed))
            text = (
                "This channel will no longer get the weekly digest."
                if removed
                else "This channel had no digest subscription; nothing changed."
            )
            await ctx.send(interaction, text)

    @tree.command(name="export", description="Download this server's votes as CSV (admins)")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def export(interaction: Interaction) -> None:
        async with ctx.guard(interaction, "export") as seen:
            actor = ctx.require_admin(interaction, "export the votes")
            community = ctx.community(interaction)

            async def rows() -> list[ExportRow]:
                # Only this server's votes are read (filtered in SQL).
                return await ctx.app.community.export_votes(actor, community=community)

            mine, _ = await in_time(interaction, rows(), ephemeral=True)
            seen.fields["rows"] = len(mine)
            ctx.log_admin(interaction, "export", rows=str(len(mine)))
            file = export_file(votes_csv(mine).encode(), interaction.filesize_limit)
            await ctx.send(
                interaction,
                f"{len(mine)} votes from this server. User ids are salted hashes: the same "
                "person has the same hash in every row, and no one can be looked up.",
                file=file,
            )


def export_file(data: bytes, limit: int) -> discord.File:
    """``votes.csv``, gzipped when it is over Discord's upload limit; ``InvalidInput`` when even
    that does not fit."""
    if len(data) <= limit:
        return discord.File(io.BytesIO(data), EXPORT_FILE)
    packed = gzip.compress(data)
    if len(packed) > limit:
        raise InvalidInput(
            "This server's votes are too many for one Discord upload. "
            "Export them on the server with `shipbot export votes --csv FILE`."
        )
    return discord.File(io.BytesIO(packed), f"{EXPORT_FILE}.gz")


def _can_post(interaction: Interaction) -> bool:
    """Whether the bot may post the digest's embed in the channel it is asked from."""
    perms = interaction.app_permissions
    return perms.view_channel and perms.send_messages and perms.embed_links
