"""The web pages over HTTP: canonical URLs, unknown names, caching, security headers, escaping,
the JSON API (the same bytes as ``shipbot compare --json``) and the preview image."""

from __future__ import annotations

import html
import io
import json
import re
from urllib.parse import urlencode

import httpx
from PIL import Image

from adapters.bootstrap import App
from adapters.card_json import card_json
from bot.admin import Actor
from bot.models import Community
from tests.adapters.web_support import SEED_PATH, web
from tests.support.seed_page import seed_page

__all__ = ["web"]  # the fixture

ADMIN = Actor(id="admin", display="admin", is_admin=True, catalog_admin=True)
HOSTILE = "<script>alert(1)</script>"


def visible(page: str) -> str:
    """The page's text with tags dropped and entities decoded (roughly what a reader sees)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


async def test_the_seed_page_carries_every_seed_field(web: httpx.AsyncClient) -> None:
    response = await web.get(SEED_PATH)
    assert response.status_code == 200
    text = visible(response.text)
    seed = seed_page()
    fields = [seed.heading, seed.title, seed.intro]
    for profile in seed.profiles:
        # Each figure's label comes first in the markup (<dt> then <dd>); CSS shows it below.
        fields += [profile.category, profile.name, profile.tagline, "Panel ship", profile.panel]
        fields += ["Community", profile.community, "Entry", profile.entry]
        fields.append(profile.description)
    fields += ["Reviewer scorecard", *seed.quotes, seed.digest_title]
    at = 0
    for field in fields:
        found = text.find(field, at)
        assert found >= 0, f"missing or out of order: {field[:60]!r}"
        at = found + len(field)


async def test_a_reversed_or_fuzzy_url_redirects_permanently_to_the_canonical_one(
    web: httpx.AsyncClient,
) -> None:
    for path in (
        "/compare/mistral-medium-3-vs-smollm-3",
        "/compare/smollm3-vs-mistral-medium-3",
        "/compare/SmolLM3 vs Mistral Medium 3",
        "/compare/smollm-3_vs_mistral-medium-3",
    ):
        response = await web.get(path)
        assert response.status_code == 301, path
        assert response.headers["location"] == SEED_PATH
    response = await web.get("/compare/mistral-medium-3-vs-smollm3?c=discord:42&x=1")
    assert response.headers["location"] == f"{SEED_PATH}?c=discord%3A42"


async def test_the_search_form_lands_on_the_canonical_page(web: httpx.AsyncClient) -> None:
    response = await web.get("/compare?" + urlencode({"a": "mistral medium 3", "b": "smol lm3"}))
    assert response.status_code == 303
    assert response.headers["location"] == SEED_PATH


async def test_an_unknown_name_gets_a_page_with_suggestions(web: httpx.AsyncClient) -> None:
    response = await web.get("/compare/smollm-3-vs-mistral-medium")
    assert response.status_code == 404
    text = visible(response.text)
    assert "No tool called 'mistral medium'" in text
    assert "SmolLM3 vs Mistral Medium 3" in text  # a suggestion that keeps the known side
    assert 'href="/compare?a=SmolLM3&amp;b=Mistral+Medium+3"' in response.text
    nothing = await web.get("/compare/just-one-tool")
    assert nothing.status_code == 404 and "names two tools" in visible(nothing.text)


async def test_the_same_tool_twice_is_a_friendly_400(web: httpx.AsyncClient) -> None:
    response = await web.get("/compare/smollm-3-vs-smollm3")
    assert response.status_code == 400
    assert "same tool twice" in visible(response.text)


async def test_etag_answers_304_and_pages_carry_caching_and_security_headers(
    web: httpx.AsyncClient,
) -> None:
    first = await web.get(SEED_PATH)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
    csp = first.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert first.headers["x-content-type-options"] == "nosniff"
    again = await web.get(SEED_PATH, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    css = re.search(r'href="(/static/site\.css\?v=\w+)"', first.text)
    assert css is not None
    static = await web.get(css.group(1))
    assert static.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_the_page_has_no_inline_script_or_style_and_no_external_resource(
    web: httpx.AsyncClient,
) -> None:
    page = (await web.get(SEED_PATH)).text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert " style=" not in page and "<style" not in page
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert url.startswith(
            ("/", "#", "http://shipbot.test/", "https://huggingface.co", "https://mistral.ai")
        ), url
    assert re.findall(r'<script[^>]+src="https?://', page) == []
    assert re.findall(r'<link rel="(?:stylesheet|icon)"[^>]+href="https?://', page) == []


async def test_the_api_answers_the_cards_json_exactly_as_the_cli_prints_it(
    web: httpx.AsyncClient, app: App
) -> None:
    response = await web.get(
        "/api/v1/compare?" + urlencode({"a": "SmolLM3", "b": "Mistral Medium 3"})
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    card = await app.service.compare("SmolLM3 vs Mistral Medium 3", Community("web", "everywhere"))
    assert response.text == card_json(card)
    body = json.loads(response.text)
    assert body["title"] == "SmolLM3 vs Mistral Medium 3"
    assert [row["lens"] for row in body["reviewer_split"]] == [
        "developer",
        "competition",
        "future",
        "business",
    ]


async def test_the_api_names_what_is_wrong(web: httpx.AsyncClient) -> None:
    unknown = await web.get("/api/v1/compare?a=SmolLM3&b=gpt-7")
    assert unknown.status_code == 404
    assert unknown.json()["error"].startswith("No tool called 'gpt-7'")
    missing = await web.get("/api/v1/compare?a=SmolLM3")
    assert missing.status_code == 400 and "two tools" in missing.json()["error"]
    long = await web.get("/api/v1/compare?" + urlencode({"a": "x" * 10_000, "b": "SmolLM3"}))
    assert long.status_code == 400 and "at most" in long.json()["error"]


async def test_tool_completion_returns_names_and_slugs(web: httpx.AsyncClient) -> None:
    body = (await web.get("/api/v1/tools?q=smoll")).json()
    assert body["query"] == "smoll" and 1 <= len(body["tools"]) <= 10
    assert body["tools"][0] == {
        "name": "SmolLM3",
        "slug": "smollm-3",
        "category": "Developer Tools",
        "url": "/tools/smollm-3",
    }
    assert (await web.get("/api/v1/tools?q=")).json()["tools"] == []


async def test_hostile_names_are_escaped_everywhere(web: httpx.AsyncClient, app: App) -> None:
    fields = {
        "name": HOSTILE,
        "category": "<b>Cat</b>",
        "tagline": '"><img src=x onerror=alert(2)>',
        "entry": "Free",
        "description": "</p><script>alert(3)</script>",
        "reviews": [
            {"lens": "developer", "verdict": "ship", "quote": "<iframe src=//evil></iframe> q"}
        ],
    }
    hostile = await app.catalog.add_tool(fields, ADMIN)
    page = await web.get(f"/compare/{hostile.slug}-vs-smollm-3")
    if page.status_code == 301:
        page = await web.get(page.headers["location"])
    assert page.status_code == 200
    for raw in (HOSTILE, "<img src=x", "<script>alert(3)", "<iframe", "<b>Cat"):
        assert raw not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert HOSTILE in visible(page.text)
    tool = await web.get(f"/tools/{hostile.slug}")
    assert HOSTILE not in tool.text and "&lt;script&gt;" in tool.text
    image = await web.get(f"/og/{hostile.slug}-vs-smollm-3.png")
    if image.status_code == 301:
        image = await web.get(image.headers["location"])
    assert image.headers["content-type"] == "image/png"


async def test_unknown_and_very_long_names_are_escaped_and_cut(web: httpx.AsyncClient) -> None:
    unknown = await web.get("/compare/" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E-vs-smollm-3")
    assert unknown.status_code == 404
    assert "<script>alert(1)" not in unknown.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in unknown.text
    huge = await web.get("/compare/" + "a" * 10_000 + "-vs-smollm-3")
    assert huge.status_code == 414
    assert "too long" in visible(huge.text) and "a" * 600 not in huge.text
    search = await web.get("/compare?" + urlencode({"a": "<script>" * 1250, "b": "SmolLM3"}))
    assert search.status_code == 400 and "<script>" not in search.text


async def test_the_preview_image_is_a_png_of_the_pair_drawn_once(
    web: httpx.AsyncClient,
) -> None:
    page = (await web.get(SEED_PATH)).text
    image_url = re.search(r'<meta property="og:image" content="([^"]+)"', page)
    alt = re.search(r'<meta property="og:image:alt" content="([^"]+)"', page)
    assert image_url is not None and alt is not None
    assert image_url.group(1) == "http://shipbot.test/og/smollm-3-vs-mistral-medium-3.png"
    assert "SmolLM3" in alt.group(1) and "Mistral Medium 3" in alt.group(1)
    assert re.search(r'<meta name="twitter:image" content="[^"]+\.png"', page)
    first = await web.get("/og/smollm-3-vs-mistral-medium-3.png")
    assert first.status_code == 200 and first.content.startswith(b"\x89PNG\r\n\x1a\n")
    picture = Image.open(io.BytesIO(first.content))
    assert (picture.format, picture.size) == ("PNG", (1200, 630))
    assert picture.info["Title"] == "SmolLM3 vs Mistral Medium 3"
    site = web._transport.app.state.site  # type: ignore[attr-defined]
    renders = site.previews.renders
    second = await web.get("/og/smollm-3-vs-mistral-medium-3.png")
    assert second.content == first.content and site.previews.renders == renders
    assert (await web.get("/og/mistral-medium-3-vs-smollm-3.png")).status_code == 301


async def test_community_link_shows_that_communitys_split(web: httpx.AsyncClient, app: App) -> None:
    plain = visible((await web.get(SEED_PATH)).text)
    assert "Everywhere" in plain and "In this community" not in plain
    linked = await web.get(f"{SEED_PATH}?c=discord:4242")
    assert "In this community" in visible(linked.text)
    bogus = await web.get(f"{SEED_PATH}?c=<x>")
    assert "isn't one shipbot made" in visible(bogus.text)


async def test_tool_leaderboard_and_home_pages_render(web: httpx.AsyncClient) -> None:
    tool = await web.get("/tools/smollm-3")
    assert tool.status_code == 200
    text = visible(tool.text)
    assert "SmolLM3" in text and "75% · 3/4" in text and "Skip as a business" in text
    assert (await web.get("/tools/SmolLM3")).headers["location"] == "/tools/smollm-3"
    board = await web.get("/leaderboard?category=Developer+Tools&scope=everywhere")
    assert board.status_code == 200 and "Leaderboard" in board.text
    bad_scope = await web.get("/leaderboard?scope=mars")
    assert "isn't one of the choices" in visible(bad_scope.text)
    home = await web.get("/")
    assert home.status_code == 200 and 'action="/compare"' in home.text
    assert (await web.get("/no/such/page")).status_code == 404
