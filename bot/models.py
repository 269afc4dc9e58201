"""The domain: tools, reviews, lenses and votes. Plain frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple


class Lens(StrEnum):
    """The four reviewers' points of view; each reviews every tool once."""

    DEVELOPER = "developer"
    COMPETITION = "competition"
    FUTURE = "future"
    BUSINESS = "business"

    @property
    def label(self) -> str:
        return _LENS_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Lens | None:
        """The lens a person means by a word such as ``buyer`` or ``dx``; None if none."""
        return _LENS_WORDS.get(text.strip().casefold().replace("-", " ").replace("_", " "))


_LENS_LABELS = {
    Lens.DEVELOPER: "Developer experience",
    Lens.COMPETITION: "Competition",
    Lens.FUTURE: "Future thesis",
    Lens.BUSINESS: "Business / buyer",
}

_LENS_WORDS: dict[str, Lens] = {
    **{w: Lens.DEVELOPER for w in ("developer", "developers", "dev", "dx", "developer experience")},
    **{w: Lens.COMPETITION for w in ("competition", "competitor", "competitors", "skeptic")},
    **{w: Lens.FUTURE for w in ("future", "thesis", "future thesis")},
    **{w: Lens.BUSINESS for w in ("business", "buyer", "buyers", "business buyer")},
}


class Verdict(StrEnum):
    """What one reviewer says about one tool."""

    SHIP = "ship"
    SKIP = "skip"


class Entry(StrEnum):
    """How much it costs to start using a tool."""

    FREE = "Free"
    OPEN_SOURCE = "Open source"
    FREEMIUM = "Freemium"
    PAID = "Paid"

    @property
    def cost_rank(self) -> int:
        """Lower is cheaper to start with; Free and Open source tie."""
        return {"Free": 0, "Open source": 0, "Freemium": 1, "Paid": 2}[self.value]

    @classmethod
    def parse(cls, text: str) -> Entry:
        """Accept any case and ``open-source``; raise ValueError naming the choices otherwise."""
        wanted = text.strip().casefold().replace("-", " ").replace("_", " ")
        for entry in cls:
            if entry.value.casefold() == wanted:
                return entry
        choices = ", ".join(e.value for e in cls)
        raise ValueError(f"entry must be one of: {choices}")


class VoteSource(StrEnum):
    """Where a vote came from, kept on every vote for audits."""

    REACTION = "reaction"
    BUTTON = "button"
    COMMAND = "command"


class VoteMode(StrEnum):
    """How people vote on a card (``SHIPBOT_VOTE_MODE``). Reactions are visible to every member
    (a platform shows who reacted); buttons are private, so ``buttons`` is anonymous."""

    BUTTONS = "buttons"
    REACTIONS = "reactions"
    BOTH = "both"

    @property
    def buttons(self) -> bool:
        return self is not VoteMode.REACTIONS

    @property
    def reactions(self) -> bool:
        return self is not VoteMode.BUTTONS


class Side(StrEnum):
    """Left (A) or right (B) on a card, in the order the pair was asked."""

    A = "a"
    B = "b"


class ReviewKind(StrEnum):
    """Who wrote a review: the editors, a chat model (then approved), or a member (then approved)."""

    EDITORIAL = "editorial"
    AI_DRAFT = "ai_draft"
    MEMBER_TAKE = "member_take"


@dataclass(frozen=True)
class Provenance:
    """Where a published review came from and who let it through."""

    kind: ReviewKind = ReviewKind.EDITORIAL
    author: str = ""  # the member's display name (member takes)
    model: str = ""  # the chat model (AI drafts)
    approved_by: str = ""
    approved_at: datetime | None = None

    @property
    def label(self) -> str:
        """``editorial``, ``AI-drafted with MODEL, approved by ADMIN`` or ``member take by NAME,
        approved by ADMIN``."""
        if self.kind is ReviewKind.EDITORIAL:
            return "editorial"
        approver = self.approved_by or "nobody"
        if self.kind is ReviewKind.AI_DRAFT:
            return f"AI-drafted with {self.model or 'an unnamed model'}, approved by {approver}"
        return f"member take by {self.author or 'a member'}, approved by {approver}"


