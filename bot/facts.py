"""Sourced facts about a tool: what a model can do and what it costs, each with its provenance.

A ``Fact`` is one value one source gave for one field, with the source's name, a link and the
date the source stated it. An ``Offering`` is one provider serving the model at a price. Nothing
here is invented: every value on a card comes from one of these, and where sources disagree the
shown value is the pinned one, else the official provider's, else the majority, and the card
says the sources disagree.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

CURATED = "curated"  # facts written by hand in data/facts/ (always pinned)


class FactKind(StrEnum):
    INT = "int"
    BOOL = "bool"
    TEXT = "text"
    DATE = "date"  # YYYY-MM-DD or YYYY-MM
    LIST = "list"  # comma-separated words


class FactKey(StrEnum):
    """The fields of a spec sheet, in the order a card shows them."""

    CONTEXT = "context"
    CONTEXT_EXTENDED = "context_extended"
    MAX_OUTPUT = "max_output"
    TOOL_CALLING = "tool_calling"
    STRUCTURED_OUTPUT = "structured_output"
    INPUTS = "inputs"
    OUTPUTS = "outputs"
    REASONING = "reasoning"
    OPEN_WEIGHTS = "open_weights"
    LICENSE = "license"
    PARAMETERS = "parameters"
    RELEASE_DATE = "release_date"
    KNOWLEDGE_CUTOFF = "knowledge_cutoff"
    STATUS = "status"
    DEPRECATED_ON = "deprecated_on"
    SUCCESSOR = "successor"

    @property
    def kind(self) -> FactKind:
        return _KINDS.get(self, FactKind.TEXT)

    @property
    def label(self) -> str:
        return _LABELS[self]


_KINDS = {
    FactKey.CONTEXT: FactKind.INT,
    FactKey.CONTEXT_EXTENDED: FactKind.INT,
    FactKey.MAX_OUTPUT: FactKind.INT,
    FactKey.TOOL_CALLING: FactKind.BOOL,
    FactKey.STRUCTURED_OUTPUT: FactKind.BOOL,
    FactKey.REASONING: FactKind.BOOL,
    FactKey.OPEN_WEIGHTS: FactKind.BOOL,
    FactKey.INPUTS: FactKind.LIST,
    FactKey.OUTPUTS: FactKind.LIST,
    FactKey.RELEASE_DATE: FactKind.DATE,
    FactKey.KNOWLEDGE_CUTOFF: FactKind.DATE,
    FactKey.DEPRECATED_ON: FactKind.DATE,
}

_LABELS = {
    FactKey.CONTEXT: "Context",
    FactKey.CONTEXT_EXTENDED: "Extended context",
    FactKey.MAX_OUTPUT: "Max output",
    FactKey.TOOL_CALLING: "Tool calling",
    FactKey.STRUCTURED_OUTPUT: "Structured output",
    FactKey.INPUTS: "Inputs",
    FactKey.OUTPUTS: "Outputs",
    FactKey.REASONING: "Reasoning",
    FactKey.OPEN_WEIGHTS: "Open weights",
    FactKey.LICENSE: "License",
    FactKey.PARAMETERS: "Parameters",
    FactKey.RELEASE_DATE: "Released",
    FactKey.KNOWLEDGE_CUTOFF: "Knowledge cut-off",
    FactKey.STATUS: "Status",
    FactKey.DEPRECATED_ON: "Deprecated on",
    FactKey.SUCCESSOR: "Successor",
}

_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
STATUSES = ("active", "preview", "deprecated", "retired")
MAX_TOKENS = 100_000_000
MAX_PRICE = 10_000.0  # $ per 1M tokens; anything above is a unit mistake


class FactError(ValueError):
    """A value out of range or of the wrong kind; the message names the tool and the field."""


def check_fact(tool: str, key: FactKey, value: str) -> str:
    """The canonical text of ``value`` for ``key``; FactError naming ``tool`` and the field."""
    text = value.strip()
    where = f"{tool}: {key.value}"
    if not text:
        raise FactError(f"{where} is empty")
    if len(text) > 200:
        raise FactError(f"{where} is longer than 200 characters")
    kind = key.kind
    if kind is FactKind.INT:
        if not re.fullmatch(r"-?\d+", text):
            raise FactError(f"{where} must be a whole number of tokens, got {text!r}")
        number = int(text)
        if number <= 0:
            raise FactError(f"{where} must be more than 0 tokens, got {number}")
        if number > MAX_TOKENS:
            raise FactError(f"{where} of {number} tokens is out of range")
        return str(number)
    if kind is FactKind.BOOL:
        lowered = text.casefold()
        if lowered in ("true", "yes", "1"):
            return "true"
        if lowered in ("false", "no", "0"):
            return "false"
        raise FactError(f"{where} must be true or false, got {text!r}")
    if kind is FactKind.DATE:
        if not _DATE.match(text):
            raise FactError(f"{where} must be a date like 2025-05-07 or 2025-05, got {text!r}")
        return text
    if kind is FactKind.LIST:
        words = [w.strip().casefold() for w in text.split(",") if w.strip()]
        return ",".join(dict.fromkeys(words))
    if key is FactKey.STATUS and text.casefold() not in STATUSES:
        raise FactError(f"{where} must be one of {', '.join(STATUSES)}, got {text!r}")
    return text.casefold() if key is FactKey.STATUS else text


def check_price(tool: str, field: str, value: float | None) -> float | None:
    """A price per 1M tokens, or FactError naming the tool and field (negative, absurd)."""
    if value is None:
        return None
    if value != value or value < 0:  # NaN or negative
        raise FactError(f"{tool}: {field} must not be negative, got {value}")
    if value > MAX_PRICE:
        raise FactError(f"{tool}: {field} of ${value} per 1M tokens is out of range")
    return float(value)


@dataclass(frozen=True)
class Fact:
    """One source's value for one field of one tool."""

    key: FactKey
    value: str
    source: str
    as_of: date
    source_url: str = ""
    pinned: bool = False


