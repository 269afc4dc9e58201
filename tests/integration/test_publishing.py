"""The one card workflow (bot.publishing) on a real database, with a recording surface."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from adapters.bootstrap import App
from bot import publishing
from bot.cards import VerdictCard
from bot.errors import NotFoundError
from bot.models import Community, Side, Voter, VoteSource
from bot.publishing import Place, Published
from bot.service import CardView, ShipService, Unresolved
from data.schema import CardRow
from data.unit_of_work import SqlUnitOfWorkFactory

GUILD = Community("test", "guild-1")
PLACE = Place(GUILD, "chan-1")


@dataclass
class RecordingSurface:
    platform: str = "test"
    refuse: bool = False
    posted: list[VerdictCard] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    edited: list[CardView] = field(default_factory=list)

    async def post(self, card: VerdictCard) -> str | None:
        if self.refuse:
            raise RuntimeError("the platform said no")
        self.posted.append(card)
        return f"m-{card.card_id}"

    async def add_marks(self, message_id: str, card: VerdictCard) -> None:
        self.marked.append(message_id)

    async def edit(self, view: CardView) -> None:
        self.edited.append(view)


async def _cards(app: App) -> int:
    async with app.engine.connect() as conn:
        return int((await conn.scalar(select(func.count()).select_from(CardRow))) or 0)


async def test_publish_compare_posts_ties_the_message_and_adds_marks(app: App) -> None:
    surface = RecordingSurface()
    published = await publishing.publish_compare(
        app.service, surface, PLACE, "SmolLM3 vs Mistral Medium 3 as buyer"
    )
    assert isinstance(published, Published)
    card = published.card
    assert card.card_id is not None and card.lens is not None
    assert surface.posted == [card] and surface.marked == [f"m-{card.card_id}"]
    stored = await app.service.card_by_message("test", "chan-1", f"m-{card.card_id}")
    assert stored is not None and stored.id == card.card_id


async def test_a_card_the_surface_could_not_post_is_discarded(app: App) -> None:
    surface = RecordingSurface(refuse=True)
    with pytest.raises(RuntimeError):
        await publishing.publish_compare(app.service, surface, PLACE, "SmolLM3 vs Whisper")
    assert await _cards(app) == 0
    assert surface.marked == []


async def test_an_unknown_name_comes_back_unresolved_and_registers_nothing(app: App) -> None:
    surface = RecordingSurface()
    result = await publishing.publish_compare(app.service, surface, PLACE, "SmolLM3 vs Mistrl")
    assert isinstance(result, Unresolved)
    assert result.request.a == "SmolLM3" and result.request.b == "Mistrl"
    assert "Mistrl" in result.error.message
    assert surface.posted == [] and await _cards(app) == 0


class CountingFactory:
    """The SQL unit of work, counting how often a card row is read."""

    def __init__(self, inner: SqlUnitOfWorkFactory) -> None:
        self.inner = inner
        self.card_reads = 0

    def __call__(self) -> CountingUow:
        return CountingUow(self, self.inner())


class CountingUow:
    def __init__(self, counter: CountingFactory, inner: object) -> None:
        self._counter, self._inner = counter, inner

    async def __aenter__(self) -> object:
        uow = await self._inner.__aenter__()  # type: ignore[attr-defined]
        get = uow.cards.get

        async def counted(card_id: int) -> object:
            self._counter.card_reads += 1
            return await get(card_id)

        uow.cards.get = counted
        return uow

    async def __aexit__(self, *exc: object) -> None:
        await self._inner.__aexit__(*exc)  # type: ignore[attr-defined]


async def test_a_refresh_reads_its_card_once_and_shows_fresh_numbers(app: App) -> None:
    counting = CountingFactory(SqlUnitOfWorkFactory(app.engine))
    service = ShipService(counting, config=app.service.config)  # type: ignore[arg-type]
    surface = RecordingSurface()
    published = await publishing.publish_compare(
        service, surface, PLACE, "SmolLM3 vs Mistral Medium 3"
    )
    assert isinstance(published, Published) and published.card.card_id is not None
    card_id = published.card.card_id
    await service.cast_vote(Voter(GUILD, "alice"), card_id, Side.B, VoteSource.REACTION)
    counting.card_reads = 0
    view = await publishing.refresh(service, surface, card_id)
    assert counting.card_reads == 1
    assert view is not None and surface.edited == [view]
    assert view.posted.message_id == f"m-{card_id}"
    assert (view.card.community.here.a, view.card.community.here.b) == (0, 1)


async def test_a_refresh_of_another_platforms_or_a_gone_card_edits_nothing(app: App) -> None:
    published = await publishing.publish_compare(
        app.service, RecordingSurface(), PLACE, "SmolLM3 vs Whisper"
    )
    assert isinstance(published, Published) and published.card.card_id is not None
    elsewhere = RecordingSurface(platform="other")
    assert await publishing.refresh(app.service, elsewhere, published.card.card_id) is None
    assert await publishing.refresh(app.service, elsewhere, 10_000) is None
    assert elsewhere.edited == []
    with pytest.raises(NotFoundError):
        await app.service.card_view(10_000)
