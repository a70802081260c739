"""Covers: the user's image made square, or one drawn with the title and author."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from audiobook.cover import SIZE, draw_cover, load_cover
from audiobook.errors import InputError


def test_a_drawn_cover_is_a_square_jpeg_and_the_same_each_time():
    data = draw_cover("Harbour Lights", "A. Writer")
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("JPEG", (SIZE, SIZE))
    assert data == draw_cover("Harbour Lights", "A. Writer")
    assert data != draw_cover("Another Book", "A. Writer")


def test_a_users_png_becomes_a_centre_cropped_square_jpeg(tmp_path):
    path = tmp_path / "art.png"
    Image.new("RGB", (300, 200), (10, 200, 30)).save(path)
    image = Image.open(io.BytesIO(load_cover(path)))
    assert (image.format, image.size) == ("JPEG", (200, 200))


def test_a_cover_that_is_not_an_image_is_one_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a picture")
    with pytest.raises(InputError, match="not an image Pillow can read"):
        load_cover(path)
