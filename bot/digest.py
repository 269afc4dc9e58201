"""The weekly verdicts digest: when it runs and what it says. Pure functions, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import InvalidInput
from bot.votes import Split

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TITLE = "Weekly AI Tool Verdicts"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"No time zone called '{name}'. Use a name like Europe/Paris or UTC."
        ) from None


def parse_weekday(text: str) -> int:
    wanted = text.strip().casefold()
    for number, name in enumerate(WEEKDAYS):
        if name.casefold().startswith(wanted[:3]) and len(wanted) >= 3:
            return number
    if wanted.isdigit() and 0 <= int(wanted) <= 6:
        return int(wanted)
    raise InvalidInput(f"'{text}' is not a day of the week.")


def next_run(after: datetime, weekday: int, hour: int, timezone: str) -> datetime:
    """The first moment strictly after ``after`` that is ``weekday`` at ``hour``:00 local time."""
    tz = zone(timezone)
    local = after.astimezone(tz)
    days = (weekday - local.weekday()) % 7
    candidate = datetime(local.year, local.month, local.day, hour, tzinfo=tz) + timedelta(days=days)
    if candidate <= local:
        candidate += timedelta(days=7)
    # Rebuild from the wall-clock fields so a DST change in between keeps the local hour.
    candidate = datetime(candidate.year, candidate.month, candidate.day, hour, tzinfo=tz)
    return candidate.astimezone(after.tzinfo)


@dataclass(frozen=True)
class DigestPair:
    a: str
    b: str
    cards: int
    split: Split


@dataclass(frozen=True)
class Mover:
    name: str
    rating: int
    change: int


@dataclass(frozen=True)
class Digest:
    title: str
    since: datetime
    until: datetime
    pairs: tuple[DigestPair, ...]
    movers: tuple[Mover, ...]
    new_tools: tuple[str, ...]
    watch: tuple[str, ...] = ()  # price changes and deprecations of tools this community compared

    @property
    def empty(self) -> bool:
        return not (self.pairs or self.movers or self.new_tools or self.watch)


def digest_lines(digest: Digest, min_votes: int) -> list[str]:
    """The digest as plain text lines (adapters escape and style them)."""
    lines = [f"{digest.title} — week to {digest.until:%d %b %Y}"]
    if digest.empty:
        return [*lines, "A quiet week: no comparisons, no votes, no new tools."]
    if digest.pairs:
        lines.append("Most compared:")
        for pair in digest.pairs:
            split = pair.split
            if split.n == 0:
                votes = "no votes yet"
            elif split.n < min_votes:
                votes = f"too few votes (n = {split.n})"
            else:
                votes = f"{pair.a} {split.a_percent}% · {pair.b} {split.b_percent}% (n = {split.n})"
            lines.append(f"• {pair.a} vs {pair.b} — compared {pair.cards}×; {votes}")
    if digest.movers:
        lines.append("Biggest movers on the leaderboard:")
        lines += [f"• {m.name}: {m.change:+d} to {m.rating}" for m in digest.movers]
    if digest.new_tools:
        lines.append("New in the catalog: " + ", ".join(digest.new_tools))
    if digest.watch:
        lines.append("Watch (tools you compared):")
        lines += [f"• {item}" for item in digest.watch]
    return lines
