"""shipbot's platform-neutral core: matching, cards, votes and the use cases.

Nothing in this package imports a platform SDK, SQLAlchemy or the adapters; the import-linter
contract in ``pyproject.toml`` keeps it that way.
"""
