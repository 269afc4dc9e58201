"""The container recipe without a container engine: the image's build step (a wheel of the
project, installed into a fresh virtualenv, run from an empty directory) and the commands that
``compose.yaml`` and the ``Dockerfile`` give (migrate, healthcheck, start), on a real database.

This machine has no Docker engine, so the image itself is not built here; what can break inside it
(missing migrations or seed files in the package, a command that doesn't exist, a healthcheck that
never passes) is checked on the same wheel the Dockerfile installs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from data.catalog_files import seed_catalog
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


def run(image: Path, args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    site = sysconfig.get_paths()["purelib"]  # the test venv's packages: the image's dependencies
    environment = {
        "PATH": f"{image / 'bin'}:/usr/bin:/bin",
        "PYTHONPATH": f"{site}",
        "HOME": str(cwd),
        **env,
    }
    command = [str(image / "bin" / "python"), "-c", "from adapters.console.cli import main; main()"]
    return subprocess.run(
        [*command, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
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


def test_compose_migrates_then_the_healthcheck_passes_then_the_bot_starts(
    image: Path, tmp_path: Path, databases: SqliteDatabases | PostgresDatabases
) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["bot"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    database = {"SHIPBOT_DATABASE_URL": databases.empty()}

    healthcheck = exec_form("HEALTHCHECK.*CMD")
    assert healthcheck[0] == "shipbot"
    unhealthy = run(image, healthcheck[1:], tmp_path, **database)
    assert unhealthy.returncode != 0, "an empty database is not healthy"

    migrated = run(image, services["migrate"]["command"], tmp_path, **database)
    assert migrated.returncode == 0, migrated.stderr
    loaded = re.search(r"loaded (\d+) tools from the bundled catalog", migrated.stdout)
    assert loaded, migrated.stdout
    curated = len(seed_catalog()["tools"])
    assert int(loaded.group(1)) > curated + 1000  # the curated tools and the synced models
    healthy = run(image, healthcheck[1:], tmp_path, **database)
    assert healthy.returncode == 0 and healthy.stdout.strip() == "ok", healthy.stderr

    # The bot's command, without tokens: one clear line naming what to set, no traceback.
    started = run(image, services["bot"]["command"], tmp_path, **database)
    assert started.returncode == 2
    assert "SHIPBOT_DISCORD_TOKEN" in started.stderr and "Traceback" not in started.stderr


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
