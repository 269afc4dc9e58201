"""Fitting user text into Discord's limits without letting it format or ping anything.

Every piece of user-written text (tool names, taglines, quotes, the words of an error) goes
through :func:`fit` before it reaches Discord: markdown and mentions are escaped *first* and the
result is cut to the limit, so the escaping backslashes count against the limit too.

Lengths are counted in UTF-16 code units (:func:`units`), which is never less than the number of
code points: whichever way Discord counts, a text that fits here fits there.
"""

from __future__ import annotations

import re

import discord

from adapters.text import ELLIPSIS, shorten

CODE_SPAN = re.compile(r"`([^`\n]+)`")


def units(text: str) -> int:
    """The length of ``text`` as Discord's limits may count it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """``text`` with Discord markdown and ``@everyone`` / ``@here`` / user and role mentions
    neutralised, so it shows literally (``AllowedMentions.none()`` stops the pings as well)."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def with_code(text: str) -> str:
    """``text`` escaped like :func:`escape`, except that its ``code`` spans stay code (shown as
    code, not as literal backticks). Inside a span Discord shows everything literally, so no
    escaping is needed there; mentions never ping (``AllowedMentions.none()``)."""
    out: list[str] = []
    last = 0
    for span in CODE_SPAN.finditer(text):
        out.append(escape(text[last : span.start()]))
        out.append(span.group(0))
        last = span.end()
    out.append(escape(text[last:]))
    return "".join(out)


def fit(text: str, limit: int, *, escaped: bool = True, code: bool = False) -> str:
    """``text`` escaped (unless ``escaped=False``; ``code``: keeping its code spans, see
    :func:`with_code`) and shortened to at most ``limit`` units.

    Shortening happens on the raw text, so an escape sequence is never cut in half.
    """
    if limit <= 0:
        return ""
    convert = (with_code if code else escape) if escaped else _same
    room = limit
    while True:
        out = convert(shorten(text, room))
        over = units(out) - limit
        if over <= 0:
            return out
        room -= max(1, over // 2)
        if room <= 0:
            return ELLIPSIS if units(ELLIPSIS) <= limit else ""


def split_long(text: str, limit: int) -> list[str]:
    """Split an already escaped ``text`` into pieces of at most ``limit`` units, at whitespace
    where possible and never right after an escaping backslash. Nothing is dropped."""
    pieces: list[str] = []
    rest = text
    while units(rest) > limit:
        cut = _prefix_within(rest, limit)
        space = max(rest.rfind(" ", 0, cut), rest.rfind("\n", 0, cut))
        if space >= cut // 2:
            cut = space
        while cut > 1 and rest[cut - 1] == "\\":
            cut -= 1
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _prefix_within(text: str, limit: int) -> int:
    """The largest index ``i`` with ``units(text[:i]) <= limit``."""
    count = 0
    for index, char in enumerate(text):
        count += 2 if ord(char) > 0xFFFF else 1
        if count > limit:
            return index
    return len(text)


def _same(text: str) -> str:
    return text
