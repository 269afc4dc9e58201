"""Browsing the catalog (``bot.browse``) and ranking alternatives (``bot.alternatives``): pure."""

from __future__ import annotations

import math
from datetime import date

from bot.alternatives import Candidate, candidate, distance, rank_alternatives, reason
from bot.browse import catalog_page, matches, split_category
from bot.facts import Fact, FactKey, Offering, Price, ToolFacts
from bot.models import Entry, Lens, Review, Tool, Verdict


def tool(tool_id: int, name: str, tagline: str = "does things", *aliases: str) -> Tool:
    return Tool(
        id=tool_id,
        name=name,
        category="Developer Tools",
        tagline=tagline,
        entry=Entry.FREE,
        description="",
        aliases=aliases,
        reviews=(Review(Lens.BUSINESS, Verdict.SHIP, "q" * 20),) if tool_id % 2 else (),
    )


def test_pages_are_sorted_by_name_and_clamped() -> None:
    tools = [tool(i, name) for i, name in enumerate(["delta", "Alpha", "charlie", "bravo", "echo"])]
    first = catalog_page(tools, 0, size=2)
    assert [line.name for line in first.lines] == ["Alpha", "bravo"]
    assert (first.page, first.pages, first.total) == (0, 3, 5)
    assert not first.has_prev and first.has_next
    last = catalog_page(tools, 99, size=2)
    assert [line.name for line in last.lines] == ["echo"] and last.page == 2
    assert last.has_prev and not last.has_next
    assert catalog_page([], 0).pages == 1


def test_panel_of_each_line() -> None:
    page = catalog_page([tool(1, "One"), tool(2, "Two")], 0)
    assert [line.panel.label for line in page.lines] == ["100% · 1/1", "no panel yet"]


def test_a_query_matches_word_starts_of_name_alias_or_tagline() -> None:
    qdrant = tool(1, "Qdrant", "Vector search engine", "qd")
    assert matches(qdrant, "qdr") and matches(qdrant, "vector eng") and matches(qdrant, "QD")
    assert not matches(qdrant, "pinecone") and not matches(qdrant, "ector")


def test_most_compared_first_then_nearest_facts_then_name() -> None:
    target = Candidate(1, "Target", context=128_000, monthly_cost=10.0)
    pool = [
        Candidate(2, "Zeta", compared=1),
        Candidate(3, "Far", context=1_000, monthly_cost=500.0),
        Candidate(4, "Near", context=131_072, monthly_cost=11.0),
        Candidate(5, "Alpha"),
        Candidate(6, "Most", compared=4),
        Candidate(1, "Target", compared=9),  # never its own alternative
    ]
    ranked = rank_alternatives(target, pool, limit=10)
    assert [a.name for a in ranked] == ["Most", "Zeta", "Near", "Far", "Alpha"]
    assert ranked[0].reason == "compared 4×"
    assert len(rank_alternatives(target, pool, limit=2)) == 2


def test_distance_uses_the_facts_both_have() -> None:
    a = Candidate(1, "a", context=100_000)
    assert distance(a, Candidate(2, "b", context=100_000)) == 0
    assert distance(a, Candidate(3, "c", monthly_cost=3.0)) == math.inf


def test_candidate_reads_context_and_official_price() -> None:
    day = date(2025, 1, 1)
    facts = ToolFacts(
        facts=(Fact(FactKey.CONTEXT, "131072", "models.dev", day),),
        offerings=(
            Offering("acme", "Acme", "m", Price(1.0, 2.0), "models.dev", day, official=True),
        ),
    )
    found = candidate(7, "Seven", facts, compared=2)
    assert (found.context, found.monthly_cost, found.compared) == (131_072, 14.0, 2)
    assert reason(found) == "compared 2× · 128K context · $14 a month at 10M + 2M"
    assert candidate(8, "Bare", ToolFacts()) == Candidate(8, "Bare")


def test_a_leading_category_is_split_from_the_query() -> None:
    known = ["Vector Databases", "Coding Assistants", "Inference Engines"]
    assert split_category("vector qdrant", known) == ("vector", "qdrant")
    assert split_category("coding assistants", known) == ("coding assistants", "")
    assert split_category("qdrant cloud", known) == ("", "qdrant cloud")
    assert split_category("", known) == ("", "")
