"""Property: any interleaving of cast / change / retract / duplicate events ends in the tally that
replaying only the final state gives. Run against the real store through the real service."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.bootstrap import build_app
from bot.models import Community, Side, Voter, VoteSource
from bot.settings import Settings


@dataclass(frozen=True)
class Event:
    user: str
    kind: str  # "cast" or "retract"
    side: Side
    event_id: str


events = st.lists(
    st.builds(
        lambda user, kind, side, n: Event(f"u{user}", kind, side, f"ev{n}"),
        st.integers(0, 4),
        st.sampled_from(["cast", "retract"]),
        st.sampled_from([Side.A, Side.B]),
        st.integers(0, 10_000),
    ),
    max_size=30,
)


def replay_final_state(history: list[Event]) -> dict[Side, int]:
    """The reference: apply each distinct event id once, in order, to a plain dict."""
    seen: set[str] = set()
    state: dict[str, Side] = {}
    for event in history:
        if event.event_id in seen:
            continue
        seen.add(event.event_id)
        if event.kind == "cast":
            state[event.user] = event.side
        elif state.get(event.user) is event.side:
            del state[event.user]
    return {side: sum(1 for s in state.values() if s is side) for side in Side}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=events, duplicates=st.lists(st.integers(0, 29), max_size=10))
def test_any_interleaving_matches_replaying_the_final_state(
    database_url: str, history: list[Event], duplicates: list[int]
) -> None:
    # Re-deliver some events later (Slack retries, duplicated gateway events).
    delivered = list(history)
    for index in duplicates:
        if index < len(history):
            delivered.append(history[index])
    community = Community("slack", f"T{uuid.uuid4().hex[:8]}")

    async def run() -> tuple[int, int]:
        app = await build_app(Settings(database_url=database_url, _env_file=None), migrate=False)  # type: ignore[call-arg]
        try:
            card = await app.service.open_card(
                await app.service.compare("SmolLM3 vs Mistral Medium 3", community), community, "C1"
            )
            assert card.card_id is not None
            for event in delivered:
                voter = Voter(community, event.user)
                scoped = f"{community.id}:{event.event_id}"
                if event.kind == "cast":
                    await app.service.cast_vote(
                        voter, card.card_id, event.side, VoteSource.REACTION, scoped
                    )
                else:
                    await app.service.retract_vote(
                        voter, card.card_id, event.side, VoteSource.REACTION, scoped
                    )
            here = (await app.service.render_posted(card.card_id)).community.here
            return here.a, here.b
        finally:
            await app.close()

    expected = replay_final_state(delivered)
    assert asyncio.run(run()) == (expected[Side.A], expected[Side.B])
