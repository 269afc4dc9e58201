"""The ``shipbot`` CLI through its real entry point (a subprocess running the console script)."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from data.catalog_files import seed_catalog
from data.database import create_engine, head_revision
from tests.support.cli import shipbot
from tests.support.seed_page import seed_page


def test_compare_prints_every_field_of_the_seed_page_on_a_fresh_sqlite_file(workdir: Path) -> None:
    # Wide enough that no quote wraps inside its column, so each appears verbatim on one line.
    result = shipbot("compare", "smollm3 vs mistral medium 3", cwd=workdir, env={"COLUMNS": "4000"})
    assert result.returncode == 0, result.stderr
    assert (workdir / "shipbot.db").exists()
    text = " ".join(result.stdout.split())
    for needle in (
        "75% · 3/4",
        "100% · 4/4",
        "Free",
        "Paid",
        "Pricing read",
        "Community",
        "Verdict",
    ):
        assert needle in text
    page = seed_page()
    for needle in (
        page.title,
        page.intro,
        page.digest_title,
        *(p.tagline for p in page.profiles),
    ):
        assert " ".join(needle.split()) in text
    for quote in page.quotes:
        assert " ".join(quote.split()) in text, quote[:60]
    for profile in page.profiles:
        assert " ".join(profile.description.split()) in text


def test_compare_json_has_the_whole_card(workdir: Path, db_env: dict[str, str]) -> None:
    result = shipbot("compare", "SmolLM3 vs Mistral Medium 3", "--json", cwd=workdir, env=db_env)
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["a"]["panel"] == {"ships": 3, "reviews": 4}
    assert [row["lens"] for row in card["reviewer_split"]] == [
        "developer",
        "competition",
        "future",
        "business",
    ]
    assert card["reviewer_split"][3]["a"]["verdict"] == "skip"
    assert card["community"]["text"] == "—"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("SmolLM3 vs Mistral Medum 9", "No tool called 'Mistral Medum 9'. Did you mean:"),
        ("SmolLM3 vs Qwxzzyq Plorb", "Check the spelling. `shipbot tool list` lists the catalog."),
        ("SmolLM3 vs smollm3", "same tool twice"),
        ("SmolLM3 vs", ""),
        ("SmolLM3 vs GPT-4o vs Whisper", ""),
        ("", ""),
        ("x" * 10_000, "too long"),
        ("SmolLM3\x01 vs GPT-4o", "control characters"),
    ],
)
def test_bad_compare_input_gets_one_line_and_exit_1(
    workdir: Path, db_env: dict[str, str], text: str, words: str
) -> None:
    result = shipbot("compare", text, cwd=workdir, env=db_env)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert words in lines[0]
    assert "Traceback" not in result.stderr


def test_tool_added_by_cli_is_found_by_compare_in_a_later_process(
    workdir: Path, db_env: dict[str, str]
) -> None:
    added = shipbot(
        "tool",
        "add",
        "--name",
        "Zeta Coder 2",
        "--category",
        "Coding Assistants",
        "--tagline",
        "Test tool",
        "--entry",
        "paid",
        "--description",
        "A tool added in a test.",
        "--alias",
        "zeta2",
        cwd=workdir,
        env=db_env,
    )
    assert added.returncode == 0, added.stderr
    found = shipbot("compare", "zeta2 vs SmolLM3", "--json", cwd=workdir, env=db_env)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["a"]["name"] == "Zeta Coder 2"
    shown = shipbot("tool", "show", "zeta 2", cwd=workdir, env=db_env)
    assert "Test tool" in shown.stdout


def test_bad_tool_add_changes_nothing(workdir: Path, db_env: dict[str, str]) -> None:
    result = shipbot(
        "tool",
        "add",
        "--name",
        "Bad",
        "--category",
        "X",
        "--tagline",
        "T",
        "--entry",
        "cheap",
        "--description",
        "D",
        cwd=workdir,
        env=db_env,
    )
    assert result.returncode == 1 and "entry must be one of" in result.stderr
    assert shipbot("tool", "show", "Bad", cwd=workdir, env=db_env).returncode == 1


def test_alias_review_edit_remove(workdir: Path, db_env: dict[str, str]) -> None:
    assert (
        shipbot("tool", "alias", "SmolLM3", "the tiny one", cwd=workdir, env=db_env).returncode == 0
    )
    review = shipbot(
        "review",
        "add",
        "the tiny one",
        "--lens",
        "buyer",
        "--verdict",
        "ship",
        "--quote",
        "Worth buying into.",
        cwd=workdir,
        env=db_env,
    )
    assert review.returncode == 0, review.stderr
    card = json.loads(
        shipbot(
            "compare", "the tiny one vs Mistral Medium 3", "--json", cwd=workdir, env=db_env
        ).stdout
    )
    assert card["a"]["panel"] == {"ships": 4, "reviews": 4}
    assert (
        shipbot("tool", "edit", "SmolLM3", "--tagline", "Small", cwd=workdir, env=db_env).returncode
        == 0
    )
    refused = shipbot("tool", "remove", "SmolLM3", cwd=workdir, env=db_env, stdin="n\n", tty=True)
    assert "Archive SmolLM3? It leaves /compare" in refused.stdout
    assert "Nothing is deleted" in refused.stdout and "Nothing changed." in refused.stdout
    assert shipbot("tool", "remove", "SmolLM3", "--yes", cwd=workdir, env=db_env).returncode == 0
    assert shipbot("tool", "show", "SmolLM3", cwd=workdir, env=db_env).returncode == 1


def test_removed_tool_is_archived_and_restored(workdir: Path, db_env: dict[str, str]) -> None:
    shipbot("vote", "SmolLM3 vs Mistral Medium 3", "--for", "SmolLM3", cwd=workdir, env=db_env)
    assert shipbot("tool", "remove", "SmolLM3", "--yes", cwd=workdir, env=db_env).returncode == 0
    restored = shipbot("tool", "restore", "SmolLM3", cwd=workdir, env=db_env)
    assert restored.returncode == 0 and "Restored SmolLM3." in restored.stdout
    shown = shipbot("vote", "SmolLM3 vs Mistral Medium 3", "--show", cwd=workdir, env=db_env)
    assert "You picked SmolLM3." in shown.stdout  # the vote survived the archive


def test_vote_cast_change_retract(workdir: Path, db_env: dict[str, str]) -> None:
    first = shipbot(
        "vote",
        "SmolLM3 vs Mistral Medium 3",
        "--for",
        "smollm3",
        "--user",
        "ann",
        cwd=workdir,
        env=db_env,
    )
    assert first.returncode == 0, first.stderr
    assert "Vote recorded: SmolLM3." in first.stdout
    same = shipbot(
        "vote",
        "Mistral Medium 3 vs SmolLM3",
        "--for",
        "SmolLM3",
        "--user",
        "ann",
        cwd=workdir,
        env=db_env,
    )
    assert "You already voted for: SmolLM3." in same.stdout
    wrong = shipbot(
        "vote",
        "SmolLM3 vs Mistral Medium 3",
        "--for",
        "GPT-4o",
        "--user",
        "ann",
        cwd=workdir,
        env=db_env,
    )
    assert wrong.returncode == 1 and "not on this card" in wrong.stderr
    mine = shipbot(
        "vote", "SmolLM3 vs Mistral Medium 3", "--show", "--user", "ann", cwd=workdir, env=db_env
    )
    assert "You picked SmolLM3." in mine.stdout
    gone = shipbot(
        "vote", "SmolLM3 vs Mistral Medium 3", "--retract", "--user", "ann", cwd=workdir, env=db_env
    )
    assert "Vote withdrawn." in gone.stdout


def test_catalog_import_reports_entry_and_field_and_writes_nothing(
    workdir: Path, db_env: dict[str, str]
) -> None:
    bad = workdir / "bad.yaml"
    bad.write_text(
        "tools:\n  - name: New One\n    category: X\n    tagline: T\n    entry: Free\n    description: D\n"
        "  - name: Broken\n    category: X\n    tagline: T\n    entry: pricey\n    description: D\n",
        encoding="utf-8",
    )
    result = shipbot("catalog", "import", str(bad), cwd=workdir, env=db_env)
    assert result.returncode == 1
    assert "tools[1] (Broken) → entry" in result.stderr
    assert shipbot("tool", "show", "New One", cwd=workdir, env=db_env).returncode == 1


def test_catalog_export_then_import_round_trips(workdir: Path, db_env: dict[str, str]) -> None:
    exported = shipbot(
        "catalog", "export", "--format", "json", "-o", "out.json", cwd=workdir, env=db_env
    )
    assert exported.returncode == 0, exported.stderr
    data = json.loads((workdir / "out.json").read_text(encoding="utf-8"))
    smol = next(tool for tool in data["tools"] if tool["name"] == "SmolLM3")
    assert len(smol["reviews"]) == 4
    again = shipbot("catalog", "import", "out.json", cwd=workdir, env=db_env)
    assert again.returncode == 0 and "0 added" in again.stdout


def test_run_without_token_names_the_variable_and_exits_2(workdir: Path) -> None:
    for platform, variable in (
        ("discord", "SHIPBOT_DISCORD_TOKEN"),
        ("slack", "SHIPBOT_SLACK_BOT_TOKEN"),
    ):
        result = shipbot("run", platform, cwd=workdir)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and variable in result.stderr


def test_db_upgrade_is_idempotent(workdir: Path) -> None:
    for _ in range(2):
        result = shipbot("db", "upgrade", cwd=workdir)
        assert result.returncode == 0, result.stderr
    head = head_revision("sqlite+aiosqlite:///x.db")
    assert f"current: {head}  head: {head}" in shipbot("db", "current", cwd=workdir).stdout


def test_leaderboard_export_and_digest_from_the_terminal(
    workdir: Path, db_env: dict[str, str]
) -> None:
    for user, pick in (("ann", "SmolLM3"), ("bob", "Mistral Medium 3"), ("cy", "Mistral Medium 3")):
        voted = shipbot(
            "vote",
            "SmolLM3 vs Mistral Medium 3",
            "--for",
            pick,
            "--user",
            user,
            cwd=workdir,
            env=db_env,
        )
        assert voted.returncode == 0, voted.stderr
    board = shipbot("leaderboard", "--chart", "board.png", cwd=workdir, env=db_env)
    assert board.returncode == 0, board.stderr
    assert board.stdout.index("Mistral Medium 3") < board.stdout.index("SmolLM3")
    assert "provisional" in board.stdout
    assert (workdir / "board.png").read_bytes().startswith(b"\x89PNG")
    exported = shipbot("export", "votes", "--csv", "votes.csv", cwd=workdir, env=db_env)
    assert exported.returncode == 0 and "Wrote 3 votes" in exported.stdout
    text = (workdir / "votes.csv").read_text(encoding="utf-8")
    assert text.startswith("pair,choice,platform,community,user,source,time")
    assert ",ann," not in text and ",bob," not in text
    raw = shipbot("export", "votes", "--csv", "raw.csv", "--raw-ids", cwd=workdir, env=db_env)
    assert raw.returncode == 0 and ",ann," in (workdir / "raw.csv").read_text(encoding="utf-8")
    digest = shipbot("digest", cwd=workdir, env=db_env)
    assert digest.returncode == 0
    assert (
        "Weekly AI Tool Verdicts" in digest.stdout
        and "SmolLM3 vs Mistral Medium 3" in digest.stdout
    )
    chart = shipbot(
        "compare", "SmolLM3 vs Mistral Medium 3", "--chart", "split.png", cwd=workdir, env=db_env
    )
    assert chart.returncode == 0 and (workdir / "split.png").stat().st_size > 5000


def test_db_upgrade_seeds_a_brand_new_database(workdir: Path, databases) -> None:  # type: ignore[no-untyped-def]
    env = {"SHIPBOT_DATABASE_URL": databases.empty()}
    upgraded = shipbot("db", "upgrade", cwd=workdir, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    loaded = re.search(r"loaded (\d+) tools", upgraded.stdout)  # the curated tools + synced models
    assert loaded and int(loaded.group(1)) >= len(seed_catalog()["tools"]), upgraded.stdout
    again = shipbot("db", "upgrade", cwd=workdir, env=env)
    assert "loaded" not in again.stdout
    card = shipbot("compare", "SmolLM3 vs Mistral Medium 3", "--json", cwd=workdir, env=env)
    assert json.loads(card.stdout)["b"]["panel"] == {"ships": 4, "reviews": 4}


def test_db_check_tells_whether_the_schema_is_current(workdir: Path, databases) -> None:  # type: ignore[no-untyped-def]
    env = {"SHIPBOT_DATABASE_URL": databases.empty()}
    stale = shipbot("db", "check", cwd=workdir, env=env)
    assert stale.returncode == 1 and "run `shipbot db upgrade`" in stale.stderr
    assert shipbot("db", "upgrade", cwd=workdir, env=env).returncode == 0
    assert shipbot("db", "check", cwd=workdir, env=env).stdout.strip() == "ok"


def test_unreachable_database_gets_one_friendly_line(workdir: Path) -> None:
    env = {"SHIPBOT_DATABASE_URL": "postgresql+asyncpg://shipbot@127.0.0.1:1/shipbot"}
    result = shipbot("compare", "SmolLM3 vs Mistral Medium 3", cwd=workdir, env=env)
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("shipbot's database isn't answering right now")
    )
    assert "Traceback" not in result.stderr


def test_db_recount_rebuilds_kept_counts_from_the_votes(
    workdir: Path, db_env: dict[str, str]
) -> None:
    for user in ("ann", "bob"):
        voted = shipbot(
            "vote", "SmolLM3 vs Mistral Medium 3", "--for", "SmolLM3", "--user", user,
            cwd=workdir, env=db_env,
        )  # fmt: skip
        assert voted.returncode == 0, voted.stderr

    async def corrupt() -> None:  # e.g. a bulk load that went around the triggers
        engine = create_engine(db_env["SHIPBOT_DATABASE_URL"])
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE pair_totals SET votes_low = 40, votes_high = 2"))
        await engine.dispose()

    def everywhere() -> dict[str, int]:
        card = shipbot("compare", "SmolLM3 vs Mistral Medium 3", "--json", cwd=workdir, env=db_env)
        return dict(json.loads(card.stdout)["community"]["everywhere"])

    assert everywhere() == {"a": 2, "b": 0}
    asyncio.run(corrupt())
    assert sum(everywhere().values()) == 42
    recounted = shipbot("db", "recount", cwd=workdir, env=db_env)
    assert recounted.returncode == 0 and "Recounted 2 votes." in recounted.stdout
    assert everywhere() == {"a": 2, "b": 0}


def test_bad_settings_name_each_variable_and_what_it_must_be(workdir: Path) -> None:
    bad = {
        "SHIPBOT_MIN_VOTES": "abc",
        "SHIPBOT_DIGEST_TIMEZONE": "Mars/Base",
        "SHIPBOT_VOTE_MODE": "emoji",
    }
    result = shipbot("compare", "SmolLM3 vs Mistral Medium 3", cwd=workdir, env=bad)
    assert result.returncode == 2
    assert "SHIPBOT_MIN_VOTES='abc': must be a whole number (at least 1)" in result.stderr
    assert "SHIPBOT_DIGEST_TIMEZONE='Mars/Base': 'Mars/Base' is not a time zone" in result.stderr
    assert "SHIPBOT_VOTE_MODE='emoji': must be one of 'buttons', 'reactions' or 'both'" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr and "validation error" not in result.stderr


def test_catalog_sync_dry_run_says_nothing_changed_on_a_new_database(
    db_env: dict[str, str], workdir: Path
) -> None:
    result = shipbot("catalog", "sync", "--dry-run", cwd=workdir, env=db_env)
    assert result.returncode == 0, result.stderr
    assert "Dry run (nothing written): models.dev 1.0.398, genai-prices 0.2.3" in result.stdout
    assert "Nothing changed" in result.stdout


def test_catalog_sync_from_a_missing_file_names_it_and_writes_nothing(
    db_env: dict[str, str], workdir: Path
) -> None:
    result = shipbot(
        "catalog", "sync", "--source", "models-dev", "--from", "nope.json", cwd=workdir, env=db_env
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Can't sync from models-dev (nope.json): no such file nope.json. Nothing was written."
    )


def test_tool_show_facts_lists_every_value_with_its_source(
    db_env: dict[str, str], workdir: Path
) -> None:
    result = shipbot("tool", "show", "SmolLM3", "--facts", cwd=workdir, env=db_env)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Apache 2.0" in text and "curated" in text and "64K tokens" in text
    assert "https://huggingface.co/HuggingFaceTB/SmolLM3-3B" in text