EDITORIAL = Provenance()


@dataclass(frozen=True)
class Review:
    """One reviewer's quote on one tool, with an explicit verdict (never inferred)."""

    lens: Lens
    verdict: Verdict
    quote: str
    reviewer: str = ""
    provenance: Provenance = EDITORIAL


@dataclass(frozen=True, kw_only=True)
class ToolProfile:
    """What a tool is, as people read it on a card: the one shape the catalog's tool, an admin's
    draft, a catalog file entry (``bot.catalog.ToolEntry``, which validates it) and a card's side
    share. A new profile field is declared here; the row mapping, the card side, import/export
    and edits pick it up by name (``PROFILE_FIELDS``)."""

    name: str
    category: str
    tagline: str
    entry: Entry
    description: str
    pricing_note: str = ""
    url: str = ""

    @property
    def profile(self) -> ToolProfile:
        """Just the profile (of a tool, draft or card side)."""
        return ToolProfile(**profile_values(self))


def profile_values(source: object) -> dict[str, Any]:
    """The profile fields of ``source`` (a profile, or anything with those attributes: a row,
    a catalog entry), by name."""
    return {name: getattr(source, name) for name in PROFILE_FIELDS}


@dataclass(frozen=True, kw_only=True)
class Tool(ToolProfile):
    """A tool as the catalog holds it: its profile, ids, other names and reviews."""

    id: int
    slug: str = ""
    aliases: tuple[str, ...] = ()
    reviews: tuple[Review, ...] = ()  # the panel: the newest approved review of each lens
    history: tuple[Review, ...] = ()  # older approved reviews, newest first
    archived: bool = False  # out of matching and new cards; votes and history kept

    def review_for(self, lens: Lens) -> Review | None:
        return next((r for r in self.reviews if r.lens is lens), None)


@dataclass(frozen=True)
class ToolUsage:
    """What archiving a tool takes out of view (nothing of it is deleted)."""

    votes: int
    communities: int
    cards: int


@dataclass(frozen=True)
class ToolSuggestion:
    """A tool a community admin asked the catalog admins to add."""

    id: int
    community: Community
    name: str
    note: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True, kw_only=True)
class ToolDraft(ToolProfile):
    """What an admin supplies to add a tool."""

    aliases: tuple[str, ...] = ()
    reviews: tuple[Review, ...] = ()


@dataclass(frozen=True)
class ToolEdit:
    """A change to a tool's profile: the profile it is to have, and which fields change."""

    profile: ToolProfile
    fields: frozenset[str]


PROFILE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ToolProfile))
"""The names of the profile's fields, in order."""


@dataclass(frozen=True)
class Community:
    """Where votes are counted: one Discord server, one Slack workspace, or the terminal."""

    platform: str
    id: str

    @classmethod
    def console(cls) -> Community:
        return cls(platform="console", id="local")


@dataclass(frozen=True)
class Voter:
    """A person on a platform. ``created_at`` (account age) feeds the anti-stuffing rule."""

    community: Community
    user_id: str
    created_at: datetime | None = None


@dataclass(frozen=True, order=True)
class Pair:
    """An unordered pair of tools, stored lowest id first so A-vs-B and B-vs-A share votes."""

    low: int
    high: int

    @classmethod
    def of(cls, first: int, second: int) -> Pair:
        if first == second:
            raise ValueError("a pair needs two different tools")
        return cls(min(first, second), max(first, second))


@dataclass(frozen=True)
class CardCounts:
    """Every number a card shows: the pair's tally here and everywhere, and each tool's
    (head-to-head picks, votes) over all its pairs, by tool id."""

    here: PairTally
    everywhere: PairTally
    shares: dict[int, Share]


