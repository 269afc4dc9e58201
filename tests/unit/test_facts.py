"""Sourced facts: range checks, what a card shows when sources disagree, workloads."""

from __future__ import annotations

from datetime import date

import pytest

from bot.facts import (
    Fact,
    FactError,
    FactKey,
    Offering,
    Price,
    ToolFacts,
    Workload,
    check_fact,
    check_price,
    parse_tokens,
    tokens_label,
)

DAY = date(2025, 5, 7)


def test_zero_context_is_rejected_naming_the_tool_and_field() -> None:
    with pytest.raises(FactError, match=r"Fast SDXL: context must be more than 0 tokens, got 0"):
        check_fact("Fast SDXL", FactKey.CONTEXT, "0")


def test_negative_price_is_rejected_naming_the_tool_and_field() -> None:
    with pytest.raises(FactError, match=r"GPT-4o: price.input must not be negative, got -1.0"):
        check_price("GPT-4o", "price.input", -1.0)


@pytest.mark.parametrize(
    ("key", "given", "canonical"),
    [
        (FactKey.CONTEXT, "131072", "131072"),
        (FactKey.TOOL_CALLING, "Yes", "true"),
        (FactKey.INPUTS, "text, image,text", "text,image"),
        (FactKey.RELEASE_DATE, "2025-05", "2025-05"),
        (FactKey.STATUS, "Deprecated", "deprecated"),
    ],
)
def test_values_are_kept_in_one_canonical_form(key: FactKey, given: str, canonical: str) -> None:
    assert check_fact("X", key, given) == canonical


@pytest.mark.parametrize(
    ("key", "given"),
    [
        (FactKey.MAX_OUTPUT, "-5"),
        (FactKey.CONTEXT, "lots"),
        (FactKey.REASONING, "maybe"),
        (FactKey.RELEASE_DATE, "May 2025"),
        (FactKey.STATUS, "sunset"),
    ],
)
def test_values_of_the_wrong_kind_are_rejected(key: FactKey, given: str) -> None:
    with pytest.raises(FactError, match=f"X: {key.value}"):
        check_fact("X", key, given)


def fact(value: str, source: str, pinned: bool = False) -> Fact:
    return Fact(FactKey.CONTEXT, value, source, DAY, pinned=pinned)


def test_the_majority_value_is_shown_and_the_other_marked_as_disputed() -> None:
    held = ToolFacts(
        facts=(
            fact("131072", "models.dev"),
            fact("128000", "genai-prices"),
            fact("131072", "litellm"),
        )
    )
    shown = held.shown(FactKey.CONTEXT)
    assert shown is not None and shown.value == "131072" and shown.disagreement
    assert [f.source for f in shown.disputed] == ["genai-prices"]


def test_a_pinned_fact_wins_over_every_source() -> None:
    held = ToolFacts(
        facts=(
            fact("131072", "models.dev"),
            fact("131072", "litellm"),
            fact("65536", "curated", True),
        )
    )
    shown = held.shown(FactKey.CONTEXT)
    assert shown is not None and shown.value == "65536" and shown.source == "curated"


def offer(provider: str, source: str, price: Price, official: bool = False) -> Offering:
    return Offering(provider, provider.title(), "m", price, source, DAY, official=official)


def test_official_price_is_the_majority_of_the_sources_that_list_the_maker() -> None:
    cheap, dear = Price(0.4, 2.0), Price(1.5, 7.5)
    held = ToolFacts(
        offerings=(
            offer("mistral", "models.dev", cheap, True),
            offer("mistral", "genai-prices", dear, True),
            offer("mistral", "litellm", cheap, True),
            offer("openrouter", "models.dev", Price(0.3, 1.8)),
            offer("github-models", "models.dev", Price(0.0, 0.0)),
        )
    )
    official = held.official_offering()
    assert official is not None and official.price == cheap
    assert [o.source for o in held.official_disputed()] == ["genai-prices"]
    cheapest = held.cheapest_offering()
    assert cheapest is not None and cheapest.provider == "openrouter"  # free tiers left out


def test_monthly_cost_of_the_default_workload() -> None:
    assert Price(0.4, 2.0).monthly(Workload()) == pytest.approx(8.0)
    assert Workload().label == "10M + 2M"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("50M", Workload(41_666_667, 8_333_333)), ("10M+2M", Workload(10_000_000, 2_000_000))],
)
def test_workloads_parse(text: str, expected: Workload) -> None:
    assert Workload.parse(text) == expected


@pytest.mark.parametrize("text", ["lots", "-5M", "0", "1+2+3"])
def test_bad_workloads_say_what_is_wrong(text: str) -> None:
    with pytest.raises(ValueError):
        Workload.parse(text)


def test_token_labels() -> None:
    assert tokens_label(131072) == "128K"
    assert tokens_label(65536) == "64K"
    assert tokens_label(200_000) == "200K"
    assert tokens_label(1_048_576) == "1M"
    assert tokens_label(10_000_000) == "10M"
    assert parse_tokens("1.5B") == 1_500_000_000
