"""The web pages served by a real ``shipbot run web`` process, read in Debian's chromium.

The browser is the system's ``/usr/bin/chromium`` driven by Playwright (never a downloaded build).
Without it, locally, browser tests skip and say why; in CI (``CI=true``) they fail instead, so a
missing browser can't pass for a green run. The same goes for axe-core (from the npm registry,
installed by ``.ci/run``; found at ``SHIPBOT_AXE_CORE`` or in the user's cache).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED_PATH = "/compare/smollm-3-vs-mistral-medium-3"
REPO = Path(__file__).resolve().parents[2]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(what: str, found: object, how: str) -> None:
    """Skip (locally) or fail (in CI) when a tool the browser tests need is missing."""
    if found:
        return
    message = f"{what} is not installed: {how}"
    if in_ci():
        pytest.fail(f"{message} (required in CI)")
    pytest.skip(message)


def chromium_path() -> str:
    path = os.environ.get("SHIPBOT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    require("Debian's chromium", Path(path).exists(), "apt-get install -y chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        require("Playwright for Python", False, "pip install -e '.[dev]'")
    return path


def axe_path() -> Path:
    candidates = [
        os.environ.get("SHIPBOT_AXE_CORE", ""),
        str(_cache() / "axe" / "node_modules" / "axe-core" / "axe.min.js"),
    ]
    found = next((Path(c) for c in candidates if c and Path(c).is_file()), None)
    require(
        "axe-core",
        found,
        f"npm install --prefix {_cache() / 'axe'} axe-core (or set SHIPBOT_AXE_CORE)",
    )
    assert found is not None
    return found


def _cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shipbot"


def artifacts_dir() -> Path:
    """Where screenshots are kept for people to look at (CI keeps ``tmp/artifacts``)."""
    folder = Path(os.environ.get("SHIPBOT_ARTIFACTS", REPO / "tmp" / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class WebServer:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def web_server(database_url: str, tmp: Path, **env: str) -> Iterator[WebServer]:
    """``shipbot run web`` in its own process on a free port, until the block ends."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SHIPBOT_")}
    environment.update(
        {
            "SHIPBOT_DATABASE_URL": database_url,
            "SHIPBOT_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "SHIPBOT_LOG_LEVEL": "WARNING",
            "SHIPBOT_HEALTH_PORT": "0",  # no health server on 8080
            **env,
        }
    )
    log = tmp / f"web-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from adapters.console.cli import main; main()",
                "run",
                "web",
                "--port",
                str(port),
            ],
            cwd=tmp,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = WebServer(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{server.base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the web server did not start:\n{server.output()}")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class PageWatch:
    """What a page said on the console and which of its requests failed."""

    errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on(
            "requestfailed",
            lambda r: (
                None
                if r.url.endswith("/live") or "/live?" in r.url  # closed at the end of the test
                else self.errors.append(f"request failed: {r.url}")
            ),
        )


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    path = chromium_path()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()
