"""The pair's preview image (1200×630 PNG) that link unfurls show: the two names, the panel ship %
and the global community split. Drawn with Pillow, imported only when an image is drawn; each
picture is drawn once and kept (keyed by everything it shows) until the numbers change."""

from __future__ import annotations

import importlib.util
import io
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from adapters.web.views import community_views, preview_alt
from bot.cards import VerdictCard

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont, ImageFont

WIDTH, HEIGHT = 1200, 630
INK, PAPER, MUTED = (17, 24, 39), (250, 250, 247), (75, 85, 99)
A_COLOUR, B_COLOUR, TRACK = (29, 78, 216), (180, 83, 9), (229, 231, 235)


@dataclass(frozen=True)
class PreviewKey:
    """Everything the picture shows: equal keys draw equal pictures."""

    a: str
    b: str
    panel_a: str
    panel_b: str
    split: str
    a_percent: int | None


def preview_key(card: VerdictCard) -> PreviewKey:
    view = community_views(card, None)[0]
    return PreviewKey(
        card.a.name, card.b.name, card.a.panel.label, card.b.panel.label, view.text, view.a_percent
    )


class PreviewCache:
    """The last ``size`` pictures drawn, newest kept; ``renders`` counts actual drawings."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._images: OrderedDict[PreviewKey, bytes] = OrderedDict()
        self.renders = 0

    def png(self, card: VerdictCard) -> bytes:
        key = preview_key(card)
        image = self._images.get(key)
        if image is None:
            image = render_preview(card)
            self.renders += 1
            self._images[key] = image
            while len(self._images) > self._size:
                self._images.popitem(last=False)
        else:
            self._images.move_to_end(key)
        return image


def render_preview(card: VerdictCard) -> bytes:
    from PIL import Image, ImageDraw
    from PIL.PngImagePlugin import PngInfo

    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    margin = 64
    draw.text((margin, 48), card.heading.upper(), font=_font(28), fill=MUTED)
    top = 110
    column = (WIDTH - 2 * margin - 40) // 2
    for index, side in enumerate((card.a, card.b)):
        left = margin + index * (column + 40)
        colour = A_COLOUR if index == 0 else B_COLOUR
        draw.rectangle((left, top, left + 8, top + 250), fill=colour)
        name = _fit(draw, side.name, 60, column - 30)
        draw.text((left + 28, top), name[0], font=name[1], fill=INK)
        draw.text((left + 28, top + 90), "Panel ship", font=_font(28), fill=MUTED)
        panel = side.panel.label if side.panel.reviews else "no panel yet"
        draw.text((left + 28, top + 130), panel, font=_font(64, bold=True), fill=colour)
    view = community_views(card, None)[0]
    bar_top = 430
    draw.text((margin, bar_top), "Community vote", font=_font(28), fill=MUTED)
    draw.text(
        (margin, bar_top + 40),
        _fit(draw, view.text, 36, WIDTH - 2 * margin)[0],
        font=_font(36),
        fill=INK,
    )
    track = (margin, bar_top + 100, WIDTH - margin, bar_top + 128)
    draw.rectangle(track, fill=TRACK)
    if view.a_percent is not None:
        split_x = margin + (WIDTH - 2 * margin) * view.a_percent // 100
        draw.rectangle((margin, track[1], split_x, track[3]), fill=A_COLOUR)
        draw.rectangle((split_x, track[1], WIDTH - margin, track[3]), fill=B_COLOUR)
    draw.text(
        (margin, HEIGHT - 60),
        "shipbot · which one should you ship with?",
        font=_font(24),
        fill=MUTED,
    )
    info = PngInfo()
    info.add_text("Title", card.title)
    info.add_text("Description", preview_alt(card))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, pnginfo=info)
    return out.getvalue()


def _fit(draw: object, text: str, size: int, width: int) -> tuple[str, FreeTypeFont | ImageFont]:
    """``text`` in the largest size down to 24 px that fits ``width``, cut with … if need be."""
    from PIL import ImageDraw

    assert isinstance(draw, ImageDraw.ImageDraw)
    for points in range(size, 23, -4):
        font = _font(points, bold=True)
        if draw.textlength(text, font=font) <= width:
            return text, font
    font = _font(24, bold=True)
    cut = text
    while cut and draw.textlength(cut + "…", font=font) > width:
        cut = cut[:-1]
    return cut + "…", font


@cache
def _font(size: int, bold: bool = False) -> FreeTypeFont | ImageFont:
    """DejaVu Sans (shipped inside matplotlib's package data, found without importing it), or
    Pillow's own font: nothing is fetched."""
    from PIL import ImageFont

    folder = _dejavu()
    if folder is not None:
        path = folder / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _dejavu() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"
