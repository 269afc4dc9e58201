"""HTTP mode as operators run it: ``/healthz`` and ``/metrics`` on the Slack port, and
``shipbot run slack --http --workers 2``: two real processes sharing one port, votes exact."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

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
                    assert await health.json() == {
                        "status": "ok",
                        "database": "up",
                        "platforms": {"slack": "up"},
                    }
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
    settings: Settings,
    fake: FakeSlackWebAPI,
    port: int,
    lines: list[str],
    workers: int = 2,
    refresh_seconds: float = 0.1,
) -> AsyncIterator[asyncio.subprocess.Process]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SHIPBOT_")},
        "SHIPBOT_DATABASE_URL": settings.database_url,
        "SHIPBOT_SLACK_BOT_TOKEN": fake.bot_token,
        "SHIPBOT_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SHIPBOT_SLACK_API_BASE": fake.base_url,
        "SHIPBOT_LOG_LEVEL": "INFO",
        "SHIPBOT_LOG_JSON": "true",
        "SHIPBOT_REFRESH_SECONDS": str(refresh_seconds),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from adapters.console.cli import main; main()",
        *("run", "slack", "--http", "--port", str(port), "--workers", str(workers)),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,  # its own process group: a failed test stops every worker
    )
    assert process.stderr is not None
    reader = asyncio.create_task(read_lines(process.stderr, lines))
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the workers too, not only their parent
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


@pytest.mark.timeout(400)
async def test_workers_share_one_edit_per_card_per_interval_and_the_last_is_exact(
    settings: Settings,
) -> None:
    """Three real worker processes take a burst of votes on one card: between them they edit it
    at most once per ``SHIPBOT_REFRESH_SECONDS`` (the refresh lease in the database), and the last
    edit shows the exact final count."""
    interval, voters, workers = 0.5, 90, 3
    lines: list[str] = []
    port = free_port()
    async with (
        FakeSlackWebAPI() as fake,
        shipbot_workers(settings, fake, port, lines, workers, interval) as process,
    ):
        await until(lambda: len(events(lines, "slack http mode listening")) == workers, lines, 120)
        url = f"http://127.0.0.1:{port}/slack/events"
        edits: list[float] = []  # when each chat.update was seen (polled every 5 ms)
        loop = asyncio.get_running_loop()

        async def watch() -> None:
            while True:
                seen = len(fake.calls_to("chat.update"))
                edits.extend([loop.time()] * (seen - len(edits)))
                await asyncio.sleep(0.005)

        async with SlackEventSender(url, SIGNING_SECRET, web_api=fake) as sender:
            assert (
                await sender.slash_command("/compare", SEED_PAIR, extra_headers=CLOSE)
            ).status == 200
            ts = (await fake.wait_for_call("chat.postMessage", timeout=15)).response["ts"]
            await fake.wait_for_calls("reactions.add", 2, timeout=15)
            watcher = asyncio.create_task(watch())
            gate = asyncio.Semaphore(12)

            async def vote(number: int) -> None:
                async with gate:
                    answer = await sender.reaction(
                        "a" if number % 3 else "b",
                        channel_id="C0GENERAL",
                        ts=ts,
                        user_id=f"U{number:05d}",
                        extra_headers=CLOSE,
                    )
                    assert answer.status == 200, answer.text

            started = loop.time()
            await asyncio.gather(*(vote(n) for n in range(voters)))
            burst = loop.time() - started
            final = f"n = {voters} here"
            for _ in range(200):  # the last edit comes within an interval or two
                updates = fake.calls_to("chat.update")
                if updates and final in json.dumps(updates[-1].args.get("blocks")):
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(interval * 2)  # nothing more is edited after the final count
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

        updates = fake.calls_to("chat.update")
        assert updates and final in json.dumps(updates[-1].args.get("blocks")), "final count"
        assert len({r["pid"] for r in events(lines, "reaction_vote")}) > 1  # spread over workers
        # The lease spaces the edits by the interval; the fake sees them with the jitter of three
        # loaded processes' HTTP calls, so: no two within half an interval, no three within one,
        # and no more in all than the burst's length allows (uncoordinated workers make ~3x).
        gaps = [later - earlier for earlier, later in itertools.pairwise(edits)]
        spans = [edits[i + 2] - edits[i] for i in range(len(edits) - 2)]
        assert min(gaps, default=interval) >= interval / 2, (gaps, burst)
        assert min(spans, default=interval) >= interval, (gaps, burst)
        assert len(edits) <= (burst + 2 * interval) / interval + 2, (len(edits), burst)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0
