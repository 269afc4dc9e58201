"""What the prompt may tell the model about a tool: its profile, its sourced spec facts and
official price (each with its source and as-of date), and its category's competitors, each a
numbered fact with its source. Nothing else goes into a prompt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.facts import FactKey, ToolFacts, fact_label
from bot.models import Tool

CATALOG_SOURCE = "shipbot catalog profile"
MAX_COMPETITORS = 8


@dataclass(frozen=True)
class Fact:
    """One thing the model may rely on, with where it comes from."""

    id: str  # F1, F2 … as the prompt numbers them
    text: str
    source: str

    @property
    def line(self) -> str:
        return f"[{self.id}] {self.text} (source: {self.source})"

    @property
    def receipt(self) -> str:
        """How a draft's receipt keeps it: the words, not only the number."""
        return f"{self.text} (source: {self.source})"


def facts_for(
    tool: Tool, catalog: Sequence[Tool], sourced: ToolFacts | None = None
) -> tuple[Fact, ...]:
    """The tool's profile fields, its sourced facts and up to eight competitors in its
    category, numbered."""
    texts: list[tuple[str, str]] = [
        (f"{tool.name} is in the category {tool.category}.", CATALOG_SOURCE),
        (f"{tool.name}'s one-line pitch: {tool.tagline}", CATALOG_SOURCE),
        (f"{tool.name}'s entry price tier: {tool.entry.value}.", CATALOG_SOURCE),
    ]
    if tool.pricing_note:
        texts.append((f"{tool.name} pricing: {tool.pricing_note}", CATALOG_SOURCE))
    texts.append((f"{tool.name} profile: {tool.description}", CATALOG_SOURCE))
    if tool.url:
        texts.append((f"{tool.name}'s site: {tool.url}", CATALOG_SOURCE))
    texts.extend(_sourced(tool.name, sourced or ToolFacts()))
    peers = [
        other
        for other in catalog
        if other.id != tool.id and other.category.casefold() == tool.category.casefold()
    ]
    for peer in peers[:MAX_COMPETITORS]:
        texts.append(
            (
                f"Competitor in {peer.category}: {peer.name} — {peer.tagline} "
                f"(entry {peer.entry.value}).",
                CATALOG_SOURCE,
            )
        )
    return tuple(Fact(id=f"F{n}", text=t, source=s) for n, (t, s) in enumerate(texts, 1))


def _sourced(name: str, held: ToolFacts) -> list[tuple[str, str]]:
    """One line per spec fact the card would show, and the official price, with source dates."""
    lines = []
    for key in FactKey:
        shown = held.shown(key)
        if shown is not None:
            lines.append(
                (
                    f"{name} {key.label.casefold()}: {fact_label(key, shown.value)}.",
                    f"{shown.source}, as of {shown.as_of.isoformat()}",
                )
            )
    offer = held.official_offering()
    if offer is not None and offer.price.input is not None and offer.price.output is not None:
        lines.append(
            (
                f"{name} on {offer.provider_name} costs ${offer.price.input:g} per 1M input "
                f"tokens and ${offer.price.output:g} per 1M output tokens.",
                f"{offer.source}, as of {offer.as_of.isoformat()}",
            )
        )
    return lines
