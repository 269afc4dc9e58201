"""The profile text of a tool the sync created: written from its facts, nothing else.

An admin may rewrite it at any time (the tool is then no longer ``synced`` and the sync leaves
its text alone); until then every sync writes it again from the current facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.facts import FactKey, Offering, fact_label, tokens_label
from bot.model_groups import LANGUAGE, ModelGroup

_KIND = {
    LANGUAGE: "language model",
    "Embeddings & Reranking": "embedding model",
    "Speech & Audio": "speech model",
    "Image Generation": "image model",
    "Video Generation": "video model",
}


@dataclass(frozen=True)
class SyncedProfile:
    """The profile fields the sync writes for a tool it created."""

    category: str
    tagline: str
    entry: str
    pricing_note: str
    description: str
    url: str


def synced_profile(
    group: ModelGroup,
    facts: dict[FactKey, str],
    official: Offering | None,
    cheapest: Offering | None,
    providers: int,
    url: str,
) -> SyncedProfile:
    kind = _KIND.get(group.category, "model")
    maker = group.maker
    context = facts.get(FactKey.CONTEXT)
    features = []
    if context:
        features.append(f"{tokens_label(int(context))} context")
    for key, word in (
        (FactKey.TOOL_CALLING, "tool calling"),
        (FactKey.REASONING, "reasoning"),
    ):
        if facts.get(key) == "true":
            features.append(word)
    if "image" in (facts.get(FactKey.INPUTS) or "").split(","):
        features.append("vision")
    head = f"{maker} {kind}" if maker else kind.capitalize()
    tagline = head + (f" with {_and(features)}" if features else "")
    open_weights = facts.get(FactKey.OPEN_WEIGHTS) == "true"
    priced = official or cheapest
    if open_weights:
        entry = "Open source"
    elif priced and priced.price.is_free:
        entry = "Free"
    else:
        entry = "Paid"
    note = ""
    if priced and priced.price.input is not None and priced.price.output is not None:
        who = priced.provider_name or priced.provider
        note = f"${priced.price.input:.2f} / ${priced.price.output:.2f} per 1M tokens ({who})"
    sentences = [f"{group.name} is a {kind}" + (f" from {maker}" if maker else "") + "."]
    released = facts.get(FactKey.RELEASE_DATE)
    if released:
        sentences.append(f"Released {released}.")
    io = []
    if facts.get(FactKey.INPUTS):
        io.append(f"takes {fact_label(FactKey.INPUTS, facts[FactKey.INPUTS])}")
    if facts.get(FactKey.OUTPUTS):
        io.append(f"returns {fact_label(FactKey.OUTPUTS, facts[FactKey.OUTPUTS])}")
    if io:
        sentences.append(f"It {' and '.join(io)}.")
    if context:
        limit = f"Context window {tokens_label(int(context))} tokens"
        if facts.get(FactKey.MAX_OUTPUT):
            limit += f", up to {tokens_label(int(facts[FactKey.MAX_OUTPUT]))} output tokens"
        sentences.append(limit + ".")
    if providers:
        sentences.append(
            f"Listed by {providers} provider{'s' if providers != 1 else ''} in the synced sources."
        )
    if facts.get(FactKey.STATUS) == "deprecated":
        sentences.append("Its maker lists it as deprecated.")
    return SyncedProfile(
        category=group.category,
        tagline=tagline[:200],
        entry=entry,
        pricing_note=note[:200],
        description=" ".join(sentences)[:2000],
        url=url[:300] if url.startswith(("https://", "http://")) else "",
    )


def _and(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
