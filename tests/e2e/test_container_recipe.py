"""The container recipe without a container engine: the image's build step (a wheel of the
project, installed into a fresh virtualenv, run from an empty directory) and the commands that
``compose.yaml`` and the ``Dockerfile`` give (migrate, start, healthcheck), on a real database; the
healthcheck asks the started bot (connected to the local Discord fake) over its health port.

This machine has no Docker engine, so the image itself is not built here; what can break inside it
(missing migrations or seed files in the package, a command that doesn't exist, a healthcheck that
never passes) is checked on the same wheel the Dockerfile installs."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from data.catalog_files import seed_catalog
from tests.e2e.test_run_all import free_port
from tests.fakes.discord import FakeDiscord
from tests.support.databases import PostgresDatabases, SqliteDatabases

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv holding only the project's wheel (its dependencies come from the test venv)."""
    root = tmp_path_factory.mktemp("image")
    source = root / "src"  # what the Dockerfile's build stage COPYs, and nothing else
    build_stage = dockerfile().split("\nFROM ")[1]  # the first stage
    for copied in re.findall(r"^COPY (.+) \S+$", build_stage, re.MULTILINE):
        for name in copied.split():
            origin = ROOT / name
            if origin.is_dir():
                shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                source.mkdir(exist_ok=True)
                shutil.copy(origin, source / name)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # The new venv's own pip (the test venv's would first uninstall the project from itself).
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(source)],
        check=True,
    )
    return venv


def image_env(image: Path, cwd: Path, **env: str) -> dict[str, str]:
    site = sysconfig.get_paths()["purelib"]  # the test venv's packages: the image's dependencies
    return {"PATH": f"{image / 'bin'}:/usr/bin:/bin", "PYTHONPATH": site, "HOME": str(cwd), **env}


def shipbot_command(image: Path) -> list[str]:
    """The wheel's own ``shipbot`` console script, as the image runs it."""
    return [str(image / "bin" / "shipbot")]


