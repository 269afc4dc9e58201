"""The health server and ``shipbot health`` together, in process: what the probe prints for each
answer, and that the probe loads only the standard library."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

from adapters.bootstrap import App
from adapters.console.health_probe import health_url, probe, status_line
from adapters.health_server import health_server
from tests.e2e.test_run_all import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_the_url_comes_from_the_health_settings() -> None:
    assert health_url({}) == "http://127.0.0.1:8080/healthz"
    assert health_url({"SHIPBOT_HEALTH_PORT": "9100"}) == "http://127.0.0.1:9100/healthz"
    assert health_url({"SHIPBOT_HEALTH_HOST": "0.0.0.0"}) == "http://127.0.0.1:8080/healthz"
    assert health_url({"SHIPBOT_HEALTH_HOST": "::1"}) == "http://[::1]:8080/healthz"
    assert health_url({"SHIPBOT_HEALTH_PORT": "0"}) is None


def test_the_status_line_names_what_is_down() -> None:
    assert status_line(b'{"status": "ok", "database": "up", "platforms": {"web": "up"}}') == "ok"
    body = b'{"status": "unavailable", "database": "down", "platforms": {"discord": "down"}}'
    assert status_line(body) == "unavailable: database, discord down"
    assert status_line(b"<html>").startswith("unexpected answer")


async def test_the_probe_reads_the_servers_answer(app: App) -> None:
    port = free_port()
    app.settings = app.settings.model_copy(update={"health_port": port, "health_host": "127.0.0.1"})
    up = {"discord": True}
    app.health.register("discord", lambda: up["discord"])
    url = f"http://127.0.0.1:{port}/healthz"
    async with health_server(app) as listening:
        assert listening == port
        assert await asyncio.to_thread(probe, url) == (True, "ok")
        up["discord"] = False
        assert await asyncio.to_thread(probe, url) == (False, "unavailable: discord down")
    healthy, line = await asyncio.to_thread(probe, url)
    assert not healthy and line.startswith("unreachable: nothing answers at " + url)


async def test_a_taken_port_yields_none_and_disabled_binds_nothing(app: App) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app.settings = app.settings.model_copy(
            update={"health_port": port, "health_host": "127.0.0.1"}
        )
        async with health_server(app) as listening:
            assert listening is None
    app.settings = app.settings.model_copy(update={"health_port": 0})
    async with health_server(app) as listening:
        assert listening is None


def test_shipbot_health_loads_only_the_standard_library() -> None:
    script = (
        "import sys; sys.argv = ['shipbot', 'health']\n"
        "from adapters.console.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('typer', 'rich', 'pydantic', 'sqlalchemy', 'aiohttp', 'bot', 'data')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    env = {"SHIPBOT_HEALTH_PORT": str(free_port()), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.stdout.splitlines()[-1] == "[]", done.stdout + done.stderr
    assert done.stdout.startswith("unreachable"), done.stdout
