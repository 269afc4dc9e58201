"""How the terminal spells shipbot's commands: every hint in a message names these."""

from __future__ import annotations

from bot.help import Commands

COMMANDS = Commands(
    compare="shipbot compare",
    help="shipbot --help",
    leaderboard="shipbot leaderboard [--category …]",
    tool_show="shipbot tool show NAME",
    tool_list="shipbot tool list",
    tool_add="shipbot tool add",
    tool_edit="shipbot tool edit NAME",
    tool_remove="shipbot tool remove NAME",
    tool_restore="shipbot tool restore NAME",
    tool_alias="shipbot tool alias NAME ALIAS",
    tool_review="shipbot review add NAME",
    review="shipbot review submit NAME",
    queue="shipbot panel queue",
    draft="shipbot panel draft NAME",
)
