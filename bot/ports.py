"""What the core needs from the outside world, as Protocols. ``data/`` implements them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol

from bot.facts import CatalogChange, ToolFacts
from bot.models import (
    CardCounts,
    Community,
    Delivery,
    Lens,
    NamedCard,
    Pair,
    PairCount,
    PairIn,
    PairTally,
    PostedCard,
    Review,
    Share,
    Subscription,
    Tool,
    ToolDraft,
    ToolEdit,
    ToolNames,
    ToolSuggestion,
    ToolUsage,
    Verdict,
    VoteKey,
    VoteRecord,
    VoterOn,
    VoteSource,
    VoteState,
    VoteWrite,
    Win,
)
from bot.panel.models import DraftStatus, NewDraft, QueuedReview, QueuePage


class ToolRepository(Protocol):
    async def names_and_aliases(self) -> list[ToolNames]: ...
    async def written_names(self) -> set[str]:
        """Names of the tools people wrote (not created by ``catalog sync``): autocomplete
        offers them first among thousands of synced models."""
        ...

    async def revision(self) -> int: ...
    async def get_by_name(self, name: str) -> Tool | None: ...
    async def get_many_by_name(self, names: Sequence[str]) -> dict[str, Tool]:
        """The tools with these exact catalog names (those that exist), by name."""
        ...

    async def get_many_by_slug(self, slugs: Sequence[str]) -> dict[str, Tool]:
        """The tools with these exact URL slugs (those that exist), by slug."""
        ...

    async def get(self, tool_id: int) -> Tool | None: ...
    async def categories(self) -> list[str]:
        """The distinct categories of the catalog, sorted."""
        ...

    async def list_all(self, category: str | None = None) -> list[Tool]: ...
    async def add(self, draft: ToolDraft, actor: str) -> Tool: ...
    async def update(self, tool_id: int, edit: ToolEdit, actor: str) -> Tool: ...
    async def remove(self, tool_id: int) -> None: ...
    async def archive(self, tool_id: int, actor: str) -> None: ...
    async def restore(self, tool_id: int) -> None: ...
    async def archived_by_name(self, name: str) -> Tool | None: ...
    async def usage(self, tool_id: int) -> ToolUsage:
        """What archiving the tool takes out of view: its votes, communities and posted cards."""
        ...

    async def suggest(
        self, community: Community, name: str, note: str, actor: str
    ) -> ToolSuggestion: ...
    async def suggestions(self, limit: int = 100) -> list[ToolSuggestion]: ...
    async def add_alias(self, tool_id: int, alias: str) -> None: ...
    async def drop_alias(self, tool_id: int, alias: str) -> None:
        """Remove the tool's alias that normalizes like ``alias`` (if it has one)."""
        ...

    async def alias_owner(self, alias: str) -> str | None: ...
    async def owners(self, labels: Sequence[str]) -> dict[str, str]:
        """Normalized name or alias → the name of the tool it points to, for those taken."""
        ...

    async def added_between(self, since: datetime, until: datetime) -> list[Tool]: ...
    async def put_review(self, tool_id: int, review: Review, actor: str) -> None: ...


class FactRepository(Protocol):
    async def for_tools(self, tool_ids: Sequence[int]) -> dict[int, ToolFacts]:
        """Every sourced fact and offering of these tools, by tool id (empty when none)."""
        ...

    async def changes_between(
        self, since: datetime, until: datetime, tool_ids: Sequence[int]
    ) -> list[CatalogChange]:
        """Price changes and deprecations a sync recorded for these tools in the window."""
        ...


