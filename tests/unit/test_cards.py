"""The verdict card for the seed pair carries everything the seed page carries."""

from __future__ import annotations

import pytest

from bot.cards import NO_PANEL, VerdictCard, build_card, community_line, pricing_read
from bot.models import Entry, Lens, Verdict
from bot.votes import Split
from tests.support.seed_page import catalog_tool, seed_page

NONE = Split(0, 0)


def _card(lens: Lens | None = None, here: Split = NONE, everywhere: Split = NONE) -> VerdictCard:
    smol, mistral = catalog_tool("SmolLM3", 1), catalog_tool("Mistral Medium 3", 2)
    line = community_line(smol.name, mistral.name, here, everywhere, minimum=5)
    return build_card(smol, mistral, community=line, lens=lens)


def test_seed_pair_panel_is_75_and_100_with_fractions() -> None:
    card = _card()
    assert card.a.panel.label == "75% · 3/4"
    assert card.b.panel.label == "100% · 4/4"


def test_seed_pair_card_carries_every_field_of_the_page() -> None:
    page, card = seed_page(), _card()
    assert card.heading == page.heading
    assert card.title == page.title
    assert card.intro == page.intro
    for side, profile in zip((card.a, card.b), page.profiles, strict=True):
        assert (side.category, side.name, side.tagline) == (
            profile.category,
            profile.name,
            profile.tagline,
        )
        assert side.panel.label.startswith(profile.panel)
        assert side.community == profile.community == "—"
        assert side.entry == profile.entry
        assert side.description == profile.description
    card_quotes = [q.text for row in card.reviewer_split for q in (row.a, row.b) if q]
    assert tuple(card_quotes) == page.quotes
    assert page.digest_title in card.footer


def test_all_eight_quotes_sit_under_the_right_lens_with_the_right_verdict() -> None:
    rows = {row.lens: row for row in _card().reviewer_split}
    assert list(rows) == [Lens.DEVELOPER, Lens.COMPETITION, Lens.FUTURE, Lens.BUSINESS]
    assert rows[Lens.DEVELOPER].a.text.startswith("The primitive here is clean")  # type: ignore[union-attr]
    assert rows[Lens.COMPETITION].b.text.startswith("Category: mid-tier inference API")  # type: ignore[union-attr]
    assert rows[Lens.FUTURE].a.text.startswith("The thesis SmolLM3 bets on")  # type: ignore[union-attr]
    assert rows[Lens.BUSINESS].a.text.endswith("Skip as a business, ship as infrastructure.")  # type: ignore[union-attr]
    verdicts = {
        (lens, side): getattr(row, side).verdict for lens, row in rows.items() for side in "ab"
    }
    assert [lens for (lens, side), v in verdicts.items() if v is Verdict.SKIP] == [Lens.BUSINESS]
    assert verdicts[(Lens.BUSINESS, "a")] is Verdict.SKIP


def test_entry_tiers_are_free_and_paid_and_the_pricing_read_names_the_cheaper_way_in() -> None:
    card = _card()
    assert (card.a.entry, card.b.entry) == ("Free", "Paid")
    assert card.pricing_read.startswith(
        "SmolLM3 is the cheaper way in (Free); Mistral Medium 3 is Paid."
    )


def test_verdict_line_says_whom_the_panel_favours_and_by_how_much() -> None:
    card = _card()
    assert card.verdict.startswith("The panel favours Mistral Medium 3: 4/4")
    assert "+25 points" in card.verdict
    assert "no votes yet" in card.verdict


def test_community_line_is_a_dash_without_votes_and_honest_with_few() -> None:
    assert _card().community.text == "—"
    few = _card(here=Split(2, 1), everywhere=Split(2, 1))
    assert few.community.text == "too few votes here (n = 3 here)"
    assert "too few votes so far (n = 3)" in few.verdict
    elsewhere = _card(here=Split(0, 0), everywhere=Split(30, 10))
    assert elsewhere.community.text == "no votes here yet (75% / 25%, n = 40 everywhere)"


def test_community_line_with_enough_votes_shows_split_n_and_interval() -> None:
    card = _card(here=Split(8, 13), everywhere=Split(187, 153))
    assert card.community.text == (
        "SmolLM3 38% · Mistral Medium 3 62% (n = 21 here, 95% CI for SmolLM3 21–59%; "
        "55% / 45%, n = 340 everywhere)"
    )
    assert card.verdict.endswith("Community: 62% pick Mistral Medium 3 (n = 21).")


def test_lens_filter_keeps_one_row_and_recomputes_the_verdict() -> None:
    card = _card(lens=Lens.BUSINESS)
    assert [row.lens for row in card.reviewer_split] == [Lens.BUSINESS]
    assert card.verdict.startswith(
        "Business / buyer lens: ships Mistral Medium 3 and skips the other."
    )
    dev = _card(lens=Lens.DEVELOPER)
    assert dev.verdict.startswith("Developer experience lens: both ship")


def test_tool_without_reviews_shows_no_panel_yet() -> None:
    gpt = catalog_tool("GPT-4o", 3)
    smol = catalog_tool("SmolLM3", 1)
    card = build_card(
        gpt, smol, community=community_line("GPT-4o", "SmolLM3", Split(0, 0), Split(0, 0), 5)
    )
    assert card.a.panel.label == NO_PANEL
    assert all(row.a is None for row in card.reviewer_split)
    assert card.verdict.startswith("Only SmolLM3 has a panel (75% · 3/4); GPT-4o has no panel yet.")


def test_card_is_frozen() -> None:
    card = _card()
    with pytest.raises(AttributeError):
        card.title = "changed"  # type: ignore[misc]


def test_pricing_read_with_same_tier_and_notes() -> None:
    a, b = catalog_tool("GPT-4o", 1), catalog_tool("Claude 3.5 Sonnet", 2)
    assert a.entry is Entry.PAID and b.entry is Entry.PAID
    text = pricing_read(a, b)
    assert text.startswith("Both are Paid to start.")
    assert "GPT-4o:" in text
