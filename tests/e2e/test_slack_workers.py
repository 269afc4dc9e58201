"""HTTP mode as operators run it: ``/healthz`` and ``/metrics`` on the Slack port, and
``shipbot run slack --http --workers 2``: two real processes sharing one port, votes exact."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

from adapters.bootstrap import build_app
from adapters.slack.runner import run_slack
from bot.settings import Settings
from bot.votes import Split
from tests.e2e.slack_support import SEED_PAIR, SIGNING_SECRET
from tests.e2e.test_slack_runner import app_for, free_port, running, wait_listening
from tests.fakes.slack import FakeSlackWebAPI, SlackEventSender

ROOT = Path(__file__).resolve().parents[2]
CLOSE = {"Connection": "close"}  # a new connection per request: the kernel spreads them


async def test_healthz_and_metrics_are_served_on_the_slack_port(settings: Settings) -> None:
    async with FakeSlackWebAPI() as fake, app_for(settings, fake) as app:
        port = free_port()
        async with running(run_slack(app, http=True, port=port, oauth=False)) as task:
            await wait_listening(port, task)
            base = f"http://127.0.0.1:{port}"
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{base}/healthz") as health:
                    assert health.status == 200
                    assert await health.json() == {"status": "ok", "database": "up"}
                async with SlackEventSender(
                    f"{base}/slack/events", SIGNING_SECRET, web_api=fake
                ) as sender:
                    assert (await sender.slash_command("/compare", SEED_PAIR)).status == 200
                    await fake.wait_for_calls("reactions.add", 2)  # the command has finished
                async with http.get(f"{base}/metrics") as page:
                    assert page.status == 200
                    body = await page.text()
            assert 'shipbot_actions_total{action="compare",outcome="ok",platform="slack"} 1.0' in (
                body
            )


async def read_lines(stream: asyncio.StreamReader, into: list[str]) -> None:
    while line := await stream.readline():
        into.append(line.decode(errors="replace"))


def events(lines: list[str], message: str) -> list[dict[str, object]]:
    out = []
    for line in lines:
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if isinstance(record, dict) and record.get("message") == message:
                out.append(record)
    return out


async def until(condition: object, lines: list[str], seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out; worker output:\n" + "".join(lines[-40:]))


@contextlib.asynccontextmanager
async def shipbot_workers(
    settings: Settings, fake: FakeSlackWebAPI, port: int, lines: list[str]
) -> AsyncIterator[asyncio.subprocess.Process]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SHIPBOT_")},
        "SHIPBOT_DATABASE_URL": settings.database_url,
        "SHIPBOT_SLACK_BOT_TOKEN": fake.bot_token,
        "SHIPBOT_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SHIPBOT_SLACK_API_BASE": fake.base_url,
        "SHIPBOT_LOG_LEVEL": "INFO",
        "SHIPBOT_LOG_JSON": "true",
        "SHIPBOT_REFRESH_SECONDS": "0.1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from adapters.console.cli import main; main()",
        *("run", "slack", "--http", "--port", str(port), "--workers", "2"),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    reader = asyncio.create_task(read_lines(process.stderr, lines))
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await reader


async def test_two_workers_share_the_port_and_count_every_vote_once(settings: Settings) -> None:
    lines: list[str] = []
    port = free_port()
    async with (
        FakeSlackWebAPI() as fake,
        shipbot_workers(settings, fake, port, lines) as process,
    ):
        await until(lambda: len(events(lines, "slack http mode listening")) == 2, lines)
        url = f"http://127.0.0.1:{port}/slack/events"
        async with SlackEventSender(url, SIGNING_SECRET, web_api=fake) as sender:
            resp = await sender.slash_command("/compare", SEED_PAIR, extra_headers=CLOSE)
            assert resp.status == 200
            call = await fake.wait_for_call("chat.postMessage", timeout=15)
            ts = call.response["ts"]
            await fake.wait_for_calls("reactions.add", 2, timeout=15)

            gate = asyncio.Semaphore(10)

            async def vote(number: int) -> None:
                async with gate:
                    emoji = "a" if number % 5 < 3 else "b"
                    answer = await sender.reaction(
                        emoji,
                        channel_id="C0GENERAL",
                        ts=ts,
                        user_id=f"U{number:05d}",
                        extra_headers=CLOSE,
                    )
                    assert answer.status == 200, answer.text

            await asyncio.gather(*(vote(n) for n in range(50)))

        # Every 200 came after its vote was committed: the tally is exact at once.
        app = await build_app(settings, migrate=False)
        try:
            card = await app.service.card_by_message("slack", "C0GENERAL", ts)
            assert card is not None
            assert (await app.service.render_posted(card.id)).community.here == Split(30, 20)
        finally:
            await app.close()

        votes = events(lines, "reaction_vote")
        assert len(votes) == 50
        pids = {record["pid"] for record in votes}
        assert len(pids) == 2, pids  # both workers answered

        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0
    stopped = events(lines, "slack worker stopped")
    assert {r["pid"] for r in stopped} == pids  # each worker shut down cleanly
    assert not [line for line in lines if re.search(r'"level": "(ERROR|CRITICAL)"', line)]
