"""A card side's spec sheet and the quantitative pricing read, built from sourced facts.

Every row says where its value comes from and when; a value the sources disagree on is the
pinned / majority / official one, marked, with what the others say. Nothing is shown for a
field no source states.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.facts import (
    FactKey,
    Offering,
    ShownFact,
    ToolFacts,
    Workload,
    fact_label,
    tokens_label,
)

SELF_HOSTED = "self-hosted: you pay for your own hardware"
PRICE_LABEL = "Price per 1M in / out"
ROW_LABELS = (
    "Context",
    PRICE_LABEL,
    "Tool calling",
    "Structured output",
    "Inputs",
    "Reasoning",
    "Open weights",
    "License",
    "Parameters",
    "Released",
    "Knowledge cut-off",
    "Status",
)


def paired_rows(
    a: SpecSheet | None, b: SpecSheet | None
) -> list[tuple[str, SpecRow | None, SpecRow | None]]:
    """The fields either side has, in display order, with each side's row (None: not stated)."""
    left = {row.label: row for row in (a.rows if a else ())}
    right = {row.label: row for row in (b.rows if b else ())}
    labels = sorted({*left, *right}, key=ROW_LABELS.index)
    return [(label, left.get(label), right.get(label)) for label in labels]


@dataclass(frozen=True)
class SpecRow:
    """One line of a spec sheet: ``Context: 128K tokens (max output 128K)``."""

    label: str
    value: str
    source: str = ""
    as_of: str = ""  # ISO date the source stated it
    disputed: str = ""  # what the other sources say, when they differ

    @property
    def text(self) -> str:
        note = f" (sources disagree: {self.disputed})" if self.disputed else ""
        return f"{self.label}: {self.value}{note}"


@dataclass(frozen=True)
class PricePoint:
    """A price per 1M tokens on one provider, as one source lists it."""

    provider: str
    input: float
    output: float
    source: str
    as_of: str

    @property
    def text(self) -> str:
        return f"{money(self.input)} / {money(self.output)}"


@dataclass(frozen=True)
class SpecSheet:
    """What a model can do and costs, with provenance; ``rows`` in display order."""

    rows: tuple[SpecRow, ...]
    official_price: PricePoint | None = None
    cheapest_price: PricePoint | None = None
    monthly_cost: float | None = None  # at ``workload``, on the official (else cheapest) price
    workload: str = ""
    open_weights: bool = False
    license: str = ""

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(row.text for row in self.rows)

    @property
    def sources(self) -> str:
        """``models.dev 2025-05-07, genai-prices 2026-12-01``: each source once, newest date."""
        newest: dict[str, str] = {}
        for row in self.rows:
            if row.source:
                newest[row.source] = max(newest.get(row.source, ""), row.as_of)
        return ", ".join(f"{source} {day}".strip() for source, day in newest.items())


def money(value: float) -> str:
    if value == 0:
        return "$0"
    if value < 0.01:
        return f"${value:.4f}".rstrip("0")
    return f"${value:,.2f}"


def monthly(value: float) -> str:
    """``$8``, ``$1,234``, ``$0.45``."""
    if value >= 10 or value == round(value):
        return f"${value:,.0f}"
    return f"${value:.2f}"


