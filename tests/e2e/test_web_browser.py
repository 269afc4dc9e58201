"""The verdict page in a real browser (Debian's chromium through Playwright) against a real
``shipbot run web`` process: the seed page word for word, with and without JavaScript; layout
at phone and desktop widths (screenshots kept under tmp/artifacts); no console errors; axe-core
finds no accessibility violations; the preview image; hostile names; and a vote cast in the fake
Discord reaching an open page within seconds, without a reload."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from adapters.bootstrap import build_app
from bot.admin import Actor
from bot.settings import Settings
from tests.e2e.discord_support import A, discord_harness
from tests.e2e.web_support import (
    SEED_PATH,
    PageWatch,
    WebServer,
    artifacts_dir,
    axe_path,
    browser,
    web_server,
)
from tests.support.databases import PostgresDatabases, SqliteDatabases
from tests.support.seed_page import seed_page

__all__ = ["browser"]  # the fixture

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(
    databases: SqliteDatabases | PostgresDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebServer]:
    """One server for the read-only tests of this module, on its own seeded database."""
    with web_server(databases.fresh(seed=True), tmp_path_factory.mktemp("web")) as server:
        yield server


async def open_page(browser: Any, url: str, **context: Any) -> tuple[Any, Any, PageWatch]:
    ctx = await browser.new_context(**context)
    page = await ctx.new_page()
    watch = PageWatch()
    watch.attach(page)
    response = await page.goto(url)
    assert response is not None and response.status == 200, url
    return ctx, page, watch


async def texts(page: Any, selector: str) -> list[str]:
    return [str(t) for t in await page.locator(selector).all_text_contents()]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
async def test_the_seed_page_shows_every_seed_field_verbatim(
    browser: Any, site: WebServer, javascript: bool
) -> None:
    ctx, page, watch = await open_page(
        browser, site.base + SEED_PATH, java_script_enabled=javascript
    )
    seed = seed_page()
    assert (await page.text_content("#heading")) == seed.heading
    assert (await page.text_content("h1")) == seed.title
    assert (await page.text_content("#intro")) == seed.intro
    for key, profile in zip("ab", seed.profiles, strict=True):
        card = page.locator(f"#profile-{key}")
        assert (await card.locator(".category").text_content()) == profile.category
        assert (await card.locator(".name").text_content()) == profile.name
        assert (await card.locator(".tagline").text_content()) == profile.tagline
        assert (await card.locator(".panel-percent").text_content()) == profile.panel
        assert (await card.locator(f"#share-{key}").text_content()) == profile.community
        assert (await card.locator(".entry").text_content()) == profile.entry
        assert (await card.locator(".description").text_content()) == profile.description
        labels = await texts(card, ".stat dt")
        assert labels == ["Panel ship", "Community", "Entry"]
        assert (await card.locator(".fraction").text_content()) in {"3/4", "4/4"}
    quotes = await texts(page, ".lens blockquote p")
    assert quotes == [f"“{quote}”" for quote in seed.quotes]  # whole, SmolLM3 first per lens
    badges = await texts(page, ".lens .verdict-badge")
    assert badges == ["ship"] * 6 + ["skip", "ship"]
    assert (await page.text_content("#digest-h")) == seed.digest_title
    assert (await page.text_content("#pricing-read")).startswith("SmolLM3 is the cheaper way in")
    assert "Everywhere" in (await page.text_content(".community"))
    assert (await page.text_content("#verdict-line")).startswith("The panel favours Mistral")
    await asyncio.sleep(0.5)  # let the live stream connect: it must not log errors either
    assert watch.errors == []
    await ctx.close()


@pytest.mark.parametrize("width", [390, 1280, 360])
async def test_layout_at_phone_and_desktop_widths(
    browser: Any, site: WebServer, width: int
) -> None:
    ctx, page, watch = await open_page(
        browser, site.base + SEED_PATH, viewport={"width": width, "height": 900}
    )
    shot = artifacts_dir() / f"verdict-{width}.png"
    await page.screenshot(path=str(shot), full_page=True)
    assert Image.open(shot).size[0] == width
    a = await page.locator("#profile-a").bounding_box()
    b = await page.locator("#profile-b").bounding_box()
    assert a is not None and b is not None
    if width >= 1280:  # two columns: side by side, same top
        assert abs(a["y"] - b["y"]) < 2 and b["x"] >= a["x"] + a["width"]
        quote_boxes = [
            await q.bounding_box()
            for q in await page.locator("#lens-developer ~ .quotes figure").all()
        ]
        assert len(quote_boxes) == 2 and abs(quote_boxes[0]["y"] - quote_boxes[1]["y"]) < 2
    else:  # one column: stacked, each nearly the full width
        assert b["y"] >= a["y"] + a["height"] and a["width"] >= width - 48
    overflow = await page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, "nothing may scroll sideways"
    assert watch.errors == []
    await ctx.close()


async def test_every_page_passes_axe_in_light_and_dark_with_no_console_errors(
    browser: Any, site: WebServer
) -> None:
    axe = axe_path().read_text()
    for scheme in ("light", "dark"):
        for path in (
            SEED_PATH,
            f"{SEED_PATH}?c=discord:1",
            "/",
            "/tools/smollm-3",
            "/leaderboard",
        ):
            ctx, page, watch = await open_page(browser, site.base + path, color_scheme=scheme)
            # CSP allows only our own scripts; axe is injected by the test through the
            # DevTools protocol, which the page's policy does not govern.
            await _inject(page, axe)
            result = await page.evaluate(
                "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
                " return r.violations.map(v => ({id: v.id, impact: v.impact,"
                " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})); }"
            )
            assert result == [], f"{scheme} {path}: {result}"
            assert watch.errors == [], f"{scheme} {path}: {watch.errors}"
            await ctx.close()


async def _inject(page: Any, script: str) -> None:
    session = await page.context.new_cdp_session(page)
    await session.send("Runtime.evaluate", {"expression": script})
    await session.detach()


async def test_keyboard_reaches_every_link_and_the_skip_link_comes_first(
    browser: Any, site: WebServer
) -> None:
    ctx, page, _ = await open_page(browser, site.base + SEED_PATH)
    await page.keyboard.press("Tab")
    assert (await page.evaluate("document.activeElement.className")) == "skip-link"
    await page.keyboard.press("Enter")
    assert (await page.evaluate("document.activeElement.id")) == "main"
    await page.keyboard.press("Tab")  # the first link in the content, with a visible focus ring
    assert (await page.evaluate("document.activeElement.getAttribute('href')")) == "/tools/smollm-3"
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    links = await page.locator("main a[href]").count()
    reached = {"/tools/smollm-3"}
    for _ in range(links + 10):
        await page.keyboard.press("Tab")
        reached.add(await page.evaluate("document.activeElement.getAttribute('href')"))
    for href in await page.locator("main a[href]").evaluate_all(
        "l => l.map(a => a.getAttribute('href'))"
    ):
        assert href in reached
    await ctx.close()


async def test_the_open_graph_image_is_a_png_of_the_pair(browser: Any, site: WebServer) -> None:
    ctx, page, _ = await open_page(browser, site.base + SEED_PATH)
    image = await page.get_attribute('meta[property="og:image"]', "content")
    alt = await page.get_attribute('meta[property="og:image:alt"]', "content")
    assert image == f"{site.base}/og/smollm-3-vs-mistral-medium-3.png"
    assert await page.get_attribute('meta[name="twitter:image"]', "content") == image
    assert "SmolLM3" in alt and "Mistral Medium 3" in alt and "75% · 3/4" in alt
    response = await page.request.get(image)
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    picture = Image.open(io.BytesIO(await response.body()))
    assert (picture.format, picture.size) == ("PNG", (1200, 630))
    assert picture.info["Title"] == "SmolLM3 vs Mistral Medium 3"
    await ctx.close()


async def test_the_page_reads_the_same_when_server_sent_events_are_blocked(
    browser: Any, site: WebServer
) -> None:
    ctx = await browser.new_context()
    page = await ctx.new_page()
    await page.route("**/live*", lambda route: route.abort())
    uncaught: list[str] = []
    page.on("pageerror", lambda e: uncaught.append(str(e)))
    await page.goto(site.base + SEED_PATH)
    await asyncio.sleep(1)
    assert len(await texts(page, ".lens blockquote p")) == 8
    assert (await page.text_content("#split-0-text")) == "—"
    assert uncaught == []
    await ctx.close()


async def test_hostile_names_render_as_text_and_run_nothing(
    browser: Any, database_url: str, settings: Settings, tmp_path: Path
) -> None:
    app = await build_app(settings, migrate=False)
    try:
        hostile = await app.catalog.add_tool(
            {
                "name": "<script>alert(1)</script>",
                "category": "Developer Tools",
                "tagline": '"><img src=x onerror=alert(2)>',
                "entry": "Free",
                "description": "<svg onload=alert(3)>",
            },
            Actor("admin", "admin", True, catalog_admin=True),
        )
    finally:
        await app.close()
    with web_server(database_url, tmp_path) as server:
        ctx = await browser.new_context()
        page = await ctx.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), asyncio.ensure_future(d.dismiss())))
        await page.goto(f"{server.base}/compare/smollm-3-vs-{hostile.slug}")
        assert (await page.text_content("#name-b")) == "<script>alert(1)</script>"
        assert (await page.text_content("#profile-b .tagline")) == '"><img src=x onerror=alert(2)>'
        await page.goto(
            server.base + "/compare/" + "%3Cscript%3Ealert(4)%3C%2Fscript%3E" * 300 + "-vs-smollm-3"
        )
        assert "too long" in (await page.text_content("h1"))
        await asyncio.sleep(0.3)
        assert dialogs == []
        await ctx.close()


async def test_an_unknown_hostile_name_is_shown_as_text(browser: Any, site: WebServer) -> None:
    ctx = await browser.new_context()
    page = await ctx.new_page()
    unknown = "%3Cscript%3Edocument.title%3D'pwned'%3C%2Fscript%3E"
    response = await page.goto(f"{site.base}/compare/{unknown}-vs-smollm-3")
    assert response is not None and response.status == 404
    message = await page.text_content(".message")
    assert "No tool called '<script>document.title='pwned'</script>'" in message
    assert await page.input_value("#search-a") == "<script>document.title='pwned'</script>"
    assert await page.title() != "pwned"
    await ctx.close()


async def test_a_vote_in_discord_updates_an_open_page_without_a_reload(
    browser: Any, database_url: str, settings: Settings, tmp_path: Path
) -> None:
    with web_server(database_url, tmp_path) as server:
        async with discord_harness(settings, public_url=server.base) as discord:
            card, message_id = await discord.post_card()
            embed = discord.fake.world.messages[message_id].data["embeds"][0]
            link = f"{server.base}{SEED_PATH}?c=discord%3A{discord.fake.guild.id}"
            assert embed["url"] == link  # the card's title links its page
            assert f"[Full verdict]({link})" in embed["fields"][-1]["value"]
            ctx, page, watch = await open_page(browser, link)
            assert (await page.text_content("#split-1-detail")) == "no votes yet"
            await page.evaluate("window.__sameDocument = true")
            await asyncio.sleep(1.5)  # the stream is open and has sent its first numbers
            await discord.fake.add_reaction(message_id, user=discord.fake.member, emoji=A)
            await discord.wait_split(card.id, 1, 0)
            loop = asyncio.get_running_loop()
            voted = loop.time()
            await page.wait_for_function(
                "() => document.getElementById('split-1-detail').textContent === 'n = 1'",
                timeout=8000,
            )
            seconds = loop.time() - voted
            assert (await page.text_content("#split-0-detail")) == "n = 1"
            assert (await page.text_content("#share-a")) == "100% · n = 1"
            assert await page.evaluate("window.__sameDocument === true"), "the page reloaded"
            assert seconds < 8
            assert watch.errors == []
            await ctx.close()
