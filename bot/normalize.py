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
_POSSESSIVE = re.compile(r"'s\b")
_PLUS = re.compile(r"\+")
_AMP = re.compile(r"&")
# A slash between two names or words; a single leading "org/" is kept visible as " / ".
_NON_WORD = re.compile(r"[^a-z0-9./ ]+")
_SPLIT_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])")
_DOT_NOT_IN_NUMBER = re.compile(r"(?<![0-9])\.|\.(?![0-9])")
_SLASH = re.compile(r"\s*/\s*")
_TRAILING_ZERO = re.compile(r"^([0-9]+)\.0$")
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    """NFKC, case-fold and strip accents (``é`` -> ``e``) while keeping every other letter."""
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP).casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _token(word: str) -> list[str]:
    """Canonical pieces of one whitespace-free word (already folded, punctuation removed)."""
    if word == "/":
        return ["/"]
    out: list[str] = []
    for piece in _SPLIT_LETTER_DIGIT.split(word):
        if not piece:
            continue
        piece = _TRAILING_ZERO.sub(r"\1", piece)
        out.append(piece)
    # "v3" -> "3": the "v" of a version number is noise ("Midjourney v6" == "Midjourney 6").
    merged: list[str] = []
    for i, piece in enumerate(out):
        if piece == "v" and i + 1 < len(out) and out[i + 1][:1].isdigit():
            continue
        merged.append(piece)
    return merged


def tokens(text: str) -> list[str]:
    """Split ``text`` into canonical tokens (see ``normalize`` for the rules)."""
    text = _fold(text)
    text = _DATE.sub(r" \1\2\3 ", text)
    text = _DASHED_VERSION.sub(r"\1.\2", text)
    text = _POSSESSIVE.sub("", text)
    text = _PLUS.sub(" plus ", text)
    text = _AMP.sub(" and ", text)
    text = text.replace("'", "")
    text = _NON_WORD.sub(" ", text)
    text = _DOT_NOT_IN_NUMBER.sub(" ", text)
    text = _SLASH.sub(" / ", text)
    result: list[str] = []
    for word in text.split():
        result.extend(_token(word))
    # A slash at either end carries nothing.
    while result and result[0] == "/":
        result.pop(0)
    while result and result[-1] == "/":
        result.pop()
    return result


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
       right before a number is dropped (``v6`` -> ``6``).

    The result is the tokens joined by single spaces, in the order typed, for example
    ``normalize("GPT‑4o mini") == "gpt 4o mini"`` and ``normalize("DALL·E 3") == "dall e 3"``.
    It is empty when the text has no letters or digits.
    """
    return " ".join(tokens(text))


def compact(parts: list[str] | tuple[str, ...]) -> str:
    """Tokens glued together ("deep seek" == "deepseek"), keeping numbers apart ("3_70b")."""
    out: list[str] = []
    prev = ""
    for part in parts:
        if part == "/":
            continue
        if prev and prev[-1].isdigit() and part[0].isdigit():
            out.append("_")
        out.append(part)
        prev = part
    return "".join(out)
