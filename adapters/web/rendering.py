"""Jinja2 templates (autoescaped: every user text is escaped) and the fingerprinted static files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from adapters.web.views import canonical_path, extra_facts, tool_link

HERE = Path(__file__).resolve().parent
# Review fields the templates lay out; any other a review carries is listed under it as it is.
QUOTE_FIELDS = frozenset({"verdict", "text", "reviewer", "lens", "quote", "kind", "provenance"})
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    media_type: str
    version: str


def load_static() -> dict[str, StaticFile]:
    files = {}
    for path in sorted((HERE / "static").iterdir()):
        if path.suffix in MEDIA_TYPES:
            body = path.read_bytes()
            version = hashlib.blake2b(body, digest_size=6).hexdigest()
            files[path.name] = StaticFile(body, MEDIA_TYPES[path.suffix], version)
    return files


class Renderer:
    """Renders the page templates; ``public_url`` makes the absolute links (canonical, images)."""

    def __init__(self, public_url: str, static: dict[str, StaticFile]) -> None:
        self.public_url = public_url.rstrip("/")
        self.static = static
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
            auto_reload=False,  # templates ship with the code: no stat() per request
        )
        self.env.globals.update(
            static=self.static_url,
            tool_link=tool_link,
            canonical_path=canonical_path,
            provenance=lambda value: extra_facts(value, QUOTE_FIELDS),
        )

    def compile_all(self) -> None:
        """Compile every template now, so no visitor waits for it."""
        for name in self.env.list_templates(extensions=["html"]):
            self.env.get_template(name)

    def static_url(self, name: str) -> str:
        return f"/static/{name}?v={self.static[name].version}"

    def render(self, template: str, base_url: str, **context: Any) -> bytes:
        root = self.public_url or base_url.rstrip("/")
        page = self.env.get_template(template).render(absolute=lambda path: root + path, **context)
        return page.encode("utf-8")
