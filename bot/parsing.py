"""Turn what a person typed ("/compare A vs B as buyer") into a ``CompareRequest``."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.errors import InvalidInput
from bot.matching import ToolMatcher, split_compare
from bot.models import Lens

MAX_INPUT = 500

_LENS_CLAUSE = re.compile(
    r"\s+(?:as|for|from|by|through)\s+(?:the\s+|a\s+)?(?P<lens>[a-z][a-z _/-]*?)(?:\s+lens)?\s*\??\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CompareRequest:
    """Two names exactly as typed (trimmed) and an optional lens filter."""

    a: str
    b: str
    lens: Lens | None = None


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
    body, typed_lens = split_lens(text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
    a, b = split_compare(body, matcher)
    return CompareRequest(a=a, b=b, lens=lens or typed_lens)
