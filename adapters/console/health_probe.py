"""``shipbot health``: ask the running bot's health server (the container's HEALTHCHECK).

GETs ``http://127.0.0.1:$SHIPBOT_HEALTH_PORT/healthz`` (8080 by default; the host is
``SHIPBOT_HEALTH_HOST`` unless that is an any-address) and prints one status line: ``ok`` and
exit 0, or what is down and exit 1. Only the standard library is imported, so a probe every 30 s
costs a few tens of milliseconds, not the whole command line.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

DEFAULT_PORT = "8080"
ANY_ADDRESS = {"", "0.0.0.0", "::", "[::]"}
TIMEOUT_SECONDS = 5.0


def health_url(environ: dict[str, str] | None = None) -> str | None:
    """The /healthz URL the settings give, or None when the health server is disabled (port 0)."""
    env = os.environ if environ is None else environ
    port = env.get("SHIPBOT_HEALTH_PORT", DEFAULT_PORT).strip() or DEFAULT_PORT
    if port == "0":
        return None
    host = env.get("SHIPBOT_HEALTH_HOST", "").strip()
    host = "127.0.0.1" if host in ANY_ADDRESS else host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/healthz"


def status_line(body: bytes) -> str:
    """``ok``, or e.g. ``unavailable: discord down`` from a /healthz JSON body."""
    try:
        report = json.loads(body)
        down = [] if report.get("database") == "up" else ["database"]
        down += [name for name, state in report.get("platforms", {}).items() if state != "up"]
        status = str(report["status"])
    except (ValueError, KeyError, AttributeError, TypeError):
        return "unexpected answer: " + body[:200].decode(errors="replace")
    return status if not down else f"{status}: {', '.join(down)} down"


def probe(url: str, timeout: float = TIMEOUT_SECONDS) -> tuple[bool, str]:
    """Whether ``url`` answers 200, and the line to print."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200, status_line(response.read())
    except urllib.error.HTTPError as error:  # 503: the body says what is down
        return False, status_line(error.read())
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return False, f"unreachable: nothing answers at {url} ({reason})"


def main() -> None:
    """Print the status line; exit 0 when healthy, 1 otherwise."""
    url = health_url()
    if url is None:
        print("unknown: the health server is off (SHIPBOT_HEALTH_PORT=0)")
        raise SystemExit(1)
    healthy, line = probe(url)
    print(line)
    sys.stdout.flush()
    raise SystemExit(0 if healthy else 1)
