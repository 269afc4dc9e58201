"""What shipbot says about itself — the help (:func:`help_for`) and the welcome
(:func:`welcome`) — in one platform-neutral place.

A surface passes how it spells each command (:class:`Commands`); the words mark commands as
code spans with backticks, which each adapter renders as code (Discord, Slack mrkdwn)."""

from __future__ import annotations

from dataclasses import dataclass

EXAMPLE_PAIR = "SmolLM3 vs Mistral Medium 3"
WHAT = (
    "shipbot answers one question: which AI tool should you ship with? Ask for two tools and it posts a "
    "verdict card: both tools' key facts, a pricing read, four reviewers' lenses and the "
    "community's vote, which you add to."
)


@dataclass(frozen=True)
class Commands:
    """How one surface spells shipbot's commands, arguments included (``/tool edit NAME``);
    ``None`` where the surface has no such command. ``compare`` is the bare command."""

    compare: str
    help: str
    leaderboard: str | None = None
    review: str | None = None  # a member's take on one lens
    tool_show: str | None = None
    tool_list: str | None = None
    tool_info: str | None = None
    alternatives: str | None = None
    tool_suggest: str | None = None
    subscribe: str | None = None
    unsubscribe: str | None = None
    export: str | None = None
    tool_add: str | None = None
    tool_edit: str | None = None
    tool_remove: str | None = None
    tool_restore: str | None = None
    tool_alias: str | None = None
    tool_review: str | None = None
    queue: str | None = None
    draft: str | None = None

    def example(self) -> str:
        """A compare that works on the bundled catalog."""
        return f"{self.compare} {EXAMPLE_PAIR}"


@dataclass(frozen=True)
class Hint:
    """Words that point to a command, spelled by the surface that shows them.

    ``command`` names a field of :class:`Commands`; ``{command}`` in ``text`` becomes that
    usage as a code span, with ``NAME`` in it replaced by ``name`` when one is given.
    ``otherwise``: the words where the surface has no such command (and where none is known).
    """

    command: str
    text: str
    otherwise: str = ""
    name: str = ""

    def told(self, commands: Commands | None) -> str:
        usage = getattr(commands, self.command, None) if commands is not None else None
        if not isinstance(usage, str) or not usage:
            return self.otherwise
        if self.name:
            usage = usage.replace("NAME", self.name)
        return self.text.replace("{command}", f"`{usage}`")


@dataclass(frozen=True)
class Line:
    """One command: its ``usage`` (shown as code) and what it does (may hold code spans)."""

    usage: str
    what: str


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Help:
    """A help or welcome message: a title, what shipbot does, sections of commands and the web
    pages' address (empty when there are none)."""

    title: str
    intro: str
    sections: tuple[Section, ...]
    web: str = ""


def _lines(*pairs: tuple[str | None, str]) -> tuple[Line, ...]:
    return tuple(Line(usage, what) for usage, what in pairs if usage)


def help_for(
    commands: Commands, *, admin: bool = False, catalog_admin: bool = False, public_url: str = ""
) -> Help:
    """The help for one person: everyone's commands, then the community admins' and the
    catalog admins' when this person is one."""
    c = commands
    sections = [
        Section(
            "Ask",
            _lines(
                (
                    c.example(),
                    "post a verdict card for two tools; vote on it with its buttons or reactions",
                ),
                (c.leaderboard, "which tools people pick, head to head"),
                (c.tool_show, "one tool's profile, only for you"),
                (c.tool_list, "the tools in the catalog"),
                (c.tool_info, "one tool's facts, with Compare with … buttons"),
                (c.alternatives, "the closest tools of its category, most compared first"),
                (c.review, "submit your take on a tool for one lens; it shows once approved"),
                (c.help, "this help"),
            ),
        )
    ]
    if admin or catalog_admin:
        sections.append(
            Section(
                "Community admins",
                _lines(
                    (c.subscribe, "post the weekly verdicts digest in this channel"),
                    (c.unsubscribe, "stop the digest in this channel"),
                    (c.export, "every vote here as CSV (hashed user ids), sent only to you"),
                    (c.tool_suggest, "suggest a tool to shipbot's catalog admins"),
                ),
            )
        )
    if catalog_admin:
        sections.append(
            Section(
                "Catalog admins (the catalog is shared by every community)",
                _lines(
                    (c.tool_add, "add a tool"),
                    (c.tool_edit, "change a tool"),
                    (c.tool_remove, "archive a tool (asks first; its votes are kept)"),
                    (c.tool_restore, "bring an archived tool back"),
                    (c.tool_alias, "another name people type for a tool"),
                    (c.tool_review, "add or replace one lens's review of a tool"),
                    (c.queue, "approve, edit or reject drafted reviews and members' takes"),
                    (c.draft, "ask the chat model to draft a tool's reviews"),
                ),
            )
        )
    return Help("shipbot help", WHAT, tuple(s for s in sections if s.lines), _web(public_url))


def welcome(commands: Commands, *, public_url: str = "") -> Help:
    """The message shipbot posts once when it joins a community."""
    return Help(
        "Hi, I'm shipbot 👋",
        WHAT,
        (
            Section(
                "Try it",
                _lines(
                    (commands.example(), "your first verdict card"),
                    (commands.help, "every command you may use"),
                ),
            ),
        ),
        _web(public_url),
    )


def _web(public_url: str) -> str:
    return public_url.rstrip("/") + "/" if public_url else ""
