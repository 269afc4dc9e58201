"""``run_discord``: the real entry point, pointed at the fake through settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord.http
import pytest
from pydantic import SecretStr

from adapters.bootstrap import build_app
from adapters.discord.runner import run_discord
from bot.settings import MissingSetting, Settings
from tests.fakes.discord import FakeDiscord


def overrides(settings: Settings, fake: FakeDiscord, token: str) -> Settings:
    return settings.model_copy(
        update={
            "discord_token": SecretStr(token),
            "discord_api_base": fake.api_url,
            "discord_gateway_url": fake.gateway_url,
        }
    )


async def test_run_discord_connects_syncs_globally_and_answers(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.discord.client")
    async with FakeDiscord() as fake:
        app = await build_app(overrides(settings, fake, fake.token), migrate=False)
        task = asyncio.create_task(run_discord(app))
        try:
            await fake.wait_for_clients(1)
            synced = await fake.wait_for_request(
                lambda r: r.matches("PUT", "/applications/{application_id}/commands")
            )
            assert {c["name"] for c in synced.json} == {
                "compare",
                "tool",
                "review",
                "panel",
                "leaderboard",
                "subscribe",
                "unsubscribe",
                "export",
                "help",
                "tools",
                "alternatives",
            }
            handle = await fake.send_slash_command(
                None, None, None, "compare", {"matchup": "SmolLM3 vs Mistral Medium 3"}
            )
            await handle.wait_response()
            assert handle.response_type == 4
            # READY comes after discord.py's 2 s wait for guilds; stopping before it would leave
            # discord.py's own ready task pending
            await fake.wait_until(
                lambda: any(r.getMessage() == "discord ready" for r in caplog.records), timeout=5
            )
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await app.close()
        assert fake.internal_errors == []
    assert discord.http.Route.BASE == "https://discord.com/api/v10"  # restored


async def test_a_rejected_token_is_one_line_naming_the_variable(settings: Settings) -> None:
    async with FakeDiscord() as fake:
        app = await build_app(overrides(settings, fake, "wrong-token"), migrate=False)
        try:
            with pytest.raises(MissingSetting) as raised:
                await asyncio.wait_for(run_discord(app), timeout=10)
        finally:
            await app.close()
    assert raised.value.variable == "SHIPBOT_DISCORD_TOKEN"
    assert "\n" not in str(raised.value) and "rejected" in str(raised.value)
