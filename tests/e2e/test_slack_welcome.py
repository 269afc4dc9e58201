"""The welcome on Slack: installing through OAuth DMs the installer the welcome; a workspace
installed with a token is welcomed on its first ``app_home_opened``, DMing that person. Once
per workspace either way (a reinstall, e.g. for new scopes, does not repeat it)."""

from __future__ import annotations

import re

import aiohttp
import pytest

from bot.settings import Settings
from tests.e2e.slack_support import SlackHarness, slack, visible
from tests.e2e.test_slack_runner import INSTALLED_TOKEN, OAUTH_V2_ACCESS, oauth_server
from tests.fakes.slack import FakeSlackWebAPI

__all__ = ["slack"]  # the fixture


async def _install(base: str) -> None:
    """The browser side of an install: the install page, then Slack's redirect back."""
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/slack/install", allow_redirects=False) as page:
            assert page.status == 200
            body = await page.text()
            cookie = page.headers["Set-Cookie"].split(";")[0]
        match = re.search(r"state=([\w-]+)", body)
        assert match
        async with http.get(
            f"{base}/slack/oauth_redirect?code=temp-code&state={match.group(1)}",
            headers={"Cookie": cookie},
            allow_redirects=False,
        ) as done:
            assert done.status == 200, await done.text()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_installing_dms_the_installer_the_welcome_once(settings: Settings) -> None:
    async with FakeSlackWebAPI() as fake, oauth_server(settings, fake) as (_app, base):
        await _install(base)
        call = await fake.wait_for_call("chat.postMessage")
        assert call.response["ok"] and call.token == INSTALLED_TOKEN
        assert call.args["channel"] == "U0ADMIN"  # the installer (authed_user)
        shown = visible(call.args["blocks"])
        assert "Hi, I'm shipbot" in shown and "`/compare SmolLM3 vs Mistral Medium 3`" in shown
        assert "`/shipbot help`" in call.args["text"]
        fake.inject_response("oauth.v2.access", body=OAUTH_V2_ACCESS)
        await _install(base)  # reinstalled: no second welcome
        assert len(fake.calls_to("oauth.v2.access")) == 2
        assert len(fake.calls_to("chat.postMessage")) == 1


async def test_without_oauth_the_first_person_to_open_the_app_is_welcomed(
    slack: SlackHarness,
) -> None:
    await slack.sender.app_home_opened(user_id="U0REGULAR")
    call = await slack.fake.wait_for_call("chat.postMessage")
    assert call.response["ok"] and call.args["channel"] == "U0REGULAR"
    assert "Hi, I'm shipbot" in visible(call.args["blocks"])
    await slack.fake.wait_for_call("views.publish")
    await slack.sender.app_home_opened(user_id="U0ADMIN")
    await slack.sender.app_home_opened(user_id="U0REGULAR", tab="messages")
    await slack.fake.wait_for_calls("views.publish", 2)
    await slack.sender.app_home_opened(user_id="U0REGULAR")
    await slack.fake.wait_for_calls("views.publish", 3)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
