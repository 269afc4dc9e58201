"""What a page shows, computed from a frozen ``VerdictCard``: pure functions, no I/O.

The templates only lay these values out; the live-vote stream sends the same ``live_fields`` the
page was rendered with, so a page updated in place reads exactly like a fresh one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from bot.cards import NO_VOTES, ToolSide, VerdictCard
from bot.models import Community
from bot.permalinks import image_path, pair_path, tool_path
from bot.votes import Split

# ToolSide fields the profile already lays out; any other field a card carries (spec sheets,
# sourced facts …) is shown on the page's spec sheet as it is.
PROFILE_FIELDS = frozenset(
    {
        "tool_id",
        "name",
        "category",
        "tagline",
        "entry",
        "pricing_note",
        "description",
        "url",
        "panel",
        "community",
        "slug",
    }
)
# Card fields laid out by the page itself; others are shown after the pricing read.
CARD_FIELDS = frozenset(
    {
        "heading",
        "title",
        "intro",
        "a",
        "b",
        "pricing_read",
        "reviewer_split",
        "community",
        "verdict",
        "lens",
        "card_id",
        "footer",
        "page_url",
    }
)


@dataclass(frozen=True)
class SplitView:
    """One vote split as the page words it."""

    label: str  # "Everywhere" or "In this community"
    text: str  # "SmolLM3 55% · Mistral Medium 3 45%", "—", "too few votes"
    detail: str  # "n = 340 · 95% CI for SmolLM3 49–61%"
    a_percent: int | None  # for the bar; None when there is nothing to draw


@dataclass(frozen=True)
class Fact:
    """One extra fact of a tool or card (a spec sheet line), flattened for display."""

    label: str
    value: str


def split_view(label: str, a_name: str, b_name: str, split: Split, minimum: int) -> SplitView:
    if split.n == 0:
        return SplitView(label, NO_VOTES, "no votes yet", None)
    if not split.enough(minimum):
        return SplitView(label, "too few votes", f"n = {split.n}", None)
    low, high = split.a_interval
    return SplitView(
        label,
        f"{a_name} {split.a_percent}% · {b_name} {split.b_percent}%",
        f"n = {split.n} · 95% CI for {a_name} {round(low * 100)}–{round(high * 100)}%",
        split.a_percent,
    )


def community_views(card: VerdictCard, community: Community | None) -> list[SplitView]:
    """The global split, and the linked community's when the page was opened from its card."""
    line, a, b = card.community, card.a.name, card.b.name
    views = [split_view("Everywhere", a, b, line.everywhere, line.minimum)]
    if community is not None:
        views.append(split_view("In this community", a, b, line.here, line.minimum))
    return views


def live_fields(card: VerdictCard, community: Community | None) -> dict[str, str]:
    """Element id → text for every number that moves when votes land."""
    out = {"share-a": card.a.community, "share-b": card.b.community, "verdict-line": card.verdict}
    for index, view in enumerate(community_views(card, community)):
        out[f"split-{index}-text"] = view.text
        out[f"split-{index}-detail"] = view.detail
        out[f"split-{index}-bar"] = "" if view.a_percent is None else str(view.a_percent)
    return out


def canonical_path(card: VerdictCard) -> str:
    return pair_path((card.a.tool_id, card.a.slug), (card.b.tool_id, card.b.slug))


def preview_path(card: VerdictCard) -> str:
    return image_path((card.a.tool_id, card.a.slug), (card.b.tool_id, card.b.slug))


def tool_link(side: ToolSide) -> str:
    return tool_path(side.slug)


def preview_alt(card: VerdictCard) -> str:
    """The preview image's words (its alt text and the tEXt title inside the PNG)."""
    shares = community_views(card, None)[0]
    return (
        f"{card.title}: panel ship {card.a.panel.label} vs {card.b.panel.label}; "
        f"community {shares.text}"
    )


def extra_facts(value: object, known: frozenset[str]) -> list[Fact]:
    """Fields of a card or tool side that the page does not lay out itself, readable."""
    if not is_dataclass(value) or isinstance(value, type):
        return []
    facts = []
    for item in fields(value):
        if item.name in known:
            continue
        shown = _readable(getattr(value, item.name))
        if shown:
            facts.append(Fact(item.name.replace("_", " ").capitalize(), shown))
    return facts


def _readable(value: Any) -> str:
    """A plain sentence for any field value: dataclasses as "key: value" pairs, lists joined."""
    if value is None or value == "" or value == () or value == []:
        return ""
    if is_dataclass(value) and not isinstance(value, type):
        parts = [
            f"{f.name.replace('_', ' ')}: {shown}"
            for f in fields(value)
            if (shown := _readable(getattr(value, f.name)))
        ]
        return "; ".join(parts)
    if isinstance(value, (list, tuple)):
        return " · ".join(shown for item in value if (shown := _readable(item)))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_readable(v)}" for k, v in value.items())
    return str(getattr(value, "value", value))
