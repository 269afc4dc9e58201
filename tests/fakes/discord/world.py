"""The fake's mutable world: the bot application, users, guilds, messages and commands."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from .interactions import InteractionRecord
from .payloads import emoji_from_key, new_message_data
from .snowflake import Perm
from .state import (
    EPHEMERAL,
    JSON,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    RegisteredCommand,
    StoredMessage,
    new_id,
)


class World:
    """All state of the fake Discord. Mutate it through these helpers (or directly)."""

    def __init__(self, *, token: str, bot_name: str = "shipbot") -> None:
        self.token = token
        self.bot_user = FakeUser(new_id(datetime(2023, 5, 1, tzinfo=UTC)), bot_name, None, bot=True)
        self.app_owner = FakeUser(new_id(datetime(2019, 1, 1, tzinfo=UTC)), "app_owner", "Owner")
        self.application_id = self.bot_user.id
        self.application_flags = (1 << 19) | (1 << 23)  # GATEWAY_MESSAGE_CONTENT(_LIMITED) set
        self.users: dict[int, FakeUser] = {}
        self.guilds: dict[int, FakeGuild] = {}
        self.messages: dict[int, StoredMessage] = {}
        self.commands: dict[int, RegisteredCommand] = {}
        self.interactions: dict[str, InteractionRecord] = {}
        """Interactions by token."""
        self.dms: dict[int, FakeUser] = {}
        """DM channels (type 1) between the bot and a user, by channel id."""
        for user in (self.bot_user, self.app_owner):
            self.users[user.id] = user

    # -- users / guilds ---------------------------------------------------------------

    def add_user(
        self,
        username: str,
        global_name: str | None = None,
        *,
        created_at: datetime | None = None,
        bot: bool = False,
    ) -> FakeUser:
        """Create a user; ``created_at`` (default now) is encoded in its snowflake id."""
        user = FakeUser(new_id(created_at), username, global_name, bot=bot)
        self.users[user.id] = user
        return user

    def create_guild(self, name: str, owner: FakeUser, *, bot_member: bool = True) -> FakeGuild:
        """Create a guild with an ``@everyone`` role, the bot's managed role and member."""
        guild = FakeGuild(id=new_id(), name=name, owner_id=owner.id)
        guild.roles[guild.id] = FakeRole(guild.id, "@everyone", Perm.EVERYONE_DEFAULT, 0)
        self.add_member(guild, owner)
        if bot_member:
            role = self.add_role(guild, self.bot_user.username, Perm.BOT_DEFAULT, managed=True)
            role.bot_id = self.bot_user.id
            self.add_member(guild, self.bot_user, [role])
        self.guilds[guild.id] = guild
        return guild

    def add_role(
        self, guild: FakeGuild, name: str, permissions: int, *, managed: bool = False
    ) -> FakeRole:
        """Add a role (positioned above existing ones)."""
        role = FakeRole(new_id(), name, permissions, position=len(guild.roles), managed=managed)
        guild.roles[role.id] = role
        return role

    def add_channel(
        self, guild: FakeGuild, name: str, *, type: int = 0, overwrites: Iterable[JSON] = ()
    ) -> FakeChannel:
        """Add a channel (type 0 = text) with optional permission overwrites."""
        channel = FakeChannel(
            new_id(),
            guild.id,
            name,
            type=type,
            position=len(guild.channels),
            permission_overwrites=list(overwrites),
        )
        guild.channels[channel.id] = channel
        return channel

    def add_member(
        self, guild: FakeGuild, user: FakeUser, roles: Iterable[FakeRole] = ()
    ) -> FakeMember:
        """Make ``user`` a member of ``guild`` with ``roles``."""
        self.users.setdefault(user.id, user)
        member = FakeMember(user, guild.id, [r.id for r in roles])
        guild.members[user.id] = member
        return member

    def find_channel(self, channel_id: int) -> tuple[FakeGuild, FakeChannel] | None:
        """Locate a guild channel by id."""
        for guild in self.guilds.values():
            channel = guild.channels.get(channel_id)
            if channel is not None:
                return guild, channel
        return None

    def dm_channel(self, user: FakeUser) -> int:
        """The id of the DM channel between the bot and ``user`` (opened on first use)."""
        for channel_id, other in self.dms.items():
            if other.id == user.id:
                return channel_id
        channel_id = new_id()
        self.dms[channel_id] = user
        return channel_id

    def bot_permissions(self, channel_id: int) -> int:
        """The bot's effective permissions in ``channel_id`` (0 if unknown)."""
        found = self.find_channel(channel_id)
        if found is None:
            return 0
        guild, channel = found
        return guild.permissions_in(channel, self.bot_user.id)

    # -- messages ----------------------------------------------------------------------

    def create_message(
        self,
        channel_id: int,
        author: FakeUser,
        body: Mapping[str, Any],
        *,
        msg_type: int = 0,
        extra: Mapping[str, Any] | None = None,
    ) -> StoredMessage:
        """Store a new message created from a REST-style ``body``."""
        found = self.find_channel(channel_id)
        data = new_message_data(body, msg_type=msg_type)
        if extra:
            data.update(extra)
        msg = StoredMessage(
            id=new_id(),
            channel_id=channel_id,
            guild_id=found[0].id if found else None,
            author=author,
            data=data,
            ephemeral=bool(data["flags"] & EPHEMERAL),
        )
        self.messages[msg.id] = msg
        if found and not msg.ephemeral:
            found[1].last_message_id = msg.id
        return msg

    def get_message(self, message_id: int) -> StoredMessage | None:
        """A non-deleted stored message, or ``None``."""
        msg = self.messages.get(message_id)
        return None if msg is None or msg.deleted else msg

    def channel_messages(self, channel_id: int) -> list[StoredMessage]:
        """Visible (non-ephemeral, non-deleted) messages in a channel, oldest first."""
        return sorted(
            (
                m
                for m in self.messages.values()
                if m.channel_id == channel_id and not m.deleted and not m.ephemeral
            ),
            key=lambda m: m.id,
        )

    def add_reaction_user(self, msg: StoredMessage, key: str, user_id: int) -> bool:
        """Record that ``user_id`` reacted with ``key``; False if it already had."""
        users = msg.reactions.setdefault(key, [])
        msg.reaction_emoji.setdefault(key, emoji_from_key(key))
        if user_id in users:
            return False
        users.append(user_id)
        return True

    def remove_reaction_user(self, msg: StoredMessage, key: str, user_id: int) -> bool:
        """Remove ``user_id``'s reaction ``key``; False if it was not there."""
        users = msg.reactions.get(key, [])
        if user_id not in users:
            return False
        users.remove(user_id)
        if not users:
            msg.reactions.pop(key, None)
        return True

    # -- application -------------------------------------------------------------------

    def application_payload(self) -> JSON:
        """The application object (``GET /oauth2/applications/@me``)."""
        return {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "terms_of_service_url": None,
            "privacy_policy_url": None,
            "verify_key": "0" * 64,
            "flags": self.application_flags,
            "hook": True,
            "tags": [],
            "integration_types_config": {"0": {}},
            "owner": self.app_owner.to_payload(),
            "team": None,
            "bot": self.bot_user.to_payload(),
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "approximate_guild_count": len(self.guilds),
        }

    def find_command(
        self, name: str, guild_id: int | None, cmd_type: int = 1
    ) -> RegisteredCommand | None:
        """The registered command Discord would route: guild command first, then global."""
        candidates = [
            c
            for c in self.commands.values()
            if c.data.get("name") == name and int(c.data.get("type", 1)) == cmd_type
        ]
        for cmd in candidates:
            if guild_id is not None and cmd.guild_id == guild_id:
                return cmd
        for cmd in candidates:
            if cmd.guild_id is None:
                return cmd
        return None