def spec_sheet(facts: ToolFacts, workload: Workload) -> SpecSheet | None:
    """The spec sheet of one tool, or None when the catalog holds no fact about it."""
    if not facts:
        return None
    rows: list[SpecRow] = []

    def shown(key: FactKey) -> ShownFact | None:
        return facts.shown(key)

    def row(label: str, value: str, fact: ShownFact) -> None:
        disputed = "; ".join(
            f"{other.source} says {fact_label(other.key, other.value)}" for other in fact.disputed
        )
        rows.append(SpecRow(label, value, fact.source, fact.as_of.isoformat(), disputed))

    context = shown(FactKey.CONTEXT)
    if context:
        value = fact_label(FactKey.CONTEXT, context.value)
        extra = []
        if (extended := shown(FactKey.CONTEXT_EXTENDED)) is not None:
            extra.append(f"{tokens_label(int(extended.value))} extended")
        if (output := shown(FactKey.MAX_OUTPUT)) is not None:
            extra.append(f"max output {tokens_label(int(output.value))}")
        row("Context", value + (f" ({', '.join(extra)})" if extra else ""), context)
    official, cheapest = facts.official_offering(), facts.cheapest_offering()
    open_weights = (ow := shown(FactKey.OPEN_WEIGHTS)) is not None and ow.value == "true"
    license_fact = shown(FactKey.LICENSE)
    price_row = _price_row(facts, official, cheapest)
    if price_row:
        rows.append(price_row)
    for key in (
        FactKey.TOOL_CALLING,
        FactKey.STRUCTURED_OUTPUT,
        FactKey.INPUTS,
        FactKey.REASONING,
    ):
        if (fact := shown(key)) is not None:
            row(key.label, fact_label(key, fact.value), fact)
    if ow is not None:
        value = "yes" if open_weights else "no"
        if open_weights and license_fact:
            value += f", {license_fact.value}"
        row("Open weights", value, ow)
    elif license_fact:
        row("License", license_fact.value, license_fact)
    for key in (FactKey.PARAMETERS, FactKey.RELEASE_DATE, FactKey.KNOWLEDGE_CUTOFF):
        if (fact := shown(key)) is not None:
            row(key.label, fact_label(key, fact.value), fact)
    if (status := shown(FactKey.STATUS)) is not None and status.value != "active":
        value = status.value
        if (on := shown(FactKey.DEPRECATED_ON)) is not None:
            value = f"deprecated on {on.value}"
        if (successor := shown(FactKey.SUCCESSOR)) is not None:
            value += f", successor {successor.value}"
        row("Status", value, status)
    priced = official or cheapest
    return SpecSheet(
        rows=tuple(rows),
        official_price=_point(official),
        cheapest_price=_point(cheapest),
        monthly_cost=priced.price.monthly(workload) if priced else None,
        workload=workload.label,
        open_weights=open_weights,
        license=license_fact.value if license_fact else "",
    )


def _price_row(
    facts: ToolFacts, official: Offering | None, cheapest: Offering | None
) -> SpecRow | None:
    if official is None and cheapest is None:
        return None
    parts = []
    if official is not None:
        parts.append(f"{_prices(official)} ({official.provider_name or official.provider})")
    if (
        cheapest is not None
        and cheapest != official
        and (official is None or _total(cheapest) < _total(official))
    ):
        who = cheapest.provider_name or cheapest.provider
        parts.append(f"cheapest {_prices(cheapest)} on {who}")
    shown = official or cheapest
    assert shown is not None
    disputed = "; ".join(
        f"{o.source} lists {_prices(o)}" for o in facts.official_disputed() if official
    )
    return SpecRow(
        PRICE_LABEL,
        " · ".join(parts),
        shown.source,
        shown.as_of.isoformat(),
        disputed,
    )


def _prices(offer: Offering) -> str:
    return f"{money(offer.price.input or 0)} / {money(offer.price.output or 0)}"


def _total(offer: Offering) -> float:
    return (offer.price.input or 0) * 5 + (offer.price.output or 0)


def _point(offer: Offering | None) -> PricePoint | None:
    if offer is None or offer.price.input is None or offer.price.output is None:
        return None
    return PricePoint(
        provider=offer.provider_name or offer.provider,
        input=offer.price.input,
        output=offer.price.output,
        source=offer.source,
        as_of=offer.as_of.isoformat(),
    )


def price_phrase(name: str, sheet: SpecSheet | None, pricing_note: str) -> str:
    """One side of the quantitative read: ``Mistral Medium 3 $0.40 / $2.00 per 1M (≈ $8 a month
    at 10M + 2M)``, ``SmolLM3 free, open weights under Apache 2.0 (self-hosted: …)``, or the
    plan price from the profile."""
    point = (sheet.official_price or sheet.cheapest_price) if sheet else None
    if sheet and point:
        text = f"{name} {point.text} per 1M"
        if sheet.monthly_cost is not None:
            text += f" (≈ {monthly(sheet.monthly_cost)} a month at {sheet.workload})"
        if sheet.open_weights:
            text += f"; open weights{_under(sheet)}, or {SELF_HOSTED}"
        return text
    if sheet and sheet.open_weights:
        return f"{name} free, open weights{_under(sheet)} ({SELF_HOSTED})"
    if pricing_note:
        return f"{name}: {pricing_note.rstrip('.')}"
    return f"{name}: no listed price"


def _under(sheet: SpecSheet) -> str:
    return f" under {sheet.license}" if sheet.license else ""


def quantitative_read(
    a_name: str,
    a_sheet: SpecSheet | None,
    a_note: str,
    b_name: str,
    b_sheet: SpecSheet | None,
    b_note: str,
) -> str:
    """Both prices per 1M tokens and what the workload costs a month on each ("" when neither
    side has a price or open weights)."""
    if not any(
        s and (s.official_price or s.cheapest_price or s.open_weights) for s in (a_sheet, b_sheet)
    ):
        return ""
    return f"{price_phrase(a_name, a_sheet, a_note)} vs {price_phrase(b_name, b_sheet, b_note)}."
