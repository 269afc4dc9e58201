"""The terminal adapter: the ``shipbot`` command line."""
