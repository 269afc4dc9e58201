"""Request recording, failure injection and condition waiting for the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .state import JSON


@dataclass
class RecordedFile:
    """A file uploaded in a multipart request."""

    field_name: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request received by the fake REST API.

    ``path`` is relative to ``/api/v10`` and percent-decoded; ``route`` is the matched
    template (e.g. ``/channels/{channel_id}/messages/{message_id}``) or ``None`` when no
    route matched (the request was answered 404).
    """

    method: str
    path: str
    route: str | None
    params: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    files: list[RecordedFile]
    time: float
    status: int = 0
    response: Any = None

    @property
    def payload(self) -> Any:
        """Alias of ``json`` (for multipart requests this is the parsed ``payload_json``)."""
        return self.json

    def matches(self, method: str | None = None, route: str | None = None) -> bool:
        """True if the request has the given method and route template (``None`` = any)."""
        return (method is None or self.method == method.upper()) and (
            route is None or self.route == route
        )


@dataclass
class FailureRule:
    """Make matching requests fail. ``times`` counts down; ``None`` means forever."""

    method: str | None
    path_regex: str
    status: int
    body: JSON
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule applies to ``method path``."""
        if self.times is not None and self.times <= 0:
            return False
        if self.method is not None and self.method.upper() != method:
            return False
        return re.search(self.path_regex, path) is not None


def error_body(status: int, code: int | None = None, message: str | None = None) -> JSON:
    """A Discord-style JSON error body."""
    defaults: dict[int, tuple[int, str]] = {
        400: (50035, "Invalid Form Body"),
        401: (0, "401: Unauthorized"),
        403: (50001, "Missing Access"),
        404: (0, "404: Not Found"),
        500: (0, "500: Internal Server Error"),
    }
    d_code, d_message = defaults.get(status, (0, f"{status}"))
    return {"message": message or d_message, "code": d_code if code is None else code}


class Waiter:
    """Wakes coroutines waiting for a condition whenever the fake's state changes."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Signal that something changed; all current waiters re-check."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(
        self,
        condition: Callable[[], Any],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        what: str = "condition",
    ) -> Any:
        """Return ``condition()`` once it is truthy; raise ``TimeoutError`` after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"fake discord: timed out after {timeout}s waiting for {what}")
            event = self._event
            # Poll at least every 50 ms so conditions on external state also work.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=min(remaining, 0.05))
