"""``settle``: a batch of votes applied in arrival order gives what one-at-a-time would."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Community, PostedCard, Side, Voter, VoteSource
from bot.vote_batches import VoteRequest, settle

HERE = Community("discord", "g1")
CARD = PostedCard(
    id=7,
    community=HERE,
    channel="c",
    tool_a=3,
    tool_b=1,
    message_id="m",
    lens=None,
    created_at=datetime(2026, 11, 1, tzinfo=UTC),
)
A, B = CARD.tool_a, CARD.tool_b


def cast(user: str, side: Side, event: str | None = None) -> tuple[VoteRequest, PostedCard]:
    return VoteRequest(Voter(HERE, user), CARD.id, side, VoteSource.REACTION, event), CARD


def retract(
    user: str, side: Side | None = None, event: str | None = None
) -> tuple[VoteRequest, PostedCard]:
    request = VoteRequest(Voter(HERE, user), CARD.id, side, VoteSource.REACTION, event, True)
    return request, CARD


def test_a_first_vote_then_a_change_writes_only_the_final_choice() -> None:
    settled = settle([cast("u", Side.A), cast("u", Side.B)], {}, set())
    assert settled.steps == [(A, None, True, False), (B, A, True, False)]
    assert [(w.key.user_id, w.key.choice) for w in settled.put] == [("u", B)]
    assert settled.delete == []


def test_the_same_choice_again_changes_and_writes_nothing() -> None:
    settled = settle([cast("u", Side.A)], {"u": A}, set())
    assert settled.steps == [(A, A, False, False)]
    assert settled.put == [] and settled.delete == []


def test_a_retract_deletes_the_stored_choice_only_if_it_is_that_side() -> None:
    kept = settle([retract("u", Side.B)], {"u": A}, set())
    assert kept.steps == [(A, A, False, False)] and kept.delete == []
    gone = settle([retract("u", Side.A)], {"u": A}, set())
    assert gone.steps == [(None, A, True, False)]
    assert [(k.user_id, k.choice) for k in gone.delete] == [("u", A)]


def test_cast_then_retract_in_one_batch_writes_nothing_for_a_new_voter() -> None:
    settled = settle([cast("u", Side.A), retract("u")], {}, set())
    assert settled.steps == [(A, None, True, False), (None, A, True, False)]
    assert settled.put == [] and settled.delete == []


def test_re_delivered_events_change_nothing() -> None:
    first = {("discord", "e1")}
    settled = settle(
        [cast("u", Side.A, "e1"), cast("u", Side.B, "e2"), cast("u", Side.B, "e1")],
        {},
        first,  # e2 was claimed by an earlier batch; e1's second copy is in this one
    )
    assert [step[3] for step in settled.steps] == [False, True, True]
    assert [(w.key.user_id, w.key.choice) for w in settled.put] == [("u", A)]


def test_people_are_independent_and_written_in_user_order() -> None:
    settled = settle(
        [cast("zoe", Side.A), cast("amy", Side.B), retract("bob")], {"bob": B, "zoe": B}, set()
    )
    assert [(w.key.user_id, w.key.choice) for w in settled.put] == [("amy", B), ("zoe", A)]
    assert [(k.user_id, k.choice) for k in settled.delete] == [("bob", B)]
