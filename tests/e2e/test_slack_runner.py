"""``run_slack`` itself, as ``shipbot run slack`` starts it: Socket Mode against a local fake
WebSocket, HTTP mode on a port, and the multi-workspace OAuth install kept in the database."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncIterator, Coroutine
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import text

from adapters.bootstrap import App, build_app
from adapters.slack.runner import run_slack
from bot.settings import Settings
from bot.votes import Split
from tests.e2e.slack_support import SEED_PAIR, SIGNING_SECRET
from tests.fakes.slack import (
    FakeSlackWebAPI,
    FakeSocketModeServer,
    SlackEventSender,
    SlackPayloads,
)

INSTALLED_TOKEN = "xoxb-installed-by-oauth"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def wait_listening(port: int, task: asyncio.Task[None]) -> None:
    for _ in range(100):
        if task.done():
            raise AssertionError(f"run_slack stopped: {task.exception()!r}")
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            await writer.wait_closed()
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


@contextlib.asynccontextmanager
async def app_for(settings: Settings, fake: FakeSlackWebAPI, **extra: object) -> AsyncIterator[App]:
    configured = settings.model_copy(
        update={
            "slack_bot_token": SecretStr(fake.bot_token),
            "slack_app_token": SecretStr(fake.app_token),
            "slack_signing_secret": SecretStr(SIGNING_SECRET),
            "slack_api_base": fake.base_url,
            "refresh_seconds": 0.1,
            **extra,
        }
    )
    app = await build_app(configured, migrate=False)
    try:
        yield app
    finally:
        await app.close()


@contextlib.asynccontextmanager
async def oauth_server(settings: Settings, fake: FakeSlackWebAPI) -> AsyncIterator[tuple[App, str]]:
    """``run_slack --http`` with OAuth on a free port, no bot token: installs come through
    ``/slack/install``; ``oauth.v2.access`` answers once with :data:`INSTALLED_TOKEN`."""
    fake.inject_response("oauth.v2.access", body=OAUTH_V2_ACCESS)
    fake.valid_tokens.add(INSTALLED_TOKEN)
    async with (
        app_for(
            settings,
            fake,
            slack_bot_token=None,
            slack_client_id="111.222",
            slack_client_secret=SecretStr("client-secret"),
            slack_state_secret=SecretStr("state-secret"),
        ) as app,
        running(run_slack(app, http=True, port=(port := free_port()), oauth=True)) as task,
    ):
        await wait_listening(port, task)
        yield app, f"http://127.0.0.1:{port}"


@contextlib.asynccontextmanager
async def running(coro: Coroutine[Any, Any, None]) -> AsyncIterator[asyncio.Task[None]]:
    task: asyncio.Task[None] = asyncio.ensure_future(coro)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_socket_mode_compare_and_reaction_vote(settings: Settings) -> None:
    async with (
        FakeSlackWebAPI() as fake,
        FakeSocketModeServer(fake) as socket_server,
        app_for(settings, fake) as app,
        running(run_slack(app, http=False, port=0, oauth=False)),
    ):
        await socket_server.wait_connected()
        payloads = SlackPayloads(web_api=fake)
        envelope = await socket_server.send_envelope(
            "slash_commands", payloads.slash_command("/compare", SEED_PAIR)
        )
        ack = await socket_server.wait_for_ack(envelope)
        assert ack.payload in (None, {})  # acked at once, empty: the card is the answer
        call = await fake.wait_for_call("chat.postMessage")
        assert call.args["blocks"][0]["text"]["text"] == SEED_PAIR
        assert fake.calls_to("apps.connections.open")[0].token == fake.app_token
        await fake.wait_for_calls("reactions.add", 2)

        ts = call.response["ts"]
        event = payloads.reaction_event("b::skin-tone-2", channel_id="C0GENERAL", ts=ts)
        first = await socket_server.send_envelope("events_api", event)
        retry = await socket_server.send_envelope("events_api", event, retry_attempt=1)
        await socket_server.wait_for_ack(first)
        await socket_server.wait_for_ack(retry)
        update = await fake.wait_for_call("chat.update")
        card = await app.service.card_by_message("slack", "C0GENERAL", ts)
        assert card is not None
        assert (await app.service.render_posted(card.id)).community.here == Split(0, 1)
        assert update.args["ts"] == ts


async def test_http_mode_serves_signed_requests(settings: Settings) -> None:
    async with FakeSlackWebAPI() as fake, app_for(settings, fake) as app:
        port = free_port()
        async with running(run_slack(app, http=True, port=port, oauth=False)) as task:
            await wait_listening(port, task)
            await http_round_trip(fake, port)


async def http_round_trip(fake: FakeSlackWebAPI, port: int) -> None:
    url = f"http://127.0.0.1:{port}/slack/events"
    async with SlackEventSender(url, SIGNING_SECRET, web_api=fake) as sender:
        fake.inject_delay("chat.postMessage", 0.5)
        resp = await sender.slash_command("/compare", SEED_PAIR)
        assert (resp.status, resp.text) == (200, "")
        assert resp.elapsed < 0.5  # acked before the card is posted
        call = await fake.wait_for_call("chat.postMessage")
        assert call.response["ok"]
        await fake.wait_for_calls("reactions.add", 2)  # the listener has finished
        forged = await sender.slash_command("/compare", SEED_PAIR, forge_signature=True)
        assert forged.status == 401
        malformed = await sender.post('{"broken', "application/json")
        assert malformed.status == 400  # signed, so checked, and refused without a traceback


OAUTH_V2_ACCESS = {
    "ok": True,
    "app_id": "A0SHIPBOT",
    "authed_user": {"id": "U0ADMIN"},
    "scope": "commands,chat:write,reactions:read,reactions:write,users:read",
    "token_type": "bot",
    "access_token": INSTALLED_TOKEN,
    "bot_user_id": "U0SHIPBOT",
    "team": {"id": "T0SHIPBOT", "name": "Shipbot Test"},
    "enterprise": None,
    "is_enterprise_install": False,
}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_oauth_install_is_kept_in_the_database_and_used(settings: Settings) -> None:
    # The fake checks for a Bearer token before any handler, but oauth.v2.access is
    # authenticated with the client id and secret (HTTP Basic): oauth_server answers it canned.
    async with FakeSlackWebAPI() as fake, oauth_server(settings, fake) as (app, base):
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/slack/install", allow_redirects=False) as page:
                assert page.status == 200
                body = await page.text()
                cookie = page.headers["Set-Cookie"].split(";")[0]
            match = re.search(r"state=([\w-]+)", body)
            assert match and "client_id=111.222" in body
            async with http.get(
                f"{base}/slack/oauth_redirect?code=temp-code&state={match.group(1)}",
                headers={"Cookie": cookie},
                allow_redirects=False,
            ) as done:
                assert done.status == 200, await done.text()
        assert fake.calls_to("oauth.v2.access")[0].args["code"] == "temp-code"
        async with app.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT team_id, bot_token FROM slack_bots"))).all()
        assert [tuple(row) for row in rows] == [("T0SHIPBOT", INSTALLED_TOKEN)]

        async with SlackEventSender(f"{base}/slack/events", SIGNING_SECRET, web_api=fake) as sender:
            resp = await sender.slash_command("/compare", SEED_PAIR)
            assert resp.status == 200
            # (the first post is the installer's welcome DM: tests/e2e/test_slack_welcome.py)
            call = await fake.wait_for_call(
                "chat.postMessage", lambda c: c.args.get("channel") == "C0GENERAL"
            )
            assert call.token == INSTALLED_TOKEN  # the workspace's own bot token
            ts = call.response["ts"]
            await sender.reaction("a", channel_id="C0GENERAL", ts=ts, user_id="U0ADMIN")
            update = await fake.wait_for_call("chat.update")
            assert update.token == INSTALLED_TOKEN  # refreshes too, outside any request
            # Uninstalling removes the workspace's installation and its bot token.
            gone = sender.payloads.event_callback({"type": "app_uninstalled"})
            assert (await sender.send_event(gone)).status == 200
        async with app.engine.connect() as conn:
            left = (await conn.execute(text("SELECT team_id FROM slack_bots"))).all()
            installs = (await conn.execute(text("SELECT team_id FROM slack_installations"))).all()
        assert left == [] and installs == []
