"""How Slack spells shipbot's commands: the help and every hint in a message name these."""

from __future__ import annotations

from bot.help import Commands

COMMANDS = Commands(
    compare="/compare",
    help="/shipbot help",
    leaderboard="/shipbot leaderboard [CATEGORY]",
    review="/review NAME",
    tool_show="/shipbot tool show NAME",
    tool_list="/shipbot tools [CATEGORY] [WORDS]",
    tool_info="/shipbot tool info NAME",
    alternatives="/shipbot alternatives NAME",
    tool_suggest="/shipbot tool suggest NAME — why",
    subscribe="/shipbot subscribe [DAY] [HOUR] [TIME ZONE]",
    unsubscribe="/shipbot unsubscribe",
    export="/shipbot export",
    tool_add="/shipbot tool add",
    tool_edit="/shipbot tool edit NAME",
    tool_remove="/shipbot tool remove NAME",
    tool_alias="/shipbot tool alias NAME = ALIAS",
    tool_review="/shipbot review NAME",
    queue="/shipbot queue",
)
