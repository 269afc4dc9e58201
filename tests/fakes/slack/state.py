"""In-memory workspace state behind :class:`~tests.fakes.slack.web_api.FakeSlackWebAPI`.

Holds users, channels (with bot membership), messages with reactions, ephemeral
messages, modal views, uploaded files and issued trigger ids.  Everything is plain
dicts shaped like Slack's own JSON so handlers can return them directly.
"""

from __future__ import annotations

import copy
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

#: Slack trigger ids are valid for 3 seconds and can be exchanged once.
TRIGGER_LIFETIME_SECONDS = 3.0


@dataclass
class FakeUser:
    """A workspace member as returned by ``users.info``."""

    id: str
    name: str
    real_name: str = ""
    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    tz: str = "Europe/Berlin"
    updated: int = 1_700_000_000

    def to_api(self, team_id: str) -> JSON:
        """Render the ``user`` object of a ``users.info`` response."""
        real_name = self.real_name or self.name
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": real_name,
            "tz": self.tz,
            "tz_label": "Central European Time",
            "tz_offset": 3600,
            "profile": {
                "real_name": real_name,
                "display_name": self.name,
                "real_name_normalized": real_name,
                "display_name_normalized": self.name,
                "team": team_id,
            },
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_primary_owner,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": self.updated,
        }


@dataclass
class FakeChannel:
    """A conversation; ``bot_is_member=False`` makes posts fail with ``not_in_channel``."""

    id: str
    name: str
    bot_is_member: bool = True
    is_private: bool = False
    is_im: bool = False
    is_archived: bool = False
    created: int = 1_700_000_000
    messages: dict[str, JSON] = field(default_factory=dict)

    def to_api(self) -> JSON:
        """Render the ``channel`` object of a ``conversations.info`` response."""
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private and not self.is_im,
            "is_group": self.is_private,
            "is_im": self.is_im,
            "is_private": self.is_private,
            "is_archived": self.is_archived,
            "is_general": self.name == "general",
            "is_member": self.bot_is_member,
            "created": self.created,
            "name_normalized": self.name,
        }


@dataclass
class Trigger:
    """A ``trigger_id`` handed out in an interaction payload."""

    id: str
    issued_at: float
    used: bool = False


