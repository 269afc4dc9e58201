"""A fake OpenAI-compatible Chat Completions server (aiohttp, 127.0.0.1) for the panel's tests."""

from tests.fakes.openai.server import FakeChatServer, Recorded, Reply

__all__ = ["FakeChatServer", "Recorded", "Reply"]
