"""Smoke tests proving the Slack fakes drive a REAL slack-bolt ``AsyncApp`` like Slack does.

The app here is a throwaway defined in this file (not shipbot code).  Each test asserts the
behaviour it documents, so it fails if the fake or Bolt stops behaving that way.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltRequest, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

# `tests` is not a package and pytest's rootdir is not on sys.path by default.
_REPO_ROOT = str(Path(__file__).resolve().parents[2])
if _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)

from tests.fakes.slack import (  # noqa: E402
    BoltAppServer,
    FakeSlackWebAPI,
    FakeSocketModeServer,
    SlackEventSender,
    text_input_values,
)

Serve = Callable[[AsyncApp], Awaitable[SlackEventSender]]
Body = dict[str, Any]

SIGNING_SECRET = "smoke-signing-secret"
CARD_BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "*SmolLM3* vs *Mistral Medium 3*"}},
    {
        "type": "actions",
        "block_id": "votes",
        "elements": [
            {
                "type": "button",
                "action_id": "vote_a",
                "value": "card-1",
                "text": {"type": "plain_text", "text": "A"},
            },
            {
                "type": "button",
                "action_id": "vote_b",
                "value": "card-1",
                "text": {"type": "plain_text", "text": "B"},
            },
        ],
    },
]


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackWebAPI]:
    """A running fake Web API."""
    async with FakeSlackWebAPI() as api:
        yield api


def make_app(
    fake: FakeSlackWebAPI, *, process_before_response: bool = False, **client_kwargs: Any
) -> AsyncApp:
    """A real Bolt app whose Web API client talks to the fake."""
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.base_url, **client_kwargs)
    return AsyncApp(
        client=client,
        signing_secret=SIGNING_SECRET,
        process_before_response=process_before_response,
    )


@pytest.fixture
async def serve(fake: FakeSlackWebAPI) -> AsyncIterator[Serve]:
    """``sender = await serve(app)`` serves the app over HTTP and returns a signed sender."""
    servers: list[BoltAppServer] = []
    senders: list[SlackEventSender] = []

    async def _serve(app: AsyncApp) -> SlackEventSender:
        server = BoltAppServer(app)
        await server.start()
        servers.append(server)
        senders.append(SlackEventSender(server.url, SIGNING_SECRET, web_api=fake))
        return senders[-1]

    yield _serve
    for sender in senders:
        await sender.close()
    for server in servers:
        await server.stop()


async def test_slash_command_is_acked_then_posts_block_kit_card(
    fake: FakeSlackWebAPI, serve: Serve
) -> None:
    app = make_app(fake)

    @app.command("/compare")
    async def compare(ack: AsyncAck, command: Body, client: AsyncWebClient) -> None:
        await ack()
        await client.chat_postMessage(
            channel=command["channel_id"], blocks=CARD_BLOCKS, text=f"Comparison: {command['text']}"
        )

    # A slow Web API must not delay the ack: Bolt answers Slack as soon as ack() is called.
    fake.inject_delay("chat.postMessage", 0.5)
    sender = await serve(app)
    resp = await sender.slash_command("/compare", "SmolLM3 vs Mistral Medium 3", user_id="U0ADMIN")
    assert resp.status == 200
    assert resp.text == ""
    assert resp.elapsed < 0.5
    assert fake.calls_to("chat.postMessage") == []
    assert resp.elapsed < 3.0

    call = await fake.wait_for_call("chat.postMessage")
    assert call.args["channel"] == "C0GENERAL"
    assert call.args["blocks"] == CARD_BLOCKS
    assert call.args["text"] == "Comparison: SmolLM3 vs Mistral Medium 3"
    assert call.headers["Authorization"] == f"Bearer {fake.bot_token}"
    assert call.response["ok"] is True
    stored = fake.workspace.messages("C0GENERAL")
    assert [m["ts"] for m in stored] == [call.response["ts"]]
    assert fake.calls_to("auth.test"), "Bolt authorizes through auth.test on the fake"


async def test_ephemeral_replies_via_ack_respond_and_post_ephemeral(
    fake: FakeSlackWebAPI, serve: Serve
) -> None:
    app = make_app(fake)

    @app.command("/shipbot")
    async def shipbot(
        ack: AsyncAck, command: Body, respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack(text="Working on it…")
        await respond(text="Only you can see this")
        await client.chat_postEphemeral(
            channel=command["channel_id"], user=command["user_id"], text="ephemeral help"
        )

    sender = await serve(app)
    resp = await sender.slash_command("/shipbot", "help")
    assert resp.status == 200
    # Bolt acks a text-only reply as a text/plain body (Slack shows it ephemerally).
    assert (resp.text, resp.headers["Content-Type"]) == ("Working on it…", "text/plain")
    post = await fake.wait_for_response_url_post()
    assert post.payload["text"] == "Only you can see this"
    assert post.status == 200
    await fake.wait_for_call("chat.postEphemeral")
    assert fake.workspace.ephemerals[0]["user"] == "U0REGULAR"
    assert fake.workspace.messages("C0GENERAL") == []


async def test_not_in_channel_surfaces_as_catchable_slack_api_error(
    fake: FakeSlackWebAPI, serve: Serve
) -> None:
    app = make_app(fake, process_before_response=True)
    errors: list[str] = []

    @app.command("/shipbot")
    async def shipbot(
        ack: AsyncAck, command: Body, client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        await ack()
        try:
            await client.chat_postMessage(channel=command["channel_id"], text="card")
        except SlackApiError as exc:
            errors.append(exc.response["error"])
            await respond("Invite me to this channel first")

    sender = await serve(app)
    resp = await sender.slash_command("/shipbot", "leaderboard", channel_id="C0NOTJOINED")
    assert resp.status == 200
    assert errors == ["not_in_channel"]
    assert (await fake.wait_for_response_url_post()).payload["text"].startswith("Invite me")
    assert fake.calls_to("chat.postMessage")[0].status == 200  # Slack errors are HTTP 200

    fake.workspace.channels.pop("C0NOTJOINED")
    await sender.slash_command("/shipbot", "leaderboard", channel_id="C0NOTJOINED")
    assert errors[-1] == "channel_not_found"


async def test_reaction_events_and_retries_reach_the_handler_every_time(
    fake: FakeSlackWebAPI, serve: Serve
) -> None:
    app = make_app(fake, process_before_response=True)
    seen: list[tuple[str, str, str | None]] = []

    @app.event("reaction_added")
    async def on_reaction(event: Body, body: Body, request: AsyncBoltRequest) -> None:
        retry = request.headers.get("x-slack-retry-num", [None])[0]
        seen.append((body["event_id"], event["reaction"], retry))

    @app.event("reaction_removed")
    async def on_unreaction(event: Body, body: Body) -> None:
        seen.append((body["event_id"], f"-{event['reaction']}", None))

    card = fake.workspace.post_message("C0GENERAL", text="card", blocks=CARD_BLOCKS)
    sender = await serve(app)
    first = await sender.reaction("+1::skin-tone-2", channel_id="C0GENERAL", ts=card["ts"])
    assert first.status == 200
    event_id = first.payload["event_id"]
    assert first.payload["event"]["item_user"] == fake.workspace.bot_user_id

    retry = await sender.resend(first, retry_num=1, retry_reason="http_timeout")
    assert retry.status == 200
    # Bolt does NOT dedupe: the retry (same event_id) runs the listener again.
    assert seen == [(event_id, "+1::skin-tone-2", None), (event_id, "+1::skin-tone-2", "1")]

    # The bot's own reactions are dropped by Bolt's IgnoringSelfEvents middleware.
    await sender.reaction(
        "+1", channel_id="C0GENERAL", ts=card["ts"], user_id=fake.workspace.bot_user_id
    )
    assert len(seen) == 2
    await sender.reaction("+1", channel_id="C0GENERAL", ts=card["ts"], added=False)
    assert seen[-1][1] == "-+1"


@pytest.mark.parametrize(
    "tamper",
    [
        {"forge_signature": True},
        {"age_seconds": 301},
        {"unsigned": True},
    ],
)
async def test_bad_signatures_get_401_and_nothing_runs(
    fake: FakeSlackWebAPI, serve: Serve, tamper: dict[str, Any]
) -> None:
    app = make_app(fake, process_before_response=True)
    ran: list[str] = []

    @app.command("/compare")
    async def compare(ack: AsyncAck, command: Body) -> None:
        ran.append(command["text"])
        await ack()

    @app.event("reaction_added")
    async def on_reaction(event: Body) -> None:
        ran.append(event["reaction"])

    sender = await serve(app)
    assert (await sender.slash_command("/compare", "x", **tamper)).status == 401
    bad_event = await sender.reaction("eyes", channel_id="C0GENERAL", ts="1.000100", **tamper)
    assert bad_event.status == 401
    assert ran == []
    assert fake.calls == []  # rejected before authorization (no auth.test)
    # Control: the same requests, correctly signed, are handled.
    assert (await sender.slash_command("/compare", "ok")).status == 200
    assert (await sender.reaction("eyes", channel_id="C0GENERAL", ts="1.000100")).status == 200
    assert ran == ["ok", "eyes"]


async def test_block_actions_click_updates_the_card(fake: FakeSlackWebAPI, serve: Serve) -> None:
    app = make_app(fake, process_before_response=True)
    clicks: list[tuple[str, str]] = []

    @app.action("vote_a")
    async def vote_a(ack: AsyncAck, action: Body, body: Body, client: AsyncWebClient) -> None:
        await ack()
        clicks.append((action["value"], body["user"]["id"]))
        await client.chat_update(
            channel=body["container"]["channel_id"],
            ts=body["container"]["message_ts"],
            text="1 vote for A",
            blocks=CARD_BLOCKS[:1],
        )

    client = AsyncWebClient(token=fake.bot_token, base_url=fake.base_url)
    posted = await client.chat_postMessage(channel="C0GENERAL", text="card", blocks=CARD_BLOCKS)
    sender = await serve(app)
    resp = await sender.block_action("vote_a", "card-1", message_ts=posted["ts"], user_id="U0OWNER")
    assert resp.status == 200
    assert clicks == [("card-1", "U0OWNER")]
    updated = fake.workspace.message("C0GENERAL", posted["ts"])
    assert updated is not None
    assert updated["text"] == "1 vote for A"
    assert updated["blocks"] == CARD_BLOCKS[:1]


async def test_modal_open_and_view_submission_validation_errors(
    fake: FakeSlackWebAPI, serve: Serve
) -> None:
    app = make_app(fake, process_before_response=True)

    @app.command("/shipbot")
    async def open_modal(ack: AsyncAck, body: Body, client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "review",
                "title": {"type": "plain_text", "text": "Review"},
                "submit": {"type": "plain_text", "text": "Send"},
                "blocks": [
                    {
                        "type": "input",
                        "block_id": "score",
                        "label": {"type": "plain_text", "text": "Score"},
                        "element": {"type": "plain_text_input", "action_id": "value"},
                    }
                ],
            },
        )

    @app.view("review")
    async def submit(ack: AsyncAck, view: Body) -> None:
        score = view["state"]["values"]["score"]["value"]["value"]
        if not (score or "").isdigit():
            await ack(response_action="errors", errors={"score": "Enter a number"})
        else:
            await ack()

    sender = await serve(app)
    await sender.slash_command("/shipbot", "review")
    opened = await fake.wait_for_call("views.open")
    assert opened.response["ok"] is True, opened.response
    view_id = opened.response["view"]["id"]

    bad = await sender.view_submission(
        view_id=view_id, values=text_input_values({"score": {"value": "ten"}})
    )
    assert bad.status == 200
    assert bad.json() == {"response_action": "errors", "errors": {"score": "Enter a number"}}
    good = await sender.view_submission(
        view_id=view_id, values=text_input_values({"score": {"value": "10"}})
    )
    assert (good.status, good.text) == (200, "")

    # trigger_ids are single-use, like Slack's.
    with pytest.raises(SlackApiError) as exc_info:
        await AsyncWebClient(token=fake.bot_token, base_url=fake.base_url).views_open(
            trigger_id=opened.args["trigger_id"], view={"type": "modal"}
        )
    assert exc_info.value.response["error"] == "exchanged_trigger_id"


async def test_injected_429_is_retried_by_rate_limit_handler(
    fake: FakeSlackWebAPI, serve: Serve
) -> None:
    app = make_app(
        fake,
        process_before_response=True,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    outcome: list[str] = []

    @app.command("/shipbot")
    async def shipbot(ack: AsyncAck, command: Body, client: AsyncWebClient) -> None:
        await ack()
        resp = await client.chat_postMessage(channel=command["channel_id"], text="card")
        outcome.append(resp["ts"])

    fake.inject_rate_limit("chat.postMessage", retry_after=0)
    sender = await serve(app)
    assert (await sender.slash_command("/shipbot", "leaderboard")).status == 200
    calls = fake.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].injected and calls[0].response["error"] == "ratelimited"
    assert len(outcome) == 1
    assert len(fake.workspace.messages("C0GENERAL")) == 1

    # Without the handler the 429 surfaces as SlackApiError.
    plain = AsyncWebClient(token=fake.bot_token, base_url=fake.base_url)
    fake.inject_rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as exc_info:
        await plain.chat_postMessage(channel="C0GENERAL", text="x")
    assert exc_info.value.response.status_code == 429
    assert exc_info.value.response.headers["Retry-After"] == "7"


async def test_web_api_state_users_auth_reactions_and_upload(fake: FakeSlackWebAPI) -> None:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.base_url)
    auth = await client.auth_test()
    assert (auth["user_id"], auth["bot_id"]) == (fake.workspace.bot_user_id, fake.workspace.bot_id)
    assert (await client.users_info(user="U0OWNER"))["user"]["is_owner"] is True
    assert (await client.users_info(user="U0REGULAR"))["user"]["is_admin"] is False

    first = await client.chat_postMessage(channel="C0GENERAL", text="a")
    second = await client.chat_postMessage(channel="C0GENERAL", text="b")
    assert float(second["ts"]) > float(first["ts"])
    await client.reactions_add(channel="C0GENERAL", timestamp=first["ts"], name="eyes")
    with pytest.raises(SlackApiError) as exc_info:
        await client.reactions_add(channel="C0GENERAL", timestamp=first["ts"], name="eyes")
    assert exc_info.value.response["error"] == "already_reacted"
    fake.workspace.add_reaction("C0GENERAL", first["ts"], "+1::skin-tone-2", "U0REGULAR")
    got = await client.reactions_get(channel="C0GENERAL", timestamp=first["ts"], full=True)
    assert {r["name"]: r["users"] for r in got["message"]["reactions"]} == {
        "eyes": [fake.workspace.bot_user_id],
        "+1::skin-tone-2": ["U0REGULAR"],
    }

    png = b"\x89PNG\r\n\x1a\nfake-chart"
    upload = await client.files_upload_v2(
        channel="C0GENERAL", content=png, filename="chart.png", title="Leaderboard"
    )
    stored = fake.workspace.files[upload["file"]["id"]]
    assert stored["content"] == png
    assert stored["shares"][0]["channel"] == "C0GENERAL"

    with pytest.raises(SlackApiError) as unknown_info:
        await client.api_call("chat.frobnicate")
    assert unknown_info.value.response["error"] == "unknown_method"
    assert fake.calls_to("chat.frobnicate")
    bad_token = AsyncWebClient(token="xoxb-wrong", base_url=fake.base_url)
    with pytest.raises(SlackApiError) as auth_info:
        await bad_token.auth_test()
    assert auth_info.value.response["error"] == "invalid_auth"


async def test_url_verification_challenge_is_echoed(fake: FakeSlackWebAPI, serve: Serve) -> None:
    sender = await serve(make_app(fake))
    resp = await sender.url_verification("abc123")
    assert resp.status == 200
    assert resp.json() == {"challenge": "abc123"}


async def test_socket_mode_slash_command_round_trip(fake: FakeSlackWebAPI) -> None:
    app = make_app(fake)

    @app.command("/compare")
    async def compare(ack: AsyncAck, command: Body, client: AsyncWebClient) -> None:
        await ack(text="on it")
        await client.chat_postMessage(channel=command["channel_id"], text=command["text"])

    async with FakeSocketModeServer(fake) as socket_server:
        handler = AsyncSocketModeHandler(app, fake.app_token)
        await handler.connect_async()
        try:
            await socket_server.wait_connected()
            sender = SlackEventSender("http://unused", SIGNING_SECRET, web_api=fake)
            envelope_id = await socket_server.send_envelope(
                "slash_commands", sender.payloads.slash_command("/compare", "A vs B")
            )
            ack = await socket_server.wait_for_ack(envelope_id)
            assert ack.payload == {"text": "on it"}
            call = await fake.wait_for_call("chat.postMessage")
            assert call.args["text"] == "A vs B"
            assert fake.calls_to("apps.connections.open")[0].token == fake.app_token
        finally:
            await handler.close_async()
