"""The approval queue: list, read, edit, approve and reject drafts; members submit takes.

Admin rights are checked here, in the core, so no surface can forget to.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.admin import Actor
from bot.catalog_index import CatalogIndex
from bot.errors import InvalidInput, NotFoundError
from bot.models import Lens, ReviewKind, Verdict
from bot.panel.models import Decision, DraftStatus, NewDraft, QueuedReview, QueuePage
from bot.panel.rules import AUTHOR_MAX, flags_for, valid_quote
from bot.ports import Clock, UnitOfWorkFactory

log = logging.getLogger(__name__)

PAGE = 5
ALL_AT_ONCE = 500  # ``approve --all`` decides at most this many per call


class ReviewQueue:
    def __init__(self, uow: UnitOfWorkFactory, index: CatalogIndex, clock: Clock) -> None:
        self._uow = uow
        self._index = index
        self._clock = clock

    async def page(self, actor: Actor, offset: int = 0, limit: int = PAGE) -> QueuePage:
        actor.require_admin("read the review queue")
        async with self._uow() as uow:
            return await uow.reviews.queued(max(1, limit), max(0, offset))

    async def get(self, actor: Actor, review_id: int) -> QueuedReview:
        actor.require_admin("read the review queue")
        async with self._uow() as uow:
            found = await uow.reviews.get_many([review_id])
        if not found:
            raise NotFoundError(f"No draft #{review_id}.")
        return found[0]

    async def approve(self, actor: Actor, ids: Sequence[int]) -> Decision:
        return await self._decide(actor, ids, DraftStatus.APPROVED)

    async def reject(self, actor: Actor, ids: Sequence[int]) -> Decision:
        return await self._decide(actor, ids, DraftStatus.REJECTED)

    async def approve_all(self, actor: Actor) -> Decision:
        actor.require_admin("approve drafts")
        async with self._uow() as uow:
            page = await uow.reviews.queued(ALL_AT_ONCE)
        return await self._decide(actor, [item.id for item in page.items], DraftStatus.APPROVED)

    async def _decide(self, actor: Actor, ids: Sequence[int], status: DraftStatus) -> Decision:
        verb = "approve" if status is DraftStatus.APPROVED else "reject"
        actor.require_admin(f"{verb} drafts")
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            raise InvalidInput(f"Say which drafts to {verb}: one or more ids.")
        async with self._uow() as uow:
            changed = await uow.reviews.decide(wanted, status, actor.display, self._clock.now())
            rows = await uow.reviews.get_many(changed)
            await uow.commit()
        missing = tuple(i for i in wanted if i not in set(changed))
        log.info(
            "drafts decided",
            extra={"status": status.value, "ids": changed, "actor": actor.display},
        )
        return Decision(changed=tuple(rows), missing=missing)

    async def edit(
        self,
        actor: Actor,
        review_id: int,
        *,
        quote: str | None = None,
        verdict: str | None = None,
    ) -> QueuedReview:
        """Change a queued draft's words or verdict (then flag its numbers again)."""
        actor.require_admin("edit drafts")
        draft = await self.get(actor, review_id)
        if draft.status is not DraftStatus.QUEUED:
            raise InvalidInput(
                f"Draft #{review_id} is {draft.status.value}; only queued drafts change."
            )
        if quote is None and verdict is None:
            raise InvalidInput("Nothing to change: give a new quote or verdict.")
        new_quote = valid_quote(quote) if quote is not None else draft.quote
        new_verdict = parse_verdict(verdict) if verdict is not None else draft.verdict
        facts = draft.receipt.facts if draft.receipt else ()
        flags = flags_for(new_quote, facts) if draft.kind is ReviewKind.AI_DRAFT else ()
        async with self._uow() as uow:
            if not await uow.reviews.edit(review_id, new_verdict, new_quote, flags):
                raise InvalidInput(f"Draft #{review_id} was decided meanwhile; nothing changed.")
            await uow.commit()
        return await self.get(actor, review_id)

    async def submit_take(
        self,
        author: Actor,
        tool_name: str,
        lens: str,
        verdict: str,
        quote: str,
    ) -> QueuedReview:
        """A member's take on one lens of a tool: it waits in the queue like any draft."""
        chosen = parse_lens(lens)
        said = parse_verdict(verdict)
        words = valid_quote(quote)
        name = " ".join(author.display.split())[:AUTHOR_MAX] or author.id[:AUTHOR_MAX]
        async with self._uow() as uow:
            exact = await self._index.resolve(uow.tools, tool_name)
            tool = await uow.tools.get_by_name(exact)
            if tool is None:
                raise NotFoundError(f"'{exact}' is no longer in the catalog.")
            new_id = await uow.reviews.add(
                NewDraft(
                    tool_id=tool.id,
                    lens=chosen,
                    verdict=said,
                    quote=words,
                    kind=ReviewKind.MEMBER_TAKE,
                    author=name,
                    author_id=author.id,
                )
            )
            await uow.commit()
            stored = await uow.reviews.get_many([new_id])
        log.info("member take queued", extra={"tool": tool.name, "lens": chosen.value})
        return stored[0]


def parse_lens(text: str) -> Lens:
    lens = Lens.parse(text)
    if lens is None:
        raise InvalidInput(
            f"No lens called '{text[:40]}'. Choose developer, competition, future or buyer."
        )
    return lens


def parse_verdict(text: str) -> Verdict:
    try:
        return Verdict(text.strip().casefold())
    except ValueError:
        raise InvalidInput("The verdict is ship or skip.") from None
