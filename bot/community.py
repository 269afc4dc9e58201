"""Community use cases: the leaderboard, vote export, digest subscriptions and the digest."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.admin import Actor
from bot.cards import PanelScore
from bot.digest import TITLE, Digest, DigestPair, Mover, next_run, zone
from bot.digest_retry import retry_at
from bot.errors import InvalidInput, PermissionDenied
from bot.leaderboard import ELO_BASE, Strength, fit_bradley_terry
from bot.models import Community, Pair, Subscription, Tool, Verdict
from bot.ports import Clock, UnitOfWorkFactory
from bot.retry import retry_use_cases
from bot.service import SystemClock
from bot.votes import Split

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
EVER = datetime(2000, 1, 1, tzinfo=UTC)  # "this community compared" means ever


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    name: str
    category: str
    rating: int
    low: int
    high: int
    n: int
    provisional: bool
    panel: str  # "75% · 3/4" or "no panel yet"
    shared: bool = False  # another row has the same rank: their intervals overlap


@dataclass(frozen=True)
class Leaderboard:
    rows: tuple[LeaderboardRow, ...]
    category: str | None
    votes: int
    min_votes: int
    community: Community | None = None  # whose votes: None is every community


@dataclass(frozen=True)
class ExportRow:
    pair: str
    choice: str
    platform: str
    community: str
    user: str  # a salted hash unless raw ids were asked for
    source: str
    time: str


@dataclass(frozen=True)
class CommunityConfig:
    min_votes: int = 5
    leaderboard_min_votes: int = 10
    weekday: int = 0
    hour: int = 9
    timezone: str = "UTC"
    salt: str | None = None
    min_account_age: timedelta | None = None


@retry_use_cases
class CommunityService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        config: CommunityConfig | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._uow = uow
        self.config = config or CommunityConfig()
        self._clock = clock or SystemClock()

    async def first_welcome(self, community: Community) -> bool:
        """Record that shipbot welcomed ``community`` now: True the first time ever, so the
        welcome is posted once however often shipbot rejoins or restarts."""
        async with self._uow() as uow:
            first = await uow.welcomes.claim(community, self._clock.now())
            await uow.commit()
        return first

    def _voters_before(self) -> datetime | None:
        age = self.config.min_account_age
        return self._clock.now() - age if age else None

    async def leaderboard(
        self, category: str | None = None, limit: int = 25, community: Community | None = None
    ) -> Leaderboard:
        """Bradley–Terry ratings over the pairwise votes of ``community`` (None: everywhere).

        Settled rows (at least ``leaderboard_min_votes``) come first, best first, then the
        provisional ones: a 3-vote tool never tops tools with many votes. A rank is shared where
        intervals overlap: a row's rank is one more than the rows of its group that are better
        beyond doubt (their interval's low end above its high end). An unknown category is an
        error that suggests the catalog's nearest ones."""
        async with self._uow() as uow:
            wins = await uow.votes.pair_wins(self._voters_before(), community=community)
            tools = {t.id: t for t in await uow.tools.list_all()}
        if category:
            category = _known_category(category, {t.category for t in tools.values()})
        fit = fit_bradley_terry(wins)
        minimum = self.config.leaderboard_min_votes
        items = [item for item in fit.items() if item[0] in tools]
        if category:
            items = [item for item in items if tools[item[0]].category == category]
        rows: list[LeaderboardRow] = []
        for provisional in (False, True):
            group = sorted(
                (item for item in items if (item[1].n < minimum) is provisional),
                key=lambda item: (-item[1].rating, tools[item[0]].name),
            )
            above = len(rows)
            for tool_id, strength in group:
                high = strength.interval[1]
                better = sum(1 for _, other in group if other.interval[0] > high)
                rows.append(_row(above + better + 1, tools[tool_id], strength, minimum))
        shared = {row.rank for row in rows if sum(r.rank == row.rank for r in rows) > 1}
        marked = tuple(replace(row, shared=row.rank in shared) for row in rows[:limit])
        return Leaderboard(marked, category, sum(wins.values()), minimum, community)

    async def export_votes(
        self, actor: Actor, raw_ids: bool = False, community: Community | None = None
    ) -> list[ExportRow]:
        """Every vote (of one community, when given), one row each; user ids are salted hashes
        unless a local admin asks. A platform admin should always pass their community."""
        actor.require_admin("export the votes")
        if community is None and not actor.is_local:
            # A community admin exports their own community only, filtered in SQL.
            raise PermissionDenied("Only an admin on the server itself can export every community.")
        if raw_ids and not actor.is_local:
            raise PermissionDenied(
                "Raw user ids can only be exported by an admin on the server itself."
            )
        async with self._uow() as uow:
            salt = self.config.salt or await uow.meta.secret("export_salt")
            records = await uow.votes.records(community)
            await uow.commit()
        return [
            ExportRow(
                pair=f"{r.tool_a} vs {r.tool_b}",
                choice=r.choice,
                platform=r.platform,
                community=r.community,
                user=r.user_id if raw_ids else _hash(salt, r.platform, r.community, r.user_id),
                source=r.source,
                time=r.updated_at.isoformat(),
            )
            for r in records
        ]

    async def subscribe(
        self,
        community: Community,
        channel: str,
        actor: Actor,
        weekday: int | None = None,
        hour: int | None = None,
        timezone: str | None = None,
    ) -> Subscription:
        actor.require_admin("subscribe a channel to the digest")
        weekday = self.config.weekday if weekday is None else weekday
        hour = self.config.hour if hour is None else hour
        timezone = timezone or self.config.timezone
        zone(timezone)
        first = next_run(self._clock.now(), weekday, hour, timezone)
        async with self._uow() as uow:
            subscription = await uow.subscriptions.put(
                community, channel, weekday, hour, timezone, first, actor.display
            )
            await uow.commit()
        log.info(
            "digest subscribed", extra={"channel": channel, "actor": actor.display, "next": first}
        )
        return subscription

    async def unsubscribe(self, community: Community, channel: str, actor: Actor) -> bool:
        actor.require_admin("unsubscribe a channel from the digest")
        async with self._uow() as uow:
            removed = await uow.subscriptions.remove(community, channel)
            await uow.commit()
        log.info("digest unsubscribed", extra={"channel": channel, "actor": actor.display})
        return removed

    async def digest(self, community: Community | None, until: datetime | None = None) -> Digest:
        """The week's verdicts for a community (None: everywhere)."""
        until = until or self._clock.now()
        since = until - WEEK
        async with self._uow() as uow:
            counts = await uow.cards.pair_counts(community, since, until)
            pairs = []
            for low, high, cards in counts[:5]:
                pair = Pair(low, high)
                tally = await uow.votes.tally(pair, community, self._voters_before())
                a, b = await uow.tools.get(low), await uow.tools.get(high)
                if a and b:
                    split = Split(tally.votes_for(a.id), tally.votes_for(b.id))
                    pairs.append(DigestPair(a.name, b.name, cards, split))
            before = fit_bradley_terry(
                await uow.votes.pair_wins(self._voters_before(), until=since)
            )
            now = fit_bradley_terry(await uow.votes.pair_wins(self._voters_before(), until=until))
            names = {t.id: t.name for t in await uow.tools.list_all()}
            new_tools = tuple(t.name for t in await uow.tools.added_between(since, until))
            compared = await uow.cards.pair_counts(community, EVER, until)
            watched = sorted({tool for low, high, _ in compared for tool in (low, high)})
            changes = await uow.facts.changes_between(since, until, watched)
        # A tool with no votes before the week starts from the neutral rating.
        start = {t: before[t].rating if t in before else ELO_BASE for t in now}
        movers = sorted(
            (
                Mover(names[t], round(now[t].rating), round(now[t].rating - start[t]))
                for t in now
                if t in names and round(now[t].rating - start[t]) != 0
            ),
            key=lambda m: (-abs(m.change), m.name),
        )[:3]
        watch = tuple(dict.fromkeys(change.detail for change in changes))[:10]
        return Digest(TITLE, since, until, tuple(pairs), tuple(movers), new_tools, watch)

    async def claim_due(self, platform: str) -> list[tuple[Subscription, datetime]]:
        """Claim every due subscription of a platform; each is returned to exactly one caller.

        A missed run (the bot was down) is due once: its next run is computed from now, so the
        weeks missed are not posted one after another."""
        now = self._clock.now()
        claimed = []
        async with self._uow() as uow:
            for subscription in await uow.subscriptions.due(platform, now):
                following = next_run(
                    now, subscription.weekday, subscription.hour, subscription.timezone
                )
                if await uow.subscriptions.claim(subscription, following, now):
                    claimed.append((subscription, following))
            await uow.commit()
        return claimed

    async def release(self, subscription: Subscription, claimed_next: datetime) -> None:
        async with self._uow() as uow:
            await uow.subscriptions.release(subscription, claimed_next)
            await uow.commit()

    async def digest_failed(
        self, subscription: Subscription, claimed_next: datetime
    ) -> datetime | None:
        """A claimed run failed to post: back off and try again (when is returned), or after too
        many failures give this run up (``None``; the next weekly run is ``claimed_next``)."""
        now = self._clock.now()
        failures, since = subscription.failures + 1, subscription.failing_since or now
        retry = retry_at(failures, since, now)
        async with self._uow() as uow:
            if retry is None:
                await uow.subscriptions.defer(subscription, claimed_next, claimed_next, 0, None)
            else:
                await uow.subscriptions.defer(subscription, claimed_next, retry, failures, since)
            await uow.commit()
        return retry

    async def digest_posted(self, subscription: Subscription) -> None:
        """A run posted: a past failure streak is over."""
        if subscription.failures or subscription.failing_since:
            async with self._uow() as uow:
                await uow.subscriptions.clear_failures(subscription.id)
                await uow.commit()

    async def drop_subscription(self, subscription: Subscription) -> bool:
        """Unsubscribe a channel the platform says is gone or closed to shipbot (no admin
        asked: the scheduler does it, and logs it)."""
        async with self._uow() as uow:
            removed = await uow.subscriptions.remove(subscription.community, subscription.channel)
            await uow.commit()
        return removed


def _known_category(asked: str, categories: set[str]) -> str:
    """The catalog's spelling of ``asked`` (any case); an unknown one is an error with the
    nearest categories."""
    import difflib

    wanted = asked.strip().casefold()
    for name in categories:
        if name.casefold() == wanted:
            return name
    by_folded = {name.casefold(): name for name in categories}
    near = difflib.get_close_matches(wanted, list(by_folded), n=3, cutoff=0.4)
    hint = ", ".join(by_folded[n] for n in near) or ", ".join(sorted(categories)[:5])
    raise InvalidInput(f"No category called '{asked.strip()[:60]}'. Try: {hint}.")


def _row(rank: int, tool: Tool, strength: Strength, min_votes: int) -> LeaderboardRow:
    low, high = strength.interval
    ships = sum(1 for r in tool.reviews if r.verdict is Verdict.SHIP)
    return LeaderboardRow(
        rank=rank,
        name=tool.name,
        category=tool.category,
        rating=round(strength.rating),
        low=round(low),
        high=round(high),
        n=strength.n,
        provisional=strength.n < min_votes,
        panel=PanelScore(ships, len(tool.reviews)).label,
    )


def _hash(salt: str, platform: str, community: str, user_id: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{platform}\x1f{community}\x1f{user_id}".encode()).hexdigest()[
        :16
    ]