class CardRepository(Protocol):
    async def create(
        self,
        community: Community,
        channel: str,
        tool_a: int,
        tool_b: int,
        lens: Lens | None,
        asked_by: str | None = None,
        closes_at: datetime | None = None,
    ) -> PostedCard: ...
    async def close(
        self, card_id: int, closed_by: str, closed_at: datetime, final: tuple[int, int]
    ) -> bool:
        """Close the card's vote with its final split (votes for tool_a, tool_b); False when
        it was already closed (or is gone)."""
        ...

    async def attach_message(self, card_id: int, message_id: str) -> None: ...
    async def discard(self, card_id: int) -> None:
        """Delete a card that was never posted (it has no message and no votes)."""
        ...

    async def get(self, card_id: int) -> PostedCard | None: ...
    async def latest(self, community: Community, pair: Pair) -> PostedCard | None:
        """The community's newest card of the pair (either way round), posted or not."""
        ...

    async def get_many_with_names(self, card_ids: Sequence[int]) -> dict[int, NamedCard]:
        """The cards that exist, each with its two tools' names (tool id → name)."""
        ...

    async def live_ids(
        self, groups: Sequence[PairIn], since: datetime, limit: int
    ) -> dict[PairIn, list[int]]:
        """Per pair and community, the ids of its ``limit`` newest posted cards, newest first."""
        ...

    async def by_message(
        self, platform: str, channel: str, message_id: str
    ) -> PostedCard | None: ...
    async def recent(self, platform: str, since: datetime) -> list[PostedCard]: ...
    async def claim_refresh(
        self, card_id: int, now: datetime, interval: timedelta
    ) -> datetime | None:
        """Take the card's refresh window: None if granted, else when the current one ends."""
        ...

    async def pair_counts(
        self, community: Community | None, since: datetime, until: datetime
    ) -> list[PairCount]:
        """Cards posted per pair in the window, most compared first."""
        ...

    async def compared_with(self, tool_id: int) -> dict[int, int]:
        """Every tool a card paired with ``tool_id`` (any community, any time): tool id → cards."""
        ...


class VoteRepository(Protocol):
    async def choice(self, community: Community, user_id: str, pair: Pair) -> int | None: ...
    async def upsert(
        self,
        community: Community,
        user_id: str,
        pair: Pair,
        choice: int,
        source: VoteSource,
        card_id: int | None,
        voter_created_at: datetime | None = None,
    ) -> int | None:
        """Record the vote; return the previous choice (None if this is the first)."""
        ...

    async def delete(
        self, community: Community, user_id: str, pair: Pair, only_if_choice: int | None
    ) -> bool: ...
    async def tally(
        self, pair: Pair, community: Community | None, voters_before: datetime | None = None
    ) -> PairTally:
        """Votes per tool; ``voters_before`` leaves out accounts created after it."""
        ...

    async def tool_share(self, tool_id: int, voters_before: datetime | None = None) -> Share:
        """Head-to-head picks of the tool out of the votes on all its pairs, everywhere."""
        ...

    async def card_counts(
        self, pair: Pair, community: Community, voters_before: datetime | None = None
    ) -> CardCounts:
        """``tally`` here and everywhere and both tools' ``tool_share``, in one go."""
        ...

    async def vote(self, community: Community, user_id: str, pair: Pair) -> VoteState | None:
        """A person's vote on a pair, or None."""
        ...

    async def votes_on_card(self, card_id: int) -> dict[str, VoteState]:
        """user id → vote, for the votes last cast through this card."""
        ...

    async def pair_wins(
        self,
        voters_before: datetime | None = None,
        until: datetime | None = None,
        community: Community | None = None,
    ) -> dict[Win, int]:
        """(winner, loser) → votes over every pair, everywhere or in one ``community``."""
        ...

    async def records(self, community: Community | None = None) -> list[VoteRecord]: ...
    async def claim_events(self, deliveries: Sequence[Delivery]) -> set[Delivery]:
        """Record deliveries at once; returns those not seen before."""
        ...

    async def prune_events(self, before: datetime) -> int:
        """Forget event ids recorded before ``before``; returns how many."""
        ...

    async def lock_tools(self, tool_ids: Sequence[int]) -> None:
        """Hold off other transactions' vote batches on these tools until commit (``tool_ids``
        ascending, so two batches can't wait on each other; a no-op where the store has one
        writer at a time)."""
        ...

    async def choices(self, keys: Sequence[VoterOn]) -> dict[PairIn, dict[str, int]]:
        """Current choices of the given people, by pair and community, then by user id."""
        ...

    async def put_many(self, writes: Sequence[VoteWrite]) -> None:
        """Insert or change votes (a write of the choice already held changes nothing)."""
        ...

    async def mark_withdrawn(self, keys: Sequence[VoteKey]) -> None:
        """Remember that these people withdrew these votes (by button or command)."""
        ...

    async def clear_withdrawn(self, keys: Sequence[VoteKey]) -> None:
        """Forget withdrawals: these people voted again (the choice in the key is ignored)."""
        ...

    async def withdrawn(self, community: Community, pair: Pair, users: Sequence[str]) -> set[str]:
        """Which of ``users`` withdrew their vote on the pair and haven't voted since."""
        ...

    async def delete_many(self, keys: Sequence[VoteKey]) -> None:
        """Delete votes, each only if it still holds the choice in its key."""
        ...


