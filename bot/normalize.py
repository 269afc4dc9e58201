"""Canonical text forms for tool names: the one place that decides when two spellings are equal.

``normalize`` is stored by the storage layer in a unique ``aliases.normalized`` column, so every
rule here is deterministic, documented and free of catalog knowledge.  The matcher builds all of
its lookup keys from ``tokens(text)``, which is exactly ``normalize(text).split()``; two strings
with the same ``normalize`` are therefore always matched identically.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["compact", "normalize", "tokens"]

# Unicode dashes, quotes and dots people paste from docs, phones and word processors.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d\u00ad"
_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u00b4`\u02bc\u02b9"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_DOTS = "\u00b7\u2022\u2027\u22c5\u30fb\u0387"
_CHAR_MAP = str.maketrans(
    {
        **{ch: "-" for ch in _DASHES},
        **{ch: "'" for ch in _QUOTES},
        **{ch: '"' for ch in _DOUBLE_QUOTES},
        **{ch: " " for ch in _DOTS},
    }
)

_DATE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})[-_./ ]([01][0-9])[-_./ ]([0-3][0-9])(?![0-9])")
# "claude-3-5-sonnet" writes the version 3.5 with a dash; join two short numbers split by - or _.
_DASHED_VERSION = re.compile(r"(?<![0-9.])([0-9]{1,2})[-_]([0-9]{1,2})(?![0-9.]|[a-z])")
# The end of any dashed version.  Searching for it first is much cheaper than the ``sub``
# above (a pattern starting with a look-behind is tried at every position; this one only at
# digits), and most ids with a dash ("gpt-4o-mini", "llama-3.1-70b") have none.
_DASHED_VERSION_END = re.compile(r"[0-9][-_][0-9]{1,2}(?![0-9.]|[a-z])")
_POSSESSIVE = re.compile(r"'s\b")
# A token is a slash, a number (dots only between digits) with any letters/digits glued after
# it ("4o", "70b", "8x7b", "3.5"), or a run of letters.  Everything else separates tokens.
_TOKEN = re.compile(r"/|[0-9]+(?:\.[0-9]+)*[^\W_]*|[^\W\d_]+")
_ASCII_TOKEN = re.compile(r"/|[0-9]+(?:\.[0-9]+)*[0-9A-Za-z]*|[A-Za-z]+")  # same, ASCII text


def _fold(text: str) -> str:
    """NFKC, case-fold and strip accents (``é`` -> ``e``) while keeping every other letter."""
    if text.isascii():  # the common case: only the back-tick needs mapping
        return text.lower().replace("`", "'") if "`" in text else text.lower()
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP).casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _joined_date(match: re.Match[str]) -> str:
    return f" {match[1]}{match[2]}{match[3]} "


def _dotted_version(match: re.Match[str]) -> str:
    return f"{match[1]}.{match[2]}"


def tokens(text: str) -> list[str]:
    """Split ``text`` into canonical tokens (see ``normalize`` for the rules)."""
    # Substring tests skip regex passes that cannot match (a date needs "19" or "20").  The
    # replacements are functions, not "\1" templates: on CPython 3.11 a template costs a
    # Python-level ``re._subx`` call per ``sub`` plus a template expansion per match.
    text = _fold(text)
    if "20" in text or "19" in text:
        text = _DATE.sub(_joined_date, text)
    if ("-" in text or "_" in text) and _DASHED_VERSION_END.search(text):
        text = _DASHED_VERSION.sub(_dotted_version, text)
    if "'" in text:
        text = _POSSESSIVE.sub("", text).replace("'", "")
    if "+" in text:
        text = text.replace("+", " plus ")
    if "&" in text:
        text = text.replace("&", " and ")
    raw: list[str] = (_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text)
    if ".0" not in text and "v" not in raw:  # fast path: nothing below applies ...
        if "/" not in raw:
            return raw
        if raw.count("/") == 1 and raw[0] != "/" and raw[-1] != "/":
            return raw  # ... or only a slash inside the name ("org/model"), kept as it is
    out: list[str] = []
    last = len(raw) - 1
    for i, token in enumerate(raw):
        if token.endswith(".0") and token[:-2].isdigit():
            token = token[:-2]
        elif token == "v" and out and i < last and raw[i + 1][0].isdigit():
            continue  # "Midjourney v6" -> "midjourney 6"; a leading v stays ("v0")
        elif token == "/" and (not out or out[-1] == "/" or i == last):
            continue  # a slash at either end (or doubled) carries nothing
        out.append(token)
    while out and out[-1] == "/":
        out.pop()
    return out


def normalize(text: str) -> str:
    """The canonical form of a tool name or alias, used for exact lookup and uniqueness.

    Rules, applied in order (all deterministic and independent of the catalog):

    1. Unicode NFKC, case-fold, accents removed; unicode dashes become ``-``, curly quotes and
       back-ticks become ``'``, middle dots and bullets (``DALL·E``) become spaces.
    2. Dates ``2024-08-06`` / ``2024_08_06`` become one token ``20240806``; a version written with a
       dash between two short numbers (``claude-3-5``) becomes ``3.5``.
    3. A possessive ``'s`` is dropped, ``+`` becomes the word ``plus``, ``&`` becomes ``and``,
       remaining apostrophes are deleted and any other punctuation separates words; a dot
       survives only between two digits (``3.5``); ``/`` is kept as a stand-alone ``/`` token.
    4. A word is split where a letter is followed by a digit (``gpt4o`` -> ``gpt 4o``,
       ``llama3`` -> ``llama 3``); a trailing ``.0`` is dropped (``2.0`` -> ``2``) and a ``v``
       right before a number is dropped unless it starts the name (``Midjourney v6`` ->
       ``midjourney 6``, but ``v0`` -> ``v 0``).

    The result is the tokens joined by single spaces, in the order typed, for example
    ``normalize("GPT‑4o mini") == "gpt 4o mini"`` and ``normalize("DALL·E 3") == "dall e 3"``.
    It is empty when the text has no letters or digits.
    """
    return " ".join(tokens(text))


# A space between two digits.  Starting with the literal space (instead of the look-behind)
# lets the regex engine jump from space to space rather than test every position.
_DIGIT_GAP = re.compile(r" (?=[0-9])(?<=[0-9] )")


def compact(parts: list[str] | tuple[str, ...]) -> str:
    """Tokens glued together ("deep seek" == "deepseek"), keeping numbers apart ("3_70b")."""
    joined = " ".join(p for p in parts if p != "/") if "/" in parts else " ".join(parts)
    return _DIGIT_GAP.sub("_", joined).replace(" ", "")
