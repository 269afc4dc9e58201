from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adapters.text import shorten


def test_shorten_cuts_on_a_word_and_marks_it() -> None:
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("short", 10) == "short"
    assert shorten("abcdefghij", 5) == "abcd…"


@given(st.text(), st.integers(min_value=0, max_value=300))
def test_shorten_never_exceeds_the_limit(text: str, limit: int) -> None:
    assert len(shorten(text, limit)) <= limit
