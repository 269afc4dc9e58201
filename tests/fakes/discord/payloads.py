"""Builders for the JSON payloads the fake sends over the gateway and REST API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .snowflake import iso_now
from .state import JSON, FakeChannel, FakeGuild, FakeUser, StoredMessage


def guild_create(guild: FakeGuild) -> JSON:
    """A full GUILD_CREATE payload: channels, roles, members (incl. the bot member)."""
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "system_channel_id": str(guild.system_channel_id) if guild.system_channel_id else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "preferred_locale": guild.locale,
        "features": [],
        "application_id": None,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "roles": [r.to_payload() for r in guild.roles.values()],
        "emojis": [],
        "stickers": [],
        "soundboard_sounds": [],
        "channels": [c.to_payload(with_guild_id=False) for c in guild.channels.values()],
        "threads": [],
        "members": [m.to_payload() for m in guild.members.values()],
        "member_count": len(guild.members),
        "large": False,
        "unavailable": False,
        "lazy": True,
        "joined_at": iso_now(),
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "embedded_activities": [],
        "incidents_data": None,
    }


def emoji_from_key(key: str) -> JSON:
    """Turn the URL form of a reaction emoji (``👍`` or ``name:id``) into an emoji object."""
    if ":" in key:
        name, _, emoji_id = key.rpartition(":")
        animated = name.startswith("a:")
        name = name.removeprefix("a:")
        return {"id": emoji_id, "name": name, "animated": animated}
    return {"id": None, "name": key}


def emoji_key(emoji: str | Mapping[str, Any]) -> str:
    """Normalise an emoji (unicode, ``name:id``, ``<:name:id>`` or emoji object) to a key."""
    if isinstance(emoji, Mapping):
        if emoji.get("id"):
            return f"{emoji.get('name') or '_'}:{emoji['id']}"
        return str(emoji["name"])
    text = emoji.strip("<>")
    return text.removeprefix("a:") if text.count(":") == 2 else text


def reactions_payload(msg: StoredMessage, me_id: int) -> list[JSON]:
    """The ``reactions`` array of a message object."""
    out: list[JSON] = []
    for key, users in msg.reactions.items():
        if not users:
            continue
        out.append(
            {
                "count": len(users),
                "count_details": {"burst": 0, "normal": len(users)},
                "me": me_id in users,
                "me_burst": False,
                "burst_colors": [],
                "emoji": dict(msg.reaction_emoji.get(key) or emoji_from_key(key)),
            }
        )
    return out


def message_payload(msg: StoredMessage, me_id: int, *, with_guild: bool = False) -> JSON:
    """Render a stored message; gateway events add ``guild_id`` (``with_guild``)."""
    data = dict(msg.data)
    data["id"] = str(msg.id)
    data["channel_id"] = str(msg.channel_id)
    data["author"] = msg.author.to_payload()
    reactions = reactions_payload(msg, me_id)
    if reactions:
        data["reactions"] = reactions
    else:
        data.pop("reactions", None)
    if with_guild and msg.guild_id is not None:
        data["guild_id"] = str(msg.guild_id)
    return data


def new_message_data(body: Mapping[str, Any], *, msg_type: int = 0) -> JSON:
    """The non-id part of a message object created from a REST request ``body``."""
    flags = int(body.get("flags") or 0)
    data: JSON = {
        "type": msg_type,
        "content": body.get("content") or "",
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts", False)),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [normalise_embed(e) for e in body.get("embeds") or []],
        "components": list(body.get("components") or []),
        "pinned": False,
        "flags": flags,
    }
    if body.get("message_reference"):
        data["message_reference"] = dict(body["message_reference"], type=0)
        data["type"] = 19 if msg_type == 0 else msg_type
    if body.get("poll"):
        data["poll"] = body["poll"]
    return data


def normalise_embed(embed: Mapping[str, Any]) -> JSON:
    """Discord echoes embeds back with ``type: rich`` and keeps the rest as sent."""
    out = dict(embed)
    out.setdefault("type", "rich")
    return out


def apply_edit(data: JSON, body: Mapping[str, Any]) -> None:
    """Apply a PATCH body (message edit) to message ``data`` in place."""
    for key in ("content", "components", "flags", "poll"):
        if key in body:
            data[key] = body[key] if body[key] is not None else _EMPTY[key]
    if "embeds" in body:
        data["embeds"] = [normalise_embed(e) for e in body["embeds"] or []]
    data["edited_timestamp"] = iso_now()


_EMPTY: dict[str, Any] = {"content": "", "components": [], "flags": 0, "poll": None}


def reaction_event(
    *,
    msg: StoredMessage,
    user_id: int,
    emoji: JSON,
    member: JSON | None,
    add: bool,
) -> JSON:
    """A MESSAGE_REACTION_ADD / MESSAGE_REACTION_REMOVE dispatch payload."""
    data: JSON = {
        "user_id": str(user_id),
        "type": 0,
        "message_id": str(msg.id),
        "channel_id": str(msg.channel_id),
        "emoji": emoji,
        "burst": False,
    }
    if msg.guild_id is not None:
        data["guild_id"] = str(msg.guild_id)
    if add:
        data["message_author_id"] = str(msg.author.id)
        data["burst_colors"] = []
        if member is not None:
            data["member"] = member
    return data


def partial_interaction_channel(channel: FakeChannel, permissions: int) -> JSON:
    """The ``channel`` object embedded in an interaction payload."""
    data = channel.to_payload()
    data["permissions"] = str(permissions)
    return data


def option_type_for(value: Any) -> int:
    """Guess the application command option type of a Python value."""
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def build_options(
    options: Mapping[str, Any] | Sequence[JSON] | None,
    definitions: Sequence[JSON] = (),
    focused: str | None = None,
) -> list[JSON]:
    """Build interaction ``data.options`` from a mapping, typed by the registered definitions."""
    if options is None:
        return []
    if not isinstance(options, Mapping):
        return [dict(o) for o in options]
    types = {d["name"]: int(d["type"]) for d in definitions if "name" in d and "type" in d}
    out: list[JSON] = []
    for name, value in options.items():
        opt: JSON = {"name": name, "type": types.get(name, option_type_for(value))}
        opt["value"] = str(value) if opt["type"] in (6, 7, 8, 9, 11) else value
        if name == focused:
            opt["focused"] = True
        out.append(opt)
    return out


def user_payload_min(user: FakeUser) -> JSON:
    """User payload, as used inside member/interaction objects."""
    return user.to_payload()
