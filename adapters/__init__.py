"""Platform adapters (console, Discord, Slack) and the composition root (``bootstrap``)."""