@dataclass(frozen=True)
class CatalogChange:
    """Something a sync found that a team should hear about: a price change or a deprecation."""

    tool: str
    kind: str  # "price" | "deprecated"
    detail: str
    at: datetime


@dataclass(frozen=True)
class Price:
    """US dollars per 1M tokens."""

    input: float | None = None
    output: float | None = None
    cache_read: float | None = None
    cache_write: float | None = None

    @property
    def is_free(self) -> bool:
        return self.input == 0 and self.output == 0

    def monthly(self, workload: Workload) -> float | None:
        """What ``workload`` costs a month at this price (None without both prices)."""
        if self.input is None or self.output is None:
            return None
        return (
            self.input * workload.input_tokens + self.output * workload.output_tokens
        ) / 1_000_000


@dataclass(frozen=True)
class Offering:
    """One provider serving the model, as one source lists it."""

    provider: str
    provider_name: str
    model_id: str
    price: Price
    source: str
    as_of: date
    context: int | None = None
    official: bool = False
    source_url: str = ""


@dataclass(frozen=True)
class Workload:
    """Tokens a month, for the pricing read."""

    input_tokens: int = 10_000_000
    output_tokens: int = 2_000_000

    @property
    def label(self) -> str:
        return f"{tokens_label(self.input_tokens)} + {tokens_label(self.output_tokens)}"

    @classmethod
    def parse(cls, text: str) -> Workload:
        """``10M+2M`` (input + output), ``50M`` (in the default 5:1 split); ValueError else."""
        parts = [p for p in re.split(r"\s*\+\s*", text.strip()) if p]
        if len(parts) == 1:
            total = parse_tokens(parts[0])
            output = round(total / 6)
            return cls(input_tokens=total - output, output_tokens=output)
        if len(parts) == 2:
            return cls(input_tokens=parse_tokens(parts[0]), output_tokens=parse_tokens(parts[1]))
        raise ValueError(f"a workload is like '10M+2M' (input + output tokens), not {text!r}")


_TOKENS = re.compile(r"^(\d+(?:\.\d+)?)\s*([kmb]?)\s*(?:tokens?)?\s*(?:in|input|out|output)?$")


def parse_tokens(text: str) -> int:
    """``50M`` → 50_000_000; ``1.5B``, ``200k``, ``1000``; ValueError naming the text."""
    found = _TOKENS.match(text.strip().casefold())
    if not found:
        raise ValueError(f"'{text}' is not a number of tokens (like 50M or 200k)")
    scale = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}[found.group(2)]
    value = int(float(found.group(1)) * scale)
    if value <= 0 or value > 10**13:
        raise ValueError(f"'{text}' is out of range for a month of tokens")
    return value


