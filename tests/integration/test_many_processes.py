"""Two bot processes on one database receive the same events: nothing is counted twice."""

from __future__ import annotations

import asyncio
import random

from adapters.bootstrap import App, build_app
from bot.models import Community, Side, Voter, VoteSource
from bot.settings import Settings

WORKSPACE = Community("slack", "T1")


async def test_the_same_event_stream_delivered_to_two_processes_counts_once(
    app: App, settings: Settings
) -> None:
    other = await build_app(settings, migrate=False)  # its own engine and pool: another process
    try:
        card = await app.service.open_card(
            await app.service.compare("SmolLM3 vs Mistral Medium 3", WORKSPACE), WORKSPACE, "C1"
        )
        assert card.card_id is not None
        events = [(f"U{i}", Side.A if i % 3 else Side.B, f"Ev{i}") for i in range(120)]
        # Users who change their minds later, with newer event ids.
        events += [(f"U{i}", Side.B, f"Ev-change-{i}") for i in range(0, 120, 10)]
        rng = random.Random(4)

        async def deliver(process: App, stream: list[tuple[str, Side, str]]) -> None:
            for user, side, event_id in stream:
                await process.service.cast_vote(
                    Voter(WORKSPACE, user), card.card_id, side, VoteSource.REACTION, event_id
                )

        first = events[:120]
        copies = [list(first), list(first)]
        for copy in copies:
            rng.shuffle(copy)  # each process sees its own order of the same deliveries
        await asyncio.gather(deliver(app, copies[0]), deliver(other, copies[1]))
        await asyncio.gather(deliver(app, events[120:]), deliver(other, events[120:]))
        split = (await app.service.render_posted(card.card_id)).community.here
        changed = {f"U{i}" for i in range(0, 120, 10)}
        expected_b = sum(1 for u, s, _ in first if s is Side.B or u in changed)
        assert (split.a, split.b) == (120 - expected_b, expected_b)
    finally:
        await other.close()
