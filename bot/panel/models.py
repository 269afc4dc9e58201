"""The panel's values: drafts waiting in the queue, their receipts, and a drafting run's outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.models import Lens, Provenance, Review, ReviewKind, Verdict


class DraftStatus(StrEnum):
    """Where a drafted review stands: waiting, published, or turned down."""

    QUEUED = "queued"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Usage:
    """Tokens one answer (or a whole run) used, as the endpoint reported them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
        )


@dataclass(frozen=True)
class Receipt:
    """What an AI draft was made with and from."""

    provider: str
    model: str
    prompt_version: str
    usage: Usage
    facts: tuple[str, ...] = ()  # the facts the draft says it relied on, as given in the prompt


@dataclass(frozen=True)
class NewDraft:
    """A review to put in the queue (or, with auto-publish, straight on the card)."""

    tool_id: int
    lens: Lens
    verdict: Verdict
    quote: str
    kind: ReviewKind
    author: str = ""
    author_id: str = ""
    receipt: Receipt | None = None
    flags: tuple[str, ...] = ()
    status: DraftStatus = DraftStatus.QUEUED
    decided_by: str = ""


@dataclass(frozen=True)
class QueuedReview:
    """A stored draft as the queue shows it."""

    id: int
    tool_id: int
    tool_name: str
    lens: Lens
    verdict: Verdict
    quote: str
    kind: ReviewKind
    status: DraftStatus
    created_at: datetime
    author: str = ""
    receipt: Receipt | None = None
    flags: tuple[str, ...] = ()
    decided_by: str = ""
    decided_at: datetime | None = None

    @property
    def source(self) -> str:
        """Who wrote it, for the queue: ``AI draft (MODEL)`` or ``member take by NAME``."""
        if self.kind is ReviewKind.AI_DRAFT:
            return f"AI draft ({self.receipt.model if self.receipt else 'unknown model'})"
        if self.kind is ReviewKind.MEMBER_TAKE:
            return f"member take by {self.author or 'a member'}"
        return "editorial"

    def as_review(self) -> Review:
        """The review it becomes once approved."""
        return Review(
            lens=self.lens,
            verdict=self.verdict,
            quote=self.quote,
            reviewer=self.author,
            provenance=Provenance(
                kind=self.kind,
                author=self.author,
                model=self.receipt.model if self.receipt else "",
                approved_by=self.decided_by,
                approved_at=self.decided_at,
            ),
        )


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, oldest first, with how many wait in all."""

    items: tuple[QueuedReview, ...]
    total: int
    offset: int


@dataclass(frozen=True)
class Decision:
    """What an approve or reject did: the drafts it changed and the ids it could not."""

    changed: tuple[QueuedReview, ...]
    missing: tuple[int, ...] = ()


@dataclass(frozen=True)
class ToolOutcome:
    """One tool's result in a drafting run: drafts queued, or why none were."""

    tool: str
    queued: tuple[int, ...] = ()
    error: str = ""
    usage: Usage = field(default_factory=Usage)
    flagged: int = 0

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class RunSummary:
    """A drafting run: every tool's outcome, the spend, and why it stopped early (if it did)."""

    outcomes: tuple[ToolOutcome, ...]
    usage: Usage
    cost: float
    stopped: str = ""
    skipped: tuple[str, ...] = ()  # tools a cap stopped the run before

    @property
    def drafted(self) -> int:
        return sum(len(o.queued) for o in self.outcomes)

    @property
    def failed(self) -> tuple[ToolOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)

    def text(self) -> str:
        """One paragraph for any surface."""
        ok = sum(1 for o in self.outcomes if o.ok)
        lines = [
            f"{self.drafted} reviews drafted for {ok} of {len(self.outcomes)} tools; "
            f"{self.usage.total} tokens, ${self.cost:.4f}."
        ]
        lines += [f"- {o.tool}: {o.error}" for o in self.failed]
        if self.stopped:
            rest = f" ({len(self.skipped)} tools not drafted)" if self.skipped else ""
            lines.append(f"Stopped early: {self.stopped}{rest}.")
        return "\n".join(lines)
