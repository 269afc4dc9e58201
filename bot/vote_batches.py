"""Votes applied in batches: one transaction for every vote that arrives on a card meanwhile.

A vote used to be its own transaction of five or six round trips, so a busy card topped out at a
few hundred votes a second whatever the number of writers. Here each process has one queue: a
vote that finds the writer idle is applied at once, and the votes that arrive while a batch is
being written wait and go together in the next transaction, with one statement per step for the
whole batch (group commit). Each caller still hears back only after the commit that holds its vote, so an
acknowledged vote is always stored; a batch that fails reports the failure to every vote in it.

The rules are those of a single vote, applied in arrival order (``settle``): a re-delivered event
id changes nothing, a new side is a change, a retract with a side only withdraws that side. Only
each person's final state is written, which the trigger-kept counts see as one transition.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from bot.closing import refusal
from bot.errors import InvalidInput, NotFoundError, UserFacingError
from bot.ids import valid_row_id
from bot.models import (
    Delivery,
    PairIn,
    PostedCard,
    Side,
    VoteKey,
    Voter,
    VoterOn,
    VoteSource,
    VoteWrite,
)
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.retry import retry_transient

log = logging.getLogger(__name__)

MAX_BATCH = 256  # votes per transaction: bounds the statement size and the wait of the last one


@dataclass(frozen=True)
class VoteRequest:
    """One cast or retract, as an adapter hands it over."""

    voter: Voter
    card_id: int
    side: Side | None  # for a retract: only if this side is the current choice (None: any)
    source: VoteSource
    event_id: str | None
    retract: bool = False


@dataclass(frozen=True)
class VoteOutcome:
    """What a vote did, so an adapter can confirm it and refresh the cards that show the pair."""

    card: PostedCard
    choice: int | None  # the tool now chosen, None after a retract
    previous: int | None
    changed: bool
    refresh: tuple[int, ...]  # ids of cards whose community line is now stale
    choice_name: str = ""
    previous_name: str = ""
    duplicate: bool = False  # a re-delivered event: nothing was applied


class SettleStep(NamedTuple):
    """What one request did, in arrival order: the choice after it and before it, whether it
    changed the vote, and whether it was a re-delivery (nothing applied)."""

    choice: int | None
    previous: int | None
    changed: bool
    duplicate: bool


@dataclass(frozen=True)
class Settled:
    """The result of applying one pair's votes in order: one step per request, and what to
    write: rows to put and (user, stored choice) to delete."""

    steps: list[SettleStep]
    put: list[VoteWrite]
    delete: list[VoteKey]
    withdrawn: list[VoteKey] = field(default_factory=list)  # deletes not made by a reaction


def settle(
    requests: Sequence[tuple[VoteRequest, PostedCard]],
    stored: Mapping[str, int],
    first_deliveries: set[Delivery],
) -> Settled:
    """Apply one pair-and-community's ``requests`` in order to the ``stored`` choices (user →
    tool id). An event id not in ``first_deliveries`` (platform, id), or seen earlier in the
    batch, is a re-delivery and changes nothing."""
    state: dict[str, int | None] = dict(stored)
    last_cast: dict[str, tuple[VoteRequest, PostedCard]] = {}
    last_retract: dict[str, VoteRequest] = {}
    seen: set[str] = set()
    steps: list[SettleStep] = []
    for request, card in requests:
        user = request.voter.user_id
        current = state.get(user)
        if request.event_id is not None:
            delivery = Delivery(card.community.platform, request.event_id)
            if delivery not in first_deliveries or request.event_id in seen:
                steps.append(SettleStep(current, current, False, True))
                continue
            seen.add(request.event_id)
        if not request.retract:
            assert request.side is not None
            choice = card.tool_on(request.side)
            state[user] = choice
            last_cast[user] = (request, card)
            steps.append(SettleStep(choice, current, current != choice, False))
        elif current is not None and (
            request.side is None or current == card.tool_on(request.side)
        ):
            state[user] = None
            last_retract[user] = request
            steps.append(SettleStep(None, current, True, False))
        else:
            steps.append(SettleStep(current, current, False, False))
    put: list[VoteWrite] = []
    delete: list[VoteKey] = []
    withdrawn: list[VoteKey] = []
    for user, final in sorted(state.items()):
        before = stored.get(user)
        if final == before:
            continue
        if final is None and before is not None:
            request, card = requests[0]
            key = VoteKey(card.community, card.pair, user, before)
            delete.append(key)
            if last_retract[user].source is not VoteSource.REACTION:
                # A reaction may still be on the card: it must not bring this vote back.
                withdrawn.append(key)
        elif final is not None:
            request, card = last_cast[user]
            put.append(
                VoteWrite(
                    VoteKey(card.community, card.pair, user, final),
                    request.source,
                    card.id,
                    request.voter.created_at,
                )
            )
    return Settled(steps, put, delete, withdrawn)


EVENT_RETENTION = timedelta(hours=24)
"""How long an applied event id is remembered. Slack retries an event at most three times within
about five minutes, and a Discord gateway resume replays only a session's missed events (minutes),
so a day is far past every re-delivery."""
PRUNE_EVERY = timedelta(minutes=10)


@dataclass
class _Pending:
    request: VoteRequest
    future: asyncio.Future[VoteOutcome] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class VoteBatcher:
    """One queue of votes per process, written by one task in batches (see the module docstring).

    One writer per process: a process never waits on its own locks. Across processes (on
    PostgreSQL) a batch first locks the tools it touches, in id order (``lock_tools``): two
    batches that share a tool (and so could share a kept count or a vote row) run one after the
    other instead of taking those rows in opposite orders and deadlocking.
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        refresh_window: timedelta,
        max_refresh: int,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._refresh_window = refresh_window
        self._max_refresh = max_refresh
        self._queue: list[_Pending] = []
        self._writing = 0  # votes in the batch being written now
        self._writer: asyncio.Task[None] | None = None
        self._pruned_at: datetime | None = None

    @property
    def depth(self) -> int:
        """Votes received and not yet committed (queued, or in the batch being written)."""
        return len(self._queue) + self._writing

    async def submit(self, request: VoteRequest) -> VoteOutcome:
        """Queue one vote and return once it is committed. A vote without a person or with a
        card id no row can have is refused here, so it never joins (and fails) a batch."""
        if not request.voter.user_id.strip():
            raise InvalidInput("A vote needs the person who cast it; nothing was counted.")
        if not valid_row_id(request.card_id):
            raise NotFoundError("That card no longer exists. Run /compare again to vote.")
        pending = _Pending(request)
        self._queue.append(pending)
        if self._writer is None:  # idle: start the writer, which drains the queue
            self._writer = asyncio.create_task(self._drain())
        return await asyncio.shield(pending.future)

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[:MAX_BATCH]
                del self._queue[:MAX_BATCH]
                self._writing = len(batch)
                await self._write(batch)
                self._writing = 0
        finally:
            self._writing = 0
            self._writer = None
            for pending in self._queue:  # only if cancelled mid-way
                if not pending.future.done():
                    pending.future.cancel()
            self._queue.clear()

    async def _write(self, batch: list[_Pending]) -> None:
        try:
            outcomes = await self._apply([p.request for p in batch])
        except BaseException as error:  # every vote of the batch hears of the failure
            if not isinstance(error, UserFacingError):
                log.exception("vote batch failed", extra={"votes": len(batch)})
            for pending in batch:
                if not pending.future.done():
                    pending.future.set_exception(error)
            if not isinstance(error, Exception):
                raise
            return
        for pending, outcome in zip(batch, outcomes, strict=True):
            if pending.future.done():
                continue
            if isinstance(outcome, Exception):
                pending.future.set_exception(outcome)
            else:
                pending.future.set_result(outcome)

    @retry_transient
    async def _apply(self, requests: list[VoteRequest]) -> list[VoteOutcome | UserFacingError]:
        results: list[VoteOutcome | UserFacingError | None] = [None] * len(requests)
        async with self._uow() as uow:
            cards = await uow.cards.get_many_with_names(sorted({r.card_id for r in requests}))
            groups: dict[PairIn, list[int]] = {}
            now = self._clock.now()
            for n, request in enumerate(requests):
                found = cards.get(request.card_id)
                if found is None:
                    results[n] = NotFoundError(
                        "That card no longer exists. Run /compare again to vote."
                    )
                elif request.voter.community != found.card.community:
                    results[n] = NotFoundError("That card belongs to another community.")
                elif (ended := found.card.closed_since(now)) is not None:
                    results[n] = refusal(found.card, found.names, ended)
                else:
                    groups.setdefault(PairIn(found.card.community, found.card.pair), []).append(n)
            if groups:
                order = sorted(groups, key=_group_order)
                await uow.votes.lock_tools(sorted({t for _, p in order for t in (p.low, p.high)}))
                deliveries = [
                    Delivery(cards[requests[n].card_id].card.community.platform, event)
                    for members in groups.values()
                    for n in members
                    if (event := requests[n].event_id) is not None
                ]
                claimed = await uow.votes.claim_events(deliveries)
                if deliveries:
                    await self._prune_events(uow)
                stored = await uow.votes.choices(
                    [
                        VoterOn(group.community, group.pair, user)
                        for group in order
                        for user in sorted({requests[n].voter.user_id for n in groups[group]})
                    ]
                )
                since = self._clock.now() - self._refresh_window
                live = await uow.cards.live_ids(order, since, self._max_refresh)
                puts: list[VoteWrite] = []
                deletes: list[VoteKey] = []
                withdrawn: list[VoteKey] = []
                for group in order:
                    members = groups[group]
                    paired = [(requests[n], cards[requests[n].card_id].card) for n in members]
                    settled = settle(paired, stored.get(group, {}), claimed)
                    puts += settled.put
                    deletes += settled.delete
                    withdrawn += settled.withdrawn
                    for n, step in zip(members, settled.steps, strict=True):
                        card, names = (
                            cards[requests[n].card_id].card,
                            cards[requests[n].card_id].names,
                        )
                        refresh = tuple(sorted({*live.get(group, ()), card.id}))
                        results[n] = _outcome(requests[n], card, names, step, refresh)
                await uow.votes.delete_many(deletes)
                await uow.votes.put_many(puts)
                await uow.votes.mark_withdrawn(withdrawn)
                await uow.votes.clear_withdrawn([write.key for write in puts])
            await uow.commit()
        return [result for result in results if result is not None]

    async def _prune_events(self, uow: UnitOfWork) -> None:
        """Forget event ids older than every platform's retry window (``EVENT_RETENTION``), at
        most every ``PRUNE_EVERY``: ``processed_events`` stays small however long the bot runs."""
        now = self._clock.now()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        removed = await uow.votes.prune_events(now - EVENT_RETENTION)
        if removed:
            log.info("old event ids pruned", extra={"removed": removed})

    async def refresh_ids(self, uow: UnitOfWork, card: PostedCard) -> tuple[int, ...]:
        """The card and the newest posted cards of its pair here: those a vote makes stale.

        Every card shows the live tally when re-rendered; keeping the newest few in step is what
        people see, and it bounds the edits one vote causes however often a pair is asked."""
        since = self._clock.now() - self._refresh_window
        group = PairIn(card.community, card.pair)
        live = await uow.cards.live_ids([group], since, self._max_refresh)
        return tuple(sorted({*live.get(group, ()), card.id}))


def _group_order(group: PairIn) -> tuple[int, int, str, str]:
    community, pair = group
    return pair.low, pair.high, community.platform, community.id


def _outcome(
    request: VoteRequest,
    card: PostedCard,
    names: Mapping[int, str],
    step: SettleStep,
    refresh: tuple[int, ...],
) -> VoteOutcome:
    choice, previous, changed, duplicate = step
    if not duplicate:
        log.info(
            "vote retracted" if request.retract else "vote cast",
            extra={
                "card": card.id,
                "user": request.voter.user_id,
                "choice": choice,
                "changed": changed,
            },
        )
    return VoteOutcome(
        card,
        choice,
        previous,
        changed,
        () if duplicate else refresh,
        choice_name=names.get(choice, "") if choice else "",
        previous_name=names.get(previous, "") if previous else "",
        duplicate=duplicate,
    )
