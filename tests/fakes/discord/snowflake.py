"""Snowflake ids and Discord permission bits used by the fake Discord."""

from __future__ import annotations

import itertools
import secrets
import time
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000
"""Milliseconds of 2015-01-01T00:00:00Z, the epoch of Discord snowflakes."""

_counter = itertools.count()


def make_snowflake(when: datetime | None = None) -> int:
    """Return a fresh, unique snowflake whose timestamp is ``when`` (default: now).

    Ids generated "now" are strictly increasing within a process, like real ones.
    """
    ms = int(time.time() * 1000) if when is None else int(when.timestamp() * 1000)
    increment = next(_counter)
    worker = 1 + (increment >> 12) % 31  # spill the counter into the worker bits
    return ((ms - DISCORD_EPOCH_MS) << 22) | (worker << 17) | (increment & 0xFFF)


def snowflake_time(snowflake: int) -> datetime:
    """Return the creation time encoded in ``snowflake`` (UTC)."""
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


def iso_now() -> str:
    """Return the current time as an ISO-8601 string, the way Discord formats timestamps."""
    return datetime.now(UTC).isoformat()


def random_token(nbytes: int = 48) -> str:
    """Return an opaque random token such as an interaction token."""
    return "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(nbytes)


class Perm:
    """Permission bit flags (subset of https://discord.com/developers/docs/topics/permissions)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CHANGE_NICKNAME = 1 << 26
    USE_APPLICATION_COMMANDS = 1 << 31
    SEND_MESSAGES_IN_THREADS = 1 << 38
    ALL = (1 << 53) - 1

    EVERYONE_DEFAULT = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | SEND_MESSAGES_IN_THREADS
    )
    BOT_DEFAULT = EVERYONE_DEFAULT | MANAGE_MESSAGES


class Intent:
    """Gateway intent bits (https://discord.com/developers/docs/events/gateway#gateway-intents)."""

    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    DIRECT_MESSAGES = 1 << 12
    DIRECT_MESSAGE_REACTIONS = 1 << 13
    MESSAGE_CONTENT = 1 << 15
    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
