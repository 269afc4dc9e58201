"""``shipbot vote PAIR --close``: the terminal closes its card's vote (the local user is an
admin); later votes are refused and the split stays as it was."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import shipbot

PAIR = "Mistral Medium 3 vs SmolLM3"


def test_close_freezes_the_terminal_card(workdir: Path, db_env: dict[str, str]) -> None:
    for user, pick in (("ann", "a"), ("bob", "a"), ("cat", "b")):
        voted = shipbot("vote", PAIR, "--for", pick, "--user", user, cwd=workdir, env=db_env)
        assert voted.returncode == 0, voted.stderr
    closed = shipbot("vote", PAIR, "--close", cwd=workdir, env=db_env)
    assert closed.returncode == 0, closed.stderr
    assert "Vote closed; final split: Mistral Medium 3 67% (2) · SmolLM3 33% (1)." in closed.stdout
    late = shipbot("vote", PAIR, "--for", "b", "--user", "dan", cwd=workdir, env=db_env)
    assert late.returncode == 1 and "Traceback" not in late.stderr
    assert "Voting on this card closed on" in late.stderr
    assert "the final split is Mistral Medium 3 67% (2) · SmolLM3 33% (1)." in late.stderr
    again = shipbot("vote", PAIR, "--close", "--json", cwd=workdir, env=db_env)
    assert '"action": "close"' in again.stdout and '"changed": false' in again.stdout
    clash = shipbot("vote", PAIR, "--close", "--retract", cwd=workdir, env=db_env)
    assert clash.returncode == 2 and "--close" in clash.stderr
