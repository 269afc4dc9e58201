"""Find the catalog tool a person means, and split ``/compare A vs B`` into its two sides.

How ``ToolMatcher.resolve`` decides (it never guesses between versions):

1. The query and every catalog name/alias are reduced to canonical tokens (``bot.normalize``).
   Lookup keys are the *sorted* tokens (word order does not matter) and the tokens glued
   together (``deep seek`` == ``deepseek``, ``dall e`` == ``dalle``).
2. Each catalog entry is indexed under a few keys with a penalty: as written (0), without noise
   words such as "model", "api", "instruct" (1), without the vendor ("OpenAI", "Meta") (2),
   and without its family word when a version plus a distinguishing word remain
   ("GPT-4o" -> "4o", "Claude 3.5 Sonnet" -> "3.5 sonnet") (3).  The query is looked up the
   same way (noise words, dates like ``20241022`` and an ``org/`` prefix may be dropped).
   Every key keeps *all* version tokens: numbers, sizes (3b, 70b), suffixes (mini, pro, +),
   so "gpt-4o" can never reach "GPT-4o mini" and a version that never existed finds nothing.
3. The lowest total penalty wins; two different tools at that penalty are ``Ambiguous``.
4. Only if nothing matched, words that are not in the catalog vocabulary are corrected to
   words within a small edit distance (never digits, never one version word into another) and
   step 3 is repeated.  Anything else is ``NotFound`` with suggestions from the same family.

All lookups are dictionary hits, so ``resolve`` costs the same for 100 or 100 000 tools; the
only scans are the bounded typo search and ranking suggestions.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.errors import InvalidInput, SameTool
from bot.normalize import compact, normalize, tokens

__all__ = [
    "Ambiguous",
    "Match",
    "NotFound",
    "Resolution",
    "ToolMatcher",
    "normalize",
    "split_compare",
]


@dataclass(frozen=True)
class Match:
    """The query names exactly one catalog tool."""

    name: str


@dataclass(frozen=True)
class Ambiguous:
    """The query fits several tools equally well; ask which one (best first)."""

    candidates: tuple[str, ...]


@dataclass(frozen=True)
class NotFound:
    """No tool fits; up to a few catalog names from the same family, best first."""

    suggestions: tuple[str, ...]


Resolution = Match | Ambiguous | NotFound

# Words that never distinguish one tool from another.
NOISE = frozenset(
    {
        "the",
        "a",
        "an",
        "new",
        "newest",
        "latest",
        "model",
        "models",
        "llm",
        "api",
        "app",
        "ai",
        "version",
        "ver",
        "instruct",
        "it",
        "hf",
        "tool",
    }
)
# Vendors people put in front of a product name.  Dropped from a query only when the tool's
# own name carries no (different) vendor, so "Microsoft Copilot" never becomes "GitHub Copilot".
VENDORS = frozenset(
    {
        "openai",
        "anthropic",
        "google",
        "deepmind",
        "meta",
        "facebook",
        "microsoft",
        "msft",
        "amazon",
        "aws",
        "nvidia",
        "alibaba",
        "mistralai",
        "xai",
        "ibm",
        "apple",
        "baidu",
        "tencent",
        "bytedance",
        "huggingface",
        "stabilityai",
        "github",
        "adobe",
        "salesforce",
        "zhipu",
        "moonshot",
    }
)
# Lab names people put in front of a model whose catalog name never carries them ("Mistral AI
# Codestral", "Cohere Command R+"); dropped from queries only, as a last resort.
QUERY_VENDOR_PHRASES: tuple[tuple[str, ...], ...] = (
    ("black", "forest", "labs"),
    ("hugging", "face"),
    ("mistral",),
    ("cohere",),
    ("stability",),
    ("ai21",),
    ("nous",),
    ("nousresearch",),
    ("allenai",),
    ("ai2",),
    ("databricks",),
    ("alibaba", "cloud"),
    ("google", "deepmind"),
    ("01",),
)
_SIZE = re.compile(r"^[0-9]+(?:\.[0-9]+)?(?:x[0-9]+(?:\.[0-9]+)?)?[bmkt]$")
_REVISION = re.compile(r"^00[0-9]$")
_MMDD = re.compile(r"^(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$")
_YYYYMMDD = re.compile(r"^(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$")

_PEN_BITS = 3
_PEN_MASK = (1 << _PEN_BITS) - 1
_VENDOR_FLAG = 1 << _PEN_BITS
_SHIFT = _PEN_BITS + 1
_WHOLE_ONLY = 2  # query-key mode: the vendor was dropped and only whole-name keys may match
_MAX_TYPO_VARIANTS = 32
_MAX_CANDIDATES = 10


def _is_size(token: str) -> bool:
    return bool(_SIZE.match(token))


def _has_digit(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


def _is_word(token: str) -> bool:
    return token.isalpha()


def _sorted_key(parts: Iterable[str]) -> str:
    return " ".join(sorted(parts))


def _family_dropped(core: tuple[str, ...]) -> tuple[str, ...] | None:
    """``core`` without its leading family word, if what remains still names one version.

    "GPT-4o" -> ("4o",), "Claude 3.5 Sonnet" -> ("3.5", "sonnet"); "Llama 3.1 70B" stays
    whole because "3.1 70b" alone could be any family.
    """
    if len(core) < 2 or not _is_word(core[0]) or len(core[0]) < 2:
        return None
    rest = core[1:]
    has_version = any(_has_digit(t) for t in rest)
    has_word = any(not _is_size(t) and any(ch.isalpha() for ch in t) for t in rest)
    return rest if has_version and has_word else None


def _split_org(parts: tuple[str, ...]) -> list[tuple[tuple[str, ...], int]]:
    """Bases to index or look up, with a penalty: "org / model" also yields "model" (+1)."""
    if "/" not in parts:
        return [(parts, 0)]
    pieces = [
        tuple(g) for is_slash, g in itertools.groupby(parts, lambda t: t == "/") if not is_slash
    ]
    whole = tuple(t for t in parts if t != "/")
    if len(pieces) == 2 and pieces[1]:
        return [(whole, 0), (pieces[1], 1)]
    return [(whole, 0)]


def _is_date_like(parts: tuple[str, ...], i: int) -> bool:
    token = parts[i]
    if _YYYYMMDD.match(token) or _REVISION.match(token):
        return True
    last = i == len(parts) - 1
    return last and bool(_MMDD.match(token)) and any(_has_digit(t) for t in parts[:i])


def _entry_keys(parts: tuple[str, ...]) -> Iterator[tuple[str, int, bool]]:
    """Keys under which a catalog entry is found: (key, penalty, vendor_was_dropped)."""
    for base, pen in _split_org(parts):
        if not base:
            continue
        yield from _keys_for(base, pen, False)
        denoised = tuple(t for t in base if t not in NOISE)
        if denoised and denoised != base:
            yield from _keys_for(denoised, pen + 1, False)
        core = tuple(t for t in denoised if t not in VENDORS)
        dropped_vendor = core != denoised
        if core and dropped_vendor:
            yield from _keys_for(core, pen + 2, True)
        rest = _family_dropped(core) if core else None
        if rest:
            yield _sorted_key(rest), pen + 3, dropped_vendor
        for short in _acronyms(core):
            yield from _keys_for(short, pen + 3, dropped_vendor)


def _query_keys(parts: tuple[str, ...]) -> Iterator[tuple[str, int, int]]:
    """Keys to look a query up under: (key, penalty, mode).

    Mode 0 matches any catalog key, 1 (the query's vendor was dropped) skips catalog keys
    that dropped the tool's own vendor, and ``_WHOLE_ONLY`` also skips family-dropped keys.
    """
    for base, pen in _split_org(parts):
        if not base:
            continue
        yield from _keys_for(base, pen, False)
        denoised = tuple(
            t for i, t in enumerate(base) if t not in NOISE and not _is_date_like(base, i)
        )
        if denoised and denoised != base:
            yield from _keys_for(denoised, pen + 1, False)
        core = tuple(t for t in denoised if t not in VENDORS)
        if core and core != denoised:
            yield from _keys_for(core, pen + 2, True)
        lab_free = _without_phrases(core, QUERY_VENDOR_PHRASES)
        if lab_free and lab_free != core:
            # The person named the lab, so the family word must be there: whole keys only.
            for key, _pen, _vendor in _keys_for(lab_free, pen + 3, True):
                yield key, pen + 3, _WHOLE_ONLY


def _without_phrases(
    parts: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]
) -> tuple[str, ...]:
    """``parts`` with each listed word sequence removed (at most once each)."""
    out = list(parts)
    for phrase in phrases:
        size = len(phrase)
        for i in range(len(out) - size + 1):
            if tuple(out[i : i + size]) == phrase:
                del out[i : i + size]
                break
    return tuple(out)


def _acronyms(core: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Initials of the leading words: "Stable Diffusion 3.5" -> "sd 3.5", "TGI", "SDXL"."""
    run = 0
    while run < len(core) and _is_word(core[run]) and core[run] not in NOISE:
        run += 1
    for size in range(2, run + 1):
        initials = "".join(word[0] for word in core[:size])
        yield (initials, *core[size:])


def _keys_for(parts: tuple[str, ...], pen: int, vendor: bool) -> Iterator[tuple[str, int, bool]]:
    yield _sorted_key(parts), pen, vendor
    glued = compact(parts)
    if glued and (len(parts) > 1):
        yield glued, pen, vendor


class ToolMatcher:
    """An incremental index of catalog names and aliases; see the module docstring."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]] = ()) -> None:
        self._names: list[str | None] = []
        self._ids: dict[str, int] = {}
        self._forms: dict[int, list[tuple[str, ...]]] = {}
        self._keys: dict[str, int | tuple[int, ...]] = {}
        self._postings: dict[str, set[int]] = {}
        self._by_length: dict[int, dict[str, None]] = {}
        self._length_lists: dict[int, list[str]] = {}
        self._prefixes: list[tuple[str, int]] = []
        self._sorted_names: list[tuple[str, str]] | None = None
        for name, aliases in entries:
            self.add(name, aliases)

    # ------------------------------------------------------------------ catalog edits
    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._ids

    @property
    def names(self) -> tuple[str, ...]:
        """Catalog names in the order they were added."""
        return tuple(self._ids)

    def add(self, name: str, aliases: Iterable[str] = ()) -> None:
        """Add a tool (or more aliases to an existing one); live for the next lookup."""
        tid = self._ids.get(name)
        if tid is None:
            tid = len(self._names)
            self._names.append(name)
            self._ids[name] = tid
            self._forms[tid] = []
            self._sorted_names = None
        known = set(self._forms[tid])
        for text in (name, *aliases):
            parts = tuple(tokens(text))
            if parts and parts not in known:
                known.add(parts)
                self._index_form(tid, parts)

    def remove(self, name: str) -> None:
        """Forget a tool and all of its aliases; unknown names are ignored."""
        tid = self._ids.pop(name, None)
        if tid is None:
            return
        for parts in self._forms.pop(tid):
            self._unindex_form(tid, parts)
        self._names[tid] = None
        self._sorted_names = None

    def _index_form(self, tid: int, parts: tuple[str, ...]) -> None:
        self._forms[tid].append(parts)
        for key, pen, vendor in _entry_keys(parts):
            code = tid << _SHIFT | (_VENDOR_FLAG if vendor else 0) | pen
            old = self._keys.get(key)
            if old is None:
                self._keys[key] = code
            elif isinstance(old, int):
                if old != code:
                    self._keys[key] = (old, code)
            elif code not in old:
                self._keys[key] = (*old, code)
        for token in set(parts):
            if token == "/":
                continue
            posting = self._postings.setdefault(token, set())
            if not posting:
                self._vocab_add(token)
            posting.add(tid)
        bisect.insort(self._prefixes, (compact(parts), tid))

    def _unindex_form(self, tid: int, parts: tuple[str, ...]) -> None:
        for key, _pen, _vendor in _entry_keys(parts):
            old = self._keys.get(key)
            if old is None:
                continue
            codes = (old,) if isinstance(old, int) else old
            kept = tuple(c for c in codes if c >> _SHIFT != tid)
            if not kept:
                del self._keys[key]
            else:
                self._keys[key] = kept[0] if len(kept) == 1 else kept
        for token in set(parts):
            posting = self._postings.get(token)
            if posting is None:
                continue
            posting.discard(tid)
            if not posting:
                del self._postings[token]
                self._vocab_remove(token)
        item = (compact(parts), tid)
        i = bisect.bisect_left(self._prefixes, item)
        if i < len(self._prefixes) and self._prefixes[i] == item:
            del self._prefixes[i]

    def _vocab_add(self, token: str) -> None:
        if _is_word(token):
            self._by_length.setdefault(len(token), {})[token] = None
            self._length_lists.pop(len(token), None)

    def _vocab_remove(self, token: str) -> None:
        if _is_word(token):
            self._by_length.get(len(token), {}).pop(token, None)
            self._length_lists.pop(len(token), None)

    # ------------------------------------------------------------------ resolving
    def resolve(self, query: str) -> Resolution:
        """The one tool ``query`` names, the tied candidates, or suggestions."""
        parts = tuple(tokens(query))
        found = self._resolve_parts(parts)
        if found is not None:
            return found
        return NotFound(self._suggest_parts(parts, 3))

    def _resolve_parts(self, parts: tuple[str, ...]) -> Match | Ambiguous | None:
        if not parts:
            return None
        best = self._lookup(_query_keys(parts))
        if not best:
            best = self._lookup_typos(parts)
        if not best:
            return None
        return self._decide(best, parts)

    def _lookup(self, keys: Iterable[tuple[str, int, int]]) -> dict[int, int]:
        """Best total penalty per tool over all query keys."""
        best: dict[int, int] = {}
        for key, qpen, mode in keys:
            hit = self._keys.get(key)
            if hit is None:
                continue
            for code in (hit,) if isinstance(hit, int) else hit:
                if mode and code & _VENDOR_FLAG:
                    continue
                if mode == _WHOLE_ONLY and code & _PEN_MASK >= 3:
                    continue
                tid = code >> _SHIFT
                total = qpen + (code & _PEN_MASK)
                if total < best.get(tid, 99):
                    best[tid] = total
        return best

    def _lookup_typos(self, parts: tuple[str, ...]) -> dict[int, int]:
        """Retry with out-of-vocabulary words corrected; penalties grow with edit distance."""
        options: list[list[tuple[str, int]]] = []
        for token in parts:
            if token == "/" or token in self._postings or token in NOISE or not _is_word(token):
                options.append([(token, 0)])
                continue
            fixes = self._corrections(token)
            if not fixes:
                if token in VENDORS:
                    options.append([(token, 0)])
                    continue
                return {}
            options.append(fixes)
        best: dict[int, int] = {}
        for combo in itertools.islice(itertools.product(*options), _MAX_TYPO_VARIANTS):
            distance = sum(d for _t, d in combo)
            if distance == 0:
                continue
            fixed = tuple(t for t, _d in combo)
            for tid, pen in self._lookup(_query_keys(fixed)).items():
                total = 10 * distance + pen
                if total < best.get(tid, 999):
                    best[tid] = total
        return best

    def _corrections(self, token: str) -> list[tuple[str, int]]:
        """Vocabulary words within a length-dependent edit distance of ``token``."""
        size = len(token)
        if size < 3:
            return []
        limit = 2 if size >= 9 else 1
        found: list[tuple[str, int]] = []
        for length in range(size - limit, size + limit + 1):
            choices = self._length_list(length)
            if not choices:
                continue
            for word, dist, _i in process.extract(
                token, choices, scorer=OSA.distance, score_cutoff=limit, limit=None
            ):
                if size < 5 and not _is_transposition(token, word):
                    continue
                found.append((word, int(dist)))
        found.sort(key=lambda item: (item[1], item[0]))
        return found[:4]

    def _length_list(self, length: int) -> list[str]:
        cached = self._length_lists.get(length)
        if cached is None:
            cached = list(self._by_length.get(length, {}))
            self._length_lists[length] = cached
        return cached

    def _decide(self, best: dict[int, int], parts: tuple[str, ...]) -> Match | Ambiguous:
        top = min(best.values())
        winners = [tid for tid, pen in best.items() if pen == top]
        names = [self._name(tid) for tid in winners]
        if len(names) == 1:
            return Match(names[0])
        return Ambiguous(self._rank(parts, names)[:_MAX_CANDIDATES])

    def _name(self, tid: int) -> str:
        name = self._names[tid]
        assert name is not None
        return name

    def _rank(self, parts: tuple[str, ...], names: list[str]) -> tuple[str, ...]:
        query = " ".join(parts)
        scored = sorted(names, key=lambda n: (-fuzz.ratio(query, normalize(n)), len(n), n))
        return tuple(scored)

    # ------------------------------------------------------------------ suggestions
    def suggest(self, query: str, k: int = 3) -> tuple[str, ...]:
        """Up to ``k`` catalog names close to ``query`` (same family first), best first."""
        return self._suggest_parts(tuple(tokens(query)), k)

    def _suggest_parts(self, parts: tuple[str, ...], k: int) -> tuple[str, ...]:
        if k <= 0 or not parts:
            return ()
        family: set[int] = set()
        for token in parts:
            if token in NOISE or token in VENDORS or token == "/" or _has_digit(token):
                continue
            words = (
                [token] if token in self._postings else [w for w, _d in self._corrections(token)]
            )
            for word in words:
                family |= self._postings.get(word, set())
        if not family:
            return ()
        query = " ".join(t for t in parts if t != "/")
        choices = {tid: " ".join(self._forms[tid][0]) for tid in family}
        ranked = process.extract(query, choices, scorer=fuzz.WRatio, limit=k)
        return tuple(self._name(tid) for _text, _score, tid in ranked)

    # ------------------------------------------------------------------ autocomplete
    def complete(self, prefix: str, k: int = 25) -> tuple[str, ...]:
        """Best catalog names for a partly typed name (alphabetical when ``prefix`` is empty)."""
        if k <= 0:
            return ()
        parts = tuple(tokens(prefix))
        if not parts:
            return tuple(name for _key, name in self._alphabetical()[:k])
        out: dict[int, None] = {}
        glued = compact(parts)
        i = bisect.bisect_left(self._prefixes, (glued, -1))
        while i < len(self._prefixes) and len(out) < k:
            key, tid = self._prefixes[i]
            if not key.startswith(glued):
                break
            out[tid] = None
            i += 1
        if len(out) < k:
            self._complete_by_words(parts, out, k)
        if not out:
            return self._suggest_parts(parts, k)
        return tuple(self._name(tid) for tid in out)

    def _complete_by_words(self, parts: tuple[str, ...], out: dict[int, None], k: int) -> None:
        """Names holding every finished word and a word starting with the last, partial one."""
        done = [t for t in parts[:-1] if t not in NOISE and t != "/"]
        pool: set[int] | None = None
        for token in done:
            posting = self._postings.get(token, set())
            pool = set(posting) if pool is None else pool & posting
            if not pool:
                return
        last = parts[-1]
        for tid in sorted(pool or ()):
            if len(out) >= k:
                return
            if any(any(t.startswith(last) for t in form) for form in self._forms[tid]):
                out.setdefault(tid, None)
        if pool is None:
            for tid in self._tids_with_word_prefix(last, k * 4):
                if len(out) >= k:
                    return
                out.setdefault(tid, None)

    def _tids_with_word_prefix(self, last: str, limit: int) -> Iterator[int]:
        seen = 0
        for word in sorted(w for w in self._postings if w.startswith(last))[:limit]:
            for tid in sorted(self._postings[word]):
                seen += 1
                if seen > limit:
                    return
                yield tid

    def _alphabetical(self) -> list[tuple[str, str]]:
        if self._sorted_names is None:
            self._sorted_names = sorted((normalize(n), n) for n in self._ids)
        return self._sorted_names


def _is_transposition(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]


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
