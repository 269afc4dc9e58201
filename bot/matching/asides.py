"""What people add around a tool's name, and how to take it off again.

``strip_asides`` is the matcher's second try, used only when a query as typed names nothing:
``Claude Sonnet 4.5 (Anthropic)``, ``DeepSeek V3.2 from DeepSeek``, ``Qdrant vector database``,
``Devstral 2 (Dec 2025)``, routed and provider ids (``openrouter/anthropic/claude-sonnet-4.5``,
``us.anthropic.claude-haiku-4-5-20251001-v1:0``, ``claude-sonnet-4-5@20250929``,
``qwen/qwen3-coder:free``) and dated ids (``mistral-large-2411``, ``gpt-5-2025-08-07``).

It returns the tokens of what is left and the words it took off.  A word taken off can still
be what tells two tools apart (``Gemini 2.5 Flash (preview)`` when the catalog holds
``Gemini 2.5 Flash Preview``), so the matcher only accepts the stripped name when no other tool
carries one of those words beside it (see ``ToolMatcher``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.normalize import tokens

# Parenthesised or bracketed asides: "(Anthropic)", "(pro plan)", "[beta]".
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# Cloud and router decorations of a model id, written before tokenizing (they lose their shape
# once punctuation becomes spaces): a Bedrock region and vendor ("us.anthropic."), a revision
# ("-v1:0", "-1:0", see below), a Vertex snapshot ("@20250929", "@default"), an OpenRouter variant
# (":free", ":thinking") and a scheme ("hf:", "@cf/").
_REGION = re.compile(r"^(?:us|eu|apac|au|jp|ca|global|us-gov)\.(?=[a-z])", re.IGNORECASE)
# "anthropic.claude-haiku-4-5…" but never "llama.cpp" or "dots.ocr": the rest must look like an id.
_VENDOR_DOT = re.compile(r"^[a-z][a-z0-9-]*\.(?=[a-z][a-z0-9.]*[-0-9])", re.IGNORECASE)
# A Bedrock revision: ":0" always, "-v1" (the first) too; "-v2" is a version and stays.
_REVISION_NUMBER = re.compile(r"(?::[0-9]+)+$")
_FIRST_REVISION = re.compile(r"-v1$", re.IGNORECASE)
_AT_SUFFIX = re.compile(r"@[\w.-]+$")
_VARIANT = re.compile(r":([a-z][\w-]*)$", re.IGNORECASE)
_SCHEME = re.compile(r"^(?:[a-z]{2,12}:(?!/)|@[a-z]+/)", re.IGNORECASE)
# "k2p5" is how Fireworks writes "k2.5" in an id.
_P_DECIMAL = re.compile(r"^([0-9]+)p([0-9]+)$")

# Words that describe a tool rather than name it: what it is, how it is sold, its stage.
DESCRIPTORS = frozenset(
    {
        "model",
        "models",
        "llm",
        "llms",
        "api",
        "apis",
        "sdk",
        "database",
        "db",
        "vector",
        "vectordb",
        "store",
        "editor",
        "ide",
        "assistant",
        "chatbot",
        "framework",
        "library",
        "lib",
        "platform",
        "service",
        "tool",
        "tools",
        "plan",
        "plans",
        "tier",
        "subscription",
        "version",
        "release",
        "beta",
        "alpha",
        "experimental",
        "exp",
        "preview",
        "new",
        "latest",
        "stable",
        "free",
        "paid",
        "default",
        "edition",
        "weights",
        "open",
        "source",
        "oss",
        "hosted",
    }
)
# "from DeepSeek", "by Anthropic", "via OpenRouter", "on Bedrock": the rest is who, not what.
_PLAN_WORDS = frozenset({"plan", "plans", "tier", "subscription", "edition", "seat"})
_CLAUSE_WORDS = frozenset({"from", "by", "via", "on", "at", "through", "thru"})
_MAX_CLAUSE = 4  # most words after "from" / "by" that are taken as a maker or host
_MONTHS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_YEAR = re.compile(r"^(?:19|20)[0-9]{2}$")
_YYYYMMDD = re.compile(r"^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$")
_YYMM = re.compile(r"^2[2-9](?:0[1-9]|1[0-2])$")
_MMDD = re.compile(r"^(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$")
_MM = re.compile(r"^(?:0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Stripped:
    """A query with some asides taken off: the tokens left and the telling words taken off.

    Words of a "from X" clause and of routing hops are never telling (they say who makes or
    serves the tool); descriptors, variants and asides in brackets may be.
    """

    parts: tuple[str, ...]
    dropped: frozenset[str]


def strip_asides(query: str) -> list[Stripped]:
    """Ever shorter readings of ``query``, each worth a lookup, in the order to try them.

    One step at a time: cloud and router decorations of an id; a trailing "from X" clause;
    bracketed asides, last first; descriptor words; dates.  Each reading keeps what the
    earlier steps took off, so "Grok 4.20 (Reasoning) from xAI" is tried as
    "Grok 4.20 (Reasoning)" before "Grok 4.20".
    """
    typed = tuple(tokens(query))
    out: list[Stripped] = []
    dropped: list[str] = []

    def keep(parts: list[str] | tuple[str, ...]) -> None:
        reading = tuple(parts)
        if reading and reading != typed and all(reading != s.parts for s in out):
            out.append(Stripped(reading, frozenset(dropped)))

    text, variant = _strip_id(query.strip())
    dropped.extend(variant)
    parts = _fix_tokens(_after_route(text))
    keep(parts)
    parts, clause = _cut_clause(parts)
    keep(parts)
    asides = list(_ASIDE.finditer(text))
    if asides:  # bracketed asides come off one at a time, the last first
        for aside in reversed(asides):
            words = tokens(aside.group())
            if not _is_dated(words):
                break  # "(25.02)", "(8B)": a version or size in brackets is part of the name
            text = text[: aside.start()] + " " + text[aside.end() :]
            dropped.extend(words)
            parts, more = _cut_clause(_fix_tokens(_after_route(text)))
            clause += more
            keep(parts)
    if len(parts) > 1:
        dropped.extend(t for t in parts[1:] if t in DESCRIPTORS)
        parts = [parts[0], *(t for t in parts[1:] if t not in DESCRIPTORS)]
        keep(parts)
    # "pro plan", "team tier": the word before "plan" names a plan, not the tool
    dropped = [
        t
        for i, t in enumerate(dropped)
        if not (i + 1 < len(dropped) and dropped[i + 1] in _PLAN_WORDS)
    ]
    parts = _drop_dates(parts, dropped)
    keep(parts)
    if clause:  # the maker named in "from X" is not a variant of the tool
        out = [Stripped(s.parts, s.dropped.difference(clause)) for s in out]
    return out


def _is_dated(words: list[str]) -> bool:
    """Whether every number in ``words`` is a date: a year, 20250929, or a month and year."""
    words = [w for w in words if w != "/"]
    for i, word in enumerate(words):
        if not word[:1].isdigit() or _YEAR.match(word) or _YYYYMMDD.match(word):
            continue
        if _MM.match(word) and i + 1 < len(words) and _YEAR.match(words[i + 1]):
            continue
        return False
    return True


def _after_route(text: str) -> list[str]:
    """The tokens of ``text``; of a routed id (one word), only what follows its last slash."""
    parts = tokens(text)
    if "/" not in parts or " " in text.strip():
        return parts
    last = len(parts) - parts[::-1].index("/")
    return parts[last:] if last < len(parts) else parts


def _strip_id(text: str) -> tuple[str, list[str]]:
    """Take the cloud decorations off a model id (one word: no spaces), and its variant."""
    if " " in text:
        return text, []
    dropped: list[str] = []
    text = _SCHEME.sub("", text)
    text = _REGION.sub("", text)
    text = _VENDOR_DOT.sub(lambda m: m.group()[:-1] + "/", text)  # "anthropic." -> "anthropic/"
    text = _AT_SUFFIX.sub("", text)
    text = _FIRST_REVISION.sub("", _REVISION_NUMBER.sub("", text))
    variant = _VARIANT.search(text)
    if variant:
        dropped.extend(tokens(variant.group(1)))
        text = text[: variant.start()]
    return text, dropped


def _fix_tokens(parts: list[str]) -> list[str]:
    out: list[str] = []
    for token in parts:
        fixed = _P_DECIMAL.match(token)
        out.append(f"{fixed[1]}.{fixed[2]}" if fixed else token)
    return out


def _cut_clause(parts: list[str]) -> tuple[list[str], list[str]]:
    """``parts`` without a trailing "from X" / "by X" clause, and the clause's words."""
    for i in range(1, len(parts)):
        if parts[i] in _CLAUSE_WORDS and 0 < len(parts) - i - 1 <= _MAX_CLAUSE:
            return parts[:i], parts[i:]
    return parts, []


def _drop_dates(parts: list[str], dropped: list[str]) -> list[str]:
    """Dates anywhere (20250929) and at the end (2411, 0613, 09 2025, Dec 2025)."""
    out = [t for t in parts if not _YYYYMMDD.match(t)]
    dropped.extend(t for t in parts if _YYYYMMDD.match(t))
    while len(out) > 1:
        last = out[-1]
        if _YEAR.match(last) and len(out) > 2 and (out[-2] in _MONTHS or _MM.match(out[-2])):
            dropped.extend(out[-2:])
            del out[-2:]
        elif last in _MONTHS or _YEAR.match(last) or _YYMM.match(last) or _MMDD.match(last):
            dropped.append(last)
            out.pop()
        else:
            break
    return out
