"""Point real discord.py clients at a :class:`FakeDiscord`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, TypeVar

import discord
import discord.gateway
import discord.http
import yarl

if TYPE_CHECKING:
    from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.contextmanager
def connect_client_to(fake: FakeDiscord) -> Iterator[None]:
    """Redirect discord.py's REST base URL and default gateway URL to ``fake``.

    Patches the class attributes ``discord.http.Route.BASE`` (read when each ``Route`` is
    built, including webhook/interaction routes) and
    ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` (the non-sharded ``Client``
    connects there; ``AutoShardedClient`` asks ``GET /gateway/bot``, also served).
    The originals are restored on exit. Not safe for concurrent use with *different*
    fakes in one process.
    """
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@contextlib.asynccontextmanager
async def running_client(
    fake: FakeDiscord,
    client: ClientT,
    *,
    token: str | None = None,
    ready_timeout: float = 10.0,
    fast_ready: bool = True,
) -> AsyncIterator[ClientT]:
    """Start ``client`` against ``fake``, wait for ``on_ready`` and close it afterwards.

    ``fast_ready`` lowers discord.py's ``guild_ready_timeout`` (default 2 s of silence
    after the last GUILD_CREATE before READY fires) to 0.1 s; equivalent to constructing the
    client with ``guild_ready_timeout=0.1``.
    """
    if fast_ready:
        client._connection.guild_ready_timeout = min(client._connection.guild_ready_timeout, 0.1)
    with connect_client_to(fake):
        task = asyncio.create_task(client.start(token or fake.token), name="fake-discord-client")
        try:
            ready = asyncio.create_task(client.wait_until_ready())
            done, _ = await asyncio.wait(
                {task, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if ready not in done:
                ready.cancel()
                if task in done:
                    task.result()  # re-raise the login/connect failure
                raise TimeoutError(f"discord client not ready after {ready_timeout}s")
            yield client
        finally:
            await client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, timeout=5)
