"""The real shipbot Slack app served on 127.0.0.1, talking to the fake Slack Web API.

``slack`` (fixture) gives a :class:`SlackHarness`: requests go to the app signed exactly as Slack
signs them, and the app's ``AsyncWebClient`` points at :class:`FakeSlackWebAPI`, which records
every call. The app is built on the ``settings`` fixture's fresh database, so DB effects are
checked through the core service.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient

from adapters.bootstrap import App, build_app
from adapters.slack.app import SlackApp, build_slack
from adapters.slack.escape import unescape
from adapters.slack.http import slack_web_app
from bot.models import PostedCard
from bot.settings import Settings
from bot.votes import Split
from tests.fakes.slack import (
    BoltAppServer,
    FakeSlackWebAPI,
    RecordedCall,
    ResponseUrlPost,
    SlackEventSender,
)
from tests.fakes.slack.methods import CallContext

SIGNING_SECRET = "shipbot-e2e-signing-secret"
REFRESH_SECONDS = 0.25
SEED_PAIR = "SmolLM3 vs Mistral Medium 3"


@dataclass
class SlackHarness:
    app: App
    slack: SlackApp
    fake: FakeSlackWebAPI
    sender: SlackEventSender

    @property
    def service(self) -> Any:
        return self.app.service

    async def compare(
        self, text: str = SEED_PAIR, channel_id: str = "C0GENERAL", user_id: str = "U0REGULAR"
    ) -> tuple[RecordedCall, PostedCard]:
        """``/compare text``; the card's ``chat.postMessage`` and its row in the database."""

        def ok(call: RecordedCall) -> bool:
            return bool(call.response.get("ok"))

        before = len([c for c in self.fake.calls_to("chat.postMessage") if ok(c)])
        resp = await self.sender.slash_command(
            "/compare", text, channel_id=channel_id, user_id=user_id
        )
        assert resp.status == 200, resp.text
        call = (await self.fake.wait_for_calls("chat.postMessage", before + 1, ok))[-1]
        ts = call.response["ts"]
        # The card is posted after the ack; its message id is stored, then :a: and :b: added.
        await self.fake.wait_for_calls("reactions.add", 2, lambda c: c.args.get("timestamp") == ts)
        posted = await self.service.card_by_message("slack", channel_id, ts)
        assert posted is not None
        return call, posted

    async def split(self, card_id: int) -> Split:
        """The card's community split in this workspace, from the database."""
        card = await self.service.render_posted(card_id)
        split: Split = card.community.here
        return split

    async def react(
        self, emoji: str, card: PostedCard, user_id: str, *, added: bool = True, **kwargs: Any
    ) -> Any:
        assert card.message_id is not None
        resp = await self.sender.reaction(
            emoji,
            channel_id=card.channel,
            ts=card.message_id,
            user_id=user_id,
            added=added,
            **kwargs,
        )
        assert resp.status == 200, resp.text
        return resp

    async def click(
        self, action_id: str, value: str, card: PostedCard | None = None, **kw: Any
    ) -> Any:
        if card is not None:
            kw.setdefault("channel_id", card.channel)
            kw.setdefault("message_ts", card.message_id)
        resp = await self.sender.block_action(action_id, value, **kw)
        assert resp.status == 200, resp.text
        return resp

    async def ephemeral(
        self, predicate: Callable[[ResponseUrlPost], bool] | None = None
    ) -> ResponseUrlPost:
        return await self.fake.wait_for_response_url_post(predicate)

    def updates_of(self, card: PostedCard) -> list[RecordedCall]:
        return [c for c in self.fake.calls_to("chat.update") if c.args.get("ts") == card.message_id]


def visible(blocks: Any) -> str:
    """All text of some blocks as a person reads it (entities and zero-width spaces undone)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                out.append(node["text"])
            for value in node.values():
                if isinstance(value, dict | list):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return unescape("\n".join(out))


def raw(blocks: Any) -> str:
    return json.dumps(blocks, ensure_ascii=False)


Harness = Callable[..., Awaitable[SlackHarness]]


@asynccontextmanager
async def running_slack(
    settings: Settings,
    *,
    admin_users: list[str] | None = None,
    catalog_admins: list[str] | None = None,
) -> AsyncIterator[SlackHarness]:
    """``catalog_admins`` defaults to the fake's admin (``U0ADMIN``) and owner (team-qualified)."""
    if catalog_admins is None:
        catalog_admins = ["slack:U0ADMIN", "slack:T0SHIPBOT:U0OWNER"]
    settings = settings.model_copy(
        update={
            "slack_signing_secret": SecretStr(SIGNING_SECRET),
            "refresh_seconds": REFRESH_SECONDS,
            "slack_admin_users": admin_users or [],
            "catalog_admins": catalog_admins,
        }
    )
    app = await build_app(settings, migrate=False)
    try:
        async with FakeSlackWebAPI() as fake:
            client = AsyncWebClient(token=fake.bot_token, base_url=fake.base_url)
            add_conversations_open(fake)
            slack = build_slack(app, client=client)
            try:
                async with (
                    BoltAppServer(
                        slack.bolt, make_web_app=lambda: slack_web_app(slack.bolt, SIGNING_SECRET)
                    ) as server,
                    SlackEventSender(server.url, SIGNING_SECRET, web_api=fake) as sender,
                ):
                    yield SlackHarness(app, slack, fake, sender)
            finally:
                await slack.runtime.close()
    finally:
        await app.close()


def add_conversations_open(fake: FakeSlackWebAPI) -> None:
    """``conversations.open`` (a DM with one user), which the fake lacks: it mirrors Slack, giving
    the ``D…`` id the fake's own ``channel_for`` makes for that user."""

    def conversations_open(call: CallContext) -> dict[str, Any]:
        users = str(call.get("users") or "").split(",")
        if len(users) != 1 or users[0] not in fake.workspace.users:
            return {"ok": False, "error": "user_not_found"}
        channel = fake.workspace.channel_for(users[0])
        assert channel is not None
        return {"ok": True, "channel": {"id": channel.id}}

    fake.register_method("conversations.open", conversations_open)


def dm_of(user_id: str) -> str:
    """The DM id the fake gives ``user_id`` (``U0ADMIN`` → ``D0ADMIN``)."""
    return "D" + user_id[1:]


@pytest.fixture
async def slack(settings: Settings) -> AsyncIterator[SlackHarness]:
    """The app as it runs: votes answered once written, everything else acked then done."""
    async with running_slack(settings) as harness:
        yield harness
