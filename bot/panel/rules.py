"""The rules every drafted review passes, model-written or member-written: length, one paragraph,
no control characters; and the reviewer's flag for numbers that no fact gives."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.errors import InvalidInput

QUOTE_MIN = 40
QUOTE_MAX = (
    1500  # the seed's longest quote is about 1,250 characters; cards trim, Full reviews don't
)
AUTHOR_MAX = 100

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# A number standing on its own: not the tail of a name such as GPT-4o, Qwen2.5-3B or Phi-3-mini.
_NUMBER = re.compile(r"(?<![\w.\-])\$?(\d[\d,]*(?:\.\d+)?)")

NUMBER_FLAG = "names a number not in its facts"


class QuoteProblem(ValueError):
    """Why a quote breaks the rules, in words a person (or a model's retry) can act on."""


def clean_quote(text: str) -> str:
    """The quote, stripped, if it keeps the rules; ``QuoteProblem`` naming the rule otherwise."""
    if re.search(r"\n\s*\n", text.strip()):
        raise QuoteProblem("must be one paragraph (no blank lines)")
    if _CONTROL.search(text.replace("\n", " ").replace("\t", " ").replace("\r", " ")):
        raise QuoteProblem("must not contain control or invisible formatting characters")
    quote = " ".join(text.split())
    if _CONTROL.search(quote):
        raise QuoteProblem("must not contain control or invisible formatting characters")
    if len(quote) < QUOTE_MIN:
        raise QuoteProblem(f"is {len(quote)} characters; a quote needs at least {QUOTE_MIN}")
    if len(quote) > QUOTE_MAX:
        raise QuoteProblem(f"is {len(quote)} characters; the limit is {QUOTE_MAX}")
    return quote


def valid_quote(text: str) -> str:
    """``clean_quote`` for people: bad input is an ``InvalidInput`` that says what to fix."""
    try:
        return clean_quote(text)
    except QuoteProblem as problem:
        raise InvalidInput(f"The quote {problem}.") from None


def numbers_in(text: str) -> set[str]:
    """The standalone numbers in a text, normalised (``1,000`` → ``1000``, ``0.40`` → ``0.4``)."""
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        raw = match.group(1).replace(",", "").rstrip(".")
        try:
            value = float(raw)
        except ValueError:
            continue
        found.add(f"{value:g}")
    return found


def unsourced_numbers(quote: str, facts: Iterable[str]) -> list[str]:
    """Numbers the quote names that none of ``facts`` contains, in order of first use."""
    known: set[str] = set()
    for fact in facts:
        known |= numbers_in(fact)
    seen: list[str] = []
    for number in sorted(numbers_in(quote), key=lambda n: quote.find(n.split(".")[0])):
        if number not in known and number not in seen:
            seen.append(number)
    return seen


def flags_for(quote: str, facts: Iterable[str]) -> tuple[str, ...]:
    """The reviewer's flags for one draft, e.g. ``names a number not in its facts: 2027, 50``."""
    numbers = unsourced_numbers(quote, facts)
    return (f"{NUMBER_FLAG}: {', '.join(numbers)}",) if numbers else ()
