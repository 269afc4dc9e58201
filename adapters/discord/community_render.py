"""Render the community features as Discord embeds and texts: the leaderboard, the weekly
digest and a subscription's confirmation.

Pure functions, like ``render``: every name is escaped and every text cut to Discord's limits.
"""

from __future__ import annotations

from datetime import datetime

import discord

from adapters.discord.markdown import escape, fit, units
from adapters.discord.render import COLOUR, DESCRIPTION, FOOTER, TITLE
from bot.community import Leaderboard, LeaderboardRow
from bot.digest import WEEKDAYS, zone
from bot.models import Subscription

LEADERBOARD_FILE = "leaderboard.png"
NAME = 60  # characters of a tool's name on one leaderboard line


def leaderboard_embed(board: Leaderboard, image: str | None = LEADERBOARD_FILE) -> discord.Embed:
    """One line per tool, best first: rank, name, rating with its 95% interval, n, the
    provisional label and the panel ship %. ``image``: the attached chart's file name."""
    scope = f" — {board.category}" if board.category else ""
    embed = discord.Embed(title=fit(f"Leaderboard{scope}", TITLE), colour=COLOUR)
    if not board.rows:
        where = f" in {escape(board.category)}" if board.category else ""
        embed.description = fit(f"No votes yet{where}: compare two tools and vote.", DESCRIPTION)
    else:
        lines: list[str] = []
        used = 0
        for row in board.rows:
            line = leaderboard_line(row)
            if used + units(line) + 1 > DESCRIPTION:
                break
            lines.append(line)
            used += units(line) + 1
        embed.description = "\n".join(lines)
    footer = (
        f"Bradley–Terry ratings (Elo scale) over {board.votes} head-to-head votes, "
        f"95% intervals; provisional below {board.min_votes} votes. Panel = reviewers' ship %."
    )
    embed.set_footer(text=fit(footer, FOOTER, escaped=False))
    if image and board.rows:
        embed.set_image(url=f"attachment://{image}")
    return embed


def leaderboard_line(row: LeaderboardRow) -> str:
    provisional = " · *provisional*" if row.provisional else ""
    return (
        f"**{row.rank}. {fit(row.name, NAME)}** {row.rating} ({row.low}–{row.high}) · "
        f"n = {row.n}{provisional} · panel {escape(row.panel)}"
    )


def digest_embed(lines: list[str]) -> discord.Embed:
    """``bot.digest.digest_lines`` as an embed: the first line is the title, headings bold."""
    title, *body = lines or ["Weekly AI Tool Verdicts"]
    shown = [escape(line) if line.startswith("•") else f"**{escape(line)}**" for line in body]
    text = "\n".join(shown)
    if units(text) > DESCRIPTION:
        text = fit("\n".join(body), DESCRIPTION)  # plain, cut whole: never a broken bold
    return discord.Embed(title=fit(title, TITLE), description=text or None, colour=COLOUR)


def subscribed_text(subscription: Subscription) -> str:
    """The confirmation of ``/subscribe``: the schedule and the next run (in the zone given,
    and as a Discord timestamp each reader sees in their own time)."""
    day = WEEKDAYS[subscription.weekday]
    local = subscription.next_run_at.astimezone(zone(subscription.timezone))
    return (
        f"This channel gets the weekly verdicts digest every {day} at {subscription.hour:02d}:00 "
        f"({escape(subscription.timezone)}). Next: {local:%A %d %B %Y %H:%M} "
        f"({timestamp(subscription.next_run_at)})."
    )


def timestamp(moment: datetime, style: str = "R") -> str:
    """A Discord timestamp, shown in each reader's own time zone (``R``: "in 3 days")."""
    return f"<t:{int(moment.timestamp())}:{style}>"
