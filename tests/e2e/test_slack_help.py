"""``/shipbot help``, a bare ``/shipbot`` and the App Home end to end: what shipbot does, an
example that works, the commands this person may use, the web link; code spans stay code."""

from __future__ import annotations

from bot.settings import Settings
from tests.e2e.slack_support import SlackHarness, running_slack, slack, visible

__all__ = ["slack"]  # the fixture

ZWSP = "\u200b"


async def help_of(slack: SlackHarness, user_id: str, text: str = "help") -> str:
    slack.fake.reset_calls()
    await slack.sender.slash_command("/shipbot", text, user_id=user_id)
    post = await slack.ephemeral()
    assert post.payload["response_type"] == "ephemeral"
    assert visible(post.payload["blocks"]).startswith("shipbot help")
    text = str(post.payload["text"])
    assert f"{ZWSP}`" not in text  # backticks are code, not made inert
    return text


async def test_a_member_sees_what_shipbot_does_and_their_commands(slack: SlackHarness) -> None:
    for asked in ("help", ""):
        text = await help_of(slack, "U0REGULAR", asked)
        assert "which AI tool should you ship with" in text
        assert "`/compare SmolLM3 vs Mistral Medium 3`" in text
        assert "`/shipbot tool show NAME`" in text and "`/review NAME`" in text
        assert "Community admins" not in text and "`/shipbot tool add`" not in text
        assert "On the web" not in text
    slack.fake.reset_calls()
    await slack.sender.slash_command("/compare", "SmolLM3 vs Mistral Medium 3")
    await slack.fake.wait_for_call("chat.postMessage")


async def test_admins_see_their_commands(settings: Settings) -> None:
    async with running_slack(settings, catalog_admins=["slack:U0ADMIN"]) as slack:
        owner = await help_of(slack, "U0OWNER")  # a workspace owner, not a catalog admin
        assert "Community admins" in owner and "`/shipbot subscribe" in owner
        assert "`/shipbot tool suggest NAME — why`" in owner
        assert "Catalog admins" not in owner and "`/shipbot tool add`" not in owner
        catalog = await help_of(slack, "U0ADMIN")
        assert "`/shipbot tool add`" in catalog and "`/shipbot queue`" in catalog


async def test_app_home_publishes_the_help_with_the_web_link(settings: Settings) -> None:
    settings = settings.model_copy(update={"public_url": "https://shipbot.example"})
    async with running_slack(settings) as slack:
        resp = await slack.sender.app_home_opened(user_id="U0REGULAR")
        assert resp.status == 200, resp.text
        call = await slack.fake.wait_for_call("views.publish")
        assert call.response["ok"] and call.args["user_id"] == "U0REGULAR"
        view = call.args["view"]
        shown = visible(view["blocks"])
        assert view["type"] == "home" and "`/compare SmolLM3 vs Mistral Medium 3`" in shown
        assert "<https://shipbot.example/|https://shipbot.example/>" in str(view["blocks"])
        assert "`/shipbot tool add`" not in shown
        await slack.sender.app_home_opened(user_id="U0REGULAR", tab="messages")
        assert len(slack.fake.calls_to("views.publish")) == 1


async def test_an_unknown_name_points_to_slacks_own_command_as_code(slack: SlackHarness) -> None:
    await slack.sender.slash_command("/compare", "Qwxzzyq Plorb vs SmolLM3")
    post = await slack.ephemeral()
    shown = str(post.payload.get("text")) + str(post.payload.get("blocks") or "")
    assert (
        "No tool called" in shown
        and "`/shipbot tools [CATEGORY] [WORDS]` lists the catalog." in shown
    )
    assert "Try `shipbot`" not in shown and f"{ZWSP}`" not in shown
