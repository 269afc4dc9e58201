"""Compare requests: lens clauses and the input limits the core enforces before matching."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.matching import ToolMatcher
from bot.models import Lens
from bot.parsing import parse_compare, split_lens


@pytest.fixture
def matcher() -> ToolMatcher:
    return ToolMatcher([("SmolLM3", []), ("Mistral Medium 3", []), ("GPT-4o", ["4o"])])


@pytest.mark.parametrize(
    ("text", "lens"),
    [
        ("SmolLM3 vs Mistral Medium 3 as buyer", Lens.BUSINESS),
        ("SmolLM3 vs Mistral Medium 3 for developers", Lens.DEVELOPER),
        ("SmolLM3 vs Mistral Medium 3 as the skeptic?", Lens.COMPETITION),
        ("SmolLM3 vs Mistral Medium 3 from the future thesis lens", Lens.FUTURE),
    ],
)
def test_lens_clause_is_read(matcher: ToolMatcher, text: str, lens: Lens) -> None:
    request = parse_compare(text, matcher)
    assert (request.a, request.b, request.lens) == ("SmolLM3", "Mistral Medium 3", lens)


def test_words_that_are_not_a_lens_stay_in_the_name() -> None:
    assert split_lens("Software as a Service vs X") == ("Software as a Service vs X", None)


def test_explicit_lens_option_wins(matcher: ToolMatcher) -> None:
    assert parse_compare("SmolLM3 vs GPT-4o as buyer", matcher, Lens.FUTURE).lens is Lens.FUTURE


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("x" * 10_000, "too long"),
        ("SmolLM3\x00 vs GPT-4o", "control characters"),
        ("SmolLM3 vs \x1b[31mGPT-4o", "control characters"),
    ],
)
def test_bad_input_gets_one_clear_line(matcher: ToolMatcher, text: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as caught:
        parse_compare(text, matcher)
    assert "\n" not in caught.value.message


def test_a_workload_and_a_lens_can_both_end_the_request() -> None:
    from bot.facts import Workload
    from bot.matching import ToolMatcher
    from bot.parsing import parse_compare

    matcher = ToolMatcher([("SmolLM3", []), ("Mistral Medium 3", [])])
    for text in (
        "SmolLM3 vs Mistral Medium 3 as buyer for 50M tokens",
        "SmolLM3 vs Mistral Medium 3 for 50M tokens as buyer",
    ):
        request = parse_compare(text, matcher)
        assert (request.a, request.b) == ("SmolLM3", "Mistral Medium 3")
        assert request.lens is not None and request.workload == Workload.parse("50M")


def test_an_impossible_workload_says_what_is_wrong() -> None:
    import pytest

    from bot.errors import InvalidInput
    from bot.matching import ToolMatcher
    from bot.parsing import parse_compare

    matcher = ToolMatcher([("SmolLM3", []), ("Mistral Medium 3", [])])
    with pytest.raises(InvalidInput, match="out of range for a month of tokens"):
        parse_compare("SmolLM3 vs Mistral Medium 3 for 99999999999999M tokens", matcher)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("SmolLM3 vs Mistral Medium 3 for 3 days", 72),
        ("SmolLM3 vs Mistral Medium 3 for 2 hours", 2),
        ("SmolLM3 vs Mistral Medium 3 for 1 week", 168),
        ("SmolLM3 vs Mistral Medium 3 for a day?", 24),
        ("SmolLM3 vs Mistral Medium 3 for 50M tokens for 2 weeks", 336),
        ("SmolLM3 vs Mistral Medium 3 for 3 days for 50M tokens", 72),
        ("SmolLM3 vs Mistral Medium 3 as buyer for 3d", 72),
    ],
)
def test_a_duration_sets_how_long_voting_stays_open(
    matcher: ToolMatcher, text: str, hours: int
) -> None:
    from datetime import timedelta

    request = parse_compare(text, matcher)
    assert (request.a, request.b) == ("SmolLM3", "Mistral Medium 3")
    assert request.duration == timedelta(hours=hours)


def test_tokens_and_durations_are_told_apart_by_unit(matcher: ToolMatcher) -> None:
    from bot.facts import Workload

    request = parse_compare("SmolLM3 vs Mistral Medium 3 for 50M tokens", matcher)
    assert request.duration is None and request.workload == Workload.parse("50M")
    timed = parse_compare("SmolLM3 vs Mistral Medium 3 for 50M tokens for 3 days", matcher)
    assert timed.workload == Workload.parse("50M") and timed.duration is not None


def test_an_impossible_duration_is_refused(matcher: ToolMatcher) -> None:
    with pytest.raises(InvalidInput, match="between 1 hour and 365 days"):
        parse_compare("SmolLM3 vs Mistral Medium 3 for 0 days", matcher)
    with pytest.raises(InvalidInput, match="between 1 hour and 365 days"):
        parse_compare("SmolLM3 vs Mistral Medium 3 for 400 weeks", matcher)
