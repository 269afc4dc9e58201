from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adapters.text import chunks, shorten


def test_shorten_cuts_on_a_word_and_marks_it() -> None:
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("short", 10) == "short"
    assert shorten("abcdefghij", 5) == "abcd…"


@given(st.text(), st.integers(min_value=0, max_value=300))
def test_shorten_never_exceeds_the_limit(text: str, limit: int) -> None:
    assert len(shorten(text, limit)) <= limit


@given(
    st.lists(st.text(min_size=1, max_size=500), max_size=20),
    st.integers(min_value=10, max_value=600),
)
def test_chunks_respect_the_limit_and_keep_order(parts: list[str], limit: int) -> None:
    packed = chunks(parts, limit)
    assert all(len(chunk) <= limit for chunk in packed)
    if all(len(p) <= limit for p in parts):
        assert "".join(packed).replace("\n\n", "") == "".join(parts).replace("\n\n", "")
