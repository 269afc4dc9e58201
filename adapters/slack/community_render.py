"""Render the leaderboard and the weekly digest as Block Kit: pure functions, no I/O.

Tool names and categories are user-written (admins add tools), so they go through
:func:`~adapters.slack.escape.mrkdwn` / :func:`~adapters.slack.escape.fit` like everything else.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, HeaderBlock, SectionBlock

from adapters.slack.escape import fit, mrkdwn
from adapters.slack.limits import HEADER_TEXT, MAX_BLOCKS, MESSAGE_TEXT, SECTION_TEXT
from adapters.slack.render import SlackMessage, md_text, plain_text
from adapters.text import shorten
from bot.community import Leaderboard, LeaderboardRow
from bot.digest import Digest, digest_lines

ROW_NAME = 150


def leaderboard_row(row: LeaderboardRow) -> str:
    """``*1. SmolLM3* — 1530 (95%: 1466–1594) · n = 12 · panel ship 75% · 3/4 · _provisional_``."""
    parts = [
        f"*{row.rank}. {fit(row.name, ROW_NAME)}* — {row.rating}",
        f"(95%: {row.low}–{row.high})",
        f"· n = {row.n}",
        f"· panel ship {mrkdwn(row.panel)}",
    ]
    if row.provisional:
        parts.append("· _provisional_")
    return " ".join(parts)


def render_leaderboard(board: Leaderboard) -> SlackMessage:
    """A header, how to read it, then one section per tool, best first."""
    scope = f" — {board.category}" if board.category else ""
    title = f"shipbot leaderboard{scope}"
    note = (
        f"Bradley–Terry ratings over {board.votes} head-to-head votes, with 95% intervals; "
        f"under {board.min_votes} votes a rating is provisional. Panel ship % beside."
    )
    blocks: list[Block] = [
        HeaderBlock(text=plain_text(title, HEADER_TEXT)),
        ContextBlock(elements=[md_text(note)]),
    ]
    lines = [title, note]
    if not board.rows:
        empty = (
            f"No rated tools in the category *{fit(board.category, 100)}* yet."
            if board.category
            else "No votes yet: vote on a card (`/compare A vs B`) to start the leaderboard."
        )
        blocks.append(SectionBlock(block_id="empty", text=md_text(empty)))
        lines.append(empty)
    for row in board.rows[: MAX_BLOCKS - len(blocks)]:
        text = leaderboard_row(row)
        blocks.append(SectionBlock(block_id=f"rank_{row.rank}", text=md_text(text[:SECTION_TEXT])))
        lines.append(text)
    return SlackMessage(tuple(blocks), shorten("\n".join(lines), MESSAGE_TEXT))


def render_digest(digest: Digest, min_votes: int) -> SlackMessage:
    """The core's digest lines: the first as the header, the rest in sections of ≤ 3000."""
    first, *rest = digest_lines(digest, min_votes)
    blocks: list[Block] = [HeaderBlock(text=plain_text(first, HEADER_TEXT))]
    chunk: list[str] = []
    for line in rest:
        escaped = fit(line, SECTION_TEXT)
        if chunk and len("\n".join([*chunk, escaped])) > SECTION_TEXT:
            blocks.append(SectionBlock(text=md_text("\n".join(chunk))))
            chunk = []
        chunk.append(escaped)
    if chunk:
        blocks.append(SectionBlock(text=md_text("\n".join(chunk))))
    text = "\n".join(mrkdwn(line) for line in [first, *rest])
    return SlackMessage(tuple(blocks[:MAX_BLOCKS]), shorten(text, MESSAGE_TEXT))
