"""Which tool of a pair a person means when they vote by typing (``--for mistral``).

The answer is looked for among the two tools only, never the whole catalog, so a word that is
ambiguous in the catalog ("mistral") is plain on a card of Mistral Medium 3 vs SmolLM3. Pure
rules, no I/O: every platform that votes by text uses the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cards import VerdictCard
from bot.errors import InvalidInput
from bot.matching import Match, ToolMatcher
from bot.models import Side, Tool
from bot.normalize import compact, tokens

FIRST = ("a", "1", "first")
SECOND = ("b", "2", "second")


@dataclass(frozen=True)
class Contender:
    """One tool of the pair, as typed order has it, with the aliases that also find it."""

    name: str
    aliases: Sequence[str] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def pick_between(pick: str, first: Contender, second: Contender) -> int:
    """0 when ``pick`` means ``first``, 1 when it means ``second``; else a user-facing error.

    In order: a name or alias (any case, spacing or punctuation), ``a`` / ``b`` (also ``1`` /
    ``2``, ``first`` / ``second``), what the matcher finds among the two (typos), and a prefix
    of a name or alias or of its words ("mistral", "smol", "medium"). A pick that fits both
    tools equally is an error naming both."""
    both = (first, second)
    wanted = tokens(pick)
    if not wanted:
        raise InvalidInput(f"Say which tool: {_choices(first, second)}.")
    exact = [i for i, tool in enumerate(both) if any(tokens(x) == wanted for x in tool.labels)]
    if len(exact) == 1:
        return exact[0]
    folded = pick.strip().casefold()
    if not exact and folded in FIRST + SECOND:
        return 0 if folded in FIRST else 1
    if not exact:
        found = ToolMatcher([(tool.name, tool.aliases) for tool in both]).resolve(pick)
        if isinstance(found, Match):
            return 0 if found.name == first.name else 1
        exact = [i for i, tool in enumerate(both) if any(_prefix(wanted, x) for x in tool.labels)]
        if len(exact) == 1:
            return exact[0]
    shown = " ".join(pick.split())[:80]
    if exact:
        raise InvalidInput(
            f"'{shown}' fits both {first.name} and {second.name}: "
            f"type more of the name, or a for {first.name}, b for {second.name}."
        )
    raise InvalidInput(f"'{shown}' is not on this card: {_choices(first, second)}.")


def _prefix(wanted: list[str], label: str) -> bool:
    """``wanted`` starts ``label`` (as matched, spaces ignored), or each of its words starts a
    word of ``label``."""
    words = tokens(label)
    if compact(words).startswith(compact(wanted)):
        return True
    return all(any(word.startswith(part) for word in words) for part in wanted)


def _choices(first: Contender, second: Contender) -> str:
    return f"pick {first.name} or {second.name} (or a / b for the first / second)"


@dataclass(frozen=True)
class PairCard:
    """The card a vote by text goes on, and the pair's two tools in the order they were typed
    (the card may be an earlier one with the tools the other way round)."""

    card: VerdictCard | None  # None: the pair has no card here yet (and none was asked for)
    typed: tuple[Tool, Tool]

    def chosen(self, pick: str) -> Tool:
        """The tool ``pick`` names (``a``: the first tool as typed); else a user-facing error."""
        first, second = (Contender(tool.name, tool.aliases) for tool in self.typed)
        return self.typed[pick_between(pick, first, second)]

    def side(self, pick: str) -> Side:
        """The card's side of the tool ``pick`` names."""
        assert self.card is not None, "only a card has sides"
        return Side.A if self.chosen(pick).id == self.card.a.tool_id else Side.B
