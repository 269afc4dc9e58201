"""Where a comparison lives on the web: one canonical path per pair, whatever order it was asked in.

A pair's page is ``/compare/{low}-vs-{high}`` with the tools' catalog slugs, the tool added first
(the lower id) on the left, so "A vs B" and "B vs A" share one page, one image and one link. A
card posted in a community links its page with ``?c=platform:id`` so the page can show that
community's split beside the global one.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from bot.models import Community

SEPARATOR = "-vs-"
PLATFORMS = ("discord", "slack", "console")
_COMMUNITY_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def pair_path(first: tuple[int, str], second: tuple[int, str]) -> str:
    """``/compare/{slug}-vs-{slug}`` for two (tool id, slug), lower id first."""
    low, high = sorted((first, second))
    return f"/compare/{quote(low[1])}{SEPARATOR}{quote(high[1])}"


def tool_path(slug: str) -> str:
    return f"/tools/{quote(slug)}"


def image_path(first: tuple[int, str], second: tuple[int, str]) -> str:
    """The pair's preview image (stable: the same URL whatever the order asked)."""
    return pair_path(first, second).replace("/compare/", "/og/", 1) + ".png"


def community_param(community: Community) -> str:
    """``discord:123`` for a community's page link."""
    return f"{community.platform}:{community.id}"


def parse_community(text: str) -> Community | None:
    """The community a ``?c=`` value names, or None when it names none."""
    platform, _, ident = text.partition(":")
    if platform not in PLATFORMS or not _COMMUNITY_ID.fullmatch(ident):
        return None
    return Community(platform=platform, id=ident)


def page_url(
    base: str, first: tuple[int, str], second: tuple[int, str], community: Community | None
) -> str:
    """The absolute link a card carries ("Full verdict"); empty without a public base URL."""
    if not base or not first[1] or not second[1]:
        return ""
    url = base.rstrip("/") + pair_path(first, second)
    if community is not None and community.platform != "console":
        url += "?" + urlencode({"c": community_param(community)})
    return url


_VS = re.compile(r"(?i)(?<=[-_ .+])vs(?=[-_ .+])")


def split_pair_path(path: str) -> list[tuple[str, str]]:
    """Every way to read ``a-vs-b`` (or ``a vs b``, ``a_vs_b``) as two names, leftmost first: a
    slug may itself contain ``-vs-``."""
    splits = []
    for found in _VS.finditer(path):
        left, right = path[: found.start() - 1], path[found.end() + 1 :]
        if left.strip() and right.strip():
            splits.append((left, right))
    return splits
