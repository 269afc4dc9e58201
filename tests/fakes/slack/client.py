"""``SlackEventSender``: plays Slack's side of the HTTP conversation with an app.

It POSTs signed requests to the app's request URL (e.g. ``http://127.0.0.1:PORT/slack/events``)
exactly like Slack: slash commands and interactivity as form-encoded bodies
(interactivity as a single ``payload=<json>`` field), Events API as JSON, retries with
``X-Slack-Retry-Num`` / ``X-Slack-Retry-Reason`` and an unchanged body (same ``event_id``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import aiohttp

from .payloads import SlackPayloads
from .signing import FORM_CONTENT_TYPE, JSON_CONTENT_TYPE, signed_headers
from .state import JSON

if TYPE_CHECKING:
    from .web_api import FakeSlackWebAPI


@dataclass(frozen=True)
class SlackHttpResponse:
    """The app's answer plus what was sent (so it can be re-sent as a retry)."""

    status: int
    text: str
    headers: dict[str, str]
    elapsed: float
    request_body: str
    content_type: str
    payload: Any

    def json(self) -> Any:
        """The response body parsed as JSON (``None`` for an empty body)."""
        return json.loads(self.text) if self.text else None


class SlackEventSender:
    """Sends signed Slack requests to one app endpoint.

    Args:
        url: the app's request URL.
        signing_secret: the secret the app verifies with.
        web_api: optional fake Web API; response_urls/trigger_ids are minted there.
        payloads: a custom payload factory (defaults to one bound to ``web_api``).
    """

    def __init__(
        self,
        url: str,
        signing_secret: str,
        *,
        web_api: FakeSlackWebAPI | None = None,
        payloads: SlackPayloads | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.url = url
        self.signing_secret = signing_secret
        self.payloads = payloads or SlackPayloads(web_api=web_api)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> SlackEventSender:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- raw ----------------------------------------------------------------------------

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        payload: Any = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        forge_signature: bool = False,
        timestamp: int | None = None,
        age_seconds: int = 0,
        unsigned: bool = False,
        extra_headers: dict[str, str] | None = None,
    ) -> SlackHttpResponse:
        """POST a raw body with Slack's headers.

        ``forge_signature`` signs with a wrong secret, ``age_seconds`` backdates the
        timestamp (Slack apps must reject > 300 s), ``unsigned`` omits both headers.
        """
        headers = signed_headers(
            self.signing_secret,
            body,
            content_type,
            timestamp=timestamp,
            age_seconds=age_seconds,
            forge_signature=forge_signature,
        )
        if unsigned:
            headers.pop("X-Slack-Signature")
            headers.pop("X-Slack-Request-Timestamp")
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        headers.update(extra_headers or {})
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        started = time.monotonic()
        async with self._session.post(self.url, data=body.encode(), headers=headers) as resp:
            text = await resp.text()
            return SlackHttpResponse(
                resp.status,
                text,
                dict(resp.headers),
                time.monotonic() - started,
                body,
                content_type,
                payload,
            )

    async def resend(
        self,
        previous: SlackHttpResponse,
        *,
        retry_num: int = 1,
        retry_reason: str = "http_timeout",
        **kwargs: Any,
    ) -> SlackHttpResponse:
        """Re-deliver an earlier request as Slack's retry (same body, fresh signature)."""
        return await self.post(
            previous.request_body,
            previous.content_type,
            payload=previous.payload,
            retry_num=retry_num,
            retry_reason=retry_reason,
            **kwargs,
        )

    async def send_form(self, fields: dict[str, str], **kwargs: Any) -> SlackHttpResponse:
        """Send form-encoded fields (slash commands)."""
        return await self.post(urlencode(fields), FORM_CONTENT_TYPE, payload=fields, **kwargs)

    async def send_event(self, envelope: JSON, **kwargs: Any) -> SlackHttpResponse:
        """Send an Events API JSON body (``event_callback``, ``url_verification``)."""
        return await self.post(json.dumps(envelope), JSON_CONTENT_TYPE, payload=envelope, **kwargs)

    async def send_interactive(self, payload: JSON, **kwargs: Any) -> SlackHttpResponse:
        """Send an interactivity payload as ``payload=<json>`` (form-encoded)."""
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, FORM_CONTENT_TYPE, payload=payload, **kwargs)

    # -- convenience ------------------------------------------------------------------

    async def slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U0REGULAR",
        channel_id: str = "C0GENERAL",
        fields: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> SlackHttpResponse:
        """Build and send a slash command; ``fields`` overrides individual form fields."""
        form = self.payloads.slash_command(
            command, text, user_id=user_id, channel_id=channel_id, **(fields or {})
        )
        return await self.send_form(form, **kwargs)

    async def reaction(
        self,
        reaction: str,
        *,
        channel_id: str,
        ts: str,
        user_id: str = "U0REGULAR",
        added: bool = True,
        event_id: str | None = None,
        **kwargs: Any,
    ) -> SlackHttpResponse:
        """Send ``reaction_added`` (or ``reaction_removed`` with ``added=False``)."""
        envelope = self.payloads.reaction_event(
            reaction, channel_id=channel_id, ts=ts, user_id=user_id, added=added, event_id=event_id
        )
        return await self.send_event(envelope, **kwargs)

    async def app_home_opened(
        self, *, user_id: str = "U0REGULAR", tab: str = "home", **kwargs: Any
    ) -> SlackHttpResponse:
        """Send ``app_home_opened`` for ``user_id``."""
        return await self.send_event(
            self.payloads.app_home_opened(user_id=user_id, tab=tab), **kwargs
        )

    async def app_mention(
        self, text: str, *, channel_id: str = "C0GENERAL", user_id: str = "U0REGULAR", **kwargs: Any
    ) -> SlackHttpResponse:
        """Send ``app_mention`` (``text`` as Slack sends it: ``<@U0SHIPBOT> …``)."""
        envelope = self.payloads.app_mention(text, channel_id=channel_id, user_id=user_id)
        return await self.send_event(envelope, **kwargs)

    async def direct_message(
        self, text: str, *, user_id: str = "U0REGULAR", bot_id: str | None = None, **kwargs: Any
    ) -> SlackHttpResponse:
        """Send a ``message`` in ``user_id``'s DM with the app (``message.im``)."""
        envelope = self.payloads.direct_message(text, user_id=user_id, bot_id=bot_id)
        return await self.send_event(envelope, **kwargs)

    async def block_action(self, action_id: str, value: str, **kwargs: Any) -> SlackHttpResponse:
        """Send a ``block_actions`` button click (see ``SlackPayloads.block_actions``)."""
        send_opts = _pop_send_options(kwargs)
        payload = self.payloads.block_actions(action_id, value, **kwargs)
        return await self.send_interactive(payload, **send_opts)

    async def view_submission(self, **kwargs: Any) -> SlackHttpResponse:
        """Send a ``view_submission`` (see ``SlackPayloads.view_submission``)."""
        send_opts = _pop_send_options(kwargs)
        payload = self.payloads.view_submission(**kwargs)
        return await self.send_interactive(payload, **send_opts)

    async def url_verification(self, challenge: str = "challenge-123") -> SlackHttpResponse:
        """Send the ``url_verification`` handshake."""
        return await self.send_event(self.payloads.url_verification(challenge))


_SEND_OPTIONS = (
    "retry_num",
    "retry_reason",
    "forge_signature",
    "timestamp",
    "age_seconds",
    "unsigned",
    "extra_headers",
)


def _pop_send_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: kwargs.pop(k) for k in _SEND_OPTIONS if k in kwargs}