def run(image: Path, args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*shipbot_command(image), *args],
        cwd=cwd,
        env=image_env(image, cwd, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def exec_form(instruction: str) -> list[str]:
    match = re.search(rf"^{instruction}\b.*?(\[.*\])\s*$", dockerfile(), re.MULTILINE)
    assert match, f"{instruction} in exec form"
    return list(yaml.safe_load(match.group(1)))


def test_the_wheel_carries_the_code_and_not_the_tests(image: Path, tmp_path: Path) -> None:
    shown = run(image, ["--help"], tmp_path)
    assert shown.returncode == 0, shown.stderr
    probe = run(image, [], tmp_path)  # no arguments: usage, not a traceback
    assert "Traceback" not in probe.stderr
    located = subprocess.run(
        [str(image / "bin" / "python"), "-c", "import data, tests; print(data.__file__)"],
        env={"PYTHONPATH": sysconfig.get_paths()["purelib"]},
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert "No module named 'tests'" in located.stderr


def test_compose_migrates_then_the_bot_command_names_the_missing_token(
    image: Path, tmp_path: Path, databases: SqliteDatabases | PostgresDatabases
) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["bot"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    database = {"SHIPBOT_DATABASE_URL": databases.empty()}

    unmigrated = run(image, ["db", "check"], tmp_path, **database)
    assert unmigrated.returncode != 0, "an empty database is not current"
    migrated = run(image, services["migrate"]["command"], tmp_path, **database)
    assert migrated.returncode == 0, migrated.stderr
    loaded = re.search(r"loaded (\d+) tools from the bundled catalog", migrated.stdout)
    assert loaded, migrated.stdout
    curated = len(seed_catalog()["tools"])
    assert int(loaded.group(1)) > curated + 1000  # the curated tools and the synced models
    current = run(image, ["db", "check"], tmp_path, **database)
    assert current.returncode == 0 and current.stdout.strip() == "ok", current.stderr

    # The bot's command, without tokens: one clear line naming what to set, no traceback.
    started = run(image, services["bot"]["command"], tmp_path, **database)
    assert started.returncode == 2
    assert "SHIPBOT_DISCORD_TOKEN" in started.stderr and "Traceback" not in started.stderr


async def test_the_healthcheck_asks_the_running_bot(
    image: Path, tmp_path: Path, database_url: str
) -> None:
    """The image's HEALTHCHECK against the image's default command (``run all``) with a Discord
    token pointed at the Discord fake: unhealthy before the bot listens, healthy once it is
    connected, unhealthy again (naming discord) when the gateway goes away."""
    healthcheck = exec_form("HEALTHCHECK.*CMD")
    assert healthcheck[:2] == ["shipbot", "health"]
    assert exec_form("CMD") == ["run", "all"]
    port = free_port()
    env = {"SHIPBOT_DATABASE_URL": database_url, "SHIPBOT_HEALTH_PORT": str(port)}

    def probe() -> subprocess.CompletedProcess[str]:
        return run(image, healthcheck[1:], tmp_path, **env)

    before = await asyncio.to_thread(probe)
    assert before.returncode == 1 and before.stdout.startswith("unreachable"), before

    async with FakeDiscord() as fake:
        bot_env = {
            **env,
            "SHIPBOT_DISCORD_TOKEN": fake.token,
            "SHIPBOT_DISCORD_API_BASE": fake.api_url,
            "SHIPBOT_DISCORD_GATEWAY_URL": fake.gateway_url,
        }
        bot = await asyncio.create_subprocess_exec(
            *shipbot_command(image),
            *exec_form("CMD"),
            cwd=tmp_path,
            env=image_env(image, tmp_path, **bot_env),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            healthy = await until_probe(probe, 0, bot)
            assert healthy.stdout.strip() == "ok"
            await fake.stop()
            down = await until_probe(probe, 1, bot)
            assert down.stdout.strip() == "unavailable: discord down"
            bot.terminate()
            _, stderr = await asyncio.wait_for(bot.communicate(), timeout=15)
            assert bot.returncode == 0, stderr.decode()
        finally:
            if bot.returncode is None:
                bot.kill()
                await bot.wait()


async def until_probe(
    probe: Callable[[], subprocess.CompletedProcess[str]],
    code: int,
    bot: asyncio.subprocess.Process,
    seconds: float = 40,
) -> subprocess.CompletedProcess[str]:
    """Run the healthcheck until it exits ``code`` (the bot must keep running meanwhile)."""
    deadline = time.monotonic() + seconds
    while True:
        answer = await asyncio.to_thread(probe)
        if answer.returncode == code:
            return answer
        assert bot.returncode is None, "the bot stopped"
        assert time.monotonic() < deadline, f"the healthcheck never exited {code}: {answer}"
        await asyncio.sleep(0.2)


def test_the_image_defaults_work_with_no_configuration(image: Path, tmp_path: Path) -> None:
    """``docker run shipbot compare …``: the Dockerfile's default SQLite URL, an empty volume."""
    assert len(re.findall(r"^FROM ", dockerfile(), re.MULTILINE)) >= 2, "multi-stage"
    user = re.search(r"^USER (\S+)", dockerfile(), re.MULTILINE)
    assert user and user.group(1) not in ("root", "0")
    default = re.search(r"SHIPBOT_DATABASE_URL=sqlite\+aiosqlite:///(/\S+)", dockerfile())
    assert default
    volume = tmp_path / default.group(1).lstrip("/")
    url = f"sqlite+aiosqlite:///{volume}"
    assert exec_form("ENTRYPOINT") == ["shipbot"]
    card = run(
        image, ["compare", "SmolLM3 vs Mistral Medium 3"], tmp_path, SHIPBOT_DATABASE_URL=url
    )
    assert card.returncode == 0, card.stderr
    assert "SmolLM3" in card.stdout and "Mistral Medium 3" in card.stdout
    assert volume.exists()
    assert os.access(volume, os.R_OK)
