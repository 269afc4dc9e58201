"""The forgiving category match (``bot.categories``): "coding" is Coding Assistants."""

from __future__ import annotations

import pytest

from bot.categories import matching_categories

CATEGORIES = ("Coding Assistants", "Chat Assistants", "Inference Engines", "Inference Providers")


@pytest.mark.parametrize(
    ("asked", "found"),
    [
        ("coding", ("Coding Assistants",)),
        ("CODING assistants", ("Coding Assistants",)),
        ("infer", ("Inference Engines", "Inference Providers")),
        ("assistant", ("Coding Assistants", "Chat Assistants")),
        ("inference providers", ("Inference Providers",)),
        ("knitting", ()),
        ("", ()),
    ],
)
def test_categories_match_forgivingly(asked: str, found: tuple[str, ...]) -> None:
    assert matching_categories(asked, CATEGORIES) == found
