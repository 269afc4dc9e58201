"""Injectors: make "users" do things (commands, clicks, modals, reactions, messages)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .gateway import Gateway
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionHandle,
    InteractionRecord,
    build_interaction,
)
from .payloads import (
    build_options,
    emoji_from_key,
    emoji_key,
    guild_create,
    message_payload,
    reaction_event,
)
from .recording import Waiter
from .snowflake import Perm
from .state import JSON, FakeChannel, FakeGuild, FakeUser, StoredMessage, new_id
from .world import World

MessageRef = int | StoredMessage | Mapping[str, Any]
Options = Mapping[str, Any] | Sequence[JSON] | None


def _walk(components: Sequence[JSON]) -> Iterator[JSON]:
    for comp in components:
        yield comp
        yield from _walk(comp.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(comp.get(key), dict):
                yield from _walk([comp[key]])


class InjectorMixin:
    """Methods of ``FakeDiscord`` that inject user activity as gateway dispatches."""

    world: World
    gateway: Gateway
    waiter: Waiter
    guild: FakeGuild
    channel: FakeChannel
    member: FakeUser

    # -- helpers -----------------------------------------------------------------------

    async def _deliver(self, record: InteractionRecord) -> InteractionHandle:
        self.world.interactions[record.token] = record
        if await self.gateway.dispatch("INTERACTION_CREATE", record.payload) == 0:
            raise RuntimeError("fake discord: no identified gateway session to deliver to")
        return InteractionHandle(record, self.world, self.waiter)

    def _message(self, ref: MessageRef) -> StoredMessage:
        mid = (
            ref.id
            if isinstance(ref, StoredMessage)
            else int(ref["id"] if isinstance(ref, Mapping) else ref)
        )
        msg = self.world.get_message(mid)
        if msg is None:
            raise KeyError(f"fake discord: unknown message {mid}")
        return msg

    def _where(self, msg: StoredMessage) -> tuple[FakeGuild, FakeChannel]:
        found = self.world.find_channel(msg.channel_id)
        if found is None:
            raise KeyError(f"fake discord: message {msg.id} is not in a guild channel")
        return found

    def _command_data(
        self,
        guild: FakeGuild,
        name: str,
        options: Options,
        subcommand: str | None,
        group: str | None,
        focused: str | None,
    ) -> JSON:
        cmd = self.world.find_command(name, guild.id)
        definitions: list[JSON] = list(cmd.data.get("options") or []) if cmd else []
        for level in (group, subcommand):
            if level is not None:
                sub = next((d for d in definitions if d.get("name") == level), {})
                definitions = list(sub.get("options") or [])
        opts = build_options(options, definitions, focused)
        if subcommand is not None:
            opts = [{"type": 1, "name": subcommand, "options": opts}]
        if group is not None:
            opts = [{"type": 2, "name": group, "options": opts}]
        data: JSON = {
            "id": str(cmd.id if cmd else new_id()),
            "name": name,
            "type": 1,
            "options": opts,
        }
        if cmd is not None and cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
        return data

    # -- application commands ------------------------------------------------------------

    async def send_slash_command(
        self,
        guild: FakeGuild | None,
        channel: FakeChannel | None,
        user: FakeUser | None,
        name: str,
        options: Options = None,
        subcommand: str | None = None,
        *,
        subcommand_group: str | None = None,
        resolved: JSON | None = None,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Dispatch a CHAT_INPUT (type 2) INTERACTION_CREATE; ``None`` picks the default
        guild/channel/member. ``options`` is ``{name: value}`` (typed from the registered
        command definition when synced, else from the Python type) or raw option dicts."""
        guild, channel, user = guild or self.guild, channel or self.channel, user or self.member
        data = self._command_data(guild, name, options, subcommand, subcommand_group, None)
        if resolved:
            data["resolved"] = resolved
        record = build_interaction(
            self.world,
            itype=APPLICATION_COMMAND,
            guild=guild,
            channel=channel,
            user=user,
            data=data,
            locale=locale,
        )
        return await self._deliver(record)

    async def send_autocomplete(
        self,
        guild: FakeGuild | None,
        channel: FakeChannel | None,
        user: FakeUser | None,
        name: str,
        options: Options,
        focused: str,
        subcommand: str | None = None,
        *,
        subcommand_group: str | None = None,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Dispatch an APPLICATION_COMMAND_AUTOCOMPLETE (type 4) interaction; the option
        named ``focused`` gets ``"focused": true``. Answer: ``handle.choices``."""
        guild, channel, user = guild or self.guild, channel or self.channel, user or self.member
        data = self._command_data(guild, name, options, subcommand, subcommand_group, focused)
        record = build_interaction(
            self.world,
            itype=AUTOCOMPLETE,
            guild=guild,
            channel=channel,
            user=user,
            data=data,
            locale=locale,
        )
        return await self._deliver(record)

    # -- components & modals --------------------------------------------------------------

    async def click_button(
        self,
        message: MessageRef,
        custom_id: str,
        user: FakeUser | None = None,
        *,
        values: Sequence[str] | None = None,
        strict: bool = True,
    ) -> InteractionHandle:
        """Dispatch a MESSAGE_COMPONENT (type 3) interaction for a button (or, with
        ``values``, a select menu) on a stored message. ``strict`` refuses custom_ids
        that are not on the message or are disabled, as the Discord UI would."""
        msg = self._message(message)
        guild, channel = self._where(msg)
        found = next(
            (c for c in _walk(msg.data.get("components") or []) if c.get("custom_id") == custom_id),
            None,
        )
        if strict and (found is None or found.get("disabled")):
            raise ValueError(f"fake discord: no enabled component {custom_id!r} on {msg.id}")
        ctype = int(found["type"]) if found else (3 if values is not None else 2)
        data: JSON = {"custom_id": custom_id, "component_type": ctype}
        if values is not None:
            data["values"] = list(values)
        record = build_interaction(
            self.world,
            itype=MESSAGE_COMPONENT,
            guild=guild,
            channel=channel,
            user=user or self.member,
            data=data,
            message=msg,
        )
        return await self._deliver(record)

    def _last_modal(self, custom_id: str) -> InteractionRecord | None:
        for record in reversed(list(self.world.interactions.values())):
            if (
                record.response_type == 9
                and (record.response_data or {}).get("custom_id") == custom_id
            ):
                return record
        return None

    async def submit_modal(
        self,
        custom_id: str,
        fields: Mapping[str, str | Sequence[str]],
        user: FakeUser | None = None,
        *,
        strict: bool = True,
    ) -> InteractionHandle:
        """Dispatch a MODAL_SUBMIT (type 5) for the modal the bot last opened with
        ``custom_id``; ``fields`` maps component custom_id -> value (or select values).
        The submitted component tree mirrors the modal (action rows or labels)."""
        origin = self._last_modal(custom_id)
        if origin is None and strict:
            raise ValueError(f"fake discord: the bot never opened a modal {custom_id!r}")

        def mirror(comp: JSON) -> JSON:
            ctype = int(comp.get("type", 4))
            if ctype == 1:
                return {"type": 1, "components": [mirror(c) for c in comp.get("components", [])]}
            if ctype == 18:
                return {"type": 18, "id": comp.get("id", 0), "component": mirror(comp["component"])}
            cid = comp.get("custom_id")
            out: JSON = {"type": ctype, "id": comp.get("id", 0)}
            if cid is None:
                return out
            value = fields.get(cid, comp.get("value", ""))
            out["custom_id"] = cid
            if ctype == 4:
                out["value"] = value if isinstance(value, str) else "".join(value)
            else:
                out["values"] = [value] if isinstance(value, str) else list(value)
            return out

        if origin is not None:
            components = [mirror(c) for c in (origin.response_data or {}).get("components", [])]
            guild = self.world.guilds[origin.guild_id or 0]
            channel = guild.channels[origin.channel_id]
            source = self.world.get_message(origin.source_message_id or 0)
            user = user or origin.user
        else:
            components = [
                mirror({"type": 1, "components": [{"type": 4, "custom_id": k}]}) for k in fields
            ]
            guild, channel, source = self.guild, self.channel, None
        record = build_interaction(
            self.world,
            itype=MODAL_SUBMIT,
            guild=guild,
            channel=channel,
            user=user or self.member,
            data={"custom_id": custom_id, "components": components},
            message=source,
        )
        return await self._deliver(record)

    # -- reactions & messages --------------------------------------------------------------

    async def _reaction(
        self,
        message: MessageRef,
        channel: FakeChannel | None,
        user: FakeUser | None,
        emoji: str | Mapping[str, Any],
        add: bool,
    ) -> JSON:
        user = user or self.member
        key = emoji_key(emoji)
        emoji_json = dict(emoji) if isinstance(emoji, Mapping) else emoji_from_key(key)
        try:
            msg = self._message(message)
        except KeyError:
            if channel is None:
                raise
            mid = int(message["id"] if isinstance(message, Mapping) else message)  # type: ignore[arg-type]
            msg = StoredMessage(mid, channel.id, channel.guild_id, self.world.bot_user, {})
        else:
            changed = (
                self.world.add_reaction_user(msg, key, user.id)
                if add
                else self.world.remove_reaction_user(msg, key, user.id)
            )
            del changed  # duplicates are still dispatched: that is what injectors are for
        guild = self.world.guilds.get(msg.guild_id or 0)
        member = guild.members.get(user.id) if guild else None
        data = reaction_event(
            msg=msg,
            user_id=user.id,
            emoji=emoji_json,
            member=member.to_payload() if member else None,
            add=add,
        )
        if not msg.data:
            data.pop("message_author_id", None)
        await self.gateway.dispatch(
            "MESSAGE_REACTION_ADD" if add else "MESSAGE_REACTION_REMOVE", data
        )
        return data

    async def add_reaction(
        self,
        message: MessageRef,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
        emoji: str | Mapping[str, Any] = "👍",
    ) -> JSON:
        """A member (default ``member``) reacts: updates state and dispatches
        MESSAGE_REACTION_ADD. Returns the raw event; re-send it with ``dispatch`` to
        simulate a duplicate. ``emoji``: unicode, ``name:id`` or an emoji object."""
        return await self._reaction(message, channel, user, emoji, True)

    async def remove_reaction(
        self,
        message: MessageRef,
        channel: FakeChannel | None = None,
        user: FakeUser | None = None,
        emoji: str | Mapping[str, Any] = "👍",
    ) -> JSON:
        """A member removes a reaction: MESSAGE_REACTION_REMOVE (no ``member`` field)."""
        return await self._reaction(message, channel, user, emoji, False)

    async def send_user_message(
        self,
        content: str,
        *,
        user: FakeUser | None = None,
        channel: FakeChannel | None = None,
        mentions: Sequence[FakeUser] = (),
    ) -> JSON:
        """A member posts a message: stored and dispatched as MESSAGE_CREATE (content is
        blanked for sessions without the MESSAGE_CONTENT intent, like Discord, unless the
        message mentions the bot). ``mentions``: the users mentioned (``<@id>`` in
        ``content``), as Discord lists them, each with its partial ``member``."""
        user, channel = user or self.member, channel or self.channel
        guild = self.world.guilds[channel.guild_id]
        mentioned = []
        for someone in mentions:
            entry = someone.to_payload()
            if someone.id in guild.members:
                entry["member"] = guild.members[someone.id].to_payload(with_user=False)
            mentioned.append(entry)
        msg = self.world.create_message(
            channel.id, user, {"content": content}, extra={"mentions": mentioned}
        )
        data = message_payload(msg, self.world.bot_user.id, with_guild=True)
        data["member"] = guild.members[user.id].to_payload(with_user=False)
        await self.gateway.dispatch("MESSAGE_CREATE", data)
        return data

    async def send_direct_message(self, content: str, *, user: FakeUser | None = None) -> JSON:
        """A user DMs the bot: MESSAGE_CREATE without ``guild_id`` in their DM channel (a DM's
        content is delivered without the MESSAGE_CONTENT intent)."""
        user = user or self.member
        channel_id = self.world.dm_channel(user)
        msg = self.world.create_message(channel_id, user, {"content": content})
        data = message_payload(msg, self.world.bot_user.id)
        await self.gateway.dispatch("MESSAGE_CREATE", data)
        return data

    # -- guilds ----------------------------------------------------------------------------

    async def join_guild(self, guild: FakeGuild) -> None:
        """The bot is added to ``guild`` after READY: Discord sends a GUILD_CREATE (without
        ``unavailable``), which discord.py reports as ``on_guild_join``."""
        self.world.guilds[guild.id] = guild
        if self.world.bot_user.id not in guild.members:
            name = self.world.bot_user.username
            role = self.world.add_role(guild, name, Perm.BOT_DEFAULT, managed=True)
            role.bot_id = self.world.bot_user.id
            self.world.add_member(guild, self.world.bot_user, [role])
        payload = guild_create(guild)
        payload.pop("unavailable", None)  # Discord sends it (false) only for guilds after READY
        await self.gateway.dispatch("GUILD_CREATE", payload)

    async def leave_guild(self, guild: FakeGuild) -> None:
        """The bot is removed from ``guild``: GUILD_DELETE without ``unavailable``."""
        guild.members.pop(self.world.bot_user.id, None)
        await self.gateway.dispatch("GUILD_DELETE", {"id": str(guild.id)})