def tokens_label(count: int) -> str:
    """131072 → ``128K`` (a power-of-two size), 200_000 → ``200K``, 10_000_000 → ``10M``."""
    if count >= 1024 and count % 1024 == 0:
        kib = count // 1024
        return f"{kib // 1024}M" if kib >= 1024 and kib % 1024 == 0 else f"{kib}K"
    for scale, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if count >= scale:
            value = count / scale
            text = f"{value:.1f}".rstrip("0").rstrip(".") if value < 100 else f"{value:.0f}"
            return f"{text}{suffix}"
    return str(count)


@dataclass(frozen=True)
class ShownFact:
    """The value a card shows for one field, with where it came from and what else was said."""

    key: FactKey
    value: str
    source: str
    as_of: date
    source_url: str = ""
    disputed: tuple[Fact, ...] = ()  # other sources' different values

    @property
    def disagreement(self) -> bool:
        return bool(self.disputed)


@dataclass(frozen=True)
class ToolFacts:
    """Every fact and offering the catalog holds for one tool."""

    facts: tuple[Fact, ...] = ()
    offerings: tuple[Offering, ...] = ()
    official_source_order: tuple[str, ...] = (CURATED, "models.dev", "genai-prices", "litellm")

    def __bool__(self) -> bool:
        return bool(self.facts or self.offerings)

    def shown(self, key: FactKey) -> ShownFact | None:
        """Pinned first; else the majority of sources; a tie goes to the first source in
        ``official_source_order``. The other values are kept as ``disputed``."""
        given = [f for f in self.facts if f.key is key]
        if not given:
            return None
        pinned = [f for f in given if f.pinned]
        if pinned:
            chosen = max(pinned, key=lambda f: f.as_of)
        else:
            votes = Counter(f.value for f in given)
            order = {s: i for i, s in enumerate(self.official_source_order)}

            def rank(f: Fact) -> tuple[int, int]:
                return (-votes[f.value], order.get(f.source, len(order)))

            chosen = min(given, key=rank)
        disputed = tuple(f for f in given if f.value != chosen.value)
        return ShownFact(
            key=key,
            value=chosen.value,
            source=chosen.source,
            as_of=chosen.as_of,
            source_url=chosen.source_url,
            disputed=disputed,
        )

    def official_offering(self) -> Offering | None:
        """The model maker's own offering, by majority of the sources that list it."""
        official = [o for o in self.offerings if o.official and _priced(o)]
        if not official:
            return None
        votes = Counter((o.price.input, o.price.output) for o in official)
        order = {s: i for i, s in enumerate(self.official_source_order)}
        return min(
            official,
            key=lambda o: (-votes[(o.price.input, o.price.output)], order.get(o.source, 99)),
        )

    def official_disputed(self) -> tuple[Offering, ...]:
        """Sources whose official price differs from the one shown."""
        chosen = self.official_offering()
        if chosen is None:
            return ()
        return tuple(
            o
            for o in self.offerings
            if o.official
            and _priced(o)
            and (o.price.input, o.price.output) != (chosen.price.input, chosen.price.output)
        )

    def cheapest_offering(self) -> Offering | None:
        """The lowest-priced paid offering (input + output at a 5:1 mix); free tiers left out."""
        priced = [o for o in self.offerings if _priced(o) and not o.price.is_free]
        if not priced:
            return None
        mix = Workload()
        return min(priced, key=lambda o: (o.price.monthly(mix) or 0.0, o.provider))

    @property
    def providers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(o.provider_name or o.provider for o in self.offerings))


def _priced(offering: Offering) -> bool:
    return offering.price.input is not None and offering.price.output is not None


def fact_label(key: FactKey, value: str) -> str:
    """How a card writes a value: ``128K tokens``, ``yes``, ``text, image``."""
    kind = key.kind
    if kind is FactKind.INT:
        return f"{tokens_label(int(value))} tokens"
    if kind is FactKind.BOOL:
        return "yes" if value == "true" else "no"
    if kind is FactKind.LIST:
        return ", ".join(value.split(","))
    return value
