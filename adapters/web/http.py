"""HTTP details every page shares: ETags with 304s, caching headers and the security headers."""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)

# Pages change when votes land: caches keep a copy but ask again (a 304 costs a few bytes).
PAGE_CACHE = "public, max-age=0, must-revalidate"
API_CACHE = "public, max-age=5, must-revalidate"
IMAGE_CACHE = "public, max-age=300"
STATIC_CACHE = "public, max-age=31536000, immutable"
NO_STORE = "no-store"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def cached(
    request: Request,
    body: bytes,
    media_type: str,
    cache_control: str,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """``body`` with a strong ETag; a 304 with no body when the client already holds it."""
    etag = etag_of(body)
    common = {"ETag": etag, "Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    if status_code == 200 and _matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=common)
    return Response(body, status_code, {**common, **(headers or {})}, media_type=media_type)


def _matches(header: str, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


class SecurityHeaders:
    """ASGI middleware: the security headers on every response (streams included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
