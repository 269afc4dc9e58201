"""Make user text inert in Slack ``mrkdwn``.

Slack has no escaping helper: ``&``, ``<`` and ``>`` must become entities (so nobody can write
``<!channel>``, ``<@U123>`` or a disguised link), and mrkdwn has no backslash escape for its
formatting markers. We neutralise ``* _ ~ ``` by putting a zero-width space on both sides of each
one: Slack only opens or closes a format at a word boundary (start, whitespace or punctuation), and
a zero-width space is none of those, so a stray ``*`` in a tool name can never pair with the ``*``
we put around it. The text still reads the same. Broadcast words (``@channel``, ``@here``,
``@everyone``) get a zero-width space after the ``@`` so they stay words even if a message is
ever sent with ``link_names``.

``plain_text`` objects (header, buttons) are not parsed for markup, so entities would show
literally; :func:`plain` still breaks every ``<`` with a zero-width space so that no mention token
(``<!here>``) exists anywhere in what we send, whatever a client does with it.
"""

from __future__ import annotations

import re

from adapters.text import shorten

ZWSP = "\u200b"
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKERS = frozenset("*_~`")
_BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape(text: str) -> str:
    """Entities for ``& < >``, defused broadcast words and no control characters."""
    out = "".join(_ENTITIES.get(ch, ch) for ch in _CONTROL.sub(" ", text))
    return _BROADCAST.sub("@" + ZWSP, out)


def mrkdwn(text: str) -> str:
    """User text for any ``mrkdwn`` context: escaped, and its formatting markers inert."""
    return "".join(f"{ZWSP}{ch}{ZWSP}" if ch in _MARKERS else ch for ch in escape(text))


def plain(text: str) -> str:
    """User text for a ``plain_text`` object: no control characters, no ``<…>`` tokens."""
    out = _CONTROL.sub(" ", text).replace("<", "<" + ZWSP)
    return _BROADCAST.sub("@" + ZWSP, out)


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def with_code(text: str) -> str:
    """``text`` made inert like :func:`mrkdwn`, except that its ``code`` spans stay code (shown
    as code, not as literal backticks); inside a span only ``& < >`` are escaped."""
    out: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(text):
        out.append(mrkdwn(text[last : span.start()]))
        out.append(f"`{escape(span.group(1))}`")
        last = span.end()
    out.append(mrkdwn(text[last:]))
    return "".join(out)


_URL = re.compile(r"https?://[^\s<>|]+\Z")


def link(url: str, label: str, limit: int = 400) -> str:
    """A link Slack shows as ``label``: ``<url|label>`` with only ``& < >`` escaped in the URL
    (mrkdwn markers stay as they are: ``aider_chat`` must not gain zero-width spaces). A URL that
    isn't plain http(s) — spaces, ``|`` or ``<``/``>`` in it — is shown as inert text instead."""
    target = "".join(_ENTITIES.get(ch, ch) for ch in url)
    shown = fit(label, 100)
    if not _URL.match(url) or len(target) + len(shown) + 3 > limit:
        return fit(url, limit)
    return f"<{target}|{shown}>"


def unescape(text: str) -> str:
    """The visible text of something made by :func:`mrkdwn` (for tests and length checks)."""
    out = text.replace(ZWSP, "")
    for raw, entity in (("<", "&lt;"), (">", "&gt;"), ("&", "&amp;")):
        out = out.replace(entity, raw)
    return out


def fit(text: str, limit: int, *, code: bool = False) -> str:
    """``mrkdwn(text)`` (``code``: :func:`with_code`) shortened (on the raw text, with an ellipsis) so it fits ``limit``.

    Escaping can grow text (``&`` becomes five characters), so the raw text is cut until the
    escaped result fits.
    """
    room = limit
    while True:
        out = (with_code if code else mrkdwn)(shorten(text, room))
        if len(out) <= limit or room <= 0:
            return out
        room = min(room - 1, room * limit // len(out))
