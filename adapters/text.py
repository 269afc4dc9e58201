"""Text helpers every renderer needs: fitting user text into a platform's length limits."""

from __future__ import annotations

ELLIPSIS = "…"


def shorten(text: str, limit: int, *, suffix: str = ELLIPSIS) -> str:
    """``text`` cut to at most ``limit`` characters, on a word boundary where one is near."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    room = limit - len(suffix)
    if room <= 0:
        return suffix[:limit]
    cut = text[:room]
    space = cut.rfind(" ")
    if space >= room * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:—-") + suffix


def chunks(parts: list[str], limit: int, separator: str = "\n\n") -> list[str]:
    """Pack ``parts`` into as few strings of at most ``limit`` characters as possible (in order);
    a part longer than the limit is shortened on its own."""
    out: list[str] = []
    current = ""
    for part in parts:
        part = shorten(part, limit)
        candidate = f"{current}{separator}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
        else:
            out.append(current)
            current = part
    if current:
        out.append(current)
    return out
