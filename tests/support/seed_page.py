"""The seed comparison page (the project's own copy, tests/support/seed/) and the catalog's tools."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from bot.catalog import ToolEntry
from bot.models import Tool
from data.catalog_files import seed_catalog

REPO = Path(__file__).resolve().parents[2]
SEED_PAGE = Path(__file__).resolve().parent / "seed" / "000_3b6f2ab69b04876a.txt"


@dataclass(frozen=True)
class SeedProfile:
    category: str
    name: str
    tagline: str
    panel: str
    community: str
    entry: str
    description: str


@dataclass(frozen=True)
class SeedPage:
    heading: str
    title: str
    intro: str
    profiles: tuple[SeedProfile, SeedProfile]
    quotes: tuple[str, ...]  # eight, SmolLM3 first in each lens pair, without the curly quotes
    digest_title: str


def seed_page() -> SeedPage:
    lines = SEED_PAGE.read_text(encoding="utf-8").split("\n")
    profiles = []
    for start in (3, 13):
        block = lines[start : start + 10]
        profiles.append(
            SeedProfile(
                category=block[0],
                name=block[1],
                tagline=block[2],
                panel=block[3],
                community=block[5],
                entry=block[7],
                description=block[9],
            )
        )
    scorecard = lines.index("Reviewer scorecard")
    quotes = tuple(line[1:-1] for line in lines[scorecard + 1 : scorecard + 9])
    return SeedPage(
        lines[0], lines[1], lines[2], (profiles[0], profiles[1]), quotes, lines[scorecard + 9]
    )


def catalog_tool(name: str, tool_id: int = 1) -> Tool:
    """A tool from the bundled catalog as the core sees it (ids are made up)."""
    raw = _seed_entries().get(name)
    if raw is None:
        raise KeyError(name)
    draft = ToolEntry.model_validate(raw).to_draft()
    return Tool(
        id=tool_id,
        name=draft.name,
        category=draft.category,
        tagline=draft.tagline,
        entry=draft.entry,
        description=draft.description,
        pricing_note=draft.pricing_note,
        url=draft.url,
        aliases=draft.aliases,
        reviews=draft.reviews,
    )


@functools.cache
def _seed_entries() -> dict[str, dict[str, object]]:
    """The bundled catalog's raw entries by name, parsed once (the catalog has hundreds)."""
    return {raw["name"]: raw for raw in seed_catalog()["tools"]}
