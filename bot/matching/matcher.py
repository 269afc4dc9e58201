"""``ToolMatcher``: the incremental index of catalog names and aliases."""

from __future__ import annotations

import bisect
import gc
import itertools
import sys
from collections.abc import Iterable, Iterator
from operator import itemgetter

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA

from bot.matching.asides import DESCRIPTORS, Stripped, strip_asides
from bot.matching.keys import (
    _COMPLETE_SCAN,
    _MAX_CANDIDATES,
    _MAX_TYPO_VARIANTS,
    _PEN_MASK,
    _SHIFT,
    _SUGGEST_POOL,
    _VENDOR_FLAG,
    _WHOLE_ONLY,
    NOISE,
    VENDORS,
    _entry_keys,
    _is_word,
    _query_keys,
    _Tails,
)
from bot.matching.results import Ambiguous, Match, NotFound, Resolution
from bot.normalize import compact, normalize, tokens

_GLUED, _TID = itemgetter(0), itemgetter(1)  # the parts of a (glued, tid) prefix entry
_LOWS = _VENDOR_FLAG << 1  # distinct low parts (penalty | vendor flag) of a code
_EMPTY: frozenset[int] = frozenset()


class ToolMatcher:
    """An incremental index of catalog names and aliases; see the module docstring."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]] = ()) -> None:
        self._names: list[str | None] = []
        self._ids: dict[str, int] = {}
        self._forms: dict[int, list[tuple[str, ...]]] = {}
        self._heads: dict[str, int] = {}  # first words of names ("qwen") -> how many tools
        self._keys: dict[str, int | tuple[int, ...]] = {}
        self._postings: dict[str, set[int]] = {}
        self._by_length: dict[int, dict[str, None]] = {}
        self._length_lists: dict[int, list[str]] = {}
        self._prefixes: list[tuple[str, int]] = []
        self._sorted_names: list[tuple[str, str]] | None = None
        self._sorted_vocab: list[str] | None = None
        collecting = gc.isenabled()
        gc.disable()  # the index holds no cycles; pausing the collector saves ~10% of a build
        try:
            tails: _Tails = {}  # shared by the whole build, then dropped
            postings: dict[str, list[int]] = {}  # appending beats growing the sets one by one
            for name, aliases in entries:
                self._add(name, aliases, tails, postings)
            for token, tids in postings.items():
                self._postings[token] = set(tids)  # same adds, same order: the same sets
                self._vocab_add(token)
            # Two stable sorts, on bare ints then on strings, give the order of sorting the
            # (glued, tid) pairs without tuple comparisons: about twice as fast.  The first is
            # nearly free because forms arrive in tid order (all but repeated names).
            self._prefixes.sort(key=_TID)
            self._prefixes.sort(key=_GLUED)
        finally:
            if collecting:
                gc.enable()

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
        self._add(name, aliases, {}, None)

    def _add(
        self,
        name: str,
        aliases: Iterable[str],
        tails: _Tails,
        building: dict[str, list[int]] | None,
    ) -> None:
        """``add``; a build shares per-tail key work in ``tails`` across calls and collects
        postings in ``building`` (token -> tids) and unsorted prefixes, finished at the end.
        """
        tid = self._ids.get(name)
        # A tool created by this call has its codes last in any key's tuple, so checking for a
        # repeated code need only look at the last _LOWS codes, not at every tool sharing a
        # popular key ("70b pro").
        fresh = tid is None
        if tid is None:
            tid = len(self._names)
            self._names.append(name)
            self._ids[name] = tid
            self._forms[tid] = []
            if self._sorted_names is not None:  # keep the empty-prefix order without a re-sort
                bisect.insort(self._sorted_names, (name.casefold(), name))
        known = self._forms[tid]  # a handful per tool: a list scan beats building a set
        heads = self._heads if fresh else None  # a new tool's name counts its first word
        index = self._keys
        base = tid << _SHIFT
        words: set[str] = set()
        for text in (name, *aliases):
            parts = tuple(map(sys.intern, tokens(text)))  # shared token strings save memory
            if heads is not None:
                if parts:
                    heads[parts[0]] = heads.get(parts[0], 0) + 1
                heads = None
            if not parts or parts in known:
                continue
            known.append(parts)
            words.update(parts)
            keys = _entry_keys(parts, tails)
            for key, low in keys.items():
                code = base | low
                old = index.setdefault(key, code)
                if old is code:  # the key was new: the common case, one dict operation
                    continue
                if isinstance(old, int):
                    if old != code:
                        index[key] = (old, code)
                elif code not in (old[-_LOWS:] if fresh else old):
                    index[key] = (*old, code)
            glued = next(iter(keys))
            if building is not None:  # sorted once at the end of the build
                self._prefixes.append((glued, tid))
            else:
                bisect.insort(self._prefixes, (glued, tid))
        if building is not None:
            for token in words:
                tids = building.get(token)
                if tids is not None:
                    tids.append(tid)
                elif token != "/":
                    building[token] = [tid]
            return
        postings = self._postings  # every word of the new forms, once
        for token in words:
            posting = postings.get(token)
            if posting is None:
                if token == "/":
                    continue
                postings[token] = posting = set()
                self._vocab_add(token)
            posting.add(tid)

    def remove(self, name: str) -> None:
        """Forget a tool and all of its aliases; unknown names are ignored."""
        tid = self._ids.pop(name, None)
        if tid is None:
            return
        forms = self._forms.pop(tid)
        head = tokens(name)[:1]
        if head and head[0] in self._heads:
            self._heads[head[0]] -= 1
            if not self._heads[head[0]]:
                del self._heads[head[0]]
        for parts in forms:
            self._unindex_form(tid, parts)
        self._names[tid] = None
        if self._sorted_names is not None:
            self._sorted_names.remove((name.casefold(), name))

    def _unindex_form(self, tid: int, parts: tuple[str, ...]) -> None:
        for key in _entry_keys(parts):
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
        self._sorted_vocab = None
        if _is_word(token):
            self._by_length.setdefault(len(token), {})[token] = None
            self._length_lists.pop(len(token), None)

    def _vocab_remove(self, token: str) -> None:
        self._sorted_vocab = None
        if _is_word(token):
            self._by_length.get(len(token), {}).pop(token, None)
            self._length_lists.pop(len(token), None)

    # ------------------------------------------------------------------ resolving
    def resolve(self, query: str) -> Resolution:
        """The one tool ``query`` names, the tied candidates, or suggestions."""
        parts = tuple(tokens(query))
        found = self._resolve_parts(parts, query)
        if found is not None:
            return found
        return NotFound(self._suggest_parts(parts, 3))

    def _resolve_parts(self, parts: tuple[str, ...], query: str) -> Match | Ambiguous | None:
        """As typed, then without asides (``strip_asides``), each exact before corrected."""
        if not parts:
            return None
        best = self._lookup(_query_keys(parts), parts)
        core = [t for t in parts if t not in NOISE and t not in VENDORS]
        if len(core) == 1 and self._heads.get(core[0], 0) > 1:
            # A bare family word ("Claude", "Gemini app") names only a tool of that very
            # name ("Groq" for "Groq app"), never one that adds to it ("Claude app").
            named = tuple(core)
            exact = [
                tid
                for tid, pen in best.items()
                if pen == 0 or (self._forms[tid] and self._forms[tid][0] == named)
            ]
            return Match(self._name(exact[0])) if len(exact) == 1 else None
        if best:
            return self._decide(best, parts)
        for routed in _route_suffixes(parts):  # "openrouter/anthropic/claude-sonnet-4.5"
            best = self._lookup(_query_keys(routed), routed)
            if best:
                return self._decide(best, routed)
        readings = strip_asides(query)
        tied: Ambiguous | None = None  # a reading that fits several tools
        for reading in readings:
            best = self._lookup(_query_keys(reading.parts), reading.parts)
            if best:
                found = self._guard(self._decide(best, reading.parts), reading)
                if isinstance(found, Match):
                    return found
                tied = found
                readings = []  # a variant word was taken off: no shorter reading either
                break
        best = self._lookup_typos(parts)
        if best:
            corrected = self._decide(best, parts)
            if tied is None or isinstance(corrected, Match):
                return corrected  # "Nano Banana (Gemini 2.5 Flassh Image)"
        if tied is not None:
            return tied
        for reading in readings[-1:]:  # typos: only in the shortest reading (bounded cost)
            best = self._lookup_typos(reading.parts)
            if best:
                return self._guard(self._decide(best, reading.parts), reading)
        return None

    def _guard(self, found: Match | Ambiguous, stripped: Stripped) -> Match | Ambiguous | None:
        """A Match on a stripped query, unless a word taken off may name a variant.

        Another tool whose name holds the found tool's words and a word taken off makes it
        Ambiguous ("Gemini 2.5 Flash (preview)" with "Gemini 2.5 Flash Preview" in the
        catalog).  A word taken off that is not a descriptor and that tells tools of the same
        family apart ("Qwen Plus (thinking)" when "Qwen3 8B Thinking" exists) makes it None:
        nothing is guessed.
        """
        if not isinstance(found, Match):
            return found
        winner = self._ids[found.name]
        forms = self._forms[winner]
        name = forms[0] if forms else ()
        core = {t for t in name if t not in NOISE and t != "/"}
        telling = stripped.dropped.difference(core, VENDORS, NOISE)
        if not core or not telling:
            return found
        postings = sorted((self._postings.get(t, _EMPTY) for t in core), key=len)
        rivals: list[str] = []
        for tid in postings[0]:
            if tid == winner or not all(tid in p for p in postings[1:]):
                continue
            name_words = self._forms[tid][0] if self._forms[tid] else ()
            if core.issubset(name_words) and not telling.isdisjoint(name_words):
                rivals.append(self._name(tid))
        if rivals:
            ranked = self._rank(stripped.parts, rivals)
            return Ambiguous((found.name, *ranked)[:_MAX_CANDIDATES])
        family = self._postings.get(name[0], _EMPTY)
        for word in telling.difference(DESCRIPTORS):
            if not word.isalpha():
                continue
            holders = self._postings.get(word, _EMPTY)
            small, big = (holders, family) if len(holders) < len(family) else (family, holders)
            for tid in small:
                words = self._forms[tid][0] if tid in big and self._forms[tid] else ()
                if words and words[0] == name[0] and word in words:
                    return None
        return found

    def _lookup(
        self, keys: Iterable[tuple[str, int, int]], parts: tuple[str, ...]
    ) -> dict[int, int]:
        """Best total penalty per tool over all query keys.

        A key without the tool's family word ("4o" for GPT-4o) is not taken when the query
        names other families but not the tool's: "Qwen3 8B" never finds "Grayline Qwen3 8B".
        """
        families: set[str] | None = None
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
                if code & _PEN_MASK >= 3:
                    if families is None:
                        families = {t for t in parts if t in self._heads}
                    forms = self._forms.get(tid)
                    if families and forms and forms[0][0] not in families:
                        continue
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
            for tid, pen in self._lookup(_query_keys(fixed), fixed).items():
                total = 10 * distance + pen
                if total < best.get(tid, 999):
                    best[tid] = total
        return best

    def _corrections(self, token: str) -> list[tuple[str, int]]:
        """Vocabulary words within a length-dependent edit distance of ``token``.

        Three letters: a swap ("lamma" needs four).  Four: a swap or a dropped letter
        ("Llma", "Gema", "Cdex").  Five to seven: one edit; eight and more: two.
        """
        size = len(token)
        if size < 3:
            return []
        limit = 2 if size >= 8 else 1
        found: list[tuple[str, int]] = []
        for length in range(size - limit, size + limit + 1):
            choices = self._length_list(length)
            if not choices:
                continue
            for word, dist, _i in process.extract(
                token, choices, scorer=OSA.distance, score_cutoff=limit, limit=None
            ):
                if size < 5 and not (
                    _is_transposition(token, word) or (size == 4 and len(word) == 5)
                ):
                    continue
                found.append((word, int(dist)))
        postings = self._postings
        found.sort(key=lambda item: (item[1], -len(postings.get(item[0], ())), item[0]))
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
        # A tie at the top, but one tool is called exactly this (its name or an alias, word
        # for word): "Meta Llama Guard 4 12B" is that tool, not also "Llama Guard 4 12B".
        spelled = [tid for tid in winners if parts in self._forms.get(tid, ())]
        if len(spelled) == 1:
            return Match(self._name(spelled[0]))
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
        family = self._family(parts, k)
        if not family:
            return ()
        query = " ".join(t for t in parts if t != "/")
        choices = {tid: self._name(tid) for tid in family}
        ranked = process.extract(
            query, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=k
        )
        return tuple(name for name, _score, _tid in ranked)

    def _family(self, parts: tuple[str, ...], k: int) -> set[int] | frozenset[int]:
        """Tools sharing the query's words (typo-corrected), narrowed to stay small.

        With few candidates, every tool sharing any word; with many ("pro", "max"), start from
        the rarest word and keep intersecting while at least ``k`` tools remain.
        """
        groups: list[set[int]] = []
        for token in parts:
            if token in NOISE or token in VENDORS or token == "/" or not token.isalpha():
                continue
            words = (
                [token] if token in self._postings else [w for w, _d in self._corrections(token)]
            )
            found = [self._postings[w] for w in words if w in self._postings]
            if found:
                groups.append(found[0] if len(found) == 1 else set().union(*found))
        if not groups:
            return frozenset()
        if sum(len(g) for g in groups) <= _SUGGEST_POOL:
            return set().union(*groups)
        groups.sort(key=len)
        family = groups[0]
        for other in groups[1:]:
            narrower = family & other
            if len(narrower) >= k:
                family = narrower
        if len(family) > _SUGGEST_POOL:
            return set(itertools.islice(family, _SUGGEST_POOL))
        return family

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
        for tid in sorted(itertools.islice(pool or (), _COMPLETE_SCAN)):
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
        """Tools with a word starting with ``last``, alphabetical by word (bisect, no scan)."""
        vocab = self._word_list()
        seen = 0
        for i in range(bisect.bisect_left(vocab, last), len(vocab)):
            word = vocab[i]
            if not word.startswith(last):
                return
            for tid in sorted(itertools.islice(self._postings[word], limit)):
                seen += 1
                if seen > limit:
                    return
                yield tid

    def _word_list(self) -> list[str]:
        """Every indexed token, sorted; rebuilt lazily after the vocabulary changes."""
        if self._sorted_vocab is None:
            self._sorted_vocab = sorted(self._postings)
        return self._sorted_vocab

    def _alphabetical(self) -> list[tuple[str, str]]:
        if self._sorted_names is None:
            self._sorted_names = sorted((n.casefold(), n) for n in self._ids)
        return self._sorted_names


def _route_suffixes(parts: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """A routed id without its leading hops, longest first: "a / b / c d" -> "b / c d"."""
    slashes = [i for i, t in enumerate(parts) if t == "/"]
    if len(slashes) < 2:
        return
    for i in slashes[:-1]:
        yield parts[i + 1 :]


def _is_transposition(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
