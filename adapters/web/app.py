"""The web app: the verdict pages, the tool pages, the leaderboard, search, the JSON API, live
votes and preview images. ``create_web_app`` is built on the process's ``App`` (one composition
root), so the pages read the same database, through the same core services, as the bots."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from adapters.bootstrap import App
from adapters.card_json import card_json
from adapters.web.http import (
    API_CACHE,
    IMAGE_CACHE,
    NO_STORE,
    PAGE_CACHE,
    STATIC_CACHE,
    SecurityHeaders,
    cached,
)
from adapters.web.live import LiveHub, LiveKey
from adapters.web.preview import PreviewCache
from adapters.web.rendering import Renderer, load_static
from adapters.web.views import (
    CARD_FIELDS,
    PROFILE_FIELDS,
    canonical_path,
    community_views,
    extra_facts,
    live_fields,
    preview_alt,
    preview_path,
)
from bot.cards import DIGEST_PITCH, DIGEST_TITLE, VerdictCard
from bot.community import LeaderboardRow
from bot.errors import AmbiguousTool, SameTool, StoreUnavailable, UnknownTool, UserFacingError
from bot.matching import Match
from bot.models import Community
from bot.pages import WEB, ComparedPair
from bot.parsing import MAX_INPUT
from bot.permalinks import community_param, parse_community, split_pair_path, tool_path

log = logging.getLogger(__name__)

MAX_NAME = MAX_INPUT  # longer names in a URL or a query are refused with a friendly page
HEARTBEAT_SECONDS = 15.0
HOME_CACHE_SECONDS = 30.0
EXAMPLE = "/compare?" + urlencode({"a": "SmolLM3", "b": "Mistral Medium 3"})


@dataclass(frozen=True)
class Option:
    label: str
    href: str


@dataclass(frozen=True)
class PairLink:
    a: Any
    b: Any
    cards: int
    votes: str
    href: str


class WebSite:
    """The handlers, holding what they share: services, templates, the live hub, the images."""

    def __init__(self, shipbot: App) -> None:
        settings = shipbot.settings
        self.shipbot = shipbot
        self.service = shipbot.service
        self.pages = shipbot.pages
        self.static = load_static()
        self.renderer = Renderer(settings.public_url, self.static)
        self.renderer.compile_all()
        self.live = LiveHub(self.service, settings.web_live_poll_seconds, settings.refresh_seconds)
        self.previews = PreviewCache()
        self._home: tuple[float, tuple[ComparedPair, ...]] | None = None

    # -- pages ------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        pairs = await self._most_compared()
        body = self._render(
            request,
            "home.html",
            pairs=[_pair_link(pair) for pair in pairs],
            example_href=EXAMPLE,
            search_a="",
            search_b="",
        )
        return cached(request, body, "text/html; charset=utf-8", PAGE_CACHE)

    async def search(self, request: Request) -> Response:
        """``/compare?a=…&b=…`` (the search form): 303 to the pair's page."""
        a, b = request.query_params.get("a", "").strip(), request.query_params.get("b", "").strip()
        if not a or not b:
            return self._problem(
                request,
                400,
                "Name two tools",
                "Type a tool on each side, e.g. SmolLM3 and Mistral Medium 3.",
                a,
                b,
            )
        if len(a) > MAX_NAME or len(b) > MAX_NAME:
            return self._too_long(request)
        try:
            card = await self.service.compare_names(a, b, WEB)
        except (UnknownTool, AmbiguousTool) as error:
            return await self._unknown(request, error, a, b)
        except SameTool as error:
            return self._problem(request, 400, "Pick two different tools", error.message, a, b)
        return RedirectResponse(self._with_query(request, canonical_path(card), keep=("c",)), 303)

    async def compare(self, request: Request) -> Response:
        raw = request.path_params["pair"]
        if len(raw) > 2 * MAX_NAME:
            return self._too_long(request)
        community, notice = _community(request)
        outcome = await self._resolve(request, raw, community)
        if isinstance(outcome, Response):
            return outcome
        card = outcome
        canonical = canonical_path(card)
        if card.a.tool_id > card.b.tool_id or f"/compare/{raw}" != canonical:
            return RedirectResponse(self._with_query(request, canonical, keep=("c",)), 301)
        query = {"c": community_param(community)} if community else {}
        live_url = f"{canonical}/live" + (f"?{urlencode(query)}" if query else "")
        body = self._render(
            request,
            "compare.html",
            card=card,
            canonical=canonical,
            image=preview_path(card),
            image_alt=preview_alt(card),
            splits=community_views(card, community),
            specs_a=extra_facts(card.a, PROFILE_FIELDS | {"specs"}),
            specs_b=extra_facts(card.b, PROFILE_FIELDS | {"specs"}),
            rows_a=tuple(getattr(getattr(card.a, "specs", None), "rows", ())),
            rows_b=tuple(getattr(getattr(card.b, "specs", None), "rows", ())),
            card_facts=extra_facts(card, CARD_FIELDS),
            live_url=live_url,
            notice=notice,
            digest_title=DIGEST_TITLE,
            digest_pitch=DIGEST_PITCH,
        )
        return cached(request, body, "text/html; charset=utf-8", PAGE_CACHE)

    async def live_votes(self, request: Request) -> Response:
        """The page's moving numbers: a JSON snapshot, or a server-sent event stream."""
        raw = request.path_params["pair"]
        community, _ = _community(request)
        outcome = await self._resolve(request, raw, community)
        if isinstance(outcome, Response):
            return outcome
        card = outcome
        if "text/event-stream" not in request.headers.get("accept", ""):
            body = json.dumps(live_fields(card, community), ensure_ascii=False).encode()
            return cached(request, body, "application/json", NO_STORE)
        key = LiveKey(card.a.tool_id, card.b.tool_id, community)
        if key.a_id > key.b_id:
            key = LiveKey(key.b_id, key.a_id, community)
        return StreamingResponse(
            self._events(key),
            media_type="text/event-stream",
            headers={"Cache-Control": NO_STORE, "X-Accel-Buffering": "no"},
        )

    async def _events(self, key: LiveKey) -> AsyncIterator[str]:
        yield "retry: 3000\n\n"
        async with self.live.subscribe(key) as queue:
            while True:
                try:
                    fields = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield ": still here\n\n"
                    continue
                yield f"event: votes\ndata: {json.dumps(fields, ensure_ascii=False)}\n\n"

    async def preview(self, request: Request) -> Response:
        raw = request.path_params["pair"]
        if not raw.endswith(".png"):
            return self._problem(request, 404, "No such image", "Preview images end in .png.")
        outcome = await self._resolve(request, raw.removesuffix(".png"), None)
        if isinstance(outcome, Response):
            return outcome
        card = outcome
        path = preview_path(card)
        if card.a.tool_id > card.b.tool_id or f"/og/{raw}" != path:
            return RedirectResponse(path, 301)
        png = await asyncio.to_thread(self.previews.png, card)
        return cached(request, png, "image/png", IMAGE_CACHE)

    async def tool(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        if len(slug) > MAX_NAME:
            return self._too_long(request)
        try:
            page = await self.pages.tool_page(slug)
        except (UnknownTool, AmbiguousTool) as error:
            return await self._unknown(request, error, slug, None)
        if not page.canonical:
            return RedirectResponse(tool_path(page.tool.slug), 301)
        tool = page.tool
        ships = sum(1 for r in tool.reviews if r.verdict.value == "ship")
        panel = (
            f"{round(100 * ships / len(tool.reviews))}% · {ships}/{len(tool.reviews)}"
            if tool.reviews
            else "no panel yet"
        )
        body = self._render(
            request,
            "tool.html",
            tool=tool,
            panel=panel,
            facts=extra_facts(tool, _TOOL_FIELDS),
            pairs=[_pair_link(pair) for pair in page.pairs],
            canonical=tool_path(tool.slug),
        )
        return cached(request, body, "text/html; charset=utf-8", PAGE_CACHE)

    async def leaderboard(self, request: Request) -> Response:
        category = request.query_params.get("category", "").strip()[:100]
        community, notice = _community(request)
        scope = request.query_params.get("scope", "everywhere")
        scopes = [("everywhere", "Everywhere")]
        if community is not None:
            scopes.append((community_param(community), "This community"))
        chosen = (
            community if community is not None and scope == community_param(community) else None
        )
        if scope not in {value for value, _ in scopes}:
            notice, scope = (
                "That scope isn't one of the choices; showing votes from everywhere.",
                "everywhere",
            )
        board = await self.shipbot.community.leaderboard(category or None, community=chosen)
        categories = await self.pages.categories()
        body = self._render(
            request,
            "leaderboard.html",
            board=board,
            category=category,
            categories=categories,
            scope=scope,
            scopes=scopes,
            scope_label="this community" if chosen else "everywhere",
            notice=notice,
            row_link=_row_link,
        )
        return cached(request, body, "text/html; charset=utf-8", PAGE_CACHE)

    # -- API ----------------------------------------------------------------------------------

    async def api_compare(self, request: Request) -> Response:
        """The card's JSON, exactly as ``shipbot compare --json`` prints it."""
        a, b = request.query_params.get("a", "").strip(), request.query_params.get("b", "").strip()
        if not a or not b:
            return _json_error(400, "Give two tools: /api/v1/compare?a=SmolLM3&b=Mistral+Medium+3")
        if len(a) > MAX_NAME or len(b) > MAX_NAME:
            return _json_error(400, f"A tool name is at most {MAX_NAME} characters.")
        community, _ = _community(request)
        try:
            card = await self.service.compare_names(a, b, community or WEB)
        except UnknownTool as error:
            return _json_error(404, error.message, error.suggestions)
        except AmbiguousTool as error:
            return _json_error(409, error.message, error.candidates)
        except StoreUnavailable as error:
            return _json_error(503, error.message)
        except UserFacingError as error:
            return _json_error(400, error.message)
        return cached(request, card_json(card).encode(), "application/json", API_CACHE)

    async def api_tools(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()[:MAX_NAME]
        tools = await self.pages.complete(query, 10) if query else ()
        body = {
            "query": query,
            "tools": [
                {"name": t.name, "slug": t.slug, "category": t.category, "url": tool_path(t.slug)}
                for t in tools
            ],
        }
        return cached(
            request, json.dumps(body, ensure_ascii=False).encode(), "application/json", API_CACHE
        )

    async def static_file(self, request: Request) -> Response:
        found = self.static.get(request.path_params["name"])
        if found is None:
            return self._problem(request, 404, "Not found", "There is no such file.")
        current = request.query_params.get("v") == found.version
        return cached(
            request, found.body, found.media_type, STATIC_CACHE if current else PAGE_CACHE
        )

    async def favicon(self, request: Request) -> Response:
        return RedirectResponse(self.renderer.static_url("favicon.svg"), 301)

    async def health(self, request: Request) -> Response:
        return Response("ok\n", media_type="text/plain", headers={"Cache-Control": NO_STORE})

    # -- helpers ------------------------------------------------------------------------------

    async def _resolve(
        self, request: Request, raw: str, community: Community | None
    ) -> VerdictCard | Response:
        splits = split_pair_path(raw)
        if not splits:
            return self._problem(
                request,
                404,
                "Not a comparison",
                "A comparison's address names two tools, like /compare/smollm-3-vs-mistral-medium-3.",
            )
        failure: tuple[UnknownTool | AmbiguousTool, str, str] | None = None
        for left, right in splits:
            try:
                return await self.service.compare_slugs(left, right, community or WEB)
            except (UnknownTool, AmbiguousTool) as unresolved:
                failure = failure or (unresolved, left, right)
            except SameTool as same:
                return self._problem(request, 400, "Pick two different tools", same.message)
        assert failure is not None
        first, left, right = failure
        return await self._unknown(request, first, _spaced(left), _spaced(right))

    async def _unknown(
        self, request: Request, error: UnknownTool | AmbiguousTool, a: str, b: str | None
    ) -> Response:
        names = error.suggestions if isinstance(error, UnknownTool) else error.candidates
        unknown_is_a = _spaced(error.query) == _spaced(a)
        if b is not None:  # the other side, by its catalog name when it resolves
            matcher = await self.service.matcher()
            other = b if unknown_is_a else a
            found = matcher.resolve(_spaced(other))
            other = found.name if isinstance(found, Match) else other
            a, b = (a, other) if unknown_is_a else (other, b)
        options = []
        for name in names:
            if b is None:
                options.append(Option(name, tool_path(name)))
                continue
            pair = (name, b) if unknown_is_a else (a, name)
            options.append(
                Option(
                    f"{pair[0]} vs {pair[1]}", "/compare?" + urlencode({"a": pair[0], "b": pair[1]})
                )
            )
        heading = "Which one did you mean?" if isinstance(error, AmbiguousTool) else "No such tool"
        status = 300 if isinstance(error, AmbiguousTool) else 404
        body = self._render(
            request,
            "unknown.html",
            heading=heading,
            message=error.message,
            options=options,
            search_a=a[:MAX_NAME],
            search_b=(b or "")[:MAX_NAME],
        )
        return Response(
            body, status, {"Cache-Control": NO_STORE}, media_type="text/html; charset=utf-8"
        )

    def _problem(
        self, request: Request, status: int, heading: str, message: str, a: str = "", b: str = ""
    ) -> Response:
        body = self._render(request, "error.html", heading=heading, message=message)
        return Response(
            body, status, {"Cache-Control": NO_STORE}, media_type="text/html; charset=utf-8"
        )

    def _too_long(self, request: Request) -> Response:
        return self._problem(
            request,
            414 if request.url.path != "/compare" else 400,
            "That name is too long",
            f"A tool name is at most {MAX_NAME} characters. Try the search on the home page.",
        )

    def _render(self, request: Request, template: str, **context: Any) -> bytes:
        return self.renderer.render(template, str(request.base_url), **context)

    @staticmethod
    def _with_query(request: Request, path: str, keep: tuple[str, ...]) -> str:
        query = {k: v for k, v in request.query_params.items() if k in keep}
        return path + (f"?{urlencode(query)}" if query else "")

    async def _most_compared(self) -> tuple[ComparedPair, ...]:
        now = time.monotonic()
        if self._home is None or now - self._home[0] > HOME_CACHE_SECONDS:
            self._home = (now, await self.pages.most_compared(5))
        return self._home[1]


_TOOL_FIELDS = frozenset(
    {
        "id",
        "name",
        "category",
        "tagline",
        "entry",
        "description",
        "slug",
        "pricing_note",
        "url",
        "aliases",
        "reviews",
    }
)


def _spaced(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()


def _community(request: Request) -> tuple[Community | None, str]:
    raw = request.query_params.get("c")
    if raw is None:
        return None, ""
    community = parse_community(raw[:100])
    if community is None:
        return (
            None,
            "That community link isn't one shipbot made, so this page shows the votes everywhere.",
        )
    return community, ""


def _pair_link(pair: ComparedPair) -> PairLink:
    split = pair.split
    votes = (
        "no votes yet"
        if split.n == 0
        else f"{split.a_percent}% / {split.b_percent}%, n = {split.n}"
    )
    href = f"/compare/{quote(pair.a.slug)}-vs-{quote(pair.b.slug)}"
    return PairLink(pair.a, pair.b, pair.cards, votes, href)


def _row_link(row: LeaderboardRow) -> str:
    return tool_path(row.name)


def _json_error(status: int, message: str, suggestions: tuple[str, ...] = ()) -> Response:
    body = json.dumps({"error": message, "suggestions": list(suggestions)}, ensure_ascii=False)
    return Response(body, status, {"Cache-Control": NO_STORE}, media_type="application/json")


Handler = Callable[[Request], Awaitable[Response]]


def _guarded(site: WebSite, handler: Handler) -> Handler:
    """Turn a failure into a friendly page (never a traceback): the store being down is a 503."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except StoreUnavailable as error:
            return site._problem(request, 503, "Try again in a minute", error.message)
        except UserFacingError as error:
            return site._problem(request, 400, "That didn't work", error.message)
        except Exception:
            log.exception("web request failed", extra={"path": request.url.path})
            return site._problem(
                request,
                500,
                "Something went wrong",
                "The details are in the server's log; please try again.",
            )

    return run


def create_web_app(shipbot: App) -> Starlette:
    site = WebSite(shipbot)

    def route(path: str, handler: Handler) -> Route:
        return Route(path, _guarded(site, handler), methods=["GET", "HEAD"])

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await site.live.close()

    async def not_found(request: Request, _: Exception) -> Response:
        return site._problem(
            request,
            404,
            "Not found",
            "There is no page here. Compare two tools from the home page.",
        )

    app = Starlette(
        exception_handlers={404: not_found},
        routes=[
            route("/", site.home),
            route("/compare", site.search),
            route("/compare/{pair}/live", site.live_votes),
            route("/compare/{pair:path}", site.compare),
            route("/og/{pair:path}", site.preview),
            route("/tools/{slug:path}", site.tool),
            route("/leaderboard", site.leaderboard),
            route("/api/v1/compare", site.api_compare),
            route("/api/v1/tools", site.api_tools),
            route("/static/{name}", site.static_file),
            route("/healthz", site.health),
            route("/favicon.ico", site.favicon),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(SecurityHeaders)
    app.state.site = site
    return app
