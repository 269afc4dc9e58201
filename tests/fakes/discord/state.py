"""In-memory model of the fake Discord world: users, guilds, channels, roles, messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .snowflake import Perm, iso_now, make_snowflake, snowflake_time

JSON = dict[str, Any]

EPHEMERAL = 1 << 6
LOADING = 1 << 7


@dataclass
class FakeUser:
    """A Discord user. ``created_at`` is derived from the snowflake ``id``."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    avatar: str | None = None

    @property
    def created_at(self) -> datetime:
        """Account creation time, decoded from the snowflake."""
        return snowflake_time(self.id)

    def to_payload(self) -> JSON:
        """Return the user object as Discord sends it."""
        data: JSON = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": self.avatar,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "primary_guild": None,
            "collectibles": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class FakeRole:
    """A guild role with a permissions bitfield."""

    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    bot_id: int | None = None

    def to_payload(self) -> JSON:
        """Return the role object as Discord sends it."""
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class FakeChannel:
    """A guild channel (type 0 = text). Overwrites are raw Discord overwrite dicts."""

    id: int
    guild_id: int
    name: str
    type: int = 0
    position: int = 0
    topic: str | None = None
    parent_id: int | None = None
    permission_overwrites: list[JSON] = field(default_factory=list)
    last_message_id: int | None = None

    def to_payload(self, *, with_guild_id: bool = True) -> JSON:
        """Return the channel object as Discord sends it."""
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "topic": self.topic,
            "nsfw": False,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "permission_overwrites": list(self.permission_overwrites),
            "rate_limit_per_user": 0,
            "last_message_id": str(self.last_message_id) if self.last_message_id else None,
            "flags": 0,
        }
        if with_guild_id:
            data["guild_id"] = str(self.guild_id)
        return data


@dataclass
class FakeMember:
    """A user's membership in a guild."""

    user: FakeUser
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    def to_payload(self, *, permissions: int | None = None, with_user: bool = True) -> JSON:
        """Return the guild member object; ``permissions`` is added for interactions."""
        data: JSON = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.to_payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class FakeGuild:
    """A guild; the ``@everyone`` role has the guild's id."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    locale: str = "en-US"
    system_channel_id: int | None = None

    @property
    def everyone(self) -> FakeRole:
        """The ``@everyone`` role."""
        return self.roles[self.id]

    def base_permissions(self, user_id: int) -> int:
        """Guild-level permissions of ``user_id`` (owner/administrator get everything)."""
        if user_id == self.owner_id:
            return Perm.ALL
        member = self.members.get(user_id)
        if member is None:
            return 0
        perms = self.everyone.permissions
        for role_id in member.roles:
            role = self.roles.get(role_id)
            if role is not None:
                perms |= role.permissions
        return Perm.ALL if perms & Perm.ADMINISTRATOR else perms

    def permissions_in(self, channel: FakeChannel | None, user_id: int) -> int:
        """Channel-level permissions following Discord's overwrite algorithm."""
        perms = self.base_permissions(user_id)
        if channel is None or perms == Perm.ALL:
            return perms
        member = self.members.get(user_id)
        role_ids = {str(r) for r in member.roles} if member else set()
        by_id = {str(o["id"]): o for o in channel.permission_overwrites}
        everyone = by_id.get(str(self.id))
        if everyone:
            perms = (perms & ~int(everyone["deny"])) | int(everyone["allow"])
        allow = deny = 0
        for ow in channel.permission_overwrites:
            if ow.get("type", 0) == 0 and str(ow["id"]) in role_ids:
                allow |= int(ow["allow"])
                deny |= int(ow["deny"])
        perms = (perms & ~deny) | allow
        own = by_id.get(str(user_id))
        if own and own.get("type") == 1:
            perms = (perms & ~int(own["deny"])) | int(own["allow"])
        return perms


@dataclass
class StoredMessage:
    """A message known to the fake; ``reactions`` maps emoji key -> ordered user ids."""

    id: int
    channel_id: int
    guild_id: int | None
    author: FakeUser
    data: JSON
    ephemeral: bool = False
    interaction_token: str | None = None
    reactions: dict[str, list[int]] = field(default_factory=dict)
    reaction_emoji: dict[str, JSON] = field(default_factory=dict)
    deleted: bool = False


@dataclass
class RegisteredCommand:
    """An application command registered through the REST API."""

    id: int
    guild_id: int | None
    data: JSON


def new_id(when: datetime | None = None) -> int:
    """Shorthand for :func:`make_snowflake`."""
    return make_snowflake(when)
