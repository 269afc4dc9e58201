"""Which catalog categories a person means by a typed word ("coding" → Coding Assistants)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.normalize import tokens


def matching_categories(asked: str, known: Iterable[str]) -> tuple[str, ...]:
    """The one category spelled as ``asked`` (any case or punctuation), else every category each
    of whose typed words starts one of its words ("infer" → Inference Engines and Inference
    Providers), in the order given; empty when none fits."""
    wanted = tokens(asked)
    if not wanted:
        return ()
    categories = list(known)
    exact = [category for category in categories if tokens(category) == wanted]
    if exact:
        return tuple(exact[:1])
    return tuple(
        category
        for category in categories
        if all(any(word.startswith(part) for word in tokens(category)) for part in wanted)
    )
