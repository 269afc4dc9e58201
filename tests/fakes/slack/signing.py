"""Slack request signing (v0), byte-for-byte what Slack sends to an app.

``X-Slack-Signature = "v0=" + hex(HMAC_SHA256(signing_secret, f"v0:{ts}:{raw_body}"))``
with ``X-Slack-Request-Timestamp = ts`` (Unix seconds).  Receivers such as
``slack_sdk.signature.SignatureVerifier`` reject timestamps more than 5 minutes off.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SLACK_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"


def compute_signature(signing_secret: str, timestamp: str, body: str) -> str:
    """Return the ``v0=...`` signature of ``body`` sent at ``timestamp``."""
    base = f"v0:{timestamp}:{body}".encode()
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def signed_headers(
    signing_secret: str,
    body: str,
    content_type: str,
    *,
    timestamp: int | None = None,
    age_seconds: int = 0,
    forge_signature: bool = False,
) -> dict[str, str]:
    """Headers of a Slack request carrying ``body``.

    Args:
        signing_secret: the app's signing secret.
        body: the exact raw body that will be sent.
        content_type: ``application/json`` (Events API) or form-encoded.
        timestamp: explicit Unix timestamp (defaults to now).
        age_seconds: backdate the timestamp, e.g. ``301`` for "stale".
        forge_signature: sign with a wrong secret (signature looks valid but is not).
    """
    ts = str((int(time.time()) if timestamp is None else timestamp) - age_seconds)
    secret = f"forged-{signing_secret}" if forge_signature else signing_secret
    return {
        "Content-Type": content_type,
        "User-Agent": SLACK_USER_AGENT,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": compute_signature(secret, ts, body),
    }
