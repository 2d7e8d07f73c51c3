"""Decoding costs CPU by the pixel: images are capped at what a community needs (a
phone photo), for profile photos and attachments alike."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from members.images import MAX_PIXELS, avatar_render, image_decode


def _png(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_cap_holds_a_phone_photo_and_little_more() -> None:
    assert 4000 * 4000 <= MAX_PIXELS <= 16_000_000


def test_a_twenty_megapixel_image_is_refused_before_it_is_decoded() -> None:
    data = _png((5000, 4000))
    with pytest.raises(ValidationError) as refusal:
        image_decode(data)
    assert refusal.value.code == "too_many_pixels"
    with pytest.raises(ValidationError) as refusal:
        avatar_render(SimpleUploadedFile("big.png", data, content_type="image/png"))
    assert refusal.value.code == "too_many_pixels"


def test_a_twelve_megapixel_phone_photo_is_accepted() -> None:
    image, source_format = image_decode(_png((4000, 3000)))
    assert (image.size, source_format) == ((4000, 3000), "PNG")
