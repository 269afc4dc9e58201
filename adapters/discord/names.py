"""How Discord spells shipbot's commands: the help and every hint in a message name these."""

from __future__ import annotations

from bot.help import Commands

COMMANDS = Commands(
    compare="/compare",
    help="/help",
    leaderboard="/leaderboard [category]",
    review="/review TOOL LENS VERDICT QUOTE",
    tool_list="/tools [category] [query]",
    tool_info="/tool info NAME",
    alternatives="/alternatives NAME",
    tool_suggest="/tool suggest NAME [note]",
    subscribe="/subscribe [day] [hour] [timezone]",
    unsubscribe="/unsubscribe",
    export="/export",
    tool_add="/tool add ENTRY",
    tool_edit="/tool edit NAME FIELD VALUE",
    tool_remove="/tool remove NAME",
    tool_alias="/tool alias NAME ALIAS",
    tool_review="/tool review NAME LENS VERDICT QUOTE",
    queue="/panel queue",
    draft="/panel draft NAME",
)
