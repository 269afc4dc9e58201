"""A fake Discord (REST API v10 + gateway) for end-to-end tests of real discord.py bots.

Usage::

    async with FakeDiscord() as fake:
        client = discord.Client(intents=discord.Intents.default())
        async with running_client(fake, client):
            handle = await fake.send_slash_command(None, None, fake.member, "ping")
            await handle.wait_response()
"""

if __name__ == "discord":  # pragma: no cover - guards against sys.path mistakes
    raise ImportError(
        "tests/fakes/discord was imported as the top-level 'discord' package; do not put "
        "tests/fakes on sys.path (it would shadow discord.py)."
    )

from .client import connect_client_to, running_client
from .interactions import InteractionHandle
from .recording import FailureRule, RecordedFile, RecordedRequest
from .server import FakeDiscord
from .snowflake import Intent, Perm, make_snowflake, snowflake_time
from .state import FakeChannel, FakeGuild, FakeMember, FakeRole, FakeUser, StoredMessage

__all__ = [
    "FailureRule",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "Intent",
    "InteractionHandle",
    "Perm",
    "RecordedFile",
    "RecordedRequest",
    "StoredMessage",
    "connect_client_to",
    "make_snowflake",
    "running_client",
    "snowflake_time",
]
