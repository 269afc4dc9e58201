"""How names become lookup keys: noise and vendor words, versions, sizes, penalties."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from bot.normalize import compact

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
# Articles are noise in what people type ("the GPT-4o") but may be a model's version letter
# ("Command A"), so a catalog entry keeps them.
_ENTRY_NOISE = NOISE - {"a", "an", "the"}
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
_COMPLETE_SCAN = 2000  # most tools scanned per autocomplete word filter
_SUGGEST_POOL = 1000  # most tools ranked for suggestions, to bound the cost at 100k


def _is_size(token: str) -> bool:
    return bool(_SIZE.match(token))


def _has_digit(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


def _is_word(token: str) -> bool:
    return token.isalpha()


def _sorted_key(parts: Iterable[str]) -> str:
    return " ".join(sorted(parts))


def _names_one_version(rest: tuple[str, ...]) -> bool:
    """Whether ``rest`` holds a version (number, size, "4o") and a word ("pro", "4o")."""
    kinds = {_kind(token) for token in rest}
    has_version = _NUMBER in kinds or _MIXED in kinds or _SIZE_KIND in kinds
    has_word = _WORD in kinds or _MIXED in kinds
    return has_version and has_word


_WORD, _NUMBER, _SIZE_KIND, _MIXED = range(4)


@functools.lru_cache(maxsize=1 << 16)
def _kind(token: str) -> int:
    """A word ("pro"), a number ("3.5"), a size ("70b", "8x7b") or a mixed version ("4o")."""
    if token.isalpha():
        return _WORD
    if token.replace(".", "").isdigit():
        return _NUMBER
    return _SIZE_KIND if _is_size(token) else _MIXED


def _split_org(parts: tuple[str, ...]) -> list[tuple[tuple[str, ...], int]]:
    """Bases to index or look up, with a penalty: "org / model" also yields "model" (+1)."""
    if "/" not in parts:
        return [(parts, 0)]
    # "model" is offered only when the slashes form one run between two non-empty pieces.
    first = parts.index("/")
    after = len(parts) - parts[::-1].index("/")  # just past the last slash
    if first and after < len(parts) and parts.count("/") == after - first:
        model = parts[after:]
        return [(parts[:first] + model, 0), (model, 1)]
    return [(tuple(t for t in parts if t != "/"), 0)]


def _is_date_like(parts: tuple[str, ...], i: int) -> bool:
    token = parts[i]
    if _YYYYMMDD.match(token) or _REVISION.match(token):
        return True
    last = i == len(parts) - 1
    return last and bool(_MMDD.match(token)) and any(_has_digit(t) for t in parts[:i])


# Work that depends only on the tokens after a name's first word, keyed by those tokens: their
# glued form and, if they name one version, their family-dropped key.  Tails ("3.5 70b pro")
# recur across a catalog far more than whole names do, so a build shares one of these.
_Tails = dict[tuple[str, ...], tuple[str, str | None]]


def _entry_keys(parts: tuple[str, ...], tails: _Tails | None = None) -> dict[str, int]:
    """Keys under which a catalog entry is found, each with its lowest code (penalty|flag).

    The first key is always the glued form of the whole entry (used for autocomplete).

    This runs for every name and alias at build: pass the same ``tails`` for all of them.
    """
    if tails is None:
        tails = {}
    if "/" not in parts:
        if len(parts) > 1 and _ENTRY_NOISE.isdisjoint(parts) and VENDORS.isdisjoint(parts):
            # The usual entry is its own only variant and its own core, so each key is kept at
            # the first (lowest) code it gets, and one tail lookup serves the glued and the
            # family-dropped key.
            head, rest = parts[0], parts[1:]
            glued_rest, family_key = tails.get(rest) or _tail(rest, tails)
            if head[-1:] in _DIGITS and rest[0][:1] in _DIGITS:
                keys = {f"{head}_{glued_rest}": 0}
            else:
                keys = {head + glued_rest: 0}
            keys.setdefault(" ".join(sorted(parts)), 0)
            if family_key is not None and len(head) > 1 and head.isalpha():
                keys.setdefault(family_key, 3)
            if rest[0].isalpha() and head.isalpha():
                _add_initials(keys, parts, 3)
            return keys
        keys = {_glued(parts, tails): 0}
        _add_base_keys(keys, parts, 0, tails)
        return keys
    bases = _split_org(parts)
    keys = {compact(bases[0][0]): 0}  # the first base is the whole entry without its "/"
    for base, pen in bases:
        if base:
            _add_base_keys(keys, base, pen, tails)
    return keys


def _add_base_keys(keys: dict[str, int], base: tuple[str, ...], pen: int, tails: _Tails) -> None:
    """Merge the keys of ``base`` (an entry, or what follows its "org /") into ``keys``."""
    if _ENTRY_NOISE.isdisjoint(base) and VENDORS.isdisjoint(base):  # the usual case: no variants
        key = " ".join(sorted(base))
        if pen < keys.get(key, 99):
            keys[key] = pen
        if pen and len(base) > 1:
            key = _glued(base, tails)
            if pen < keys.get(key, 99):
                keys[key] = pen
        _add_core_keys(keys, base, pen + 3, tails)
        return
    variants = [(base, pen)]
    denoised = base
    if not _ENTRY_NOISE.isdisjoint(base):
        denoised = tuple(t for t in base if t not in _ENTRY_NOISE)
        if denoised:
            variants.append((denoised, pen + 1))
    core, flag = denoised, 0
    if not VENDORS.isdisjoint(denoised):
        core, flag = tuple(t for t in denoised if t not in VENDORS), _VENDOR_FLAG
        if core:
            variants.append((core, (pen + 2) | flag))
    for variant, code in variants:
        key = " ".join(sorted(variant))
        if code < keys.get(key, 99):
            keys[key] = code
        if len(variant) > 1 and not code & _VENDOR_FLAG and code:
            key = _glued(variant, tails)
            if code < keys.get(key, 99):
                keys[key] = code
    if core:
        _add_core_keys(keys, core, (pen + 3) | flag, tails)


def _add_core_keys(keys: dict[str, int], core: tuple[str, ...], code: int, tails: _Tails) -> None:
    """Merge the short keys of ``core`` (a base without noise or vendor words) into ``keys``.

    One drops the family word if what remains still names one version: "GPT-4o" -> "4o",
    "Claude 3.5 Sonnet" -> "3.5 sonnet", but nothing for "Llama 3.1 70B" because "3.1 70b"
    alone could be any family.  Others write the leading words as initials.
    """
    if len(core) < 2:
        return
    head, rest = core[0], core[1:]
    if len(head) > 1 and head.isalpha():
        key = (tails.get(rest) or _tail(rest, tails))[1]
        if key is not None and code < keys.get(key, 99):
            keys[key] = code
    if rest[0].isalpha() and head.isalpha():
        _add_initials(keys, core, code)


def _add_initials(keys: dict[str, int], core: tuple[str, ...], code: int) -> None:
    """Merge keys with the leading words of ``core`` as initials.

    "Stable Diffusion 3.5" -> "sd 3.5", "Text Generation Inference" -> "tg inference" and
    "tgi".  ``core`` starts with two words and holds no noise words.
    """
    initials = core[0][0]
    for size in range(2, len(core) + 1):
        word = core[size - 1]
        if not word.isalpha():
            break
        initials += word[0]
        key = " ".join(sorted((initials, *core[size:])))
        if code < keys.get(key, 99):
            keys[key] = code


def _glued(parts: tuple[str, ...], tails: _Tails) -> str:
    """``compact(parts)`` for tokens without "/", built on the cached ``compact`` of the tail."""
    if len(parts) < 2:
        return compact(parts)
    head, rest = parts[0], parts[1:]
    glued_rest = (tails.get(rest) or _tail(rest, tails))[0]
    if head[-1:] in _DIGITS and rest[0][:1] in _DIGITS:  # the digit gap rule of ``compact``
        return f"{head}_{glued_rest}"
    return head + glued_rest


_DIGITS = frozenset("0123456789")  # what ``compact`` calls a digit (never "" or "²")


def _tail(rest: tuple[str, ...], tails: _Tails) -> tuple[str, str | None]:
    """``compact(rest)`` and, if ``rest`` names one version, its sorted key; kept in ``tails``."""
    family_key = " ".join(sorted(rest)) if _names_one_version(rest) else None
    found = tails[rest] = (compact(rest), family_key)
    return found


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


def _keys_for(parts: tuple[str, ...], pen: int, vendor: bool) -> Iterator[tuple[str, int, bool]]:
    yield _sorted_key(parts), pen, vendor
    glued = compact(parts)
    if glued and (len(parts) > 1):
        yield glued, pen, vendor
