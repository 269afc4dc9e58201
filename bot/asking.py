"""Read a question in plain words ("@shipbot should we ship with SmolLM3 or Mistral Medium 3?")
as a compare request: :func:`read_question`; what to answer when it can't: :func:`ask_hint`.

The mention is stripped, then each separator ("vs", "versus", "or", "and", "against", a comma,
" / ") is tried: the words just before it and just after it that the matcher finds as a tool
(or a word or two away: "is LanceDB better than Qdrant") are the two sides, so the filler around them ("which is better for RAG,", "should we ship
with", "?") never has to be listed. Only two names that both resolve to one tool each count.
"""

from __future__ import annotations

import re

from bot.errors import InvalidInput
from bot.help import Commands
from bot.matching import Match, ToolMatcher
from bot.matching.split import MAX_COMPARE_LENGTH
from bot.parsing import CompareRequest, split_lens, split_workload

MAX_NAME_WORDS = 8
MAX_GAP = 2  # filler words between a name and its separator ("LanceDB is better than")
# "<@123>", "<@!123>" (Discord), "<@U0123|name>" (Slack), a leading "@shipbot".
_MENTION = re.compile(r"<@[!&]?[A-Za-z0-9]+(?:\|[^>]*)?>")
_LEADING_AT = re.compile(r"^\s*@\w+[\s,:]*")
_SEPARATOR = re.compile(r"^(?:vs\.?|versus|v\.?|or|and|against|than|/|,)$", re.IGNORECASE)
_EDGE = "\"'`“”‘’«»()[]{}*_~"
_END = re.compile(r"[\s?？!.:;,]+$")


def strip_mentions(text: str) -> str:
    """The text without user mentions (any platform's markup) and a leading ``@name``."""
    body = " ".join(_MENTION.sub(" ", text).split())
    return _LEADING_AT.sub("", body).strip()


def _words(text: str) -> list[str]:
    """Words, with a comma standing on its own (it separates names too)."""
    return re.sub(r"\s*,\s*", " , ", text).split()


def _name(words: list[str]) -> str:
    return " ".join(words).strip(_EDGE + " ")


def _resolves(matcher: ToolMatcher, words: list[str]) -> str | None:
    """The catalog name ``words`` stand for, if exactly one tool."""
    name = _name(words)
    if not name:
        return None
    found = matcher.resolve(name)
    return found.name if isinstance(found, Match) else None


def _side(matcher: ToolMatcher, words: list[str], *, before: bool) -> tuple[str, str] | None:
    """The run of words nearest the separator (up to ``MAX_GAP`` filler words away, never
    across another separator), longest first, that is one tool: ``(typed, catalog name)``."""
    near = list(reversed(words)) if before else list(words)
    for gap in range(min(len(near), MAX_GAP + 1)):
        if _SEPARATOR.match(near[gap]):
            return None
        for size in range(min(len(near) - gap, MAX_NAME_WORDS), 0, -1):
            run = near[gap : gap + size]
            if any(_SEPARATOR.match(word) for word in run):
                continue
            ordered = list(reversed(run)) if before else run
            found = _resolves(matcher, ordered)
            if found is not None:
                return _name(ordered), found
    return None


def read_question(text: str, matcher: ToolMatcher) -> CompareRequest | None:
    """Two tools asked about in plain words, with a lens (``as buyer``) or a workload
    (``for 50M tokens``) at the end; ``None`` when there aren't exactly two known tools."""
    if len(text) > MAX_COMPARE_LENGTH:
        return None
    body = _END.sub("", strip_mentions(text))
    try:
        body, workload = split_workload(body)
    except InvalidInput:
        workload = None
    body, lens = split_lens(_END.sub("", body))
    words = _words(_END.sub("", body))
    found: list[tuple[str, str]] = []
    for index, word in enumerate(words):
        if not _SEPARATOR.match(word):
            continue
        left = _side(matcher, words[:index], before=True)
        right = _side(matcher, words[index + 1 :], before=False)
        if left is not None and right is not None and left[1] != right[1]:
            found.append((left[0], right[0]))
    pairs = {(a.casefold(), b.casefold()) for a, b in found}
    if len(pairs) != 1:  # none, or names of three tools: not a question about two
        return None
    a, b = found[0]
    return CompareRequest(a=a, b=b, lens=lens, workload=workload)


def ask_hint(commands: Commands, mention: str) -> str:
    """The help line for something that isn't two tools, naming this surface's commands."""
    return (
        "I compare two AI tools. Ask me like "
        f"`{mention} should we ship with SmolLM3 or Mistral Medium 3?`, or use "
        f"`{commands.example()}`; `{commands.help}` shows everything I can do."
    )
