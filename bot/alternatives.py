"""Which tools are the closest alternatives to one: the ranking rule, pure.

Most compared with it first (cards of the pair, everywhere), then the nearest by facts (context
size and the monthly price at the default workload, on a log scale), then by name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.facts import FactKey, ToolFacts, Workload, tokens_label
from bot.spec_sheet import monthly

DEFAULT_LIMIT = 5


@dataclass(frozen=True)
class Candidate:
    """A tool as the ranking sees it: how often it was compared with the target, its facts."""

    tool_id: int
    name: str
    compared: int = 0
    context: int | None = None
    monthly_cost: float | None = None


@dataclass(frozen=True)
class Alternative:
    """One ranked alternative and why it is there, in words (``compared 3×``, ``128K context``)."""

    tool_id: int
    name: str
    compared: int
    reason: str


def candidate(tool_id: int, name: str, facts: ToolFacts, compared: int = 0) -> Candidate:
    """A ``Candidate`` from the catalog's facts: the shown context size and the official (else
    cheapest) offering's cost of the default workload."""
    shown = facts.shown(FactKey.CONTEXT)
    context = int(shown.value) if shown is not None and shown.value.isdigit() else None
    offer = facts.official_offering() or facts.cheapest_offering()
    cost = offer.price.monthly(Workload()) if offer is not None else None
    return Candidate(tool_id, name, compared, context, cost)


def distance(a: Candidate, b: Candidate) -> float:
    """How far apart two tools' facts are (0: alike); infinite when they share no fact."""
    parts = [
        abs(math.log1p(x) - math.log1p(y))
        for x, y in ((a.context, b.context), (a.monthly_cost, b.monthly_cost))
        if x is not None and y is not None
    ]
    return sum(parts) / len(parts) if parts else math.inf


def rank_alternatives(
    target: Candidate, candidates: Sequence[Candidate], limit: int = DEFAULT_LIMIT
) -> tuple[Alternative, ...]:
    """The ``limit`` closest of ``candidates`` (the target itself left out)."""
    others = [c for c in candidates if c.tool_id != target.tool_id]
    ranked = sorted(
        others, key=lambda c: (-c.compared, distance(target, c), c.name.casefold(), c.tool_id)
    )
    return tuple(Alternative(c.tool_id, c.name, c.compared, reason(c)) for c in ranked[:limit])


def reason(c: Candidate) -> str:
    """``compared 3× · 128K context · $8 a month at 10M + 2M``, the parts it has."""
    parts = []
    if c.compared:
        parts.append(f"compared {c.compared}×")
    if c.context is not None:
        parts.append(f"{tokens_label(c.context)} context")
    if c.monthly_cost is not None:
        parts.append(f"{monthly(c.monthly_cost)} a month at {Workload().label}")
    return " · ".join(parts)


def candidates_of(
    tools: Sequence[tuple[int, str]],
    facts: Mapping[int, ToolFacts],
    compared: Mapping[int, int],
) -> list[Candidate]:
    """Candidates for ``(id, name)`` pairs, with their facts and pair counts (absent: none)."""
    return [
        candidate(tool_id, name, facts.get(tool_id, ToolFacts()), compared.get(tool_id, 0))
        for tool_id, name in tools
    ]