@dataclass(frozen=True)
class VoteKey:
    """One person's vote on a pair in a community, with the choice it holds (or is to hold)."""

    community: Community
    pair: Pair
    user_id: str
    choice: int


@dataclass(frozen=True)
class VoteWrite:
    """A vote to insert or change, with what is kept beside the choice."""

    key: VoteKey
    source: VoteSource
    card_id: int | None
    voter_created_at: datetime | None


@dataclass(frozen=True)
class PostedCard:
    """A card that was posted somewhere; votes on it count for its pair in its community."""

    id: int
    community: Community
    channel: str
    tool_a: int
    tool_b: int
    message_id: str | None = None
    lens: Lens | None = None
    created_at: datetime | None = None
    asked_by: str | None = None  # user id of the person who asked for the card
    closes_at: datetime | None = None  # voting ends then on its own (``… for 3 days``)
    closed_at: datetime | None = None  # closed by hand (or on first use after closes_at)
    closed_by: str | None = None
    final: tuple[int, int] | None = None  # votes here for tool_a, tool_b when it closed

    @property
    def pair(self) -> Pair:
        return Pair.of(self.tool_a, self.tool_b)

    def tool_on(self, side: Side) -> int:
        return self.tool_a if side is Side.A else self.tool_b

    def closed_since(self, now: datetime) -> datetime | None:
        """When voting on this card ended (None while it is open)."""
        if self.closed_at is not None:
            return self.closed_at
        if self.closes_at is not None and self.closes_at <= now:
            return self.closes_at
        return None


@dataclass(frozen=True)
class PairTally:
    """Votes for each tool of a pair; keys are tool ids."""

    pair: Pair
    counts: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def votes_for(self, tool_id: int) -> int:
        return self.counts.get(tool_id, 0)


@dataclass(frozen=True)
class Subscription:
    """A channel that gets the weekly verdicts digest (day and hour in the community's time zone)."""

    id: int
    community: Community
    channel: str
    weekday: int  # 0 = Monday
    hour: int
    timezone: str
    next_run_at: datetime
    last_run_at: datetime | None = None
    failures: int = 0  # failed posts of the current run in a row (bot.digest_retry)
    failing_since: datetime | None = None


@dataclass(frozen=True)
class VoteRecord:
    """One stored vote, for export and audits."""

    platform: str
    community: str
    user_id: str
    tool_a: str
    tool_b: str
    choice: str
    source: str
    updated_at: datetime


# -- named values at the ports (NamedTuples where a value is also read as a plain tuple) -------


class ToolNames(NamedTuple):
    """A tool's catalog name and the other names people type for it."""

    name: str
    aliases: list[str]


class Share(NamedTuple):
    """A tool's head-to-head picks out of all votes on its pairs."""

    picks: int
    votes: int


class VoteState(NamedTuple):
    """A person's current vote on a pair: the tool chosen, how (``VoteSource`` value), when."""

    choice: int
    source: str
    updated_at: datetime


class Delivery(NamedTuple):
    """One platform event, by the platform's own id (re-deliveries carry the same one)."""

    platform: str
    event_id: str


class Win(NamedTuple):
    """One head-to-head result: ``winner`` was picked over ``loser``."""

    winner: int
    loser: int


class PairIn(NamedTuple):
    """A pair as voted on in one community (votes and live cards are grouped this way)."""

    community: Community
    pair: Pair


class VoterOn(NamedTuple):
    """One person's place to vote: a pair in a community."""

    community: Community
    pair: Pair
    user_id: str


class PairCount(NamedTuple):
    """How many cards of a pair (lowest id first) were posted in a window."""

    low: int
    high: int
    cards: int


@dataclass(frozen=True)
class NamedCard:
    """A posted card with its two tools' names (tool id → name)."""

    card: PostedCard
    names: dict[int, str]