class SlackWorkspace:
    """Mutable state of one fake workspace (single team, one bot)."""

    def __init__(
        self,
        *,
        team_id: str = "T0SHIPBOT",
        team_domain: str = "shipbot-test",
        app_id: str = "A0SHIPBOT",
        bot_user_id: str = "U0SHIPBOT",
        bot_id: str = "B0SHIPBOT",
        bot_name: str = "shipbot",
    ) -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.app_id = app_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.users: dict[str, FakeUser] = {}
        self.channels: dict[str, FakeChannel] = {}
        self.ephemerals: list[JSON] = []
        self.views: dict[str, JSON] = {}
        self.files: dict[str, JSON] = {}
        self.triggers: dict[str, Trigger] = {}
        self._ts_sec = int(time.time())
        self._ts_seq = 0
        self._ids = itertools.count(1)
        self.add_user(FakeUser(bot_user_id, bot_name, is_bot=True))
        self.add_user(FakeUser("U0ADMIN", "ada", "Ada Admin", is_admin=True))
        self.add_user(FakeUser("U0OWNER", "olga", "Olga Owner", is_admin=True, is_owner=True))
        self.add_user(FakeUser("U0REGULAR", "reggie", "Reggie Regular"))
        self.add_channel("C0GENERAL", "general")
        self.add_channel("C0NOTJOINED", "not-joined", bot_is_member=False)

    # -- setup helpers --------------------------------------------------------------

    def add_user(self, user: FakeUser) -> FakeUser:
        """Register (or replace) a user."""
        self.users[user.id] = user
        return user

    def add_channel(
        self, channel_id: str, name: str, *, bot_is_member: bool = True, is_private: bool = False
    ) -> FakeChannel:
        """Register (or replace) a channel; the bot is a member unless told otherwise."""
        channel = FakeChannel(channel_id, name, bot_is_member=bot_is_member, is_private=is_private)
        self.channels[channel_id] = channel
        return channel

    def new_id(self, prefix: str) -> str:
        """Return a unique Slack-looking id such as ``V000000000007``."""
        return f"{prefix}{next(self._ids):012d}"

    def next_ts(self) -> str:
        """Return a unique, strictly increasing message ``ts`` like ``1732470000.000100``."""
        now = int(time.time())
        if now > self._ts_sec:
            self._ts_sec, self._ts_seq = now, 0
        self._ts_seq += 100
        if self._ts_seq > 999_999:
            self._ts_sec, self._ts_seq = self._ts_sec + 1, 100
        return f"{self._ts_sec}.{self._ts_seq:06d}"

    def issue_trigger(self) -> str:
        """Hand out a fresh ``trigger_id`` (valid 3 s, single use)."""
        trigger_id = f"{self._ts_sec}.{next(self._ids)}.fake{self._ts_seq:06x}"
        self.triggers[trigger_id] = Trigger(trigger_id, time.monotonic())
        return trigger_id

    def exchange_trigger(self, trigger_id: str | None) -> str | None:
        """Consume a trigger; return a Slack error code, or ``None`` if it is usable.

        Trigger ids the fake never issued are accepted (so hand-written payloads work).
        """
        if not trigger_id:
            return "invalid_arguments"
        trigger = self.triggers.get(trigger_id)
        if trigger is None:
            return None
        if trigger.used:
            return "exchanged_trigger_id"
        if time.monotonic() - trigger.issued_at > TRIGGER_LIFETIME_SECONDS:
            return "expired_trigger_id"
        trigger.used = True
        return None

    def channel_for(self, channel_id: str) -> FakeChannel | None:
        """Resolve a channel id; user ids and ``D…`` ids open an implicit DM."""
        if channel_id in self.channels:
            return self.channels[channel_id]
        if channel_id[:1] in {"U", "W"} and channel_id in self.users:
            dm_id = "D" + channel_id[1:]
            dm = self.channels.setdefault(dm_id, FakeChannel(dm_id, dm_id, is_im=True))
            return dm
        if channel_id.startswith("D"):
            return self.channels.setdefault(
                channel_id, FakeChannel(channel_id, channel_id, is_im=True)
            )
        return None

    # -- messages and reactions -----------------------------------------------------

    def post_message(
        self,
        channel_id: str,
        *,
        text: str = "",
        blocks: list[JSON] | None = None,
        user: str | None = None,
        thread_ts: str | None = None,
        extra: JSON | None = None,
    ) -> JSON:
        """Store a message in a channel (no membership check) and return it."""
        channel = self.channel_for(channel_id)
        if channel is None:
            raise KeyError(channel_id)
        ts = self.next_ts()
        message: JSON = {
            "type": "message",
            "text": text,
            "user": user or self.bot_user_id,
            "ts": ts,
            "team": self.team_id,
        }
        if user is None or user == self.bot_user_id:
            message.update({"bot_id": self.bot_id, "app_id": self.app_id})
        if blocks is not None:
            message["blocks"] = blocks
        if thread_ts:
            message["thread_ts"] = thread_ts
        if extra:
            message.update(extra)
        channel.messages[ts] = message
        return message

    def message(self, channel_id: str, ts: str) -> JSON | None:
        """Return the stored message or ``None``."""
        channel = self.channels.get(channel_id)
        return None if channel is None else channel.messages.get(ts)

    def messages(self, channel_id: str) -> list[JSON]:
        """All messages of a channel in ``ts`` order (deep copies)."""
        channel = self.channels.get(channel_id)
        if channel is None:
            return []
        return [copy.deepcopy(m) for _, m in sorted(channel.messages.items())]

    def add_reaction(self, channel_id: str, ts: str, name: str, user: str) -> str | None:
        """Add ``name`` by ``user``; return an error code (``already_reacted``…) or ``None``.

        Skin-toned names such as ``+1::skin-tone-2`` are kept verbatim, as Slack does.
        """
        message = self.message(channel_id, ts)
        if message is None:
            return "message_not_found"
        reactions: list[JSON] = message.setdefault("reactions", [])
        for reaction in reactions:
            if reaction["name"] == name:
                if user in reaction["users"]:
                    return "already_reacted"
                reaction["users"].append(user)
                reaction["count"] += 1
                return None
        reactions.append({"name": name, "users": [user], "count": 1})
        return None

    def remove_reaction(self, channel_id: str, ts: str, name: str, user: str) -> str | None:
        """Remove a reaction; return ``no_reaction`` / ``message_not_found`` or ``None``."""
        message = self.message(channel_id, ts)
        if message is None:
            return "message_not_found"
        for reaction in message.get("reactions", []):
            if reaction["name"] == name and user in reaction["users"]:
                reaction["users"].remove(user)
                reaction["count"] -= 1
                if reaction["count"] == 0:
                    message["reactions"].remove(reaction)
                if not message["reactions"]:
                    del message["reactions"]
                return None
        return "no_reaction"

    # -- views ------------------------------------------------------------------------

    def store_view(
        self, view: JSON, *, view_id: str | None = None, root_view_id: str | None = None
    ) -> JSON:
        """Persist a modal/home view in the shape Slack returns from ``views.*``."""
        view_id = view_id or self.new_id("V")
        stored: JSON = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view.get("type", "modal"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{self.new_id('h')}",
            "title": view.get("title"),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "clear_on_close": view.get("clear_on_close", False),
            "notify_on_close": view.get("notify_on_close", False),
            "previous_view_id": None,
            "root_view_id": root_view_id or view_id,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self.views[view_id] = stored
        return stored
