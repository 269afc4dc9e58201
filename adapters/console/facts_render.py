"""``tool show NAME --facts``: every value every source gave, and every offering."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from bot.facts import FactKey, ToolFacts, fact_label


def facts_tables(held: ToolFacts) -> list[Table | Text]:
    if not held:
        return [Text("No sourced facts for this tool yet (run `shipbot catalog sync`).")]
    facts = Table("Field", "Value", "Source", "As of", "Shown", title="Facts")
    for key in FactKey:
        shown = held.shown(key)
        for fact in (f for f in held.facts if f.key is key):
            mark = "✓" if shown and fact.value == shown.value else "disagrees"
            if fact.pinned:
                mark += " (pinned)"
            facts.add_row(
                key.label,
                Text(fact_label(key, fact.value)),
                Text(fact.source),
                fact.as_of.isoformat(),
                mark,
            )
    offers = Table(
        "Provider",
        "Model id",
        "$/1M in",
        "$/1M out",
        "Cache read",
        "Context",
        "Source",
        "As of",
        title="Offerings (official first)",
    )
    for offer in held.offerings:
        offers.add_row(
            Text(offer.provider_name + (" (official)" if offer.official else "")),
            Text(offer.model_id),
            _money(offer.price.input),
            _money(offer.price.output),
            _money(offer.price.cache_read),
            f"{offer.context:,}" if offer.context else "—",
            Text(offer.source),
            offer.as_of.isoformat(),
        )
    pairs = [(f.source, f.source_url) for f in held.facts] + [
        (o.source, o.source_url) for o in held.offerings
    ]
    links = dict.fromkeys(f"{source}: {url}" for source, url in pairs if url)
    return [facts, offers, Text("Sources\n" + "\n".join(f"  {line}" for line in links))]


def _money(value: float | None) -> str:
    return (
        "—"
        if value is None
        else f"${value:,.2f}"
        if value >= 0.01 or value == 0
        else f"${value:.4f}"
    )
