"""The Discord adapter: a thin discord.py 2.x layer over the core (``bot``).

``runner.run_discord`` starts it; ``client.ShipbotClient`` wires commands (``commands``,
``admin_commands``), buttons (``views``), reactions (``reactions``) and the pure renderer
(``render``) to the ``App`` built by ``adapters.bootstrap``.
"""
