"""The core rule for which tool of a pair a typed pick means (``bot.sides``)."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.sides import Contender, pick_between

MISTRAL = Contender("Mistral Medium 3", ("mistral-medium-2505",))
SMOL = Contender("SmolLM3", ("HuggingFaceTB/SmolLM3-3B",))


@pytest.mark.parametrize(
    ("pick", "index"),
    [
        ("Mistral Medium 3", 0),
        ("mistral medium 3", 0),
        ("mistral", 0),
        ("MIST", 0),
        ("medium", 0),
        ("mistral-medium-2505", 0),
        ("mistrl medum 3", 0),
        ("a", 0),
        ("first", 0),
        ("smollm3", 1),
        ("smol", 1),
        ("HuggingFaceTB/SmolLM3-3B", 1),
        ("B", 1),
        ("2", 1),
    ],
)
def test_a_pick_is_resolved_within_the_pair(pick: str, index: int) -> None:
    assert pick_between(pick, MISTRAL, SMOL) == index


def test_a_and_b_follow_the_typed_order() -> None:
    assert pick_between("a", SMOL, MISTRAL) == 0
    assert pick_between("b", SMOL, MISTRAL) == 1


def test_a_tool_named_like_a_letter_wins_over_the_position() -> None:
    assert pick_between("b", Contender("A tool"), Contender("B")) == 1
    assert pick_between("B", Contender("B"), Contender("A tool")) == 0


def test_a_pick_that_fits_both_tools_names_both() -> None:
    with pytest.raises(InvalidInput, match="fits both GPT-4o and GPT-4o mini"):
        pick_between("gpt", Contender("GPT-4o"), Contender("GPT-4o mini"))
    assert pick_between("gpt-4o", Contender("GPT-4o"), Contender("GPT-4o mini")) == 0


@pytest.mark.parametrize("pick", ["GPT-4o", "llama", "c", "  "])
def test_a_pick_of_neither_tool_is_an_error_naming_the_choices(pick: str) -> None:
    with pytest.raises(InvalidInput, match="pick Mistral Medium 3 or SmolLM3"):
        pick_between(pick, MISTRAL, SMOL)
