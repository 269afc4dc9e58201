"""SHIPBOT_WEB_PORT: the web pages served inside a bot's process, stopping with it."""

from __future__ import annotations

import asyncio

import httpx

from adapters.bootstrap import App, build_app
from adapters.console.run_commands import with_web
from bot.settings import Settings
from tests.e2e.web_support import SEED_PATH, free_port


async def listening(port: int, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if loop.time() > end:
                raise
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return


async def test_the_web_port_serves_the_pages_beside_a_bot_and_stops_with_it(
    settings: Settings,
) -> None:
    port = free_port()
    app = await build_app(settings.model_copy(update={"web_port": port}), migrate=False)
    stop = asyncio.Event()

    async def bot(shipbot: App) -> None:
        await stop.wait()

    running = asyncio.create_task(with_web(bot)(app))
    try:
        await listening(port)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            page = await client.get(SEED_PATH)
            assert page.status_code == 200 and "SmolLM3 vs Mistral Medium 3" in page.text
        stop.set()  # the bot ends: the web server goes with it
        await asyncio.wait_for(running, 10)
    finally:
        running.cancel()
        await app.close()
