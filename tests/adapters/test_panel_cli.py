"""``shipbot panel …`` and ``shipbot review submit`` through the real console script, drafting
against the fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.openai import FakeChatServer, Reply
from tests.support.cli import shipbot

pytestmark = pytest.mark.timeout(400)  # each step is a fresh process; slow on a loaded machine


@pytest.fixture
async def fake() -> AsyncIterator[FakeChatServer]:
    server = FakeChatServer()
    await server.start()
    yield server
    await server.close()


def _env(database_url: str, fake: FakeChatServer | None = None) -> dict[str, str]:
    env = {"SHIPBOT_DATABASE_URL": database_url, "USER": "ada"}
    if fake is not None:
        env |= {
            "SHIPBOT_PANEL_BASE_URL": fake.base_url,
            "SHIPBOT_PANEL_MODEL": "fake-panel-1",
            "SHIPBOT_PANEL_MAX_RETRIES": "0",
            "SHIPBOT_PANEL_INVALID_RETRIES": "0",
        }
    return env


async def _run(*args: str, cwd: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    return await asyncio.to_thread(shipbot, *args, cwd=cwd, env=env)


async def test_draft_without_settings_names_the_variables_and_changes_nothing(
    workdir: Path,
) -> None:
    result = await _run("panel", "draft", "--missing", cwd=workdir, env={})
    assert result.returncode == 2
    assert "SHIPBOT_PANEL_BASE_URL" in result.stderr and "SHIPBOT_PANEL_MODEL" in result.stderr
    assert not (workdir / "shipbot.db").exists()  # not even a database was created


async def test_draft_queue_approve_and_the_card_shows_provenance(
    workdir: Path, database_url: str, fake: FakeChatServer
) -> None:
    env = _env(database_url, fake)
    drafted = await _run(
        "panel", "draft", "cursor", "--lens", "dx", "--lens", "buyer", cwd=workdir, env=env
    )
    assert drafted.returncode == 0, drafted.stderr
    assert "2 reviews drafted for 1 of 1 tools" in drafted.stdout
    listed = await _run("panel", "queue", "--json", cwd=workdir, env=env)
    queue = json.loads(listed.stdout)
    assert queue["total"] == 2
    item = queue["items"][0]
    assert item["tool"] == "Cursor" and item["lens"] == "developer" and item["kind"] == "ai_draft"
    assert item["receipt"]["model"] == "fake-panel-1" and item["receipt"]["facts"]
    text = await _run("panel", "queue", cwd=workdir, env=env)
    assert "2 drafts wait for approval" in text.stdout and "relied on: Cursor" in text.stdout
    ids = [str(i["id"]) for i in queue["items"]]
    approved = await _run("panel", "approve", ids[0], cwd=workdir, env=env)
    assert approved.returncode == 0 and f"Approved 1: #{ids[0]} (Cursor" in approved.stdout
    rejected = await _run("panel", "reject", ids[1], "999", cwd=workdir, env=env)
    assert "Rejected 1" in rejected.stdout and "#999" in rejected.stdout
    card = json.loads(
        (await _run("compare", "Cursor vs Windsurf", "--json", cwd=workdir, env=env)).stdout
    )
    quote = card["reviewer_split"][0]["a"]
    assert quote["kind"] == "ai_draft"
    assert quote["provenance"] == "AI-drafted with fake-panel-1, approved by ada"
    assert card["a"]["panel"] == {"ships": 1, "reviews": 1}
    printed = await _run(
        "compare", "Cursor vs Windsurf", cwd=workdir, env=env | {"COLUMNS": "4000"}
    )
    assert "AI-drafted with fake-panel-1, approved by ada" in printed.stdout


async def test_missing_run_with_a_fault_reports_a_summary(
    workdir: Path, database_url: str, fake: FakeChatServer
) -> None:
    fake.script(Reply.text("{broken"))
    result = await _run(
        "panel", "draft", "--missing", "--limit", "3", cwd=workdir, env=_env(database_url, fake)
    )
    assert result.returncode == 0, result.stderr
    assert "8 reviews drafted for 2 of 3 tools" in result.stdout
    assert "no usable answer in 1 tries: the answer is not valid JSON" in result.stdout


async def test_member_take_edit_and_approve_all(workdir: Path, database_url: str) -> None:
    env = _env(database_url)
    quote = "The primitive here is a calm editor; the moment of truth is a three-file refactor."
    submitted = await _run(
        "review",
        "submit",
        "windsurf",
        "--lens",
        "future",
        "--verdict",
        "skip",
        "--quote",
        quote,
        "--name",
        "Mo",
        cwd=workdir,
        env=env,
    )
    assert submitted.returncode == 0, submitted.stderr
    assert "waits for an admin's approval" in submitted.stdout
    take_id = json.loads((await _run("panel", "queue", "--json", cwd=workdir, env=env)).stdout)[
        "items"
    ][0]["id"]
    edited = await _run("panel", "edit", str(take_id), "--verdict", "ship", cwd=workdir, env=env)
    assert edited.returncode == 0 and "ship" in edited.stdout
    bad = await _run("panel", "edit", str(take_id), "--quote", "short", cwd=workdir, env=env)
    assert bad.returncode == 1 and "at least 40" in bad.stderr and "Traceback" not in bad.stderr
    assert (await _run("panel", "approve", "--all", cwd=workdir, env=env)).returncode == 0
    card = json.loads(
        (await _run("compare", "Windsurf vs Cursor", "--json", cwd=workdir, env=env)).stdout
    )
    future = card["reviewer_split"][2]["a"]
    assert future["provenance"] == "member take by Mo, approved by ada"
    assert future["verdict"] == "ship"


async def test_bad_take_is_a_clear_message(workdir: Path, database_url: str) -> None:
    result = await _run(
        "review",
        "submit",
        "windsurf",
        "--lens",
        "vibes",
        "--verdict",
        "ship",
        "--quote",
        "x" * 50,
        cwd=workdir,
        env=_env(database_url),
    )
    assert result.returncode == 1 and "No lens called 'vibes'" in result.stderr
