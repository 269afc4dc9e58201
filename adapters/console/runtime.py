"""How every CLI command runs: build the app, run one coroutine, turn errors into one line."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, NoReturn, TypeVar

from rich.console import Console

from adapters.console.names import COMMANDS
from adapters.logging_setup import configure_logging
from bot.errors import UserFacingError
from bot.settings import InvalidSettings, MissingSetting, Settings, get_settings

if TYPE_CHECKING:  # the app (and SQLAlchemy, the catalog, …) loads when a command runs
    from adapters.bootstrap import App

log = logging.getLogger("shipbot.cli")

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)

T = TypeVar("T")


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except InvalidSettings as error:  # names each bad variable and what it must be
        fail(str(error), code=2)


def run_with_app(
    action: Callable[[App], Awaitable[T]],
    *,
    migrate: bool | None = None,
    log_level: str = "WARNING",
) -> T:
    """Run ``action`` against a freshly built app; user errors exit 1 with their message.
    ``log_level`` applies unless SHIPBOT_LOG_LEVEL is set (the long-running modes say INFO)."""
    settings = settings_or_exit()
    configure_logging(settings, default_level=log_level)
    from adapters.bootstrap import build_app

    async def main() -> T:
        app = await build_app(settings, migrate=migrate)
        try:
            return await action(app)
        finally:
            await app.close()
            await _settle()

    try:
        return asyncio.run(main())
    except UserFacingError as error:
        fail(error.told(COMMANDS))
    except MissingSetting as error:
        fail(str(error), code=2)
    except KeyboardInterrupt:
        fail("Interrupted.", code=130)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error. Silence the flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0) from None
    except Exception:
        log.exception("command failed", extra={"argv": sys.argv[1:]})
        fail("Something went wrong; the details are in the log above. Nothing was changed.")


async def _settle() -> None:
    """Let the tasks that closing started (aiosqlite closes a connection the garbage collector
    took in a task of its own) finish before the loop closes, so none is destroyed pending."""
    import gc

    gc.collect()
    current = asyncio.current_task()
    pending = [task for task in asyncio.all_tasks() if task is not current]
    if pending:
        await asyncio.wait(pending, timeout=1.0)


def fail(message: str, code: int = 1) -> NoReturn:
    for line in message.splitlines() or [""]:
        err.print(line, markup=False, highlight=False, style="red" if code else None)
    raise SystemExit(code)
