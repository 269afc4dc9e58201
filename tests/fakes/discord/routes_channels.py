"""REST routes for channels, messages and reactions."""

from __future__ import annotations

from .payloads import apply_edit, emoji_from_key, emoji_key, reaction_event
from .rest import Ctx, Reply, RestApi, error
from .snowflake import Perm
from .state import JSON, StoredMessage

MSG = "/channels/{channel_id}/messages/{message_id}"
REACTION = MSG + "/reactions/{emoji}"


def register(api: RestApi) -> None:
    """Register channel/message/reaction routes on ``api``."""
    world = api.world

    def lookup(ctx: Ctx) -> StoredMessage | Reply:
        channel_id = ctx.int_param("channel_id")
        if world.find_channel(channel_id) is None:
            return error(404, 10003, "Unknown Channel")
        if not world.bot_permissions(channel_id) & Perm.VIEW_CHANNEL:
            return error(403, 50001, "Missing Access")
        msg = world.get_message(ctx.int_param("message_id"))
        if msg is None or msg.channel_id != channel_id or msg.ephemeral:
            return error(404, 10008, "Unknown Message")
        return msg

    def missing(channel_id: int, needed: int) -> Reply | None:
        perms = world.bot_permissions(channel_id)
        if not perms & Perm.VIEW_CHANNEL:
            return error(403, 50001, "Missing Access")
        if perms & needed != needed:
            return error(403, 50013, "Missing Permissions")
        return None

    async def get_channel(ctx: Ctx) -> Reply:
        found = world.find_channel(ctx.int_param("channel_id"))
        if found is None:
            return error(404, 10003, "Unknown Channel")
        return Reply(200, found[1].to_payload())

    async def create_message(ctx: Ctx) -> Reply:
        channel_id = ctx.int_param("channel_id")
        in_dm = channel_id in world.dms  # a DM: no permissions apply
        if world.find_channel(channel_id) is None and not in_dm:
            return error(404, 10003, "Unknown Channel")
        denied = None if in_dm else missing(channel_id, Perm.SEND_MESSAGES)
        if denied is not None:
            return denied
        body = ctx.body
        if not (
            body.get("content")
            or body.get("embeds")
            or ctx.record.files
            or body.get("components")
            or body.get("sticker_ids")
            or body.get("poll")
        ):
            return error(400, 50006, "Cannot send an empty message")
        msg = world.create_message(channel_id, world.bot_user, body)
        msg.data["attachments"] = api.make_attachments(ctx, [])
        await api.emit_message("MESSAGE_CREATE", msg)
        return Reply(200, api.msg_json(msg))

    async def list_messages(ctx: Ctx) -> Reply:
        channel_id = ctx.int_param("channel_id")
        if world.find_channel(channel_id) is None:
            return error(404, 10003, "Unknown Channel")
        denied = missing(channel_id, Perm.READ_MESSAGE_HISTORY)
        if denied is not None:
            return denied
        q = ctx.record.query
        limit = max(1, min(100, int(q.get("limit", 50))))
        msgs = world.channel_messages(channel_id)
        if "after" in q:
            picked = [m for m in msgs if m.id > int(q["after"])][:limit]
        else:
            before = int(q.get("before", 0)) or None
            picked = [m for m in msgs if before is None or m.id < before][-limit:]
        return Reply(200, [api.msg_json(m) for m in reversed(picked)])

    async def get_message(ctx: Ctx) -> Reply:
        found = lookup(ctx)
        if isinstance(found, Reply):
            return found
        denied = missing(found.channel_id, Perm.READ_MESSAGE_HISTORY)
        return denied or Reply(200, api.msg_json(found))

    async def edit_message(ctx: Ctx) -> Reply:
        found = lookup(ctx)
        if isinstance(found, Reply):
            return found
        if found.author.id != world.bot_user.id:
            return error(403, 50005, "Cannot edit a message authored by another user")
        apply_edit(found.data, ctx.body)
        if "attachments" in ctx.body or ctx.record.files:
            found.data["attachments"] = api.make_attachments(ctx, found.data["attachments"])
        await api.emit_message("MESSAGE_UPDATE", found)
        return Reply(200, api.msg_json(found))

    async def delete_message(ctx: Ctx) -> Reply:
        found = lookup(ctx)
        if isinstance(found, Reply):
            return found
        if found.author.id != world.bot_user.id:
            denied = missing(found.channel_id, Perm.MANAGE_MESSAGES)
            if denied is not None:
                return denied
        found.deleted = True
        await api.emit_message("MESSAGE_DELETE", found)
        return Reply(204)

    async def put_reaction(ctx: Ctx) -> Reply:
        found = lookup(ctx)
        if isinstance(found, Reply):
            return found
        key = emoji_key(ctx.params["emoji"])
        needed = Perm.READ_MESSAGE_HISTORY | (0 if found.reactions.get(key) else Perm.ADD_REACTIONS)
        denied = missing(found.channel_id, needed)
        if denied is not None:
            return denied
        if world.add_reaction_user(found, key, world.bot_user.id):
            await emit_reaction(found, key, world.bot_user.id, add=True)
        return Reply(204)

    async def delete_reaction(ctx: Ctx) -> Reply:
        found = lookup(ctx)
        if isinstance(found, Reply):
            return found
        key = emoji_key(ctx.params["emoji"])
        target = ctx.params.get("user_id", "@me")
        user_id = world.bot_user.id if target == "@me" else int(target)
        if user_id != world.bot_user.id:
            denied = missing(found.channel_id, Perm.MANAGE_MESSAGES)
            if denied is not None:
                return denied
        if world.remove_reaction_user(found, key, user_id):
            await emit_reaction(found, key, user_id, add=False)
        return Reply(204)

    async def clear_reactions(ctx: Ctx) -> Reply:
        found = lookup(ctx)
        if isinstance(found, Reply):
            return found
        denied = missing(found.channel_id, Perm.MANAGE_MESSAGES)
        if denied is not None:
            return denied
        base: JSON = {"channel_id": str(found.channel_id), "message_id": str(found.id)}
        if found.guild_id is not None:
            base["guild_id"] = str(found.guild_id)
        if "emoji" in ctx.params:
            key = emoji_key(ctx.params["emoji"])
            found.reactions.pop(key, None)
            await api.emit("MESSAGE_REACTION_REMOVE_EMOJI", dict(base, emoji=emoji_from_key(key)))
        else:
            found.reactions.clear()
            await api.emit("MESSAGE_REACTION_REMOVE_ALL", base)
        return Reply(204)

    async def reaction_users(ctx: Ctx) -> Reply:
        found = lookup(ctx)
        if isinstance(found, Reply):
            return found
        q = ctx.record.query
        limit = max(1, min(100, int(q.get("limit", 25))))
        after = int(q.get("after", 0) or 0)
        reacted = found.reactions.get(emoji_key(ctx.params["emoji"]), [])
        ids = sorted(u for u in reacted if u > after)
        users = [world.users[u].to_payload() for u in ids[:limit] if u in world.users]
        return Reply(200, users)

    async def emit_reaction(msg: StoredMessage, key: str, user_id: int, *, add: bool) -> None:
        guild = world.guilds.get(msg.guild_id or 0)
        member = guild.members.get(user_id) if guild else None
        emoji = dict(msg.reaction_emoji.get(key) or emoji_from_key(key))
        data = reaction_event(
            msg=msg,
            user_id=user_id,
            emoji=emoji,
            member=member.to_payload() if member else None,
            add=add,
        )
        await api.emit("MESSAGE_REACTION_ADD" if add else "MESSAGE_REACTION_REMOVE", data)

    api.add("GET", "/channels/{channel_id}", get_channel)
    api.add("POST", "/channels/{channel_id}/messages", create_message)
    api.add("GET", "/channels/{channel_id}/messages", list_messages)
    api.add("GET", MSG, get_message)
    api.add("PATCH", MSG, edit_message)
    api.add("DELETE", MSG, delete_message)
    api.add("PUT", REACTION + "/@me", put_reaction)
    api.add("DELETE", REACTION + "/@me", delete_reaction)
    api.add("DELETE", REACTION + "/{user_id}", delete_reaction)
    api.add("GET", REACTION, reaction_users)
    api.add("DELETE", REACTION, clear_reactions)
    api.add("DELETE", MSG + "/reactions", clear_reactions)
