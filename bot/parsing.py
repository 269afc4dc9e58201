"""Turn what a person typed ("/compare A vs B as buyer") into a ``CompareRequest``."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from bot.errors import InvalidInput
from bot.facts import Workload
from bot.matching import ToolMatcher, split_compare
from bot.models import Lens

MAX_INPUT = 500

_LENS_CLAUSE = re.compile(
    r"\s+(?:as|for|from|by|through)\s+(?:the\s+|a\s+)?(?P<lens>[a-z][a-z _/-]*?)(?:\s+lens)?\s*\??\s*$",
    re.IGNORECASE,
)


_WORKLOAD_CLAUSE = re.compile(
    r"\s+(?:for|at)\s+(?P<workload>\d[\d.]*\s*[kmb]?(?:\s*(?:in|input))?"
    r"(?:\s*\+\s*\d[\d.]*\s*[kmb]?(?:\s*(?:out|output))?)?)\s*(?:tokens?)?"
    r"(?:\s+(?:a|per)\s+month|\s*/\s*(?:mo|month)|\s+monthly)?\s*\??\s*$",
    re.IGNORECASE,
)


_DURATION_CLAUSE = re.compile(
    r"\s+for\s+(?:(?P<n>\d{1,4})|an?|one)\s*(?P<unit>hours?|hrs?|h|days?|d|weeks?|wks?|w)\s*\??\s*$",
    re.IGNORECASE,
)
_UNIT_HOURS = {"h": 1, "d": 24, "w": 24 * 7}
MAX_DURATION = timedelta(days=365)


@dataclass(frozen=True)
class CompareRequest:
    """Two names exactly as typed (trimmed), an optional lens filter and an optional monthly
    workload for the pricing read (``… for 50M tokens``)."""

    a: str
    b: str
    lens: Lens | None = None
    workload: Workload | None = None
    duration: timedelta | None = None  # how long voting stays open (``… for 3 days``)


def split_workload(text: str) -> tuple[str, Workload | None]:
    """Strip a trailing ``for 50M tokens`` / ``for 10M+2M tokens a month``; InvalidInput when
    the number can't be a month of tokens."""
    match = _WORKLOAD_CLAUSE.search(text)
    if not match:
        return text, None
    spoken = re.sub(r"(?i)\s*(?:input|output|in|out)\b", "", match.group("workload"))
    try:
        return text[: match.start()], Workload.parse(spoken)
    except ValueError as error:
        raise InvalidInput(f"{error}. Try `… for 50M tokens` or `… for 10M+2M tokens`.") from None


def split_duration(text: str) -> tuple[str, timedelta | None]:
    """Strip a trailing ``for 3 days`` / ``for 2 hours`` / ``for 1 week`` (told apart from a
    ``for 50M tokens`` workload by its unit); InvalidInput for zero or more than a year."""
    match = _DURATION_CLAUSE.search(text)
    if not match:
        return text, None
    count = int(match.group("n") or 1)
    unit = match.group("unit").casefold()
    unit = "w" if unit.startswith("w") else unit[0]
    duration = timedelta(hours=count * _UNIT_HOURS[unit])
    if not timedelta(0) < duration <= MAX_DURATION:
        raise InvalidInput("A vote stays open between 1 hour and 365 days, like `… for 3 days`.")
    return text[: match.start()], duration


def split_lens(text: str) -> tuple[str, Lens | None]:
    """Strip a trailing lens clause such as ``as buyer`` or ``for developers``.

    Only a clause naming a real lens is removed, so a tool whose name ends in "as …" survives.
    """
    match = _LENS_CLAUSE.search(text)
    if match:
        lens = Lens.parse(match.group("lens"))
        if lens is not None:
            return text[: match.start()], lens
    return text, None


def parse_compare(text: str, matcher: ToolMatcher, lens: Lens | None = None) -> CompareRequest:
    """Parse a compare request; raise ``InvalidInput`` with a one-line reason on bad input."""
    if len(text) > MAX_INPUT:
        raise InvalidInput(
            f"That's too long ({len(text):,} characters). Ask for two tools, like `SmolLM3 vs Mistral Medium 3`."
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in text):
        raise InvalidInput(
            "That has control characters in it. Type two tool names, like `SmolLM3 vs Mistral Medium 3`."
        )
    body = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    body, duration = split_duration(body)
    body, workload = split_workload(body)
    body, typed_lens = split_lens(body)
    if workload is None:
        body, workload = split_workload(body)
    if duration is None:
        body, duration = split_duration(body)
    a, b = split_compare(body, matcher)
    return CompareRequest(a=a, b=b, lens=lens or typed_lens, workload=workload, duration=duration)
