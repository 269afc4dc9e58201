"""The **Close vote** button end to end: the asker or an admin closes, the card shows "Final"."""

from __future__ import annotations

from typing import Any

from adapters.slack.admins import actor_id
from bot.votes import Split
from tests.e2e.slack_support import SlackHarness, slack, visible
from tests.fakes.slack.state import FakeUser

__all__ = ["slack"]  # the fixture

TEAM = "T0SHIPBOT"


def _actions(blocks: list[dict[str, Any]]) -> list[str]:
    votes = next(b for b in blocks if b.get("block_id") == "votes")
    return [e["action_id"] for e in votes["elements"]]


async def _answer(slack: SlackHarness, action_id: str, card: Any, user_id: str) -> str:
    """Click on the card; the ephemeral answer's text (only the clicker sees it)."""
    before = len(slack.fake.response_url_posts)
    await slack.click(action_id, str(card.id), card, user_id=user_id)
    post = await slack.ephemeral(lambda p: slack.fake.response_url_posts.index(p) >= before)
    assert post.payload["response_type"] == "ephemeral"
    return str(post.payload["text"])


async def test_the_asker_closes_the_card_shows_final_and_later_votes_are_refused(
    slack: SlackHarness,
) -> None:
    posted, card = await slack.compare(user_id="U0REGULAR")
    assert card.asked_by == actor_id(TEAM, "U0REGULAR")
    assert _actions(posted.args["blocks"])[-1] == "vote_close"
    assert "You picked" in await _answer(slack, "vote_a", card, "U0OWNER")

    assert "closed the vote" in await _answer(slack, "vote_close", card, "U0REGULAR")
    await slack.slack.runtime.refresher.drain()
    last = slack.updates_of(card)[-1]
    assert last.response["ok"]
    assert _actions(last.args["blocks"]) == ["full_reviews", "vote_chart", "my_vote"]
    assert "Final: " in visible(last.args["blocks"])

    refused = await _answer(slack, "vote_b", card, "U0ADMIN")  # a client showing the old card
    assert refused.startswith("Voting on this card closed on")
    assert await slack.split(card.id) == Split(1, 0)
    again = await _answer(slack, "vote_close", card, "U0REGULAR")
    assert again == "The vote on this card was already closed."


async def test_another_member_is_refused_and_the_card_stays_open(slack: SlackHarness) -> None:
    slack.fake.workspace.add_user(FakeUser("U0OTHER", "otto", "Otto Other"))
    _, card = await slack.compare(user_id="U0REGULAR")
    refused = await _answer(slack, "vote_close", card, "U0OTHER")
    assert "Only the person who asked" in refused
    assert "You picked" in await _answer(slack, "vote_a", card, "U0OTHER")
    assert await slack.split(card.id) == Split(1, 0)


async def test_an_admin_may_close_someone_elses_card(slack: SlackHarness) -> None:
    _, card = await slack.compare(user_id="U0REGULAR")
    assert "closed the vote" in await _answer(slack, "vote_close", card, "U0ADMIN")
    await slack.slack.runtime.refresher.drain()
    last = slack.updates_of(card)[-1]
    assert "vote_a" not in _actions(last.args["blocks"])
    assert "Final: " in visible(last.args["blocks"])
