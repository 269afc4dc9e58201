"""Offline fakes for testing a real slack-bolt ``AsyncApp`` exactly as Slack talks to it.

* :class:`FakeSlackWebAPI` - stateful Web API (``AsyncWebClient(base_url=fake.base_url)``).
* :class:`SlackEventSender` - signed slash commands, events (and retries), interactivity.
* :class:`SlackPayloads` - the payload builders the sender uses.
* :class:`BoltAppServer` - serves an ``AsyncApp`` on 127.0.0.1 via Bolt's aiohttp adapter.
* :class:`FakeSocketModeServer` - Socket Mode envelopes over a local WebSocket.

Usage::

    async with FakeSlackWebAPI() as fake:
        client = AsyncWebClient(token=fake.bot_token, base_url=fake.base_url)
        app = AsyncApp(client=client, signing_secret="secret")   # the real Bolt app
        async with BoltAppServer(app) as server, SlackEventSender(
            server.url, "secret", web_api=fake
        ) as slack:
            resp = await slack.slash_command("/compare", "SmolLM3 vs Mistral Medium 3")
            assert resp.status == 200
            call = await fake.wait_for_call("chat.postMessage")
            assert call.args["blocks"]
"""

from .app_server import BoltAppServer
from .client import SlackEventSender, SlackHttpResponse
from .payloads import SlackPayloads, new_event_id, text_input_values
from .records import RecordedCall, ResponseUrlPost
from .signing import compute_signature, signed_headers
from .socket_mode import FakeSocketModeServer, SocketModeAck
from .state import FakeChannel, FakeUser, SlackWorkspace
from .web_api import FakeSlackWebAPI

__all__ = [
    "BoltAppServer",
    "FakeChannel",
    "FakeSlackWebAPI",
    "FakeSocketModeServer",
    "FakeUser",
    "RecordedCall",
    "ResponseUrlPost",
    "SlackEventSender",
    "SlackHttpResponse",
    "SlackPayloads",
    "SlackWorkspace",
    "SocketModeAck",
    "compute_signature",
    "new_event_id",
    "signed_headers",
    "text_input_values",
]
