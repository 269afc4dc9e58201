"""The card's spec sheets and quantitative pricing read, from sourced facts."""

from __future__ import annotations

from datetime import date

from bot.cards import VerdictCard, build_card, community_line
from bot.facts import CURATED, Fact, FactKey, Offering, Price, ToolFacts, Workload
from bot.parsing import split_workload
from bot.votes import Split
from tests.support.seed_page import catalog_tool

DAY = date(2025, 5, 7)
SMOL_URL = "https://huggingface.co/HuggingFaceTB/SmolLM3-3B"


def smol_facts() -> ToolFacts:
    def curated(key: FactKey, value: str) -> Fact:
        return Fact(key, value, CURATED, date(2025, 7, 8), SMOL_URL, pinned=True)

    return ToolFacts(
        facts=(
            curated(FactKey.CONTEXT, "65536"),
            curated(FactKey.CONTEXT_EXTENDED, "131072"),
            curated(FactKey.OPEN_WEIGHTS, "true"),
            curated(FactKey.LICENSE, "Apache 2.0"),
            curated(FactKey.PARAMETERS, "3B"),
        )
    )


def medium_facts() -> ToolFacts:
    def md(key: FactKey, value: str) -> Fact:
        return Fact(key, value, "models.dev", DAY, "https://docs.mistral.ai")

    def offer(provider: str, name: str, source: str, price: Price, official: bool) -> Offering:
        return Offering(
            provider, name, "mistral-medium-2505", price, source, DAY, official=official
        )

    return ToolFacts(
        facts=(
            md(FactKey.CONTEXT, "131072"),
            md(FactKey.MAX_OUTPUT, "131072"),
            md(FactKey.TOOL_CALLING, "true"),
            md(FactKey.INPUTS, "text,image"),
            md(FactKey.RELEASE_DATE, "2025-05-07"),
            Fact(FactKey.STATUS, "deprecated", "litellm", DAY),
            Fact(FactKey.DEPRECATED_ON, "2026-03-01", "litellm", DAY),
            Fact(FactKey.SUCCESSOR, "Mistral Medium 3.1", CURATED, DAY, pinned=True),
        ),
        offerings=(
            offer("mistral", "Mistral", "models.dev", Price(0.4, 2.0), True),
            offer("mistral", "Mistral", "genai-prices", Price(0.4, 2.0), True),
            offer("mistral", "Mistral", "litellm", Price(1.5, 7.5), True),
            offer("deepinfra", "DeepInfra", "models.dev", Price(0.3, 1.5), False),
        ),
    )


def seed_card(workload: Workload | None = None) -> VerdictCard:
    smol, mistral = catalog_tool("SmolLM3", 1), catalog_tool("Mistral Medium 3", 2)
    line = community_line(smol.name, mistral.name, Split(0, 0), Split(0, 0), minimum=5)
    return build_card(
        smol,
        mistral,
        community=line,
        facts=(smol_facts(), medium_facts()),
        workload=workload or Workload(),
    )


def test_the_seed_pairs_pricing_read_is_quantitative_and_keeps_what_it_said_before() -> None:
    card = seed_card()
    assert card.pricing_read.startswith(
        "SmolLM3 is the cheaper way in (Free); Mistral Medium 3 is Paid."
    )
    assert card.pricing_read.endswith(
        "SmolLM3 free, open weights under Apache 2.0 (self-hosted: you pay for your own hardware)"
        " vs Mistral Medium 3 $0.40 / $2.00 per 1M (≈ $8 a month at 10M + 2M)."
    )


def test_a_stated_workload_is_priced() -> None:
    card = seed_card(Workload.parse("50M"))
    assert "≈ $33 a month at 41.7M + 8.3M" in card.pricing_read


def test_spec_sheets_show_sourced_values_and_mark_disagreement() -> None:
    card = seed_card()
    smol, medium = card.a.specs, card.b.specs
    assert smol is not None and medium is not None
    assert smol.lines == (
        "Context: 64K tokens (128K extended)",
        "Open weights: yes, Apache 2.0",
        "Parameters: 3B",
    )
    rows = {row.label: row for row in medium.rows}
    assert rows["Context"].value == "128K tokens (max output 128K)"
    price = rows["Price per 1M in / out"]
    assert price.value == "$0.40 / $2.00 (Mistral) · cheapest $0.30 / $1.50 on DeepInfra"
    assert price.disputed == "litellm lists $1.50 / $7.50"  # the majority is shown, the rest marked
    assert rows["Status"].value == "deprecated on 2026-03-01, successor Mistral Medium 3.1"
    assert (rows["Context"].source, rows["Context"].as_of) == ("models.dev", "2025-05-07")
    assert "curated 2025-07-08" in smol.sources
    assert medium.official_price is not None and medium.official_price.input == 0.4
    assert medium.monthly_cost is not None and round(medium.monthly_cost, 2) == 8.0


def test_a_tool_without_facts_has_no_spec_sheet_and_the_read_is_unchanged() -> None:
    smol, mistral = catalog_tool("SmolLM3", 1), catalog_tool("Mistral Medium 3", 2)
    line = community_line(smol.name, mistral.name, Split(0, 0), Split(0, 0), minimum=5)
    card = build_card(smol, mistral, community=line)
    assert card.a.specs is None and card.b.specs is None
    assert "per 1M" not in card.pricing_read


def test_workload_clauses_are_parsed_off_the_request() -> None:
    assert split_workload("A vs B for 50M tokens") == ("A vs B", Workload.parse("50M"))
    assert split_workload("A vs B for 10M+2M tokens a month")[1] == Workload(10_000_000, 2_000_000)
    assert split_workload("A vs B for 10M in + 2M out") == (
        "A vs B",
        Workload(10_000_000, 2_000_000),
    )
    assert split_workload("GPT-4o vs Claude for developers") == (
        "GPT-4o vs Claude for developers",
        None,
    )
