"""Every long-running mode stops cleanly on SIGTERM (``docker stop``) and Ctrl-C, as a real
process against the local fakes: the vote just cast is in the database, the pending card edit
is sent, and the process exits 0 with ``shutting down (SIGTERM)`` and ``stopped`` in its log,
well inside Docker's 10 s grace."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from adapters.bootstrap import build_app
from bot.settings import Settings
from bot.votes import Split
from tests.e2e.slack_support import SEED_PAIR, SIGNING_SECRET
from tests.e2e.test_run_all import free_port, wait_listening
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import (
    FakeSlackWebAPI,
    FakeSocketModeServer,
    SlackEventSender,
    SlackPayloads,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPBOT = [sys.executable, "-c", "from adapters.console.cli import main; main()"]
A = "🅰️"


@dataclass
class Shipbot:
    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        found = []
        for line in self.lines:
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict):
                    found.append(str(record.get("message")))
        return found

    async def until_logged(self, message: str, count: int = 1, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while self.messages().count(message) < count:
            assert self.process.returncode is None, "shipbot stopped:\n" + self.output()
            assert time.monotonic() < deadline, f"no {message!r} logged:\n" + self.output()
            await asyncio.sleep(0.05)

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> float:
        """Send ``sig``; the seconds until the process exited (asserting it exits 0)."""
        started = time.monotonic()
        self.process.send_signal(sig)
        code = await asyncio.wait_for(self.process.wait(), timeout=10)
        elapsed = time.monotonic() - started
        await asyncio.sleep(0.1)  # the reader takes the last lines
        assert code == 0, f"exit {code}:\n" + self.output()
        messages = self.messages()
        assert f"shutting down ({sig.name})" in messages, self.output()
        assert messages[-1] == "stopped", self.output()
        return elapsed

    def output(self) -> str:
        return "".join(self.lines[-40:])


@contextlib.asynccontextmanager
async def shipbot(*args: str, **variables: str) -> AsyncIterator[Shipbot]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHIPBOT_")}
    env.update(SHIPBOT_LOG_JSON="true", SHIPBOT_HEALTH_PORT="0", NO_COLOR="1")
    env.update(variables)  # a test may give its own SHIPBOT_HEALTH_PORT
    process = await asyncio.create_subprocess_exec(
        *SHIPBOT,
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    running = Shipbot(process)

    async def read() -> None:
        assert process.stderr is not None
        while line := await process.stderr.readline():
            running.lines.append(line.decode(errors="replace"))

    reader = asyncio.create_task(read())
    try:
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await reader


async def split_of(settings: Settings, platform: str, channel: str, message: str) -> Split:
    app = await build_app(settings, migrate=False)
    try:
        card = await app.service.card_by_message(platform, channel, message)
        assert card is not None
        split: Split = (await app.service.render_posted(card.id)).community.here
        return split
    finally:
        await app.close()


def discord_env(settings: Settings, fake: FakeDiscord) -> dict[str, str]:
    return {
        "SHIPBOT_DATABASE_URL": settings.database_url,
        "SHIPBOT_DISCORD_TOKEN": fake.token,
        "SHIPBOT_DISCORD_API_BASE": fake.api_url,
        "SHIPBOT_DISCORD_GATEWAY_URL": fake.gateway_url,
        "SHIPBOT_REFRESH_SECONDS": "60",  # the second vote's edit waits: only a flush sends it
    }


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_run_discord_drains_votes_and_card_edits_then_exits_0(
    settings: Settings, sig: signal.Signals
) -> None:
    async with (
        FakeDiscord() as fake,
        shipbot("run", "discord", **discord_env(settings, fake)) as bot,
    ):
        await fake.wait_for_clients(1, timeout=30)
        await bot.until_logged("discord ready")
        handle = await fake.send_slash_command(None, None, None, "compare", {"matchup": SEED_PAIR})
        await handle.wait_response(timeout=15)
        message_id = handle.record.original_message_id
        assert message_id is not None
        stored = fake.world.messages[message_id]
        await fake.wait_until(lambda: len(stored.reactions) == 2, timeout=15)

        def edits() -> int:
            return len(
                [
                    r
                    for r in fake.requests_to(
                        "PATCH", "/channels/{channel_id}/messages/{message_id}"
                    )
                    if r.params.get("message_id") == str(message_id) and r.status == 200
                ]
            )

        await fake.add_reaction(message_id, user=fake.member, emoji=A)
        await fake.wait_until(lambda: edits() == 1, timeout=15)  # the first edit: at once
        await fake.add_reaction(message_id, user=fake.admin, emoji=A)
        await bot.until_logged("reaction_vote", 2)  # committed; its edit waits for the interval
        assert edits() == 1
        elapsed = await bot.stop(sig)
    assert elapsed < 9, elapsed
    assert edits() == 2, "the pending card edit was sent on the way out"
    assert await split_of(settings, "discord", str(fake.channel.id), str(message_id)) == Split(2, 0)


async def test_run_slack_socket_mode_drains_on_sigterm(settings: Settings) -> None:
    async with FakeSlackWebAPI() as fake, FakeSocketModeServer(fake) as sockets:
        env = {
            "SHIPBOT_DATABASE_URL": settings.database_url,
            "SHIPBOT_SLACK_BOT_TOKEN": fake.bot_token,
            "SHIPBOT_SLACK_APP_TOKEN": fake.app_token,
            "SHIPBOT_SLACK_API_BASE": fake.base_url,
            "SHIPBOT_REFRESH_SECONDS": "60",
        }
        async with shipbot("run", "slack", **env) as bot:
            await sockets.wait_connected(timeout=30)
            payloads = SlackPayloads(web_api=fake)
            await sockets.send_envelope(
                "slash_commands", payloads.slash_command("/compare", SEED_PAIR)
            )
            ts = (await fake.wait_for_call("chat.postMessage", timeout=15)).response["ts"]
            await fake.wait_for_calls("reactions.add", 2, timeout=15)
            for number, user in enumerate(("U0FIRST", "U0SECOND")):
                event = payloads.reaction_event("a", channel_id="C0GENERAL", ts=ts, user_id=user)
                await sockets.wait_for_ack(await sockets.send_envelope("events_api", event))
                if number == 0:  # the first edit goes at once
                    await fake.wait_for_calls("chat.update", 1, timeout=15)
            assert len(fake.calls_to("chat.update")) == 1  # the second edit waits
            await bot.stop()
        assert len(fake.calls_to("chat.update")) == 2
    assert await split_of(settings, "slack", "C0GENERAL", ts) == Split(2, 0)


async def test_run_slack_http_and_run_all_drain_on_sigterm(settings: Settings) -> None:
    port = free_port()
    async with FakeSlackWebAPI() as fake, FakeDiscord() as discord:
        env = {
            **discord_env(settings, discord),
            "SHIPBOT_SLACK_BOT_TOKEN": fake.bot_token,
            "SHIPBOT_SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SHIPBOT_SLACK_API_BASE": fake.base_url,
        }
        async with shipbot("run", "all", "--port", str(port), **env) as bot:
            await discord.wait_for_clients(1, timeout=30)
            await wait_listening(port, bot.process)
            url = f"http://127.0.0.1:{port}/slack/events"
            async with SlackEventSender(url, SIGNING_SECRET, web_api=fake) as sender:
                assert (await sender.slash_command("/compare", SEED_PAIR)).status == 200
                ts = (await fake.wait_for_call("chat.postMessage", timeout=15)).response["ts"]
                await fake.wait_for_calls("reactions.add", 2, timeout=15)
                answer = await sender.reaction("a", channel_id="C0GENERAL", ts=ts)
                assert answer.status == 200  # committed before the 200
            await bot.stop()
    assert await split_of(settings, "slack", "C0GENERAL", ts) == Split(1, 0)


async def test_run_web_exits_0_on_sigterm(settings: Settings) -> None:
    port = free_port()
    async with shipbot(
        "run", "web", "--port", str(port), SHIPBOT_DATABASE_URL=settings.database_url
    ) as bot:
        await wait_listening(port, bot.process)
        await bot.stop()