class SubscriptionRepository(Protocol):
    async def put(
        self,
        community: Community,
        channel: str,
        weekday: int,
        hour: int,
        timezone: str,
        next_run_at: datetime,
        actor: str,
    ) -> Subscription: ...
    async def remove(self, community: Community, channel: str) -> bool: ...
    async def due(self, platform: str, now: datetime) -> list[Subscription]: ...
    async def claim(
        self, subscription: Subscription, next_run_at: datetime, now: datetime
    ) -> bool: ...
    async def release(self, subscription: Subscription, claimed_next: datetime) -> None: ...
    async def defer(
        self,
        subscription: Subscription,
        claimed_next: datetime,
        next_run_at: datetime,
        failures: int,
        failing_since: datetime | None,
    ) -> None:
        """After a failed post of a claimed run (still at ``claimed_next``): run next at
        ``next_run_at`` with this failure count; ``last_run_at`` goes back to before the claim."""
        ...

    async def clear_failures(self, subscription_id: int) -> None: ...
    async def for_community(self, community: Community) -> list[Subscription]: ...


class ReviewRepository(Protocol):
    """Review drafts (AI drafts and member takes) and the approval queue."""

    async def add(self, draft: NewDraft) -> int: ...
    async def queued(self, limit: int, offset: int = 0) -> QueuePage:
        """Drafts waiting for a decision, oldest first."""
        ...

    async def get_many(self, ids: Sequence[int]) -> list[QueuedReview]: ...
    async def decide(
        self, ids: Sequence[int], status: DraftStatus, actor: str, now: datetime
    ) -> list[int]:
        """Approve or reject those of ``ids`` still queued; the ids changed."""
        ...

    async def edit(
        self, review_id: int, verdict: Verdict, quote: str, flags: Sequence[str]
    ) -> bool:
        """Change a queued draft's words and verdict; False if it is no longer queued."""
        ...

    async def covered_lenses(self) -> dict[int, set[Lens]]:
        """Per tool id, the lenses with an approved review or a queued draft."""
        ...


class MetaRepository(Protocol):
    async def secret(self, key: str) -> str: ...


class WelcomeRepository(Protocol):
    async def claim(self, community: Community, at: datetime) -> bool:
        """Record that ``community`` was welcomed; False when it already was."""
        ...


class UnitOfWork(Protocol):
    @property
    def tools(self) -> ToolRepository: ...
    @property
    def facts(self) -> FactRepository: ...
    @property
    def cards(self) -> CardRepository: ...
    @property
    def votes(self) -> VoteRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...
    @property
    def meta(self) -> MetaRepository: ...
    @property
    def reviews(self) -> ReviewRepository: ...
    @property
    def welcomes(self) -> WelcomeRepository: ...

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class Clock(Protocol):
    def now(self) -> datetime: ...
