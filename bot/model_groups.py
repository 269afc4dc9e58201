"""One tool per model: group the rows of every source (one per provider and id) into models.

The same model is listed under many ids: ``claude-sonnet-4-5``, ``claude-sonnet-4-5-20250929``,
``anthropic/claude-sonnet-4.5``, ``anthropic.claude-sonnet-4-5-20250929-v1:0``,
``claude-sonnet-4-5@20250929``. ``id_key`` reduces an id to the model it names (no routing
prefix, no date, no ``-latest``, no Bedrock version), and rows with the same key are one model.
A ``-latest`` pointer joins the model its maker names the same way; a reseller's row whose id
differs joins a maker's model only when its name is exactly that model's name (never a chain).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bot.facts import FactKey, Price

LANGUAGE = "Language Models"
EMBEDDINGS = "Embeddings & Reranking"
SPEECH = "Speech & Audio"
IMAGES = "Image Generation"
VIDEO = "Video Generation"

# Providers that make the models they serve (their offering is the "official" one).
LABS = frozenset(
    {
        "openai",
        "anthropic",
        "google",
        "mistral",
        "deepseek",
        "xai",
        "x-ai",
        "cohere",
        "alibaba",
        "moonshotai",
        "minimax",
        "zai",
        "zhipuai",
        "llama",
        "meta",
        "perplexity",
        "inception",
        "voyageai",
        "elevenlabs",
        "arcee",
    }
)

_VENDOR_DOT = re.compile(
    r"^(?:(?:us|eu|apac|global|jp|au|ca|us-gov)\.)?"
    r"(?:anthropic|meta|mistral|amazon|cohere|ai21|deepseek|qwen|openai|writer|moonshot|"
    r"moonshotai|minimax|google|nvidia|twelvelabs|stability|luma|zai)\."
)
# A maker's name written before its own family adds nothing: "Meta-Llama-3-70B-Instruct" is
# "Llama 3 70B Instruct", "anthropic--claude-3.5-sonnet" is "Claude 3.5 Sonnet". Only these
# pairs: "mistral-medium" or "qwen-2.5" are the family's own names and stay.
_REDUNDANT_MAKER = re.compile(
    r"^(?:meta-(?=llama)|nvidia-(?=nemotron|llama)|qwen-(?=qwq)|ai21-(?=jamba)|"
    r"anthropic-+(?=claude)|google-(?=gemini|gemma)|microsoft-(?=phi)|ibm-(?=granite)|"
    r"openai-(?=gpt|o\d)|cohere-(?=command|embed|rerank)|mistralai-|amazon-(?=nova|titan)|"
    r"x-?ai-(?=grok))"
)
_DATE_TAIL = re.compile(r"[-_@](?:\d{4}-\d{2}-\d{2}|\d{8})$")
_LATEST = re.compile(r"[-_]latest$")
_SKIPPED_VARIANTS = (":free", ":batch")


@dataclass(frozen=True)
class SourceModel:
    """One row of one source: a provider serving a model under an id."""

    source: str
    provider: str
    provider_name: str
    model_id: str
    name: str
    as_of: date
    source_url: str = ""
    facts: tuple[tuple[FactKey, str], ...] = ()
    price: Price | None = None
    context: int | None = None
    extra_ids: tuple[str, ...] = ()
    hint: str = ""  # a family or kind word from the source (e.g. "text-embedding")
    by_rule: bool = False  # a price rule (genai-prices): joins the models its ids name

    @property
    def official(self) -> bool:
        return self.provider in LABS

    def fact(self, key: FactKey) -> str | None:
        return next((value for k, value in self.facts if k is key), None)


@dataclass(frozen=True)
class ModelGroup:
    """One model: its display name, category, every row that lists it and every id it has."""

    key: str
    name: str
    category: str
    entries: tuple[SourceModel, ...]
    ids: tuple[str, ...]

    @property
    def maker(self) -> str:
        return next((e.provider_name for e in self.entries if e.official), "")

    def representative(self, source: str) -> SourceModel | None:
        """The row whose facts speak for the model in ``source``: the maker's own undated id
        first, then the newest."""
        rows = [e for e in self.entries if e.source == source]
        if not rows:
            return None
        return max(rows, key=lambda e: (e.official, id_key(e.model_id) == self.key, e.as_of))


def skipped(model_id: str) -> bool:
    """Rows that are a pricing variant of another row (OpenRouter's free and batch tiers)."""
    return model_id.casefold().endswith(_SKIPPED_VARIANTS)


@lru_cache(maxsize=65536)
def id_key(model_id: str) -> str:
    """The model an id names: ``anthropic/claude-sonnet-4.5`` → ``claude-sonnet-4-5``."""
    text = model_id.strip().casefold()
    text = text.rsplit("/", 1)[-1]
    text = text.split("@", 1)[0]
    bedrock = _VENDOR_DOT.match(text)
    if bedrock:
        text = text[bedrock.end() :]
        text = re.sub(r"-v\d+(?::\d+)?$", "", text)
    text = text.split(":", 1)[0]
    text = _DATE_TAIL.sub("", text)
    text = _LATEST.sub("", text)
    text = re.sub(r"[._\s]+", "-", text).strip("-")
    return _REDUNDANT_MAKER.sub("", text)


def model_key(name: str) -> str:
    """The model a display name names, as ``id_key`` reads ids: "AI21 Jamba 1.5 Large" and
    ``ai21/jamba-1-5-large`` are both ``jamba-1-5-large`` (a "/" in a name is not a provider)."""
    return id_key(name.replace("/", " "))


def is_latest(model_id: str) -> bool:
    return bool(_LATEST.search(model_id.strip().casefold().split(":", 1)[0]))


def name_key(name: str) -> str:
    """A display name as compared between sources: case, separators and "(latest)" ignored."""
    text = name.casefold()
    text = re.sub(r"^[\w .-]+:\s+", "", text)  # "Anthropic: Claude …" (OpenRouter style)
    text = re.sub(r"\((?:latest|preview)\)|\blatest\b", "", text)
    return re.sub(r"[\s_-]+", " ", text).strip()


def display_name(name: str) -> str:
    text = re.sub(r"\s*\((?:latest)\)\s*$", "", name.strip())
    return re.sub(r"^[\w .-]+:\s+", "", text).strip()[:100]


def category_of(entry: SourceModel) -> str:
    """Chat models are language models; embeddings, speech, image and video models are not."""
    words = f"{entry.model_id} {entry.hint} {entry.name}".casefold()
    outputs = set((entry.fact(FactKey.OUTPUTS) or "").split(",")) - {""}
    inputs = set((entry.fact(FactKey.INPUTS) or "").split(",")) - {""}
    if "embed" in words or "rerank" in words:
        return EMBEDDINGS
    if outputs and "text" not in outputs:
        if "video" in outputs:
            return VIDEO
        if "image" in outputs:
            return IMAGES
        if "audio" in outputs:
            return SPEECH
    if inputs == {"audio"} or re.search(r"whisper|transcri|\btts\b|-tts|speech", words):
        return SPEECH
    if not outputs and re.search(r"dall-e|imagen|flux|stable-diffusion|gpt-image", words):
        return IMAGES
    return LANGUAGE


def group_models(rows: Iterable[SourceModel]) -> list[ModelGroup]:
    """Group rows into models (makers' models first, then by key), each with its ids."""
    by_key: dict[str, list[SourceModel]] = defaultdict(list)
    latest: list[SourceModel] = []
    rules: list[SourceModel] = []
    for row in rows:
        if skipped(row.model_id) or not id_key(row.model_id):
            continue
        if row.by_rule:
            rules.append(row)
        elif is_latest(row.model_id) and row.official:
            latest.append(row)
        else:
            by_key[id_key(row.model_id)].append(row)

    def official_names() -> dict[tuple[str, str], set[str]]:
        names: dict[tuple[str, str], set[str]] = defaultdict(set)
        for key, entries in by_key.items():
            for e in entries:
                if e.official:
                    names[(e.provider, name_key(e.name))].add(key)
        return names

    names = official_names()
    for row in latest:  # a -latest pointer joins the model it points at (never its own tool)
        keys = names.get((row.provider, name_key(row.name)), set())
        target = next(iter(keys)) if len(keys) == 1 else _pointed_at(row, by_key)
        by_key[target].append(row)

    maker_by_name: dict[str, set[str]] = defaultdict(set)
    for (_, name), keys in official_names().items():
        maker_by_name[name].update(keys)
    for key in [k for k, v in by_key.items() if not any(e.official for e in v)]:
        entries = by_key[key]
        candidates = {
            target
            for e in entries
            for target in maker_by_name.get(name_key(e.name), ())
            if target != key
        }
        if len(candidates) == 1:
            by_key[candidates.pop()].extend(by_key.pop(key))

    keys_of: dict[str, str] = {}  # every row's key → the group it is in
    for key, entries in by_key.items():
        for e in entries:
            keys_of.setdefault(id_key(e.model_id), key)
        keys_of[key] = key
    loose: dict[str, list[SourceModel]] = defaultdict(list)
    for row in rules:  # price rows with match rules join every model their ids name
        targets = {keys_of[k] for k in _row_keys(row) if k in keys_of}
        for target in targets:
            by_key[target].append(row)
        if not targets and row.model_id.casefold() in {i.casefold() for i in row.extra_ids}:
            loose[id_key(row.model_id)].append(row)  # a model only this source knows
    for key, entries in loose.items():
        by_key[key].extend(entries)

    groups = [_group(key, entries) for key, entries in by_key.items()]
    groups.sort(key=lambda g: (not any(e.official for e in g.entries), g.key))
    return groups


def _pointed_at(row: SourceModel, by_key: dict[str, list[SourceModel]]) -> str:
    """The newest model of the same maker and family whose limits and price the ``-latest``
    row repeats (``mistral-medium-latest`` → the newest ``mistral-medium-*``); else its own key."""
    base = id_key(row.model_id)
    best: tuple[str, str] | None = None
    for key, entries in by_key.items():
        if key != base and not key.startswith(base + "-"):
            continue
        for e in entries:
            if e.provider != row.provider or e.price != row.price or e.context != row.context:
                continue
            released = e.fact(FactKey.RELEASE_DATE) or ""
            if best is None or released > best[0]:
                best = (released, key)
    return best[1] if best else base


def _row_keys(row: SourceModel) -> list[str]:
    return [id_key(i) for i in (row.model_id, *row.extra_ids) if id_key(i)]


def _attached(row: SourceModel, own: set[str]) -> bool:
    return row.by_rule and id_key(row.model_id) not in own


def match_rank(row: SourceModel, key: str) -> int:
    """How directly a row names the model ``key``: its own id (0), an id its match rule
    names (1), or only a sibling id of the same model (2, e.g. a reseller's id)."""
    if id_key(row.model_id) == key:
        return 0
    if any(id_key(i) == key for i in row.extra_ids):
        return 1
    return 2


def _group(key: str, entries: list[SourceModel]) -> ModelGroup:
    own = {id_key(e.model_id) for e in entries if not e.by_rule} | {key}
    official = [e for e in entries if e.official and not _attached(e, own)]
    pool = official or [e for e in entries if not _attached(e, own)] or entries
    exact = [e for e in pool if id_key(e.model_id) == key and not is_latest(e.model_id)] or pool
    if official:
        best = min(exact, key=lambda e: (len(e.model_id), e.model_id))
        name = display_name(best.name)
    else:
        name = Counter(display_name(e.name) for e in exact).most_common(1)[0][0]
    ids: dict[str, None] = {}
    for e in entries:
        if _attached(e, own):
            continue  # a price rule that names this model among others: not its name
        shown = () if is_latest(e.model_id) else (display_name(e.name),)  # a pointer's name moves
        extra = [i for i in e.extra_ids if id_key(i) in own]
        for text in (e.model_id, *extra, *shown):
            if text and len(text) <= 100:
                ids[text] = None
    ids.pop(name, None)
    rep = max(pool, key=lambda e: (len(e.facts), e.as_of))
    return ModelGroup(
        key=key, name=name, category=category_of(rep), entries=tuple(entries), ids=tuple(ids)
    )
