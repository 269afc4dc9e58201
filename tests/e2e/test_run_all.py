"""``shipbot run all`` as a real process: it runs every platform whose credentials are set and
says which, against the local Slack and Discord fakes; with none set it is one line, exit 2."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.e2e.slack_support import SEED_PAIR, SIGNING_SECRET
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlackWebAPI, SlackEventSender

SHIPBOT = [sys.executable, "-c", "from adapters.console.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def clean_env(**variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHIPBOT_")}
    env.update(NO_COLOR="1", COLUMNS="200", SHIPBOT_LOG_LEVEL="WARNING", SHIPBOT_HEALTH_PORT="0")
    env.update(variables)
    return env


@contextlib.asynccontextmanager
async def run_all(
    env: dict[str, str], cwd: Path, *args: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        *SHIPBOT,
        "run",
        "all",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), timeout=15)
            except TimeoutError:
                process.kill()
                await process.wait()


async def first_line(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
    return line.decode().strip()


async def wait_listening(port: int, process: asyncio.subprocess.Process) -> None:
    for _ in range(400):
        assert process.returncode is None, "run all stopped"
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            await writer.wait_closed()
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


async def test_with_only_slack_set_it_runs_slack_and_says_so(
    settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    async with FakeSlackWebAPI() as fake:
        env = clean_env(
            SHIPBOT_DATABASE_URL=settings.database_url,
            SHIPBOT_SLACK_BOT_TOKEN=fake.bot_token,
            SHIPBOT_SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SHIPBOT_SLACK_API_BASE=fake.base_url,
        )
        async with run_all(env, tmp_path, "--port", str(port)) as process:
            assert await first_line(process) == (
                "running slack (discord: no SHIPBOT_DISCORD_TOKEN set)"
            )
            await wait_listening(port, process)
            url = f"http://127.0.0.1:{port}/slack/events"
            async with SlackEventSender(url, SIGNING_SECRET, web_api=fake) as sender:
                resp = await sender.slash_command("/compare", SEED_PAIR)
                assert resp.status == 200, resp.text
                call = await fake.wait_for_call("chat.postMessage", timeout=15)
                assert call.response["ok"]
                await fake.wait_for_calls("reactions.add", 2)


async def test_with_only_discord_set_it_runs_discord_and_says_so(
    settings: Settings, tmp_path: Path
) -> None:
    async with FakeDiscord() as fake:
        env = clean_env(
            SHIPBOT_DATABASE_URL=settings.database_url,
            SHIPBOT_DISCORD_TOKEN=fake.token,
            SHIPBOT_DISCORD_API_BASE=fake.api_url,
            SHIPBOT_DISCORD_GATEWAY_URL=fake.gateway_url,
        )
        async with run_all(env, tmp_path) as process:
            assert await first_line(process) == (
                "running discord (slack: no SHIPBOT_SLACK_BOT_TOKEN set)"
            )
            await fake.wait_for_clients(1, timeout=30)
            handle = await fake.send_slash_command(
                None, None, None, "compare", {"matchup": SEED_PAIR}
            )
            await handle.wait_response()
            assert handle.response_type == 4


@pytest.mark.parametrize(
    "partial",
    [{}, {"SHIPBOT_SLACK_APP_TOKEN": "xapp-only"}],
    ids=["nothing", "slack-app-token-only"],
)
async def test_with_no_platform_set_it_is_one_line_and_exit_2(
    settings: Settings, tmp_path: Path, partial: dict[str, str]
) -> None:
    env = clean_env(SHIPBOT_DATABASE_URL=settings.database_url, **partial)
    async with run_all(env, tmp_path) as process:
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 2
    assert out.decode() == ""
    [line] = err.decode().strip().splitlines()
    assert "SHIPBOT_DISCORD_TOKEN" in line and "SHIPBOT_SLACK_BOT_TOKEN" in line, line
