"""Interaction payloads (INTERACTION_CREATE) and handles to await their responses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .payloads import message_payload, partial_interaction_channel
from .recording import RecordedRequest, Waiter
from .snowflake import random_token
from .state import JSON, FakeChannel, FakeGuild, FakeUser, StoredMessage, new_id

if TYPE_CHECKING:
    from .world import World

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5


@dataclass
class InteractionRecord:
    """Server-side state of one interaction (what Discord remembers about it)."""

    id: int
    token: str
    type: int
    payload: JSON
    guild_id: int | None
    channel_id: int
    user: FakeUser
    source_message_id: int | None = None
    response_type: int | None = None
    response_data: JSON | None = None
    original_message_id: int | None = None
    followup_message_ids: list[int] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        """Whether an initial callback has been accepted."""
        return self.response_type is not None


def build_interaction(
    world: World,
    *,
    itype: int,
    guild: FakeGuild,
    channel: FakeChannel,
    user: FakeUser,
    data: JSON,
    message: StoredMessage | None = None,
    locale: str = "en-US",
) -> InteractionRecord:
    """Build an INTERACTION_CREATE payload the way Discord sends it for a guild channel."""
    member = guild.members.get(user.id)
    if member is None:
        raise ValueError(f"user {user.username} is not a member of guild {guild.name}")
    interaction_id = new_id()
    token = random_token()
    user_perms = guild.permissions_in(channel, user.id)
    app_perms = guild.permissions_in(channel, world.bot_user.id)
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(world.application_id),
        "type": itype,
        "data": data,
        "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
        "guild_id": str(guild.id),
        "channel": partial_interaction_channel(channel, user_perms),
        "channel_id": str(channel.id),
        "member": member.to_payload(permissions=user_perms),
        "token": token,
        "version": 1,
        "app_permissions": str(app_perms),
        "locale": locale,
        "guild_locale": guild.locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": {"0": str(guild.id)},
        "context": 0,
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if message is not None:
        payload["message"] = message_payload(message, world.bot_user.id)
    return InteractionRecord(
        id=interaction_id,
        token=token,
        type=itype,
        payload=payload,
        guild_id=guild.id,
        channel_id=channel.id,
        user=user,
        source_message_id=message.id if message else None,
    )


class InteractionHandle:
    """Returned by the ``FakeDiscord.send_*`` injectors; await the bot's response(s)."""

    def __init__(self, record: InteractionRecord, world: World, waiter: Waiter) -> None:
        self.record = record
        self._world = world
        self._waiter = waiter

    @property
    def id(self) -> int:
        """The interaction id."""
        return self.record.id

    @property
    def token(self) -> str:
        """The interaction token."""
        return self.record.token

    @property
    def payload(self) -> JSON:
        """The INTERACTION_CREATE ``d`` payload that was dispatched."""
        return self.record.payload

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every REST request made with this interaction's token (callback, webhooks)."""
        return list(self.record.requests)

    @property
    def callback(self) -> RecordedRequest | None:
        """The first ``POST /interactions/{id}/{token}/callback`` request, if any."""
        return next((r for r in self.record.requests if r.route and "callback" in r.route), None)

    @property
    def response_type(self) -> int | None:
        """Accepted callback type (4, 5, 6, 7, 8 or 9), or ``None``."""
        return self.record.response_type

    @property
    def response_data(self) -> JSON | None:
        """``data`` of the accepted callback (message, choices or modal)."""
        return self.record.response_data

    @property
    def choices(self) -> list[JSON]:
        """Autocomplete choices of a type-8 response."""
        return list((self.record.response_data or {}).get("choices") or [])

    def original_message(self) -> JSON | None:
        """Current state of ``@original`` as a message payload (after edits)."""
        mid = self.record.original_message_id
        msg = self._world.messages.get(mid) if mid else None
        return message_payload(msg, self._world.bot_user.id) if msg else None

    def followups(self) -> list[JSON]:
        """Followup messages created through ``POST /webhooks/{app}/{token}``."""
        out = []
        for mid in self.record.followup_message_ids:
            msg = self._world.messages.get(mid)
            if msg is not None:
                out.append(message_payload(msg, self._world.bot_user.id))
        return out

    async def wait_response(self, timeout: float = 5.0) -> RecordedRequest:  # noqa: ASYNC109
        """Wait until the initial callback was accepted; return its recorded request."""
        await self._waiter.wait_until(
            lambda: self.record.acknowledged,
            timeout=timeout,
            what=f"a callback for interaction {self.id}",
        )
        found = next(
            r for r in self.record.requests if r.route and "callback" in r.route and r.status < 300
        )
        return found

    async def wait_followups(
        self,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[JSON]:
        """Wait until at least ``count`` followup messages exist; return them."""
        await self._waiter.wait_until(
            lambda: len(self.record.followup_message_ids) >= count,
            timeout=timeout,
            what=f"{count} followup(s) for interaction {self.id}",
        )
        return self.followups()

    async def wait_for(
        self,
        predicate: Callable[[InteractionHandle], Any],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until ``predicate(self)`` is truthy."""
        await self._waiter.wait_until(
            lambda: predicate(self), timeout=timeout, what=f"predicate on interaction {self.id}"
        )
