"""The Slack HTTP endpoint in front of Bolt: the signature is checked first, then the body.

Bolt parses a request's body before it verifies the signature, so an unsigned ``{"broken`` (or
a non-numeric timestamp) used to end in a 500 and a traceback. Here a request is answered 401
unless its timestamp is a plain number within five minutes and its ``v0`` signature matches the
raw bytes; a signed body that is not what Slack sends (not UTF-8, not a JSON object, a bad
``payload=`` field) is answered 400. Only then does Bolt see it (and verify it again).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_server import AsyncSlackAppServer
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
#: Slack's window: a request signed longer ago than this is a replay.
MAX_AGE_SECONDS = 300
UNAUTHORISED = '{"error": "invalid request"}'
MALFORMED = '{"error": "malformed request"}'


class Malformed(ValueError):
    """A signed body that is not one of the shapes Slack sends."""


def signed(raw: bytes, timestamp: str | None, signature: str | None, secret: str) -> bool:
    """Whether ``raw`` carries Slack's ``v0`` signature, made within :data:`MAX_AGE_SECONDS`."""
    if not secret or not timestamp or not signature:
        return False
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    if abs(time.time() - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def check_body(text: str, content_type: str) -> None:
    """Raise :class:`Malformed` unless Bolt can read ``text`` as a JSON object (Events API), a
    form with a JSON-object ``payload`` (interactivity) or a plain form (slash commands)."""
    if content_type == "application/json" or text.startswith("{"):
        _json_object(text, "body")
    elif "payload" in text:
        fields = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" in fields:
            _json_object(fields["payload"], "payload")


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise Malformed(f"the {what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise Malformed(f"the {what} is not a JSON object")
    return value


def events_handler(
    bolt: AsyncApp, signing_secret: str
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The ``POST /slack/events`` handler: verify, check, then dispatch to Bolt."""

    async def handle(request: web.Request) -> web.Response:
        raw = await request.read()
        headers = request.headers
        if not signed(
            raw,
            headers.get("X-Slack-Request-Timestamp"),
            headers.get("X-Slack-Signature"),
            signing_secret,
        ):
            log.info("slack request refused: bad or missing signature")
            return web.Response(status=401, text=UNAUTHORISED, content_type="application/json")
        try:
            text = raw.decode("utf-8")
            check_body(text, request.content_type)
        except (UnicodeDecodeError, Malformed) as error:
            reason = "the body is not UTF-8" if isinstance(error, UnicodeDecodeError) else error
            log.warning("signed slack request refused: %s", reason)
            return web.Response(status=400, text=MALFORMED, content_type="application/json")
        bolt_request = AsyncBoltRequest(
            body=text,
            query=request.query_string,
            headers=headers,  # type: ignore[arg-type]
        )
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    return handle


def slack_web_app(bolt: AsyncApp, signing_secret: str, path: str = EVENTS_PATH) -> web.Application:
    """The aiohttp app Slack talks to: ``POST path`` (events, commands, interactivity) through
    :func:`events_handler`, plus Bolt's own OAuth pages when the app has an OAuth flow."""
    web_app = web.Application()
    web_app.router.add_post(path, events_handler(bolt, signing_secret))
    if bolt.oauth_flow is not None:
        # Bolt's server only for its GET handlers (install page and redirect): a fresh one each
        # time, since aiohttp will not run one web.Application twice.
        pages = AsyncSlackAppServer(port=0, path=path, app=bolt)
        web_app.router.add_get(bolt.oauth_flow.install_path, pages.handle_get_requests)
        web_app.router.add_get(bolt.oauth_flow.redirect_uri_path, pages.handle_get_requests)
    return web_app
