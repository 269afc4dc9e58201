"""How names become lookup keys: noise and vendor words, versions, sizes, penalties."""

from __future__ import annotations

import functools
import itertools
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


def _family_dropped(core: tuple[str, ...]) -> tuple[str, ...] | None:
    """``core`` without its leading family word, if what remains still names one version.

    "GPT-4o" -> ("4o",), "Claude 3.5 Sonnet" -> ("3.5", "sonnet"); "Llama 3.1 70B" stays
    whole because "3.1 70b" alone could be any family.
    """
    if len(core) < 2 or len(core[0]) < 2 or not core[0].isalpha():
        return None
    kinds = {_kind(token) for token in core[1:]}
    has_version = _NUMBER in kinds or _MIXED in kinds or _SIZE_KIND in kinds
    has_word = _WORD in kinds or _MIXED in kinds
    return core[1:] if has_version and has_word else None


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


def _entry_keys(parts: tuple[str, ...]) -> dict[str, int]:
    """Keys under which a catalog entry is found, each with its lowest code (penalty|flag).

    The first key is always the glued form of the whole entry (used for autocomplete).

    Written flat (no helper calls per key) because it runs for every name and alias at build.
    """
    keys: dict[str, int] = {compact(parts): 0}
    for base, pen in _split_org(parts) if "/" in parts else ((parts, 0),):
        if not base:
            continue
        variants = [(base, pen)]
        denoised = base
        if not NOISE.isdisjoint(base):
            denoised = tuple(t for t in base if t not in NOISE)
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
                glued = compact(variant)
                if code < keys.get(glued, 99):
                    keys[glued] = code
        if not core:
            continue
        code = (pen + 3) | flag
        rest = _family_dropped(core)
        shorts = [rest] if rest else []
        if len(core) > 1 and core[1].isalpha():
            shorts.extend(_acronyms(core))
        for short in shorts:
            key = " ".join(sorted(short))
            if code < keys.get(key, 99):
                keys[key] = code
    return keys


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
