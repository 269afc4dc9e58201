"""One card workflow for every surface: publish a compare, and keep a posted card current.

An adapter translates a platform event into a call here and implements :class:`Surface` (show a
card, edit it, add the vote marks); the order of the steps and what happens when one fails live
here once, so Discord, Slack, the terminal and any new platform behave alike:

- :func:`publish_compare`: compare and register the card (one transaction), post it, tie the
  message to the card, add the vote marks. A card that could not be posted is discarded, so no
  card row ever points at nothing.
- :func:`refresh`: read the posted card once (with fresh tallies) and edit its message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from bot.cards import VerdictCard
from bot.errors import NotFoundError
from bot.models import Community, Lens
from bot.parsing import CompareRequest
from bot.service import CardView, ShipService, Unresolved

log = logging.getLogger(__name__)


class Surface(Protocol):
    """Where a platform shows cards, as the workflow needs it. Renderers stay the adapter's."""

    @property
    def platform(self) -> str:
        """The platform name cards posted here carry (``Community.platform``)."""
        ...

    async def post(self, card: VerdictCard) -> str | None:
        """Show a registered card (it has an id); the message id, or None when the surface keeps
        no message to come back to (the terminal). Raise when the card could not be shown."""
        ...

    async def add_marks(self, message_id: str, card: VerdictCard) -> None:
        """Add the marks people click to vote (reactions). Failures are logged, never raised:
        votes still work by button."""
        ...

    async def edit(self, view: CardView) -> None:
        """Show fresh content of a card posted here (``view.posted`` says where)."""
        ...


@dataclass(frozen=True)
class Place:
    """Where a compare was asked: the community its votes count in and the channel."""

    community: Community
    channel: str
    asked_by: str | None = None  # user id of the person asking (may close the card's vote)


@dataclass(frozen=True)
class Published:
    """A card that is now shown: the card (with its id) and its message (None: none kept)."""

    card: VerdictCard
    message_id: str | None


async def prepare(
    service: ShipService, place: Place, ask: str | CompareRequest, lens: Lens | None = None
) -> VerdictCard | Unresolved:
    """Compare (from typed text, or two names already split) and register the card to post."""
    return await service.open_compare(ask, place.community, place.channel, lens, place.asked_by)


async def publish(service: ShipService, surface: Surface, card: VerdictCard) -> Published:
    """Post a registered card, tie its message to it and add the vote marks; if the post
    fails, discard the card (it has no message and no votes) and re-raise."""
    card_id = card.card_id
    if card_id is None:
        raise ValueError("only a registered card (open_compare) can be published")
    try:
        message_id = await surface.post(card)
    except BaseException:
        await service.discard_card(card_id)
        raise
    if message_id is not None:
        await service.attach_message(card_id, message_id)
        await surface.add_marks(message_id, card)
    log.info(
        "card posted",
        extra={"card": card_id, "message_id": message_id, "platform": surface.platform},
    )
    return Published(card, message_id)


async def publish_compare(
    service: ShipService,
    surface: Surface,
    place: Place,
    ask: str | CompareRequest,
    lens: Lens | None = None,
) -> Published | Unresolved:
    """The whole ``/compare``: :func:`prepare` then :func:`publish`. Names that don't resolve
    come back as ``Unresolved`` (nothing registered or posted) for a did-you-mean."""
    prepared = await prepare(service, place, ask, lens)
    if isinstance(prepared, Unresolved):
        return prepared
    return await publish(service, surface, prepared)


async def refresh(service: ShipService, surface: Surface, card_id: int) -> CardView | None:
    """Edit a posted card so its numbers are current, reading the card once. Returns what was
    shown; None when the card is gone, a tool of it was removed, or it lives on another
    platform."""
    try:
        view = await service.card_view(card_id)
    except NotFoundError as error:
        log.info("card not refreshed", extra={"card": card_id, "reason": error.message})
        return None
    if view.posted.community.platform != surface.platform:
        return None
    await surface.edit(view)
    return view
