"""Compare through the real service on a real, migrated database."""

from __future__ import annotations

import pytest

from adapters.bootstrap import App
from bot.errors import AmbiguousTool, InvalidInput, SameTool, UnknownTool
from bot.models import Community, Lens

HERE = Community("discord", "guild-1")


async def test_seed_pair_compares_from_any_case(app: App) -> None:
    card = await app.service.compare("smollm3 vs mistral medium 3", HERE)
    assert card.title == "SmolLM3 vs Mistral Medium 3"
    assert (card.a.panel.label, card.b.panel.label) == ("75% · 3/4", "100% · 4/4")
    assert len(card.reviewer_split) == 4
    assert card.community.text == "—"


async def test_order_is_the_order_asked(app: App) -> None:
    card = await app.service.compare("Mistral Medium 3 vs SmolLM3", HERE)
    assert (card.a.name, card.b.name) == ("Mistral Medium 3", "SmolLM3")


async def test_unknown_name_suggests_up_to_three(app: App) -> None:
    with pytest.raises(UnknownTool) as caught:
        await app.service.compare("SmolLM3 vs Mistral Mediun 7", HERE)
    assert caught.value.message.startswith("No tool called 'Mistral Mediun 7'. Did you mean: ")
    assert 1 <= len(caught.value.suggestions) <= 3


async def test_self_compare_is_refused(app: App) -> None:
    with pytest.raises(SameTool, match="same tool twice"):
        await app.service.compare("SmolLM3 vs smollm3", HERE)


@pytest.mark.parametrize("text", ["", "   ", "SmolLM3", "SmolLM3 vs GPT-4o vs Whisper", "vs"])
async def test_malformed_requests_are_refused(app: App, text: str) -> None:
    with pytest.raises(InvalidInput):
        await app.service.compare(text, HERE)


async def test_lens_from_text(app: App) -> None:
    card = await app.service.compare("SmolLM3 vs Mistral Medium 3 as buyer", HERE)
    assert card.lens is Lens.BUSINESS
    assert [row.lens for row in card.reviewer_split] == [Lens.BUSINESS]


async def test_autocomplete_offers_catalog_names(app: App) -> None:
    names = await app.service.complete("Mistral")
    assert "Mistral Medium 3" in names
    assert len(await app.service.complete("")) <= 25


async def test_ambiguous_error_lists_candidates() -> None:
    error = AmbiguousTool("claude", ("Claude 3.5 Sonnet", "Claude 3.5 Haiku"))
    assert (
        error.message
        == "'claude' could be Claude 3.5 Sonnet, Claude 3.5 Haiku. Which one did you mean?"
    )
