"""What a card's Draft panel button drafts: its tools with no panel, or a clear refusal."""

from __future__ import annotations

import pytest

from bot.cards import build_card, community_line
from bot.errors import InvalidInput
from bot.panel.drafting import tools_to_draft
from bot.votes import Split
from tests.support.seed_page import catalog_tool


def _card(a_reviews: bool, b_reviews: bool):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    a, b = catalog_tool("SmolLM3", 1), catalog_tool("Mistral Medium 3", 2)
    a = a if a_reviews else replace(a, reviews=())
    b = b if b_reviews else replace(b, reviews=())
    return build_card(a, b, community=community_line(a.name, b.name, Split(0, 0), Split(0, 0), 5))


def test_only_the_tools_without_a_panel_are_drafted() -> None:
    assert tools_to_draft(_card(False, False)) == ["SmolLM3", "Mistral Medium 3"]
    assert tools_to_draft(_card(True, False)) == ["Mistral Medium 3"]


def test_both_with_a_panel_is_refused_in_plain_words() -> None:
    with pytest.raises(InvalidInput, match="Both tools have a panel already"):
        tools_to_draft(_card(True, True))
