"""What ``--json`` prints: plain objects and lists with explicit keys (README lists each shape).

Stable: a key is never renamed or removed; new keys may be added.
"""

from __future__ import annotations

import json
from typing import Any

from bot.community import Leaderboard
from bot.digest import Digest
from bot.models import Tool, Verdict


def print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def panel(tool: Tool) -> dict[str, int]:
    ships = sum(1 for review in tool.reviews if review.verdict is Verdict.SHIP)
    return {"ships": ships, "reviews": len(tool.reviews)}


def tool_row(tool: Tool) -> dict[str, Any]:
    """One line of ``tool list --json``."""
    return {
        "name": tool.name,
        "category": tool.category,
        "entry": tool.entry.value,
        "aliases": list(tool.aliases),
        "panel": panel(tool),
    }


def tool_profile(tool: Tool) -> dict[str, Any]:
    """``tool show --json``: the profile, aliases and the panel's reviews."""
    return {
        "name": tool.name,
        "slug": tool.slug,
        "category": tool.category,
        "tagline": tool.tagline,
        "entry": tool.entry.value,
        "pricing_note": tool.pricing_note,
        "description": tool.description,
        "url": tool.url,
        "aliases": list(tool.aliases),
        "panel": panel(tool),
        "reviews": [
            {
                "lens": review.lens.value,
                "verdict": review.verdict.value,
                "quote": review.quote,
                "reviewer": review.reviewer,
            }
            for review in tool.reviews
        ],
    }


def leaderboard(board: Leaderboard) -> dict[str, Any]:
    """``leaderboard --json``: every rated tool, best first."""
    return {
        "votes": board.votes,
        "category": board.category,
        "min_votes": board.min_votes,
        "rows": [
            {
                "rank": row.rank,
                "name": row.name,
                "category": row.category,
                "rating": row.rating,
                "low": row.low,
                "high": row.high,
                "n": row.n,
                "provisional": row.provisional,
                "panel": row.panel,
            }
            for row in board.rows
        ],
    }


def digest(week: Digest) -> dict[str, Any]:
    """``digest --json``: the week's most compared pairs, movers, new tools and watch items."""
    return {
        "title": week.title,
        "since": week.since.isoformat(),
        "until": week.until.isoformat(),
        "pairs": [
            {
                "a": pair.a,
                "b": pair.b,
                "cards": pair.cards,
                "votes": {"a": pair.split.a, "b": pair.split.b},
            }
            for pair in week.pairs
        ],
        "movers": [
            {"name": mover.name, "rating": mover.rating, "change": mover.change}
            for mover in week.movers
        ],
        "new_tools": list(week.new_tools),
        "watch": list(week.watch),
    }
