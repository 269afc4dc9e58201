"""Render a ``VerdictCard`` for a terminal (rich) or as JSON. Pure functions of the card.

User-written text goes into ``rich.text.Text`` objects, never through markup parsing, so a tool
name such as ``[bold]x[/]`` prints literally.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from adapters.card_json import card_json
from adapters.text import verdict_mark as verdict_mark
from bot.cards import Quote, ToolSide, VerdictCard
from bot.models import Verdict
from bot.spec_sheet import SpecRow, paired_rows


def render_card(card: VerdictCard) -> RenderableType:
    """The whole card, top to bottom, in the order of the comparison page."""
    parts: list[RenderableType] = [
        Text(card.heading.upper(), style="dim"),
        Text(card.title, style="bold"),
        Text(card.intro, style="italic"),
        Text(""),
        _profiles(card.a, card.b),
        *_spec_sheets(card.a, card.b),
        Text(""),
        _labelled("Pricing read", card.pricing_read),
        Text(""),
        Text(
            "Reviewer scorecard" + (f" — {card.lens.label} lens only" if card.lens else ""),
            style="bold",
        ),
    ]
    for row in card.reviewer_split:
        table = Table(box=box.SIMPLE, show_header=False, expand=True, padding=(0, 1))
        table.add_column(ratio=1)
        table.add_column(ratio=1)
        table.add_row(_quote(card.a.name, row.a), _quote(card.b.name, row.b))
        parts.append(Panel(table, title=Text(row.label), title_align="left", box=box.ROUNDED))
    parts += [
        _labelled("Community vote", card.community.text),
        _labelled("Verdict", card.verdict),
        *([_labelled("Full verdict", card.page_url)] if card.page_url else []),
        Text(""),
        Text(card.footer, style="dim"),
    ]
    if card.card_id is not None:
        parts.append(Text(f"card #{card.card_id}", style="dim"))
    return Group(*parts)


def _profiles(a: ToolSide, b: ToolSide) -> Table:
    table = Table(box=box.ROUNDED, expand=True, show_lines=True)
    table.add_column("", style="dim", no_wrap=True)
    table.add_column(Text(a.name, style="bold"), ratio=1)
    table.add_column(Text(b.name, style="bold"), ratio=1)
    rows = (
        ("Category", a.category, b.category),
        ("Tagline", a.tagline, b.tagline),
        ("Panel ship", a.panel.label, b.panel.label),
        ("Community", a.community, b.community),
        ("Entry", a.entry, b.entry),
        ("Profile", a.description, b.description),
    )
    for label, left, right in rows:
        table.add_row(label, Text(left), Text(right))
    if a.url or b.url:
        table.add_row("Link", Text(a.url, overflow="fold"), Text(b.url, overflow="fold"))
    return table


def _spec_sheets(a: ToolSide, b: ToolSide) -> list[RenderableType]:
    """Both spec sheets side by side (a row per field either side has), with their sources."""
    if a.specs is None and b.specs is None:
        return []
    table = Table(box=box.ROUNDED, expand=True, title="Spec sheet", title_justify="left")
    table.add_column("", style="dim", no_wrap=True)
    table.add_column(Text(a.name, style="bold"), ratio=1)
    table.add_column(Text(b.name, style="bold"), ratio=1)
    for label, left, right in paired_rows(a.specs, b.specs):
        table.add_row(label, _spec_cell(left), _spec_cell(right))
    sources = [
        f"{side.name}: {side.specs.sources}" for side in (a, b) if side.specs and side.specs.sources
    ]
    table.caption = "Sources — " + "; ".join(sources) if sources else None
    return [table]


def _spec_cell(row: SpecRow | None) -> Text:
    if row is None:
        return Text("—", style="dim")
    text = Text(row.value)
    if row.disputed:
        text.append(f"\n⚠ sources disagree: {row.disputed}", style="yellow")
    return text


def _quote(name: str, quote: Quote | None) -> Text:
    text = Text()
    text.append(name, style="bold")
    if quote is None:
        text.append("  no review yet", style="dim")
        return text
    style = "green" if quote.verdict is Verdict.SHIP else "red"
    text.append(f"  {verdict_mark(quote.verdict)}\n", style=style)
    text.append(f"“{quote.text}”")
    if quote.drafted:
        text.append(f"\n— {quote.provenance}", style="dim")
    return text


def _labelled(label: str, value: str) -> Text:
    text = Text()
    text.append(f"{label}: ", style="bold")
    text.append(value)
    return text


__all__ = ["card_json", "render_card", "verdict_mark"]
