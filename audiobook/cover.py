"""The book's cover: the user's image, or one drawn with the title and author.

The only module that imports Pillow. Covers come out as square RGB JPEGs, the form every
audiobook player shows.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from .errors import InputError

SIZE = 1400
MAX_PIXELS = 50_000_000  # a cover larger than this is refused before it is decoded
# Calm, dark backgrounds; the title picks one, so a book keeps its colour.
PALETTE = ((38, 70, 83), (42, 54, 89), (84, 48, 72), (46, 76, 56), (92, 62, 40), (60, 60, 66))


def load_cover(path: str | Path) -> bytes:
    """The image at ``path`` as a square JPEG (centre-cropped), or one clear InputError."""
    path = Path(path)
    try:
        return square_cover(path.read_bytes(), path)
    except FileNotFoundError:
        raise InputError("no such cover image", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read the cover image: {exc.strerror}", path=path) from None


def square_cover(data: bytes, where: object = None) -> bytes:
    """An image's bytes as a square JPEG (centre-cropped), or one clear InputError."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise InputError(f"a cover of {image.width}x{image.height} pixels is too large",
                                 path=where)
            image = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise InputError("not an image Pillow can read (use JPEG or PNG)", path=where) from None
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    if side > SIZE:
        image = image.resize((SIZE, SIZE), Image.LANCZOS)
    return _jpeg(image)


def draw_cover(title: str, author: str) -> bytes:
    """A plain cover: the title large, the author below, on a colour picked by the title."""
    colour = PALETTE[hashlib.sha1(title.encode()).digest()[0] % len(PALETTE)]
    image = Image.new("RGB", (SIZE, SIZE), colour)
    draw = ImageDraw.Draw(image)
    margin = SIZE // 10
    title_font = ImageFont.load_default(size=SIZE // 11)
    author_font = ImageFont.load_default(size=SIZE // 22)
    lines = _wrap(title, title_font, SIZE - 2 * margin)[:5]
    line_height = int(title_font.size * 1.2)
    y = SIZE // 2 - line_height * len(lines) // 2 - SIZE // 12
    for line in lines:
        draw.text((SIZE // 2, y), line, font=title_font, fill=(245, 240, 230), anchor="ma")
        y += line_height
    draw.line((SIZE // 2 - SIZE // 8, y + SIZE // 30, SIZE // 2 + SIZE // 8, y + SIZE // 30),
              fill=(200, 190, 170), width=4)
    draw.text((SIZE // 2, y + SIZE // 15), author, font=author_font, fill=(220, 214, 200),
              anchor="ma")
    return _jpeg(image)


def _wrap(text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _jpeg(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()
