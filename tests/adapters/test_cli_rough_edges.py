"""The terminal's rough edges (issue 18), each through the real ``shipbot`` console script."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from data.database import create_engine
from tests.support.cli import shipbot

PAIR = "Mistral Medium 3 vs SmolLM3"
TOOL = ("--category", "Coding Assistants", "--tagline", "T", "--entry", "free")


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def cards_in(database_url: str) -> int:
    async def count() -> int:
        engine = create_engine(database_url)
        try:
            async with engine.connect() as connection:
                return int((await connection.execute(text("SELECT count(*) FROM cards"))).scalar())
        finally:
            await engine.dispose()

    return asyncio.run(count())


def test_remove_without_a_terminal_refuses_and_says_to_pass_yes(
    workdir: Path, db_env: dict[str, str]
) -> None:
    refused = shipbot("tool", "remove", "SmolLM3", cwd=workdir, env=db_env)
    assert refused.returncode == 1
    assert "--yes" in one_line(refused.stderr)
    assert shipbot("tool", "show", "SmolLM3", cwd=workdir, env=db_env).returncode == 0


@pytest.mark.parametrize(
    ("pick", "chosen"),
    [
        ("mistral", "Mistral Medium 3"),
        ("SMOL", "SmolLM3"),
        ("a", "Mistral Medium 3"),
        ("B", "SmolLM3"),
    ],
)
def test_vote_for_resolves_within_the_pair(
    workdir: Path, db_env: dict[str, str], pick: str, chosen: str
) -> None:
    voted = shipbot("vote", PAIR, "--for", pick, cwd=workdir, env=db_env)
    assert voted.returncode == 0, voted.stderr
    assert f"Vote recorded: {chosen}." in voted.stdout


def test_vote_for_ambiguous_within_the_pair_or_with_retract_is_refused(
    workdir: Path, db_env: dict[str, str]
) -> None:
    both = shipbot("vote", "GPT-4o vs GPT-4o mini", "--for", "gpt", cwd=workdir, env=db_env)
    assert both.returncode == 1
    assert "GPT-4o" in one_line(both.stderr) and "GPT-4o mini" in both.stderr
    clash = shipbot("vote", PAIR, "--for", "mistral", "--retract", cwd=workdir, env=db_env)
    assert clash.returncode == 2
    assert "--for" in clash.stderr and "--retract" in clash.stderr
    assert "Traceback" not in clash.stderr
    assert cards_in(db_env["SHIPBOT_DATABASE_URL"]) == 0


def test_votes_reuse_the_terminal_card_of_the_pair(workdir: Path, db_env: dict[str, str]) -> None:
    url = db_env["SHIPBOT_DATABASE_URL"]
    before = cards_in(url)
    shown = shipbot("vote", PAIR, "--show", cwd=workdir, env=db_env)
    assert "You haven't voted on this pair." in shown.stdout
    assert cards_in(url) == before  # --show never opens a card
    for args in (
        ("--for", "smollm3"),
        ("--show",),
        ("--retract",),
        ("--for", "mistral"),
        ("--show",),
    ):
        result = shipbot("vote", PAIR, *args, cwd=workdir, env=db_env)
        assert result.returncode == 0, result.stderr
    # The other way round is the same pair: same card, and "a" is still the first as typed.
    flipped = shipbot("vote", "SmolLM3 vs Mistral Medium 3", "--for", "a", cwd=workdir, env=db_env)
    assert "Vote recorded: SmolLM3." in flipped.stdout
    assert cards_in(url) == before + 1


def test_export_votes_to_stdout(workdir: Path, db_env: dict[str, str]) -> None:
    shipbot("vote", PAIR, "--for", "SmolLM3", "--user", "ann", cwd=workdir, env=db_env)
    exported = shipbot("export", "votes", "--csv", "-", cwd=workdir, env=db_env)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("pair,choice,platform,community,user,source,time")
    assert len(exported.stdout.strip().splitlines()) == 2 and "Wrote" not in exported.stdout
    assert not (workdir / "-").exists()


def test_tool_list_matches_categories_forgivingly(workdir: Path, db_env: dict[str, str]) -> None:
    coding = shipbot("tool", "list", "--category", "coding", "--json", cwd=workdir, env=db_env)
    assert coding.returncode == 0, coding.stderr
    tools = json.loads(coding.stdout)
    assert tools and {tool["category"] for tool in tools} == {"Coding Assistants"}
    inference = shipbot("tool", "list", "--category", "INFER", "--json", cwd=workdir, env=db_env)
    assert {t["category"] for t in json.loads(inference.stdout)} == {
        "Inference Engines",
        "Inference Providers",
    }
    table = shipbot("tool", "list", "--category", "coding", cwd=workdir, env=db_env)
    assert "GitHub Copilot" in table.stdout
    none = shipbot("tool", "list", "--category", "knitting", cwd=workdir, env=db_env)
    assert none.returncode == 1 and none.stdout == ""
    assert "knitting" in none.stderr and "Coding Assistants" in none.stderr
    assert "Video Generation" in none.stderr


def test_tool_add_keeps_every_alias(workdir: Path, db_env: dict[str, str]) -> None:
    added = shipbot(
        "tool", "add", "--name", "Zeta Coder", *TOOL, "--description", "A test tool.",
        "--alias", "zc1", "--alias", "zc2", "--alias", "zeta c",
        cwd=workdir, env=db_env,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    shown = shipbot("tool", "show", "zc2", "--json", cwd=workdir, env=db_env)
    assert json.loads(shown.stdout)["aliases"] == ["zc1", "zc2", "zeta c"]
    twice = shipbot(
        "tool", "add", "--name", "Eta Coder", *TOOL, "--description", "A test tool.",
        "--alias", "eta one", "--alias", "Eta-One", cwd=workdir, env=db_env,
    )  # fmt: skip
    assert twice.returncode == 1 and "Eta-One" in one_line(twice.stderr)


@pytest.mark.parametrize(
    "change",
    [
        ("add", "--name", "Tab\tTool", *TOOL, "--description", "A test tool."),
        ("add", "--name", "Tab Tool", *TOOL[2:], "--category", "Coding\tAssistants",
         "--description", "A test tool."),
        ("edit", "SmolLM3", "--tagline", "Small\tand fast"),
        ("edit", "SmolLM3", "--name", "Smol\x1bLM"),
    ],
)  # fmt: skip
def test_control_characters_are_refused_in_every_name(
    workdir: Path, db_env: dict[str, str], change: tuple[str, ...]
) -> None:
    result = shipbot("tool", *change, cwd=workdir, env=db_env)
    assert result.returncode == 1
    assert "control" in one_line(result.stderr)


def test_tool_show_suggests_names_for_a_typo(workdir: Path, db_env: dict[str, str]) -> None:
    result = shipbot("tool", "show", "smolm", cwd=workdir, env=db_env)
    assert result.returncode == 1
    assert "Did you mean" in one_line(result.stderr) and "SmolLM3" in result.stderr


def test_validation_errors_speak_the_products_words(workdir: Path, db_env: dict[str, str]) -> None:
    quote = shipbot(
        "review", "add", "SmolLM3", "--lens", "buyer", "--verdict", "ship", "--quote", "short",
        cwd=workdir, env=db_env,
    )  # fmt: skip
    assert one_line(quote.stderr) == "The quote must be at least 10 characters."
    empty = shipbot(
        "tool", "add", "--name", "Zeta", *TOOL, "--description", " ", cwd=workdir, env=db_env
    )
    assert one_line(empty.stderr) == "The description must not be empty."
    long = shipbot("tool", "edit", "SmolLM3", "--tagline", "x" * 201, cwd=workdir, env=db_env)
    assert one_line(long.stderr) == "The tagline must be at most 200 characters."
    for result in (quote, empty, long):
        assert "String should" not in result.stderr


def test_version_help_order_and_help_texts(workdir: Path) -> None:
    version = shipbot("--version", cwd=workdir)
    assert version.returncode == 0 and version.stdout.strip().startswith("shipbot 0.")
    commands = shipbot("--help", cwd=workdir).stdout
    assert "--version" in commands
    assert commands.index("compare ") < commands.index("vote ") < commands.index("leaderboard ")
    edit = shipbot("tool", "edit", "--help", cwd=workdir).stdout
    options = [line for line in edit.splitlines() if line.lstrip("│ ").startswith("--")]
    assert len(options) >= 8
    for line in options:
        assert len(line.strip("│ ").split(None, 2)) == 3, line  # option, type, help text
    digest = shipbot("digest", "--help", cwd=workdir).stdout
    assert "--preview" not in digest and "--json" in digest


def test_every_option_of_every_command_has_help() -> None:
    import click
    import typer

    from adapters.console.cli import app

    def walk(command: click.Command, path: str) -> list[str]:
        missing = [
            f"{path} {param.name}"
            for param in command.params
            if isinstance(param, click.Option) and not param.help
        ]
        for name, sub in getattr(command, "commands", {}).items():
            missing += walk(sub, f"{path} {name}")
        return missing

    assert walk(typer.main.get_command(app), "shipbot") == []


def test_json_everywhere(workdir: Path, db_env: dict[str, str]) -> None:
    voted = shipbot("vote", PAIR, "--for", "b", "--user", "ann", "--json", cwd=workdir, env=db_env)
    assert json.loads(voted.stdout) == {
        "a": "Mistral Medium 3",
        "b": "SmolLM3",
        "action": "vote",
        "choice": "SmolLM3",
        "changed": True,
    }
    mine = shipbot("vote", PAIR, "--show", "--user", "ann", "--json", cwd=workdir, env=db_env)
    assert json.loads(mine.stdout)["choice"] == "SmolLM3"
    board = json.loads(shipbot("leaderboard", "--json", cwd=workdir, env=db_env).stdout)
    assert board["votes"] == 1 and board["category"] is None
    assert [row["name"] for row in board["rows"]] == ["SmolLM3", "Mistral Medium 3"]
    assert set(board["rows"][0]) == {
        "rank", "name", "category", "rating", "low", "high", "n", "provisional", "panel",
    }  # fmt: skip
    tools = json.loads(shipbot("tool", "list", "--json", cwd=workdir, env=db_env).stdout)
    smol = next(tool for tool in tools if tool["name"] == "SmolLM3")
    assert smol["panel"] == {"ships": 3, "reviews": 4} and smol["entry"] == "Free"
    shown = json.loads(shipbot("tool", "show", "smollm3", "--json", cwd=workdir, env=db_env).stdout)
    assert shown["name"] == "SmolLM3" and len(shown["reviews"]) == 4
    assert set(shown["reviews"][0]) == {"lens", "verdict", "quote", "reviewer"}
    digest = json.loads(shipbot("digest", "--json", cwd=workdir, env=db_env).stdout)
    assert digest["pairs"][0]["cards"] == 1
    assert {digest["pairs"][0]["a"], digest["pairs"][0]["b"]} == {"SmolLM3", "Mistral Medium 3"}
    assert set(digest) == {"title", "since", "until", "pairs", "movers", "new_tools", "watch"}
