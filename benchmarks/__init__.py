"""Benchmarks that print JSON figures; run them with ``python -m benchmarks.<name>``."""
