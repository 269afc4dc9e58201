"""Split ``/compare A vs B`` into its two sides, preferring a split whose sides both resolve."""

from __future__ import annotations

import re
import unicodedata

from bot.errors import InvalidInput, SameTool
from bot.matching.matcher import ToolMatcher
from bot.matching.results import Ambiguous, Match, NotFound, Resolution

# ---------------------------------------------------------------------- compare splitting
MAX_COMPARE_LENGTH = 500
_PREFIX = re.compile(r"^\s*/?compare\b[\s:]*", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"(?:(?<=\s)|^)(?:vs\.?|versus|v\.?|or|and|against|/)(?=\s|$)|,", re.IGNORECASE
)
_WEAK = frozenset({"or", "and", "v", "v."})
_QUOTE_PAIRS = {
    '"': '"',
    "'": "'",
    "`": "`",
    "\u201c": "\u201d",
    "\u2018": "\u2019",
    "\u00ab": "\u00bb",
    "\u201e": "\u201c",
}
_MAX_SPLITS = 12
_NEED_TWO = "I need two tools to compare, like `/compare GPT-4o vs Claude 3.5 Sonnet`."


def _clean(text: str) -> str:
    """Tabs/newlines become spaces, invisible format characters go, other controls are refused."""
    out: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "\t\n\r\v\f" or category in ("Zs", "Zl", "Zp"):
            out.append(" ")
        elif category == "Cf":
            continue
        elif category == "Cc":
            raise InvalidInput("That message has control characters in it; please retype it.")
        else:
            out.append(ch)
    return re.sub(r" +", " ", "".join(out)).strip()


def _unquote(side: str) -> str:
    side = side.strip().strip(",").strip()
    while len(side) >= 2 and _QUOTE_PAIRS.get(side[0]) == side[-1]:
        side = side[1:-1].strip()
    return side


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted names; separators inside them do not count."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        close = _QUOTE_PAIRS.get(text[i])
        starts_word = i == 0 or text[i - 1] in " ,"
        if close and starts_word:
            end = text.find(close, i + 1)
            if end > i:
                spans.append((i, end))
                i = end + 1
                continue
        i += 1
    return spans


def _separators(text: str) -> list[re.Match[str]]:
    spans = _quoted_spans(text)
    return [m for m in _SEPARATOR.finditer(text) if not any(a < m.start() <= b for a, b in spans)]


def split_compare(text: str, matcher: ToolMatcher) -> tuple[str, str]:
    """The two tool names in a compare command, as typed (trimmed and unquoted).

    Accepts the text with or without a leading ``/compare``.  Separators (any case): ``vs``,
    ``vs.``, ``versus``, ``v``, ``v.``, ``or``, ``and``, ``against``, a comma, or a ``/`` with
    spaces around it; only whole words count, so "VS Code", "Vicuna", "v2" and "meta/llama"
    are never split.  When a separator word also occurs inside a name, the split whose two
    sides both resolve in ``matcher`` wins.  Tabs and newlines count as spaces and invisible
    format characters (zero-width spaces) are removed; any other control character is
    rejected with ``InvalidInput``, as are empty input, one tool, three or more tools and
    input over 500 characters.  Raises ``SameTool`` when both sides resolve to one tool.
    """
    if len(text) > MAX_COMPARE_LENGTH:
        raise InvalidInput(
            f"That compare is too long (over {MAX_COMPARE_LENGTH} characters); name just two tools."
        )
    body = _PREFIX.sub("", _clean(text), count=1).strip()
    body = re.sub(r"[\s?？!]+$", "", body)
    if not body:
        raise InvalidInput(_NEED_TWO)
    left, right = _best_split(body, matcher)
    a, b = matcher.resolve(left), matcher.resolve(right)
    if isinstance(a, Match) and isinstance(b, Match) and a.name == b.name:
        raise SameTool(a.name)
    return left, right


def _best_split(body: str, matcher: ToolMatcher) -> tuple[str, str]:
    seps = _separators(body)
    if not seps:
        quoted = _two_quoted(body)
        if quoted:
            return quoted
        raise InvalidInput(_NEED_TWO)
    if len(seps) > _MAX_SPLITS:
        raise InvalidInput("That's too many tools; compare exactly two at a time.")
    options: list[tuple[tuple[int, ...], str, str]] = []
    for index, sep in enumerate(seps):
        left, right = _unquote(body[: sep.start()]), _unquote(body[sep.end() :])
        if not left or not right:
            continue
        score = _split_score(matcher, left, right, sep.group(0), index)
        options.append((score, left, right))
    if not options:
        raise InvalidInput(_NEED_TWO)
    options.sort(key=lambda item: item[0], reverse=True)
    score, left, right = options[0]
    if score[0] < 4 and _looks_like_three(body, seps, matcher):
        raise InvalidInput("That's more than two tools; compare exactly two at a time.")
    return left, right


def _strength(result: Resolution) -> int:
    return 2 if isinstance(result, Match) else 1 if isinstance(result, Ambiguous) else 0


def _split_score(
    matcher: ToolMatcher, left: str, right: str, sep: str, index: int
) -> tuple[int, ...]:
    both = _strength(matcher.resolve(left)) + _strength(matcher.resolve(right))
    strong = 0 if sep.strip().casefold() in _WEAK else 1
    dangling = _ends_with_separator(left) + _ends_with_separator(right)
    return (both, -dangling, strong, -index)


def _ends_with_separator(side: str) -> int:
    words = side.split()
    edge = {words[0].casefold(), words[-1].casefold()} if words else set()
    return int(bool(edge & {"vs", "vs.", "versus", "v", "v.", "or", "and", "against", "/"}))


def _looks_like_three(body: str, seps: list[re.Match[str]], matcher: ToolMatcher) -> bool:
    """Three pieces between strong separators, or every piece between any separators resolves."""
    strong = [m for m in seps if m.group(0).strip().casefold() not in _WEAK]
    if len(_pieces(body, strong)) >= 3:
        return True
    pieces = _pieces(body, seps)
    return len(pieces) >= 3 and all(not isinstance(matcher.resolve(p), NotFound) for p in pieces)


def _pieces(body: str, seps: list[re.Match[str]]) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in seps:
        pieces.append(_unquote(body[start : m.start()]))
        start = m.end()
    pieces.append(_unquote(body[start:]))
    return [p for p in pieces if p]


def _two_quoted(body: str) -> tuple[str, str] | None:
    spans = _quoted_spans(body)
    if len(spans) != 2:
        return None
    rest = body
    for a, b in reversed(spans):
        rest = rest[:a] + rest[b + 1 :]
    if rest.strip():
        return None
    (a1, b1), (a2, b2) = spans
    return body[a1 + 1 : b1].strip(), body[a2 + 1 : b2].strip()
