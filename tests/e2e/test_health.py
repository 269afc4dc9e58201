"""``GET /healthz`` and ``GET /metrics`` on ``SHIPBOT_HEALTH_PORT`` in a real ``shipbot run
discord`` process against the Discord fake: ready only when the gateway is up, 503 naming
discord once it is gone; a port already taken is an ERROR line and the bot runs on. The other
modes (Slack Socket Mode, ``run all`` with Slack HTTP and the web pages, ``run web``) name their
own platforms."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from typing import Any

import aiohttp

from bot.settings import Settings
from tests.e2e.slack_support import SEED_PAIR, SIGNING_SECRET
from tests.e2e.test_run_all import free_port
from tests.e2e.test_shutdown import Shipbot, discord_env, shipbot
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlackWebAPI, FakeSocketModeServer


async def get(port: int, path: str) -> tuple[int, str]:
    timeout = aiohttp.ClientTimeout(total=5)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text()


async def health_becomes(
    bot: Shipbot, port: int, status: int, seconds: float = 30
) -> dict[str, Any]:
    """Poll /healthz until it answers ``status``; its JSON."""
    deadline = time.monotonic() + seconds
    seen: object = None
    while time.monotonic() < deadline:
        assert bot.process.returncode is None, "shipbot stopped:\n" + bot.output()
        try:
            code, body = await get(port, "/healthz")
        except aiohttp.ClientError as error:
            seen = error
        else:
            seen = (code, body)
            if code == status:
                parsed: dict[str, Any] = json.loads(body)
                return parsed
        await asyncio.sleep(0.1)
    raise AssertionError(f"/healthz never answered {status} (last: {seen}):\n" + bot.output())


def records(bot: Shipbot) -> list[dict[str, Any]]:
    found = []
    for line in bot.lines:
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if isinstance(record, dict):
                found.append(record)
    return found


async def test_run_discord_serves_health_and_metrics_and_says_when_discord_is_down(
    settings: Settings,
) -> None:
    port = free_port()
    async with FakeDiscord() as fake:
        variables = {
            **discord_env(settings, fake),
            "SHIPBOT_HEALTH_PORT": str(port),
            "SHIPBOT_HEALTH_HOST": "127.0.0.1",
        }
        async with shipbot("run", "discord", **variables) as bot:
            await bot.until_logged("discord ready")
            assert await health_becomes(bot, port, 200) == {
                "status": "ok",
                "database": "up",
                "platforms": {"discord": "up"},
            }
            code, page = await get(port, "/metrics")
            assert code == 200
            assert "process_cpu_seconds_total" in page
            assert "shipbot_vote_queue_depth 0.0" in page
            assert "shipbot_card_refreshes_pending" in page

            await fake.stop()  # the gateway goes away: discord.py retries, still "ready"
            assert await health_becomes(bot, port, 503) == {
                "status": "unavailable",
                "database": "up",
                "platforms": {"discord": "down"},
            }
            await bot.stop()


async def test_a_taken_health_port_is_an_error_line_and_the_bot_still_answers(
    settings: Settings,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with FakeDiscord() as fake:
            variables = {
                **discord_env(settings, fake),
                "SHIPBOT_HEALTH_PORT": str(port),
                "SHIPBOT_HEALTH_HOST": "127.0.0.1",
            }
            async with shipbot("run", "discord", **variables) as bot:
                await bot.until_logged("discord ready")
                errors = [r for r in records(bot) if r.get("level") == "ERROR"]
                assert len(errors) == 1, bot.output()
                assert str(port) in errors[0]["message"]
                assert "SHIPBOT_HEALTH_PORT" in errors[0]["message"]
                handle = await fake.send_slash_command(
                    None, None, None, "compare", {"matchup": SEED_PAIR}
                )
                await handle.wait_response(timeout=15)
                assert handle.response_type == 4
                await bot.stop()


async def test_run_slack_socket_mode_is_healthy_while_the_socket_is_connected(
    settings: Settings,
) -> None:
    port = free_port()
    async with FakeSlackWebAPI() as fake:
        sockets = FakeSocketModeServer(fake)
        await sockets.start()
        try:
            env = {
                "SHIPBOT_DATABASE_URL": settings.database_url,
                "SHIPBOT_SLACK_BOT_TOKEN": fake.bot_token,
                "SHIPBOT_SLACK_APP_TOKEN": fake.app_token,
                "SHIPBOT_SLACK_API_BASE": fake.base_url,
                "SHIPBOT_HEALTH_PORT": str(port),
                "SHIPBOT_HEALTH_HOST": "127.0.0.1",
            }
            async with shipbot("run", "slack", **env) as bot:
                await sockets.wait_connected(timeout=30)
                report = await health_becomes(bot, port, 200)
                assert report["platforms"] == {"slack": "up"}
                await sockets.stop()  # the socket closes and reconnecting fails
                report = await health_becomes(bot, port, 503)
                assert report == {
                    "status": "unavailable",
                    "database": "up",
                    "platforms": {"slack": "down"},
                }
                await bot.stop()
        finally:
            await sockets.stop()


async def test_run_all_names_every_platform_and_slack_http_keeps_its_own_healthz(
    settings: Settings,
) -> None:
    health, slack_port, web_port = free_port(), free_port(), free_port()
    async with FakeSlackWebAPI() as fake, FakeDiscord() as discord:
        env = {
            **discord_env(settings, discord),
            "SHIPBOT_SLACK_BOT_TOKEN": fake.bot_token,
            "SHIPBOT_SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SHIPBOT_SLACK_API_BASE": fake.base_url,
            "SHIPBOT_WEB_PORT": str(web_port),
            "SHIPBOT_HEALTH_PORT": str(health),
            "SHIPBOT_HEALTH_HOST": "127.0.0.1",
        }
        async with shipbot("run", "all", "--port", str(slack_port), **env) as bot:
            await bot.until_logged("discord ready")
            expected = {
                "status": "ok",
                "database": "up",
                "platforms": {"discord": "up", "slack": "up", "web": "up"},
            }
            assert await health_becomes(bot, health, 200) == expected
            assert await health_becomes(bot, slack_port, 200) == expected
            code, page = await get(slack_port, "/metrics")
            assert code == 200 and "process_cpu_seconds_total" in page
            await bot.stop()


async def test_run_web_serves_health_beside_its_pages(settings: Settings) -> None:
    health, web_port = free_port(), free_port()
    env = {
        "SHIPBOT_DATABASE_URL": settings.database_url,
        "SHIPBOT_HEALTH_PORT": str(health),
        "SHIPBOT_HEALTH_HOST": "127.0.0.1",
    }
    async with shipbot("run", "web", "--port", str(web_port), **env) as bot:
        report = await health_becomes(bot, health, 200)
        assert report["platforms"] == {"web": "up"}
        code, page = await get(health, "/metrics")
        assert code == 200 and "shipbot_card_refreshes_pending" in page
        await bot.stop()
