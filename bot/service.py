"""Use cases people reach from every platform: compare two tools, vote, refresh a card."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.admin import Actor
from bot.cards import DEFAULT_WORKLOAD, NO_VOTES, VerdictCard, build_card, community_line
from bot.catalog_index import CatalogIndex, resolved_name
from bot.closing import CloseOutcome, close_vote, with_closing
from bot.errors import AmbiguousTool, InvalidInput, NotFoundError, SameTool, UnknownTool
from bot.facts import Workload
from bot.ids import valid_row_id
from bot.matching import ToolMatcher
from bot.models import (
    CardCounts,
    Community,
    Lens,
    Pair,
    PostedCard,
    Share,
    Side,
    Tool,
    Voter,
    VoteSource,
)
from bot.parsing import CompareRequest, parse_compare
from bot.permalinks import page_url
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.retry import retry_use_cases
from bot.sides import PairCard
from bot.vote_batches import VoteBatcher, VoteOutcome, VoteRequest
from bot.votes import Split, percent

log = logging.getLogger(__name__)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class Unresolved:
    """A compare whose names did not both resolve: what was asked and the core's answer, so an
    adapter can offer a did-you-mean without parsing the text again."""

    request: CompareRequest
    error: UnknownTool | AmbiguousTool


@dataclass(frozen=True)
class CardView:
    """A posted card and its current content (fresh tallies), read together."""

    posted: PostedCard
    card: VerdictCard


@dataclass(frozen=True)
class ServiceConfig:
    """The knobs of the core, filled from settings by the composition root."""

    min_votes: int = 5
    refresh_window: timedelta = timedelta(days=7)
    min_account_age: timedelta | None = None  # younger accounts are left out of tallies
    max_refresh: int = 10  # cards of one pair kept live per community (the newest)
    public_url: str = ""  # base of the web pages; cards link their pair's page when set
    workload: Workload = DEFAULT_WORKLOAD  # tokens a month the pricing read prices


@retry_use_cases
class ShipService:
    """Compare and vote. Stateless apart from the name index, so any worker can serve any event."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        index: CatalogIndex | None = None,
        clock: Clock | None = None,
        config: ServiceConfig | None = None,
    ) -> None:
        self._uow = uow
        self.index = index or CatalogIndex()
        self._clock = clock or SystemClock()
        self.config = config or ServiceConfig()
        self._votes = VoteBatcher(
            uow,
            self._clock,
            self.config.refresh_window,
            self.config.max_refresh,
        )

    def vote_queue_depth(self) -> int:
        """Votes received by this process and not yet committed."""
        return self._votes.depth

    async def matcher(self) -> ToolMatcher:
        async with self._uow() as uow:
            return await self.index.matcher(uow.tools)

    async def parse(self, text: str, lens: Lens | None = None) -> CompareRequest:
        return parse_compare(text, await self.matcher(), lens)

    async def compare(
        self, text: str, community: Community, lens: Lens | None = None
    ) -> VerdictCard:
        """``/compare`` from raw text: parse, resolve both names, build the card.

        Three round trips in one transaction: the catalog revision, both tools, all the counts."""
        async with self._uow() as uow:
            request = parse_compare(text, await self.index.matcher(uow.tools), lens)
            a, b = await self._tools(uow, request.a, request.b)
            return await self._card(
                uow, a, b, community, request.lens, card_id=None, workload=request.workload
            )

    async def open_compare(
        self,
        ask: str | CompareRequest,
        community: Community,
        channel: str,
        lens: Lens | None = None,
        asked_by: str | None = None,
    ) -> VerdictCard | Unresolved:
        """``/compare`` about to be posted: parse (when ``ask`` is text), resolve both names, build
        the card and register it, in one transaction. Names that don't resolve come back as
        ``Unresolved`` (nothing registered); any other bad input raises its user-facing error."""
        async with self._uow() as uow:
            if isinstance(ask, CompareRequest):
                request = ask
            else:
                request = parse_compare(ask, await self.index.matcher(uow.tools), lens)
            try:
                a, b = await self._tools(uow, request.a, request.b)
            except (UnknownTool, AmbiguousTool) as error:
                return Unresolved(request, error)
            now = self._clock.now()
            closes_at = now + request.duration if request.duration else None
            posted = await uow.cards.create(
                community, channel, a.id, b.id, request.lens, asked_by, closes_at
            )
            card = await self._card(
                uow, a, b, community, request.lens, card_id=posted.id, workload=request.workload
            )
            await uow.commit()
        return with_closing(card, posted, now)

    async def card_view(self, card_id: int) -> CardView:
        """A posted card with its current content, reading the card once (e.g. to refresh it).
        ``NotFoundError`` when the card or one of its tools is gone."""
        async with self._uow() as uow:
            posted = await self._posted(uow, card_id)
            return CardView(posted, await self._posted_card(uow, posted))

    async def compare_names(
        self, a: str, b: str, community: Community, lens: Lens | None = None
    ) -> VerdictCard:
        """The card for two names as typed (each resolved on its own), e.g. from a search form."""
        async with self._uow() as uow:
            tool_a, tool_b = await self._tools(uow, a, b)
            return await self._card(uow, tool_a, tool_b, community, lens, card_id=None)

    async def compare_ids(
        self, a_id: int, b_id: int, community: Community, lens: Lens | None = None
    ) -> VerdictCard:
        """The card for two tools known by id (a live page); NotFoundError if one is gone."""
        if a_id == b_id:
            raise InvalidInput("Pick two different tools.")
        async with self._uow() as uow:
            a, b = await uow.tools.get(a_id), await uow.tools.get(b_id)
            if a is None or b is None:
                raise NotFoundError("One of those tools has been removed from the catalog.")
            return await self._card(uow, a, b, community, lens, card_id=None)

    async def compare_slugs(self, a: str, b: str, community: Community) -> VerdictCard:
        """The card for two tools named in a page URL: each by its exact catalog slug, or else by
        whatever the matcher resolves the text to (``-`` read as a space). Raises UnknownTool /
        AmbiguousTool naming the side that does not resolve, SameTool for one tool twice."""
        async with self._uow() as uow:
            found = await uow.tools.get_many_by_slug([a, b])
            if a not in found or b not in found:
                matcher = await self.index.matcher(uow.tools)
                names = {
                    text: resolved_name(matcher, text.replace("-", " ").replace("_", " "))
                    for text in (a, b)
                    if text not in found
                }
                by_name = await uow.tools.get_many_by_name(list(names.values()))
                for text, name in names.items():
                    if name not in by_name:
                        self.index.invalidate()
                        raise NotFoundError(f"'{name}' was just removed from the catalog.")
                    found[text] = by_name[name]
            tool_a, tool_b = found[a], found[b]
            if tool_a.id == tool_b.id:
                raise SameTool(tool_a.name)
            return await self._card(uow, tool_a, tool_b, community, None, card_id=None)

    async def pair_counts(self, a_id: int, b_id: int, community: Community) -> CardCounts:
        """The kept counts a card of this pair shows (one read): what live pages poll."""
        async with self._uow() as uow:
            return await uow.votes.card_counts(Pair.of(a_id, b_id), community, self.voters_before())

    async def pair_card(
        self,
        text: str,
        community: Community,
        channel: str,
        *,
        open_missing: bool = True,
        pick: str | None = None,
    ) -> PairCard | Unresolved:
        """The card a vote by text (``shipbot vote``) goes on: the community's latest card of the
        pair, either way round, so repeated votes don't inflate "compared N×"; a new one only
        when there is none (no card instead when not ``open_missing``, e.g. to read a vote).
        A ``pick`` that names neither tool is refused before any card is opened."""
        async with self._uow() as uow:
            request = parse_compare(text, await self.index.matcher(uow.tools))
            try:
                a, b = await self._tools(uow, request.a, request.b)
            except (UnknownTool, AmbiguousTool) as error:
                return Unresolved(request, error)
            if pick is not None:
                PairCard(None, (a, b)).chosen(pick)
            posted = await uow.cards.latest(community, Pair.of(a.id, b.id))
            if posted is None and not open_missing:
                return PairCard(None, (a, b))
            if posted is None:
                posted = await uow.cards.create(community, channel, a.id, b.id, None)
            card = await self._posted_card(uow, posted)
            await uow.commit()
        return PairCard(card, (a, b))

    async def complete(self, prefix: str, k: int = 25) -> tuple[str, ...]:
        """Names for a partly typed one: the matcher's best, with the tools people wrote before
        the thousands of synced models (so "Mistral" offers the hand-written Mistral tools)."""
        found = (await self.matcher()).complete(prefix, max(k * 8, 200))
        written = self.index.written
        return tuple(sorted(found, key=lambda name: name not in written)[:k])

    async def open_card(self, card: VerdictCard, community: Community, channel: str) -> VerdictCard:
        """Register a card about to be posted, so its buttons and reactions map back to the pair."""
        async with self._uow() as uow:
            posted = await uow.cards.create(
                community, channel, card.a.tool_id, card.b.tool_id, card.lens
            )
            await uow.commit()
        return _with_id(card, posted.id)

    async def discard_card(self, card_id: int) -> None:
        """Forget a card that could not be posted (e.g. the bot is not in the channel)."""
        async with self._uow() as uow:
            await uow.cards.discard(card_id)
            await uow.commit()

    async def attach_message(self, card_id: int, message_id: str) -> None:
        async with self._uow() as uow:
            await uow.cards.attach_message(card_id, message_id)
            await uow.commit()

    async def card_by_message(
        self, platform: str, channel: str, message_id: str
    ) -> PostedCard | None:
        async with self._uow() as uow:
            return await uow.cards.by_message(platform, channel, message_id)

    async def posted_card(self, card_id: int) -> PostedCard:
        async with self._uow() as uow:
            return await self._posted(uow, card_id)

    async def recent_cards(self, platform: str, window: timedelta) -> list[PostedCard]:
        async with self._uow() as uow:
            return await uow.cards.recent(platform, self._clock.now() - window)

    async def render_posted(self, card_id: int) -> VerdictCard:
        """The current card for a posted message (fresh tallies), e.g. to refresh it."""
        async with self._uow() as uow:
            return await self._posted_card(uow, await self._posted(uow, card_id))

    async def cast_vote(
        self,
        voter: Voter,
        card_id: int,
        side: Side,
        source: VoteSource,
        event_id: str | None = None,
    ) -> VoteOutcome:
        """One vote per person per pair per community: a repeat is a no-op, a new side a change.

        With ``event_id`` (the platform's id for the event), a re-delivered event is ignored, so a
        late retry of an old reaction can never undo a newer vote. Returns once the vote is
        committed (votes arriving together share a transaction: bot.vote_batches).
        """
        return await self._votes.submit(VoteRequest(voter, card_id, side, source, event_id))

    async def retract_vote(
        self,
        voter: Voter,
        card_id: int,
        side: Side | None,
        source: VoteSource,
        event_id: str | None = None,
    ) -> VoteOutcome:
        """Withdraw a vote. With ``side``, only if that side is the current choice: removing the
        reaction of an earlier, since-changed choice must not delete the newer vote."""
        request = VoteRequest(voter, card_id, side, source, event_id, retract=True)
        return await self._votes.submit(request)

    async def reconcile_reactions(
        self,
        card_id: int,
        reacting: Mapping[Side, Collection[str]],
        as_of: datetime | None = None,
    ) -> tuple[int, ...]:
        """Bring reaction votes on one card in line with the reactions it carries now.

        Used after a restart: ``reacting`` lists, per side, the users (bots excluded) whose
        reaction is on the message. A user reacting on one side gets that vote unless they voted
        by button or command since (those are kept); a reaction vote made on this card whose
        reaction is gone is withdrawn. Someone on both sides keeps their current vote.
        Votes written after ``as_of`` (when the reactions were read) are newer than the snapshot
        and left alone. Returns the card ids to refresh (empty when nothing changed).
        """
        async with self._uow() as uow:
            card = await self._posted(uow, card_id)
            if card.closed_since(self._clock.now()) is not None:
                return ()  # a closed vote keeps its final split
            a_users, b_users = set(reacting.get(Side.A, ())), set(reacting.get(Side.B, ()))
            existing = await uow.votes.votes_on_card(card.id)
            # Whoever withdrew by button or command since keeps it withdrawn, reaction or not.
            withdrew = await uow.votes.withdrawn(
                card.community, card.pair, sorted(a_users ^ b_users)
            )
            changed = 0
            for user, side in [(u, Side.A) for u in a_users - b_users] + [
                (u, Side.B) for u in b_users - a_users
            ]:
                choice = card.tool_on(side)
                current = await uow.votes.vote(card.community, user, card.pair)
                if current is None and user in withdrew:
                    continue
                if current and (
                    current.source != VoteSource.REACTION.value or _newer(current.updated_at, as_of)
                ):
                    continue
                if current is None or current.choice != choice:
                    await uow.votes.upsert(
                        card.community, user, card.pair, choice, VoteSource.REACTION, card.id
                    )
                    changed += 1
            for user, (choice, source, updated) in existing.items():
                if source != VoteSource.REACTION.value or _newer(updated, as_of):
                    continue
                side = Side.A if choice == card.tool_a else Side.B
                if user not in (a_users if side is Side.A else b_users):
                    await uow.votes.delete(card.community, user, card.pair, choice)
                    changed += 1
            refresh = await self._refresh_ids(uow, card) if changed else ()
            await uow.commit()
        log.info("reactions reconciled", extra={"card": card_id, "changes": changed})
        return refresh

    async def claim_refresh(self, card_id: int, interval: float) -> float | None:
        """The right to edit a card now (None), or the seconds until another process's window ends."""
        now = self._clock.now()
        async with self._uow() as uow:
            granted_until = await uow.cards.claim_refresh(card_id, now, timedelta(seconds=interval))
            await uow.commit()
        if granted_until is None:
            return None
        return max(0.0, (granted_until - now).total_seconds())

    async def close_vote(self, card_id: int, actor: Actor) -> CloseOutcome:
        """Close a card's vote (``bot.closing``): admins and the person who asked."""
        return await close_vote(self._uow, self._clock, card_id, actor, self.voters_before())

    async def my_vote(self, voter: Voter, card_id: int) -> str | None:
        """The name of the tool this person picked for the card's pair, if any (only for them)."""
        async with self._uow() as uow:
            card = await self._posted(uow, card_id)
            choice = await uow.votes.choice(voter.community, voter.user_id, card.pair)
            tool = await uow.tools.get(choice) if choice else None
            return tool.name if tool else None

    async def _tools(self, uow: UnitOfWork, a: str, b: str) -> tuple[Tool, Tool]:
        """The two tools people mean by ``a`` and ``b``, loaded in one query."""
        for _attempt in range(2):
            matcher = await self.index.matcher(uow.tools)
            name_a, name_b = resolved_name(matcher, a), resolved_name(matcher, b)
            if name_a == name_b:
                raise SameTool(name_a)
            found = await uow.tools.get_many_by_name([name_a, name_b])
            if name_a in found and name_b in found:
                return found[name_a], found[name_b]
            self.index.invalidate()  # removed between the index load and now: look again
        gone = name_a if name_a not in found else name_b
        raise NotFoundError(f"'{gone}' was just removed from the catalog.")

    async def _card(
        self,
        uow: UnitOfWork,
        a: Tool,
        b: Tool,
        community: Community,
        lens: Lens | None,
        card_id: int | None,
        workload: Workload | None = None,
    ) -> VerdictCard:
        pair = Pair.of(a.id, b.id)
        counts = await uow.votes.card_counts(pair, community, self.voters_before())
        here, everywhere = counts.here, counts.everywhere
        line = community_line(
            a.name,
            b.name,
            Split(here.votes_for(a.id), here.votes_for(b.id)),
            Split(everywhere.votes_for(a.id), everywhere.votes_for(b.id)),
            self.config.min_votes,
        )
        shares = (_share(counts.shares[a.id]), _share(counts.shares[b.id]))
        link = page_url(self.config.public_url, (a.id, a.slug), (b.id, b.slug), community)
        facts = await uow.facts.for_tools([a.id, b.id])
        return build_card(
            a,
            b,
            community=line,
            tool_shares=shares,
            lens=lens,
            card_id=card_id,
            page_url=link,
            facts=(facts[a.id], facts[b.id]),
            workload=workload or self.config.workload,
        )

    def voters_before(self) -> datetime | None:
        """Accounts created after this moment are too new to count (None: everyone counts)."""
        if not self.config.min_account_age:
            return None
        return self._clock.now() - self.config.min_account_age

    async def _posted(self, uow: UnitOfWork, card_id: int) -> PostedCard:
        card = await uow.cards.get(card_id) if valid_row_id(card_id) else None
        if card is None:
            raise NotFoundError("That card no longer exists. Run /compare again to vote.")
        return card

    async def _posted_card(self, uow: UnitOfWork, posted: PostedCard) -> VerdictCard:
        a, b = await uow.tools.get(posted.tool_a), await uow.tools.get(posted.tool_b)
        if a is None or b is None:
            raise NotFoundError("One of this card's tools has been removed from the catalog.")
        card = await self._card(uow, a, b, posted.community, posted.lens, card_id=posted.id)
        return with_closing(card, posted, self._clock.now())

    async def _refresh_ids(self, uow: UnitOfWork, card: PostedCard) -> tuple[int, ...]:
        return await self._votes.refresh_ids(uow, card)


def _share(share: Share) -> str:
    if share.votes == 0:
        return NO_VOTES
    return f"{percent(share.picks, share.votes)}% · n = {share.votes}"


def _newer(updated: datetime, as_of: datetime | None) -> bool:
    return as_of is not None and updated > as_of


def _with_id(card: VerdictCard, card_id: int) -> VerdictCard:
    from dataclasses import replace

    return replace(card, card_id=card_id)
