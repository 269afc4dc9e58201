"""Two processes refreshing the same card share one edit window, and the last edit is exact."""

from __future__ import annotations

import asyncio
import itertools

from adapters.bootstrap import App, build_app
from bot.models import Community, Side, Voter, VoteSource
from bot.refresh import CardRefresher
from bot.settings import Settings

GUILD = Community("discord", "g1")
INTERVAL = 0.2


async def test_two_processes_never_edit_one_card_within_the_same_window(
    app: App, settings: Settings
) -> None:
    other = await build_app(settings, migrate=False)
    try:
        card = await app.service.open_card(
            await app.service.compare("SmolLM3 vs Mistral Medium 3", GUILD), GUILD, "c1"
        )
        assert card.card_id is not None
        await app.service.attach_message(card.card_id, "m1")
        loop = asyncio.get_running_loop()
        edits: list[tuple[float, int]] = []

        def refresher(process: App) -> CardRefresher:
            async def refresh(card_id: int) -> None:
                shown = await process.service.render_posted(card_id)
                edits.append((loop.time(), shown.community.here.n))

            async def claim(card_id: int) -> float | None:
                return await process.service.claim_refresh(card_id, INTERVAL)

            return CardRefresher(refresh, interval=INTERVAL, claim=claim)

        first, second = refresher(app), refresher(other)
        started = loop.time()
        for i in range(40):
            process, local = (app, first) if i % 2 else (other, second)
            outcome = await process.service.cast_vote(
                Voter(GUILD, f"user{i}"), card.card_id, Side.A, VoteSource.REACTION
            )
            local.mark(outcome.refresh)
            await asyncio.sleep(0.01)
        duration = loop.time() - started
        await asyncio.gather(first.drain(), second.drain())
        assert edits[-1][1] == 40, "the final edit shows the final count"
        times = sorted(t for t, _ in edits)
        gaps = [b - a for a, b in itertools.pairwise(times)]
        # The lease keeps edits a window apart; scheduling on a loaded machine shifts when each
        # edit is timed here, so only edits much closer than a window mean the lease failed.
        assert all(gap >= INTERVAL * 0.5 for gap in gaps), gaps
        assert len(edits) <= duration / INTERVAL + 3
    finally:
        await other.close()
