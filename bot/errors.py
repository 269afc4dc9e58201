"""User-facing errors: each carries the exact words the person who asked should see.

Adapters decide only *how* to show them (ephemeral, red, exit status 1 …), never *what* they say.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.help import Commands, Hint


class UserFacingError(Exception):
    """An error whose message is safe and useful to show to the person who asked.

    ``hint`` points to a command; :meth:`told` spells it the way the surface showing the error
    does (``message`` holds the words for a surface with no such command)."""

    def __init__(self, message: str, hint: Hint | None = None) -> None:
        self.hint = hint
        self.base = message
        full = _joined(message, hint.otherwise if hint else "")
        super().__init__(full)
        self.message = full

    def told(self, commands: Commands | None) -> str:
        """The message with its hint naming the command of the surface (``commands``)."""
        if self.hint is None or commands is None:
            return self.message
        return _joined(self.base, self.hint.told(commands))

    def __str__(self) -> str:
        return self.message


class InvalidInput(UserFacingError):
    """The request itself is malformed (empty, too long, one tool, three tools …)."""


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field of a form or catalog entry (``field``: the top-level field,
    ``path``: where exactly, e.g. ``aliases.2``)."""

    field: str
    path: str
    message: str


class InvalidFields(InvalidInput):
    """Input that failed validation, one problem per field, so a form can show each problem
    under its own field; ``message`` reads them all in one line."""

    def __init__(self, problems: tuple[FieldProblem, ...], message: str = "") -> None:
        super().__init__(message or "; ".join(f"{p.path}: {p.message}" for p in problems))
        self.problems = problems


class UnknownTool(UserFacingError):
    """No tool matches a name; carries up to three catalog names to suggest."""

    def __init__(self, query: str, suggestions: tuple[str, ...] = ()) -> None:
        self.query = query
        self.suggestions = suggestions
        shown = _quote_for_message(query)
        if suggestions:
            super().__init__(f"No tool called '{shown}'. Did you mean: {', '.join(suggestions)}?")
        else:
            super().__init__(f"No tool called '{shown}'. Check the spelling.", CATALOG_HINT)

    def told(self, commands: Commands | None) -> str:
        """Where the surface lists the catalog, that command; else its help."""
        if self.hint is None or commands is None or commands.tool_list:
            return super().told(commands)
        return _joined(self.base, HELP_HINT.told(commands))


CATALOG_HINT = Hint("tool_list", "{command} lists the catalog.")
HELP_HINT = Hint("help", "{command} shows how to ask.")


class AmbiguousTool(UserFacingError):
    """A name matches several tools equally well; the person has to pick one."""

    def __init__(self, query: str, candidates: tuple[str, ...]) -> None:
        self.query = query
        self.candidates = candidates
        shown = _quote_for_message(query)
        super().__init__(f"'{shown}' could be {', '.join(candidates)}. Which one did you mean?")


class SameTool(UserFacingError):
    """Both sides of a compare resolve to one tool."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"That's the same tool twice ({name}). Compare it with another tool.")


class PermissionDenied(UserFacingError):
    """The person may not do this (for example: not an admin)."""


class NotFoundError(UserFacingError):
    """A referenced record (card, review, tool by exact name) does not exist."""


class Conflict(UserFacingError):
    """The change would clash with existing data (duplicate name or alias).

    ``label`` is the name or alias that clashed, so a form can put the error on the right field.
    """

    def __init__(self, message: str, label: str = "", hint: Hint | None = None) -> None:
        super().__init__(message, hint)
        self.label = label


def _joined(message: str, hint: str) -> str:
    return f"{message} {hint}" if hint else message


def _quote_for_message(text: str, limit: int = 80) -> str:
    """Shorten and de-control user text so an error message stays one readable line."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


class StoreUnavailable(UserFacingError):
    """The database did not answer after a few tries; nothing was changed."""

    def __init__(self) -> None:
        super().__init__(
            "shipbot's database isn't answering right now, so nothing was changed. "
            "Please try again in a minute."
        )


class StoreFault(UserFacingError):
    """The database refuses writes for a reason that won't pass by retrying (read-only, disk
    full, no permission). Told at once, saying what is wrong, never retried."""


class TransientStoreError(Exception):
    """Raised by the storage layer for failures worth retrying (connection refused or lost,
    database locked, pool exhausted). Never shown to users: the core retries, then says
    ``StoreUnavailable``."""
