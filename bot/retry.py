"""Retry use cases when the store has a passing fault, with exponential backoff.

Every use case runs in one transaction that is rolled back on failure, and votes are idempotent
upserts deduplicated by event id, so running a use case again is always safe. After the last try
the person gets ``StoreUnavailable`` (a clear, friendly message) instead of a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from bot.errors import StoreUnavailable, TransientStoreError

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 4
FIRST_DELAY = 0.1  # seconds; then 0.3, 0.9: about 1.3 s in all, well inside a platform's 3 s
FACTOR = 3.0


def retry_transient(
    function: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[T]]:
    @functools.wraps(function)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        delay = FIRST_DELAY
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await function(*args, **kwargs)
            except TransientStoreError as error:
                if attempt == ATTEMPTS:
                    log.error(
                        "store unavailable; giving up",
                        extra={
                            "use_case": function.__qualname__,
                            "attempts": attempt,
                            "error": repr(error.__cause__ or error),
                        },
                    )
                    raise StoreUnavailable() from error
                log.warning(
                    "store fault; retrying",
                    extra={
                        "use_case": function.__qualname__,
                        "attempt": attempt,
                        "delay": delay,
                        "error": repr(error.__cause__ or error),
                    },
                )
                await asyncio.sleep(delay)
                delay *= FACTOR
        raise AssertionError("unreachable")

    return wrapper


C = TypeVar("C", bound=type)


def retry_use_cases(cls: C) -> C:
    """Wrap every public ``async def`` of a service class in ``retry_transient``."""
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.iscoroutinefunction(member):
            setattr(cls, name, retry_transient(member))
    return cls
