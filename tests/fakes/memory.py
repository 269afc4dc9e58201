"""In-memory fakes of the core's ports (``bot.ports``): a unit of work and its repositories.

They keep the same rules as the SQL implementation (unique names and aliases, one vote per person
per pair per community, an idempotent vote write, discard only an unposted card, cascades when a
tool is removed), so the service rules can be tested in milliseconds; ``tests/contract`` runs the
same cases against these fakes and the SQL repositories on SQLite and PostgreSQL, so the fakes
can't drift from the real thing.

A unit of work sees a copy of the store and writes it back on ``commit``; anything not committed
is dropped, like a rolled-back transaction. Units of work run one at a time (like SQLite's single
writer), which is what the vote batcher and the service expect of a store.
"""

from __future__ import annotations

import asyncio
import copy
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING

from bot.errors import Conflict, NotFoundError
from bot.facts import CatalogChange, ToolFacts
from bot.matching import normalize
from bot.models import (
    EDITORIAL,
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
    Provenance,
    Review,
    ReviewKind,
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
    profile_values,
)
from bot.panel.models import DraftStatus, NewDraft, QueuedReview, QueuePage, Receipt
from bot.ports import UnitOfWorkFactory


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Tool:
    tool: Tool
    created_by: str
    created_at: datetime


@dataclass
class _Card:
    card: PostedCard
    refresh_after: datetime | None = None


@dataclass
class _Vote:
    id: int
    key: VoteKey  # holds the current choice
    source: str
    card_id: int | None
    voter_created_at: datetime | None
    updated_at: datetime


@dataclass
class _ReviewRow:
    """A review as the ``reviews`` table holds it: editorial, an AI draft or a member take, with
    its status (only approved ones reach the card)."""

    id: int
    tool_id: int
    lens: Lens
    verdict: Verdict
    quote: str
    reviewer: str
    created_at: datetime
    kind: ReviewKind = ReviewKind.EDITORIAL
    status: DraftStatus = DraftStatus.APPROVED
    author: str = ""
    author_id: str = ""
    receipt: Receipt | None = None
    flags: tuple[str, ...] = ()
    decided_by: str = ""
    decided_at: datetime | None = None

    def published(self) -> tuple[datetime, int]:
        return (self.decided_at or self.created_at, self.id)

    def review(self) -> Review:
        provenance = (
            EDITORIAL
            if self.kind is ReviewKind.EDITORIAL
            else Provenance(
                kind=self.kind,
                author=self.author,
                model=self.receipt.model if self.receipt else "",
                approved_by=self.decided_by,
                approved_at=self.decided_at,
            )
        )
        return Review(self.lens, self.verdict, self.quote, self.reviewer, provenance)

    def queued(self, tool_name: str) -> QueuedReview:
        return QueuedReview(
            id=self.id,
            tool_id=self.tool_id,
            tool_name=tool_name,
            lens=self.lens,
            verdict=self.verdict,
            quote=self.quote,
            kind=self.kind,
            status=self.status,
            created_at=self.created_at,
            author=self.author,
            receipt=self.receipt if self.kind is ReviewKind.AI_DRAFT else None,
            flags=self.flags,
            decided_by=self.decided_by,
            decided_at=self.decided_at,
        )


