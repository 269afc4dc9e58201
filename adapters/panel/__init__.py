"""Chat-model adapters for the panel (``bot.panel.ports.PanelModel``)."""
