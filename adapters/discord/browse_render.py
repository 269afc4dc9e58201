"""Render catalog pages, a tool's profile and its alternatives as Discord embeds: pure functions,
every user text escaped and cut to its limit (``markdown.fit``)."""

from __future__ import annotations

import discord

from adapters.discord.markdown import fit, units
from adapters.discord.render import COLOUR, DESCRIPTION, FIELD_VALUE, TITLE, spec_field
from bot.alternatives import Alternative
from bot.browse import Alternatives, CatalogPage, ToolInfo

TAGLINE = 200  # characters of a tagline on a page


def catalog_embed(page: CatalogPage) -> discord.Embed:
    """One page of ``/tools``: a line per tool, the filter and the page number."""
    where = ", ".join(page.categories) if page.categories else "every category"
    matching = f" matching “{page.query}”" if page.query else ""
    lines = [
        f"**{fit(line.name, 100)}** — {fit(line.tagline, TAGLINE)}"
        f"\n-# {fit(line.category, 60)} · {line.entry} · panel {line.panel.label}"
        for line in page.lines
    ]
    embed = discord.Embed(
        title=fit(f"Tools in {where}{matching}", TITLE),
        description=_within("\n".join(lines), DESCRIPTION),
        colour=COLOUR,
    )
    embed.set_footer(
        text=f"Page {page.page + 1} of {page.pages} · {page.total} tools · "
        "/tool info NAME for one tool's facts"
    )
    return embed


def info_embed(info: ToolInfo) -> discord.Embed:
    """``/tool info``: the profile, panel %, spec sheet with sources, the closest alternatives."""
    side = info.side
    embed = discord.Embed(
        title=fit(side.name, TITLE),
        description=fit(side.tagline, 400)
        + ("\n\n" + fit(side.description, 1500) if side.description else ""),
        colour=COLOUR,
        url=side.url or None,
    )
    embed.add_field(name="Category", value=fit(side.category, 100) or "—", inline=True)
    embed.add_field(name="Entry", value=side.entry, inline=True)
    embed.add_field(name="Panel ship", value=side.panel.label, inline=True)
    if info.aliases:
        embed.add_field(name="Also called", value=fit(", ".join(info.aliases), 500), inline=False)
    if side.pricing_note:
        embed.add_field(name="Pricing", value=fit(side.pricing_note, 500), inline=False)
    specs = spec_field(side) if side.specs is not None else "no sourced facts yet"
    embed.add_field(name="Specs", value=specs, inline=False)
    if info.alternatives:
        embed.add_field(
            name="Closest alternatives", value=alternative_lines(info.alternatives), inline=False
        )
    return embed


def alternatives_embed(found: Alternatives) -> discord.Embed:
    """``/alternatives``: the ranked tools of the category, or a line saying there are none."""
    body = (
        alternative_lines(found.alternatives, DESCRIPTION)
        if found.alternatives
        else f"No other tool in {fit(found.category, 100)} yet."
    )
    embed = discord.Embed(
        title=fit(f"Alternatives to {found.name}", TITLE), description=body, colour=COLOUR
    )
    embed.set_footer(text=f"{found.category[:100]} · most compared first, then by facts")
    return embed


def alternative_lines(alternatives: tuple[Alternative, ...], limit: int = FIELD_VALUE) -> str:
    lines = [
        f"**{fit(a.name, 100)}**" + (f" — {fit(a.reason, 160)}" if a.reason else "")
        for a in alternatives
    ]
    return _within("\n".join(lines), limit)


def _within(text: str, limit: int) -> str:
    """Whole lines of ``text`` within ``limit`` units (never a blank value)."""
    kept: list[str] = []
    for line in text.split("\n"):
        if units("\n".join([*kept, line])) > limit:
            break
        kept.append(line)
    return "\n".join(kept) or "—"
