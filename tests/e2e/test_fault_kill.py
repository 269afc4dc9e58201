"""Fault test: 10,000 votes from concurrent writers into a real `shipbot run slack --http` process
that is killed with SIGKILL part-way and restarted. Every vote Slack saw acknowledged (HTTP 200)
must be in the database exactly once; unacknowledged ones are re-sent, as Slack does, with the
same event id."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from adapters.bootstrap import build_app
from bot.models import Community, Pair
from bot.settings import Settings
from tests.fakes.slack import FakeSlackWebAPI, SlackEventSender

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

SECRET = "fault-test-secret"
VOTES = 10_000
WRITERS = 48
KILL_AFTER = 3_000
TS = "1732470000.000100"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    """`shipbot run slack --http` as a real child process."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        command = [sys.executable, "-c", "from adapters.console.cli import main; main()"]
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *command,
                "run",
                "slack",
                "--http",
                "--port",
                str(self.port),
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        for _ in range(300):
            assert self.process.returncode is None, self.log.read_text()[-3000:]
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            except OSError:
                await asyncio.sleep(0.05)
        raise AssertionError("the bot did not start listening")

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), timeout=15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackWebAPI]:
    async with FakeSlackWebAPI() as api:
        yield api


async def test_sigkill_mid_burst_loses_no_acknowledged_vote_and_counts_none_twice(
    fake: FakeSlackWebAPI, settings: Settings, tmp_path: Path
) -> None:
    community = Community("slack", fake.workspace.team_id)
    app = await build_app(settings, migrate=False)
    try:
        card = await app.service.open_card(
            await app.service.compare("SmolLM3 vs Mistral Medium 3", community),
            community,
            "C0GENERAL",
        )
        assert card.card_id is not None
        await app.service.attach_message(card.card_id, TS)
    finally:
        await app.close()

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHIPBOT_")}
    env.update(
        SHIPBOT_DATABASE_URL=settings.database_url,
        SHIPBOT_SLACK_BOT_TOKEN=fake.bot_token,
        SHIPBOT_SLACK_SIGNING_SECRET=SECRET,
        SHIPBOT_SLACK_API_BASE=fake.base_url,
        SHIPBOT_LOG_LEVEL="WARNING",
        SHIPBOT_HEALTH_PORT="0",  # no health server on 8080
    )
    bot = BotProcess(env, port, tmp_path / "bot.log")
    await bot.start()

    pending: asyncio.Queue[int] = asyncio.Queue()
    for i in range(VOTES):
        pending.put_nowait(i)
    acked: set[int] = set()
    attempts: dict[int, int] = {}
    killed = asyncio.Event()
    up = asyncio.Event()
    up.set()
    sender = SlackEventSender(
        f"http://127.0.0.1:{port}/slack/events", SECRET, web_api=fake, timeout=15
    )

    async def writer() -> None:
        while len(acked) < VOTES:
            try:
                i = pending.get_nowait()
            except asyncio.QueueEmpty:
                await asyncio.sleep(0.05)
                continue
            await up.wait()
            side = "a" if i % 5 < 3 else "b"  # 60 / 40
            envelope = sender.payloads.reaction_event(
                side, channel_id="C0GENERAL", ts=TS, user_id=f"U{i:05d}", event_id=f"Ev{i:05d}"
            )
            retry = attempts.get(i, 0)
            attempts[i] = retry + 1
            try:
                response = await sender.send_event(envelope, retry_num=retry or None)
                ok = response.status == 200
            except (TimeoutError, aiohttp.ClientError):
                ok = False
            if ok:
                acked.add(i)
                if len(acked) >= KILL_AFTER and not killed.is_set():
                    killed.set()
                    up.clear()
                    await bot.kill()  # mid-burst: other writers have requests in flight
                    await bot.start()
                    up.set()
            else:
                await asyncio.sleep(0.05)
                pending.put_nowait(i)

    try:
        await asyncio.wait_for(asyncio.gather(*(writer() for _ in range(WRITERS))), timeout=900)
    finally:
        await sender.close()
        await bot.stop()

    assert killed.is_set()
    assert len(acked) == VOTES
    check = await build_app(settings, migrate=False)
    try:
        async with check.service._uow() as uow:  # read the store directly: the exact truth
            posted = await uow.cards.get(card.card_id)
            assert posted is not None
            tally = await uow.votes.tally(Pair.of(posted.tool_a, posted.tool_b), community)
    finally:
        await check.close()
    retried = sum(1 for n in attempts.values() if n > 1)
    assert tally.votes_for(posted.tool_a) == VOTES * 3 // 5, (tally, retried)
    assert tally.votes_for(posted.tool_b) == VOTES * 2 // 5, (tally, retried)
    assert retried > 0, "the kill must have cut some requests off"