@dataclass
class MemoryStore:
    """What a database would hold. Shared by every unit of work of one factory."""

    tools: dict[int, _Tool] = field(default_factory=dict)
    cards: dict[int, _Card] = field(default_factory=dict)
    reviews: dict[int, _ReviewRow] = field(default_factory=dict)
    votes: dict[tuple[Community, Pair, str], _Vote] = field(default_factory=dict)
    deliveries: set[Delivery] = field(default_factory=set)
    delivered_at: dict[Delivery, datetime] = field(default_factory=dict)
    withdrawals: set[tuple[Community, Pair, str]] = field(default_factory=set)
    archived: set[int] = field(default_factory=set)
    suggestions: list[ToolSuggestion] = field(default_factory=list)
    subscriptions: dict[int, Subscription] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    welcomes: dict[Community, datetime] = field(default_factory=dict)
    facts: dict[int, ToolFacts] = field(default_factory=dict)  # sourced facts, by tool id
    revision: int = 0
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def tool(self, tool_id: int) -> Tool:
        """A tool with its panel (the newest approved review of each lens, in lens order) and
        its older approved reviews, newest first: what the SQL repository reads."""
        newest: dict[Lens, _ReviewRow] = {}
        history: list[_ReviewRow] = []
        approved = [
            r
            for r in self.reviews.values()
            if r.tool_id == tool_id and r.status is DraftStatus.APPROVED
        ]
        for row in sorted(approved, key=_ReviewRow.published, reverse=True):
            if row.lens in newest:
                history.append(row)
            else:
                newest[row.lens] = row
        order = list(Lens)
        panel = sorted(newest.values(), key=lambda r: order.index(r.lens))
        return replace(
            self.tools[tool_id].tool,
            reviews=tuple(r.review() for r in panel),
            history=tuple(r.review() for r in history),
            archived=tool_id in self.archived,
        )

    def active(self) -> list[int]:
        return [i for i in sorted(self.tools) if i not in self.archived]

    def add_review(self, tool_id: int, review: Review) -> None:
        row_id = self.new_id()
        self.reviews[row_id] = _ReviewRow(
            row_id, tool_id, review.lens, review.verdict, review.quote, review.reviewer, _now()
        )


@dataclass
class Reads:
    """How often each kind of row was read (to check "reads its card once")."""

    card_gets: int = 0


class MemoryToolRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._db = store

    async def names_and_aliases(self) -> list[ToolNames]:
        return [
            ToolNames(self._db.tools[i].tool.name, list(self._db.tools[i].tool.aliases))
            for i in self._db.active()
        ]

    async def written_names(self) -> set[str]:
        return {t.tool.name for t in self._db.tools.values() if t.created_by != "sync"}

    async def revision(self) -> int:
        return self._db.revision

    async def get_by_name(self, name: str) -> Tool | None:
        key = normalize(name)
        found = (i for i, t in self._db.tools.items() if normalize(t.tool.name) == key)
        tool_id = next(found, None)
        return None if tool_id is None else self._db.tool(tool_id)

    async def get_many_by_name(self, names: Sequence[str]) -> dict[str, Tool]:
        found = {}
        for name in names:
            tool = await self.get_by_name(name)
            if tool is not None:
                found[tool.name] = tool
        return found

    async def get_many_by_slug(self, slugs: Sequence[str]) -> dict[str, Tool]:
        wanted = set(slugs)
        tools = (self._db.tool(i) for i in self._db.tools)
        return {t.slug: t for t in tools if t.slug in wanted}

    async def get(self, tool_id: int) -> Tool | None:
        return self._db.tool(tool_id) if tool_id in self._db.tools else None

    async def categories(self) -> list[str]:
        return sorted({self._db.tool(i).category for i in self._db.tools})

    async def list_all(self, category: str | None = None) -> list[Tool]:
        tools = [self._db.tool(i) for i in self._db.active()]
        if category:
            tools = [t for t in tools if t.category.lower() == category.strip().lower()]
        return sorted(tools, key=lambda t: t.name)

    async def add(self, draft: ToolDraft, actor: str) -> Tool:
        conflict = f"'{draft.name}' or one of its aliases is already in the catalog."
        if await self.get_by_name(draft.name) is not None:
            raise Conflict(conflict)
        aliases: list[str] = []
        seen = {normalize(draft.name)}
        for alias in draft.aliases:
            key = normalize(alias)
            if key and key not in seen:
                if self._alias_taken(key):
                    raise Conflict(conflict)
                seen.add(key)
                aliases.append(alias)
        tool_id = self._db.new_id()
        tool = Tool(
            **profile_values(draft),
            id=tool_id,
            slug=self._free_slug(draft.name),
            aliases=tuple(aliases),
        )
        self._db.tools[tool_id] = _Tool(tool, actor, _now())
        for review in draft.reviews:
            self._db.add_review(tool_id, review)
        self._db.revision += 1
        return self._db.tool(tool_id)

    async def update(self, tool_id: int, edit: ToolEdit, actor: str) -> Tool:
        held = self._db.tools.get(tool_id)
        if held is None:
            raise NotFoundError("That tool is no longer in the catalog.")
        changes = {name: getattr(edit.profile, name) for name in edit.fields}
        if "name" in changes:
            other = await self.get_by_name(changes["name"])
            if other is not None and other.id != tool_id:
                raise Conflict(f"'{changes['name']}' is already in the catalog.")
        held.tool = replace(held.tool, **changes)
        self._db.revision += 1
        return self._db.tool(tool_id)

    async def remove(self, tool_id: int) -> None:
        self._db.tools.pop(tool_id, None)
        for card_id in [
            i for i, c in self._db.cards.items() if tool_id in (c.card.tool_a, c.card.tool_b)
        ]:
            del self._db.cards[card_id]
        for key in [k for k, v in self._db.votes.items() if tool_id in (k[1].low, k[1].high)]:
            del self._db.votes[key]
        for review_id in [i for i, r in self._db.reviews.items() if r.tool_id == tool_id]:
            del self._db.reviews[review_id]
        self._db.revision += 1

    async def archive(self, tool_id: int, actor: str) -> None:
        self._db.archived.add(tool_id)
        self._db.revision += 1

    async def restore(self, tool_id: int) -> None:
        self._db.archived.discard(tool_id)
        self._db.revision += 1

    async def archived_by_name(self, name: str) -> Tool | None:
        key = normalize(name)
        for tool_id in sorted(self._db.archived):
            tool = self._db.tools[tool_id].tool
            if key in {normalize(tool.name), *(normalize(a) for a in tool.aliases)}:
                return self._db.tool(tool_id)
        return None

    async def usage(self, tool_id: int) -> ToolUsage:
        votes = [k for k in self._db.votes if tool_id in (k[1].low, k[1].high)]
        cards = [
            c
            for c in self._db.cards.values()
            if tool_id in (c.card.tool_a, c.card.tool_b) and c.card.message_id is not None
        ]
        return ToolUsage(len(votes), len({k[0] for k in votes}), len(cards))

    async def suggest(
        self, community: Community, name: str, note: str, actor: str
    ) -> ToolSuggestion:
        made = ToolSuggestion(self._db.new_id(), community, name, note, actor, _now())
        self._db.suggestions.append(made)
        return made

    async def suggestions(self, limit: int = 100) -> list[ToolSuggestion]:
        return sorted(self._db.suggestions, key=lambda s: -s.id)[:limit]

    async def drop_alias(self, tool_id: int, alias: str) -> None:
        held = self._db.tools[tool_id]
        key = normalize(alias)
        held.tool = replace(
            held.tool, aliases=tuple(a for a in held.tool.aliases if normalize(a) != key)
        )

    async def add_alias(self, tool_id: int, alias: str) -> None:
        key = normalize(alias)
        if self._alias_taken(key) or any(
            normalize(t.tool.name) == key for t in self._db.tools.values()
        ):
            raise Conflict(f"The alias '{alias}' is already taken.")
        held = self._db.tools[tool_id]
        held.tool = replace(held.tool, aliases=(*held.tool.aliases, alias))
        self._db.revision += 1

    async def owners(self, labels: Sequence[str]) -> dict[str, str]:
        found = {}
        for label in labels:
            owner = await self.alias_owner(label)
            if owner is not None:
                found[normalize(label)] = owner
        return found

    async def alias_owner(self, alias: str) -> str | None:
        key = normalize(alias)
        for held in self._db.tools.values():
            if normalize(held.tool.name) == key:
                return held.tool.name
        for held in self._db.tools.values():
            if any(normalize(a) == key for a in held.tool.aliases):
                return held.tool.name
        return None

    async def added_between(self, since: datetime, until: datetime) -> list[Tool]:
        found = [
            t
            for t in self._db.tools.values()
            if since <= t.created_at < until
            and t.created_by not in ("seed", "sync")
            and t.tool.id not in self._db.archived
        ]
        return [self._db.tool(t.tool.id) for t in sorted(found, key=lambda t: t.created_at)]

    async def put_review(self, tool_id: int, review: Review, actor: str) -> None:
        """An editorial review replaces the lens's current one if that is editorial too; over an
        AI draft or member take it is added and becomes the newest (the other stays history)."""
        current = [
            r
            for r in self._db.reviews.values()
            if r.tool_id == tool_id and r.lens is review.lens and r.status is DraftStatus.APPROVED
        ]
        newest = max(current, key=_ReviewRow.published, default=None)
        if newest is None or newest.kind is not ReviewKind.EDITORIAL:
            self._db.add_review(tool_id, review)
        else:
            newest.verdict, newest.quote = review.verdict, review.quote
            newest.reviewer, newest.created_at = review.reviewer, _now()

    def _alias_taken(self, key: str) -> bool:
        return any(normalize(a) == key for t in self._db.tools.values() for a in t.tool.aliases)

    def _free_slug(self, name: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", normalize(name).lower()).strip("-")[:100] or "tool"
        taken = {t.tool.slug for t in self._db.tools.values()}
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug


class MemoryCardRepository:
    def __init__(self, store: MemoryStore, reads: Reads) -> None:
        self._db = store
        self._reads = reads

    async def create(
        self,
        community: Community,
        channel: str,
        tool_a: int,
        tool_b: int,
        lens: Lens | None,
        asked_by: str | None = None,
        closes_at: datetime | None = None,
    ) -> PostedCard:
        Pair.of(tool_a, tool_b)
        if tool_a not in self._db.tools or tool_b not in self._db.tools:
            raise NotFoundError("One of those tools has been removed from the catalog.")
        card = PostedCard(
            id=self._db.new_id(),
            community=community,
            channel=channel,
            tool_a=tool_a,
            tool_b=tool_b,
            lens=lens,
            created_at=_now(),
            asked_by=asked_by,
            closes_at=closes_at,
        )
        self._db.cards[card.id] = _Card(card)
        return card

    async def close(
        self, card_id: int, closed_by: str, closed_at: datetime, final: tuple[int, int]
    ) -> bool:
        held = self._db.cards.get(card_id)
        if held is None or held.card.closed_at is not None:
            return False
        held.card = replace(held.card, closed_at=closed_at, closed_by=closed_by, final=final)
        return True

    async def attach_message(self, card_id: int, message_id: str) -> None:
        held = self._db.cards.get(card_id)
        if held is not None:
            held.card = replace(held.card, message_id=message_id)

    async def discard(self, card_id: int) -> None:
        held = self._db.cards.get(card_id)
        if held is not None and held.card.message_id is None:
            del self._db.cards[card_id]
            for vote in self._db.votes.values():
                if vote.card_id == card_id:
                    vote.card_id = None

    async def get(self, card_id: int) -> PostedCard | None:
        self._reads.card_gets += 1
        held = self._db.cards.get(card_id)
        return held.card if held else None

    async def latest(self, community: Community, pair: Pair) -> PostedCard | None:
        cards = [c.card for c in self._db.cards.values()]
        mine = [c for c in cards if c.community == community and c.pair == pair]
        return max(mine, key=lambda card: card.id, default=None)

    async def get_many_with_names(self, card_ids: Sequence[int]) -> dict[int, NamedCard]:
        found = {}
        for card_id in card_ids:
            held = self._db.cards.get(card_id)
            if held is None:
                continue
            card = held.card
            names = {t: self._db.tools[t].tool.name for t in (card.tool_a, card.tool_b)}
            found[card_id] = NamedCard(card, names)
        return found

    async def live_ids(
        self, groups: Sequence[PairIn], since: datetime, limit: int
    ) -> dict[PairIn, list[int]]:
        live: dict[PairIn, list[int]] = {}
        for group in groups:
            ids = sorted(
                (
                    c.card.id
                    for c in self._db.cards.values()
                    if PairIn(c.card.community, c.card.pair) == group
                    and c.card.message_id is not None
                    and c.card.created_at is not None
                    and c.card.created_at >= since
                ),
                reverse=True,
            )[:limit]
            if ids:
                live[group] = ids
        return live

    async def by_message(self, platform: str, channel: str, message_id: str) -> PostedCard | None:
        for held in self._db.cards.values():
            card = held.card
            if (card.community.platform, card.channel, card.message_id) == (
                platform,
                channel,
                message_id,
            ):
                return card
        return None

    async def recent(self, platform: str, since: datetime) -> list[PostedCard]:
        return [
            c.card
            for _, c in sorted(self._db.cards.items())
            if c.card.community.platform == platform
            and c.card.message_id is not None
            and c.card.created_at is not None
            and c.card.created_at >= since
        ]

    async def claim_refresh(
        self, card_id: int, now: datetime, interval: timedelta
    ) -> datetime | None:
        held = self._db.cards.get(card_id)
        if held is None:
            return None
        if held.refresh_after is None or held.refresh_after <= now:
            held.refresh_after = now + interval
            return None
        return held.refresh_after

    async def pair_counts(
        self, community: Community | None, since: datetime, until: datetime
    ) -> list[PairCount]:
        counts: dict[Pair, int] = {}
        for held in self._db.cards.values():
            card = held.card
            if card.created_at is None or not since <= card.created_at < until:
                continue
            if community is not None and card.community != community:
                continue
            counts[card.pair] = counts.get(card.pair, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].low, item[0].high))
        return [PairCount(pair.low, pair.high, n) for pair, n in ranked]

    async def compared_with(self, tool_id: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for held in self._db.cards.values():
            pair = held.card.pair
            if tool_id in (pair.low, pair.high):
                other = pair.high if pair.low == tool_id else pair.low
                counts[other] = counts.get(other, 0) + 1
        return counts


class MemoryVoteRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._db = store

    async def choice(self, community: Community, user_id: str, pair: Pair) -> int | None:
        vote = self._db.votes.get((community, pair, user_id))
        return vote.key.choice if vote else None

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
        previous = await self.choice(community, user_id, pair)
        if previous == choice:
            return previous
        self._write(VoteKey(community, pair, user_id, choice), source, card_id, voter_created_at)
        return previous

    def _write(
        self,
        key: VoteKey,
        source: VoteSource,
        card_id: int | None,
        voter_created_at: datetime | None,
    ) -> None:
        where = (key.community, key.pair, key.user_id)
        old = self._db.votes.get(where)
        self._db.votes[where] = _Vote(
            id=old.id if old else self._db.new_id(),
            key=key,
            source=source.value,
            card_id=card_id,
            voter_created_at=voter_created_at,
            updated_at=_now(),
        )

    async def delete(
        self, community: Community, user_id: str, pair: Pair, only_if_choice: int | None
    ) -> bool:
        where = (community, pair, user_id)
        vote = self._db.votes.get(where)
        if vote is None or (only_if_choice is not None and vote.key.choice != only_if_choice):
            return False
        del self._db.votes[where]
        return True

    def _counted(self, voters_before: datetime | None) -> list[_Vote]:
        return [
            v
            for v in self._db.votes.values()
            if voters_before is None
            or v.voter_created_at is None
            or v.voter_created_at <= voters_before
        ]

    async def tally(
        self, pair: Pair, community: Community | None, voters_before: datetime | None = None
    ) -> PairTally:
        counts: dict[int, int] = {}
        for vote in self._counted(voters_before):
            if vote.key.pair == pair and community in (None, vote.key.community):
                counts[vote.key.choice] = counts.get(vote.key.choice, 0) + 1
        return PairTally(pair=pair, counts=counts)

    async def tool_share(self, tool_id: int, voters_before: datetime | None = None) -> Share:
        on_pairs = [
            v for v in self._counted(voters_before) if tool_id in (v.key.pair.low, v.key.pair.high)
        ]
        return Share(sum(1 for v in on_pairs if v.key.choice == tool_id), len(on_pairs))

    async def card_counts(
        self, pair: Pair, community: Community, voters_before: datetime | None = None
    ) -> CardCounts:
        return CardCounts(
            here=await self.tally(pair, community, voters_before),
            everywhere=await self.tally(pair, None, voters_before),
            shares={t: await self.tool_share(t, voters_before) for t in (pair.low, pair.high)},
        )

    async def vote(self, community: Community, user_id: str, pair: Pair) -> VoteState | None:
        vote = self._db.votes.get((community, pair, user_id))
        return VoteState(vote.key.choice, vote.source, vote.updated_at) if vote else None

    async def votes_on_card(self, card_id: int) -> dict[str, VoteState]:
        return {
            v.key.user_id: VoteState(v.key.choice, v.source, v.updated_at)
            for v in self._db.votes.values()
            if v.card_id == card_id
        }

    async def pair_wins(
        self,
        voters_before: datetime | None = None,
        until: datetime | None = None,
        community: Community | None = None,
    ) -> dict[Win, int]:
        wins: dict[Win, int] = {}
        for vote in self._counted(voters_before):
            if until is not None and vote.updated_at > until:
                continue
            if community is not None and vote.key.community != community:
                continue
            pair, choice = vote.key.pair, vote.key.choice
            win = Win(choice, pair.high if choice == pair.low else pair.low)
            wins[win] = wins.get(win, 0) + 1
        return wins

    async def records(self, community: Community | None = None) -> list[VoteRecord]:
        names = {i: t.tool.name for i, t in self._db.tools.items()}
        return [
            VoteRecord(
                v.key.community.platform,
                v.key.community.id,
                v.key.user_id,
                names[v.key.pair.low],
                names[v.key.pair.high],
                names[v.key.choice],
                v.source,
                v.updated_at,
            )
            for v in sorted(self._db.votes.values(), key=lambda v: v.id)
            if community in (None, v.key.community)
        ]

    async def claim_events(self, deliveries: Sequence[Delivery]) -> set[Delivery]:
        fresh = {Delivery(*d) for d in deliveries} - self._db.deliveries
        self._db.deliveries |= fresh
        self._db.delivered_at.update({d: _now() for d in fresh})
        return fresh

    async def prune_events(self, before: datetime) -> int:
        old = {d for d, at in self._db.delivered_at.items() if at < before}
        self._db.deliveries -= old
        for delivery in old:
            del self._db.delivered_at[delivery]
        return len(old)

    async def mark_withdrawn(self, keys: Sequence[VoteKey]) -> None:
        self._db.withdrawals |= {(k.community, k.pair, k.user_id) for k in keys}

    async def clear_withdrawn(self, keys: Sequence[VoteKey]) -> None:
        self._db.withdrawals -= {(k.community, k.pair, k.user_id) for k in keys}

    async def withdrawn(self, community: Community, pair: Pair, users: Sequence[str]) -> set[str]:
        return {u for u in users if (community, pair, u) in self._db.withdrawals}

    async def lock_tools(self, tool_ids: Sequence[int]) -> None:
        return None  # one unit of work at a time already

    async def choices(self, keys: Sequence[VoterOn]) -> dict[PairIn, dict[str, int]]:
        found: dict[PairIn, dict[str, int]] = {}
        for community, pair, user in keys:
            vote = self._db.votes.get((community, pair, user))
            if vote is not None:
                found.setdefault(PairIn(community, pair), {})[user] = vote.key.choice
        return found

    async def put_many(self, writes: Sequence[VoteWrite]) -> None:
        for write in writes:
            key = write.key
            if await self.choice(key.community, key.user_id, key.pair) != key.choice:
                self._write(key, write.source, write.card_id, write.voter_created_at)

    async def delete_many(self, keys: Sequence[VoteKey]) -> None:
        for key in keys:
            await self.delete(key.community, key.user_id, key.pair, key.choice)


class MemorySubscriptionRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._db = store

    def _find(self, community: Community, channel: str) -> Subscription | None:
        return next(
            (
                s
                for s in self._db.subscriptions.values()
                if s.community == community and s.channel == channel
            ),
            None,
        )

    async def put(
        self,
        community: Community,
        channel: str,
        weekday: int,
        hour: int,
        timezone: str,
        next_run_at: datetime,
        actor: str,
    ) -> Subscription:
        held = self._find(community, channel)
        sub = Subscription(
            id=held.id if held else self._db.new_id(),
            community=community,
            channel=channel,
            weekday=weekday,
            hour=hour,
            timezone=timezone,
            next_run_at=next_run_at,
            last_run_at=held.last_run_at if held else None,
        )
        self._db.subscriptions[sub.id] = sub
        return sub

    async def remove(self, community: Community, channel: str) -> bool:
        held = self._find(community, channel)
        if held is None:
            return False
        del self._db.subscriptions[held.id]
        return True

    async def due(self, platform: str, now: datetime) -> list[Subscription]:
        due = [
            s
            for s in self._db.subscriptions.values()
            if s.community.platform == platform and s.next_run_at <= now
        ]
        return sorted(due, key=lambda s: s.next_run_at)

    async def claim(self, subscription: Subscription, next_run_at: datetime, now: datetime) -> bool:
        held = self._db.subscriptions.get(subscription.id)
        if held is None or held.next_run_at != subscription.next_run_at:
            return False
        self._db.subscriptions[held.id] = replace(held, next_run_at=next_run_at, last_run_at=now)
        return True

    async def release(self, subscription: Subscription, claimed_next: datetime) -> None:
        held = self._db.subscriptions.get(subscription.id)
        if held is not None and held.next_run_at == claimed_next:
            self._db.subscriptions[held.id] = replace(
                held, next_run_at=subscription.next_run_at, last_run_at=subscription.last_run_at
            )

    async def defer(
        self,
        subscription: Subscription,
        claimed_next: datetime,
        next_run_at: datetime,
        failures: int,
        failing_since: datetime | None,
    ) -> None:
        held = self._db.subscriptions.get(subscription.id)
        if held is not None and held.next_run_at == claimed_next:
            self._db.subscriptions[held.id] = replace(
                held,
                next_run_at=next_run_at,
                last_run_at=subscription.last_run_at,
                failures=failures,
                failing_since=failing_since,
            )

    async def clear_failures(self, subscription_id: int) -> None:
        held = self._db.subscriptions.get(subscription_id)
        if held is not None:
            self._db.subscriptions[held.id] = replace(held, failures=0, failing_since=None)

    async def for_community(self, community: Community) -> list[Subscription]:
        return [s for s in self._db.subscriptions.values() if s.community == community]


class MemoryReviewRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._db = store

    async def add(self, draft: NewDraft) -> int:
        now = _now()
        row = _ReviewRow(
            id=self._db.new_id(),
            tool_id=draft.tool_id,
            lens=draft.lens,
            verdict=draft.verdict,
            quote=draft.quote,
            reviewer=draft.author,
            created_at=now,
            kind=draft.kind,
            status=draft.status,
            author=draft.author,
            author_id=draft.author_id,
            receipt=draft.receipt,
            flags=tuple(draft.flags),
            decided_by=draft.decided_by,
            decided_at=now if draft.status is not DraftStatus.QUEUED else None,
        )
        self._db.reviews[row.id] = row
        return row.id

    def _named(self, rows: list[_ReviewRow]) -> list[QueuedReview]:
        return [r.queued(self._db.tools[r.tool_id].tool.name) for r in rows]

    async def queued(self, limit: int, offset: int = 0) -> QueuePage:
        waiting = sorted(
            (r for r in self._db.reviews.values() if r.status is DraftStatus.QUEUED),
            key=lambda r: (r.created_at, r.id),
        )
        items = tuple(self._named(waiting[offset : offset + limit]))
        return QueuePage(items=items, total=len(waiting), offset=offset)

    async def get_many(self, ids: Sequence[int]) -> list[QueuedReview]:
        return self._named([self._db.reviews[i] for i in sorted(set(ids)) if i in self._db.reviews])

    async def decide(
        self, ids: Sequence[int], status: DraftStatus, actor: str, now: datetime
    ) -> list[int]:
        changed = []
        for review_id in sorted(set(ids)):
            row = self._db.reviews.get(review_id)
            if row is not None and row.status is DraftStatus.QUEUED:
                row.status, row.decided_by, row.decided_at = status, actor, now
                changed.append(review_id)
        return changed

    async def edit(
        self, review_id: int, verdict: Verdict, quote: str, flags: Sequence[str]
    ) -> bool:
        row = self._db.reviews.get(review_id)
        if row is None or row.status is not DraftStatus.QUEUED:
            return False
        row.verdict, row.quote, row.flags = verdict, quote, tuple(flags)
        return True

    async def covered_lenses(self) -> dict[int, set[Lens]]:
        covered: dict[int, set[Lens]] = {}
        for row in self._db.reviews.values():
            if row.status in (DraftStatus.QUEUED, DraftStatus.APPROVED):
                covered.setdefault(row.tool_id, set()).add(row.lens)
        return covered


class MemoryFactRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._db = store

    async def for_tools(self, tool_ids: Sequence[int]) -> dict[int, ToolFacts]:
        return {tid: self._db.facts.get(tid, ToolFacts()) for tid in tool_ids}

    async def changes_between(
        self, since: datetime, until: datetime, tool_ids: Sequence[int]
    ) -> list[CatalogChange]:
        return []  # catalog sync writes changes; there is none in memory


class MemoryMetaRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._db = store

    async def secret(self, key: str) -> str:
        return self._db.meta.setdefault(key, secrets.token_hex(16))


class MemoryWelcomeRepository:
    def __init__(self, store: MemoryStore) -> None:
        self._db = store

    async def claim(self, community: Community, at: datetime) -> bool:
        if community in self._db.welcomes:
            return False
        self._db.welcomes[community] = at
        return True


class MemoryUnitOfWork:
    """``async with uow: …; await uow.commit()``: a copy of the store, written back on commit."""

    def __init__(self, factory: MemoryUnitOfWorkFactory) -> None:
        self._factory = factory
        self._copy: MemoryStore | None = None

    async def __aenter__(self) -> MemoryUnitOfWork:
        await self._factory.lock.acquire()
        self._copy = copy.deepcopy(self._factory.store)
        self.tools = MemoryToolRepository(self._copy)
        self.facts = MemoryFactRepository(self._copy)
        self.cards = MemoryCardRepository(self._copy, self._factory.reads)
        self.votes = MemoryVoteRepository(self._copy)
        self.subscriptions = MemorySubscriptionRepository(self._copy)
        self.meta = MemoryMetaRepository(self._copy)
        self.reviews = MemoryReviewRepository(self._copy)
        self.welcomes = MemoryWelcomeRepository(self._copy)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._copy = None
        self._factory.lock.release()

    async def commit(self) -> None:
        assert self._copy is not None, "commit outside the unit of work"
        self._factory.store = self._copy
        self._factory.commits += 1
        self._copy = copy.deepcopy(self._copy)
        self._rebind(self._copy)

    def _rebind(self, store: MemoryStore) -> None:
        for repository in (
            self.tools,
            self.facts,
            self.cards,
            self.votes,
            self.subscriptions,
            self.meta,
            self.reviews,
            self.welcomes,
        ):
            repository._db = store


class MemoryUnitOfWorkFactory:
    """Makes units of work over one in-memory store (``store``, ``reads`` and ``commits`` are
    there for tests to look at)."""

    def __init__(self, store: MemoryStore | None = None) -> None:
        self.store = store or MemoryStore()
        self.reads = Reads()
        self.commits = 0
        self.lock = asyncio.Lock()

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)


if TYPE_CHECKING:  # mypy proves the fakes implement the ports
    _ports: UnitOfWorkFactory = MemoryUnitOfWorkFactory()
