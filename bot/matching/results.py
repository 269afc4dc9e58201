"""What ``ToolMatcher.resolve`` answers: one tool, a few candidates, or nothing."""

from __future__ import annotations

from dataclasses import dataclass


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
